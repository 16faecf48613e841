"""Builders for the compiled evaluator's tests: policies, conditions, requests, and a checked evaluate.

:func:`evaluate` runs every mode of the fast path (indexed, unindexed,
explained, ``is_allowed``) and fails when they disagree, so each example also
checks that the index and the trace do not change the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._engine.compiled import compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import Principal, Request
from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import Condition, Policy, PolicyKind
from iamsim._policy.operators import split_operator
from iamsim._policy.parse import parse_policy

ACCOUNT = "111111111111"
OTHER = "222222222222"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/s1"
FEDERATED = f"arn:aws:sts::{ACCOUNT}:federated-user/fed"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
BUCKET = "arn:aws:s3:::bucket"
OBJECT = "arn:aws:s3:::bucket/key"


def policy(
    kind: PolicyKind, *statements: Mapping[str, Any], version: str | None = "2012-10-17", name: str = "p"
) -> Policy:
    """Parse a policy of ``kind`` from statement mappings (``version=None`` leaves ``Version`` out)."""
    document: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        document["Version"] = version
    return parse_policy(document, kind, name=name)


def identity(*statements: Mapping[str, Any], name: str = "p", version: str | None = "2012-10-17") -> Policy:
    """An identity-based policy."""
    return policy(PolicyKind.IDENTITY, *statements, version=version, name=name)


def allow(action: str | list[str] = "s3:GetObject", resource: str | list[str] = "*", **more: Any) -> dict[str, Any]:
    """An Allow statement mapping."""
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


def deny(action: str | list[str] = "s3:GetObject", resource: str | list[str] = "*", **more: Any) -> dict[str, Any]:
    """A Deny statement mapping."""
    return {"Effect": "Deny", "Action": action, "Resource": resource, **more}


def condition(operator: str, key: str, *values: str) -> Condition:
    """A model condition, the way the parser builds it."""
    qualifier, base, if_exists = split_operator(operator)
    return Condition(operator, base, qualifier, if_exists, key, values)


def request(
    principal: str | Principal = USER,
    action: str = "s3:GetObject",
    resource: str = OBJECT,
    context: Mapping[str, object] | None = None,
    **more: Any,
) -> Request:
    """A request by ``principal`` (an ARN or a :class:`Principal`) with the principal's own keys."""
    caller = principal if isinstance(principal, Principal) else Principal.from_arn(principal)
    return Request.create(caller, action, resource, context, **more)


def evaluate(policies: PolicySet, req: Request) -> EvaluationResult:
    """Evaluate in every mode, check the modes agree, return the indexed result."""
    indexed = compile_policy_set(policies)
    unindexed = compile_policy_set(policies, use_index=False)
    result = indexed.evaluate(req)
    for other in (unindexed.evaluate(req), indexed.evaluate(req, explain=True), unindexed.evaluate(req, explain=True)):
        assert (other.decision, other.determining, other.denied_by, other.missing_context_keys) == (
            result.decision,
            result.determining,
            result.denied_by,
            result.missing_context_keys,
        )
    assert indexed.is_allowed(req) is result.allowed
    assert unindexed.is_allowed(req) is result.allowed
    return result
