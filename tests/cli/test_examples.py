"""Every suite under ``examples/policy-tests/`` passes when run through the CLI (as CI runs them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamsim.cli import cli
from iamsim.policytests import load_suite

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policy-tests"
SUITES = sorted(p for p in EXAMPLES.rglob("*.yaml") if "cases:" in p.read_text())


def test_examples_directory_has_the_seed_and_source_suites() -> None:
    names = {p.relative_to(EXAMPLES).as_posix() for p in SUITES}
    assert {
        "s3-access-role.yaml",
        "company1-logs-role.yaml",
        "cloudformation/logs-role.yaml",
        "terraform/logs-role.yaml",
    } <= names


@pytest.mark.parametrize("suite", SUITES, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_example_suite_passes(suite: Path) -> None:
    result = CliRunner().invoke(cli, ["test", str(suite), "--format", "json"])
    data = json.loads(result.stdout)
    failures = [c["name"] for s in data["suites"] for c in s["cases"] if not c["passed"]]
    assert failures == []
    assert result.exit_code == 0


def test_whole_examples_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["test", str(EXAMPLES), "--junit-xml", str(tmp_path / "junit.xml")])
    assert result.exit_code == 0, result.stdout
    assert " 0 failed" in result.stdout
    expected = sum(len(load_suite(s).cases) for s in SUITES)
    assert (tmp_path / "junit.xml").read_text().count("<testcase ") == expected


def test_examples_validate_without_errors() -> None:
    files = [str(p) for p in sorted((EXAMPLES / "policies").glob("*.json"))]
    files += [str(EXAMPLES / "cloudformation" / "template.yaml"), str(EXAMPLES / "terraform" / "plan.json")]
    result = CliRunner().invoke(cli, ["validate", *files, "--format", "json"])
    data = json.loads(result.stdout)
    errors = [(p["path"], f["code"]) for p in data["policies"] for f in p["findings"] if f["severity"] == "ERROR"]
    assert errors == []
    assert result.exit_code == 0
