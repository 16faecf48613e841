"""A tiny application module for the example test: it assumes a role and reports who it became."""

from __future__ import annotations

from typing import Any

import boto3


def session_for_role(role_arn: str, session_name: str, *, base: boto3.Session | None = None) -> boto3.Session:
    """A boto3 session holding the credentials of ``role_arn`` assumed as ``session_name``."""
    base = base or boto3.Session()
    credentials = base.client("sts").assume_role(RoleArn=role_arn, RoleSessionName=session_name)["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=base.region_name,
    )


def whoami(session: boto3.Session) -> str:
    """The ARN the session acts as."""
    identity: dict[str, Any] = session.client("sts").get_caller_identity()
    return str(identity["Arn"])
