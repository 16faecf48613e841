"""Find the fenced code blocks of a Markdown page, and what the docs tests should do with them.

The conventions a page can use (documented in ``docs/index.md``, "About these pages"):

* A fenced ``python`` block runs; the page's blocks run in order in one fresh namespace.
* ``<!-- no-run -->`` on the line before a fence skips that block. (``python no-run`` as the
  info string is honoured too, but Python-Markdown cannot render it, so only README.md may
  use it.)
* An ``output`` block is what the python block before it prints; the test compares them.
* ``<!-- docs-cwd: PATH -->`` anywhere on a page sets the working directory (relative to the
  repository root) for that page's blocks.
* ``<!-- docs-run-cli -->`` anywhere on a page also runs its ``console`` blocks whose
  commands start with ``$ iamsim``.
* ``<!-- docs-run-shell -->`` anywhere on a page runs every ``$`` command of its console
  blocks, in page order, in a scratch copy of the page's ``docs-cwd`` directory, and
  compares all of each command's output with what the page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Block", "CliCommand", "Page", "cli_commands", "read_page", "shell_commands"]

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
_CWD = re.compile(r"<!--\s*docs-cwd:\s*(?P<path>\S+)\s*-->")
_RUN_CLI = re.compile(r"<!--\s*docs-run-cli\s*-->")
_RUN_SHELL = re.compile(r"<!--\s*docs-run-shell\s*-->")
_NO_RUN = re.compile(r"^\s*<!--\s*no-run\s*-->\s*$")
_SHELL_LANGUAGES = frozenset({"console", "shell", "bash", "sh", "shell-session"})


@dataclass(frozen=True, slots=True)
class Block:
    """One fenced block: where it starts (1-based line of its first content line), its info string and text."""

    line: int
    info: str
    text: str
    marked_no_run: bool

    @property
    def language(self) -> str:
        """The first word of the info string, lowercased (``""`` for none)."""
        return self.info.split()[0].lower() if self.info.split() else ""

    @property
    def flags(self) -> tuple[str, ...]:
        """The words of the info string after the language."""
        return tuple(self.info.split()[1:])

    @property
    def runs_as_python(self) -> bool:
        """Whether the docs test executes this block."""
        return self.language == "python" and not self.marked_no_run and "no-run" not in self.flags


@dataclass(frozen=True, slots=True)
class Page:
    """A Markdown page's blocks and its docs-test directives."""

    path: Path
    blocks: tuple[Block, ...]
    cwd: str | None
    run_cli: bool
    run_shell: bool = False

    def python_steps(self) -> list[tuple[Block, Block | None]]:
        """Each runnable python block with the ``output`` block that shows what it prints, if any.

        The output block must be the next fenced block after the python block (prose may sit
        between them).
        """
        steps: list[tuple[Block, Block | None]] = []
        for index, block in enumerate(self.blocks):
            if not block.runs_as_python:
                continue
            following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
            steps.append((block, following if following is not None and following.language == "output" else None))
        return steps


@dataclass(frozen=True, slots=True)
class CliCommand:
    """One ``$ iamsim ...`` command of a console block and the output the page shows for it."""

    line: int
    argv: str
    shown_output: tuple[str, ...]


def read_page(path: Path) -> Page:
    """Parse ``path`` into its fenced blocks and directives."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence = opening["fence"]
        indent = len(opening["indent"])
        previous = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        body: list[str] = []
        end = index + 1
        while end < len(lines):
            stripped = lines[end].strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                break
            body.append(_dedent(lines[end], indent))
            end += 1
        blocks.append(Block(index + 2, opening["info"], "\n".join(body), _NO_RUN.match(previous) is not None))
        index = end + 1
    cwd = _CWD.search(text)
    return Page(
        path,
        tuple(blocks),
        cwd["path"] if cwd else None,
        _RUN_CLI.search(text) is not None,
        _RUN_SHELL.search(text) is not None,
    )


def _dedent(line: str, indent: int) -> str:
    """Remove the fence's indentation (a block inside a list item) from one content line."""
    prefix = line[:indent]
    return line[indent:] if prefix.strip() == "" else line.lstrip()


def cli_commands(block: Block) -> list[CliCommand]:
    """The ``$ iamsim`` commands of a console block (continuation lines joined), with their shown output."""
    return [command for command in shell_commands(block) if command.argv.split()[:1] == ["iamsim"]]


def shell_commands(block: Block) -> list[CliCommand]:
    """Every ``$`` command of a console block (continuation lines joined), with its shown output."""
    if block.language not in _SHELL_LANGUAGES or block.marked_no_run:
        return []
    commands: list[CliCommand] = []
    lines = block.text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("$ "):
            index += 1
            continue
        start = index
        command = line[2:]
        while command.endswith("\\") and index + 1 < len(lines):
            index += 1
            command = command[:-1].rstrip() + " " + lines[index].strip()
        index += 1
        output: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        commands.append(CliCommand(block.line + start, command, tuple(output)))
    return commands
