"""Issue 12's module-size rule: no module of the library over 600 lines (small modules, one responsibility)."""

from __future__ import annotations

from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "iamsim"
LIMIT = 600


def test_no_module_is_over_600_lines() -> None:
    """A module that grows past the limit is split by responsibility, not trimmed of docstrings."""
    sizes = {
        path.relative_to(SOURCE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in SOURCE.rglob("*.py")
    }
    assert sizes, f"no modules found under {SOURCE}"
    over = {name: lines for name, lines in sizes.items() if lines > LIMIT}
    assert not over, f"modules over {LIMIT} lines: {over}"
