"""Every code block in the docs that is meant to run does run, and prints what the page shows.

Each page's ``python`` blocks run in order in one fresh namespace (a page is one story);
an ``output`` block after a python block must equal what that block printed. Pages that
opt in with ``<!-- docs-run-cli -->`` also have their ``$ iamsim`` console commands run
through click's CliRunner; pages with ``<!-- docs-run-shell -->`` have every console command
run and its whole output compared. The conventions are in ``tests/docs/markdown_blocks.py``.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from .markdown_blocks import Block, Page, cli_commands, read_page, shell_commands

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _pages() -> list[Page]:
    paths = sorted(DOCS.rglob("*.md"))
    if (ROOT / "README.md").is_file():
        paths.append(ROOT / "README.md")
    return [read_page(path) for path in paths]


PAGES = _pages()
PYTHON_PAGES = [page for page in PAGES if page.python_steps()]
CLI_PAGES = [page for page in PAGES if page.run_cli and any(cli_commands(b) for b in page.blocks)]
SHELL_PAGES = [page for page in PAGES if page.run_shell]


def _name(page: Page) -> str:
    return page.path.relative_to(ROOT).as_posix()


def _normalise(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def _working_directory(page: Page) -> Path:
    return ROOT / page.cwd if page.cwd else ROOT


def _run_python(block: Block, namespace: dict[str, object], page: Page) -> str:
    # Padding with newlines makes tracebacks point at the page's own line numbers.
    code = compile("\n" * (block.line - 1) + block.text, str(page.path), "exec")
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        exec(code, namespace)
    return captured.getvalue()


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=_name)
def test_python_blocks_run_and_print_what_the_page_shows(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_working_directory(page))
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block, shown in page.python_steps():
        printed = _run_python(block, namespace, page)
        if shown is not None:
            assert _normalise(printed) == _normalise(shown.text), (
                f"{_name(page)}:{shown.line}: the output block differs from what the code at line {block.line} prints"
            )


@pytest.mark.parametrize("page", CLI_PAGES, ids=_name)
def test_cli_commands_print_the_first_line_the_page_shows(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    from iamsim.cli import cli

    monkeypatch.chdir(_working_directory(page))
    monkeypatch.setenv("NO_COLOR", "1")
    for block in page.blocks:
        for command in cli_commands(block):
            result = CliRunner().invoke(cli, shlex.split(command.argv)[1:])
            where = f"{_name(page)}:{command.line}: {command.argv}"
            # 0 = allowed/passed, 2 = denied/failed: both are answers; 1 and 3 mean the example is broken.
            assert result.exit_code in (0, 2), f"{where} exited {result.exit_code}: {result.output}"
            shown = [line for line in command.shown_output if line.strip()]
            if shown:
                printed = [line for line in result.output.splitlines() if line.strip()]
                assert printed[:1] == [shown[0].rstrip()], where


@pytest.mark.parametrize("page", SHELL_PAGES, ids=_name)
def test_shell_pages_run_top_to_bottom_and_print_exactly_what_they_show(
    page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newcomer follows the page command by command: each must print exactly the output shown.

    The page's directory is copied first, so files the page writes (``sed ... > new.json``) exist
    for the commands after them and the repository stays clean. ``iamsim`` runs in-process.
    """
    from iamsim.cli import cli

    assert page.cwd, f"{_name(page)}: a page that runs its shell commands needs a docs-cwd directory to copy"
    scratch = tmp_path / "page"
    shutil.copytree(_working_directory(page), scratch)
    monkeypatch.chdir(scratch)
    monkeypatch.setenv("NO_COLOR", "1")
    ran = 0
    for block in page.blocks:
        for command in shell_commands(block):
            where = f"{_name(page)}:{command.line}: {command.argv}"
            if command.argv.split()[:1] == ["iamsim"]:
                result = CliRunner().invoke(cli, shlex.split(command.argv)[1:])
                assert result.exit_code in (0, 2), f"{where} exited {result.exit_code}: {result.output}"
                printed = result.output
            else:
                finished = subprocess.run(command.argv, shell=True, cwd=scratch, capture_output=True, text=True)
                assert finished.returncode == 0, f"{where} exited {finished.returncode}: {finished.stderr}"
                printed = finished.stdout
            assert _normalise(printed) == _normalise("\n".join(command.shown_output)), where
            ran += 1
    assert ran, f"{_name(page)} asks for its shell commands to run but has none"


def test_the_tutorial_is_among_the_executed_pages() -> None:
    """Guards the extractor: the tutorial's story must be found and run, with its outputs checked."""
    tutorial = next(page for page in PYTHON_PAGES if page.path == DOCS / "tutorial.md")
    steps = tutorial.python_steps()
    assert len(steps) >= 10
    assert sum(shown is not None for _, shown in steps) >= 8


def test_docs_pages_mark_skipped_blocks_with_a_comment() -> None:
    """``python no-run`` breaks Python-Markdown's fenced blocks, so docs pages use ``<!-- no-run -->``."""
    offenders = [
        f"{_name(page)}:{block.line}"
        for page in PAGES
        if page.path.is_relative_to(DOCS)
        for block in page.blocks
        if block.language == "python" and "no-run" in block.flags
    ]
    assert offenders == []


def test_docs_cwd_directives_name_existing_directories() -> None:
    missing = [f"{_name(p)}: {p.cwd}" for p in PAGES if p.cwd and not (ROOT / p.cwd).is_dir()]
    assert missing == []


def test_the_walkthrough_page_shows_the_whole_run_line_for_line() -> None:
    """A seeded world and a manual clock make every run identical, session tokens included (§G.1)."""
    from iamsim.cli import cli

    page = read_page(DOCS / "walkthrough.md")
    block = next(b for b in page.blocks if b.language == "console" and b.text.startswith("$ iamsim walkthrough\n"))
    (command,) = shell_commands(block)
    result = CliRunner().invoke(cli, shlex.split(command.argv)[1:], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert _normalise(result.output) == _normalise("\n".join(command.shown_output))
