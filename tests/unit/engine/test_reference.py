"""The reference evaluator's decisions and result fields (spec §F, docs/evaluation.md "Combining").

Matching details (§B), conditions (§C), variables (§D) and principals (§A.3,
§F.2) have their own files under ``tests/unit/engine/reference/``; this file
covers the combining steps, every field of the result, and the explanation.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.request import Principal, Request
from iamsim._engine.result import ConditionTrace, Decision, EvaluationResult, StatementOutcome
from iamsim._policy.model import Condition, Effect, Policy, PolicyKind, PrincipalSpec, Statement

A = "111111111111"
B = "222222222222"
USER = f"arn:aws:iam::{A}:user/alice"
ROLE = f"arn:aws:iam::{A}:role/target"
ROLE_B = f"arn:aws:iam::{B}:role/target"
CALLER_ROLE = f"arn:aws:iam::{A}:role/app"
QUEUE = f"arn:aws:sqs:us-east-1:{A}:queue"
QUEUE_B = f"arn:aws:sqs:us-east-1:{B}:queue"


def statement(effect: str = "Allow", action: str = "*", resource: str | None = "*", **more: Any) -> Statement:
    """A statement with one action and one resource (``resource=None``: no resource element)."""
    return Statement(0, Effect(effect), action=(action,), resource=None if resource is None else (resource,), **more)


def make(kind: PolicyKind, *statements: Statement, name: str = "p") -> Policy:
    """A Version 2012-10-17 policy of ``kind`` with statements numbered in order."""
    return Policy(kind, tuple(replace(s, index=i) for i, s in enumerate(statements)), name=name)


def principal(*aws: str, service: str | None = None) -> PrincipalSpec:
    """A Principal element naming AWS principals or one service."""
    return PrincipalSpec(aws=aws, service=(service,) if service else ())


def condition(operator: str, key: str, *values: str) -> Condition:
    """A condition test with a plain operator (no qualifier, no IfExists unless ``Null``)."""
    return Condition(operator, operator, None, False, key, values)


ALLOW_ALL = make(PolicyKind.IDENTITY, statement(), name="allow-all")
ALLOW_NOTHING = make(PolicyKind.IDENTITY, statement(action="none:None"), name="allow-nothing")
SCP_ALL = make(PolicyKind.SCP, statement(), name="FullAWSAccess")
RCP_ALL = make(PolicyKind.RCP, statement(principal=PrincipalSpec(wildcard=True)), name="RCPFullAWSAccess")


def run(
    policies: PolicySet,
    caller: str | Principal = USER,
    action: str = "sqs:SendMessage",
    resource: str = QUEUE,
    context: dict[str, object] | None = None,
    **kw: Any,
) -> EvaluationResult:
    """Evaluate with and without explanation; both must agree."""
    who = Principal.from_arn(caller) if isinstance(caller, str) else caller
    req = Request.create(who, action, resource, context, **kw)
    plain = evaluate_reference(policies, req)
    traced = evaluate_reference(policies, req, explain=True)
    assert plain.explanation is None
    assert traced.explanation is not None
    assert (plain.decision, plain.determining, plain.denied_by, plain.missing_context_keys) == (
        traced.decision,
        traced.determining,
        traced.denied_by,
        traced.missing_context_keys,
    )
    return plain


# --- §F.1 step 0 and 1: default deny, explicit deny wins -------------------------------------------


def test_f1_default_is_implicit_deny_by_identity() -> None:
    """§F.1 step 0: with no policies, a request is implicitly denied."""
    result = run(PolicySet())
    assert result.decision is Decision.IMPLICIT_DENY
    assert result.denied_by is PolicyKind.IDENTITY
    assert result.determining == ()
    assert "because no identity-based policy allows the sqs:SendMessage action" in result.message()


def test_f1_explicit_deny_beats_allow_and_lists_every_matching_deny() -> None:
    """§F.1 step 1: any matching Deny is final; ``determining`` lists all matching Denys in order."""
    identity = make(PolicyKind.IDENTITY, statement(), statement("Deny", sid="One"), statement("Deny", "s3:*"))
    boundary = make(PolicyKind.BOUNDARY, statement("Deny", sid="Two"))
    result = run(PolicySet(identity=(identity,), boundary=boundary))
    assert result.decision is Decision.EXPLICIT_DENY
    assert [(r.kind, r.statement_index) for r in result.determining] == [
        (PolicyKind.IDENTITY, 1),
        (PolicyKind.BOUNDARY, 0),
    ]
    assert result.denied_by is PolicyKind.IDENTITY
    assert result.message().endswith("with an explicit deny in an identity-based policy")


@pytest.mark.parametrize(
    ("where", "kind"),
    [
        ("scp", PolicyKind.SCP),
        ("rcp", PolicyKind.RCP),
        ("resource", PolicyKind.RESOURCE),
        ("session", PolicyKind.SESSION),
    ],
)
def test_f1_explicit_deny_names_the_first_kind_in_canonical_order(where: str, kind: PolicyKind) -> None:
    """docs/evaluation.md Combining 1: the denial names the first kind: SCP, RCP, resource, identity, ..."""
    deny = statement("Deny", principal=PrincipalSpec(wildcard=True))
    sets = {
        "scp": PolicySet(scp_levels=((make(PolicyKind.SCP, statement(), statement("Deny")),),)),
        "rcp": PolicySet(rcp_levels=((make(PolicyKind.RCP, deny),),)),
        "resource": PolicySet(resource=make(PolicyKind.RESOURCE, deny)),
        "session": PolicySet(session=(make(PolicyKind.SESSION, statement("Deny")),)),
    }
    base = sets[where]
    policies = replace(base, identity=(make(PolicyKind.IDENTITY, statement("Deny")),))
    result = run(policies, caller=CALLER_ROLE)
    assert result.decision is Decision.EXPLICIT_DENY
    expected = kind if where != "session" else PolicyKind.IDENTITY
    assert result.denied_by is expected


# --- §F.1 step 2 and §F.5: RCPs and SCPs ----------------------------------------------------------


def test_f5_every_scp_level_must_allow() -> None:
    """§F.5: an Allow must exist at every level; a missing one is an implicit deny by the SCP."""
    ok = PolicySet(identity=(ALLOW_ALL,), scp_levels=((SCP_ALL,), (SCP_ALL,)))
    assert run(ok).allowed
    broken = PolicySet(
        identity=(ALLOW_ALL,), scp_levels=((SCP_ALL,), (make(PolicyKind.SCP, statement("Allow", "s3:*")),))
    )
    result = run(broken)
    assert result.decision is Decision.IMPLICIT_DENY
    assert result.denied_by is PolicyKind.SCP
    assert result.determining == ()


def test_f1_rcps_are_checked_before_scps() -> None:
    """§F.1 step 2: a level of RCPs without an Allow denies, named as the resource control policy."""
    no_rcp_allow = make(PolicyKind.RCP, statement("Allow", "s3:*", principal=PrincipalSpec(wildcard=True)))
    policies = PolicySet(identity=(ALLOW_ALL,), rcp_levels=((no_rcp_allow,),), scp_levels=((ALLOW_NOTHING,),))
    result = run(policies)
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.RCP)


def test_f5_scps_apply_to_the_member_root_user() -> None:
    """§F.2/§F.5: the root user is unaffected by identity policies but limited by SCPs."""
    assert run(PolicySet(), caller=A).allowed
    scp = make(PolicyKind.SCP, statement("Allow", "s3:*"))
    assert run(PolicySet(scp_levels=((scp,),)), caller=A).denied_by is PolicyKind.SCP


def test_f1_allowed_lists_every_matching_allow_of_every_policy() -> None:
    """result.py: for an allow, ``determining`` is every matching Allow (SCPs, identity, boundary, ...)."""
    # A managed (identity-kind) policy used as the boundary: its slot kind is BOUNDARY.
    boundary = make(PolicyKind.IDENTITY, statement(action="sqs:*"), name="boundary")
    policies = PolicySet(
        identity=(make(PolicyKind.IDENTITY, statement(), statement(action="s3:*"), statement(sid="Again")),),
        boundary=boundary,
        scp_levels=((SCP_ALL,),),
        rcp_levels=((RCP_ALL,),),
    )
    result = run(policies)
    assert result.decision is Decision.ALLOWED
    assert result.denied_by is None
    assert [(r.kind, r.level, r.position, r.statement_index) for r in result.determining] == [
        (PolicyKind.SCP, 0, 0, 0),
        (PolicyKind.RCP, 0, 0, 0),
        (PolicyKind.IDENTITY, 0, 0, 0),
        (PolicyKind.IDENTITY, 0, 0, 2),
        (PolicyKind.BOUNDARY, 0, 0, 0),
    ]
    assert result.determining[3].sid == "Again"
    assert result.determining[4].policy_name == "boundary"


# --- §F.1 steps 4-6: boundary and session ---------------------------------------------------------


def test_f1_boundary_must_allow() -> None:
    """§F.1 step 5: a boundary without a matching Allow is an implicit deny by the boundary."""
    result = run(PolicySet(identity=(ALLOW_ALL,), boundary=make(PolicyKind.BOUNDARY, statement(action="s3:*"))))
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.BOUNDARY)
    assert "because no permissions boundary allows" in result.message()


def test_f1_session_policies_must_allow_for_sessions() -> None:
    """§F.1 step 6: a session policy that was passed must allow."""
    only_s3 = make(PolicyKind.SESSION, statement(action="s3:*"))
    result = run(PolicySet(identity=(ALLOW_ALL,), session=(only_s3,)), caller=CALLER_ROLE)
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.SESSION)
    assert run(PolicySet(identity=(ALLOW_ALL,)), caller=CALLER_ROLE).allowed


def test_f1_federated_user_without_session_policy_is_denied() -> None:
    """§F.1 step 6/§G.5: a federated-user session with no session policy has no permissions."""
    federated = f"arn:aws:sts::{A}:federated-user/fed"
    result = run(PolicySet(identity=(ALLOW_ALL,)), caller=federated)
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.SESSION)
    allowed = run(PolicySet(identity=(ALLOW_ALL,), session=(make(PolicyKind.SESSION, statement()),)), caller=federated)
    assert allowed.allowed


def test_f1_session_policies_do_not_limit_non_session_principals() -> None:
    """§F.1 step 6: for a non-session principal the session step allows."""
    assert run(PolicySet(identity=(ALLOW_ALL,), session=(make(PolicyKind.SESSION, statement(action="s3:*")),))).allowed


# --- §F.3: cross-account --------------------------------------------------------------------------


def test_f3_cross_account_needs_both_sides() -> None:
    """§F.3: a cross-account request needs the resource policy AND the identity side."""
    grant = make(PolicyKind.RESOURCE, statement(principal=principal(USER)))
    both = run(PolicySet(identity=(ALLOW_ALL,), resource=grant), caller=USER, resource=QUEUE_B)
    assert both.allowed
    resource_only = run(PolicySet(resource=grant), resource=QUEUE_B)
    assert (resource_only.decision, resource_only.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.IDENTITY)
    identity_only = run(PolicySet(identity=(ALLOW_ALL,)), resource=QUEUE_B)
    assert (identity_only.decision, identity_only.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.RESOURCE)


def test_f3_account_principal_of_the_caller_account_grants_cross_account() -> None:
    """§F.3: ``"AWS": "A"`` delegates to account A; A's identity policies then decide."""
    grant = make(PolicyKind.RESOURCE, statement(principal=principal(A)))
    assert run(PolicySet(identity=(ALLOW_ALL,), resource=grant), resource=QUEUE_B).allowed


