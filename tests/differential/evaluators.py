"""The evaluators under test, behind one calling convention, and how to compare their results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iamsim._engine.compiled import compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.request import Request
from iamsim._engine.result import EvaluationResult

__all__ = ["EVALUATORS", "Evaluate", "evaluate_compiled", "evaluate_reference", "summary"]

#: ``evaluate(policy_set, request, explain)``.
Evaluate = Callable[[PolicySet, Request, bool], EvaluationResult]


def _reference(policy_set: PolicySet, request: Request, explain: bool = False) -> EvaluationResult:
    return evaluate_reference(policy_set, request, explain=explain)


def evaluate_compiled(
    policy_set: PolicySet, request: Request, explain: bool = False, *, use_index: bool = True
) -> EvaluationResult:
    """Compile ``policy_set`` and evaluate ``request`` on the fast path."""
    return compile_policy_set(policy_set, use_index=use_index).evaluate(request, explain=explain)


def _compiled(policy_set: PolicySet, request: Request, explain: bool = False) -> EvaluationResult:
    return evaluate_compiled(policy_set, request, explain)


#: Both evaluators by name; the laws hold for each.
EVALUATORS: dict[str, Evaluate] = {"reference": _reference, "compiled": _compiled}


def summary(result: EvaluationResult) -> dict[str, Any]:
    """The fields of a result the evaluators must agree on (``result.py`` contract)."""
    return {
        "decision": result.decision,
        "determining": result.determining,
        "denied_by": result.denied_by,
        "missing_context_keys": result.missing_context_keys,
        "rule": result.rule,
        "key_policy": result.key_policy,
    }
