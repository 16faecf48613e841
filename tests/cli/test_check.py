"""``iamsim check`` (issue 15): PASS, FAIL with witnesses that become a suite, UNKNOWN naming the construct.

The semantics checked are the evaluators' (spec §B.1 actions, §B.2 resources,
§C conditions, §F.1 combining; docs/evaluation.md); the questions are IAM
Access Analyzer's CheckNoNewAccess, CheckAccessNotGranted and
CheckNoPublicAccess (UG: access-analyzer-custom-policy-checks.html).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from iamsim.cli import cli

READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}],
}
READ_AND_ACL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*Acl"], "Resource": "arn:aws:s3:::logs/*"}],
}


def _write(tmp_path: Path, name: str, document: dict[str, Any]) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_no_new_access_fails_with_witnesses_that_run_as_a_failing_suite(tmp_path: Path, runner: CliRunner) -> None:
    """A wildcard that also covers s3:GetObjectAcl is new access (§B.1); the witness suite reproduces it."""
    old, new = _write(tmp_path, "old.json", READ), _write(tmp_path, "new.json", READ_AND_ACL)
    suite = tmp_path / "found.yaml"
    result = runner.invoke(cli, ["check", "no-new-access", old, new, "--witnesses", str(suite), "--format", "json"])
    assert result.exit_code == 2, result.output
    data = json.loads(result.output)
    assert data["result"] == "FAIL"
    assert data["witnesses"]
    assert all(w["action"].casefold().endswith("acl") for w in data["witnesses"])
    replay = runner.invoke(cli, ["test", str(suite)])
    assert replay.exit_code == 2, replay.output  # the regression test fails until NEW is fixed


def test_no_new_access_passes_when_new_is_narrower(tmp_path: Path, runner: CliRunner) -> None:
    """Removing a wildcard grants nothing new: PASS, exit 0."""
    old, new = _write(tmp_path, "old.json", READ_AND_ACL), _write(tmp_path, "new.json", READ)
    result = runner.invoke(cli, ["check", "no-new-access", old, new])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("PASS")


def test_access_not_granted(tmp_path: Path, runner: CliRunner) -> None:
    """s3:PutObject is never allowed by a read policy (PASS); s3:GetObjectAcl is (FAIL)."""
    policy = _write(tmp_path, "p.json", READ_AND_ACL)
    assert runner.invoke(cli, ["check", "access-not-granted", policy, "--action", "s3:PutObject"]).exit_code == 0
    found = runner.invoke(cli, ["check", "access-not-granted", policy, "--action", "s3:GetObjectAcl"])
    assert found.exit_code == 2, found.output


def test_no_public_access(tmp_path: Path, runner: CliRunner) -> None:
    """Principal "*" lets anyone in unless a condition pins the caller's account (§A.3, §C)."""
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}
    public = _write(tmp_path, "public.json", {"Version": "2012-10-17", "Statement": [statement]})
    pinned = dict(statement, Condition={"StringEquals": {"aws:PrincipalAccount": "111122223333"}})
    private = _write(tmp_path, "private.json", {"Version": "2012-10-17", "Statement": [pinned]})
    args = ["--resource-type", "AWS::S3::Bucket", "--account", "111122223333"]
    assert runner.invoke(cli, ["check", "no-public-access", public, *args]).exit_code == 2
    assert runner.invoke(cli, ["check", "no-public-access", private, *args]).exit_code == 0


def test_unknown_names_the_construct_and_exits_4(tmp_path: Path, runner: CliRunner) -> None:
    """A construct the prover does not encode (a policy variable beside a ``?``, §D) is UNKNOWN, never PASS
    (NEW only narrows OLD here, so no request the policies name refutes it either)."""
    variable = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/${aws:username}/?"}],
    }
    old, new = _write(tmp_path, "old.json", READ), _write(tmp_path, "new.json", variable)
    result = runner.invoke(cli, ["check", "no-new-access", old, new])
    assert result.exit_code == 4, result.output
    assert "policy variable" in result.output


