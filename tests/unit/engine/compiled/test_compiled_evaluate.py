"""End-to-end examples of the compiled evaluator (spec §B, §C, §F; docs/evaluation.md)."""

from __future__ import annotations

from typing import Any

from compiled_builders import (
    ACCOUNT,
    BUCKET,
    FEDERATED,
    OBJECT,
    OTHER,
    ROLE,
    ROOT,
    SESSION,
    USER,
    allow,
    deny,
    evaluate,
    identity,
    policy,
    request,
)

from iamsim._engine.compiled import compile_policy, compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import Principal, PrincipalType
from iamsim._engine.result import Decision, StatementOutcome
from iamsim._policy.model import Policy, PolicyKind

FEDERATED_PRINCIPAL = Principal(
    FEDERATED, PrincipalType.FEDERATED_USER, ACCOUNT, source_user_arn=USER, session_name="fed"
)


def resource_policy(*statements: dict[str, Any]) -> Policy:
    return policy(PolicyKind.RESOURCE, *statements, name="bucket")


def trust_policy(*statements: dict[str, Any]) -> Policy:
    return policy(PolicyKind.TRUST, *statements, name="trust")


def grant(
    principal: Any, action: str = "s3:GetObject", resource: str = OBJECT, effect: str = "Allow"
) -> dict[str, Any]:
    return {"Effect": effect, "Principal": principal, "Action": action, "Resource": resource}


# --- §F.1 decision order ----------------------------------------------------------------------------


def test_explicit_deny_wins_and_lists_every_matching_deny() -> None:
    """§F.1 step 1: any matching Deny is final; determining lists every matching Deny, sorted."""
    policies = PolicySet(
        identity=(identity(allow("s3:*"), deny("s3:Get*"), name="a"), identity(deny("*"), name="b")),
        boundary=policy(PolicyKind.BOUNDARY, deny("s3:GetObject"), name="bnd"),
    )
    result = evaluate(policies, request())
    assert result.decision is Decision.EXPLICIT_DENY
    assert result.denied_by is PolicyKind.IDENTITY
    assert [(r.kind, r.position, r.statement_index) for r in result.determining] == [
        (PolicyKind.IDENTITY, 0, 1),
        (PolicyKind.IDENTITY, 1, 0),
        (PolicyKind.BOUNDARY, 0, 0),
    ]
    assert "with an explicit deny in an identity-based policy" in result.message()


def test_denied_by_names_the_first_kind_in_canonical_order() -> None:
    """docs/evaluation.md Combining 1: SCP before RCP before resource before identity."""
    policies = PolicySet(
        identity=(identity(deny()),),
        resource=resource_policy(grant("*", effect="Deny")),
        scp_levels=((policy(PolicyKind.SCP, deny(), name="scp"),),),
    )
    assert evaluate(policies, request()).denied_by is PolicyKind.SCP


def test_no_allow_is_an_implicit_deny_with_no_determining_statements() -> None:
    """§F.1 step 4, §I: implicit deny lists no statement."""
    result = evaluate(PolicySet(identity=(identity(allow("s3:PutObject")),)), request())
    assert result.decision is Decision.IMPLICIT_DENY
    assert result.denied_by is PolicyKind.IDENTITY
    assert result.determining == ()


def test_allowed_lists_every_matching_allow_of_every_policy() -> None:
    """result.py contract: for allowed, every matching Allow of every policy, in canonical order."""
    policies = PolicySet(
        identity=(identity(allow("s3:*"), allow("s3:GetObject"), allow("ec2:*")),),
        boundary=policy(PolicyKind.BOUNDARY, allow("*"), name="bnd"),
        scp_levels=((policy(PolicyKind.SCP, allow("*"), name="full"),),),
    )
    result = evaluate(policies, request())
    assert result.allowed
    assert [(r.kind, r.statement_index) for r in result.determining] == [
        (PolicyKind.SCP, 0),
        (PolicyKind.IDENTITY, 0),
        (PolicyKind.IDENTITY, 1),
        (PolicyKind.BOUNDARY, 0),
    ]


def test_scp_and_rcp_levels_each_need_an_allow() -> None:
    """§F.1 step 2, §F.5: every level needs an Allow; RCPs are checked before SCPs."""
    full = policy(PolicyKind.SCP, allow("*"), name="full")
    ec2_only = policy(PolicyKind.SCP, allow("ec2:*"), name="ec2")
    policies = PolicySet(identity=(identity(allow("*")),), scp_levels=((full,), (ec2_only,)))
    result = evaluate(policies, request())
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.SCP)
    rcp = policy(PolicyKind.RCP, {"Effect": "Deny", "Principal": "*", "Action": "ec2:*", "Resource": "*"})
    both = PolicySet(identity=(identity(allow("*")),), scp_levels=((full,), (ec2_only,)), rcp_levels=((rcp,),))
    assert evaluate(both, request()).denied_by is PolicyKind.RCP
    assert evaluate(PolicySet(identity=(identity(allow("*")),), scp_levels=((full,), (full,))), request()).allowed


