"""Small builders for the reference evaluator's tests: policies from the model, requests from ARNs.

They build :mod:`iamsim._policy.model` objects directly (no JSON parser), so the
tests exercise the evaluator alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.request import Principal, Request
from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import Condition, Effect, Policy, PolicyKind, PrincipalSpec, SetQualifier, Statement

ACCOUNT = "111111111111"
OTHER = "222222222222"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/s1"
FEDERATED = f"arn:aws:sts::{ACCOUNT}:federated-user/fed"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
BUCKET = "arn:aws:s3:::bucket"


def _many(value: str | tuple[str, ...] | None) -> tuple[str, ...] | None:
    return (value,) if isinstance(value, str) else value


def cond(operator: str, key: str, *values: str) -> Condition:
    """A condition test from its operator as written (``ForAnyValue:StringLikeIfExists``)."""
    qualifier = None
    base = operator
    for candidate in SetQualifier:
        if base.startswith(candidate.value + ":"):
            qualifier = candidate
            base = base[len(candidate.value) + 1 :]
    if_exists = base.endswith("IfExists")
    if if_exists:
        base = base[: -len("IfExists")]
    return Condition(operator, base, qualifier, if_exists, key, tuple(values))


def stmt(
    effect: str = "Allow",
    *,
    action: str | tuple[str, ...] | None = "*",
    not_action: str | tuple[str, ...] | None = None,
    resource: str | tuple[str, ...] | None = "*",
    not_resource: str | tuple[str, ...] | None = None,
    principal: PrincipalSpec | None = None,
    not_principal: PrincipalSpec | None = None,
    conditions: tuple[Condition, ...] = (),
    sid: str | None = None,
) -> Statement:
    """A statement; pass ``action=None`` with ``not_action``, ``resource=None`` with ``not_resource``."""
    if not_action is not None:
        action = None
    if not_resource is not None:
        resource = None
    return Statement(
        index=0,
        effect=Effect(effect),
        sid=sid,
        action=_many(action),
        not_action=_many(not_action),
        resource=_many(resource),
        not_resource=_many(not_resource),
        principal=principal,
        not_principal=not_principal,
        conditions=conditions,
    )


def policy(kind: PolicyKind, *statements: Statement, version: str | None = "2012-10-17", name: str = "p") -> Policy:
    """A policy of ``kind`` whose statements are numbered in order."""
    numbered = tuple(replace(statement, index=index) for index, statement in enumerate(statements))
    return Policy(kind, numbered, version, name=name)


def identity(*statements: Statement, version: str | None = "2012-10-17", name: str = "id") -> Policy:
    """An identity-based policy."""
    return policy(PolicyKind.IDENTITY, *statements, version=version, name=name)


def resource_policy(*statements: Statement, name: str = "res") -> Policy:
    """A resource-based policy."""
    return policy(PolicyKind.RESOURCE, *statements, name=name)


def aws(*entries: str) -> PrincipalSpec:
    """An ``{"AWS": [...]}`` principal."""
    return PrincipalSpec(aws=entries)


EVERYONE = PrincipalSpec(wildcard=True)


def request(
    principal: str | Principal = USER,
    action: str = "s3:GetObject",
    resource: str = f"{BUCKET}/key",
    context: Mapping[str, object] | None = None,
    *,
    resource_account: str | None = None,
) -> Request:
    """A request by ``principal`` (an ARN or a :class:`Principal`)."""
    caller = Principal.from_arn(principal) if isinstance(principal, str) else principal
    return Request.create(caller, action, resource, context, resource_account=resource_account)


def decide(policies: PolicySet, req: Request) -> EvaluationResult:
    """Evaluate, checking on the way that explaining does not change the outcome."""
    plain = evaluate_reference(policies, req)
    explained = evaluate_reference(policies, req, explain=True)
    if (plain.decision, plain.determining, plain.denied_by, plain.missing_context_keys) != (
        explained.decision,
        explained.determining,
        explained.denied_by,
        explained.missing_context_keys,
    ):
        raise AssertionError("explain=True changed the result")
    return plain


def allowed_by_identity(statement: Statement, req: Request) -> bool:
    """Whether an identity policy holding just ``statement`` allows ``req``."""
    return decide(PolicySet(identity=(identity(statement),)), req).allowed


def allowed_by_resource_policy(statement: Statement, req: Request) -> bool:
    """Whether a resource policy holding just ``statement`` allows ``req`` (same account, no identity policy)."""
    return decide(PolicySet(resource=resource_policy(statement)), req).allowed
