"""``iamsim diff OLD NEW --cases SUITE`` keeps the suite's other policies, so its baseline is ``iamsim test``'s.

§F (decision order: a permissions boundary limits identity policies; a
resource policy in the same account can allow on its own), AWS policy
evaluation logic:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluationlogic.html
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from iamsim.cli import cli

ROLE = "arn:aws:iam::111122223333:role/Logs"


def _policy(effect: str, action: str, resource: str, **extra: object) -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": resource, **extra}]}
    )


def _write(tmp_path: Path) -> None:
    (tmp_path / "read.json").write_text(_policy("Allow", "s3:GetObject", "arn:aws:s3:::logs/*"))
    (tmp_path / "read.new.json").write_text(_policy("Allow", "s3:*", "arn:aws:s3:::logs/*"))
    (tmp_path / "boundary.json").write_text(_policy("Allow", ["s3:GetObject", "s3:DeleteObject"], "*"))
    (tmp_path / "bucket.json").write_text(
        _policy("Allow", "s3:DeleteObject", "arn:aws:s3:::logs/*", Principal={"AWS": ROLE})
    )
    (tmp_path / "suite.yaml").write_text(
        f"""
policies:
  identity: [read.json]
  boundary: boundary.json
  resource: bucket.json
cases:
  - name: reads
    principal: {ROLE}
    action: s3:GetObject
    resource: arn:aws:s3:::logs/a.log
    expect: allowed
  - name: cannot write
    principal: {ROLE}
    action: s3:PutObject
    resource: arn:aws:s3:::logs/a.log
    expect: denied
  - name: deletes through the bucket policy
    principal: {ROLE}
    action: s3:DeleteObject
    resource: arn:aws:s3:::logs/a.log
    expect: allowed
"""
    )


def test_the_suites_boundary_still_limits_the_new_identity_policy(runner: CliRunner, tmp_path: Path) -> None:
    """§F: s3:* in NEW is cut to the boundary, so PutObject stays denied: nothing is newly allowed."""
    _write(tmp_path)
    result = runner.invoke(
        cli,
        [
            "diff",
            str(tmp_path / "read.json"),
            str(tmp_path / "read.new.json"),
            "--cases",
            str(tmp_path / "suite.yaml"),
            "--format",
            "json",
            "--all",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["summary"]["newly allowed"] == 0
    decisions = {change["case"]: (change["old"], change["new"]) for change in out["changes"]}
    # The bucket policy's grant is in both baselines, as iamsim test reports it.
    assert decisions["deletes through the bucket policy"] == ("allowed", "allowed")
    assert decisions["cannot write"][1] != "allowed"


def test_the_old_side_decides_as_iamsim_test_does(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path)
    tested = runner.invoke(cli, ["test", str(tmp_path / "suite.yaml")])
    assert tested.exit_code == 0, tested.output
    result = runner.invoke(
        cli,
        [
            "diff",
            str(tmp_path / "read.json"),
            str(tmp_path / "read.json"),
            "--cases",
            str(tmp_path / "suite.yaml"),
            "--format",
            "json",
            "--all",
        ],
    )
    old = {change["case"]: change["old"] for change in json.loads(result.stdout)["changes"]}
    assert old == {"reads": "allowed", "cannot write": "implicitDeny", "deletes through the bucket policy": "allowed"}
