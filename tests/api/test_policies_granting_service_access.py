"""ListPoliciesGrantingServiceAccess through boto3 (§H.9)."""

from __future__ import annotations

import json
from typing import Any

from .conftest import ACCOUNT, error_of

READ_S3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
DENY_EC2 = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}]}
EC2_READ = "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"


def _by_service(answer: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {entry["ServiceNamespace"]: entry.get("Policies", []) for entry in answer["PoliciesGrantingServiceAccess"]}


def test_a_users_list_holds_its_own_and_its_groups_policies(iam: Any) -> None:
    """§H.9 (IAMAPI:API_ListPoliciesGrantingServiceAccess.html): user and group policies; inline ones by holder."""
    iam.create_user(UserName="ana")
    iam.create_group(GroupName="ops")
    iam.add_user_to_group(UserName="ana", GroupName="ops")
    iam.put_user_policy(UserName="ana", PolicyName="read-s3", PolicyDocument=json.dumps(READ_S3))
    iam.put_group_policy(GroupName="ops", PolicyName="deny-ec2", PolicyDocument=json.dumps(DENY_EC2))
    iam.attach_user_policy(UserName="ana", PolicyArn=EC2_READ)
    iam.attach_group_policy(GroupName="ops", PolicyArn=EC2_READ)
    answer = iam.list_policies_granting_service_access(
        Arn=f"arn:aws:iam::{ACCOUNT}:user/ana", ServiceNamespaces=["s3", "ec2", "lambda"]
    )
    found = _by_service(answer)
    assert found["s3"] == [{"PolicyName": "read-s3", "PolicyType": "INLINE", "EntityType": "USER", "EntityName": "ana"}]
    assert found["ec2"] == [{"PolicyName": "AmazonEC2ReadOnlyAccess", "PolicyType": "MANAGED", "PolicyArn": EC2_READ}]
    assert found["lambda"] == []


def test_a_groups_list_leaves_out_its_members_policies(iam: Any) -> None:
    """§H.9: a group's list holds only the group's own policies."""
    iam.create_user(UserName="ana")
    iam.create_group(GroupName="ops")
    iam.add_user_to_group(UserName="ana", GroupName="ops")
    iam.put_user_policy(UserName="ana", PolicyName="read-s3", PolicyDocument=json.dumps(READ_S3))
    iam.put_group_policy(GroupName="ops", PolicyName="all", PolicyDocument=json.dumps(EVERYTHING))
    found = _by_service(
        iam.list_policies_granting_service_access(Arn=f"arn:aws:iam::{ACCOUNT}:group/ops", ServiceNamespaces=["s3"])
    )
    assert [p["PolicyName"] for p in found["s3"]] == ["all"]


def test_a_roles_boundary_is_not_listed(iam: Any) -> None:
    """§H.9: permissions boundaries are not permissions policies and are never returned."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps(trust), PermissionsBoundary=EC2_READ)
    found = _by_service(
        iam.list_policies_granting_service_access(Arn=f"arn:aws:iam::{ACCOUNT}:role/app", ServiceNamespaces=["ec2"])
    )
    assert found["ec2"] == []


def test_a_missing_entity_is_no_such_entity(iam: Any) -> None:
    """§H.9: the entity must exist."""
    error = error_of(
        iam.list_policies_granting_service_access, Arn=f"arn:aws:iam::{ACCOUNT}:user/nobody", ServiceNamespaces=["s3"]
    )
    assert error["Code"] == "NoSuchEntity"


def test_an_arn_that_is_no_identity_is_invalid_input(iam: Any) -> None:
    """§H.9: only users, groups and roles have permissions policies to list."""
    arn = f"arn:aws:iam::{ACCOUNT}:policy/some-policy"
    error = error_of(iam.list_policies_granting_service_access, Arn=arn, ServiceNamespaces=["s3"])
    assert (error["Code"], error["Message"]) == ("InvalidInput", f"ARN {arn} is not valid.")
