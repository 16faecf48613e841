"""Authentication: who makes a request, as a :class:`~iamsim._sts.caller.Caller` (one of the simulator's parts).

Credentials are checked by STS (expiry, state, tampering); a principal given
directly is resolved against the accounts so its entity's policies apply.
"""

from __future__ import annotations

from datetime import datetime

from iamsim._engine.request import Principal, PrincipalType
from iamsim._simulator.decisions import Decisions
from iamsim._simulator.state import WorldState
from iamsim._store.records import AccessKey
from iamsim._sts.caller import Caller, CallerKind, role_session_caller, role_session_principal
from iamsim._sts.credentials import Credentials
from iamsim._sts.service import StsService
from iamsim.errors import NoSuchEntityError, UsageError

__all__ = ["Authenticator", "Who"]

#: Who makes a request: credentials, a long-term key record, a principal, or an authenticated caller.
Who = Credentials | AccessKey | Principal | Caller

#: Principals that name no IAM entity of the world: the caller is the principal as given.
_ENTITYLESS = {
    PrincipalType.ACCOUNT: CallerKind.ROOT,
    PrincipalType.SERVICE: CallerKind.SERVICE,
    PrincipalType.WEB_IDENTITY: CallerKind.WEB_IDENTITY,
    PrincipalType.ANONYMOUS: CallerKind.ANONYMOUS,
}


class Authenticator:
    """Turn whatever a method is given as its caller into an authenticated :class:`Caller`."""

    def __init__(self, state: WorldState, sts: StsService, decisions: Decisions) -> None:
        self._state = state
        self._sts = sts
        self._decisions = decisions

    def caller(self, who: Who, now: datetime | None = None) -> Caller:
        """Authenticate ``who`` (credentials are checked: expiry, state, tampering) at ``now`` (default: the clock)."""
        # The request's second, remembered for this ``now``: the caller's context reads it again.
        second = None if now is None else self._decisions.second(now)
        if type(who) is Credentials:
            # The common case (session or long-term credentials) tested first, by exact type.
            return self._sts.authenticate(who, second=second)
        if isinstance(who, Caller):
            return who
        if isinstance(who, AccessKey):
            return self._sts.authenticate(Credentials(who.access_key_id, who.secret_access_key), second=second)
        if isinstance(who, Credentials):
            return self._sts.authenticate(who, second=second)
        if isinstance(who, Principal):
            return self.caller_for_principal(who)
        raise UsageError(f"cannot make requests as a {type(who).__name__}")

    def caller_for_principal(self, principal: Principal) -> Caller:
        account = principal.account
        store = self._state.stores.get(account) if account is not None else None
        kind = principal.type
        entityless = _ENTITYLESS.get(kind)
        if entityless is not None:
            return Caller(entityless, principal)
        if kind is PrincipalType.USER:
            name = principal.username or principal.arn.rsplit("/", 1)[-1]
            if store is not None and account is not None:
                try:
                    principal = self._sts.long_term.user_principal(account, name)
                    return Caller(
                        CallerKind.USER, principal, entity_name=principal.username, entity_id=principal.unique_id
                    )
                except NoSuchEntityError:
                    pass
            return Caller(CallerKind.USER, principal, entity_name=name, entity_id=principal.unique_id)
        if kind is PrincipalType.ASSUMED_ROLE:
            role_name = (principal.role_arn or "").rsplit("/", 1)[-1]
            if store is not None and account is not None and principal.session_name:
                try:
                    role = store.roles.get_role(role_name)
                    principal = role_session_principal(
                        self._state.partition,
                        account,
                        role,
                        principal.session_name,
                        provider=principal.federated_provider,
                    )
                    return role_session_caller(principal, role)
                except NoSuchEntityError:
                    pass
            return Caller(CallerKind.ROLE_SESSION, principal, entity_name=role_name, entity_id=principal.unique_id)
        # Federated user: permissions of the user who federated, no session policy.
        source = (principal.source_user_arn or "").rsplit("/", 1)[-1] or None
        return Caller(CallerKind.FEDERATED, principal, entity_name=source)
