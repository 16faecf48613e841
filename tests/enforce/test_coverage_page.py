"""The enforcement coverage page is generated from the installed models and the bundled tables."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import botocore
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gen_enforcement_coverage.py"
PAGE = ROOT / "docs" / "reference" / "enforcement-coverage.md"


def test_checked_in_page_is_current() -> None:
    """If this fails, run: .venv/bin/python scripts/gen_enforcement_coverage.py."""
    match = re.search(r"from botocore (\S+); do not edit", PAGE.read_text(encoding="utf-8"))
    assert match is not None
    if match.group(1) != botocore.__version__:
        pytest.skip(f"page generated from botocore {match.group(1)}, installed {botocore.__version__}")
    spec = importlib.util.spec_from_file_location("gen_enforcement_coverage", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert PAGE.read_text(encoding="utf-8") == module.render()
