"""The role-assumption world the integration suite shares, built through real boto3 clients."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3

from iamsim import Simulator

ACCOUNT = "123456789012"
REGION = "us-east-1"


def root_session(sim: Simulator) -> boto3.Session:
    """A boto3 session signed with the root access key ``sim`` issued for its default account."""
    root = sim.root_credentials()
    return boto3.Session(
        aws_access_key_id=root.access_key_id, aws_secret_access_key=root.secret_access_key, region_name=REGION
    )


def document(*statements: dict[str, Any]) -> str:
    """A policy document with these statements, as JSON text."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def client_for(session: boto3.Session, service: str, credentials: dict[str, Any]) -> Any:
    """A client of ``session`` that signs with ``credentials`` (an AccessKey or STS Credentials dict)."""
    return session.client(
        service,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials.get("SessionToken"),
    )


@dataclass
class RoleWorld:
    """The world of the role-assumption flow: alice is trusted by the role, bob is not."""

    session: boto3.Session
    role_arn: str
    alice: dict[str, Any]
    bob: dict[str, Any]

    def sts_as(self, credentials: dict[str, Any]) -> Any:
        """An STS client signing with ``credentials``."""
        return client_for(self.session, "sts", credentials)

    def iam_as(self, credentials: dict[str, Any]) -> Any:
        """An IAM client signing with ``credentials``."""
        return client_for(self.session, "iam", credentials)


def build_role_world(session: boto3.Session) -> RoleWorld:
    """Create users alice and bob, a role trusting alice, with a read-only IAM policy attached."""
    iam = session.client("iam")
    assume_anything = document({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})
    keys = {}
    for name in ("alice", "bob"):
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="may-assume", PolicyDocument=assume_anything)
        keys[name] = iam.create_access_key(UserName=name)["AccessKey"]
    trust = document(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"}, "Action": "sts:AssumeRole"}
    )
    role_arn = iam.create_role(RoleName="reader", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    policy_arn = iam.create_policy(
        PolicyName="iam-read",
        PolicyDocument=document({"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}),
    )["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="reader", PolicyArn=policy_arn)
    return RoleWorld(session, role_arn, keys["alice"], keys["bob"])
