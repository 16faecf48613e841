"""The Python API reference page is generated from ``iamsim.__all__`` and kept in sync."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import iamsim

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gen_api_reference.py"
PAGE = ROOT / "docs" / "reference" / "python-api.md"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_api_reference", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checked_in_page_matches_the_package() -> None:
    """If this fails, run: .venv/bin/python scripts/gen_api_reference.py"""
    assert PAGE.read_text(encoding="utf-8") == _generator().render()


def test_every_public_name_has_a_section_with_a_summary() -> None:
    text = _generator().render()
    sections = text.split("\n### ")[1:]
    headings = [section.split("\n", 1)[0] for section in sections]
    assert headings.count("`__version__`") == 1
    assert sorted(h.strip("`") for h in headings) == sorted(iamsim.__all__)
    for section in sections:
        name = section.split("\n", 1)[0]
        if name != "`__version__`":
            assert "(no docstring)" not in section, f"{name} has no docstring"