def test_b2_s3_resource_account_comes_from_metadata() -> None:
    """§B.2 (MUST): S3 ARNs carry no account; ``resource_account`` makes the request cross-account."""
    grant = make(PolicyKind.RESOURCE, statement(principal=principal(USER)))
    same = run(PolicySet(resource=grant), action="s3:GetObject", resource="arn:aws:s3:::bucket/k")
    assert same.allowed
    cross = run(PolicySet(resource=grant), action="s3:GetObject", resource="arn:aws:s3:::bucket/k", resource_account=B)
    assert cross.denied_by is PolicyKind.IDENTITY


# --- §F.4: AssumeRole and trust policies ----------------------------------------------------------


def trust(*aws: str, service: str | None = None) -> Policy:
    """A role trust policy allowing ``sts:AssumeRole`` to the given principals."""
    return make(
        PolicyKind.TRUST, statement(action="sts:AssumeRole", resource=None, principal=principal(*aws, service=service))
    )


def assume(policies: PolicySet, caller: str | Principal = USER, role: str = ROLE) -> EvaluationResult:
    """Evaluate ``sts:AssumeRole`` on ``role``."""
    return run(policies, caller=caller, action="sts:AssumeRole", resource=role)


def test_f4_trusting_the_account_needs_an_identity_allow() -> None:
    """§F.4: the trust policy trusts the account, and the caller's identity policy allows AssumeRole."""
    assert assume(PolicySet(identity=(ALLOW_ALL,), resource=trust(A))).allowed
    denied = assume(PolicySet(resource=trust(A)))
    assert (denied.decision, denied.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.IDENTITY)