def test_root_user_needs_no_identity_policy() -> None:
    """§F.1 step 0: the account root user has full access, but a Deny (e.g. an SCP) still binds."""
    assert evaluate(PolicySet(), request(ROOT)).allowed
    scp = policy(PolicyKind.SCP, allow("*"), deny("s3:*"), name="scp")
    assert not evaluate(PolicySet(scp_levels=((scp,),)), request(ROOT)).allowed


# --- §B matching ------------------------------------------------------------------------------------


def test_not_action_with_resource_does_not_cover_resource_less_actions() -> None:
    """§B.1: Allow NotAction s3:DeleteBucket on arn:aws:s3:::* does not allow s3:ListAllMyBuckets (`*`)."""
    doc = {"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::*"}
    policies = PolicySet(identity=(identity(doc),))
    assert not evaluate(policies, request(action="s3:ListAllMyBuckets", resource="*")).allowed
    assert evaluate(policies, request(action="s3:GetObject", resource=OBJECT)).allowed
    assert not evaluate(policies, request(action="s3:DeleteBucket", resource=BUCKET)).allowed


def test_not_resource() -> None:
    """§B.1: NotResource matches every resource except those listed."""
    doc = {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::bucket/*"}
    policies = PolicySet(identity=(identity(allow("s3:*"), doc),))
    assert evaluate(policies, request(resource=OBJECT)).allowed
    assert not evaluate(policies, request(resource="arn:aws:s3:::other/key")).allowed


def test_actions_ignore_case_resources_do_not() -> None:
    """§B.2 MUST: action matching is case-insensitive, resource matching case-sensitive."""
    policies = PolicySet(identity=(identity(allow("S3:getobject", "arn:aws:s3:::bucket/*")),))
    assert evaluate(policies, request(action="s3:GetObject", resource=OBJECT)).allowed
    assert not evaluate(policies, request(action="s3:GetObject", resource="arn:aws:s3:::Bucket/key")).allowed


def test_incomplete_arn_is_completed_only_in_identity_side_policies() -> None:
    """§B.2 (current): in an identity policy `arn:aws:sqs` is `arn:aws:sqs:*:*:*`."""
    queue = "arn:aws:sqs:us-east-1:111111111111:q"
    policies = PolicySet(identity=(identity(allow("sqs:SendMessage", "arn:aws:sqs")),))
    assert evaluate(policies, request(action="sqs:SendMessage", resource=queue)).allowed
    res = resource_policy({"Effect": "Allow", "Principal": {"AWS": USER}, "Action": "sqs:*", "Resource": "arn:aws:sqs"})
    assert not evaluate(PolicySet(resource=res), request(action="sqs:SendMessage", resource=queue)).allowed


def test_resource_less_statement_in_a_resource_policy_applies() -> None:
    """§A.2: a resource-based statement without Resource applies to the resource it is attached to."""
    res = resource_policy({"Effect": "Allow", "Principal": {"AWS": USER}, "Action": "s3:GetObject"})
    assert evaluate(PolicySet(resource=res), request()).allowed


def test_condition_gates_a_statement() -> None:
    """§C.1: a statement applies only when its conditions hold."""
    doc = allow("s3:*", Condition={"Bool": {"aws:SecureTransport": True}})
    policies = PolicySet(identity=(identity(doc),))
    assert evaluate(policies, request(context={"aws:SecureTransport": True})).allowed
    assert not evaluate(policies, request(context={"aws:SecureTransport": False})).allowed


# --- missing context keys ---------------------------------------------------------------------------


def test_missing_context_keys() -> None:
    """result.py: keys of statements whose action/resource/principal matched; Null-only keys excluded;
    deduplicated case-insensitively with the smallest spelling; sorted by casefold."""
    policies = PolicySet(
        identity=(
            identity(
                allow("s3:*", Condition={"StringEquals": {"s3:prefix": "a", "aws:SourceVpc": "v"}}),
                allow(
                    "s3:*", Condition={"StringEquals": {"AWS:SourceVpc": "v"}, "Null": {"aws:TokenIssueTime": "true"}}
                ),
                allow("ec2:*", Condition={"StringEquals": {"ec2:Region": "x"}}),
                allow("s3:*", "arn:aws:s3:::elsewhere/*", Condition={"StringEquals": {"s3:other": "x"}}),
            ),
        )
    )
    result = evaluate(policies, request())
    assert result.missing_context_keys == ("AWS:SourceVpc", "s3:prefix")


# --- §F.2 resource policies in the same account ------------------------------------------------------


def test_resource_policy_naming_the_user_needs_no_identity_policy() -> None:
    """§F.2: a grant to the IAM user ARN is not limited by identity or boundary."""
    boundary = policy(PolicyKind.BOUNDARY, allow("ec2:*"), name="bnd")
    policies = PolicySet(resource=resource_policy(grant({"AWS": USER})), boundary=boundary)
    assert evaluate(policies, request(USER)).allowed


def test_resource_policy_naming_the_role_is_limited_by_boundary_and_session() -> None:
    """§F.2: a grant to the role ARN is limited by the session's boundary and session policy."""
    res = resource_policy(grant({"AWS": ROLE}))
    assert evaluate(PolicySet(resource=res), request(SESSION)).allowed
    boundary = policy(PolicyKind.BOUNDARY, allow("ec2:*"), name="bnd")
    result = evaluate(PolicySet(resource=res, boundary=boundary), request(SESSION))
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.BOUNDARY)
    session = (policy(PolicyKind.SESSION, allow("ec2:*"), name="sess"),)
    result = evaluate(PolicySet(resource=res, session=session), request(SESSION))
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.SESSION)


def test_resource_policy_naming_the_session_bypasses_boundary_and_session() -> None:
    """§F.2: a grant to the session ARN is limited by neither boundary nor session policy."""
    boundary = policy(PolicyKind.BOUNDARY, allow("ec2:*"), name="bnd")
    session = (policy(PolicyKind.SESSION, allow("ec2:*"), name="sess"),)
    policies = PolicySet(resource=resource_policy(grant({"AWS": SESSION})), boundary=boundary, session=session)
    assert evaluate(policies, request(SESSION)).allowed


def test_federated_user_sessions() -> None:
    """§F.1 step 6, §F.2: no session policy denies a federated user; its own ARN bypasses that."""
    assert not evaluate(PolicySet(identity=(identity(allow()),)), request(FEDERATED_PRINCIPAL)).allowed
    direct = PolicySet(resource=resource_policy(grant({"AWS": FEDERATED})))
    assert evaluate(direct, request(FEDERATED_PRINCIPAL)).allowed
    via_user = evaluate(PolicySet(resource=resource_policy(grant({"AWS": USER}))), request(FEDERATED_PRINCIPAL))
    assert (via_user.decision, via_user.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.SESSION)


def test_role_session_without_session_policy_keeps_role_permissions() -> None:
    """§F.1 step 6: with no session policy a role session is allowed by its identity policies."""
    assert evaluate(PolicySet(identity=(identity(allow()),)), request(SESSION)).allowed
    session = (policy(PolicyKind.SESSION, allow("ec2:*"), name="sess"),)
    result = evaluate(PolicySet(identity=(identity(allow()),), session=session), request(SESSION))
    assert result.denied_by is PolicyKind.SESSION


def test_account_principal_in_same_account_still_needs_identity() -> None:
    """§F.2 SHOULD (judgment): an account grant delegates; the identity side must allow too."""
    res = resource_policy(grant({"AWS": ACCOUNT}))
    result = evaluate(PolicySet(resource=res), request(USER))
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.IDENTITY)
    assert evaluate(PolicySet(resource=res, identity=(identity(allow()),)), request(USER)).allowed


def test_not_principal_deny_spares_only_the_listed_chain_without_boundary() -> None:
    """§F.2: NotPrincipal+Deny; a caller with a boundary is always denied."""
    res = resource_policy(
        grant({"AWS": ROLE}),
        {"Effect": "Deny", "NotPrincipal": {"AWS": [ROOT, ROLE, SESSION]}, "Action": "s3:*", "Resource": "*"},
    )
    assert evaluate(PolicySet(resource=res), request(SESSION)).allowed
    assert not evaluate(PolicySet(resource=res), request(f"arn:aws:sts::{ACCOUNT}:assumed-role/app/s2")).allowed
    boundary = policy(PolicyKind.BOUNDARY, allow("*"), name="bnd")
    result = evaluate(PolicySet(resource=res, boundary=boundary), request(SESSION))
    assert result.decision is Decision.EXPLICIT_DENY
    assert result.denied_by is PolicyKind.RESOURCE


def test_service_principal_is_named_directly() -> None:
    """§A.3, §F.2: a service principal needs the resource policy; it has no identity side."""
    res = resource_policy(grant({"Service": "cloudtrail.amazonaws.com"}, "s3:PutObject"))
    service = Principal.for_service("cloudtrail.amazonaws.com")
    assert evaluate(PolicySet(resource=res), request(service, "s3:PutObject")).allowed
    assert not evaluate(
        PolicySet(resource=res), request(Principal.for_service("ec2.amazonaws.com"), "s3:PutObject")
    ).allowed


# --- §F.3 cross-account -------------------------------------------------------------------------------


def test_cross_account_needs_both_sides() -> None:
    """§F.3: the resource account must grant and the principal's account must allow."""
    foreign = f"arn:aws:sqs:us-east-1:{OTHER}:q"
    res = resource_policy(grant({"AWS": USER}, "sqs:SendMessage", foreign))
    req = request(USER, "sqs:SendMessage", foreign)
    only_resource = evaluate(PolicySet(resource=res), req)
    assert (only_resource.decision, only_resource.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.IDENTITY)
    only_identity = evaluate(PolicySet(identity=(identity(allow("sqs:*")),)), req)
    assert (only_identity.decision, only_identity.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.RESOURCE)
    assert evaluate(PolicySet(resource=res, identity=(identity(allow("sqs:*")),)), req).allowed


# --- §F.4 trust policies ------------------------------------------------------------------------------


def test_trust_policy_has_no_identity_only_path() -> None:
    """§F.4: identity permissions alone never allow AssumeRole."""
    target = f"arn:aws:iam::{ACCOUNT}:role/target"
    trust = trust_policy({"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "sts:AssumeRole"})
    req = request(USER, "sts:AssumeRole", target)
    result = evaluate(PolicySet(resource=trust, identity=(identity(allow("sts:AssumeRole")),)), req)
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.TRUST)
    assert "because no role trust policy allows" in result.message()


def test_trust_policy_naming_the_user_still_needs_the_callers_boundary() -> None:
    """§F.4: the caller's boundary must allow sts:AssumeRole even when the trust policy names it."""
    target = f"arn:aws:iam::{ACCOUNT}:role/target"
    trust = trust_policy({"Effect": "Allow", "Principal": {"AWS": USER}, "Action": "sts:AssumeRole"})
    req = request(USER, "sts:AssumeRole", target)
    assert evaluate(PolicySet(resource=trust), req).allowed
    boundary = policy(PolicyKind.BOUNDARY, allow("s3:*"), name="bnd")
    result = evaluate(PolicySet(resource=trust, boundary=boundary), req)
    assert (result.decision, result.denied_by) == (Decision.IMPLICIT_DENY, PolicyKind.BOUNDARY)


def test_trust_policy_trusting_the_account_needs_identity() -> None:
    """§F.4: trusting the account delegates to the caller's identity policy."""
    target = f"arn:aws:iam::{ACCOUNT}:role/target"
    trust = trust_policy({"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "sts:AssumeRole"})
    req = request(USER, "sts:AssumeRole", target)
    assert evaluate(PolicySet(resource=trust), req).denied_by is PolicyKind.IDENTITY
    assert evaluate(PolicySet(resource=trust, identity=(identity(allow("sts:AssumeRole", target)),)), req).allowed


# --- explanation and reuse ----------------------------------------------------------------------------


def test_explanation_records_the_first_failing_check() -> None:
    """docs/evaluation.md: action, resource, principal, conditions, in that order."""
    res = resource_policy(
        grant({"AWS": USER}, "ec2:*"),
        grant({"AWS": USER}, "s3:GetObject", "arn:aws:s3:::other/*"),
        grant({"AWS": ROLE}),
        {**grant({"AWS": USER}), "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}},
        grant({"AWS": USER}),
    )
    result = compile_policy_set(PolicySet(resource=res)).evaluate(request(), explain=True)
    assert result.explanation is not None
    (trace,) = result.explanation.policies
    assert [s.outcome for s in trace.statements] == [
        StatementOutcome.ACTION_NOT_MATCHED,
        StatementOutcome.RESOURCE_NOT_MATCHED,
        StatementOutcome.PRINCIPAL_NOT_MATCHED,
        StatementOutcome.CONDITION_NOT_MET,
        StatementOutcome.MATCHED,
    ]
    (vpc,) = trace.statements[3].conditions
    assert (vpc.key, vpc.request_values, vpc.passed) == ("aws:SourceVpc", None, False)
    assert result.explanation.steps[-1] == "allowed"
    assert compile_policy_set(PolicySet(resource=res)).evaluate(request()).explanation is None


def test_compiled_policies_are_reusable_across_sets() -> None:
    """A compiled policy carries no slot or name: the set supplies them (world-layer cache)."""
    common = identity(allow(), name="common")
    cache = {common: compile_policy(common)}

    def cached(p: Policy) -> Any:
        if p not in cache:
            cache[p] = compile_policy(p)
        return cache[p]

    first = compile_policy_set(PolicySet(identity=(common,)), compiler=cached)
    other = identity(allow("ec2:*"), name="other")
    second = compile_policy_set(PolicySet(identity=(other, common.named("renamed"))), compiler=cached)
    assert first.evaluate(request()).determining[0].policy_name == "common"
    (ref,) = second.evaluate(request()).determining
    assert (ref.policy_name, ref.position) == ("renamed", 1)
    assert len(cache) == 2  # `renamed` equals `common`: its compiled form was reused
