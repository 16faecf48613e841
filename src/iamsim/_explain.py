"""The one text renderer of an :class:`~iamsim.EvaluationResult`: what decided it, in words.

The engine records traces (which statements matched, which conditions failed and
with what values); this module only says what they mean, and says it the same way
for every reader: the CLI (``iamsim evaluate --explain``, ``iamsim test``), policy
test reports, the pytest plugin and the assertion helpers of :mod:`iamsim.testing`.
Only the statements that could have mattered are shown: those that matched, and
those whose action, resource and principal matched but whose conditions failed,
with every condition test and the request values it saw. The rest are counted.
"""

from __future__ import annotations

from iamsim._engine.result import ConditionTrace, EvaluationResult, StatementOutcome, StatementTrace

__all__ = ["assumption_lines", "describe_result", "explain_lines"]


def _values(values: tuple[str, ...] | None) -> str:
    if values is None:
        return "(absent from the request)"
    if len(values) == 1:
        return repr(values[0])
    return "[" + ", ".join(repr(v) for v in values) + "]"


def _condition_line(trace: ConditionTrace) -> str:
    verdict = "held" if trace.passed else "FAILED"
    return (
        f"{trace.operator} {trace.key}: policy wants {_values(trace.policy_values)}, "
        f"request has {_values(trace.request_values)} -> {verdict}"
    )


def _interesting(trace: StatementTrace) -> bool:
    return trace.outcome in (StatementOutcome.MATCHED, StatementOutcome.CONDITION_NOT_MET)


def _matched_allows(result: EvaluationResult) -> list[StatementTrace]:
    explanation = result.explanation
    if explanation is None:
        return []
    return [
        statement
        for policy in explanation.policies
        for statement in policy.statements
        if statement.outcome is StatementOutcome.MATCHED and statement.ref.effect.value == "Allow"
    ]


def assumption_lines(result: EvaluationResult) -> list[str]:
    """What decided ``result`` besides its statements: the standing rule, the KMS key policy used (or assumed)."""
    lines = []
    if result.rule is not None:
        lines.append(f"standing rule {result.rule.name}: {result.rule.reason} ({result.rule.spec})")
    if result.key_policy is not None:
        lines.append(result.key_policy.describe())
    return lines


def explain_lines(result: EvaluationResult) -> list[str]:
    """A readable account of ``result``: AWS's message, determining statements, failed conditions, missing keys."""
    lines = [result.message(), *assumption_lines(result)]
    if result.determining:
        lines.append("determining statements:")
        lines.extend(f"  - {ref.describe()}" for ref in result.determining)
    elif result.rule is None and not result.allowed:
        # An Allow can match and still not decide: a trust or resource policy that names the account
        # (§A.3) hands the decision to the caller's identity policies, and a boundary or SCP can cut it.
        matched = _matched_allows(result)
        if matched:
            lines.append("statements that matched but do not allow this request on their own (see decision steps):")
            lines.extend(f"  - {statement.ref.describe()}" for statement in matched)
        else:
            lines.append("no statement allows this request")
    explanation = result.explanation
    if explanation is not None:
        failed = [
            s for p in explanation.policies for s in p.statements if s.outcome is StatementOutcome.CONDITION_NOT_MET
        ]
        if failed:
            lines.append("statements whose conditions did not hold:")
            for statement in failed:
                lines.append(f"  - {statement.ref.describe()}")
                lines.extend(f"      {_condition_line(c)}" for c in statement.conditions)
        skipped = [s for p in explanation.policies for s in p.statements if not _interesting(s)]
        if skipped:
            counts: dict[str, int] = {}
            for statement in skipped:
                counts[statement.outcome.value] = counts.get(statement.outcome.value, 0) + 1
            summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
            lines.append(f"other statements: {summary}")
        if explanation.steps:
            lines.append("decision steps:")
            lines.extend(f"  {n}. {step}" for n, step in enumerate(explanation.steps, 1))
    if result.missing_context_keys:
        lines.append("missing context keys: " + ", ".join(result.missing_context_keys))
    return lines


def describe_result(result: EvaluationResult) -> str:
    """The request and its decision, then :func:`explain_lines`: a self-contained account for a failure message."""
    request = result.request
    return "\n".join(
        [
            f"request: {request.principal.arn} -> {request.action} on {request.resource}",
            f"decision: {result.decision.value}",
            *explain_lines(result),
        ]
    )
