"""Usage mistakes a newcomer makes get one clear line and exit 3, before any work is done."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from iamsim.cli import cli

POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'


def _policy(tmp_path: Path) -> str:
    path = tmp_path / "p.json"
    path.write_text(POLICY, encoding="utf-8")
    return str(path)


def test_explain_refuses_several_actions(tmp_path: Path) -> None:
    """explain answers one request; a second --action is an error, not silently dropped."""
    result = CliRunner().invoke(
        cli,
        [
            "explain",
            "--identity",
            _policy(tmp_path),
            "--principal",
            "arn:aws:iam::111122223333:user/a",
            "--action",
            "s3:GetObject",
            "--action",
            "s3:PutObject",
        ],
    )
    assert result.exit_code == 3
    assert "explain decides one request" in result.output


def test_empty_scp_level_is_refused(tmp_path: Path) -> None:
    """An SCP level naming no file would deny everything silently; it is an input error."""
    result = CliRunner().invoke(
        cli,
        [
            "evaluate",
            "--identity",
            _policy(tmp_path),
            "--scp",
            ",",
            "--principal",
            "arn:aws:iam::111122223333:user/a",
            "--action",
            "s3:GetObject",
        ],
    )
    assert result.exit_code == 3
    assert "names no policy file" in result.output


def test_resource_account_must_be_an_account_id(tmp_path: Path) -> None:
    """--resource-account takes a 12-digit account id."""
    result = CliRunner().invoke(
        cli,
        [
            "evaluate",
            "--identity",
            _policy(tmp_path),
            "--principal",
            "arn:aws:iam::111122223333:user/a",
            "--action",
            "s3:GetObject",
            "--resource-account",
            "abc",
        ],
    )
    assert result.exit_code == 3
    assert "12-digit" in result.output


def test_walkthrough_diagram_directory_is_checked_first(tmp_path: Path) -> None:
    """A diagram path in a missing directory fails before the walkthrough runs, without a traceback."""
    result = CliRunner().invoke(cli, ["walkthrough", "--diagram", str(tmp_path / "missing" / "flow.mmd")])
    assert result.exit_code == 3
    assert "does not exist" in result.output
    assert "Step 1" not in result.output
    assert "Traceback" not in result.output


def test_format_help_names_only_offered_formats() -> None:
    """evaluate offers text and json; its help must not advertise sarif."""
    result = CliRunner().invoke(cli, ["evaluate", "--help"])
    assert result.exit_code == 0
    assert "sarif" not in result.output


def test_unknown_action_is_warned_about_on_stderr(tmp_path: Path) -> None:
    """A typo'd action is still evaluated, but a warning with a suggestion keeps it from hiding."""
    result = CliRunner().invoke(
        cli,
        [
            "evaluate",
            "--identity",
            _policy(tmp_path),
            "--principal",
            "arn:aws:iam::111122223333:user/a",
            "--action",
            "s3:GetObjekt",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 2
    assert "did you mean s3:GetObject" in result.stderr
    assert "warning" not in result.stdout
