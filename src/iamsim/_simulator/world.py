"""The simulated world's state and its evaluation path (the part STS and the facade share).

:class:`World` owns the accounts, the organization, the clock, the seeded
random source, the STS, the event log and the compiled-policy cache, behind
one re-entrant lock. The public operations are added by the mixins in
:mod:`iamsim._simulator.iam`, :mod:`iamsim._simulator.sts_api` and
:mod:`iamsim._simulator.ec2`; :class:`iamsim._simulator.Simulator` combines them.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from iamsim._arn import check_partition
from iamsim._clock import Clock, SystemClock, epoch_second
from iamsim._engine.compiled import CompiledPolicy, CompiledPolicySet, compile_policy, compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import (
    ContextValue,
    Principal,
    PrincipalType,
    build_request,
    make_context,
    normalise_context_value,
)
from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._simulator.context import caller_context, iso8601
from iamsim._simulator.events import EventLog
from iamsim._store.account import AccountStore, Document, document_text
from iamsim._store.changes import ChangeCounter
from iamsim._store.ids import IdGenerator
from iamsim._store.organization import Organization, PolicyType
from iamsim._store.records import AccessKey
from iamsim._store.trust import rebind
from iamsim._sts.caller import Caller, CallerKind
from iamsim._sts.credentials import Credentials
from iamsim._sts.service import StsService
from iamsim._sts.tokens import TokenSealer
from iamsim.errors import NoSuchEntityError, ServiceError, UsageError

__all__ = ["Who", "World"]

T = TypeVar("T")

#: Who makes a request: credentials, a long-term key record, a principal, or an authenticated caller.
Who = Credentials | AccessKey | Principal | Caller

_ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
_CACHE_LIMIT = 4096


def _sealer_seed(seed: int) -> bytes:
    return f"iamsim-simulator-seed:{seed}".encode()


class World:
    """State, locking, authentication and evaluation of a simulator."""

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        account_id: str = "123456789012",
        partition: str = "aws",
        event_limit: int = 10_000,
    ) -> None:
        self._lock = threading.RLock()
        self._seed = seed
        self._clock: Clock = clock or SystemClock()
        self._rng = random.Random(seed)
        self._ids = IdGenerator(self._rng)
        # Every ARN the world builds carries this partition, so an unknown one is refused up front.
        self._partition = check_partition(partition)
        self._stores: dict[str, AccountStore] = {}
        #: Bumped by every store and the organization on any change; the caches below are keyed by it.
        self._changes = ChangeCounter()
        self._org: Organization | None = None
        self._sts = StsService(self, TokenSealer.from_seed(_sealer_seed(seed)), self._rng, partition=partition)
        self._jwks: dict[str, dict[str, Any]] = {}
        self._events = EventLog(event_limit)
        self._sets: dict[tuple[Any, ...], tuple[Policy | None, CompiledPolicySet]] = {}
        self._compiled: dict[int, tuple[Policy, CompiledPolicy]] = {}
        self._trust: dict[tuple[str, str, int], Policy] = {}
        self._parsed_resource: dict[str, Policy] = {}
        self._iso_memo: tuple[int, str] = (-1, "")
        #: The last time read and its whole second: a request hands the same ``now`` to its context and log.
        self._second_memo: tuple[datetime | None, int] = (None, 0)
        #: Per caller (by identity): the caller, the second and generation it was built for, its context keys.
        self._caller_contexts: dict[int, tuple[Caller, int, int, dict[str, ContextValue]]] = {}
        #: Per caller (by identity): the generation, resource policy and owner of its last set, and the set.
        self._last_sets: dict[int, tuple[Caller, int, Policy | None, str | None, CompiledPolicySet]] = {}
        #: Context keys as callers write them, lowercased (only keys that passed the check are in it).
        self._context_keys: dict[str, str] = {}
        self.default_account = account_id
        self._new_store(account_id)

    @property
    def partition(self) -> str:
        """The AWS partition of this world (``aws``, ``aws-cn`` or ``aws-us-gov``): the one in every ARN it builds."""
        return self._partition

    # ---------------------------------------------------------------- plumbing

    def _new_store(self, account_id: str) -> AccountStore:
        store = AccountStore(
            account_id, ids=self._ids, clock=self._clock, partition=self._partition, changes=self._changes
        )
        store.set_resolver(self._resolve_principal)
        self._stores[account_id] = store
        self._changes.bump()
        return store

    def _resolve_principal(self, arn: str) -> str | None:
        for store in self._stores.values():
            found = store.resolve_own_principal(arn)
            if found != "":
                return found
        return ""

    def _generation(self) -> int:
        """A number that changes whenever any store or the organization changes (and never repeats)."""
        return self._changes.value

    def _account(self, account_id: str | None) -> str:
        return self.default_account if account_id is None else account_id

    def _log(self, actor: str, target: str, action: str, subject: str, outcome: str) -> None:
        self._events.record(self._clock.now(), actor, target, action, subject, outcome)

    def _log_at(self, now: datetime, actor: str, target: str, action: str, subject: str, outcome: str) -> None:
        """:meth:`_log` with the time the caller already read from the clock."""
        self._events.record(now, actor, target, action, subject, outcome)

    def _call(self, actor: str, target: str, action: str, subject: str, fn: Callable[[], T]) -> T:
        """Run ``fn`` under the lock and log it with its outcome (an error's code on failure)."""
        with self._lock:
            try:
                value = fn()
            except ServiceError as error:
                self._log(actor, target, action, subject, error.code)
                raise
            self._log(actor, target, action, subject, "ok")
            return value

    # --------------------------------------------------- World protocol (STS)

    def now(self) -> Any:
        """The current time from the simulator's clock."""
        return self._clock.now()

    def store(self, account_id: str) -> AccountStore:
        """The store of ``account_id`` (internal: mutate through the simulator's methods)."""
        store = self._stores.get(account_id)
        if store is None:
            raise NoSuchEntityError(f"The account {account_id} does not exist in this simulator.")
        return store

    def find_access_key(self, access_key_id: str) -> tuple[str, AccessKey] | None:
        """The long-term key with that id and its account, or ``None``."""
        with self._lock:
            for account, store in self._stores.items():
                key = store.find_access_key(access_key_id)
                if key is not None:
                    return account, key
            return None

    def issued_access_key(self, access_key_id: str) -> bool:
        """Whether this simulator issued a long-term key with that id, even one deleted since (§G.9)."""
        with self._lock:
            return any(
                store.find_access_key(access_key_id) is not None or store.is_retired_key(access_key_id)
                for store in self._stores.values()
            )

    def trust_policy(self, account_id: str, role_name: str) -> Policy:
        """The role's trust policy with stale principals rebound to their old unique ids (§A.3)."""
        with self._lock:
            store = self.store(account_id)
            role = store.get_role(role_name)
            key = (account_id, role.name, self._generation())
            policy = self._trust.get(key)
            if policy is None:
                policy = rebind(store.role_trust_policy(role.name), role.trust_bindings, self._resolve_principal)
                if len(self._trust) > _CACHE_LIMIT:
                    self._trust.clear()
                self._trust[key] = policy
            return policy

    def jwks(self, issuer: str) -> Mapping[str, Any] | None:
        """The keys registered for the identity provider at ``issuer``."""
        with self._lock:
            return self._jwks.get(issuer.rstrip("/"))

    def evaluate(
        self,
        caller: Caller,
        action: str,
        resource: str,
        *,
        context: Mapping[str, object],
        resource_policy: Policy | None,
        resource_account: str | None,
        explain: bool = False,
        now: datetime | None = None,
    ) -> EvaluationResult:
        """Evaluate one request of ``caller`` with every policy that applies (§F).

        ``now`` is the time of the request when the caller has read the clock already.
        """
        if not isinstance(action, str) or ":" not in action:
            raise UsageError(f"action {action!r} is not of the form service:ActionName")
        with self._lock:
            return self._evaluate_checked(
                caller,
                action,
                resource,
                context,
                resource_policy,
                resource_account,
                explain,
                self._clock.now() if now is None else now,
            )

    def _evaluate_checked(
        self,
        caller: Caller,
        action: str,
        resource: str,
        context: Mapping[str, object],
        resource_policy: Policy | None,
        resource_account: str | None,
        explain: bool,
        now: datetime,
    ) -> EvaluationResult:
        """:meth:`evaluate` for a caller that holds the lock and has checked ``action`` (the hot path)."""
        generation = self._generation()
        # The derived keys are built lowercased and normalised already; only the
        # caller's extra keys go through make_context (Request.create would redo all).
        full = dict(self._caller_context(caller, now, generation))
        if type(context) is dict:
            # make_context inlined for the common plain dict: its entries go straight into ``full``. Keys
            # recur from request to request, so each is checked and lowercased once.
            lowered = self._context_keys
            for key, value in context.items():
                # Exact type first: an object merely equal to a cached key must not skip the check.
                low = lowered.get(key) if type(key) is str else None
                if low is None:
                    low = self._context_key(key)
                full[low] = value if type(value) is str else normalise_context_value(key, value)
        elif context:
            full.update(make_context(context))
        request = build_request(caller.principal, action, resource, full, resource_account)
        # The resource's account selects RCP levels only: without an organization it cannot change the set.
        owner = request.owning_account if self._org is not None else None
        # The last set this caller used, checked by identity before the full cache key is built.
        last = self._last_sets.get(id(caller))
        if (
            last is not None
            and last[0] is caller
            and last[1] == generation
            and last[2] is resource_policy
            and last[3] == owner
        ):
            compiled = last[4]
        else:
            compiled = self._policy_set(caller, resource_policy, owner, generation)
            if len(self._last_sets) > _CACHE_LIMIT:
                self._last_sets.clear()
            self._last_sets[id(caller)] = (caller, generation, resource_policy, owner, compiled)
        return compiled.evaluate(request, explain=explain)

    def _context_key(self, key: object) -> str:
        """``key`` lowercased, once checked to be a non-empty string (remembered for the next request)."""
        if not isinstance(key, str) or not key:
            raise UsageError(f"context key {key!r} is not a non-empty string")
        if len(self._context_keys) > _CACHE_LIMIT:
            self._context_keys.clear()
        low = key.lower()
        if type(key) is str:
            self._context_keys[key] = low
        return low

    def _caller_context(self, caller: Caller, now: datetime, generation: int) -> dict[str, ContextValue]:
        """The principal's and the caller's global keys at ``now`` (not to be mutated: callers copy it).

        Everything in it depends only on the caller, the current second and the
        stores (entity tags, organization): it is rebuilt when either changes.
        """
        second = self._second(now)
        cached = self._caller_contexts.get(id(caller))
        if cached is not None and cached[0] is caller and cached[1] == second and cached[2] == generation:
            return cached[3]
        context = caller.principal.context_entries()
        context.update(self._context_for(caller, now))
        if len(self._caller_contexts) > _CACHE_LIMIT:
            self._caller_contexts.clear()
        self._caller_contexts[id(caller)] = (caller, second, generation, context)
        return context

    # -------------------------------------------------------------- evaluation

    def _compile(self, policy: Policy) -> CompiledPolicy:
        entry = self._compiled.get(id(policy))
        if entry is not None and entry[0] is policy:
            return entry[1]
        compiled = compile_policy(policy)
        if len(self._compiled) > _CACHE_LIMIT:
            self._compiled.clear()
        self._compiled[id(policy)] = (policy, compiled)
        return compiled

    def _entity_tags(self, caller: Caller) -> tuple[tuple[str, str], ...]:
        account = caller.account
        if account is None or caller.entity_name is None or account not in self._stores:
            return ()
        store = self._stores[account]
        try:
            if caller.kind is CallerKind.ROLE_SESSION:
                return store.get_role(caller.entity_name).tags
            if caller.kind in (CallerKind.USER, CallerKind.SESSION_TOKEN, CallerKind.FEDERATED):
                return store.get_user(caller.entity_name).tags
        except NoSuchEntityError:
            return ()
        return ()

    def _context_for(self, caller: Caller, now: datetime) -> dict[str, ContextValue]:
        org_id = None
        if self._org is not None and caller.account is not None and self._org.has_account(caller.account):
            org_id = self._org.id
        return caller_context(caller, now, self._entity_tags(caller), org_id, now_text=self._iso(now))

    def _iso(self, now: datetime) -> str:
        """``iso8601(now)``, remembered for the current second (strftime is a visible cost per call)."""
        second = self._second(now)
        if self._iso_memo[0] != second:
            self._iso_memo = (second, iso8601(now))
        return self._iso_memo[1]

    def _second(self, now: datetime) -> int:
        """``epoch_second(now)``, remembered for the last ``now`` object (read twice per request)."""
        memo = self._second_memo
        if memo[0] is now:
            return memo[1]
        second = epoch_second(now)
        self._second_memo = (now, second)
        return second

    def _identity(self, caller: Caller) -> tuple[tuple[Policy, ...], Policy | None]:
        """The identity policies and boundary behind ``caller``, read live (§F.1 steps 4-5)."""
        account = caller.account
        name = caller.entity_name
        if account is None or name is None or account not in self._stores:
            return (), None
        store = self._stores[account]
        try:
            if caller.kind is CallerKind.ROLE_SESSION:
                role = store.get_role(name)
                if caller.entity_id is not None and role.role_id != caller.entity_id:
                    return (), None
                return store.role_identity_policies(role.name), store.boundary_policy(role.permissions_boundary)
            if caller.kind in (CallerKind.USER, CallerKind.SESSION_TOKEN, CallerKind.FEDERATED):
                user = store.get_user(name)
                if caller.entity_id is not None and user.user_id != caller.entity_id:
                    return (), None
                return store.user_identity_policies(user.name), store.boundary_policy(user.permissions_boundary)
        except NoSuchEntityError:
            return (), None
        return (), None

    def _policy_set(
        self, caller: Caller, resource_policy: Policy | None, resource_account: str | None, generation: int
    ) -> CompiledPolicySet:
        key = (
            caller.kind,
            caller.principal.arn,
            caller.entity_id,
            caller.session_policies,
            caller.account,
            id(resource_policy),
            resource_account,
            generation,
        )
        cached = self._sets.get(key)
        if cached is not None and cached[0] is resource_policy:
            return cached[1]
        identity, boundary = self._identity(caller)
        if caller.kind is CallerKind.FEDERATED and caller.entity_name is None and caller.account is not None:
            # A root user's federated session: the root user's own permissions are everything.
            identity = (self._parse(_ALLOW_ALL, PolicyKind.IDENTITY, "root"),)
        session = None
        if caller.session_policies is not None:
            session = tuple(self._parse(text, PolicyKind.SESSION, name) for name, text in caller.session_policies)
        scp_levels: tuple[tuple[Policy, ...], ...] = ()
        rcp_levels: tuple[tuple[Policy, ...], ...] = ()
        if self._org is not None:
            if caller.account is not None:
                scp_levels = self._org.levels(caller.account, PolicyType.SCP)
            if resource_account is not None:
                rcp_levels = self._org.levels(resource_account, PolicyType.RCP)
        policy_set = PolicySet(
            identity=identity,
            resource=resource_policy,
            boundary=boundary,
            session=session,
            scp_levels=scp_levels,
            rcp_levels=rcp_levels,
        )
        compiled = compile_policy_set(policy_set, compiler=self._compile)
        if len(self._sets) > _CACHE_LIMIT:
            self._sets.clear()
        self._sets[key] = (resource_policy, compiled)
        return compiled

    def _parse(self, text: str, kind: PolicyKind, name: str) -> Policy:
        key = f"{kind.value}\0{name}\0{text}"
        policy = self._parsed_resource.get(key)
        if policy is None:
            policy = parse_policy(text, kind, name=name, check_size=False)
            if len(self._parsed_resource) > _CACHE_LIMIT:
                self._parsed_resource.clear()
            self._parsed_resource[key] = policy
        return policy

    def _resource_policy(self, policy: Document | Policy | None) -> Policy | None:
        if policy is None or isinstance(policy, Policy):
            return policy
        return self._parse(document_text(policy), PolicyKind.RESOURCE, "resource policy")

    # ---------------------------------------------------------- authentication

    def _caller(self, who: Who, now: datetime | None = None) -> Caller:
        """Authenticate ``who`` (credentials are checked: expiry, state, tampering) at ``now`` (default: the clock)."""
        # The request's second, remembered for this ``now``: the caller's context reads it again.
        second = None if now is None else self._second(now)
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
            return self._caller_for_principal(who)
        raise UsageError(f"cannot make requests as a {type(who).__name__}")

    def _caller_for_principal(self, principal: Principal) -> Caller:
        account = principal.account
        store = self._stores.get(account) if account is not None else None
        kind = principal.type
        if kind is PrincipalType.ACCOUNT:
            return Caller(CallerKind.ROOT, principal)
        if kind is PrincipalType.SERVICE:
            return Caller(CallerKind.SERVICE, principal)
        if kind is PrincipalType.WEB_IDENTITY:
            return Caller(CallerKind.WEB_IDENTITY, principal)
        if kind is PrincipalType.ANONYMOUS:
            return Caller(CallerKind.ANONYMOUS, principal)
        if kind is PrincipalType.USER:
            name = principal.username or principal.arn.rsplit("/", 1)[-1]
            if store is not None and account is not None:
                try:
                    principal = self._sts.user_principal(account, name)
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
                    role = store.get_role(role_name)
                    principal = self._sts.role_session_principal(
                        account, role, principal.session_name, provider=principal.federated_provider
                    )
                    return Caller(CallerKind.ROLE_SESSION, principal, entity_name=role.name, entity_id=role.role_id)
                except NoSuchEntityError:
                    pass
            return Caller(CallerKind.ROLE_SESSION, principal, entity_name=role_name, entity_id=principal.unique_id)
        # Federated user: permissions of the user who federated, no session policy.
        source = (principal.source_user_arn or "").rsplit("/", 1)[-1] or None
        return Caller(CallerKind.FEDERATED, principal, entity_name=source)
