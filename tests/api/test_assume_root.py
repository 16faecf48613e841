"""STS AssumeRoot through boto3: privileged root sessions in member accounts (§G.12).

AWS pages: STSAPI:API_AssumeRoot.html; UG:id_root-user-privileged-task.html, id_root-enable-root-access.html,
security-iam-awsmanpol.html (the root-task policies); SAR:list_awssecuritytokenservice.html (sts:AssumeRoot on
the ``root-user`` resource, condition key ``sts:TaskPolicyArn``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import boto3
import pytest

import iamsim.boto3
from iamsim import ManualClock
from iamsim._simulator import Simulator

from .conftest import ACCOUNT, ADMIN, MEMBER, error_of

TASK = "arn:aws:iam::aws:policy/root-task/"
AUDIT = TASK + "IAMAuditRootUserCredentials"
S3_UNLOCK = TASK + "S3UnlockBucketPolicy"
ALLOW_ASSUME_ROOT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoot", "Resource": "*"}],
}


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    """Keeps each attached boto3 session served for the test's life."""
    with ExitStack() as stack:
        yield stack


def signed(sim: Simulator, stack: ExitStack, key_id: str, secret: str, token: str | None = None) -> boto3.Session:
    """A boto3 session with these credentials, served by ``sim``."""
    session = boto3.Session(
        aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token, region_name="us-east-1"
    )
    stack.enter_context(iamsim.boto3.attach(sim, session))
    return session


def user_session(sim: Simulator, stack: ExitStack, account: str, policy: dict[str, Any]) -> boto3.Session:
    """A session of a new user ``operator`` of ``account`` holding ``policy`` inline."""
    sim.create_user("operator", account_id=account)
    sim.put_user_policy("operator", "ops", json.dumps(policy), account_id=account)
    key = sim.create_access_key("operator", account_id=account)
    return signed(sim, stack, key.access_key_id, key.secret_access_key)


@pytest.fixture
def rooted(org: Simulator) -> Simulator:
    """The organization fixture (ADMIN IAM's delegated administrator) with root sessions enabled."""
    org.iam.enable_organizations_root_sessions(account_id=ACCOUNT)
    return org


@pytest.fixture
def operator(rooted: Simulator, stack: ExitStack) -> Any:
    """An STS client of a management-account user allowed sts:AssumeRoot."""
    return user_session(rooted, stack, ACCOUNT, ALLOW_ASSUME_ROOT).client("sts")


def root_session(sim: Simulator, stack: ExitStack, credentials: dict[str, Any]) -> boto3.Session:
    return signed(sim, stack, credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"])


def test_audit_session_is_the_members_root_limited_to_the_task_g12(
    org: Simulator, operator: Any, stack: ExitStack, clock: ManualClock
) -> None:
    """§G.12: the session is the member's root user; the task policy leaves only its task's actions on root."""
    answer = operator.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT})
    credentials = answer["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert (credentials["Expiration"] - clock.now()).total_seconds() == 900
    session = root_session(org, stack, credentials)
    identity = session.client("sts").get_caller_identity()
    assert (identity["Arn"], identity["Account"]) == (f"arn:aws:iam::{MEMBER}:root", MEMBER)
    iam = session.client("iam")
    assert iam.list_access_keys()["AccessKeyMetadata"] == []  # the root user's own keys: the task's action
    assert iam.get_user()["User"]["Arn"] == f"arn:aws:iam::{MEMBER}:root"
    assert error_of(iam.create_user, UserName="intruder")["Code"] == "AccessDenied"  # not the task's
    org.create_user("alice", account_id=MEMBER)
    assert error_of(iam.list_access_keys, UserName="alice")["Code"] == "AccessDenied"  # not on the root user
    clock.advance(900)
    assert error_of(iam.list_access_keys)["Code"] == "ExpiredToken"


def test_root_arn_target_and_short_duration_g12(org: Simulator, operator: Any, clock: ManualClock) -> None:
    """§G.12: TargetPrincipal may be the member's root ARN; DurationSeconds up to 900 sets the expiry."""
    answer = operator.assume_root(
        TargetPrincipal=f"arn:aws:iam::{MEMBER}:root", TaskPolicyArn={"arn": S3_UNLOCK}, DurationSeconds=60
    )
    assert (answer["Credentials"]["Expiration"] - clock.now()).total_seconds() == 60


def test_s3_unlock_session_allows_bucket_policy_actions_only_g12(
    org: Simulator, operator: Any, stack: ExitStack
) -> None:
    """§G.12: S3UnlockBucketPolicy leaves the bucket policy actions, nothing else, to the root session."""
    credentials = operator.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": S3_UNLOCK})["Credentials"]
    caller = org.authenticate(
        iamsim.Credentials(credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"])
    )
    bucket = "arn:aws:s3:::locked-out"
    assert org.is_allowed(caller, "s3:DeleteBucketPolicy", bucket)
    assert not org.is_allowed(caller, "s3:GetObject", bucket + "/key")
    assert not org.is_allowed(caller, "iam:CreateUser", f"arn:aws:iam::{MEMBER}:user/x")


def test_scps_still_apply_to_the_root_session_g12(org: Simulator, operator: Any, stack: ExitStack) -> None:
    """§G.12: the member's SCPs limit its root user, so they limit a root session too."""
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:ListAccessKeys", "Resource": "*"}]}
    policy = org.organizations.create_organization_policy("no-keys", json.dumps(deny))
    org.organizations.attach_organization_policy(policy.policy_id, MEMBER)
    credentials = operator.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT})["Credentials"]
    iam = root_session(org, stack, credentials).client("iam")
    assert error_of(iam.list_access_keys)["Code"] == "AccessDenied"


