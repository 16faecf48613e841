"""Testing code that assumes an IAM role, with iamsim answering boto3 in-process.

Run with ``pytest examples/test_app_assume_role.py``: iamsim's pytest plugin provides the
``iamsim_simulator`` and ``iamsim_boto3`` fixtures. The walk-through is docs/testing.md.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

sys.path.insert(0, str(Path(__file__).parent))
from app_roles import session_for_role, whoami

from iamsim import ManualClock, Simulator
from iamsim.testing import assert_allowed, assert_denied

ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/deployer"


def policy(*statements: dict[str, object]) -> str:
    """A policy document as JSON text."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture
def ci_session(iamsim_boto3: boto3.Session) -> boto3.Session:
    """Build the world with ordinary boto3 calls and return a session signed with user ci's keys."""
    iam = iamsim_boto3.client("iam")
    iam.create_user(UserName="ci")
    iam.put_user_policy(
        UserName="ci",
        PolicyName="assume-deployer",
        PolicyDocument=policy({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ROLE_ARN}),
    )
    trust = policy(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/ci"}, "Action": "sts:AssumeRole"}
    )
    iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=trust)
    iam.put_role_policy(
        RoleName="deployer",
        PolicyName="read-roles",
        PolicyDocument=policy({"Effect": "Allow", "Action": ["iam:GetRole", "iam:ListRoles"], "Resource": "*"}),
    )
    key = iam.create_access_key(UserName="ci")["AccessKey"]
    return boto3.Session(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1"
    )


@pytest.mark.iamsim(start_time="2026-01-01T00:00:00Z")
def test_ci_becomes_the_deployer(ci_session: boto3.Session) -> None:
    """The application's assume-role code works, and the session can read roles."""
    deployer = session_for_role(ROLE_ARN, "deploy-42", base=ci_session)
    assert whoami(deployer) == f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/deploy-42"
    assert deployer.client("iam").get_role(RoleName="deployer")["Role"]["Arn"] == ROLE_ARN


@pytest.mark.iamsim(start_time="2026-01-01T00:00:00Z")
def test_the_deployer_cannot_create_roles(ci_session: boto3.Session) -> None:
    """Beyond its permissions the session gets AccessDenied, in AWS's words."""
    deployer = session_for_role(ROLE_ARN, "deploy-42", base=ci_session)
    with pytest.raises(ClientError) as caught:
        deployer.client("iam").create_role(RoleName="backdoor", AssumeRolePolicyDocument=policy())
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert "because no identity-based policy allows the iam:CreateRole action" in str(caught.value)


@pytest.mark.iamsim(start_time="2026-01-01T00:00:00Z")
def test_an_untrusted_user_cannot_assume(iamsim_boto3: boto3.Session, ci_session: boto3.Session) -> None:
    """Someone the trust policy does not name is refused."""
    iam = iamsim_boto3.client("iam")
    iam.create_user(UserName="intern")
    iam.put_user_policy(
        UserName="intern",
        PolicyName="assume-anything",
        PolicyDocument=policy({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}),
    )
    key = iam.create_access_key(UserName="intern")["AccessKey"]
    intern = boto3.Session(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1"
    )
    with pytest.raises(ClientError) as caught:
        session_for_role(ROLE_ARN, "sneaky", base=intern)
    assert caught.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{ACCOUNT}:user/intern is not authorized to perform: sts:AssumeRole on resource: {ROLE_ARN}"
    )


@pytest.mark.iamsim(start_time="2026-01-01T00:00:00Z")
def test_the_session_expires(iamsim_simulator: Simulator, ci_session: boto3.Session) -> None:
    """An hour later the role session's credentials are refused with ExpiredToken."""
    deployer = session_for_role(ROLE_ARN, "deploy-42", base=ci_session)
    clock = iamsim_simulator.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(hours=1))
    with pytest.raises(ClientError) as caught:
        whoami(deployer)
    assert caught.value.response["Error"]["Code"] == "ExpiredToken"


def test_decisions_with_explanations(iamsim_simulator: Simulator, ci_session: boto3.Session) -> None:
    """iamsim.testing asserts decisions directly; a failure message explains the decision."""
    keys = ci_session.get_credentials()
    assert keys is not None
    ci_keys = {"AccessKeyId": keys.access_key, "SecretAccessKey": keys.secret_key}
    assert_allowed(iamsim_simulator, ci_keys, "sts:AssumeRole", ROLE_ARN)
    assert_denied(iamsim_simulator, ci_keys, "iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/x")
