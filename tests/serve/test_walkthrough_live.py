"""``iamsim walkthrough --live``: the seed tutorial with the real AWS CLI beside the narration (§G.10, §F.1, §G.9)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from iamsim._serve import live as live_play
from iamsim.cli import cli

AWS = live_play.find_aws_cli()


@pytest.mark.skipif(AWS is None, reason="the AWS CLI (awscli, in the dev extra) is not installed")
def test_live_walkthrough_shows_the_aws_clis_real_output_g10() -> None:
    """§G.10, §F.1, §G.9: the CLI lists and reads, is denied the upload, meets ExpiredToken, then recovers."""
    result = CliRunner().invoke(cli, ["walkthrough", "--live"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.count("Live, with the AWS CLI against iamsim serve at http://127.0.0.1:") == 14  # setup + 13 steps
    assert "$ aws iam create-role --role-name S3AccessRole" in out
    assert '"Arn": "arn:aws:iam::123456789012:role/S3AccessRole"' in out
    assert "assumed-role/S3AccessRole/i-" in out
    assert "$ aws s3 ls s3://company1-logs\n      PRE app/" in out
    assert "2026-01-01T00:00:00Z app started" in out
    assert "An error occurred (AccessDenied) when calling the PutObject operation" in out
    assert "An error occurred (ExpiredToken) when calling the GetCallerIdentity operation" in out
    assert "characters)" in out  # the session token is shown by its length


def test_live_without_the_aws_cli_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AWS CLI: a clear message and exit status 1, not a traceback."""
    monkeypatch.setattr(live_play, "find_aws_cli", lambda: None)
    result = CliRunner().invoke(cli, ["walkthrough", "--live"])
    assert result.exit_code == 1
    assert "no `aws` command was found" in result.output
    assert "pip install awscli" in result.output


@pytest.mark.parametrize("extra", [["--variation", "boundary-deny"], ["--format", "json"]])
def test_live_plays_the_default_scenario_as_text_only(extra: list[str]) -> None:
    """--live with a variation or JSON output is refused before anything runs."""
    result = CliRunner().invoke(cli, ["walkthrough", "--live", *extra])
    assert result.exit_code != 0
    assert "--live" in result.output
