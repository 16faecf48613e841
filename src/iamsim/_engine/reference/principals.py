"""Principal and NotPrincipal matching, the plain way (spec §A.3, §F.2).

A resource-side Allow matters to the combining rules not only by matching but
by *how* it names the caller (docs/evaluation.md "Combining" step 6), so
matching yields a :class:`Grant` strength rather than a bool.
"""

from __future__ import annotations

from enum import IntEnum

from iamsim._arn import Arn, account_root_arn, is_account_id
from iamsim._engine.request import Principal, PrincipalType
from iamsim._policy.model import PrincipalSpec

__all__ = ["Grant", "not_principal_exempts", "principal_grant"]


class Grant(IntEnum):
    """How a ``Principal`` element names the caller; a larger value is a stronger grant."""

    #: By account id or account root ARN: delegation to the account.
    ACCOUNT = 1
    #: By the role ARN (or role unique id) of a session, or the ARN of the user who federated.
    PARENT = 2
    #: The caller itself: user ARN, session ARN, federated-user ARN, service, identity provider, ``*``.
    DIRECT = 3


def _aws_grant(entry: str, caller: Principal) -> Grant | None:
    """How one ``AWS`` principal value names ``caller``, or ``None`` if it does not."""
    if entry == "*":
        return Grant.DIRECT
    if caller.account is None:
        return None  # services, identity providers and anonymous callers have no account
    if is_account_id(entry):
        return Grant.ACCOUNT if entry == caller.account else None
    arn = Arn.try_parse(entry)
    if arn is None:
        return _unique_id_grant(entry, caller)
    if arn.partition != caller.partition or arn.account != caller.account:
        return None
    if arn.service == "iam":
        if arn.resource == "root":
            return Grant.ACCOUNT
        if arn.resource.startswith("user/"):
            if caller.type is PrincipalType.USER and caller.arn == entry:
                return Grant.DIRECT
            if caller.type is PrincipalType.FEDERATED_USER and caller.source_user_arn == entry:
                return Grant.PARENT
            return None
        if arn.resource.startswith("role/"):
            if caller.type is PrincipalType.ASSUMED_ROLE and caller.role_arn == entry:
                return Grant.PARENT
            return None
    if arn.service == "sts" and caller.is_session and caller.arn == entry:
        return Grant.DIRECT
    return None


def _unique_id_grant(entry: str, caller: Principal) -> Grant | None:
    """A unique id names the user (directly) or the role (for its sessions) it belongs to."""
    if caller.unique_id is None or entry != caller.unique_id:
        return None
    if caller.type is PrincipalType.USER:
        return Grant.DIRECT
    if caller.type is PrincipalType.ASSUMED_ROLE:
        return Grant.PARENT
    return None


def principal_grant(spec: PrincipalSpec, caller: Principal) -> Grant | None:
    """The strongest way ``spec`` names ``caller``; ``None`` when it does not name it at all.

    ``CanonicalUser`` entries never name an IAM principal.
    """
    if spec.wildcard:
        return Grant.DIRECT
    grants = [grant for entry in spec.aws if (grant := _aws_grant(entry, caller)) is not None]
    if caller.type is PrincipalType.SERVICE and (caller.service or caller.arn) in spec.service:
        grants.append(Grant.DIRECT)
    if (
        caller.type is PrincipalType.WEB_IDENTITY
        and caller.federated_provider is not None
        and caller.federated_provider in spec.federated
    ):
        grants.append(Grant.DIRECT)
    return max(grants, default=None)


def not_principal_exempts(spec: PrincipalSpec, caller: Principal, *, has_boundary: bool) -> bool:
    """Whether a ``NotPrincipal`` element exempts ``caller`` from its Deny (spec §F.2, judgment).

    The caller is exempt only when it has no permissions boundary and every
    level of its chain is listed: its account (account id or root ARN), for a
    role session the role (ARN or unique id), and the caller's own ARN (or a
    user's unique id).
    """
    if has_boundary:
        return False
    if spec.wildcard or "*" in spec.aws:
        return True
    if caller.type is PrincipalType.SERVICE:
        return (caller.service or caller.arn) in spec.service
    if caller.type is PrincipalType.WEB_IDENTITY:
        return caller.federated_provider is not None and caller.federated_provider in spec.federated
    if caller.account is None:
        return False  # anonymous: only a wildcard lists it
    listed = set(spec.aws)
    levels = [caller.account in listed or account_root_arn(caller.account, caller.partition) in listed]
    if caller.type is PrincipalType.ACCOUNT:
        return all(levels)  # the root user's own ARN is its account's root ARN
    if caller.type is PrincipalType.ASSUMED_ROLE:
        levels.append(caller.role_arn in listed or (caller.unique_id is not None and caller.unique_id in listed))
        levels.append(caller.arn in listed)
    elif caller.type is PrincipalType.USER:
        levels.append(caller.arn in listed or (caller.unique_id is not None and caller.unique_id in listed))
    else:
        levels.append(caller.arn in listed)
    return all(levels)
