"""Fixtures for CLI tests: a CliRunner and small policy files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policy-tests"

READ_LOGS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadLogs",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::company1-logs/*",
            "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        }
    ],
}
DENY_DELETE = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}],
}
TRUST_EC2 = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
ROLE = "arn:aws:iam::111122223333:role/Company1-Logs-Role"


@pytest.fixture
def runner() -> CliRunner:
    """A runner whose stdout and stderr are kept apart."""
    return CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A directory with read-logs.json, deny-delete.json and trust.json."""
    (tmp_path / "read-logs.json").write_text(json.dumps(READ_LOGS, indent=2))
    (tmp_path / "deny-delete.json").write_text(json.dumps(DENY_DELETE))
    (tmp_path / "trust.json").write_text(json.dumps(TRUST_EC2))
    return tmp_path
