"""Every spec section the project cites exists in the in-repository spec (``docs/spec/``).

Test names, docstrings, corpus cases, code comments and documentation cite rules as
``§F.1``; a citation of a section the spec does not have points a reader nowhere.
"""

from __future__ import annotations

from pathlib import Path

from corpus.spec import CITATION, sections_in, spec_sections

REPO = Path(__file__).resolve().parents[2]
CITING = ("src", "tests", "benchmarks", "scripts", "examples", "docs")
_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".txt"}


def _citations() -> dict[str, list[str]]:
    """Each cited section, with the files that cite it."""
    cited: dict[str, list[str]] = {}
    for top in CITING:
        for path in sorted((REPO / top).rglob("*")):
            if not path.is_file() or path.suffix not in _SUFFIXES or "__pycache__" in path.parts:
                continue
            for match in CITATION.finditer(path.read_text(encoding="utf-8", errors="replace")):
                letter, number = match.groups()
                section = f"§{letter}.{number}" if number else f"§{letter}"
                cited.setdefault(section, []).append(str(path.relative_to(REPO)))
    return cited


def test_every_cited_section_exists() -> None:
    """No file cites a spec section that has no heading."""
    sections = spec_sections()
    cited = _citations()
    assert len(cited) > 30  # the scan found the project's citations
    missing = {section: sorted(set(files))[:3] for section, files in cited.items() if section not in sections}
    assert missing == {}


def test_section_parser_reads_titles_and_subsections() -> None:
    """Page titles give ``§X``, numbered headings ``§X.N``; other headings give nothing."""
    page = "# C. Condition operators\n\n## C.2 Operator families\n\n## Sources\n\n### How to read\n- §Z.1 in text\n"
    assert sections_in(page) == {"§C", "§C.2"}
