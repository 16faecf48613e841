"""Protections through boto3: IAM answers AWS's error codes and words, whatever the caller's policies (§H.5)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

import iamsim.boto3
from iamsim._simulator import Simulator

SSO_ROLE = "AWSReservedSSO_ReadOnly_0123456789abcdef"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)
READ = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


@pytest.fixture
def iam(session: boto3.Session) -> Any:
    """An IAM client signing as the default account's root user."""
    client = session.client("iam")
    client.create_role(RoleName=SSO_ROLE, Path="/aws-reserved/sso.amazonaws.com/", AssumeRolePolicyDocument=TRUST)
    return client


def _error(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    error: dict[str, Any] = caught.value.response["Error"]
    return error


def test_root_cannot_change_identity_center_role_H5(iam: Any) -> None:
    """§H.5: even the root user gets UnmodifiableEntity for an AWSReservedSSO_* role, and nothing changes."""
    error = _error(iam.put_role_policy, RoleName=SSO_ROLE, PolicyName="extra", PolicyDocument=READ)
    assert error["Code"] == "UnmodifiableEntity"
    assert error["Message"] == (
        f"Cannot perform the operation on the protected role '{SSO_ROLE}' - this role is only modifiable by AWS"
    )
    assert _error(iam.delete_role, RoleName=SSO_ROLE)["Code"] == "UnmodifiableEntity"
    assert _error(iam.update_role_description, RoleName=SSO_ROLE, Description="x")["Code"] == "UnmodifiableEntity"
    assert iam.list_role_policies(RoleName=SSO_ROLE)["PolicyNames"] == []
    assert iam.get_role(RoleName=SSO_ROLE)["Role"]["Arn"].endswith(f":role/aws-reserved/sso.amazonaws.com/{SSO_ROLE}")


def test_admin_user_cannot_change_identity_center_role_H5(iam: Any, session: boto3.Session, sim: Simulator) -> None:
    """§H.5: an IAM user allowed iam:* still gets UnmodifiableEntity (the protection, not a policy, refuses)."""
    iam.create_user(UserName="admin")
    admin_all = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    )
    iam.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=admin_all)
    key = iam.create_access_key(UserName="admin")["AccessKey"]
    admin_session = boto3.Session(
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
        region_name=session.region_name,
    )
    with iamsim.boto3.attach(sim, admin_session):
        admin = admin_session.client("iam")
        readonly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        assert _error(admin.attach_role_policy, RoleName=SSO_ROLE, PolicyArn=readonly)["Code"] == "UnmodifiableEntity"
        # Its policies do allow everything else: the refusal is the protection's alone.
        admin.create_role(RoleName="plain", AssumeRolePolicyDocument=TRUST)
        admin.attach_role_policy(RoleName="plain", PolicyArn=readonly)
    assert iam.list_attached_role_policies(RoleName=SSO_ROLE)["AttachedPolicies"] == []


def test_aws_managed_policy_cannot_be_deleted_or_versioned_H5(iam: Any) -> None:
    """§H.5: DeletePolicy and CreatePolicyVersion on an AWS managed policy answer AccessDenied in IAM's words."""
    arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    deleted = _error(iam.delete_policy, PolicyArn=arn)
    assert (deleted["Code"], deleted["Message"]) == ("AccessDenied", "Cannot delete policies outside your own account.")
    versioned = _error(iam.create_policy_version, PolicyArn=arn, PolicyDocument=READ, SetAsDefault=True)
    assert (versioned["Code"], versioned["Message"]) == (
        "AccessDenied",
        "Cannot create versions for policies outside your own account.",
    )
    # Still readable and attachable: only changes are refused.
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Arn"] == arn
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Arn"].startswith("arn:aws:iam::aws:")
