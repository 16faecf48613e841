"""Assertions for tests, with the reason in the failure message; no pytest needed.

::

    from iamsim.testing import assert_allowed, assert_denied

    assert_allowed(sim, alice_key, "s3:GetObject", "arn:aws:s3:::logs/app.log")
    assert_denied(sim, session_credentials, "iam:CreateRole", role_arn, decision="explicitDeny")

``who`` is anything the simulator accepts as a caller (credentials, an access key
record, a principal) or the ``Credentials`` dict boto3 returns from ``assume_role``.
A failed assertion raises :class:`AssertionError` whose message says which statements
decided, which conditions failed with the values the policy wanted and the values the
request had, and the decision steps, in the same words as ``iamsim evaluate --explain``
(:func:`describe_result`). Like the boto3 hook's decision on the real call, they read
what governs the resource from ``sim.resources`` (its resource-based policy, owner and
tags); ``resource_policy=``, ``resource_account=`` and ``context=`` keys replace them.

The prover's questions, asked for every request rather than one (``iamsim check``)::

    from iamsim.testing import assert_access_not_granted, assert_no_new_access

    assert_no_new_access(deployed_policy, proposed_policy)
    assert_access_not_granted(proposed_policy, ["iam:*", "s3:Delete*"])

fail with the witness requests (each re-checked by both evaluators) in the
message; an UNKNOWN answer fails too, with its reason: nothing was proved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamsim._bundle import PolicyBundle
from iamsim._enforce.governing import NOTHING, governing_inputs
from iamsim._engine.result import Decision, EvaluationResult
from iamsim._explain import describe_result
from iamsim._policy.model import Policy
from iamsim._prover import (
    DEFAULT_ACCOUNT,
    DEFAULT_BUDGET,
    Budget,
    CheckResult,
    check_access_not_granted,
    check_no_new_access,
    check_no_public_access,
)
from iamsim._prover.describe import check_failure_text
from iamsim._simulator import Simulator
from iamsim._simulator.resources import DeniedCall
from iamsim._sts.credentials import Credentials
from iamsim.errors import UsageError

__all__ = [
    "assert_access_not_granted",
    "assert_allowed",
    "assert_call_denied",
    "assert_denied",
    "assert_no_new_access",
    "assert_no_public_access",
    "describe_result",
]

#: What the prover's check functions accept as "the policies".
Policies = PolicyBundle | Policy | Sequence[Policy]


def _who(who: Any) -> Any:
    """boto3's ``Credentials`` dict becomes simulator credentials; anything else is passed on."""
    if isinstance(who, Mapping) and "AccessKeyId" in who:
        return Credentials(
            str(who["AccessKeyId"]),
            str(who["SecretAccessKey"]),
            who.get("SessionToken"),
            who.get("Expiration"),
        )
    return who


def _explained(
    simulator: Simulator,
    who: Any,
    action: str,
    resource: str,
    context: Mapping[str, object] | None,
    resource_policy: Any,
    resource_account: str | None,
) -> EvaluationResult:
    """The explained result both assertions judge (one place, so they always ask the same question).

    What the caller leaves out comes from what the boto3 hook would decide the same request
    with (:func:`governing_inputs`): the governing resource policy, the owner, the resource's
    tags. A context key the caller gives replaces the tag key of the same name, in any case.
    """
    policy, owner, tag_context = (
        governing_inputs(simulator, action, resource)
        if isinstance(action, str) and isinstance(resource, str)
        else NOTHING  # the simulator refuses such a request in its own words
    )
    given = {str(key).lower() for key in context or ()}
    tags = {key: value for key, value in tag_context.items() if key.lower() not in given}
    return simulator.explain(
        _who(who),
        action,
        resource,
        context={**tags, **(context or {})} or None,
        resource_policy=policy if resource_policy is None else resource_policy,
        resource_account=owner if resource_account is None else resource_account,
    )


