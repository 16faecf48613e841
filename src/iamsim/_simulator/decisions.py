"""Evaluation of requests against the world, and the caches that make it fast (one of the simulator's parts).

:class:`Decisions` reads the world's state live (identity policies, boundaries,
organization policies, entity tags) and keeps every derived value it can reuse:
parsed and compiled policies, policy sets per caller, trust policies rebound to
unique ids, a caller's global context keys per second. Each cache is keyed by
the state's generation, so a change anywhere in the world invalidates it; none
of them is part of a snapshot. The simulator's lock is held by the callers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from iamsim._clock import epoch_second
from iamsim._engine.compiled import CompiledPolicy, CompiledPolicySet, compile_policy, compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import ContextValue, Request, build_request
from iamsim._engine.request_builder import ContextKeys
from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._simulator.context import caller_context, iso8601
from iamsim._simulator.state import WorldState
from iamsim._store.account import Document, document_text
from iamsim._store.organization import PolicyType
from iamsim._store.trust import rebind
from iamsim._sts.caller import Caller, CallerKind
from iamsim.errors import NoSuchEntityError

__all__ = ["Decisions"]

_ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
_CACHE_LIMIT = 4096


#: A remembered trust check: caller, caller context, resource policy, keys read, decisions by relevant entries.
_AllowedEntry = tuple[Caller, dict[str, ContextValue], Policy | None, frozenset[str], dict[tuple[str, ...], bool]]


class Decisions:
    """Evaluate requests of authenticated callers with every policy that applies (§F), caching what repeats."""

    def __init__(self, state: WorldState) -> None:
        self._state = state
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
        self._context_keys = ContextKeys()
        #: Per (caller id, action, resource, resource policy id, resource account): the caller, its context
        #: dict and the policy the entry holds for, the context keys the decision reads, and per tuple of the
        #: request's entries under those keys the decision (see :meth:`allowed_checked`).
        self._allowed: dict[tuple[Any, ...], _AllowedEntry] = {}

    def clear(self) -> None:
        """Forget every cached value (after the state was replaced wholesale, as by a snapshot restore)."""
        for cache in (self._sets, self._compiled, self._trust, self._parsed_resource):
            cache.clear()
        self._caller_contexts.clear()
        self._last_sets.clear()
        self._allowed.clear()

    def trust_policy(self, account_id: str, role_name: str) -> Policy:
        """The role's trust policy with stale principals rebound to their old unique ids (§A.3)."""
        store = self._state.store(account_id)
        role = store.roles.get_role(role_name)
        key = (account_id, role.name, self._state.generation())
        policy = self._trust.get(key)
        if policy is None:
            policy = rebind(
                store.roles.role_trust_policy(role.name), role.trust_bindings, self._state.resolve_principal
            )
            if len(self._trust) > _CACHE_LIMIT:
                self._trust.clear()
            self._trust[key] = policy
        return policy

    def evaluate_checked(
        self,
        caller: Caller,
        action: str,
        resource: str,
        context: Mapping[str, object] | None,
        resource_policy: Policy | None,
        resource_account: str | None,
        explain: bool,
        now: datetime,
    ) -> EvaluationResult:
        """Evaluate one request of ``caller`` at ``now`` (§F); the caller holds the lock and has checked ``action``."""
        compiled, request = self._prepared(caller, action, resource, context, resource_policy, resource_account, now)
        return compiled.evaluate(request, explain=explain)

    def allowed_checked(
        self,
        caller: Caller,
        action: str,
        resource: str,
        context: Mapping[str, object] | None,
        resource_policy: Policy | None,
        resource_account: str | None,
        now: datetime,
    ) -> bool:
        """Whether :meth:`evaluate_checked`'s decision is an allow (no result built: a check that passes needs none).

        Remembered for requests that differ only in context keys no candidate statement reads (an
        AssumeRole's new session name, when the trust and identity policies never test it): the entry
        holds while the caller, the caller's context (rebuilt each second and on any change to the
        world) and the resource policy are the very objects it was made for, and the request's own
        context entries under the keys the candidates read (condition keys, policy variables) are the
        same. Only a plain ``dict`` of ``str`` values takes it: anything else is normalised, or refused,
        by the full path.
        """
        base = self.caller_context(caller, now, self._state.generation())
        memo_key = (id(caller), action, resource, id(resource_policy), resource_account)
        entry = self._allowed.get(memo_key)
        read = None
        if entry is not None and entry[0] is caller and entry[1] is base and entry[2] is resource_policy:
            read = entry[3]
            relevant = self._relevant(context, read)
            if relevant is not None:
                found = entry[4].get(relevant)
                if found is not None:
                    return found
        compiled, request = self._prepared(caller, action, resource, context, resource_policy, resource_account, now)
        allowed = compiled.is_allowed(request)
        if read is None:
            # The statements that can decide this action on this resource, and every key they read; the
            # sets that drop RCPs or SCPs for some requests hold a subset of these statements.
            read = frozenset(compiled.candidates_for(action.lower(), resource).context_keys)
            if len(self._allowed) > _CACHE_LIMIT:
                self._allowed.clear()
            entry = self._allowed[memo_key] = (caller, base, resource_policy, read, {})
        relevant = self._relevant(context, read)
        if relevant is not None and entry is not None:
            entry[4][relevant] = allowed
        return allowed

    @staticmethod
    def _relevant(context: Mapping[str, object] | None, read: frozenset[str]) -> tuple[str, ...] | None:
        """The request context's entries under the keys in ``read`` (key, value, ...), ``None`` unless plain.

        Plain: a ``dict`` of non-empty exact ``str`` keys (the only keys the full path accepts without
        normalising) and exact ``str`` values; anything else, even merely equal, takes the full path.
        """
        if context is None:
            return ()
        if type(context) is not dict:
            return None
        relevant: list[str] = []
        for name, value in context.items():
            if type(name) is not str or not name or type(value) is not str:
                return None
            if read and (low := name.lower()) in read:
                relevant += (low, value)
        return tuple(relevant)

    def _prepared(
        self,
        caller: Caller,
        action: str,
        resource: str,
        context: Mapping[str, object] | None,
        resource_policy: Policy | None,
        resource_account: str | None,
        now: datetime,
    ) -> tuple[CompiledPolicySet, Request]:
        """The policy set that decides ``caller``'s request at ``now``, and the request."""
        generation = self._state.generation()
        # The derived keys are built lowercased and normalised already; only the
        # caller's extra keys go through make_context (Request.create would redo all).
        full = dict(self.caller_context(caller, now, generation))
        self._context_keys.merge(full, context)
        request = build_request(caller.principal, action, resource, full, resource_account)
        # The resource's account selects RCP levels only: without an organization it cannot change the set.
        owner = request.owning_account if self._state.org is not None else None
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
            compiled = self.policy_set(caller, resource_policy, owner, generation)
            if len(self._last_sets) > _CACHE_LIMIT:
                self._last_sets.clear()
            self._last_sets[id(caller)] = (caller, generation, resource_policy, owner, compiled)
        return compiled, request

    def caller_context(self, caller: Caller, now: datetime, generation: int) -> dict[str, ContextValue]:
        """The principal's and the caller's global keys at ``now`` (not to be mutated: callers copy it).

        Everything in it depends only on the caller, the current second and the
        stores (entity tags, organization): it is rebuilt when either changes.
        """
        second = self.second(now)
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
        if account is None or caller.entity_name is None or account not in self._state.stores:
            return ()
        store = self._state.stores[account]
        try:
            if caller.kind is CallerKind.ROLE_SESSION:
                return store.roles.get_role(caller.entity_name).tags
            if caller.kind in (CallerKind.USER, CallerKind.SESSION_TOKEN, CallerKind.FEDERATED):
                return store.users.get_user(caller.entity_name).tags
        except NoSuchEntityError:
            return ()
        return ()

    def _context_for(self, caller: Caller, now: datetime) -> dict[str, ContextValue]:
        org_id = None
        if self._state.org is not None and caller.account is not None and self._state.org.has_account(caller.account):
            org_id = self._state.org.id
        return caller_context(caller, now, self._entity_tags(caller), org_id, now_text=self._iso(now))

    def _iso(self, now: datetime) -> str:
        """``iso8601(now)``, remembered for the current second (strftime is a visible cost per call)."""
        second = self.second(now)
        if self._iso_memo[0] != second:
            self._iso_memo = (second, iso8601(now))
        return self._iso_memo[1]

    def second(self, now: datetime) -> int:
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
        if account is None or name is None or account not in self._state.stores:
            return (), None
        store = self._state.stores[account]
        try:
            if caller.kind is CallerKind.ROLE_SESSION:
                role = store.roles.get_role(name)
                if caller.entity_id is not None and role.role_id != caller.entity_id:
                    return (), None
                return store.policies.role_identity_policies(role.name), store.policies.boundary_policy(
                    role.permissions_boundary
                )
            if caller.kind in (CallerKind.USER, CallerKind.SESSION_TOKEN, CallerKind.FEDERATED):
                user = store.users.get_user(name)
                if caller.entity_id is not None and user.user_id != caller.entity_id:
                    return (), None
                return store.policies.user_identity_policies(user.name), store.policies.boundary_policy(
                    user.permissions_boundary
                )
        except NoSuchEntityError:
            return (), None
        return (), None

    def policy_set(
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
        compiled = compile_policy_set(
            self.plain_policy_set(caller, resource_policy, resource_account), compiler=self._compile
        )
        if len(self._sets) > _CACHE_LIMIT:
            self._sets.clear()
        self._sets[key] = (resource_policy, compiled)
        return compiled

    def plain_policy_set(
        self, caller: Caller, resource_policy: Policy | None, resource_account: str | None
    ) -> PolicySet:
        """The policies :meth:`policy_set` compiles, not compiled (what the matrix sends to worker processes)."""
        identity, boundary = self._identity(caller)
        if caller.kind is CallerKind.FEDERATED and caller.entity_name is None and caller.account is not None:
            # A root user's federated session: the root user's own permissions are everything.
            identity = (self._parse(_ALLOW_ALL, PolicyKind.IDENTITY, "root"),)
        session = None
        if caller.session_policies is not None:
            session = tuple(self._parse(text, PolicyKind.SESSION, name) for name, text in caller.session_policies)
        scp_levels: tuple[tuple[Policy, ...], ...] = ()
        rcp_levels: tuple[tuple[Policy, ...], ...] = ()
        if self._state.org is not None:
            if caller.account is not None:
                scp_levels = self._state.org.levels(caller.account, PolicyType.SCP)
            if resource_account is not None:
                rcp_levels = self._state.org.levels(resource_account, PolicyType.RCP)
        return PolicySet(
            identity=identity,
            resource=resource_policy,
            boundary=boundary,
            session=session,
            scp_levels=scp_levels,
            rcp_levels=rcp_levels,
        )

    def _parse(self, text: str, kind: PolicyKind, name: str) -> Policy:
        key = f"{kind.value}\0{name}\0{text}"
        policy = self._parsed_resource.get(key)
        if policy is None:
            policy = parse_policy(text, kind, name=name, check_size=False)
            if len(self._parsed_resource) > _CACHE_LIMIT:
                self._parsed_resource.clear()
            self._parsed_resource[key] = policy
        return policy

    def resource_policy(self, policy: Document | Policy | None) -> Policy | None:
        if policy is None or isinstance(policy, Policy):
            return policy
        return self._parse(document_text(policy), PolicyKind.RESOURCE, "resource policy")
