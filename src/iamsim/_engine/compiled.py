"""The compiled fast path: policy sets compiled once, requests answered from an action index.

:func:`compile_policy` turns a :class:`~iamsim._policy.model.Policy` into a
:class:`CompiledPolicy` that depends only on the policy's content, so a cache
(keyed per principal and store generation in the world layer) can reuse it
across sets. :func:`compile_policy_set` places compiled policies in their
slots and files every statement in an :class:`~iamsim._engine.action_index.ActionIndex`.

Two bounded caches sit on top of the index (docs/performance.md):

* the index's own, per ``(action, resource service)``: the candidates whose
  action test passed, split into Deny and Allow, with the context keys they can read;
* a decision memo keyed on everything a decision depends on: the action (as
  written), the resource and its stated account, the caller (only its type
  and account unless some statement has a ``Principal``/``NotPrincipal``),
  then the values of just the context keys that pair's candidates read. A
  hit returns the remembered :class:`EvaluationResult` when the request is
  the very object it was built for (results are immutable), else the same
  fields for the new request.

Both are exact (never a different answer) and cleared wholesale when full.

:meth:`CompiledPolicySet.evaluate` implements docs/evaluation.md and the
:mod:`~iamsim._engine.result` contract; ``explain=True`` walks every
statement of every policy instead of the index and records a trace
(:mod:`~iamsim._engine.tracing`). Both give the same result apart from
``explanation``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from iamsim._engine.action_index import ActionIndex, Candidate, Candidates
from iamsim._engine.collector import collector_paused
from iamsim._engine.combining import (
    BOUNDARY_BIT,
    IDENTITY_BIT,
    RESOURCE_BIT,
    SCP_SCOPE,
    SESSION_BIT,
    SetShape,
    decide,
    is_kms_key_request,
    level_bit,
)
from iamsim._engine.policy_set import PolicySet, PolicySlot
from iamsim._engine.principals import Naming
from iamsim._engine.request import ContextValue, Principal, Request, is_cross_account
from iamsim._engine.request_values import RequestValues
from iamsim._engine.result import (
    Decision,
    EvaluationResult,
    Explanation,
    KeyPolicy,
    PolicyTrace,
    StandingRule,
    StatementRef,
    StatementTrace,
    build_result,
    build_statement_ref,
)
from iamsim._engine.standing_rules import RULED_ACTIONS, standing_rule
from iamsim._engine.statements import CompiledStatement, SharedParts, compile_statement
from iamsim._engine.tracing import decision_steps, trace_statement
from iamsim._policy.kinds import PRINCIPAL_FORBIDDEN
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.rcp_services import rcps_apply_to

__all__ = [
    "DEFAULT_MEMO_SIZE",
    "CompiledPolicy",
    "CompiledPolicySet",
    "compile_policy",
    "compile_policy_set",
]

#: What a memo entry holds: the result's fields that do not depend on the request object.
_Outcome = tuple[
    Decision, tuple[StatementRef, ...], PolicyKind | None, tuple[str, ...], StandingRule | None, KeyPolicy | None
]

#: Default bound of the decision memo (entries); ``memo_size=0`` turns it off.
DEFAULT_MEMO_SIZE = 65_536


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    """A policy compiled once; reusable in any number of :class:`CompiledPolicySet`.

    It holds no slot or display name: those belong to the set that uses it.
    """

    kind: PolicyKind
    version: str | None
    statements: tuple[CompiledStatement, ...]


def compile_policy(policy: Policy, shared: SharedParts | None = None) -> CompiledPolicy:
    """Compile every statement of ``policy`` (its kind and Version shape resources and variables).

    ``shared`` holds compiled parts to reuse (a set compiling several policies passes one for all).
    """
    if shared is None:
        shared = SharedParts()
    statements = tuple(compile_statement(statement, policy, shared) for statement in policy.statements)
    return CompiledPolicy(policy.kind, policy.version, statements)


@dataclass(frozen=True, slots=True)
class _Placed:
    """A compiled policy in its slot, with one ref and ordinal per statement."""

    slot: PolicySlot
    policy: Policy
    compiled: CompiledPolicy
    bit: int
    refs: tuple[StatementRef, ...]
    ordinals: tuple[int, ...]


def _slot_bit(slot: PolicySlot, scp_levels: int) -> int:
    kind = slot.kind
    if kind is PolicyKind.SCP:
        return level_bit(slot.level)
    if kind is PolicyKind.RCP:
        return level_bit(scp_levels + slot.level)
    if kind in (PolicyKind.RESOURCE, PolicyKind.TRUST):
        return RESOURCE_BIT
    if kind is PolicyKind.IDENTITY:
        return IDENTITY_BIT
    if kind is PolicyKind.BOUNDARY:
        return BOUNDARY_BIT
    return SESSION_BIT


# Module-level aliases of the enum members the per-request code reads: a global lookup costs
# a fraction of reading a member through its enum class.
_ALLOWED_DECISION = Decision.ALLOWED
_EXPLICIT_DENY_DECISION = Decision.EXPLICIT_DENY
_ACCOUNT_NAMING = Naming.ACCOUNT
_NONE_NAMING = Naming.NONE
_GIVEN_KEY_POLICY = KeyPolicy.GIVEN
_DEFAULT_KEY_POLICY = KeyPolicy.DEFAULT


def _missing_keys(spellings: list[str]) -> tuple[str, ...]:
    """Deduplicate case-insensitively, keep the smallest spelling, sort by casefold."""
    best: dict[str, str] = {}
    for spelling in spellings:
        folded = spelling.casefold()
        seen = best.get(folded)
        if seen is None or spelling < seen:
            best[folded] = spelling
    return tuple(best[folded] for folded in sorted(best))


def _refs(matched: list[tuple[int, StatementRef]]) -> tuple[StatementRef, ...]:
    if len(matched) == 1:
        # The usual case on the fast path: no sort, and no generator to build a one-element tuple.
        return (matched[0][1],)
    matched.sort(key=_ordinal)
    return tuple([ref for _, ref in matched])


def _ordinal(item: tuple[int, StatementRef]) -> int:
    return item[0]


class CompiledPolicySet:
    """A :class:`~iamsim._engine.policy_set.PolicySet` compiled and indexed by action.

    Its policies and index are fixed at construction (build it with
    :func:`compile_policy_set`); only its exact, bounded caches change.
    """

    __slots__ = (
        "_decisions",
        "_index",
        "_memo",
        "_memo_entries",
        "_memo_size",
        "_names_principals",
        "_placed",
        "_rcp_free",
        "_scp_free",
        "_shape",
        "_values",
        "policies",
        "use_index",
    )

    policies: PolicySet
    use_index: bool
    #: The combining rule's answers by their facts (at most a few hundred: the facts take few values).
    _decisions: dict[tuple[object, ...], tuple[Decision, PolicyKind | None]]
    _index: ActionIndex
    _memo: dict[tuple[object, ...], tuple[Candidates, dict[tuple[ContextValue | None, ...], EvaluationResult]]]
    _memo_entries: int
    _memo_size: int
    _names_principals: bool
    _shape: SetShape
    _placed: tuple[_Placed, ...]
    _rcp_free: Callable[[], CompiledPolicySet] | None
    _scp_free: Callable[[], CompiledPolicySet] | None
    _values: RequestValues

    def __init__(
        self,
        policies: PolicySet,
        compiled: Callable[[Policy], CompiledPolicy] = compile_policy,
        *,
        use_index: bool = True,
        memo_size: int = DEFAULT_MEMO_SIZE,
    ) -> None:
        """Place and index ``policies``, compiling each with ``compiled`` (a cache may stand in).

        ``memo_size`` bounds the decision memo (0: no memo).
        """
        scp_levels = len(policies.scp_levels)
        scp_mask = 0
        for level in range(scp_levels):
            scp_mask |= level_bit(level)
        rcp_mask = 0
        for level in range(len(policies.rcp_levels)):
            rcp_mask |= level_bit(scp_levels + level)
        self.policies = policies
        self.use_index = use_index
        self._shape = SetShape(
            resource_kind=policies.resource_slot_kind,
            has_boundary=policies.boundary is not None,
            session_passed=policies.session is not None,
            scp_mask=scp_mask,
            rcp_mask=rcp_mask,
            has_resource_policy=policies.resource is not None,
        )
        placed: list[_Placed] = []
        ordinal = 0
        # With the default compiler every policy of the set shares one pool of compiled parts: policies
        # repeat patterns, and each part not built again is objects fewer for the garbage collector.
        shared = SharedParts() if compiled is compile_policy else None
        for slot, policy in policies.slots():
            compiled_policy = compiled(policy) if shared is None else compile_policy(policy, shared)
            refs = tuple(
                [
                    build_statement_ref(
                        slot.kind, slot.level, slot.position, s.source.index, policy.name, s.source.sid, s.source.effect
                    )
                    for s in compiled_policy.statements
                ]
            )
            ordinals = tuple(range(ordinal, ordinal + len(refs)))
            ordinal += len(refs)
            placed.append(_Placed(slot, policy, compiled_policy, _slot_bit(slot, scp_levels), refs, ordinals))
        self._placed = tuple(placed)
        # Read from the source statements: reading a compiled statement's ``principal`` would build its matchers.
        # Kinds that forbid the elements (checked by the parser) are skipped: most statements are of those.
        self._names_principals = any(
            statement.source.principal is not None or statement.source.not_principal is not None
            for item in placed
            if item.compiled.kind not in PRINCIPAL_FORBIDDEN
            for statement in item.compiled.statements
        )
        self._memo_size = max(0, memo_size)
        self._decisions = {}
        self._memo = {}
        self._memo_entries = 0
        self._values = RequestValues()
        self._rcp_free = None
        if policies.rcp_levels:
            self._rcp_free = _lazy_set(replace(policies, rcp_levels=()), compiled, use_index, memo_size)
        self._scp_free = None
        if policies.scp_levels:
            self._scp_free = _lazy_set(replace(policies, scp_levels=()), compiled, use_index, memo_size)
        self._index = ActionIndex(
            (
                (statement, item.bit, ordinal, ref)
                for item in placed
                for statement, ref, ordinal in zip(item.compiled.statements, item.refs, item.ordinals, strict=True)
            ),
            use_index=use_index,
        )

    @property
    def identity_only(self) -> bool:
        """Whether the set holds identity policies alone (no resource policy, boundary, session policy, SCP, RCP).

        The public API's direct path (:mod:`~iamsim._engine.call_path`) serves only such sets.
        """
        policies = self.policies
        return (
            policies.resource is None
            and policies.boundary is None
            and policies.session is None
            and not policies.scp_levels
            and not policies.rcp_levels
            and not self._names_principals
        )

    def candidates_for(self, action: str, resource: str) -> Candidates:
        """The index's candidates for lowercased ``action`` on ``resource`` (their action tests passed)."""
        return self._index.for_call(action, resource)

    def clear_caches(self) -> None:
        """Forget every cached candidate list and decision (the next requests take the cold path)."""
        self._index.clear_cache()
        self._memo = {}
        self._memo_entries = 0

    def candidates(self, action: str, resource: str = "*") -> tuple[StatementRef, ...]:
        """The statements the index offers for ``action`` on ``resource``, in canonical order (tests, tooling).

        A service's wildcard statements are all offered here; the cold path also skips those filed under
        another first name character, whose action test cannot pass.
        """
        found = {ordinal: ref for _, _, ordinal, ref in self._index.offered(action.lower(), resource)}
        return tuple(found[ordinal] for ordinal in sorted(found))

    def _remembered(self, request: Request) -> EvaluationResult:
        """The result of the first request the memo saw that decides like ``request`` (maybe ``request`` itself).

        The memo is two-level: per ``(action as written, resource, resource
        account, caller)`` the context keys its candidates read and, per
        tuple of those keys' values, the result. A hit costs two dict lookups;
        the caller rebuilds the result for ``request`` when it is another object.
        """
        principal = request.principal
        # Without Principal elements only the caller's type and account reach the decision (combining,
        # cross-account); everything else it contributes is in the context.
        if self._names_principals:
            pair: tuple[object, ...] = (request.action, request.resource, request.resource_account, principal)
        else:
            pair = (request.action, request.resource, request.resource_account, principal.type, principal.account)
        entry = self._memo.get(pair)
        if entry is None:
            action = request.action.lower()
            index = self._index
            candidates = index.candidates(action, index.resource_key(request.resource))
            entry = (candidates, {})
            if self._memo_entries >= self._memo_size:
                self._memo = {}
                self._memo_entries = 0
            self._memo[pair] = entry
        candidates, outcomes = entry
        keys = candidates.context_keys
        values = tuple(map(request.context.get, keys)) if keys else ()
        found = outcomes.get(values)
        if found is None:
            decision, determining, denied_by, missing, rule, key_policy = self._decide(
                request, request.action.lower(), candidates
            )
            found = build_result(decision, request, determining, denied_by, missing, rule, key_policy)
            outcomes[values] = found
            self._memo_entries += 1
        return found

    def evaluate(self, request: Request, *, explain: bool = False) -> EvaluationResult:
        """Decide ``request`` (docs/evaluation.md); ``explain`` adds a per-statement trace."""
        if self._rcp_free is not None and not rcps_apply_to(request.action):
            # RCPs govern only the resources of the services that support them (spec §F.5).
            return self._rcp_free().evaluate(request, explain=explain)
        if self._scp_free is not None and request.principal.type not in SCP_SCOPE:
            # SCPs limit only the principals of member accounts (spec §F.5).
            return self._scp_free().evaluate(request, explain=explain)
        if explain:
            return self._explain(request)
        if self._memo_size:
            found = self._remembered(request)
            if found.request is request:
                # The same request object asked again: its result is immutable, so it is the answer.
                return found
            return build_result(
                found.decision,
                request,
                found.determining,
                found.denied_by,
                found.missing_context_keys,
                found.rule,
                found.key_policy,
            )
        action = request.action.lower()
        index = self._index
        outcome = self._decide(request, action, index.candidates(action, index.resource_key(request.resource)))
        return build_result(outcome[0], request, outcome[1], outcome[2], outcome[3], outcome[4], outcome[5])

    def is_allowed(self, request: Request) -> bool:
        """Whether ``request`` is allowed (the decision of :meth:`evaluate`, without building a result)."""
        if self._rcp_free is not None and not rcps_apply_to(request.action):
            return self._rcp_free().is_allowed(request)
        if self._scp_free is not None and request.principal.type not in SCP_SCOPE:
            return self._scp_free().is_allowed(request)
        if self._memo_size:
            return self._remembered(request).decision is _ALLOWED_DECISION
        action = request.action.lower()
        index = self._index
        candidates = index.candidates(action, index.resource_key(request.resource))
        return self._decide(request, action, candidates)[0] is _ALLOWED_DECISION

    def _decide(self, request: Request, action: str, candidates: Candidates) -> _Outcome:
        """Match ``candidates`` (their action tests passed) against ``request`` and combine."""
        return self.decide_call(
            request.principal, action, request.resource, request.context, request.resource_account, candidates
        )

    def decide_call(
        self,
        principal: Principal,
        action: str,
        resource: str,
        context: Mapping[str, ContextValue],
        resource_account: str | None,
        candidates: Candidates,
    ) -> _Outcome:
        """The outcome for a request given by its parts (``action`` lowercased), no :class:`Request` needed.

        ``candidates`` are the index's for the action (their action tests passed); ``context`` must hold
        at least the keys they read (``candidates.context_keys``), lowercased, as a request's would.
        """
        has_boundary = self._shape.has_boundary
        denies: list[tuple[int, StatementRef]] = []
        allows: list[tuple[int, StatementRef]] = []
        missing: list[str] = []
        allow_mask = 0
        naming = _NONE_NAMING
        # Short lists are not filed by head: their two sides are the answer, no call needed.
        if candidates.by_head is None:
            sides = (candidates.denies, candidates.allows)
        else:
            sides = candidates.for_resource(resource)
        for side in sides:
            for statement, bit, ordinal, ref in side:
                resource_test = statement.resource_test
                if resource_test is not None:
                    if not resource_test(resource):
                        continue
                elif statement.resource is not None and not statement.resource.matches(resource, context):
                    continue
                if statement.principal is None:
                    named = _ACCOUNT_NAMING
                else:
                    named = statement.naming(principal, has_boundary=has_boundary)
                    if not named:
                        continue
                for key, written in statement.missing_keys:
                    if key not in context:
                        missing.append(written)
                # The set's parsed values: a text recurring across requests (an address, a time) is read once.
                if statement.conditions and not statement.conditions_hold(context, self._values):
                    continue
                if statement.deny:
                    denies.append((ordinal, ref))
                    continue
                allows.append((ordinal, ref))
                allow_mask |= bit
                if bit == RESOURCE_BIT and named > naming:
                    naming = named
        return self._outcome(principal, action, resource, resource_account, denies, allows, allow_mask, naming, missing)

    def _outcome(
        self,
        principal: Principal,
        action: str,
        resource: str,
        resource_account: str | None,
        denies: list[tuple[int, StatementRef]],
        allows: list[tuple[int, StatementRef]],
        allow_mask: int,
        naming: Naming,
        missing: list[str],
    ) -> _Outcome:
        # Standing rules come first and whatever the policies say (docs/evaluation.md "Standing rules").
        # Membership first: most actions have no rule, and a set lookup costs less than the call.
        if action in RULED_ACTIONS:
            rule = standing_rule(action, resource)
            if rule is not None:
                return rule.decision, (), None, (), rule, None
        key_policy = None
        key_request = action.startswith("kms:") and is_kms_key_request(action, resource)
        if key_request:
            key_policy = _GIVEN_KEY_POLICY if self._shape.has_resource_policy else _DEFAULT_KEY_POLICY
        deny_kind = min(denies)[1].kind if denies else None
        account = principal.account
        cross = deny_kind is None and account is not None and is_cross_account(resource, resource_account, account)
        # ``decide`` reads of the principal only its type and whether it has an account: a few facts, few rows.
        facts = (principal.type, account is None, cross, deny_kind, allow_mask, naming, key_request)
        found = self._decisions.get(facts)
        if found is None:
            found = self._decisions[facts] = decide(
                self._shape,
                principal,
                cross_account=cross,
                deny_kind=deny_kind,
                allow_mask=allow_mask,
                naming=naming,
                key_request=key_request,
            )
        decision, denied_by = found
        if decision is _EXPLICIT_DENY_DECISION:
            determining = _refs(denies)
        elif decision is _ALLOWED_DECISION:
            determining = _refs(allows)
        else:
            determining = ()
        return decision, determining, denied_by, _missing_keys(missing) if missing else (), None, key_policy

    def _explain(self, request: Request) -> EvaluationResult:
        """Trace every statement of every policy, then decide from those that reach the caller.

        The decision itself is :meth:`_decide`'s, over the statements whose action, resource and principal
        match (it tests their conditions again and notes the context keys they miss), so an explained
        result can only differ from an unexplained one by its ``explanation``.
        """
        action = request.action.lower()
        principal = request.principal
        resource = request.resource
        context = request.context
        has_boundary = self._shape.has_boundary
        reached: tuple[list[Candidate], list[Candidate]] = ([], [])
        policy_traces: list[PolicyTrace] = []
        values = self._values
        for placed in self._placed:
            traces: list[StatementTrace] = []
            for statement, ref, ordinal in zip(placed.compiled.statements, placed.refs, placed.ordinals, strict=True):
                outcome, named, trace = trace_statement(
                    statement, action, resource, principal, context, values, has_boundary=has_boundary
                )
                traces.append(StatementTrace(ref, outcome, trace))
                if named is not _NONE_NAMING:
                    reached[0 if statement.deny else 1].append((statement, placed.bit, ordinal, ref))
            slot = placed.slot
            policy_traces.append(PolicyTrace(slot.kind, slot.level, slot.position, placed.policy.name, tuple(traces)))
        decision, determining, denied_by, missing_keys, rule, key_policy = self._decide(
            request, action, Candidates(tuple(reached[0]), tuple(reached[1]), ())
        )
        steps = decision_steps(decision, denied_by, determining, rule, key_policy)
        explanation = Explanation(tuple(policy_traces), steps)
        return EvaluationResult(
            decision, request, determining, denied_by, missing_keys, explanation, rule=rule, key_policy=key_policy
        )


def _lazy_set(
    policies: PolicySet, compiled: Callable[[Policy], CompiledPolicy], use_index: bool, memo_size: int
) -> Callable[[], CompiledPolicySet]:
    """A factory that compiles ``policies`` on first use and then returns the same set."""
    built: list[CompiledPolicySet] = []

    def get() -> CompiledPolicySet:
        if not built:
            with collector_paused():
                built.append(CompiledPolicySet(policies, compiled, use_index=use_index, memo_size=memo_size))
        return built[0]

    return get


def compile_policy_set(
    policies: PolicySet,
    *,
    use_index: bool = True,
    compiler: Callable[[Policy], CompiledPolicy] = compile_policy,
    memo_size: int = DEFAULT_MEMO_SIZE,
) -> CompiledPolicySet:
    """Compile ``policies`` for evaluation.

    ``compiler`` compiles one policy; pass a caching wrapper around
    :func:`compile_policy` to reuse compiled policies across sets.
    ``use_index=False`` makes every statement a candidate for every action.
    ``memo_size`` bounds the exact decision memo (0 turns it off).
    """
    with collector_paused():
        return CompiledPolicySet(policies, compiler, use_index=use_index, memo_size=memo_size)