def test_f4_naming_the_user_needs_no_identity_policy() -> None:
    """§F.4: the trust policy names the user directly; no identity policy is needed."""
    result = assume(PolicySet(resource=trust(USER)))
    assert result.allowed
    assert [r.kind for r in result.determining] == [PolicyKind.TRUST]


def test_f4_callers_boundary_must_allow_even_when_named_directly() -> None:
    """§F.4: a caller's boundary must allow sts:AssumeRole even when the trust policy names the caller."""
    boundary = make(PolicyKind.BOUNDARY, statement(action="s3:*"))
    result = assume(PolicySet(resource=trust(USER), boundary=boundary))
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.BOUNDARY)


def test_f4_no_identity_only_path() -> None:
    """§F.4: identity permissions alone never suffice, even for an administrator."""
    result = assume(PolicySet(identity=(ALLOW_ALL,), resource=trust(f"arn:aws:iam::{A}:user/bob")))
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.TRUST)
    assert "because no role trust policy allows the sts:AssumeRole action" in result.message()


def test_f4_role_assuming_itself_needs_explicit_trust() -> None:
    """§F.4 (2022-2023 change): a role session assuming its own role needs the trust policy to allow it."""
    own = Principal.from_arn(ROLE, session_name="self")
    assert assume(PolicySet(identity=(ALLOW_ALL,), resource=trust(f"arn:aws:iam::{A}:user/bob")), own).denied_by is (
        PolicyKind.TRUST
    )
    assert assume(PolicySet(resource=trust(ROLE)), own).allowed


