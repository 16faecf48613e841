"""IAM operations through boto3: responses fit botocore's output shapes and carry the right values (§H)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from role_world import ACCOUNT, document
from shape_check import assert_shape

from iamsim._simulator import Simulator

READ = document({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
TRUST = document({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})


@pytest.fixture
def iam(session: boto3.Session) -> Any:
    """An IAM client signing as the default account's root user."""
    return session.client("iam")


def call(iam: Any, operation: str, **params: Any) -> Any:
    """Call ``operation`` and check the response against its output shape."""
    return assert_shape("iam", operation, getattr(iam, xform_name(operation))(**params))


def test_users_groups_and_inline_policies_H5(iam: Any) -> None:
    """§H.5: users, groups, membership, inline policies and tags round-trip with AWS's shapes."""
    user = call(iam, "CreateUser", UserName="alice", Path="/eng/", Tags=[{"Key": "team", "Value": "a"}])["User"]
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/eng/alice"
    assert user["UserId"].startswith("AIDA")
    assert call(iam, "GetUser", UserName="alice")["User"]["Tags"] == [{"Key": "team", "Value": "a"}]
    call(iam, "TagUser", UserName="alice", Tags=[{"Key": "team", "Value": "b"}])
    assert call(iam, "ListUserTags", UserName="alice")["Tags"] == [{"Key": "team", "Value": "b"}]
    call(iam, "UntagUser", UserName="alice", TagKeys=["team"])
    call(iam, "CreateGroup", GroupName="devs")
    call(iam, "AddUserToGroup", GroupName="devs", UserName="alice")
    group = call(iam, "GetGroup", GroupName="devs")
    assert [u["UserName"] for u in group["Users"]] == ["alice"]
    assert [g["GroupName"] for g in call(iam, "ListGroupsForUser", UserName="alice")["Groups"]] == ["devs"]
    call(iam, "PutGroupPolicy", GroupName="devs", PolicyName="read", PolicyDocument=READ)
    got = call(iam, "GetGroupPolicy", GroupName="devs", PolicyName="read")
    assert got["PolicyDocument"]["Statement"][0]["Action"] == "s3:GetObject"
    assert call(iam, "ListGroupPolicies", GroupName="devs")["PolicyNames"] == ["read"]
    call(iam, "PutUserPolicy", UserName="alice", PolicyName="own", PolicyDocument=READ)
    assert call(iam, "ListUserPolicies", UserName="alice")["PolicyNames"] == ["own"]
    call(iam, "DeleteUserPolicy", UserName="alice", PolicyName="own")
    call(iam, "DeleteGroupPolicy", GroupName="devs", PolicyName="read")
    call(iam, "RemoveUserFromGroup", GroupName="devs", UserName="alice")
    call(iam, "DeleteGroup", GroupName="devs")
    call(iam, "DeleteUser", UserName="alice")
    assert call(iam, "ListUsers")["Users"] == []


