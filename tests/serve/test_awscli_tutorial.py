"""The seed tutorial's commands with the real AWS CLI v1 against iamsim serve (§G.10, §G.1, §G.6).

Unchanged apart from environment variables: AWS_ENDPOINT_URL for the administrator's shell,
AWS_EC2_METADATA_SERVICE_ENDPOINT (and no keys) for the shell "on the instance". The
instance is launched with ``iamsim instance run`` (the admin API: iamsim serves no EC2 API).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from serve.conftest import EC2_TRUST, METADATA_PATIENCE, Served

AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
pytestmark = pytest.mark.skipif(AWS is None, reason="the AWS CLI (awscli, in the dev extra) is not installed")
IAMSIM = [str(Path(sys.executable).parent / "iamsim")]


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "false",
        **METADATA_PATIENCE,
        **extra,
    }
    return env


def _aws(env: dict[str, str], cwd: Path, *args: str) -> Any:
    assert AWS is not None
    done = subprocess.run([AWS, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


def _iamsim(served: Served, *args: str) -> str:
    env = {**os.environ, "IAMSIM_URL": served.url, "IAMSIM_ADMIN_TOKEN": served.server.admin_token}
    done = subprocess.run([*IAMSIM, *args], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _admin_shell(served: Served, tmp_path: Path) -> dict[str, str]:
    root = served.sim.root_credentials()
    return _clean_env(
        tmp_path,
        AWS_ENDPOINT_URL=served.url,
        AWS_ACCESS_KEY_ID=root.access_key_id,
        AWS_SECRET_ACCESS_KEY=root.secret_access_key,
    )


def _tutorial_setup(served: Served, tmp_path: Path) -> str:
    """The tutorial's IAM commands through the AWS CLI, then an instance; its id."""
    (tmp_path / "trust-policy.json").write_text(json.dumps(EC2_TRUST))
    admin = _admin_shell(served, tmp_path)
    role = _aws(
        admin, tmp_path, "iam", "create-role", "--role-name", "S3AccessRole",
        "--assume-role-policy-document", "file://trust-policy.json",
    )  # fmt: skip
    assert role["Role"]["Arn"] == "arn:aws:iam::123456789012:role/S3AccessRole"
    _aws(
        admin, tmp_path, "iam", "attach-role-policy", "--role-name", "S3AccessRole",
        "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    )  # fmt: skip
    _aws(admin, tmp_path, "iam", "create-instance-profile", "--instance-profile-name", "S3AccessRole")
    _aws(
        admin, tmp_path, "iam", "add-role-to-instance-profile", "--instance-profile-name", "S3AccessRole",
        "--role-name", "S3AccessRole",
    )  # fmt: skip
    launched = json.loads(_iamsim(served, "instance", "run", "--instance-profile", "S3AccessRole", "--format", "json"))
    return str(launched["instance_id"])


def test_tutorial_with_the_aws_cli_g10(served: Served, tmp_path: Path) -> None:
    """§G.10, §G.6: on the instance, `aws sts get-caller-identity` shows the assumed-role ARN from IMDSv2."""
    instance = _tutorial_setup(served, tmp_path)
    on_instance = _clean_env(
        tmp_path,
        AWS_ENDPOINT_URL=served.url,
        AWS_EC2_METADATA_SERVICE_ENDPOINT=served.server.metadata_endpoint(instance),
    )
    identity = _aws(on_instance, tmp_path, "sts", "get-caller-identity")
    assert identity["Arn"] == f"arn:aws:sts::123456789012:assumed-role/S3AccessRole/{instance}"
    assert identity["Account"] == "123456789012"


def test_sdk_refreshes_by_itself_after_clock_advance_g10(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§G.10: after `iamsim clock advance 7h` (and seven hours on the SDK's own clock) boto3 fetches new credentials.

    The SDK decides by its own clock, which the server cannot move: time-machine moves it
    here (in this process, which also moves the server's wall clock, so both agree).
    """
    import time_machine

    instance = _tutorial_setup(served, tmp_path)
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", served.server.metadata_endpoint(instance))
    for name, value in METADATA_PATIENCE.items():
        monkeypatch.setenv(name, value)
    sts = boto3.Session(region_name="us-east-1").client("sts", endpoint_url=served.url)
    before = sts.get_caller_identity()
    first_key = sts._request_signer._credentials.get_frozen_credentials().access_key
    _iamsim(served, "clock", "advance", "7h")
    with pytest.raises(ClientError, match="ExpiredToken"):
        sts.get_caller_identity()  # the SDK's clock says its credentials are still good; the world's says no
    with time_machine.travel(timedelta(hours=7)):
        after = sts.get_caller_identity()
        second_key = sts._request_signer._credentials.get_frozen_credentials().access_key
    assert after["Arn"] == before["Arn"]
    assert second_key != first_key


def test_env_prints_exports_for_admin_and_instance_shells(served: Served) -> None:
    """`iamsim env` prints the exports; with --instance, no keys and the metadata endpoint."""
    admin = _iamsim(served, "env")
    assert f"export AWS_ENDPOINT_URL={served.url}" in admin
    assert "export AWS_ACCESS_KEY_ID=" in admin
    assert "export IAMSIM_ADMIN_TOKEN=" in admin
    on_instance = json.loads(_iamsim(served, "env", "--instance", "i-0123456789abcdef0", "--format", "json"))
    assert on_instance["AWS_ACCESS_KEY_ID"] is None
    assert on_instance["AWS_EC2_METADATA_SERVICE_ENDPOINT"] == served.server.metadata_endpoint("i-0123456789abcdef0")


def test_events_as_mermaid_and_credential_process(served: Served) -> None:
    """`iamsim events --format mermaid` and `iamsim credential-process` (Version 1 JSON) against the server."""
    served.client("iam").create_user(UserName="dave")
    assert _iamsim(served, "events", "--format", "mermaid").startswith("sequenceDiagram")
    process = json.loads(_iamsim(served, "credential-process", "--user", "dave"))
    assert process["Version"] == 1
    assert process["AccessKeyId"].startswith("AKIA")


def test_s3_ls_allowed_and_s3_cp_denied_g10(served: Served, tmp_path: Path) -> None:
    """§G.10, §F.1: on the instance `aws s3 ls s3://company1-logs` works and `aws s3 cp` upload is S3's AccessDenied.

    The administrator's `aws s3api create-bucket` and `put-bucket-policy` go through the
    same server; the policy (allowing the role to list, nothing more) is learnt from that call.
    """
    instance = _tutorial_setup(served, tmp_path)
    admin = _admin_shell(served, tmp_path)
    _aws(admin, tmp_path, "s3api", "create-bucket", "--bucket", "company1-logs")
    role_arn = "arn:aws:iam::123456789012:role/S3AccessRole"
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": role_arn}, "Action": "s3:ListBucket",
                       "Resource": "arn:aws:s3:::company1-logs"}],
    }  # fmt: skip
    (tmp_path / "bucket-policy.json").write_text(json.dumps(policy))
    _aws(admin, tmp_path, "s3api", "put-bucket-policy", "--bucket", "company1-logs", "--policy", "file://bucket-policy.json")
    assert served.sim.resources.policy("arn:aws:s3:::company1-logs") is not None
    on_instance = _clean_env(
        tmp_path,
        AWS_ENDPOINT_URL=served.url,
        AWS_EC2_METADATA_SERVICE_ENDPOINT=served.server.metadata_endpoint(instance),
    )
    _aws(on_instance, tmp_path, "s3", "ls", "s3://company1-logs")
    (tmp_path / "upload.txt").write_text("hello")
    assert AWS is not None
    denied = subprocess.run(
        [AWS, "s3", "cp", "upload.txt", "s3://company1-logs/upload.txt"], env=on_instance, cwd=tmp_path,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert denied.returncode != 0
    assert "AccessDenied" in denied.stderr
    assert "s3:PutObject" in denied.stderr
