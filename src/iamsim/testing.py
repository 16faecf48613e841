"""Assertions for tests, with the reason in the failure message; no pytest needed.

::

    from iamsim.testing import assert_allowed, assert_denied

    assert_allowed(sim, alice_key, "s3:GetObject", "arn:aws:s3:::logs/app.log")
    assert_denied(sim, session_credentials, "iam:CreateRole", role_arn, decision="explicitDeny")

``who`` is anything the simulator accepts as a caller (credentials, an access key
record, a principal) or the ``Credentials`` dict boto3 returns from ``assume_role``.
A failed assertion raises :class:`AssertionError` whose message says which statements
decided, which statements did not apply and why, and which conditions failed with the
values the policy wanted and the values the request had.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._engine.result import ConditionTrace, Decision, EvaluationResult, PolicyTrace, StatementOutcome
from iamsim._simulator import Simulator
from iamsim._sts.credentials import Credentials
from iamsim.errors import IamSimError

__all__ = ["assert_allowed", "assert_denied", "describe_result"]


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


def _values(values: tuple[str, ...] | None) -> str:
    if values is None:
        return "absent"
    return "[" + ", ".join(repr(v) for v in values) + "]"


def _condition_line(condition: ConditionTrace) -> str:
    verdict = "passed" if condition.passed else "FAILED"
    return (
        f"{condition.operator} {condition.key}: policy wants {_values(condition.policy_values)}, "
        f"request has {_values(condition.request_values)} -> {verdict}"
    )


def _policy_lines(trace: PolicyTrace) -> list[str]:
    name = f' "{trace.policy_name}"' if trace.policy_name else ""
    level = f" (level {trace.level})" if trace.kind.value in ("scp", "rcp") else ""
    lines = [f"  {trace.kind.label} policy{name}{level}:"]
    for statement in trace.statements:
        ref = statement.ref
        sid = f' Sid "{ref.sid}"' if ref.sid else ""
        lines.append(f"    statement {ref.statement_index}{sid} ({ref.effect.value}): {statement.outcome.value}")
        if statement.outcome in (StatementOutcome.CONDITION_NOT_MET, StatementOutcome.MATCHED):
            lines.extend(f"      {_condition_line(c)}" for c in statement.conditions)
    return lines


def describe_result(result: EvaluationResult) -> str:
    """A multi-line account of an evaluation: decision, deciding statements, every policy's statements."""
    request = result.request
    lines = [
        f"decision: {result.decision.value} for {request.principal.arn} -> {request.action} on {request.resource}",
        f"message: {result.message()}",
    ]
    if result.rule is not None:
        lines.append(f"standing rule {result.rule.name}: {result.rule.reason} ({result.rule.spec})")
    if result.key_policy is not None:
        lines.append(result.key_policy.describe())
    if result.determining:
        lines.append("decided by:")
        lines.extend(f"  {ref.describe()}" for ref in result.determining)
    if result.missing_context_keys:
        lines.append("missing context keys: " + ", ".join(result.missing_context_keys))
    if result.explanation is not None:
        if result.explanation.policies:
            lines.append("policies:")
            for trace in result.explanation.policies:
                lines.extend(_policy_lines(trace))
        else:
            lines.append("policies: none applied to this caller")
        if result.explanation.steps:
            lines.append("steps:")
            lines.extend(f"  {step}" for step in result.explanation.steps)
    return "\n".join(lines)


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
    result = simulator.explain(
        _who(who),
        action,
        resource,
        context=context,
        resource_policy=resource_policy,
        resource_account=resource_account,
    )
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
            raise IamSimError(f"decision must be explicitDeny or implicitDeny, not {decision!r}") from None
        if wanted is Decision.ALLOWED:
            raise IamSimError("assert_denied cannot expect 'allowed'; use assert_allowed")
    result = simulator.explain(
        _who(who),
        action,
        resource,
        context=context,
        resource_policy=resource_policy,
        resource_account=resource_account,
    )
    if result.allowed:
        raise AssertionError(f"expected {action} on {resource} to be denied\n{describe_result(result)}")
    if wanted is not None and result.decision is not wanted:
        raise AssertionError(
            f"expected {action} on {resource} to be {wanted.value}, got {result.decision.value}\n"
            f"{describe_result(result)}"
        )
    return result