def test_delegated_administrator_may_assume_root_g12(rooted: Simulator, stack: ExitStack) -> None:
    """§G.12: IAM's delegated administrator may call AssumeRoot too."""
    sts = user_session(rooted, stack, ADMIN, ALLOW_ASSUME_ROOT).client("sts")
    assert sts.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT})["Credentials"]["SessionToken"]


def test_a_member_that_is_not_the_administrator_is_refused_g12(rooted: Simulator, stack: ExitStack) -> None:
    """§G.12: only the management account or IAM's delegated administrator may open root sessions."""
    sts = user_session(rooted, stack, MEMBER, ALLOW_ASSUME_ROOT).client("sts")
    error = error_of(sts.assume_root, TargetPrincipal=ADMIN, TaskPolicyArn={"arn": AUDIT})
    assert error["Code"] == "AccessDenied"
    assert "management account or delegated administrator" in error["Message"]


def test_root_sessions_disabled_g12(org: Simulator, operator: Any) -> None:
    """§G.12: without RootSessions enabled in IAM, AssumeRoot is refused."""
    org.iam.disable_organizations_root_sessions(account_id=ACCOUNT)
    error = error_of(operator.assume_root, TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT})
    assert error["Code"] == "AccessDenied"
    assert "EnableOrganizationsRootSessions" in error["Message"]


def test_no_organization_g12(sim: Simulator, stack: ExitStack) -> None:
    """§G.12: an account in no organization cannot open root sessions."""
    sts = user_session(sim, stack, ACCOUNT, ALLOW_ASSUME_ROOT).client("sts")
    error = error_of(sts.assume_root, TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT})
    assert (error["Code"], error["Message"]) == (
        "AccessDenied",
        "The request was rejected because no organization is associated with your account.",
    )


def test_root_user_credentials_are_refused_g12(rooted: Simulator, session: boto3.Session) -> None:
    """§G.12 (STSAPI:API_AssumeRoot.html): "You cannot use root user credentials to make this call"."""
    error = error_of(session.client("sts").assume_root, TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT})
    assert error["Code"] == "AccessDenied"


def test_caller_needs_sts_assume_root_g12(rooted: Simulator, stack: ExitStack) -> None:
    """§G.12: the caller's policies must allow sts:AssumeRoot on the member's root user."""
    nothing = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    sts = user_session(rooted, stack, ACCOUNT, nothing).client("sts")
    error = error_of(sts.assume_root, TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT})
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        f"User: arn:aws:iam::{ACCOUNT}:user/operator is not authorized to perform: sts:AssumeRoot "
        f"on resource: arn:aws:iam::{MEMBER}:root"
    )


def test_task_policy_arn_condition_key_g12(rooted: Simulator, stack: ExitStack) -> None:
    """§G.12: sts:TaskPolicyArn carries the task policy, so a policy can allow some tasks only."""
    audit_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRoot",
                "Resource": f"arn:aws:iam::{MEMBER}:root",
                "Condition": {"StringEquals": {"sts:TaskPolicyArn": AUDIT}},
            }
        ],
    }
    sts = user_session(rooted, stack, ACCOUNT, audit_only).client("sts")
    assert sts.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT})["Credentials"]
    assert error_of(sts.assume_root, TargetPrincipal=MEMBER, TaskPolicyArn={"arn": S3_UNLOCK})["Code"] == (
        "AccessDenied"
    )
    assert error_of(sts.assume_root, TargetPrincipal=ADMIN, TaskPolicyArn={"arn": AUDIT})["Code"] == "AccessDenied"


@pytest.mark.parametrize(
    ("target", "task", "duration", "fragment"),
    [
        (MEMBER, "arn:aws:iam::aws:policy/AdministratorAccess", None, "root-task policies"),
        (MEMBER, TASK + "NoSuchTask", None, "root-task policies"),
        (MEMBER, AUDIT, 901, "Member must have value less than or equal to 900"),
        ("not-an-account", AUDIT, None, "is not a member account ID"),
    ],
)
def test_bad_parameters_are_validation_errors_g12(
    org: Simulator, operator: Any, target: str, task: str, duration: int | None, fragment: str
) -> None:
    """§G.12: a task policy other than the five, a duration above 900, a malformed target: ValidationError."""
    params: dict[str, Any] = {"TargetPrincipal": target, "TaskPolicyArn": {"arn": task}}
    if duration is not None:
        params["DurationSeconds"] = duration
    error = error_of(operator.assume_root, **params)
    assert error["Code"] == "ValidationError"
    assert fragment in error["Message"]


@pytest.mark.parametrize("target", [ACCOUNT, "444444444444"])
def test_target_must_be_a_member_account_g12(org: Simulator, operator: Any, target: str) -> None:
    """§G.12 (judgment): the management account itself or an account outside the organization is refused."""
    error = error_of(operator.assume_root, TargetPrincipal=target, TaskPolicyArn={"arn": AUDIT})
    assert error["Code"] == "AccessDenied"
    assert "is not a member account" in error["Message"]


def test_root_session_cannot_assume_roles_or_get_session_tokens_g12(
    org: Simulator, operator: Any, stack: ExitStack
) -> None:
    """§G.12: a root session is the root user's: AssumeRole refuses it (§G.1), GetSessionToken too (§G.4)."""
    credentials = operator.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT})["Credentials"]
    sts = root_session(org, stack, credentials).client("sts")
    error = error_of(sts.assume_role, RoleArn=f"arn:aws:iam::{MEMBER}:role/any", RoleSessionName="session")
    assert error["Code"] == "AccessDenied"
    assert error_of(sts.get_session_token)["Code"] == "AccessDenied"
