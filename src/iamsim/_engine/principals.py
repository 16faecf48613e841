"""``Principal`` and ``NotPrincipal`` matching (spec §A.3, §F.2; docs/evaluation.md step 3).

Matching answers *how* a statement names the caller, because the combining
step treats the forms differently (§F.2): :class:`Naming` orders them from
weakest to strongest.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from iamsim._arn import Arn, is_account_id
from iamsim._engine.request import Principal, PrincipalType
from iamsim._policy.model import PrincipalSpec

__all__ = ["Naming", "PrincipalMatcher", "compile_principal"]


class Naming(IntEnum):
    """How a matching statement names the caller; a larger value is a stronger grant (§F.2)."""

    #: Not named: the statement does not apply.
    NONE = 0
    #: By its account (account id or root ARN), by no ``Principal`` element, or
    #: through ``NotPrincipal``: the identity side must also allow.
    ACCOUNT = 1
    #: By the role ARN (for a session of the role) or the ARN of the IAM user
    #: who federated: boundary and session policies still limit.
    ROLE_OR_SOURCE_USER = 2
    #: Directly: user ARN, session ARN, federated-user ARN, unique id of a
    #: user, service, identity provider, or ``*``.
    DIRECT = 3


@dataclass(frozen=True, slots=True)
class PrincipalMatcher:
    """A compiled ``Principal``/``NotPrincipal`` element.

    ``aws`` holds every ``AWS`` value as written (ARNs and unique ids compare
    exactly); ``account_ids`` the bare account ids; ``account_roots`` the
    ``(partition, account)`` of each ``arn:…:iam::ACCOUNT:root``.
    """

    wildcard: bool
    aws: frozenset[str]
    account_ids: frozenset[str]
    account_roots: frozenset[tuple[str, str]]
    services: frozenset[str]
    federated: frozenset[str]

    def _lists_account(self, principal: Principal) -> bool:
        account = principal.account
        if account is None:
            return False
        return account in self.account_ids or (principal.partition, account) in self.account_roots

    def naming(self, principal: Principal) -> Naming:
        """How a ``Principal`` element names ``principal`` (``NONE`` when it does not)."""
        if self.wildcard:
            return Naming.DIRECT
        kind = principal.type
        if kind is PrincipalType.SERVICE or kind is PrincipalType.WEB_IDENTITY or kind is PrincipalType.ANONYMOUS:
            if kind is PrincipalType.SERVICE:
                return Naming.DIRECT if (principal.service or principal.arn) in self.services else Naming.NONE
            if kind is PrincipalType.WEB_IDENTITY:
                provider = principal.federated_provider or principal.arn
                return Naming.DIRECT if provider in self.federated else Naming.NONE
            return Naming.NONE
        aws = self.aws
        if aws:
            if kind is not PrincipalType.ACCOUNT and principal.arn in aws:
                return Naming.DIRECT
            if kind is PrincipalType.USER and principal.unique_id is not None and principal.unique_id in aws:
                return Naming.DIRECT
            if kind is PrincipalType.ASSUMED_ROLE and (
                (principal.role_arn is not None and principal.role_arn in aws)
                or (principal.unique_id is not None and principal.unique_id in aws)
            ):
                return Naming.ROLE_OR_SOURCE_USER
            if (
                kind is PrincipalType.FEDERATED_USER
                and principal.source_user_arn is not None
                and principal.source_user_arn in aws
            ):
                return Naming.ROLE_OR_SOURCE_USER
        return Naming.ACCOUNT if self._lists_account(principal) else Naming.NONE

    def exempts(self, principal: Principal, *, has_boundary: bool) -> bool:
        """Whether a ``NotPrincipal`` element spares ``principal`` (§F.2, judgment).

        Only a caller without a permissions boundary whose every level is
        listed is spared: the account, the role (for role sessions) and the
        caller itself.
        """
        if has_boundary:
            return False
        if self.wildcard:
            return True
        kind = principal.type
        if kind is PrincipalType.SERVICE:
            return (principal.service or principal.arn) in self.services
        if kind is PrincipalType.WEB_IDENTITY:
            return (principal.federated_provider or principal.arn) in self.federated
        if kind is PrincipalType.ANONYMOUS or not self._lists_account(principal):
            return False
        if kind is PrincipalType.ACCOUNT:
            return True
        aws = self.aws
        caller = principal.arn in aws or (
            kind is PrincipalType.USER and principal.unique_id is not None and principal.unique_id in aws
        )
        if kind is PrincipalType.ASSUMED_ROLE:
            role = (principal.role_arn is not None and principal.role_arn in aws) or (
                principal.unique_id is not None and principal.unique_id in aws
            )
            return caller and role
        return caller


def compile_principal(spec: PrincipalSpec) -> PrincipalMatcher:
    """Compile a ``Principal``/``NotPrincipal`` element."""
    account_ids: set[str] = set()
    account_roots: set[tuple[str, str]] = set()
    wildcard = spec.wildcard or "*" in spec.aws
    for value in spec.aws:
        if is_account_id(value):
            account_ids.add(value)
            continue
        arn = Arn.try_parse(value)
        if arn is not None and arn.service == "iam" and arn.resource == "root" and is_account_id(arn.account):
            account_roots.add((arn.partition, arn.account))
    return PrincipalMatcher(
        wildcard,
        frozenset(spec.aws),
        frozenset(account_ids),
        frozenset(account_roots),
        frozenset(spec.service),
        frozenset(spec.federated),
    )
