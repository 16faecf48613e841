"""What STS needs from the simulator that owns it: the seam between :mod:`iamsim._sts` and the simulator."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from iamsim._arn import Arn
from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import Policy
from iamsim._store.account import AccountStore
from iamsim._store.records import AccessKey, Role
from iamsim._sts.caller import Caller
from iamsim.errors import AccessDeniedError, NoSuchEntityError, ValidationError

__all__ = ["World", "check_allowed", "denied", "find_role"]


class World(Protocol):
    """What STS needs from the simulator that owns it."""

    def now(self) -> datetime:
        """The current time (the simulator's clock)."""
        ...

    def store(self, account_id: str) -> AccountStore:
        """The store of ``account_id``; ``NoSuchEntityError`` if the simulator has no such account."""
        ...

    def find_access_key(self, access_key_id: str) -> tuple[str, AccessKey] | None:
        """The long-term key with that id and its account, or ``None``."""
        ...

    def trust_policy(self, account_id: str, role_name: str) -> Policy:
        """The role's trust policy as AWS would evaluate it now (principals rebound, §A.3)."""
        ...

    def evaluate(
        self,
        caller: Caller,
        action: str,
        resource: str,
        *,
        context: Mapping[str, object],
        resource_policy: Policy | None,
        resource_account: str | None,
    ) -> EvaluationResult:
        """Evaluate one request of ``caller`` with everything that applies (§F)."""
        ...

    def allowed(
        self,
        caller: Caller,
        action: str,
        resource: str,
        *,
        context: Mapping[str, object],
        resource_policy: Policy | None,
        resource_account: str | None,
    ) -> bool:
        """Whether :meth:`evaluate` allows that request (the same decision, no result built)."""
        ...

    def jwks(self, issuer: str) -> Mapping[str, Any] | None:
        """The signing keys of the identity provider at ``issuer``, if the simulator knows them."""
        ...


def find_role(world: World, role_arn: str, denied: Callable[[], AccessDeniedError]) -> tuple[str, Role]:
    """The account and role that ``role_arn`` names, for an operation that assumes it (§G.1-§G.3).

    A malformed ARN is a ``ValidationError``; a role (or account) that does not
    exist, or whose ARN differs from the one asked for (another path), is the
    operation's own ``AccessDenied`` from ``denied``: AWS does not say which.
    """
    parts = _role_arn_parts(role_arn)
    if parts is None:
        raise ValidationError(f"{role_arn} is invalid")
    account, name = parts
    try:
        role = world.store(account).roles.get_role(name)
    except NoSuchEntityError:
        raise denied() from None
    if role.arn != role_arn:
        raise denied()
    return account, role


@lru_cache(maxsize=1024)
def _role_arn_parts(role_arn: str) -> tuple[str, str] | None:
    """The account and role name a role ARN names, ``None`` if it names no role (pure: callers repeat ARNs)."""
    parsed = Arn.try_parse(role_arn)
    if parsed is None or parsed.service != "iam" or not parsed.resource.startswith("role/"):
        return None
    return parsed.account, parsed.resource_name


def denied(caller: Caller, action: str, resource: str, result: EvaluationResult | None = None) -> AccessDeniedError:
    """STS's AccessDenied for ``caller``'s ``action`` on ``resource`` (its wording has no "because ...", §G.9)."""
    return AccessDeniedError(
        f"User: {caller.principal.arn} is not authorized to perform: {action} on resource: {resource}", result
    )


def check_allowed(
    world: World,
    caller: Caller,
    action: str,
    resource: str,
    context: Mapping[str, object],
    trust: Policy | None,
    account: str | None,
    message: str | None = None,
) -> None:
    """Evaluate ``caller``'s request (§F) with the resource's policy ``trust`` in ``account``; unless allowed,
    AccessDenied (``message``: the operation's own words)."""
    if world.allowed(caller, action, resource, context=context, resource_policy=trust, resource_account=account):
        return  # the common case needs no result; a denial is evaluated again for the one its error carries
    result = world.evaluate(caller, action, resource, context=context, resource_policy=trust, resource_account=account)
    if not result.allowed:
        raise denied(caller, action, resource, result) if message is None else AccessDeniedError(message, result)
