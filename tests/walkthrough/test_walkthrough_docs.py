"""docs/walkthrough.md shows the real output: the full text of one run and its diagram, checked whole."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from iamsim._walkthrough import WalkthroughRun
from iamsim.cli import cli

PAGE = Path(__file__).resolve().parents[2] / "docs" / "walkthrough.md"
_REGENERATE = "run `iamsim walkthrough` (and --diagram) and paste the output into docs/walkthrough.md"
# Session tokens are sealed with a random nonce: the only part of a run that differs between runs.
_TOKEN_START = re.compile(r"[A-Za-z0-9+/=]+(?=\.\.\. \(\d+ characters\))")


def _without_token_starts(text: str) -> str:
    return _TOKEN_START.sub("<token>", text)


def _fenced(info: str, fence: str) -> str:
    text = PAGE.read_text(encoding="utf-8")
    found = re.search(rf"^{fence}{info}\n(.*?)^{fence}$", text, flags=re.S | re.M)
    assert found is not None, f"no {info} block fenced with {fence} in {PAGE}"
    return found.group(1)


def test_page_shows_the_full_plain_output_of_one_run() -> None:
    """The console block is exactly what ``iamsim walkthrough`` prints when piped."""
    shown = _fenced("console", "````")
    command, _, output = shown.partition("\n")
    assert command == "$ iamsim walkthrough"
    printed = CliRunner().invoke(cli, ["walkthrough"], env={"NO_COLOR": "1"}).output
    assert _TOKEN_START.search(printed) is not None
    assert _without_token_starts(output) == _without_token_starts(printed), _REGENERATE


def test_page_shows_the_diagram_of_that_run() -> None:
    """The mermaid block is exactly the diagram ``--diagram`` writes for the same run."""
    run = WalkthroughRun()
    run.finish()
    assert _fenced("mermaid", "```") == run.mermaid(), _REGENERATE
