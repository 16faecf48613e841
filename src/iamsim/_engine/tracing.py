"""The compiled path's explanation parts: one statement's trace, and the decision order in plain words.

:class:`~iamsim._engine.compiled.CompiledPolicySet` walks every statement of
every policy when asked to explain (the index is for speed, the trace is for
people); these functions say what each statement did and narrate the result.
"""

from __future__ import annotations

from collections.abc import Mapping

from iamsim._engine.principals import Naming
from iamsim._engine.request import ContextValue, Principal
from iamsim._engine.request_values import RequestValues
from iamsim._engine.result import (
    ConditionTrace,
    Decision,
    KeyPolicy,
    StandingRule,
    StatementOutcome,
    StatementRef,
)
from iamsim._engine.statements import CompiledStatement
from iamsim._policy.model import PolicyKind

__all__ = ["decision_steps", "trace_statement"]


def trace_statement(
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
        return StatementOutcome.ACTION_NOT_MATCHED, Naming.NONE, ()
    if not statement.resource_matches(resource, context):
        return StatementOutcome.RESOURCE_NOT_MATCHED, Naming.NONE, ()
    named = statement.naming(principal, has_boundary=has_boundary)
    if named is Naming.NONE:
        return StatementOutcome.PRINCIPAL_NOT_MATCHED, Naming.NONE, ()
    traces = tuple(condition.trace(context, values) for condition in statement.conditions)
    passed = all(trace.passed for trace in traces)
    return (StatementOutcome.MATCHED if passed else StatementOutcome.CONDITION_NOT_MET), named, traces


def decision_steps(
    decision: Decision,
    denied_by: PolicyKind | None,
    determining: tuple[StatementRef, ...],
    rule: StandingRule | None,
    key_policy: KeyPolicy | None,
) -> tuple[str, ...]:
    """Narrate the decision order in plain words."""
    if rule is not None:
        verdict = "allowed" if decision is Decision.ALLOWED else "denied"
        return (f"standing rule {rule.name}: {rule.reason}", verdict)
    if key_policy is not None:
        return (key_policy.describe(), *_policy_steps(decision, denied_by, determining))
    return _policy_steps(decision, denied_by, determining)


def _policy_steps(
    decision: Decision, denied_by: PolicyKind | None, determining: tuple[StatementRef, ...]
) -> tuple[str, ...]:
    label = denied_by.label if denied_by is not None else "identity-based"
    if decision is Decision.EXPLICIT_DENY:
        return (f"explicit deny in {label} policy", *(f"denied by {ref.describe()}" for ref in determining))
    steps = ["no matching Deny statement"]
    if decision is Decision.ALLOWED:
        steps.extend(f"allowed by {ref.describe()}" for ref in determining)
        steps.append("allowed")
    else:
        steps.append(f"implicit deny: no {label} policy allows the request")
    return tuple(steps)
