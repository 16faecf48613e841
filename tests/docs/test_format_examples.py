"""Every suite, ``policies:`` section and world file shown in the docs is one the loaders accept.

``docs/dry-run.md`` once documented a ``policies: caller:`` key the loader
refused (issue 15); this test reads each YAML block of the docs and loads it
the way ``iamsim test`` would. A block's relative file names resolve in the
directory an ``<!-- example-dir: PATH -->`` comment before it names (default:
the page's ``docs-cwd``, else the repository root). A world file whose
documents are ``{...}`` placeholders is checked for its shape only.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamsim._simulator.world_file import check_world
from iamsim._sources.selectors import load_policies_section
from iamsim.policytests import load_suite

ROOT = Path(__file__).resolve().parents[2]
_DIRECTIVE = re.compile(r"<!--\s*(docs-cwd|example-dir):\s*(\S+)\s*-->")
_FENCE = re.compile(r"^\s*```")


def _blocks() -> Iterator[tuple[str, Path, str]]:
    """``(id, directory, text)`` of every YAML block of the docs that is a suite, a section or a world."""
    for page in sorted((ROOT / "docs").rglob("*.md")):
        cwd = ROOT
        pending: Path | None = None
        lines = page.read_text(encoding="utf-8").splitlines()
        n = 0
        while n < len(lines):
            line = lines[n]
            directive = _DIRECTIVE.search(line)
            if directive:
                kind, where = directive.groups()
                if kind == "docs-cwd":
                    cwd = ROOT / where
                else:
                    pending = ROOT / where
            elif _FENCE.match(line):
                info = line.strip().strip("`").strip().lower()
                start = n + 1
                n += 1
                while n < len(lines) and not _FENCE.match(lines[n]):
                    n += 1
                if info in ("yaml", "yml"):
                    text = "\n".join(lines[start:n]) + "\n"
                    data = yaml.safe_load(text)
                    if isinstance(data, dict) and {"cases", "policies", "accounts"} & set(data):
                        yield f"{page.relative_to(ROOT)}:{start + 1}", pending or cwd, text
                pending = None
            n += 1


BLOCKS = list(_blocks())


def _has_placeholders(value: Any) -> bool:
    if isinstance(value, dict):
        return "..." in value or any(_has_placeholders(v) for v in value.values())
    if isinstance(value, list):
        return "..." in value or any(_has_placeholders(v) for v in value)
    return False


def test_the_docs_show_suites_sections_and_world_files() -> None:
    """The scan finds the examples of docs/dry-run.md (so the test below checks something)."""
    shown = [set(yaml.safe_load(text)) for _, _, text in BLOCKS]
    assert any("cases" in keys for keys in shown)
    assert any("accounts" in keys for keys in shown)
    assert any(keys == {"policies"} for keys in shown)


@pytest.mark.parametrize(("where", "directory", "text"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_docs_format_examples_load(where: str, directory: Path, text: str) -> None:
    """Each example loads as the loader for its kind reads it (suite, policies: section, world file)."""
    data = yaml.safe_load(text)
    if "cases" in data:
        path = directory / f".docs-example-{uuid.uuid4().hex}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            suite = load_suite(path)
        finally:
            path.unlink()
        assert suite.cases, where
    elif "accounts" in data:
        world = check_world(data, where)
        assert world.accounts, where
        if not _has_placeholders(data):
            from iamsim import Simulator

            Simulator.from_world(data, base_dir=directory, origin=where)
    else:
        bundle = load_policies_section(data["policies"], directory, f"{where}: policies")
        assert not bundle.is_empty, where
