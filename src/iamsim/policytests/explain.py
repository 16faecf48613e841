"""Turning an :class:`~iamsim.EvaluationResult` into words and JSON-ready data.

Shared by the CLI and the test-suite runner (and so the pytest plugin). The
words come from the one text renderer, :mod:`iamsim._explain`, also used by
:mod:`iamsim.testing`; this module adds the JSON form, which shows the same
statements the text does: those that matched, and those whose action,
resource and principal matched but whose conditions failed.
"""

from __future__ import annotations

from typing import Any

from iamsim._engine.result import EvaluationResult, StatementOutcome, StatementRef, StatementTrace
from iamsim._explain import assumption_lines, explain_lines

__all__ = ["assumption_lines", "explain_lines", "ref_to_dict", "result_to_dict"]


def _interesting(trace: StatementTrace) -> bool:
    return trace.outcome in (StatementOutcome.MATCHED, StatementOutcome.CONDITION_NOT_MET)


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
