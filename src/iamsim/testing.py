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
(:func:`describe_result`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._engine.result import Decision, EvaluationResult
from iamsim._explain import describe_result
from iamsim._simulator import Simulator
from iamsim._sts.credentials import Credentials
from iamsim.errors import UsageError

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
            raise UsageError(f"decision must be explicitDeny or implicitDeny, not {decision!r}") from None
        if wanted is Decision.ALLOWED:
            raise UsageError("assert_denied cannot expect 'allowed'; use assert_allowed")
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
