"""``iamsim evaluate`` and ``iamsim explain``: decisions, formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamsim.cli import cli

ROLE = "arn:aws:iam::111122223333:role/Company1-Logs-Role"


def _evaluate(runner: CliRunner, files: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(
        cli,
        ["evaluate", "--identity", str(files / "read-logs.json"), "--principal", ROLE, *extra],
    )
    return result.exit_code, result.stdout, result.stderr


def test_allowed_request_exits_0(runner: CliRunner, files: Path) -> None:
    code, out, _ = _evaluate(
        runner,
        files,
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::company1-logs/a.log",
        "--context",
        "aws:SourceIp=10.1.2.3",
    )
    assert code == 0
    assert "ALLOWED" in out
    assert "1 allowed, 0 denied" in out


def test_denied_request_exits_2_with_aws_message(runner: CliRunner, files: Path) -> None:
    """§G.9: a denial shows AWS's AccessDenied wording."""
    code, out, _ = _evaluate(runner, files, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::company1-logs/a")
    assert code == 2
    assert "IMPLICIT DENY" in out
    assert "because no identity-based policy allows the s3:PutObject action" in out


def test_matrix_of_actions_and_resources(runner: CliRunner, files: Path) -> None:
    code, out, _ = _evaluate(
        runner,
        files,
        "--action",
        "s3:GetObject",
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::company1-logs/a",
        "--resource",
        "arn:aws:s3:::other/a",
        "--context",
        "aws:SourceIp=10.0.0.1",
        "--format",
        "json",
    )
    data = json.loads(out)
    pairs = [(r["action"], r["resource"], r["decision"]) for r in data["results"]]
    assert pairs == [
        ("s3:GetObject", "arn:aws:s3:::company1-logs/a", "allowed"),
        ("s3:GetObject", "arn:aws:s3:::other/a", "implicitDeny"),
        ("s3:PutObject", "arn:aws:s3:::company1-logs/a", "implicitDeny"),
        ("s3:PutObject", "arn:aws:s3:::other/a", "implicitDeny"),
    ]
    assert data["summary"] == {"allowed": 1, "denied": 3}
    assert code == 2


def test_explain_shows_failed_condition_with_values_seen(runner: CliRunner, files: Path) -> None:
    """§C.1: the explanation names the failing condition and the request's value."""
    code, out, _ = _evaluate(
        runner,
        files,
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::company1-logs/a",
        "--context",
        "aws:SourceIp=192.168.1.1",
        "--explain",
    )
    assert code == 2
    assert "IpAddress aws:SourceIp: policy wants '10.0.0.0/8', request has '192.168.1.1' -> FAILED" in out


def test_explain_lists_missing_context_keys(runner: CliRunner, files: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "explain",
            "--identity",
            str(files / "read-logs.json"),
            "--principal",
            ROLE,
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::company1-logs/a",
            "--format",
            "json",
        ],
    )
    data = json.loads(result.stdout)
    assert data["results"][0]["missing_context_keys"] == ["aws:SourceIp"]
    assert data["results"][0]["explanation"]["statements"][0]["outcome"] == "condition not met"
    assert result.exit_code == 2


def test_explicit_deny_names_the_statement(runner: CliRunner, files: Path) -> None:
    """§F.1: an explicit deny wins; the determining Deny statement is shown."""
    result = runner.invoke(
        cli,
        [
            "explain",
            "--identity",
            str(files / "read-logs.json"),
            "--identity",
            str(files / "deny-delete.json"),
            "--principal",
            ROLE,
            "--action",
            "s3:DeleteObject",
            "--resource",
            "arn:aws:s3:::company1-logs/a",
        ],
    )
    assert result.exit_code == 2
    assert "EXPLICIT DENY" in result.stdout
    assert 'Deny statement 0 (Sid "NoDelete") of identity-based policy "deny-delete"' in result.stdout


def test_trust_policy_governs_assume_role(runner: CliRunner, files: Path) -> None:
    """§F.4: the trust policy is the role's resource policy for sts:AssumeRole."""
    args = ["evaluate", "--trust-policy", str(files / "trust.json"), "--action", "sts:AssumeRole", "--resource", ROLE]
    assert runner.invoke(cli, [*args, "--principal", "ec2.amazonaws.com"]).exit_code == 0
    denied = runner.invoke(cli, [*args, "--principal", "arn:aws:iam::111122223333:user/random"])
    assert denied.exit_code == 2
    assert "no role trust policy allows" in denied.stdout


