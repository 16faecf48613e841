"""``iamsim evaluate`` decides a request as the Simulator does, and refuses what no request can name (issue 15).

§E: the Simulator's requests carry ``aws:SecureTransport`` (``true``) and
``aws:RequestedRegion`` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html);
the CLI assumes the same unless ``--context`` says otherwise, and says so.
docs/cli.md: a bad request (an action pattern, a resource that is not an ARN) exits 3.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamsim._engine.request import Principal
from iamsim._simulator.context import caller_context
from iamsim._sts.caller import Caller, CallerKind
from iamsim.cli import cli
from iamsim.cli.evaluate import DEFAULT_CONTEXT

ALICE = "arn:aws:iam::111122223333:user/alice"
TLS_IN_US_EAST_1 = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::logs/*",
            "Condition": {
                "Bool": {"aws:SecureTransport": "true"},
                "StringEquals": {"aws:RequestedRegion": "us-east-1"},
            },
        }
    ],
}


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    (tmp_path / "p.json").write_text(json.dumps(TLS_IN_US_EAST_1))
    return tmp_path / "p.json"


def _evaluate(runner: CliRunner, policy: Path, *extra: str) -> tuple[int, dict[str, object]]:
    result = runner.invoke(
        cli,
        [
            "evaluate",
            "--identity",
            str(policy),
            "--principal",
            ALICE,
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::logs/a",
            "--format",
            "json",
            *extra,
        ],
    )
    return result.exit_code, json.loads(result.stdout)


def test_the_cli_defaults_are_the_simulators_E() -> None:
    """The keys the CLI assumes are those the Simulator puts in every request, with the same values."""
    simulator = caller_context(
        Caller(CallerKind.USER, Principal.from_arn(ALICE)), datetime(2026, 1, 1, tzinfo=UTC), (), None
    )
    assert {key.lower(): value for key, value in DEFAULT_CONTEXT.items()} == {
        key: simulator[key] for key in ("aws:securetransport", "aws:requestedregion")
    }


def test_a_tls_and_region_condition_is_allowed_as_the_simulator_would_and_the_defaults_are_shown_E(
    runner: CliRunner, policy: Path
) -> None:
    code, out = _evaluate(runner, policy)
    assert code == 0
    assert out["assumed_context"] == {"aws:SecureTransport": "true", "aws:RequestedRegion": "us-east-1"}


def test_context_overrides_a_default_in_any_case_E(runner: CliRunner, policy: Path) -> None:
    code, out = _evaluate(runner, policy, "--context", "aws:securetransport=false")
    assert code == 2
    assert out["assumed_context"] == {"aws:RequestedRegion": "us-east-1"}


def test_explain_says_what_it_assumed_E(runner: CliRunner, policy: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "explain",
            "--identity",
            str(policy),
            "--principal",
            ALICE,
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::logs/a",
            "--context",
            "aws:RequestedRegion=eu-west-1",
        ],
    )
    assert result.exit_code == 2
    assert "assumed context (override with --context): aws:SecureTransport=true" in result.stdout.splitlines()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--resource", "not-an-arn", "--resource 'not-an-arn': not an ARN"),
        ("--action", "s3:Get*", "--action 's3:Get*': a request names one action, not a pattern"),
        ("--action", "s3:GetObjec?", "--action 's3:GetObjec?': a request names one action, not a pattern"),
        ("--action", "GetObject", "--action 'GetObject': expected SERVICE:ACTION"),
    ],
)
def test_a_request_no_caller_can_make_exits_3_with_a_clear_message(
    runner: CliRunner, policy: Path, option: str, value: str, message: str
) -> None:
    arguments = ["evaluate", "--identity", str(policy), "--principal", ALICE, "--action", "s3:GetObject"]
    arguments += [option, value]
    result = runner.invoke(cli, arguments)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: {message}")
    assert "Traceback" not in result.output
