"""Running suite cases against their policies."""

from __future__ import annotations

from collections.abc import Callable

from iamsim._bundle import PolicyBundle
from iamsim._engine.request import Request
from iamsim._engine.result import EvaluationResult
from iamsim._prover import (
    Budget,
    CheckResult,
    check_access_not_granted,
    check_no_new_access,
    check_no_public_access,
    own_policies,
)
from iamsim.errors import InvalidInputError
from iamsim.policytests.model import Case, CaseCheck, CaseOutcome, RequestOutcome, Suite, SuiteOutcome
from iamsim.policytests.principals import suite_principal
from iamsim.policytests.world import evaluate_in_world

__all__ = ["evaluate_request", "run_case", "run_suite"]


def evaluate_request(
    policies: PolicyBundle, case: Case, action: str, resource: str, *, explain: bool = True
) -> EvaluationResult:
    """Evaluate one action on one resource of ``case`` against ``policies``."""
    principal = suite_principal(case.principal)
    request = Request.create(principal, action, resource, case.context, resource_account=case.resource_account)
    return policies.evaluator_for(action).evaluate_request(request, explain=explain)


def run_check(policies: PolicyBundle, check: CaseCheck) -> CheckResult:
    """Answer a ``check:`` case's question for ``policies`` (the suite's) with the prover."""
    budget = Budget(seconds=check.seconds)
    # The suite's resource and trust policies answer who else gets in: no-public-access's question.
    own, _ = own_policies(policies)
    if check.question == "no-new-access":
        if check.baseline is None:
            raise InvalidInputError("a no-new-access check needs a baseline")
        return check_no_new_access(check.baseline, own, account=check.account, budget=budget)
    if check.question == "access-not-granted":
        return check_access_not_granted(own, check.actions, check.resources, account=check.account, budget=budget)
    # A trust policy is the resource policy of sts:AssumeRole*: its public-access question is the same one.
    policy = policies.resource or policies.trust
    if policy is None:
        raise InvalidInputError("a no-public-access check needs the suite's resource: or trust: policy")
    resource_type = check.resource_type
    if resource_type is None and policies.resource is None:
        resource_type = "AWS::IAM::AssumeRolePolicyDocument"
    return check_no_public_access(policy, resource_type=resource_type, account=check.account, budget=budget)


def run_case(suite: Suite, case: Case) -> CaseOutcome:
    """Run every action × resource request of ``case``; the results carry full explanations.

    A ``check:`` case is answered by the prover instead (:func:`run_check`).
    """
    if case.check is not None:
        return CaseOutcome(suite, case, (), run_check(suite.policies, case.check))
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
