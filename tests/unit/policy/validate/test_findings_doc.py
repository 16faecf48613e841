"""Every finding code is documented in docs/findings.md with its severity."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamsim._policy.lint_rules import RULES

DOC = Path(__file__).resolve().parents[4] / "docs" / "findings.md"


@pytest.mark.parametrize("code", list(RULES))
def test_every_code_has_a_row_with_its_severity(code: str) -> None:
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith(f"| `{code}` |")]
    assert len(rows) == 1, code
    assert f"| {RULES[code].severity.value} |" in rows[0]