def test_f4_cross_account_needs_trust_and_identity() -> None:
    """§F.4: cross-account, the trust policy must trust the caller AND the caller's account must grant."""
    assert assume(PolicySet(identity=(ALLOW_ALL,), resource=trust(A)), role=ROLE_B).allowed
    assert assume(PolicySet(resource=trust(USER)), role=ROLE_B).denied_by is PolicyKind.IDENTITY
    no_trust = assume(PolicySet(identity=(ALLOW_ALL,), resource=trust(f"arn:aws:iam::{A}:user/bob")), role=ROLE_B)
    assert no_trust.denied_by is PolicyKind.TRUST


def test_f4_service_principal_assumes_a_role() -> None:
    """§F.4: a service listed under Principal.Service may assume the role; its identity is not consulted."""
    ec2 = Principal.for_service("ec2.amazonaws.com")
    assert assume(PolicySet(resource=trust(service="ec2.amazonaws.com")), ec2).allowed
    assert assume(PolicySet(resource=trust(A)), ec2).denied_by is PolicyKind.TRUST


def test_f4_web_identity_needs_the_provider_in_federated() -> None:
    """§F.4: AssumeRoleWithWebIdentity: the trust policy must name the identity provider."""
    caller = Principal.for_web_identity("accounts.google.com", "sub")
    named = make(
        PolicyKind.TRUST,
        statement(
            action="sts:AssumeRoleWithWebIdentity",
            resource=None,
            principal=PrincipalSpec(federated=("accounts.google.com",)),
        ),
    )
    assert run(PolicySet(resource=named), caller=caller, action="sts:AssumeRoleWithWebIdentity", resource=ROLE).allowed


# --- missing context keys -------------------------------------------------------------------------


def test_missing_context_keys_follow_the_result_contract() -> None:
    """result.py: keys of principal-matched statements, Null-only keys excluded, deduplicated and sorted."""
    identity = make(
        PolicyKind.IDENTITY,
        statement(
            conditions=(
                condition("StringEquals", "AWS:principaltag/team", "red"),
                condition("Null", "test:OnlyNull", "true"),
            )
        ),
        statement(
            "Deny",
            conditions=(
                condition("StringEquals", "aws:PrincipalTag/Team", "blue"),
                condition("NumericLessThan", "aws:MultiFactorAuthAge", "60"),
            ),
        ),
        statement(action="s3:*", conditions=(condition("StringEquals", "test:OtherAction", "x"),)),
        statement(conditions=(condition("Null", "test:Both", "false"), condition("StringEquals", "test:both", "y"))),
        statement(conditions=(condition("StringEquals", "aws:username", "alice"),)),
    )
    result = run(PolicySet(identity=(identity,)))
    assert result.missing_context_keys == ("aws:MultiFactorAuthAge", "AWS:principaltag/team", "test:both")
    assert result.decision is Decision.ALLOWED  # statement 4 matched on aws:username