def test_no_public_access_writes_anonymous_witnesses_as_a_failing_suite(tmp_path: Path, runner: CliRunner) -> None:
    """§A.3: Principal "*" includes anonymous callers; §E: their aws:PrincipalAccount is "anonymous".

    The witness suite names the caller ``anonymous`` and fails until the bucket policy is fixed.
    """
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::logs/*",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": "anonymous"}},
    }
    public = _write(tmp_path, "public.json", {"Version": "2012-10-17", "Statement": [statement]})
    suite = tmp_path / "found.yaml"
    args = ["--resource-type", "AWS::S3::Bucket", "--witnesses", str(suite)]
    result = runner.invoke(cli, ["check", "no-public-access", public, *args])
    assert result.exit_code == 2, result.output
    assert "witness: anonymous s3:getobject" in result.output.casefold()
    assert "principal: anonymous" in suite.read_text()
    replay = runner.invoke(cli, ["test", str(suite)])
    assert replay.exit_code == 2, replay.output
    assert "expected denied, got allowed" in replay.output
    # Once fixed (the public statement gone), the written suite passes: it is a regression test.
    fixed = dict(statement, Principal={"AWS": "123456789012"})
    _write(tmp_path, "public.json", {"Version": "2012-10-17", "Statement": [fixed]})
    assert runner.invoke(cli, ["test", str(suite)]).exit_code == 0


def _replay_fails(runner: CliRunner, arguments: list[str], suite: Path) -> None:
    """The check FAILs and the witness suite it writes loads and fails (exit 2) while the change stands."""
    result = runner.invoke(cli, [*arguments, "--witnesses", str(suite), "--budget", "120"])
    assert result.exit_code == 2, result.output
    replay = runner.invoke(cli, ["test", str(suite)])
    assert replay.exit_code == 2, replay.output
    assert "FAIL  witness 1" in replay.output


def test_witnesses_against_a_directory_name_its_files(tmp_path: Path, runner: CliRunner) -> None:
    """OLD/NEW directories (§B.1 decides): the witness suite lists NEW's files; it once had `policies: {}`.

    That suite did not load ("policies names no policy", exit 3), so the finding
    never became a regression test.
    """
    for side, document in (("old", READ), ("new", READ_AND_ACL)):
        (tmp_path / side).mkdir()
        _write(tmp_path / side, "Reader.json", document)
        _write(tmp_path / side, "Reader.boundary.json", READ_AND_ACL)
    (tmp_path / "found").mkdir()
    suite = tmp_path / "found" / "w.yaml"
    _replay_fails(runner, ["check", "no-new-access", str(tmp_path / "old"), str(tmp_path / "new")], suite)
    text = suite.read_text(encoding="utf-8")
    assert "../new/Reader.json" in text
    assert "boundary: ../new/Reader.boundary.json" in text


def test_witnesses_against_a_suite_rebase_its_policy_paths(tmp_path: Path, runner: CliRunner) -> None:
    """A suite as POLICY: its `policies:` section, with paths relative to the witness suite."""
    (tmp_path / "policies").mkdir()
    _write(tmp_path / "policies", "p.json", READ_AND_ACL)
    target = tmp_path / "suite.yaml"
    target.write_text("policies:\n  identity: [policies/p.json]\ncases: []\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    suite = tmp_path / "out" / "w.yaml"
    _replay_fails(runner, ["check", "access-not-granted", str(target), "--action", "s3:GetObjectAcl"], suite)
    assert "../policies/p.json" in suite.read_text(encoding="utf-8")


def test_a_witness_file_in_a_missing_directory_is_refused_before_the_check(tmp_path: Path, runner: CliRunner) -> None:
    """Exit 1 with the reason at once, not after the whole budget has been spent proving."""
    policy = _write(tmp_path, "p.json", READ_AND_ACL)
    target = str(tmp_path / "missing" / "w.yaml")
    result = runner.invoke(
        cli, ["check", "access-not-granted", policy, "--action", "s3:GetObjectAcl", "--witnesses", target]
    )
    assert result.exit_code == 1, result.output
    assert f"cannot write {target}: no directory" in result.output
    assert "FAIL" not in result.output


def test_witness_sections_name_a_template_role_and_a_policy_file(tmp_path: Path) -> None:
    """The section loads what the check read: a template with its role and account, a file in its part."""
    from iamsim.cli.witness_suite import policies_section

    (tmp_path / "out").mkdir()
    suite = str(tmp_path / "out" / "w.yaml")
    template = tmp_path / "template.json"
    template.write_text(json.dumps({"Resources": {}}), encoding="utf-8")
    section = policies_section(str(template), suite, "identity", role="LogsRole", account="111122223333")
    assert section == {"cloudformation": "../template.json", "role": "LogsRole", "account": "111122223333"}
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"planned_values": {}}), encoding="utf-8")
    assert policies_section(str(plan), suite, "identity", role="r", account="1") == {
        "terraform": "../plan.json",
        "role": "r",
    }
    policy = _write(tmp_path, "bucket.json", READ)
    assert policies_section(policy, suite, "resource", role=None, account="1") == {"resource": "../bucket.json"}


def test_witness_sections_rebase_a_suites_template_and_managed_arns(tmp_path: Path) -> None:
    """A suite's template reference and its nested {cloudformation: FILE} entries move; ARNs and names stay."""
    from iamsim.cli.witness_suite import policies_section

    (tmp_path / "out").mkdir()
    target = tmp_path / "suite.yaml"
    target.write_text(
        "policies:\n  cloudformation: t.yaml\n  role: LogsRole\n  account: '111122223333'\n"
        "  identity: [arn:aws:iam::aws:policy/ReadOnlyAccess, {cloudformation: t.yaml, policy: P}]\n"
        "  scp: [[scp/a.json, scp/b.json]]\ncases: []\n",
        encoding="utf-8",
    )
    section = policies_section(str(target), str(tmp_path / "out" / "w.yaml"), "identity", role=None, account="1")
    assert section == {
        "cloudformation": "../t.yaml",
        "role": "LogsRole",
        "account": "111122223333",
        "identity": ["arn:aws:iam::aws:policy/ReadOnlyAccess", {"cloudformation": "../t.yaml", "policy": "P"}],
        "scp": [["../scp/a.json", "../scp/b.json"]],
    }


TEMPLATE = Path(__file__).resolve().parents[2] / "examples" / "policy-tests" / "cloudformation" / "template.yaml"


def test_a_template_role_is_judged_by_its_own_policies_not_its_trust_policy(runner: CliRunner) -> None:
    """§F.1: a template's role always has a trust policy, which says who may assume it (no-public-access's
    question), not what the role may do: identity-side checks set it aside and answer instead of UNKNOWN."""
    role = ["--role", "Company1-Logs-Role"]
    never = runner.invoke(cli, ["check", "access-not-granted", str(TEMPLATE), *role, "--action", "s3:Put*"])
    assert never.exit_code == 0, never.output
    assert "note: the trust policy is left to no-public-access" in never.output
    found = runner.invoke(
        cli, ["check", "access-not-granted", str(TEMPLATE), *role, "--action", "s3:Get*", "--format", "json"]
    )
    assert found.exit_code == 2, found.output
    data = json.loads(found.output)
    assert data["set_aside"] == ["trust policy"]
    same = runner.invoke(cli, ["check", "no-new-access", str(TEMPLATE), str(TEMPLATE), *role])
    assert same.exit_code == 0, same.output


def test_assume_role_witnesses_replay_as_a_failing_suite(tmp_path: Path, runner: CliRunner) -> None:
    """NotAction iam:* also grants sts:AssumeRole (§B.1, §A.4 a trust policy governs sts:AssumeRole*).

    The check judges the identity policy as the caller's; the witness suite once named it only as
    `identity:`, the role's own policies, so the AssumeRole witnesses passed at once.
    """
    old = _write(tmp_path, "old.json", READ)
    not_iam = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}
    new = _write(tmp_path, "new.json", not_iam)
    suite = tmp_path / "found.yaml"
    result = runner.invoke(cli, ["check", "no-new-access", old, new, "--witnesses", str(suite), "--format", "json"])
    assert result.exit_code == 2, result.output
    actions = [w["action"].casefold() for w in json.loads(result.output)["witnesses"]]
    assert any(action.startswith("sts:assumerole") for action in actions), actions
    replay = runner.invoke(cli, ["test", str(suite), "--format", "json"])
    assert replay.exit_code == 2, replay.output
    cases = json.loads(replay.output)["suites"][0]["cases"]
    assert not any(case["passed"] for case in cases), cases


def test_aws_managed_policy_arns_are_accepted_like_files(runner: CliRunner) -> None:
    """A newcomer's check of two AWS managed policies by ARN (test, explain and suites accept ARNs too).

    §F.1: AdministratorAccess allows every request, so nothing ReadOnlyAccess allows is new (PASS);
    the other way round there is new access (FAIL); an unknown ARN is IAM's own words, exit 3.
    """
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    passed = runner.invoke(cli, ["check", "no-new-access", admin, read_only, "--format", "json"])
    assert passed.exit_code == 0, passed.output
    assert json.loads(passed.output)["result"] == "PASS"
    failed = runner.invoke(cli, ["check", "no-new-access", read_only, admin, "--format", "json", "--budget", "120"])
    assert failed.exit_code == 2, failed.output
    assert json.loads(failed.output)["result"] == "FAIL"
    missing = runner.invoke(cli, ["check", "no-new-access", read_only, "arn:aws:iam::aws:policy/NoSuchPolicy"])
    assert missing.exit_code == 3
    assert "arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable" in missing.output
