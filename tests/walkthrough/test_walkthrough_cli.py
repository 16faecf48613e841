"""``iamsim walkthrough`` through click's CliRunner: text, JSON, diagram, variations, --step, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamsim.cli import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner (its output is not a terminal: no colour, no pauses)."""
    return CliRunner()


def test_default_run_narrates_scenario_one_plainly(runner: CliRunner) -> None:
    """§G.1, §G.6, §G.9: the default run plays s3-readonly to the end, without colour codes when piped."""
    result = runner.invoke(cli, ["walkthrough"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("iamsim walkthrough: An EC2 instance reads S3 through the role S3AccessRole\n")
    assert "\x1b[" not in out
    for number in range(1, 14):
        assert f"Step {number} of 13: " in out
    assert "$ aws iam create-role --role-name S3AccessRole" in out
    assert "$ aws sts get-caller-identity" in out
    assert "Result: DENIED (implicit deny) AccessDenied:" in out
    assert "Result: ERROR ExpiredToken: The security token included in the" in out
    assert out.rstrip().endswith("diagram of every call.")


def test_colour_is_forced_only_when_asked(runner: CliRunner) -> None:
    """On a terminal the decisions are coloured (CliRunner's color=True stands in for one)."""
    result = runner.invoke(cli, ["walkthrough"], color=True)
    assert result.exit_code == 0
    assert "\x1b[32m\x1b[1mALLOWED" in result.output
    assert "\x1b[31m\x1b[1mDENIED (implicit deny)" in result.output


def test_scenario_two_and_a_variation(runner: CliRunner) -> None:
    """--scenario company1-logs --variation untrusted-caller adds the stranger's steps to scenario 2."""
    result = runner.invoke(cli, ["walkthrough", "--scenario", "company1-logs", "--variation", "untrusted-caller"])
    assert result.exit_code == 0, result.output
    assert "Company1-Logs-Role" in result.output
    assert "Step 14 of 14: Variation: alice tries to assume Company1-Logs-Role" in result.output


def test_json_format(runner: CliRunner) -> None:
    """--format json prints the steps as one JSON document and nothing else."""
    result = runner.invoke(cli, ["walkthrough", "--format", "json", "--variation", "boundary-deny"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["variation"] == "boundary-deny"
    boundary = next(s for s in data["steps"] if s["key"] == "boundary-read")
    assert boundary["outcome"]["decision"] == "explicitDeny"
    assert boundary["outcome"]["determining"][0]["sid"] == "DenyReadingObjects"


def test_diagram_is_written(runner: CliRunner, tmp_path: Path) -> None:
    """--diagram PATH writes the Mermaid sequence diagram and says where."""
    path = tmp_path / "flow.mmd"
    result = runner.invoke(cli, ["walkthrough", "--diagram", str(path)])
    assert result.exit_code == 0, result.output
    diagram = path.read_text(encoding="utf-8")
    assert diagram.startswith("sequenceDiagram\n")
    assert "sts:AssumeRole role/S3AccessRole" in diagram
    assert f"Mermaid sequence diagram written to {path}" in result.output


def test_diagram_with_json_keeps_stdout_pure_json(runner: CliRunner, tmp_path: Path) -> None:
    """With --format json the diagram note is not printed, so stdout stays parseable."""
    path = tmp_path / "flow.mmd"
    result = runner.invoke(cli, ["walkthrough", "--format", "json", "--diagram", str(path)])
    assert result.exit_code == 0
    json.loads(result.output)
    assert path.exists()


def test_step_is_ignored_when_not_a_terminal(runner: CliRunner) -> None:
    """--step without a terminal runs straight through (no input is given, none is awaited)."""
    result = runner.invoke(cli, ["walkthrough", "--step"], input="")
    assert result.exit_code == 0, result.output
    assert "Press Enter" not in result.output
    assert "Step 13 of 13" in result.output


def test_bad_choice_is_invalid_input(runner: CliRunner) -> None:
    """An unknown scenario is a usage error: exit 3, with the choices named."""
    result = runner.invoke(cli, ["walkthrough", "--scenario", "nope"])
    assert result.exit_code == 3
    assert "s3-readonly" in result.output


def test_listed_in_help(runner: CliRunner) -> None:
    """The command is registered on the iamsim group."""
    result = runner.invoke(cli, ["--help"])
    assert "walkthrough" in result.output


def test_seed_scenarios_example_runs() -> None:
    """examples/seed_scenarios.py, the two scenarios in plain Python, runs and asserts its outcomes."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "seed_scenarios.py")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "both scenarios behave as in AWS" in completed.stdout
    assert "The security token included in the request is expired" in completed.stdout