def test_missing_context_keys_skip_statements_failing_earlier_checks() -> None:
    """result.py: a statement whose resource or principal did not match reports nothing."""
    resource = make(
        PolicyKind.RESOURCE, statement(principal=principal(B), conditions=(condition("Bool", "test:A", "true"),))
    )
    identity = make(
        PolicyKind.IDENTITY, statement(resource="arn:aws:s3:::*", conditions=(condition("Bool", "test:B", "true"),))
    )
    assert run(PolicySet(identity=(identity,), resource=resource)).missing_context_keys == ()


# --- explanation ----------------------------------------------------------------------------------


def test_explanation_traces_each_policy_and_the_first_failing_check() -> None:
    """Explanation: one PolicyTrace per slot in order; outcome = first failing check; conditions all traced."""
    resource = make(
        PolicyKind.RESOURCE,
        statement(principal=principal(B)),
        statement(
            principal=principal(A),
            conditions=(
                condition("StringEquals", "test:Absent", "a"),
                condition("StringEquals", "aws:PrincipalType", "User", "Role"),
                condition("Bool", "test:Flag", "true"),
            ),
        ),
        name="queue-policy",
    )
    identity = make(
        PolicyKind.IDENTITY, statement(action="s3:*"), statement(resource="arn:aws:s3:::*"), statement(), name="mine"
    )
    scp = make(PolicyKind.SCP, statement(), name="full")
    policies = PolicySet(identity=(identity,), resource=resource, scp_levels=((scp,),))
    req = Request.create(Principal.from_arn(USER), "sqs:SendMessage", QUEUE, {"test:flag": ["true", "false"]})
    result = evaluate_reference(policies, req, explain=True)
    assert result.explanation is not None
    traces = result.explanation.policies
    assert [(t.kind, t.policy_name) for t in traces] == [
        (PolicyKind.SCP, "full"),
        (PolicyKind.RESOURCE, "queue-policy"),
        (PolicyKind.IDENTITY, "mine"),
    ]
    assert [s.outcome for s in traces[1].statements] == [
        StatementOutcome.PRINCIPAL_NOT_MATCHED,
        StatementOutcome.CONDITION_NOT_MET,
    ]
    assert traces[1].statements[1].conditions == (
        ConditionTrace("StringEquals", "test:Absent", ("a",), None, False),
        ConditionTrace("StringEquals", "aws:PrincipalType", ("User", "Role"), ("User",), True),
        ConditionTrace("Bool", "test:Flag", ("true",), ("true", "false"), True),
    )
    assert [s.outcome for s in traces[2].statements] == [
        StatementOutcome.ACTION_NOT_MATCHED,
        StatementOutcome.RESOURCE_NOT_MATCHED,
        StatementOutcome.MATCHED,
    ]
    assert traces[2].statements[0].conditions == ()
    assert result.explanation.steps  # a narration exists; its wording is free
    assert result.missing_context_keys == ("test:Absent",)


def test_explanation_reports_slot_kind_for_trust_and_boundary() -> None:
    """StatementRef.kind is the slot kind: TRUST for a trust policy, BOUNDARY for a managed policy used as one."""
    managed = make(PolicyKind.IDENTITY, statement(), name="managed")
    policies = PolicySet(resource=trust(USER), boundary=managed)
    result = evaluate_reference(
        policies, Request.create(Principal.from_arn(USER), "sts:AssumeRole", ROLE), explain=True
    )
    assert result.explanation is not None
    assert [t.kind for t in result.explanation.policies] == [PolicyKind.TRUST, PolicyKind.BOUNDARY]
    assert [r.kind for r in result.determining] == [PolicyKind.TRUST, PolicyKind.BOUNDARY]


def test_explanation_is_absent_unless_asked() -> None:
    """explain=False leaves ``explanation`` as None."""
    req = Request.create(Principal.from_arn(USER), "sqs:SendMessage", QUEUE)
    assert evaluate_reference(PolicySet(identity=(ALLOW_ALL,)), req).explanation is None
