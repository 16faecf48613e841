"""The behaviour spec's section headings, read from the in-repository pages (``docs/spec/``).

Tests and corpus cases cite rules as ``§C.3``; these helpers list the headings that
exist so a citation of a missing section fails loudly.
"""

from __future__ import annotations

import re
from pathlib import Path

SPEC_DIR = Path(__file__).resolve().parents[2] / "docs" / "spec"
# A page's title is "# C. Condition operators"; a subsection is "## C.2 Operator families".
_HEADING = re.compile(r"^#{1,3} ([A-K])(?:\.([0-9]+))?[. ]")
# How a citation looks in a corpus case, a test name or a docstring.
CITATION = re.compile(r"§([A-K])(?:\.([0-9]+))?")


def spec_pages() -> list[Path]:
    """The spec's Markdown pages; a missing spec is an error, never an empty list."""
    pages = sorted(SPEC_DIR.glob("*.md"))
    if not pages:
        raise FileNotFoundError(f"behaviour spec not found: no pages in {SPEC_DIR}")
    return pages


def sections_in(text: str) -> set[str]:
    """The ``§X`` / ``§X.N`` names of the section headings in one page's text."""
    sections: set[str] = set()
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            letter, number = match.groups()
            sections.add(f"§{letter}.{number}" if number else f"§{letter}")
    return sections


def spec_sections() -> set[str]:
    """Every section heading of the whole spec."""
    found: set[str] = set()
    for page in spec_pages():
        found |= sections_in(page.read_text(encoding="utf-8"))
    return found
