"""SimulatePrincipalPolicy and SimulateCustomPolicy in AWS's EvaluationResult shape (§I)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from role_world import ACCOUNT, document
from shape_check import assert_shape

# The one-line policy of AWS's documented example: the statement spans columns 37-166 (§I).
EXAMPLE = (
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket",'
    '"Resource":"arn:aws:s3:::teambucket","Condition":{"StringLike":{"s3:prefix":"home/*"}}}}'
)


@pytest.fixture
def iam(session: boto3.Session) -> Any:
    """An IAM client signing as the default account's root user."""
    return session.client("iam")


def test_custom_policy_positions_follow_the_documented_example_I(iam: Any) -> None:
    """§I: SourcePolicyId PolicyInputList.1, Start{1,38}-End{1,167} for a statement at columns 37-166."""
    assert EXAMPLE.index('{"Effect"') + 1 == 37
    assert len(EXAMPLE) == 167
    response = assert_shape(
        "iam",
        "SimulateCustomPolicy",
        iam.simulate_custom_policy(
            PolicyInputList=[EXAMPLE],
            ActionNames=["s3:ListBucket"],
            ResourceArns=["arn:aws:s3:::teambucket"],
            ContextEntries=[
                {"ContextKeyName": "s3:prefix", "ContextKeyValues": ["home/x"], "ContextKeyType": "string"}
            ],
        ),
    )
    result = response["EvaluationResults"][0]
    assert result["EvalDecision"] == "allowed"
    assert result["MatchedStatements"] == [
        {
            "SourcePolicyId": "PolicyInputList.1",
            "StartPosition": {"Line": 1, "Column": 38},
            "EndPosition": {"Line": 1, "Column": 167},
        }
    ]
    assert result["ResourceSpecificResults"][0]["EvalResourceDecision"] == "allowed"


def test_implicit_deny_lists_nothing_I(iam: Any) -> None:
    """§I: as in AWS's example, the bucket policy simulated on ``*`` is an implicit deny with empty lists."""
    result = iam.simulate_custom_policy(PolicyInputList=[EXAMPLE], ActionNames=["s3:ListBucket"])["EvaluationResults"][
        0
    ]
    assert result["EvalDecision"] == "implicitDeny"
    assert result["MatchedStatements"] == []
    assert result["MissingContextValues"] == []


def test_missing_context_values_top_level_or_per_resource_I(iam: Any) -> None:
    """§I: missing keys are reported at top level for ``*``, under ResourceSpecificResults otherwise."""
    tagged = document(
        {
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a"}},
        }
    )
    star = iam.simulate_custom_policy(PolicyInputList=[tagged], ActionNames=["s3:GetObject"])["EvaluationResults"][0]
    assert star["MissingContextValues"] == ["aws:PrincipalTag/team"]
    assert "ResourceSpecificResults" not in star
    one = iam.simulate_custom_policy(
        PolicyInputList=[tagged], ActionNames=["s3:GetObject"], ResourceArns=["arn:aws:s3:::b/k"]
    )["EvaluationResults"][0]
    assert one["MissingContextValues"] == []
    assert one["ResourceSpecificResults"][0]["MissingContextValues"] == ["aws:PrincipalTag/team"]


def test_principal_policy_deny_wins_and_names_its_source_I(iam: Any) -> None:
    """§I/§F.1: with a Deny matching, only the deny statement is listed, named after its policy."""
    iam.create_user(UserName="dana")
    allow = document({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    deny = iam.create_policy(
        PolicyName="no-delete",
        PolicyDocument=document({"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}),
    )["Policy"]["Arn"]
    iam.put_user_policy(UserName="dana", PolicyName="s3-all", PolicyDocument=allow)
    iam.attach_user_policy(UserName="dana", PolicyArn=deny)
    response = assert_shape(
        "iam",
        "SimulatePrincipalPolicy",
        iam.simulate_principal_policy(
            PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/dana", ActionNames=["s3:GetObject", "s3:DeleteObject"]
        ),
    )
    get, delete = response["EvaluationResults"]
    assert get["EvalDecision"] == "allowed"
    assert [(m["SourcePolicyId"], m["SourcePolicyType"]) for m in get["MatchedStatements"]] == [("s3-all", "user")]
    assert delete["EvalDecision"] == "explicitDeny"
    assert [(m["SourcePolicyId"], m["SourcePolicyType"]) for m in delete["MatchedStatements"]] == [
        ("no-delete", "user-managed")
    ]


def test_boundary_decision_detail_I(iam: Any) -> None:
    """§I: AllowedByPermissionsBoundary is false when the boundary has no matching Allow."""
    iam.create_user(UserName="erin")
    iam.put_user_policy(
        UserName="erin", PolicyName="all", PolicyDocument=document({"Effect": "Allow", "Action": "*", "Resource": "*"})
    )
    boundary = document({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    results = iam.simulate_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/erin",
        ActionNames=["s3:GetObject", "ec2:RunInstances"],
        PermissionsBoundaryPolicyInputList=[boundary],
    )["EvaluationResults"]
    assert [r["EvalDecision"] for r in results] == ["allowed", "implicitDeny"]
    assert [r["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"] for r in results] == [True, False]


def test_organizations_decision_detail_only_in_an_organization_I(iam: Any, sim: Any) -> None:
    """§I: OrganizationsDecisionDetail is absent outside an organization, present inside one."""
    everything = [document({"Effect": "Allow", "Action": "*", "Resource": "*"})]
    alone = iam.simulate_custom_policy(PolicyInputList=everything, ActionNames=["s3:GetObject"])["EvaluationResults"]
    assert "OrganizationsDecisionDetail" not in alone[0]
    sim.create_organization()
    inside = iam.simulate_custom_policy(PolicyInputList=everything, ActionNames=["s3:GetObject"])["EvaluationResults"]
    assert inside[0]["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": True}
