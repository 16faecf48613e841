"""Operation bodies derived by convention: a wire operation is the Simulator method of the same name.

``DeleteUser`` is ``sim.iam.delete_user``; each input member of botocore's
input shape is the keyword argument of the same name in snake_case
(``UserName`` ↔ ``user_name``, ``AuthenticationCode1`` ↔ ``authentication_code_1``,
``OpenIDConnectProviderArn`` ↔ ``open_id_connect_provider_arn``); ``Tags`` (a
list of ``{"Key", "Value"}``) becomes ``(key, value)`` pairs; the call acts on
the caller's account. An operation whose method names a member differently says
so in ``renames``. :func:`conventional` checks every member against the method's
signature when the table is built, so a mismatch fails at start-up (and in the
tests), never in the middle of a request. Operations whose AWS output is empty
use :func:`conventional` as their whole body; the others are written by hand in
:mod:`.iam` and :mod:`.iam_account`, only where AWS's shape differs from the record.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from iamsim._wire.dispatch import load_service_models
from iamsim.errors import ValidationError

__all__ = [
    "Output",
    "Params",
    "conventional",
    "conventional_call",
    "input_members",
    "input_shape",
    "missing_member",
    "service_models",
    "snake_case",
    "tag_pairs",
]

#: An operation's output as botocore's parser hands it over (members by their model names).
Output = dict[str, Any]
#: An operation's input, members by their model names.
Params = dict[str, Any]
#: An operation body: the caller (whatever the transport authenticated), the account acted on, the input.
Body = Callable[[Any, str, Params], Output]

# Linear patterns over botocore's own member names (never user input): word boundaries of a CamelCase name.
_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")


@functools.cache
def service_models() -> dict[str, Any]:
    """botocore's IAM and STS service models, loaded once per process (they are read-only)."""
    return load_service_models()


def input_members(service: str, operation: str) -> tuple[str, ...]:
    """The member names of ``operation``'s input shape in botocore's model."""
    shape = input_shape(service, operation)
    return () if shape is None else tuple(shape.members)


def input_shape(service: str, operation: str) -> Any:
    """The input shape of ``operation`` in botocore's model (``None`` when it takes no input)."""
    return service_models()[service].operation_model(operation).input_shape


def snake_case(member: str) -> str:
    """The Python name of a botocore member or operation (``VirtualMFADeviceName`` -> ``virtual_mfa_device_name``)."""
    return _BOUNDARY.sub("_", member).lower()


def tag_pairs(tags: Iterable[Mapping[str, str]] | None) -> tuple[tuple[str, str], ...] | None:
    """AWS's ``Tags`` list as the ``(key, value)`` pairs the Simulator takes."""
    if tags is None:
        return None
    return tuple((tag["Key"], tag.get("Value", "")) for tag in tags)


def missing_member(member: str) -> ValidationError:
    """AWS's answer to a request without a member the operation needs (botocore's model lets it be left out)."""
    name = member[:1].lower() + member[1:]
    return ValidationError(
        f"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null"
    )


def _from_wire(member_shape: Any, value: Any) -> Any:
    """A decoded input value as the method takes it: ``Tags`` as pairs, one-member structures as their values."""
    if member_shape.type_name == "list" and member_shape.member.name == "Tag":
        return tag_pairs(value)
    if member_shape.type_name == "list" and member_shape.member.type_name == "structure":
        inner = list(member_shape.member.members)
        # ``PolicyArns`` ([{"arn": ...}]) is the list of ARNs; a richer structure stays as boto3 gives it.
        if len(inner) == 1:
            return [item[inner[0]] for item in value]
    if member_shape.type_name == "structure" and isinstance(value, dict) and len(member_shape.members) == 1:
        # AssumeRoot's ``TaskPolicyArn`` ({"arn": ...}) is its ARN, when that one member is a plain value.
        (only,) = member_shape.members.values()
        if only.type_name == "string":
            return value.get(next(iter(member_shape.members)))
    return value


