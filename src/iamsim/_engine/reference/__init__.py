"""The reference evaluator: slow, plain and written to be read beside AWS's documentation.

It follows ``docs/evaluation.md`` and the behaviour spec line by line and is the
oracle the compiled fast path is tested against, so it shares no matching code
with it: wildcards, conditions, variables, principals and combining are all
written out here again.

``evaluate_reference(policies, request, explain=...)`` evaluates every
statement of every policy (no short-circuit), then applies the combining steps.
"""

from __future__ import annotations

from dataclasses import replace

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference.combining import combine
from iamsim._engine.reference.statements import StatementVerdict, action_matches, evaluate_statement
from iamsim._engine.request import PrincipalType, Request
from iamsim._engine.result import Decision, EvaluationResult, Explanation, PolicyTrace, StatementRef
from iamsim._policy.model import Effect
from iamsim._policy.rcp_services import rcps_apply_to

__all__ = ["evaluate_reference"]

#: Callers no SCP applies to (docs/evaluation.md "Combining" step 3).
_OUTSIDE_SCP_SCOPE = frozenset({PrincipalType.SERVICE, PrincipalType.WEB_IDENTITY, PrincipalType.ANONYMOUS})


def evaluate_reference(policies: PolicySet, request: Request, *, explain: bool = False) -> EvaluationResult:
    """Decide ``request`` against ``policies`` the way docs/evaluation.md describes.

    With ``explain=True`` the result carries one trace per policy (in
    :meth:`PolicySet.slots` order) and a narration of the decision steps.
    """
    if policies.rcp_levels and not rcps_apply_to(request.action):
        # RCPs govern only the resources of the services that support them (spec §F.5).
        policies = replace(policies, rcp_levels=())
    if policies.scp_levels and request.principal.type in _OUTSIDE_SCP_SCOPE:
        # SCPs limit the IAM users and roles of member accounts (and their root users) only; a service, an
        # identity provider's caller or an anonymous caller is no account's principal (spec §F.5).
        policies = replace(policies, scp_levels=())
    has_boundary = policies.boundary is not None
    verdicts: list[StatementVerdict] = []
    policy_traces: list[PolicyTrace] = []
    for slot, policy in policies.slots():
        # A statement whose action does not match takes no part in the decision (only matching statements
        # count, in every step), so it is evaluated only when an explanation must list it.
        policy_verdicts = [
            evaluate_statement(slot, policy, statement, request, has_boundary=has_boundary)
            for statement in policy.statements
            if explain or action_matches(statement, request.action)
        ]
        verdicts.extend(policy_verdicts)
        policy_traces.append(
            PolicyTrace(
                kind=slot.kind,
                level=slot.level,
                position=slot.position,
                policy_name=policy.name,
                statements=tuple(verdict.trace for verdict in policy_verdicts),
            )
        )

    outcome = combine(verdicts, policies, request)
    # A standing rule decides without the policies: no statement determined it, no key was missing.
    decided_by_policies = outcome.rule is None
    return EvaluationResult(
        decision=outcome.decision,
        request=request,
        determining=_determining(outcome.decision, verdicts) if decided_by_policies else (),
        denied_by=outcome.denied_by,
        missing_context_keys=_missing_keys(verdicts) if decided_by_policies else (),
        explanation=Explanation(tuple(policy_traces), tuple(outcome.steps)) if explain else None,
        rule=outcome.rule,
        key_policy=outcome.key_policy,
    )


def _determining(decision: Decision, verdicts: list[StatementVerdict]) -> tuple[StatementRef, ...]:
    """Every matching Deny for an explicit deny, every matching Allow for an allow, else nothing."""
    if decision is Decision.IMPLICIT_DENY:
        return ()
    effect = Effect.DENY if decision is Decision.EXPLICIT_DENY else Effect.ALLOW
    refs = [verdict.trace.ref for verdict in verdicts if verdict.matched and verdict.trace.ref.effect is effect]
    return tuple(sorted(refs, key=StatementRef.sort_key))


def _missing_keys(verdicts: list[StatementVerdict]) -> tuple[str, ...]:
    """Deduplicated case-insensitively, spelled as the smallest spelling, sorted by casefold."""
    spellings: dict[str, str] = {}
    for verdict in verdicts:
        for key in verdict.missing_keys:
            folded = key.casefold()
            spellings[folded] = min(spellings.get(folded, key), key)
    return tuple(spellings[folded] for folded in sorted(spellings))
