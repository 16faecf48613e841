"""``iamsim matrix``: a world file's principals × actions × resources as JSON, CSV, PNG and HTML (issue 16).

Every cell is the one-by-one decision (§F.1, UG:reference_policies_evaluation-logic.html): the tests
check cells against ``iamsim``'s own ``Simulator.explain`` on the same world.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamsim import Principal, Simulator
from iamsim.cli import cli

WORLD = Path(__file__).resolve().parents[2] / "examples" / "policy-tests" / "world" / "world.yaml"
ACTIONS = ("s3:GetObject", "s3:PutObject", "iam:CreateUser")
RESOURCES = ("arn:aws:s3:::company1-logs/app.log", "arn:aws:s3:::other/b")


def _args(*extra: str) -> list[str]:
    args = ["matrix", str(WORLD)]
    for action in ACTIONS:
        args += ["--action", action]
    for resource in RESOURCES:
        args += ["--resource", resource]
    return args + list(extra)


def test_json_matrix_matches_one_by_one_explain_f1() -> None:
    """§F.1: each letter of the JSON matrix is the decision ``Simulator.explain`` gives for that cell."""
    result = CliRunner().invoke(cli, _args())
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    sim = Simulator.from_world_file(WORLD)
    letters = {"allowed": "A", "explicitDeny": "D", "implicitDeny": "."}
    assert data["principals"], "every user and role of the world is a row"
    for principal, by_action in data["decisions"].items():
        for action, row in by_action.items():
            for resource, letter in zip(data["resources"], row, strict=True):
                expected = sim.explain(Principal.from_arn(principal), action, resource).decision
                assert letters[expected.value] == letter, (principal, action, resource)
    assert data["summary"]["cells"] == len(data["principals"]) * len(ACTIONS) * len(RESOURCES)


def test_csv_has_one_line_per_cell() -> None:
    """The CSV form: a header, then principal, action, resource, decision per cell."""
    result = CliRunner().invoke(cli, _args("--format", "csv", "--principal", "arn:aws:iam::111122223333:user/bob"))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["principal", "action", "resource", "decision"]
    assert len(rows) == 1 + len(ACTIONS) * len(RESOURCES)
    assert {row[3] for row in rows[1:]} <= {"allowed", "explicitDeny", "implicitDeny"}


def test_html_page_carries_each_cells_explanation(tmp_path: Path) -> None:
    """The HTML page is self-contained: a cell per decision and its explanation in the page."""
    page = tmp_path / "m.html"
    result = CliRunner().invoke(cli, _args("--html", str(page), "--output", str(tmp_path / "m.json")))
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "<script>" in text
    assert "EXPLANATIONS" in text
    assert "determining statements" in text or "no statement allows this request" in text
    assert text.count('<td class="') == len(json.loads((tmp_path / "m.json").read_text())["principals"]) * 6


def test_png_heatmap_is_drawn(tmp_path: Path) -> None:
    """The PNG heatmap (the ``plot`` extra): a picture file is written."""
    pytest.importorskip(
        "matplotlib", reason="the 'plot' extra (matplotlib) is not installed: pip install 'iamsim[plot]'"
    )
    picture = tmp_path / "m.png"
    result = CliRunner().invoke(cli, _args("--png", str(picture)))
    assert result.exit_code == 0, result.output
    assert picture.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--action", "GetObject"], "is not of the form service:ActionName"),
        (["--resource-policy", "nonsense"], "expected RESOURCE_ARN=FILE"),
        (["--resource", "arn:aws:s3:::company1-logs/app.log"], "is listed twice"),
        (["--principal", "not-an-arn"], "--principal 'not-an-arn'"),
    ],
)
def test_bad_input_is_a_clear_error(extra: list[str], message: str) -> None:
    """Bad input exits 3 with a message naming the field, never a traceback."""
    result = CliRunner().invoke(cli, _args(*extra))
    assert result.exit_code == 3, result.output
    assert message in result.output
    assert "Traceback" not in result.output
