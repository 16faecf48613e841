"""The compiled fast path: policy sets compiled once, requests answered from an action index.

:func:`compile_policy` turns a :class:`~iamsim._policy.model.Policy` into a
:class:`CompiledPolicy` that depends only on the policy's content, so a cache
(keyed per principal and store generation in the world layer) can reuse it
across sets. :func:`compile_policy_set` places compiled policies in their
slots and files every statement in an action index:

* exact lowercase action names in a dict;
* wildcard actions under their service prefix (``s3:Get*`` under ``s3``);
* ``*``, wildcards in the service prefix and ``NotAction`` statements in an
  always-candidate list, itself split by the ARN service its ``Resource``
  patterns fix (``arn:aws:s3:::b/*`` only matches ``s3`` resources) so that
  ``Action: *`` statements do not all become candidates of every request.

With ``use_index=False`` every statement is an always-candidate: the
differential tests compare both modes. Each index entry is a tuple
``(statement, needs action test, allow bit, canonical ordinal, ref)``.

:meth:`CompiledPolicySet.evaluate` implements docs/evaluation.md and the
:mod:`~iamsim._engine.result` contract; ``explain=True`` walks every
statement of every policy instead of the index and records a trace. Both give
the same result apart from ``explanation``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from iamsim._engine.combining import (
    BOUNDARY_BIT,
    IDENTITY_BIT,
    RESOURCE_BIT,
    SESSION_BIT,
    SetShape,
    decide,
    level_bit,
)
from iamsim._engine.policy_set import PolicySet, PolicySlot
from iamsim._engine.principals import Naming
from iamsim._engine.request import ContextValue, Principal, Request
from iamsim._engine.resources import resource_service
from iamsim._engine.result import (
    ConditionTrace,
    Decision,
    EvaluationResult,
    Explanation,
    PolicyTrace,
    StatementOutcome,
    StatementRef,
    StatementTrace,
)
from iamsim._engine.statements import CompiledStatement, SharedParts, compile_statement
from iamsim._policy.model import Policy, PolicyKind

__all__ = [
    "CompiledPolicy",
    "CompiledPolicySet",
    "compile_policy",
    "compile_policy_set",
]

#: ``(statement, needs action test, allow bit, canonical ordinal, ref)``.
_Entry = tuple[CompiledStatement, bool, int, int, StatementRef]
#: Matching Deny candidates, then Allow candidates.
_Bucket = tuple[tuple[_Entry, ...], tuple[_Entry, ...]]

_EMPTY_BUCKET: _Bucket = ((), ())


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    """A policy compiled once; reusable in any number of :class:`CompiledPolicySet`.

    It holds no slot or display name: those belong to the set that uses it.
    """

    kind: PolicyKind
    version: str | None
    statements: tuple[CompiledStatement, ...]


def compile_policy(policy: Policy) -> CompiledPolicy:
    """Compile every statement of ``policy`` (its kind and Version shape resources and variables)."""
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
    if len(matched) > 1:
        matched.sort(key=lambda item: item[0])
    return tuple(ref for _, ref in matched)


class CompiledPolicySet:
    """A :class:`~iamsim._engine.policy_set.PolicySet` compiled and indexed by action.

    Immutable after construction; build it with :func:`compile_policy_set`.
    """

    __slots__ = (
        "_always",
        "_always_by_resource",
        "_exact",
        "_placed",
        "_services",
        "_shape",
        "policies",
        "use_index",
    )

    policies: PolicySet
    use_index: bool
    _shape: SetShape
    _placed: tuple[_Placed, ...]
    _exact: Mapping[str, _Bucket]
    _services: Mapping[str, _Bucket]
    _always: _Bucket
    _always_by_resource: Mapping[str, _Bucket]

    def __init__(
        self,
        policies: PolicySet,
        compiled: Callable[[Policy], CompiledPolicy] = compile_policy,
        *,
        use_index: bool = True,
    ) -> None:
        """Place and index ``policies``, compiling each with ``compiled`` (a cache may stand in)."""
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
        )
        placed: list[_Placed] = []
        ordinal = 0
        for slot, policy in policies.slots():
            compiled_policy = compiled(policy)
            refs = tuple(
                StatementRef(
                    slot.kind, slot.level, slot.position, s.source.index, policy.name, s.source.sid, s.source.effect
                )
                for s in compiled_policy.statements
            )
            ordinals = tuple(range(ordinal, ordinal + len(refs)))
            ordinal += len(refs)
            placed.append(_Placed(slot, policy, compiled_policy, _slot_bit(slot, scp_levels), refs, ordinals))
        self._placed = tuple(placed)
        self._build_index()

    def _build_index(self) -> None:
        exact: dict[str, tuple[list[_Entry], list[_Entry]]] = {}
        services: dict[str, tuple[list[_Entry], list[_Entry]]] = {}
        always: tuple[list[_Entry], list[_Entry]] = ([], [])
        by_resource: dict[str, tuple[list[_Entry], list[_Entry]]] = {}
        for placed in self._placed:
            for statement, ref, ordinal in zip(placed.compiled.statements, placed.refs, placed.ordinals, strict=True):
                side = 0 if statement.deny else 1
                keys = statement.keys
                if not self.use_index:
                    always[side].append((statement, True, placed.bit, ordinal, ref))
                    continue
                if keys.always:
                    entry = (statement, not statement.every_action, placed.bit, ordinal, ref)
                    services_of_resource = None if statement.resource is None else statement.resource.services
                    if services_of_resource is None:
                        always[side].append(entry)
                    for service in services_of_resource or ():
                        by_resource.setdefault(service, ([], []))[side].append(entry)
                    continue
                for action in keys.exact:
                    exact.setdefault(action, ([], []))[side].append((statement, False, placed.bit, ordinal, ref))
                for service, needs_test in keys.services:
                    entry = (statement, needs_test, placed.bit, ordinal, ref)
                    services.setdefault(service, ([], []))[side].append(entry)
        self._exact = {key: (tuple(d), tuple(a)) for key, (d, a) in exact.items()}
        self._services = {key: (tuple(d), tuple(a)) for key, (d, a) in services.items()}
        self._always = (tuple(always[0]), tuple(always[1]))
        self._always_by_resource = {key: (tuple(d), tuple(a)) for key, (d, a) in by_resource.items()}

    def _buckets(self, action: str, resource: str) -> tuple[_Bucket, _Bucket, _Bucket, _Bucket]:
        service, colon, _ = action.partition(":")
        by_resource = _EMPTY_BUCKET
        if self._always_by_resource:
            resource_key = resource_service(resource)
            if resource_key is not None:
                by_resource = self._always_by_resource.get(resource_key, _EMPTY_BUCKET)
        return (
            self._exact.get(action, _EMPTY_BUCKET),
            self._services.get(service, _EMPTY_BUCKET) if colon else _EMPTY_BUCKET,
            self._always,
            by_resource,
        )

    def candidates(self, action: str, resource: str = "*") -> tuple[StatementRef, ...]:
        """The statements the index offers for ``action`` on ``resource``, in canonical order (tests, tooling)."""
        found = {
            ordinal: ref
            for bucket in self._buckets(action.lower(), resource)
            for entries in bucket
            for _, _, _, ordinal, ref in entries
        }
        return tuple(found[ordinal] for ordinal in sorted(found))

    def evaluate(self, request: Request, *, explain: bool = False) -> EvaluationResult:
        """Decide ``request`` (docs/evaluation.md); ``explain`` adds a per-statement trace."""
        if explain:
            return self._explain(request)
        action = request.action.lower()
        principal = request.principal
        resource = request.resource
        context = request.context
        has_boundary = self._shape.has_boundary
        denies: list[tuple[int, StatementRef]] = []
        allows: list[tuple[int, StatementRef]] = []
        missing: list[str] = []
        allow_mask = 0
        naming = Naming.NONE
        for bucket in self._buckets(action, resource):
            for entries in bucket:
                for statement, needs_test, bit, ordinal, ref in entries:
                    if needs_test and not statement.action_test(action):
                        continue
                    resource_test = statement.resource_test
                    if resource_test is not None:
                        if not resource_test(resource):
                            continue
                    elif statement.resource is not None and not statement.resource.matches(resource, context):
                        continue
                    if statement.principal is None:
                        named = Naming.ACCOUNT
                    else:
                        named = statement.naming(principal, has_boundary=has_boundary)
                        if not named:
                            continue
                    for key, written in statement.missing_keys:
                        if key not in context:
                            missing.append(written)
                    if statement.conditions and not statement.conditions_hold(context):
                        continue
                    if statement.deny:
                        denies.append((ordinal, ref))
                        continue
                    allows.append((ordinal, ref))
                    allow_mask |= bit
                    if bit == RESOURCE_BIT and named > naming:
                        naming = named
        return self._result(request, denies, allows, allow_mask, naming, missing, None)

    def is_allowed(self, request: Request) -> bool:
        """Whether ``request`` is allowed; stops at the first matching Deny (same decision as :meth:`evaluate`)."""
        action = request.action.lower()
        principal = request.principal
        resource = request.resource
        context = request.context
        has_boundary = self._shape.has_boundary
        buckets = self._buckets(action, resource)
        for bucket in buckets:
            for statement, needs_test, _, _, _ in bucket[0]:
                if (
                    (not needs_test or statement.action_matches(action))
                    and statement.resource_matches(resource, context)
                    and statement.naming(principal, has_boundary=has_boundary)
                    and statement.conditions_hold(context)
                ):
                    return False
        allow_mask = 0
        naming = Naming.NONE
        for bucket in buckets:
            for statement, needs_test, bit, _, _ in bucket[1]:
                if bit == RESOURCE_BIT:
                    if naming is Naming.DIRECT:
                        continue
                elif allow_mask & bit:
                    continue
                if needs_test and not statement.action_matches(action):
                    continue
                if not statement.resource_matches(resource, context):
                    continue
                named = statement.naming(principal, has_boundary=has_boundary)
                if not named or not statement.conditions_hold(context):
                    continue
                allow_mask |= bit
                if bit == RESOURCE_BIT and named > naming:
                    naming = named
        decision, _ = decide(
            self._shape,
            principal,
            cross_account=request.is_cross_account,
            deny_kind=None,
            allow_mask=allow_mask,
            naming=naming,
        )
        return decision is Decision.ALLOWED

    def _result(
        self,
        request: Request,
        denies: list[tuple[int, StatementRef]],
        allows: list[tuple[int, StatementRef]],
        allow_mask: int,
        naming: Naming,
        missing: list[str],
        explanation: Explanation | None,
    ) -> EvaluationResult:
        deny_kind = min(denies)[1].kind if denies else None
        decision, denied_by = decide(
            self._shape,
            request.principal,
            cross_account=deny_kind is None and request.is_cross_account,
            deny_kind=deny_kind,
            allow_mask=allow_mask,
            naming=naming,
        )
        if decision is Decision.EXPLICIT_DENY:
            determining = _refs(denies)
        elif decision is Decision.ALLOWED:
            determining = _refs(allows)
        else:
            determining = ()
        if explanation is not None:
            explanation = Explanation(explanation.policies, _steps(decision, denied_by, determining))
        return EvaluationResult(
            decision, request, determining, denied_by, _missing_keys(missing) if missing else (), explanation
        )

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
        naming = Naming.NONE
        policy_traces: list[PolicyTrace] = []
        for placed in self._placed:
            traces: list[StatementTrace] = []
            for statement, ref, ordinal in zip(placed.compiled.statements, placed.refs, placed.ordinals, strict=True):
                outcome, named, trace = _trace_statement(
                    statement, action, resource, principal, context, has_boundary=has_boundary
                )
                traces.append(StatementTrace(ref, outcome, trace))
                if named is Naming.NONE:
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
        explanation = Explanation(tuple(policy_traces))
        return self._result(request, denies, allows, allow_mask, naming, missing, explanation)


def _trace_statement(
    statement: CompiledStatement,
    action: str,
    resource: str,
    principal: Principal,
    context: Mapping[str, ContextValue],
    *,
    has_boundary: bool,
) -> tuple[StatementOutcome, Naming, tuple[ConditionTrace, ...]]:
    """One statement's outcome (first failing check), how it names the caller, and its condition traces."""
    if not statement.action_matches(action):
        return StatementOutcome.ACTION_NOT_MATCHED, Naming.NONE, ()
    if not statement.resource_matches(resource, context):
        return StatementOutcome.RESOURCE_NOT_MATCHED, Naming.NONE, ()
    named = statement.naming(principal, has_boundary=has_boundary)
    if named is Naming.NONE:
        return StatementOutcome.PRINCIPAL_NOT_MATCHED, Naming.NONE, ()
    traces = tuple(condition.trace(context) for condition in statement.conditions)
    passed = all(trace.passed for trace in traces)
    return (StatementOutcome.MATCHED if passed else StatementOutcome.CONDITION_NOT_MET), named, traces


def _steps(decision: Decision, denied_by: PolicyKind | None, determining: tuple[StatementRef, ...]) -> tuple[str, ...]:
    """Narrate the decision order in plain words."""
    if decision is Decision.EXPLICIT_DENY:
        label = denied_by.label if denied_by is not None else "identity-based"
        return (f"explicit deny in {label} policy", *(f"denied by {ref.describe()}" for ref in determining))
    steps = ["no matching Deny statement"]
    if decision is Decision.ALLOWED:
        steps.extend(f"allowed by {ref.describe()}" for ref in determining)
        steps.append("allowed")
    else:
        label = denied_by.label if denied_by is not None else "identity-based"
        steps.append(f"implicit deny: no {label} policy allows the request")
    return tuple(steps)


def compile_policy_set(
    policies: PolicySet,
    *,
    use_index: bool = True,
    compiler: Callable[[Policy], CompiledPolicy] = compile_policy,
) -> CompiledPolicySet:
    """Compile ``policies`` for evaluation.

    ``compiler`` compiles one policy; pass a caching wrapper around
    :func:`compile_policy` to reuse compiled policies across sets.
    ``use_index=False`` makes every statement a candidate for every action.
    """
    return CompiledPolicySet(policies, compiler, use_index=use_index)
