"""IAM's own condition keys in the request context of IAM calls over the wire (§H.5, "Request condition keys").

AWS pages: IAM condition context keys
(docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html) and the Service
Authorization Reference's IAM table (docs.aws.amazon.com/service-authorization/latest/reference/
list_awsidentityandaccessmanagementiam.html), which name the keys each action carries.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from role_world import ACCOUNT

import iamsim.boto3
from iamsim._simulator import Simulator

_ECS = "ecs.amazonaws.com"
_READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
_TRUST = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
_NOTHING = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}


def _doc(statement: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _client_limited_by(sim: Simulator, session: boto3.Session, action: str, key: str, value: str) -> Any:
    """An IAM client of a user allowed ``action`` only where the request's ``key`` equals ``value``."""
    statement = {"Effect": "Allow", "Action": action, "Resource": "*", "Condition": {"StringEquals": {key: value}}}
    sim.create_user("limited")
    sim.put_user_policy("limited", "only", _doc(statement))
    key_record = sim.create_access_key("limited")
    limited = boto3.Session(
        aws_access_key_id=key_record.access_key_id,
        aws_secret_access_key=key_record.secret_access_key,
        region_name=session.region_name,
    )
    # A client is served from the moment it is attached; the test's simulator outlives it.
    client = limited.client("iam")
    iamsim.boto3.attach(sim, client)
    return client


def _denied(call: Any) -> bool:
    try:
        call()
    except ClientError as error:
        return bool(error.response["Error"]["Code"] == "AccessDenied")
    return False


def test_create_service_linked_role_carries_aws_service_name_h5(sim: Simulator, session: boto3.Session) -> None:
    """§H.5: iam:AWSServiceName is the service CreateServiceLinkedRole names, so a policy can limit it."""
    iam = _client_limited_by(sim, session, "iam:CreateServiceLinkedRole", "iam:AWSServiceName", _ECS)
    assert iam.create_service_linked_role(AWSServiceName=_ECS)["Role"]["RoleName"] == "AWSServiceRoleForECS"
    assert _denied(lambda: iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com"))


@pytest.mark.parametrize("verb", ["attach", "detach"])
def test_attach_and_detach_carry_policy_arn_h5(sim: Simulator, session: boto3.Session, verb: str) -> None:
    """§H.5: iam:PolicyARN is the policy AttachRolePolicy and DetachRolePolicy name."""
    sim.create_role("app", _doc(_TRUST))
    other = sim.create_policy("other", _doc(_NOTHING)).arn
    if verb == "detach":
        sim.attach_role_policy("app", _READ_ONLY)
        sim.attach_role_policy("app", other)
    action = f"iam:{verb.capitalize()}RolePolicy"
    iam = _client_limited_by(sim, session, action, "iam:PolicyARN", _READ_ONLY)
    call = getattr(iam, f"{verb}_role_policy")
    assert _denied(lambda: call(RoleName="app", PolicyArn=other))
    call(RoleName="app", PolicyArn=_READ_ONLY)
    assert (_READ_ONLY in sim.list_attached_role_policies("app")) is (verb == "attach")


def test_create_user_and_put_boundary_carry_permissions_boundary_h5(sim: Simulator, session: boto3.Session) -> None:
    """§H.5: iam:PermissionsBoundary is the boundary CreateUser and PutUserPermissionsBoundary set; a call that
    sets none carries no key, so a StringEquals condition on it does not match."""
    boundary = sim.create_policy("boundary", _doc(_NOTHING)).arn
    iam = _client_limited_by(sim, session, "iam:*", "iam:PermissionsBoundary", boundary)
    iam.create_user(UserName="bounded", PermissionsBoundary=boundary)
    assert sim.get_user("bounded").permissions_boundary == boundary
    assert _denied(lambda: iam.create_user(UserName="free"))
    assert _denied(lambda: iam.put_user_permissions_boundary(UserName="bounded", PermissionsBoundary=_READ_ONLY))
    iam.put_user_permissions_boundary(UserName="bounded", PermissionsBoundary=boundary)
    assert f"arn:aws:iam::{ACCOUNT}:policy/boundary" == boundary
