"""iamsim: AWS IAM and STS emulated in-process, with AWS's real decision logic.

The facade re-exports the public API; everything else lives in private modules.

Evaluate policies without any world::

    import iamsim

    result = iamsim.evaluate(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::company1-logs/app.log",
        identity=[{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::company1-logs/*"}]}],
    )
    assert result.allowed

Or build a world of accounts, roles and credentials with :class:`Simulator`.
"""

from __future__ import annotations

from iamsim._clock import Clock, ManualClock, SystemClock
from iamsim._engine.policy_set import PolicySet, PolicySlot
from iamsim._engine.request import ContextValue, Principal, PrincipalType, Request
from iamsim._engine.result import (
    ConditionTrace,
    Decision,
    EvaluationResult,
    Explanation,
    PolicyTrace,
    StatementOutcome,
    StatementRef,
    StatementTrace,
)
from iamsim._evaluate import PolicyEvaluator, PolicyInput, authorize, build_policy_set, evaluate, is_allowed
from iamsim._policy.model import Condition, Effect, Policy, PolicyKind, PrincipalSpec, SetQualifier, Span, Statement
from iamsim._policy.parse import parse_policy
from iamsim._policy.render import policy_to_dict, render_policy
from iamsim._prover import (
    Budget,
    CheckResult,
    Verdict,
    Witness,
    check_access_not_granted,
    check_no_new_access,
    check_no_public_access,
)
from iamsim._simulator import Simulator
from iamsim._sts.credentials import Credentials
from iamsim.errors import AccessDeniedError, IamSimError, MalformedPolicyDocumentError, ServiceError, UsageError

__version__ = "0.1.0"

__all__ = [
    "AccessDeniedError",
    "Budget",
    "CheckResult",
    "Clock",
    "Condition",
    "ConditionTrace",
    "ContextValue",
    "Credentials",
    "Decision",
    "Effect",
    "EvaluationResult",
    "Explanation",
    "IamSimError",
    "MalformedPolicyDocumentError",
    "ManualClock",
    "Policy",
    "PolicyEvaluator",
    "PolicyInput",
    "PolicyKind",
    "PolicySet",
    "PolicySlot",
    "PolicyTrace",
    "Principal",
    "PrincipalSpec",
    "PrincipalType",
    "Request",
    "ServiceError",
    "SetQualifier",
    "Simulator",
    "Span",
    "Statement",
    "StatementOutcome",
    "StatementRef",
    "StatementTrace",
    "SystemClock",
    "UsageError",
    "Verdict",
    "Witness",
    "__version__",
    "authorize",
    "build_policy_set",
    "check_access_not_granted",
    "check_no_new_access",
    "check_no_public_access",
    "evaluate",
    "is_allowed",
    "parse_policy",
    "policy_to_dict",
    "render_policy",
]
