"""The compiled fast path: policy sets compiled once, requests answered from an action index.

:func:`compile_policy` turns a :class:`~iamsim._policy.model.Policy` into a
:class:`CompiledPolicy` that depends only on the policy's content, so a cache
(keyed per principal and store generation in the world layer) can reuse it
across sets. :func:`compile_policy_set` places compiled policies in their
slots and files every statement in an action index:

* exact lowercase action names in a dict;
* wildcard actions under their service prefix (``s3:Get*`` under ``s3``),
  and again under their head (``s3:g``) when every pattern the statement has
  in that service starts its name with a literal, so the cold path tests only
  the statements whose patterns start like the action's name;
* ``*``, wildcards in the service prefix and ``NotAction`` statements in an
  always-candidate list, itself split by the ARN service its ``Resource``
  patterns fix (``arn:aws:s3:::b/*`` only matches ``s3`` resources) so that
  ``Action: *`` statements do not all become candidates of every request.

With ``use_index=False`` every statement is an always-candidate: the
differential tests compare both modes. Each index entry is a pair
``((statement, allow bit, canonical ordinal, ref), needs action test)``.

Two bounded caches sit on top of the index (docs/performance.md):

* per ``(action, resource service)``, the candidates whose action test
  passed, split into Deny and Allow, with the context keys they can read;
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
statement of every policy instead of the index and records a trace. Both give
the same result apart from ``explanation``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

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
from iamsim._engine.request import ContextValue, Principal, Request
from iamsim._engine.request_values import RequestValues
from iamsim._engine.resources import resource_service
from iamsim._engine.result import (
    ConditionTrace,
    Decision,
    EvaluationResult,
    Explanation,
    KeyPolicy,
    PolicyTrace,
    StandingRule,
    StatementOutcome,
    StatementRef,
    StatementTrace,
    build_result,
    build_statement_ref,
)
from iamsim._engine.standing_rules import standing_rule
from iamsim._engine.statements import CompiledStatement, SharedParts, compile_statement
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.rcp_services import rcps_apply_to

__all__ = [
    "DEFAULT_MEMO_SIZE",
    "CompiledPolicy",
    "CompiledPolicySet",
    "compile_policy",
    "compile_policy_set",
]

#: ``(statement, allow bit, canonical ordinal, ref)``: a candidate whose action test already passed.
_Candidate = tuple[CompiledStatement, int, int, StatementRef]
#: Deny candidates whose action test already passed, Deny candidates that need it, then the same two
#: for Allow. Candidate tuples are built once, at compile time; splitting by the test spares a pair per entry.
_Bucket = tuple[tuple[_Candidate, ...], tuple[_Candidate, ...], tuple[_Candidate, ...], tuple[_Candidate, ...]]
_Lists = tuple[list[_Candidate], list[_Candidate], list[_Candidate], list[_Candidate]]
#: What a memo entry holds: the result's fields that do not depend on the request object.
_Outcome = tuple[
    Decision, tuple[StatementRef, ...], PolicyKind | None, tuple[str, ...], StandingRule | None, KeyPolicy | None
]

_EMPTY_BUCKET: _Bucket = ((), (), (), ())
#: Default bound of the decision memo (entries); ``memo_size=0`` turns it off.
DEFAULT_MEMO_SIZE = 65_536
#: Bound of the per-action candidate cache (entries).
_ACTION_CACHE_SIZE = 8_192


@dataclass(frozen=True, slots=True)
class _Candidates:
    """The statements that can apply to one action (on resources of one ARN service)."""

    denies: tuple[_Candidate, ...]
    allows: tuple[_Candidate, ...]
    #: The lowercased context keys any of them may read, in a fixed order.
    context_keys: tuple[str, ...]
    #: For long lists, the same statements filed by the literal head of their ``Resource`` patterns:
    #: ``(length, {head: (denies, allows)})`` per head length, longest first, plus those no head files.
    by_head: tuple[tuple[int, dict[str, tuple[tuple[_Candidate, ...], tuple[_Candidate, ...]]]], ...] | None = None
    loose: tuple[tuple[_Candidate, ...], tuple[_Candidate, ...]] = ((), ())

    def for_resource(self, resource: str) -> tuple[tuple[_Candidate, ...], tuple[_Candidate, ...]]:
        """The Deny and Allow candidates whose resource check can pass for ``resource``.

        A statement filed under head ``h`` can only match resources that start with ``h`` (resource
        matching is anchored and case-sensitive; ``*``, ``?`` and variables come after the head), so one
        dict lookup per distinct head length replaces a resource test per statement.
        """
        by_head = self.by_head
        if by_head is None:
            return self.denies, self.allows
        denies, allows = self.loose
        for length, table in by_head:
            found = table.get(resource[:length])
            if found is not None:
                denies = denies + found[0]
                allows = allows + found[1]
        return denies, allows


#: Candidate lists at least this long are filed by resource head (shorter ones are cheaper to scan).
_HEAD_INDEX_MIN = 12
#: Heads shorter than this select too little to be worth a lookup (``arn:aws:`` is 8): kept loose.
_HEAD_MIN = 10


def _by_head(
    denies: list[_Candidate], allows: list[_Candidate]
) -> tuple[
    tuple[tuple[int, dict[str, tuple[tuple[_Candidate, ...], tuple[_Candidate, ...]]]], ...],
    tuple[tuple[_Candidate, ...], tuple[_Candidate, ...]],
]:
    """File candidates by the literal head of their resource patterns (see :meth:`_Candidates.for_resource`)."""
    tables: dict[int, dict[str, tuple[list[_Candidate], list[_Candidate]]]] = {}
    loose: tuple[list[_Candidate], list[_Candidate]] = ([], [])
    for side, candidates in ((0, denies), (1, allows)):
        for candidate in candidates:
            resource = candidate[0].resource
            head = "" if resource is None else resource.prefix
            if len(head) < _HEAD_MIN:
                loose[side].append(candidate)
                continue
            tables.setdefault(len(head), {}).setdefault(head, ([], []))[side].append(candidate)
    frozen = tuple(
        (length, {head: (tuple(lists[0]), tuple(lists[1])) for head, lists in table.items()})
        for length, table in sorted(tables.items(), reverse=True)
    )
    return frozen, (tuple(loose[0]), tuple(loose[1]))


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


def _frozen(lists: _Lists) -> _Bucket:
    """The bucket of ``lists`` (the shared empty tuple for each empty list)."""
    return (tuple(lists[0]), tuple(lists[1]), tuple(lists[2]), tuple(lists[3]))


def _refs(matched: list[tuple[int, StatementRef]]) -> tuple[StatementRef, ...]:
    if len(matched) > 1:
        matched.sort(key=lambda item: item[0])
    return tuple(ref for _, ref in matched)


class CompiledPolicySet:
    """A :class:`~iamsim._engine.policy_set.PolicySet` compiled and indexed by action.

    Its policies and index are fixed at construction (build it with
    :func:`compile_policy_set`); only its exact, bounded caches change.
    """

    __slots__ = (
        "_action_cache",
        "_always",
        "_always_by_resource",
        "_exact",
        "_memo",
        "_memo_entries",
        "_memo_size",
        "_names_principals",
        "_placed",
        "_rcp_free",
        "_scp_free",
        "_service_heads",
        "_service_rest",
        "_shape",
        "policies",
        "use_index",
    )

    policies: PolicySet
    use_index: bool
    _action_cache: dict[tuple[str, str | None], _Candidates]
    _memo: dict[tuple[object, ...], tuple[_Candidates, dict[tuple[ContextValue | None, ...], EvaluationResult]]]
    _memo_entries: int
    _memo_size: int
    _names_principals: bool
    _shape: SetShape
    _placed: tuple[_Placed, ...]
    _exact: Mapping[str, _Bucket]
    #: A service's wildcard statements: by ``service:c`` head, and those no head decides.
    _service_heads: Mapping[str, _Bucket]
    _service_rest: Mapping[str, _Bucket]
    _always: _Bucket
    _always_by_resource: Mapping[str, _Bucket]
    _rcp_free: Callable[[], CompiledPolicySet] | None
    _scp_free: Callable[[], CompiledPolicySet] | None

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
        self._names_principals = any(
            statement.principal is not None for item in placed for statement in item.compiled.statements
        )
        self._memo_size = max(0, memo_size)
        self._action_cache = {}
        self._memo = {}
        self._memo_entries = 0
        self._rcp_free = None
        if policies.rcp_levels:
            self._rcp_free = _lazy_set(replace(policies, rcp_levels=()), compiled, use_index, memo_size)
        self._scp_free = None
        if policies.scp_levels:
            self._scp_free = _lazy_set(replace(policies, scp_levels=()), compiled, use_index, memo_size)
        self._build_index()

    def clear_caches(self) -> None:
        """Forget every cached candidate list and decision (the next requests take the cold path)."""
        self._action_cache = {}
        self._memo = {}
        self._memo_entries = 0

    def _candidates(self, action: str, resource_key: str | None) -> _Candidates:
        """The candidates for lowercased ``action`` on a resource of ARN service ``resource_key``."""
        key = (action, resource_key)
        found = self._action_cache.get(key)
        if found is not None:
            return found
        service, colon, name = action.partition(":")
        # A service's wildcard statements are split by the action's first name character when every pattern
        # fixes it: the statements filed under other heads would fail the action test anyway.
        buckets = (
            self._exact.get(action, _EMPTY_BUCKET),
            self._service_rest.get(service, _EMPTY_BUCKET) if colon else _EMPTY_BUCKET,
            self._service_heads.get(action[: len(service) + 2], _EMPTY_BUCKET) if name else _EMPTY_BUCKET,
            self._always,
            self._always_by_resource.get(resource_key, _EMPTY_BUCKET) if resource_key is not None else _EMPTY_BUCKET,
        )
        denies: list[_Candidate] = []
        allows: list[_Candidate] = []
        keys: set[str] = set()
        # Candidate order does not matter: results sort their statements and keys.
        for bucket in buckets:
            if bucket is _EMPTY_BUCKET:
                continue
            for side, untested, tested in ((denies, bucket[0], bucket[1]), (allows, bucket[2], bucket[3])):
                for candidate in untested:
                    side.append(candidate)
                    if candidate[0].context_keys:
                        keys.update(candidate[0].context_keys)
                for candidate in tested:
                    statement = candidate[0]
                    if not statement.action_test(action):
                        continue
                    side.append(candidate)
                    if statement.context_keys:
                        keys.update(statement.context_keys)
        context_keys = tuple(sorted(keys)) if keys else ()
        if self.use_index and len(denies) + len(allows) >= _HEAD_INDEX_MIN:
            by_head, loose = _by_head(denies, allows)
            found = _Candidates(tuple(denies), tuple(allows), context_keys, by_head, loose)
        else:
            found = _Candidates(tuple(denies), tuple(allows), context_keys)
        if len(self._action_cache) >= _ACTION_CACHE_SIZE:
            self._action_cache = {}
        self._action_cache[key] = found
        return found

    def _build_index(self) -> None:
        exact: dict[str, _Lists] = {}
        heads: dict[str, _Lists] = {}
        rest: dict[str, _Lists] = {}
        always: _Lists = ([], [], [], [])
        by_resource: dict[str, _Lists] = {}
        for placed in self._placed:
            for statement, ref, ordinal in zip(placed.compiled.statements, placed.refs, placed.ordinals, strict=True):
                # The list index: 0/1 Deny without/with the action test, 2/3 the same for Allow.
                side = 0 if statement.deny else 2
                keys = statement.keys
                candidate = (statement, placed.bit, ordinal, ref)
                if not self.use_index:
                    always[side + 1].append(candidate)
                    continue
                if keys.always:
                    lane = side if statement.every_action else side + 1
                    services_of_resource = None if statement.resource is None else statement.resource.services
                    if services_of_resource is None:
                        always[lane].append(candidate)
                    for service in services_of_resource or ():
                        by_resource.setdefault(service, ([], [], [], []))[lane].append(candidate)
                    continue
                for action in keys.exact:
                    exact.setdefault(action, ([], [], [], []))[side].append(candidate)
                if not keys.services:
                    continue
                head_keys = dict(keys.heads)
                for service, needs_test in keys.services:
                    lane = side + 1 if needs_test else side
                    for head in head_keys.get(service, ()):
                        heads.setdefault(head, ([], [], [], []))[lane].append(candidate)
                    if service not in head_keys:
                        rest.setdefault(service, ([], [], [], []))[lane].append(candidate)
        self._exact = {key: _frozen(lists) for key, lists in exact.items()}
        self._service_heads = {key: _frozen(lists) for key, lists in heads.items()}
        self._service_rest = {key: _frozen(lists) for key, lists in rest.items()}
        self._always = _frozen(always)
        self._always_by_resource = {key: _frozen(lists) for key, lists in by_resource.items()}

    def _buckets(self, action: str, resource: str) -> list[_Bucket]:
        """Every bucket that files statements for ``action``'s service, whatever their head (tooling view)."""
        service, colon, _ = action.partition(":")
        buckets = [self._exact.get(action, _EMPTY_BUCKET), self._always]
        if self._always_by_resource:
            resource_key = resource_service(resource)
            if resource_key is not None:
                buckets.append(self._always_by_resource.get(resource_key, _EMPTY_BUCKET))
        if colon:
            buckets.append(self._service_rest.get(service, _EMPTY_BUCKET))
            prefix = service + ":"
            buckets.extend(bucket for head, bucket in self._service_heads.items() if head.startswith(prefix))
        return buckets

    def candidates(self, action: str, resource: str = "*") -> tuple[StatementRef, ...]:
        """The statements the index offers for ``action`` on ``resource``, in canonical order (tests, tooling).

        A service's wildcard statements are all offered here; the cold path also skips those filed under
        another first name character, whose action test cannot pass.
        """
        found = {
            ordinal: ref
            for bucket in self._buckets(action.lower(), resource)
            for candidates in bucket
            for _, _, ordinal, ref in candidates
        }
        return tuple(found[ordinal] for ordinal in sorted(found))

    def _resource_key(self, resource: str) -> str | None:
        if not self._always_by_resource:
            return None
        return resource_service(resource)

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
            candidates = self._candidates(action, self._resource_key(request.resource))
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
        outcome = self._decide(request, action, self._candidates(action, self._resource_key(request.resource)))
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
        candidates = self._candidates(action, self._resource_key(request.resource))
        return self._decide(request, action, candidates)[0] is _ALLOWED_DECISION

    def _decide(self, request: Request, action: str, candidates: _Candidates) -> _Outcome:
        """Match ``candidates`` (their action tests passed) against ``request`` and combine."""
        principal = request.principal
        resource = request.resource
        context = request.context
        has_boundary = self._shape.has_boundary
        denies: list[tuple[int, StatementRef]] = []
        allows: list[tuple[int, StatementRef]] = []
        missing: list[str] = []
        allow_mask = 0
        naming = _NONE_NAMING
        # Made at the first condition: the request's typed values are parsed once, whatever the candidates.
        values: RequestValues | None = None
        for side in candidates.for_resource(resource):
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
                if statement.conditions:
                    if values is None:
                        values = RequestValues()
                    if not statement.conditions_hold(context, values):
                        continue
                if statement.deny:
                    denies.append((ordinal, ref))
                    continue
                allows.append((ordinal, ref))
                allow_mask |= bit
                if bit == RESOURCE_BIT and named > naming:
                    naming = named
        return self._outcome(request, action, denies, allows, allow_mask, naming, missing)

    def _outcome(
        self,
        request: Request,
        action: str,
        denies: list[tuple[int, StatementRef]],
        allows: list[tuple[int, StatementRef]],
        allow_mask: int,
        naming: Naming,
        missing: list[str],
    ) -> _Outcome:
        resource = request.resource
        # Standing rules come first and whatever the policies say (docs/evaluation.md "Standing rules").
        rule = standing_rule(action, resource)
        if rule is not None:
            return rule.decision, (), None, (), rule, None
        key_request = is_kms_key_request(action, resource)
        key_policy = None
        if key_request:
            key_policy = _GIVEN_KEY_POLICY if self._shape.has_resource_policy else _DEFAULT_KEY_POLICY
        deny_kind = min(denies)[1].kind if denies else None
        decision, denied_by = decide(
            self._shape,
            request.principal,
            cross_account=deny_kind is None and request.is_cross_account,
            deny_kind=deny_kind,
            allow_mask=allow_mask,
            naming=naming,
            key_request=key_request,
        )
        if decision is _EXPLICIT_DENY_DECISION:
            determining = _refs(denies)
        elif decision is _ALLOWED_DECISION:
            determining = _refs(allows)
        else:
            determining = ()
        return decision, determining, denied_by, _missing_keys(missing) if missing else (), None, key_policy

    def _explain(self, request: Request) -> EvaluationResult:
        action = request.action.lower()
        principal = request.principal
        resource = request.resource
        context = request.context
        has_boundary = self._shape.has_boundary
        denies: list[tuple[int, StatementRef]] = []
        allows: list[tuple[int, StatementRef]] = []
        missing: list[str] = []
        allow_mask = 0
        naming = _NONE_NAMING
        policy_traces: list[PolicyTrace] = []
        values = RequestValues()
        for placed in self._placed:
            traces: list[StatementTrace] = []
            for statement, ref, ordinal in zip(placed.compiled.statements, placed.refs, placed.ordinals, strict=True):
                outcome, named, trace = _trace_statement(
                    statement, action, resource, principal, context, values, has_boundary=has_boundary
                )
                traces.append(StatementTrace(ref, outcome, trace))
                if named is _NONE_NAMING:
                    continue
                missing.extend(written for key, written in statement.missing_keys if key not in context)
                if outcome is not StatementOutcome.MATCHED:
                    continue
                if statement.deny:
                    denies.append((ordinal, ref))
                    continue
                allows.append((ordinal, ref))
                allow_mask |= placed.bit
                if placed.bit == RESOURCE_BIT and named > naming:
                    naming = named
            slot = placed.slot
            policy_traces.append(PolicyTrace(slot.kind, slot.level, slot.position, placed.policy.name, tuple(traces)))
        decision, determining, denied_by, missing_keys, rule, key_policy = self._outcome(
            request, action, denies, allows, allow_mask, naming, missing
        )
        steps = _steps(decision, denied_by, determining, rule, key_policy)
        explanation = Explanation(tuple(policy_traces), steps)
        return EvaluationResult(
            decision, request, determining, denied_by, missing_keys, explanation, rule=rule, key_policy=key_policy
        )


