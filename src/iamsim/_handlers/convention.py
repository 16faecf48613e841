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

from iamsim._sts.caller import Caller
from iamsim._wire.dispatch import load_service_models
from iamsim.errors import ValidationError

__all__ = ["conventional", "input_members", "missing_member", "service_models", "snake_case", "tag_pairs"]

Output = dict[str, Any]
Params = dict[str, Any]
Body = Callable[[Caller, str, Params], Output]

# Linear patterns over botocore's own member names (never user input): word boundaries of a CamelCase name.
_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")


@functools.cache
def service_models() -> dict[str, Any]:
    """botocore's IAM and STS service models, loaded once per process (they are read-only)."""
    return load_service_models()


def input_members(service: str, operation: str) -> tuple[str, ...]:
    """The member names of ``operation``'s input shape in botocore's model."""
    shape = service_models()[service].operation_model(operation).input_shape
    return () if shape is None else tuple(shape.members)


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


def conventional(
    operation: str,
    method: Callable[..., Any],
    members: Iterable[str],
    *,
    renames: Mapping[str, str] | None = None,
    ignored: Iterable[str] = (),
    respond: Callable[[Any, Params], Output] | None = None,
) -> Body:
    """The body of ``operation``: ``method`` called with the request's members as keywords.

    ``respond`` turns the method's result into the output (see
    :func:`iamsim._handlers.render.answer`); without it the output is empty.

    ``members`` are the input shape's member names; ``renames`` maps a member to
    the keyword ``method`` gives it where that is not the snake_case name;
    ``ignored`` members are accepted on the wire and not modelled by the simulator.
    """
    renames = dict(renames or {})
    # Marker and MaxItems select a page of the result: the output's business, not the method's.
    skipped = set(ignored) | {"Marker", "MaxItems"}
    keywords = {member: renames.get(member, snake_case(member)) for member in members if member not in skipped}
    accepted = inspect.signature(method).parameters
    missing = sorted(k for k in keywords.values() if k not in accepted)
    if missing or "account_id" not in accepted:
        raise TypeError(f"{operation}: {getattr(method, '__qualname__', method)} takes no {missing or 'account_id'}")

    # Members botocore lets a client leave out but the simulator's method needs: AWS's validation error.
    needed = [
        member
        for member, keyword in keywords.items()
        if accepted[keyword].default is inspect.Parameter.empty
        and accepted[keyword].kind is not inspect.Parameter.VAR_KEYWORD
    ]

    def body(caller: Caller, account: str, params: Params) -> Output:
        for member in needed:
            if params.get(member) is None:
                raise missing_member(member)
        arguments = {keywords[k]: (tag_pairs(v) if k == "Tags" else v) for k, v in params.items() if k in keywords}
        result = method(**arguments, account_id=account)
        return {} if respond is None else respond(result, params)

    return body