def test_multivalued_context_forms(runner: CliRunner, tmp_path: Path) -> None:
    """§C.3: key=a,b and key=[...] give multivalued keys."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": "*",
                "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}},
            }
        ],
    }
    (tmp_path / "p.json").write_text(json.dumps(policy))
    base = ["evaluate", "--identity", str(tmp_path / "p.json"), "--principal", ROLE, "--action", "s3:PutObject"]
    assert runner.invoke(cli, [*base, "--context", "aws:TagKeys=team,env"]).exit_code == 0
    assert runner.invoke(cli, [*base, "--context", 'aws:TagKeys=["team","cost"]']).exit_code == 2
    (tmp_path / "ctx.yaml").write_text("aws:TagKeys: [env]\n")
    assert runner.invoke(cli, [*base, "--context-file", str(tmp_path / "ctx.yaml")]).exit_code == 0


def test_scp_levels_each_must_allow(runner: CliRunner, files: Path, tmp_path: Path) -> None:
    """§F.5: every SCP level must allow; --scp is one level, root first."""
    allow_all = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    only_ec2 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}
    (tmp_path / "all.json").write_text(json.dumps(allow_all))
    (tmp_path / "ec2.json").write_text(json.dumps(only_ec2))
    base = [
        "evaluate",
        "--identity",
        str(files / "read-logs.json"),
        "--principal",
        ROLE,
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::company1-logs/a",
        "--context",
        "aws:SourceIp=10.0.0.1",
    ]
    assert runner.invoke(cli, [*base, "--scp", str(tmp_path / "all.json")]).exit_code == 0
    denied = runner.invoke(cli, [*base, "--scp", str(tmp_path / "all.json"), "--scp", str(tmp_path / "ec2.json")])
    assert denied.exit_code == 2
    assert "service control policy" in denied.stdout
    both = f"{tmp_path / 'ec2.json'},{tmp_path / 'all.json'}"
    assert runner.invoke(cli, [*base, "--scp", both]).exit_code == 0


def test_managed_policy_arn_as_identity(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        [
            "evaluate",
            "--identity",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            "--principal",
            "arn:aws:iam::111122223333:role/S3AccessRole",
            "--action",
            "s3:ListBucket",
            "--resource",
            "arn:aws:s3:::any",
        ],
    )
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--identity", "missing.json"], "missing.json: no such file"),
        (["--identity", "{bad}"], "no such file"),
        (["--identity", "arn:aws:iam::aws:policy/NoSuchPolicy"], "NoSuchPolicy"),
    ],
)
def test_bad_policy_arguments_exit_3_with_one_line(runner: CliRunner, args: list[str], needle: str) -> None:
    result = runner.invoke(cli, ["evaluate", *args, "--principal", ROLE, "--action", "s3:GetObject"])
    assert result.exit_code == 3
    assert needle in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_invalid_json_policy_exits_3_with_position(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"Version": "2012-10-17",\n  "Statement": [}\n')
    result = runner.invoke(
        cli, ["evaluate", "--identity", str(tmp_path / "bad.json"), "--principal", ROLE, "--action", "s3:GetObject"]
    )
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: {tmp_path / 'bad.json'}:2:")


def test_malformed_policy_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    """§A.2: Effect must be Allow or Deny."""
    bad = {"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    result = runner.invoke(
        cli, ["evaluate", "--identity", str(tmp_path / "bad.json"), "--principal", ROLE, "--action", "s3:GetObject"]
    )
    assert result.exit_code == 3
    assert "MalformedPolicyDocument" in result.stderr
    assert "/Statement/0/Effect" in result.stderr


def test_invalid_yaml_policy_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("Version: 2012-10-17\nStatement: [\n  - a: b\n")
    result = runner.invoke(
        cli, ["evaluate", "--identity", str(tmp_path / "bad.yaml"), "--principal", ROLE, "--action", "s3:GetObject"]
    )
    assert result.exit_code == 3
    assert "invalid YAML at line" in result.stderr


@pytest.mark.parametrize("principal", ["bob", "arn:aws:s3:::bucket", "arn:aws:iam::12:user/x"])
def test_unknown_principal_form_exits_3(runner: CliRunner, files: Path, principal: str) -> None:
    result = runner.invoke(
        cli,
        ["evaluate", "--identity", str(files / "read-logs.json"), "--principal", principal, "--action", "s3:GetObject"],
    )
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: --principal {principal!r}")
    assert result.stderr.count("\n") == 1


def test_bad_context_exits_3(runner: CliRunner, files: Path) -> None:
    base = ["evaluate", "--identity", str(files / "read-logs.json"), "--principal", ROLE, "--action", "s3:GetObject"]
    assert runner.invoke(cli, [*base, "--context", "novalue"]).exit_code == 3
    assert runner.invoke(cli, [*base, "--context", "k=[1,"]).exit_code == 3


def test_usage_error_exits_3_not_clicks_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["evaluate", "--bogus"])
    assert result.exit_code == 3
    assert "No such option" in result.stderr


def test_no_policies_is_invalid_input(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["evaluate", "--principal", ROLE, "--action", "s3:GetObject"])
    assert result.exit_code == 3
    assert "no policies given" in result.stderr


def test_colour_on_terminal_and_plain_with_no_color(runner: CliRunner, files: Path) -> None:
    args = ["evaluate", "--identity", str(files / "read-logs.json"), "--principal", ROLE, "--action", "s3:PutObject"]
    coloured = runner.invoke(cli, args, color=True)
    assert "\x1b[" in coloured.stdout
    plain = runner.invoke(cli, args, color=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout
    piped = runner.invoke(cli, args)
    assert "\x1b[" not in piped.stdout