def _trace_statement(
    statement: CompiledStatement,
    action: str,
    resource: str,
    principal: Principal,
    context: Mapping[str, ContextValue],
    values: RequestValues,
    *,
    has_boundary: bool,
) -> tuple[StatementOutcome, Naming, tuple[ConditionTrace, ...]]:
    """One statement's outcome (first failing check), how it names the caller, and its condition traces."""
    if not statement.action_matches(action):
        return StatementOutcome.ACTION_NOT_MATCHED, _NONE_NAMING, ()
    if not statement.resource_matches(resource, context):
        return StatementOutcome.RESOURCE_NOT_MATCHED, _NONE_NAMING, ()
    named = statement.naming(principal, has_boundary=has_boundary)
    if named is _NONE_NAMING:
        return StatementOutcome.PRINCIPAL_NOT_MATCHED, _NONE_NAMING, ()
    traces = tuple(condition.trace(context, values) for condition in statement.conditions)
    passed = all(trace.passed for trace in traces)
    return (StatementOutcome.MATCHED if passed else StatementOutcome.CONDITION_NOT_MET), named, traces


def _steps(
    decision: Decision,
    denied_by: PolicyKind | None,
    determining: tuple[StatementRef, ...],
    rule: StandingRule | None,
    key_policy: KeyPolicy | None,
) -> tuple[str, ...]:
    """Narrate the decision order in plain words."""
    if rule is not None:
        verdict = "allowed" if decision is _ALLOWED_DECISION else "denied"
        return (f"standing rule {rule.name}: {rule.reason}", verdict)
    if key_policy is not None:
        return (key_policy.describe(), *_policy_steps(decision, denied_by, determining))
    return _policy_steps(decision, denied_by, determining)


def _policy_steps(
    decision: Decision, denied_by: PolicyKind | None, determining: tuple[StatementRef, ...]
) -> tuple[str, ...]:
    if decision is _EXPLICIT_DENY_DECISION:
        label = denied_by.label if denied_by is not None else "identity-based"
        return (f"explicit deny in {label} policy", *(f"denied by {ref.describe()}" for ref in determining))
    steps = ["no matching Deny statement"]
    if decision is _ALLOWED_DECISION:
        steps.extend(f"allowed by {ref.describe()}" for ref in determining)
        steps.append("allowed")
    else:
        label = denied_by.label if denied_by is not None else "identity-based"
        steps.append(f"implicit deny: no {label} policy allows the request")
    return tuple(steps)


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
