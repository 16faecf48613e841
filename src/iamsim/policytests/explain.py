"""Turning an :class:`~iamsim.EvaluationResult` into words and JSON-ready data.

Shared by the CLI and the test-suite runner (and so the pytest plugin): the
engine records traces, this module says what they mean. Only the statements
that could have mattered are shown: those that matched, and those whose
action, resource and principal matched but whose conditions failed, with
every condition test and the request values it saw.
"""

from __future__ import annotations

from typing import Any

from iamsim._engine.result import ConditionTrace, EvaluationResult, StatementOutcome, StatementRef, StatementTrace

__all__ = ["explain_lines", "ref_to_dict", "result_to_dict"]


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


def ref_to_dict(ref: StatementRef) -> dict[str, Any]:
    """A statement reference as JSON-ready data."""
    return {
        "policy": ref.policy_name,
        "kind": ref.kind.value,
        "level": ref.level,
        "position": ref.position,
        "statement_index": ref.statement_index,
        "sid": ref.sid,
        "effect": ref.effect.value,
    }


def _statement_to_dict(trace: StatementTrace) -> dict[str, Any]:
    return {
        **ref_to_dict(trace.ref),
        "outcome": trace.outcome.value,
        "conditions": [
            {
                "operator": c.operator,
                "key": c.key,
                "policy_values": list(c.policy_values),
                "request_values": None if c.request_values is None else list(c.request_values),
                "passed": c.passed,
            }
            for c in trace.conditions
        ],
    }


def result_to_dict(result: EvaluationResult) -> dict[str, Any]:
    """``result`` as JSON-ready data; ``explanation`` is included when the result carries one."""
    request = result.request
    data: dict[str, Any] = {
        "principal": request.principal.arn,
        "action": request.action,
        "resource": request.resource,
        "decision": result.decision.value,
        "allowed": result.allowed,
        "denied_by": None if result.denied_by is None else result.denied_by.value,
        "message": result.message(),
        "determining": [ref_to_dict(ref) for ref in result.determining],
        "missing_context_keys": list(result.missing_context_keys),
        "rule": None if result.rule is None else result.rule.name,
        "key_policy": None if result.key_policy is None else result.key_policy.value,
    }
    if result.explanation is not None:
        data["explanation"] = {
            "steps": list(result.explanation.steps),
            "statements": [
                _statement_to_dict(s) for p in result.explanation.policies for s in p.statements if _interesting(s)
            ],
        }
    return data
