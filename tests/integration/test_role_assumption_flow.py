"""The role-assumption flow end to end with real boto3 clients (§F.4, §G.1, §G.6, §G.9)."""

from __future__ import annotations

import datetime

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time
from role_world import ACCOUNT, RoleWorld, build_role_world, root_session
from shape_check import assert_shape

import iamsim.boto3
from iamsim import ManualClock
from iamsim._simulator import Simulator


def _assume(world: RoleWorld, who: dict[str, str], name: str = "s1") -> dict[str, object]:
    return dict(world.sts_as(who).assume_role(RoleArn=world.role_arn, RoleSessionName=name))


def test_trusted_user_assumes_role_F4_G1(world: RoleWorld) -> None:
    """§F.4/§G.1: the user named in the trust policy, with sts:AssumeRole allowed, gets a session."""
    response = _assume(world, world.alice)
    assert_shape("sts", "AssumeRole", response)
    assumed = response["AssumedRoleUser"]
    assert isinstance(assumed, dict)
    assert assumed["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/reader/s1"
    assert str(assumed["AssumedRoleId"]).endswith(":s1")
    credentials = response["Credentials"]
    assert isinstance(credentials, dict)
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert credentials["Expiration"] == datetime.datetime(2026, 1, 1, 1, 0, tzinfo=datetime.UTC)


def test_untrusted_user_gets_access_denied_in_aws_words_G9(world: RoleWorld) -> None:
    """§G.9: bob is not in the trust policy; the error is AWS's AccessDenied for AssumeRole."""
    with pytest.raises(ClientError) as caught:
        _assume(world, world.bob)
    error = caught.value.response["Error"]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["Code"] == "AccessDenied"
    assert error["Message"].startswith(
        f"User: arn:aws:iam::{ACCOUNT}:user/bob is not authorized to perform: sts:AssumeRole "
        f"on resource: arn:aws:iam::{ACCOUNT}:role/reader"
    )


def test_get_caller_identity_with_session_credentials_G6(world: RoleWorld) -> None:
    """§G.6: the session's identity is the assumed-role ARN and RoleId:SessionName."""
    credentials = _assume(world, world.alice, "audit")["Credentials"]
    assert isinstance(credentials, dict)
    identity = assert_shape("sts", "GetCallerIdentity", world.sts_as(credentials).get_caller_identity())
    role_id = world.session.client("iam").get_role(RoleName="reader")["Role"]["RoleId"]
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/reader/audit"
    assert identity["UserId"] == f"{role_id}:audit"
    assert identity["Account"] == ACCOUNT


def test_get_caller_identity_needs_no_permission_G6(world: RoleWorld) -> None:
    """§G.6: even a caller with an explicit deny on everything may ask who it is."""
    root_iam = world.session.client("iam")
    root_iam.put_user_policy(
        UserName="bob",
        PolicyName="deny-all",
        PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}',
    )
    identity = world.sts_as(world.bob).get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/bob"


def test_session_credentials_within_their_permissions_F1(world: RoleWorld) -> None:
    """§F.1: the role's attached policy allows iam:Get*/List*, so the session may read IAM."""
    credentials = _assume(world, world.alice)["Credentials"]
    assert isinstance(credentials, dict)
    iam = world.iam_as(credentials)
    role = assert_shape("iam", "GetRole", iam.get_role(RoleName="reader"))["Role"]
    assert role["Arn"] == world.role_arn
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"
    }
    users = assert_shape("iam", "ListUsers", iam.list_users())["Users"]
    assert [u["UserName"] for u in users] == ["alice", "bob"]


def test_session_credentials_beyond_their_permissions_G9(world: RoleWorld) -> None:
    """§G.9: iam:CreateRole is not allowed to the session; AccessDenied names the session and the reason."""
    credentials = _assume(world, world.alice)["Credentials"]
    assert isinstance(credentials, dict)
    with pytest.raises(ClientError) as caught:
        world.iam_as(credentials).create_role(RoleName="escalate", AssumeRolePolicyDocument="{}")
    error = caught.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/reader/s1 is not authorized to perform: iam:CreateRole "
        f"on resource: arn:aws:iam::{ACCOUNT}:role/escalate because no identity-based policy allows the "
        "iam:CreateRole action"
    )
    assert world.session.client("iam").list_roles()["Roles"][0]["RoleName"] == "reader"


def test_user_without_permission_cannot_create_role_H5(world: RoleWorld) -> None:
    """§H.5/§G.9: IAM calls with issued user keys are authorized too (alice has no iam:CreateRole)."""
    with pytest.raises(ClientError) as caught:
        world.iam_as(world.alice).create_role(RoleName="x", AssumeRolePolicyDocument="{}")
    assert caught.value.response["Error"]["Code"] == "AccessDenied"


def test_expired_token_after_expiration_manual_clock_G9(world: RoleWorld, clock: ManualClock) -> None:
    """§G.9: from the expiration second on, the session gets ExpiredToken (HTTP 403)."""
    credentials = _assume(world, world.alice)["Credentials"]
    assert isinstance(credentials, dict)
    sts = world.sts_as(credentials)
    clock.advance(3599)
    assert sts.get_caller_identity()["Account"] == ACCOUNT
    clock.advance(1)
    with pytest.raises(ClientError) as caught:
        sts.get_caller_identity()
    assert caught.value.response["Error"] == {
        "Type": "Sender",
        "Code": "ExpiredToken",
        "Message": "The security token included in the request is expired",
    }
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_expired_token_after_expiration_freezegun_G9() -> None:
    """§G.9: with the wall clock (the default), freezegun moves the simulator past Expiration."""
    sim = Simulator()
    session = root_session(sim)
    with freeze_time("2026-03-01 12:00:00") as frozen, iamsim.boto3.attach(sim, session):
        world = build_role_world(session)
        credentials = _assume(world, world.alice)["Credentials"]
        assert isinstance(credentials, dict)
        assert credentials["Expiration"] == datetime.datetime(2026, 3, 1, 13, 0, tzinfo=datetime.UTC)
        iam = world.iam_as(credentials)
        assert iam.get_role(RoleName="reader")["Role"]["RoleName"] == "reader"
        frozen.tick(datetime.timedelta(hours=1))
        with pytest.raises(ClientError) as caught:
            iam.get_role(RoleName="reader")
    assert caught.value.response["Error"]["Code"] == "ExpiredToken"