def conventional(
    operation: str,
    method: Callable[..., Any],
    input_shape: Any,
    *,
    renames: Mapping[str, str] | None = None,
    ignored: Iterable[str] = (),
    respond: Callable[..., Output] | None = None,
    implicit: Iterable[str] = ("account_id",),
    resolver: Callable[[str], Any] | None = None,
) -> Body:
    """The body of ``operation``: ``method`` called with the request's members as keywords.

    ``respond`` turns the method's result into the output (see
    :func:`iamsim._wire.render.answer`); without it the output is empty.
    The call itself, and the other parameters, are :func:`conventional_call`'s.
    ``resolver`` gives, for the account acted on, how ``respond`` finds the records
    the result holds by name (:data:`iamsim._wire.render.Resolve`).
    """
    call = conventional_call(operation, method, input_shape, renames=renames, ignored=ignored, implicit=implicit)

    def body(caller: Any, account: str, params: Params) -> Output:
        result = call(caller, account, params)
        if respond is None:
            return {}
        return respond(result, params) if resolver is None else respond(result, params, resolver(account))

    return body


def conventional_call(
    operation: str,
    method: Callable[..., Any],
    input_shape: Any,
    *,
    renames: Mapping[str, str] | None = None,
    ignored: Iterable[str] = (),
    implicit: Iterable[str] = ("account_id",),
) -> Callable[[Any, str, Params], Any]:
    """``method`` called with the request's members as keywords; the call returns the method's own result.

    For an answer written straight from the result record (:mod:`iamsim._handlers.sts_xml`);
    :func:`conventional` renders it into the output shape instead.

    ``input_shape`` is botocore's input shape (``None`` for no input); ``renames`` maps
    a member to the keyword ``method`` gives it where that is not the snake_case name;
    ``ignored`` members are accepted on the wire and not modelled by the simulator.
    ``implicit`` are the keywords the call fills, not the request: ``account_id`` (the
    account acted on) and ``who`` (the caller); ``method`` must take each.
    """
    renames = dict(renames or {})
    shapes = {} if input_shape is None else dict(input_shape.members)
    # Marker and MaxItems select a page of the result: the output's business, not the method's.
    skipped = set(ignored) | {"Marker", "MaxItems"}
    keywords = {member: renames.get(member, snake_case(member)) for member in shapes if member not in skipped}
    accepted = inspect.signature(method).parameters
    implicit = tuple(implicit)
    open_ended = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values())
    missing = sorted(k for k in (*keywords.values(), *implicit) if k not in accepted and not open_ended)
    if missing:
        raise TypeError(f"{operation}: {getattr(method, '__qualname__', method)} takes no {missing}")
    clashing = sorted(set(keywords.values()) & set(implicit))
    if clashing:
        # The call fills these itself; a member of the same keyword would be silently overridden.
        raise TypeError(f"{operation}: members and the call both give {clashing}")

    # Members botocore lets a client leave out but the simulator's method needs: AWS's validation error.
    needed = [
        member
        for member, keyword in keywords.items()
        if keyword in accepted and accepted[keyword].default is inspect.Parameter.empty
    ]

    # Per member, its keyword and the member's shape when the value needs converting (a scalar is passed as it is).
    conversions = {
        member: (keyword, shapes[member] if shapes[member].type_name in ("list", "structure") else None)
        for member, keyword in keywords.items()
    }
    gives_account, gives_caller = "account_id" in implicit, "who" in implicit

    def call(caller: Any, account: str, params: Params) -> Any:
        for member in needed:
            # Present as None only where the caller stands in for it (the root user as its own ``UserName``).
            if member not in params:
                raise missing_member(member)
        arguments: dict[str, Any] = {}
        for member, value in params.items():
            conversion = conversions.get(member)
            if conversion is not None:
                keyword, member_shape = conversion
                arguments[keyword] = value if member_shape is None else _from_wire(member_shape, value)
        if gives_account:
            arguments["account_id"] = account
        if gives_caller:
            arguments["who"] = caller
        return method(**arguments)

    return call