def assert_allowed(
    simulator: Simulator,
    who: Any,
    action: str,
    resource: str = "*",
    *,
    context: Mapping[str, object] | None = None,
    resource_policy: Any = None,
    resource_account: str | None = None,
) -> EvaluationResult:
    """Assert that ``who`` may perform ``action`` on ``resource``; return the explained result.

    Credential problems (expired, unknown) raise the simulator's service errors, not
    ``AssertionError``: they are not decisions.
    """
    result = _explained(simulator, who, action, resource, context, resource_policy, resource_account)
    if not result.allowed:
        raise AssertionError(f"expected {action} on {resource} to be allowed\n{describe_result(result)}")
    return result


def assert_denied(
    simulator: Simulator,
    who: Any,
    action: str,
    resource: str = "*",
    *,
    decision: Decision | str | None = None,
    context: Mapping[str, object] | None = None,
    resource_policy: Any = None,
    resource_account: str | None = None,
) -> EvaluationResult:
    """Assert that ``who`` may not perform ``action`` on ``resource``; return the explained result.

    ``decision`` (``"explicitDeny"`` or ``"implicitDeny"``) also pins how it is denied.
    """
    wanted = None
    if decision is not None:
        try:
            wanted = Decision(decision)
        except ValueError:
            raise UsageError(f"decision must be explicitDeny or implicitDeny, not {decision!r}") from None
        if wanted is Decision.ALLOWED:
            raise UsageError("assert_denied cannot expect 'allowed'; use assert_allowed")
    result = _explained(simulator, who, action, resource, context, resource_policy, resource_account)
    if result.allowed:
        raise AssertionError(f"expected {action} on {resource} to be denied\n{describe_result(result)}")
    if wanted is not None and result.decision is not wanted:
        raise AssertionError(
            f"expected {action} on {resource} to be {wanted.value}, got {result.decision.value}\n"
            f"{describe_result(result)}"
        )
    return result


def assert_call_denied(
    simulator: Simulator, service: str, operation: str, *, action: str | None = None, code: str | None = None
) -> DeniedCall:
    """Assert that iamsim refused a call to ``service`` ``operation`` (through :mod:`iamsim.boto3`); return it.

    The newest matching refusal in ``simulator.resources.denials`` is returned with its
    explained result (``.result``); ``action`` and ``code`` (``AccessDenied``,
    ``ExpiredToken``...) narrow the match. A failing assertion lists every refusal kept, why.
    """
    denials = simulator.resources.denials
    for denial in reversed(denials):
        matches = (denial.service, denial.operation) == (service, operation)
        if matches and action in (None, denial.action) and code in (None, denial.code):
            return denial
    kept = "\n".join(f"  {d.service}:{d.operation} {d.action} on {d.resource}: {d.code}: {d.message}" for d in denials)
    raise AssertionError(f"expected iamsim to have refused {service}:{operation}; refusals kept:\n{kept or '  none'}")


def _proved(result: CheckResult) -> CheckResult:
    if not result.passed:
        raise AssertionError(check_failure_text(result))
    return result


def assert_no_new_access(
    old: Policies, new: Policies, *, account: str = DEFAULT_ACCOUNT, budget: Budget = DEFAULT_BUDGET
) -> CheckResult:
    """Assert that ``new`` allows no request ``old`` does not, for every request (the prover's PASS).

    Raises :class:`AssertionError` listing the witness requests on FAIL, or the
    reason on UNKNOWN; returns the PASS result.
    """
    return _proved(check_no_new_access(old, new, account=account, budget=budget))


def assert_access_not_granted(
    policies: Policies,
    actions: Sequence[str],
    resources: Sequence[str] = (),
    *,
    account: str = DEFAULT_ACCOUNT,
    budget: Budget = DEFAULT_BUDGET,
) -> CheckResult:
    """Assert that no request for ``actions`` (on ``resources``, when given) is allowed by ``policies``."""
    return _proved(check_access_not_granted(policies, actions, resources, account=account, budget=budget))


def assert_no_public_access(
    policy: Policy,
    *,
    resource_type: str | None = None,
    account: str = DEFAULT_ACCOUNT,
    budget: Budget = DEFAULT_BUDGET,
) -> CheckResult:
    """Assert that the resource (or trust) ``policy`` lets nobody outside ``account`` in."""
    return _proved(check_no_public_access(policy, resource_type=resource_type, account=account, budget=budget))
