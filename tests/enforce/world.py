"""The world the enforcement tests share: a simulator, moto serving the other services, roles to assume."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from moto import mock_aws

import iamsim.boto3
from iamsim import Simulator

ACCOUNT = "123456789012"
REGION = "us-east-1"
#: Keeps moto's before-send handler away from the services iamsim serves (docs/testing.md).
MOTO_PASSTHROUGH = {"core": {"passthrough": {"services": ["iam", "sts"]}}}


def document(*statements: dict[str, Any]) -> str:
    """A policy document with these statements, as JSON text."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    """An Allow statement."""
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    """A Deny statement."""
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


@dataclass
class World:
    """A simulator, an administrator's session (``root``: allowed everything) and a way to become a role."""

    sim: Simulator
    root: boto3.Session

    def role(self, name: str, *statements: dict[str, Any], managed: str | None = None) -> boto3.Session:
        """Create role ``name`` with an inline policy of ``statements`` (and a managed policy), assume it."""
        iam = self.root.client("iam")
        trust = document(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
        )
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        if statements:
            iam.put_role_policy(RoleName=name, PolicyName=f"{name}-Policy", PolicyDocument=document(*statements))
        if managed is not None:
            iam.attach_role_policy(RoleName=name, PolicyArn=f"arn:aws:iam::aws:policy/{managed}")
        credentials = self.root.client("sts").assume_role(RoleArn=arn, RoleSessionName="app")["Credentials"]
        return boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=REGION,
        )


@contextmanager
def moto_world(sim: Simulator | None = None, **options: Any) -> Iterator[World]:
    """moto serving everything but IAM and STS, iamsim patched in (``options`` go to ``iamsim.boto3.patch``)."""
    sim = sim or Simulator()
    with mock_aws(config=MOTO_PASSTHROUGH), iamsim.boto3.patch(sim, **options):
        keys = sim.root_credentials()
        root = boto3.Session(
            aws_access_key_id=keys.access_key_id, aws_secret_access_key=keys.secret_access_key, region_name=REGION
        )
        # Roles may not be assumed by root (§G.1): the app's own set-up runs as an administrator user.
        iam = root.client("iam")
        iam.create_user(UserName="admin")
        iam.attach_user_policy(UserName="admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        key = iam.create_access_key(UserName="admin")["AccessKey"]
        admin = boto3.Session(
            aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name=REGION
        )
        yield World(sim, admin)


def error_of(caught: Any) -> tuple[str, str, int]:
    """Code, message and HTTP status of the ``ClientError`` a ``pytest.raises`` caught."""
    response = caught.value.response
    error = response["Error"]
    return error["Code"], error.get("Message", ""), response["ResponseMetadata"]["HTTPStatusCode"]
