"""The format of an authorization mapping: per service, operation -> the requests it makes.

A service's table is data (one module per service under :mod:`iamsim._enforce.services`):
a :class:`ServiceTable` maps each botocore operation name to a tuple of :class:`Need`, each
one IAM request the operation makes (§F: every request must be allowed on its own):

* ``action``: the IAM action, ``s3:GetObject``;
* ``resource``: an ARN template. ``{partition}``, ``{region}`` and ``{account}`` come from
  the request (the caller's account); any other ``{Name}`` is the request parameter of that
  name, or a value the table's ``derive`` function computed from the parameters (names in
  lowercase, so they never clash with botocore's). A parameter holding a list makes one
  request per element (DynamoDB batch calls: one request per table). ``"*"`` for actions
  that name no resource;
* ``keys``: service condition keys and the parameter (or derived value) each is read from;
* ``when``: the need applies only when that parameter or derived value is present and not
  empty (``PutObject`` with an ``ACL`` also needs ``s3:PutObjectAcl``).

``derive(operation, params, where)`` turns the awkward parameters into plain values:
``CopySource`` into ``copy_bucket``/``copy_key``, an SQS queue URL into its name and
account, request tags into ``request_tags`` (which become ``aws:RequestTag/*`` and
``aws:TagKeys``). ``policy_arn`` names the resource whose resource-based policy governs a
resource (an object's bucket). Tables are checked against the bundled service reference by
``tests/enforce/test_tables.py``; a user adds or replaces operations with
``Authorizer.register`` (see ``docs/enforcement.md``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from iamsim._arn import build_arn
from iamsim.errors import UsageError

__all__ = ["Derive", "Need", "ServiceTable", "Where", "need"]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Where:
    """The request facts a template or ``derive`` may use besides the parameters."""

    partition: str
    region: str
    account: str
    #: ``fact(arn, name)``: what the world recorded about a resource (a table's ``partition_key``), or ``None``.
    fact: Callable[[str, str], str | None] = lambda arn, name: None
    #: ``profile_roles(profile)``: the ARNs of the roles in an IAM instance profile named by name or ARN.
    profile_roles: Callable[[str], tuple[str, ...]] = lambda profile: ()

    def arn(self, service: str, resource: str, *, region: str | None = None, account: str | None = None) -> str:
        """An ARN of ``service`` in this request's partition (region and account default to the request's)."""
        return build_arn(
            self.partition,
            service,
            resource,
            region=self.region if region is None else region,
            account=self.account if account is None else account,
        )


#: ``derive(operation, params, where)``: extra named values computed from the parameters.
Derive = Callable[[str, Mapping[str, Any], Where], Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Need:
    """One IAM request an operation makes: action, resource template, context keys, condition."""

    action: str
    resource: str = "*"
    keys: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    when: str | None = None

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The names the resource template reads."""
        return _placeholders(self.resource)

    def resources(self, values: Mapping[str, Any]) -> list[str]:
        """The ARNs this need names for ``values``; ``[]`` when a list it expands over is empty.

        Raises ``UsageError`` when a template names a value the request does not carry.
        """
        names = _placeholders(self.resource)
        arn = self.resource
        for index, name in enumerate(names):
            value = values.get(name)
            if isinstance(value, (list, tuple)):
                return self._expanded([arn], names[index:], values)
            if value is None:
                raise UsageError(f"the request carries no {name!r} for the resource of {self.action}")
            arn = arn.replace("{" + name + "}", str(value), 1)
        return [arn]

    def _expanded(self, arns: list[str], names: tuple[str, ...], values: Mapping[str, Any]) -> list[str]:
        """:meth:`resources` from the first placeholder holding a list on: one ARN per combination."""
        for name in names:
            value = values.get(name)
            if value is None:
                raise UsageError(f"the request carries no {name!r} for the resource of {self.action}")
            choices = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
            token = "{" + name + "}"
            arns = [arn.replace(token, choice, 1) for arn in arns for choice in choices]
        return arns


@functools.lru_cache(maxsize=1024)
def _placeholders(template: str) -> tuple[str, ...]:
    # Read on every authorized call; a table's templates are few and fixed.
    return tuple(_PLACEHOLDER.findall(template))


def need(action: str, resource: str = "*", *, when: str | None = None, **keys: str) -> Need:
    """A :class:`Need`; ``keys`` map condition keys (``s3_prefix`` for ``s3:prefix``) to parameter names.

    The keyword form is for readability in tables: the first ``_`` is the ``:`` of the key.
    """
    return Need(action, resource, MappingProxyType({_key_name(k): v for k, v in keys.items()}), when)


def _key_name(keyword: str) -> str:
    service, _, name = keyword.partition("_")
    return f"{service}:{name.replace('_', '-')}"


def _no_derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    return _EMPTY


def _same_resource(arn: str) -> str:
    return arn


def _resource_tag_prefix(arn: str) -> str:
    return "aws:ResourceTag/"


@dataclass(frozen=True)
class ServiceTable:
    """The authorization mapping of one service (botocore service name ``service``)."""

    service: str
    operations: Mapping[str, tuple[Need, ...]]
    derive: Derive = _no_derive
    #: The resource whose resource-based policy governs a resource (S3: the object's bucket).
    policy_arn: Callable[[str], str] = _same_resource
    #: The condition key prefix a resource's own tags appear under (S3 objects: ``s3:ExistingObjectTag/``).
    tag_prefix: Callable[[str], str] = _resource_tag_prefix

    def needs(self, operation: str) -> tuple[Need, ...] | None:
        """The requests ``operation`` makes, or ``None`` when the table does not map it."""
        return self.operations.get(operation)

    def with_operations(self, operations: Mapping[str, tuple[Need, ...]]) -> ServiceTable:
        """This table with ``operations`` added or replaced."""
        for name, needs in operations.items():
            if not isinstance(name, str) or not all(isinstance(n, Need) for n in needs):
                raise UsageError(f"mapping for {name!r} is not a tuple of Need")
        return ServiceTable(
            self.service, {**self.operations, **operations}, self.derive, self.policy_arn, self.tag_prefix
        )
