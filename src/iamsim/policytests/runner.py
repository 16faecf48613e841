"""Running suite cases against their policies."""

from __future__ import annotations

from collections.abc import Callable

from iamsim._bundle import PolicyBundle
from iamsim._engine.request import Principal, Request
from iamsim._engine.result import EvaluationResult
from iamsim.policytests.model import Case, CaseOutcome, RequestOutcome, Suite, SuiteOutcome
from iamsim.policytests.world import evaluate_in_world

__all__ = ["evaluate_request", "run_case", "run_suite"]


def evaluate_request(
    policies: PolicyBundle, case: Case, action: str, resource: str, *, explain: bool = True
) -> EvaluationResult:
    """Evaluate one action on one resource of ``case`` against ``policies``."""
    principal = Principal.from_arn(case.principal)
    request = Request.create(principal, action, resource, case.context, resource_account=case.resource_account)
    return policies.evaluator_for(action).evaluate_request(request, explain=explain)


def run_case(suite: Suite, case: Case) -> CaseOutcome:
    """Run every action × resource request of ``case``; the results carry full explanations."""
    requests = []
    for action in case.actions:
        for resource in case.resources:
            if suite.world is not None:
                result = evaluate_in_world(suite.world, case, action, resource)
            else:
                result = evaluate_request(suite.policies, case, action, resource)
            passed = case.expect is None or case.expect.met_by(result.decision)
            requests.append(RequestOutcome(action, resource, result, passed))
    return CaseOutcome(suite, case, tuple(requests))


def run_suite(suite: Suite, *, on_case: Callable[[CaseOutcome], None] | None = None) -> SuiteOutcome:
    """Run every case of ``suite`` in order; ``on_case`` is called after each (for progress)."""
    outcomes = []
    for case in suite.cases:
        outcome = run_case(suite, case)
        outcomes.append(outcome)
        if on_case is not None:
            on_case(outcome)
    return SuiteOutcome(suite, tuple(outcomes))