def test_roles_policies_versions_and_attachments_H5(iam: Any) -> None:
    """§H.5: roles, managed policies with versions, attachments and boundaries."""
    role = call(iam, "CreateRole", RoleName="app", AssumeRolePolicyDocument=TRUST, Description="d")["Role"]
    assert role["RoleId"].startswith("AROA")
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    call(iam, "UpdateRole", RoleName="app", MaxSessionDuration=7200)
    assert call(iam, "UpdateRoleDescription", RoleName="app", Description="e")["Role"]["Description"] == "e"
    assert call(iam, "GetRole", RoleName="app")["Role"]["MaxSessionDuration"] == 7200
    policy = call(iam, "CreatePolicy", PolicyName="read", PolicyDocument=READ)["Policy"]
    arn = policy["Arn"]
    assert (policy["DefaultVersionId"], policy["AttachmentCount"]) == ("v1", 0)
    call(iam, "AttachRolePolicy", RoleName="app", PolicyArn=arn)
    call(iam, "AttachRolePolicy", RoleName="app", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    attached = call(iam, "ListAttachedRolePolicies", RoleName="app")["AttachedPolicies"]
    assert [a["PolicyName"] for a in attached] == ["read", "ReadOnlyAccess"]
    assert call(iam, "GetPolicy", PolicyArn=arn)["Policy"]["AttachmentCount"] == 1
    aws = call(iam, "GetPolicy", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")["Policy"]
    assert aws["AttachmentCount"] == 1
    version = call(iam, "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=READ, SetAsDefault=True)
    assert version["PolicyVersion"] == {
        "VersionId": "v2",
        "IsDefaultVersion": True,
        "CreateDate": version["PolicyVersion"]["CreateDate"],
    }
    versions = call(iam, "ListPolicyVersions", PolicyArn=arn)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [("v2", True), ("v1", False)]
    got = call(iam, "GetPolicyVersion", PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert got["Document"]["Statement"][0]["Effect"] == "Allow"
    entities = call(iam, "ListEntitiesForPolicy", PolicyArn=arn)
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == ["app"]
    call(iam, "PutRolePermissionsBoundary", RoleName="app", PermissionsBoundary=arn)
    boundary = call(iam, "GetRole", RoleName="app")["Role"]["PermissionsBoundary"]
    assert boundary == {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": arn}
    only_local = call(iam, "ListPolicies", Scope="Local")["Policies"]
    assert [(p["PolicyName"], p["PermissionsBoundaryUsageCount"]) for p in only_local] == [("read", 1)]
    attached_only = call(iam, "ListPolicies", OnlyAttached=True)["Policies"]
    assert sorted(p["PolicyName"] for p in attached_only) == ["ReadOnlyAccess", "read"]


def test_access_keys_instance_profiles_aliases_oidc_mfa_H5(iam: Any, sim: Simulator) -> None:
    """§H.5: the rest of the world's IAM surface answers in AWS's shapes."""
    call(iam, "CreateUser", UserName="bob")
    key = call(iam, "CreateAccessKey", UserName="bob")["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA")
    assert len(key["SecretAccessKey"]) == 40
    listed = call(iam, "ListAccessKeys", UserName="bob")["AccessKeyMetadata"]
    assert [(k["AccessKeyId"], k["Status"]) for k in listed] == [(key["AccessKeyId"], "Active")]
    assert call(iam, "GetAccessKeyLastUsed", AccessKeyId=key["AccessKeyId"])["UserName"] == "bob"
    call(iam, "CreateRole", RoleName="web", AssumeRolePolicyDocument=TRUST)
    call(iam, "CreateInstanceProfile", InstanceProfileName="web")
    call(iam, "AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="web")
    profile = call(iam, "GetInstanceProfile", InstanceProfileName="web")["InstanceProfile"]
    assert [r["RoleName"] for r in profile["Roles"]] == ["web"]
    assert len(call(iam, "ListInstanceProfilesForRole", RoleName="web")["InstanceProfiles"]) == 1
    with pytest.raises(ClientError) as caught:
        iam.delete_role(RoleName="web")
    assert caught.value.response["Error"]["Code"] == "DeleteConflict"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    call(iam, "CreateAccountAlias", AccountAlias="my-corp")
    assert call(iam, "ListAccountAliases")["AccountAliases"] == ["my-corp"]
    arn = call(iam, "CreateOpenIDConnectProvider", Url="https://token.example.com", ClientIDList=["sts.amazonaws.com"])[
        "OpenIDConnectProviderArn"
    ]
    assert call(iam, "GetOpenIDConnectProvider", OpenIDConnectProviderArn=arn)["Url"] == "token.example.com"
    device = call(iam, "CreateVirtualMFADevice", VirtualMFADeviceName="bob-phone")["VirtualMFADevice"]
    serial = device["SerialNumber"]
    assert serial == f"arn:aws:iam::{ACCOUNT}:mfa/bob-phone"
    assert len(device["Base32StringSeed"]) >= 16
    clock_now = sim.clock.now()
    first = sim.mfa_code(serial, at=clock_now)
    second = sim.mfa_code(serial, at=clock_now + __import__("datetime").timedelta(seconds=30))
    call(
        iam,
        "EnableMFADevice",
        UserName="bob",
        SerialNumber=serial,
        AuthenticationCode1=first,
        AuthenticationCode2=second,
    )
    assert [d["SerialNumber"] for d in call(iam, "ListMFADevices", UserName="bob")["MFADevices"]] == [serial]


def test_errors_have_aws_codes_and_status_H4(iam: Any) -> None:
    """§H.4: NoSuchEntity 404 and EntityAlreadyExists 409 with AWS's messages."""
    with pytest.raises(ClientError) as caught:
        iam.get_role(RoleName="ghost")
    assert caught.value.response["Error"]["Code"] == "NoSuchEntity"
    assert caught.value.response["Error"]["Message"] == "The role with name ghost cannot be found."
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    iam.create_role(RoleName="dup", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(ClientError) as caught:
        iam.create_role(RoleName="DUP", AssumeRolePolicyDocument=TRUST)
    assert caught.value.response["Error"]["Code"] == "EntityAlreadyExists"


def test_validation_errors_come_from_the_model_G1(session: boto3.Session) -> None:
    """§G.1: a value breaking the model's pattern gets ValidationError (botocore's own check turned off)."""
    from botocore.config import Config

    iam = session.client("iam", config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as caught:
        iam.create_user(UserName="")
    assert caught.value.response["Error"]["Code"] == "ValidationError"


def test_paginators_walk_marker_pages_H5(iam: Any) -> None:
    """boto3 paginators follow IsTruncated/Marker across pages."""
    for n in range(5):
        iam.create_user(UserName=f"user{n}")
    pages = list(iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["Users"]) for p in pages] == [2, 2, 1]
    assert [p["IsTruncated"] for p in pages] == [True, True, False]
    assert [u["UserName"] for p in pages for u in p["Users"]] == [f"user{n}" for n in range(5)]
    first = iam.list_users(MaxItems=3)
    rest = iam.list_users(Marker=first["Marker"])
    assert len(first["Users"]) + len(rest["Users"]) == 5
    assert not rest["IsTruncated"]


def test_account_authorization_details_H5(iam: Any) -> None:
    """GetAccountAuthorizationDetails lists users, groups, roles and the managed policies in use."""
    iam.create_user(UserName="carol")
    iam.put_user_policy(UserName="carol", PolicyName="own", PolicyDocument=READ)
    iam.create_role(RoleName="svc", AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName="svc", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    details = call(iam, "GetAccountAuthorizationDetails")
    assert [u["UserName"] for u in details["UserDetailList"]] == ["carol"]
    assert details["UserDetailList"][0]["UserPolicyList"][0]["PolicyDocument"]["Version"] == "2012-10-17"
    assert [r["RoleName"] for r in details["RoleDetailList"]] == ["svc"]
    assert [p["PolicyName"] for p in details["Policies"]] == ["ReadOnlyAccess"]
    pages = list(iam.get_paginator("get_account_authorization_details").paginate(PaginationConfig={"PageSize": 1}))
    assert len(pages) == 3
