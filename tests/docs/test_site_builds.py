"""The documentation site builds with ``mkdocs build --strict``.

Pages other engineers are still writing are listed in :data:`PLANNED`: the nav
already points at them, so the build gets a placeholder for each one that does
not exist yet. Any other missing page, broken link or warning fails the build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"

#: Pages in the nav that are planned but may not exist yet (relative to docs/).
PLANNED = frozenset({"cli.md", "dry-run.md", "findings.md", "performance.md", "sts.md", "testing.md"})


def _build(site_root: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` in ``site_root``. Not ``--quiet``: it hides warnings from strict mode's count."""
    return subprocess.run(
        [str(_mkdocs()), "build", "--strict", "--site-dir", str(site_root / "site")],
        cwd=site_root,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _copy_with_placeholders(target: Path) -> list[str]:
    """Copy the docs and config to ``target``; add a placeholder for each planned page not written yet."""
    shutil.copytree(DOCS, target / "docs")
    shutil.copy(CONFIG, target / "mkdocs.yml")
    missing = sorted(page for page in PLANNED if not (DOCS / page).is_file())
    for page in missing:
        (target / "docs" / page).write_text(f"# {page}\n\nThis page is being written.\n", encoding="utf-8")
    return missing


def _mkdocs() -> Path:
    return Path(sys.executable).parent / "mkdocs"


def _nav_pages(entries: object) -> list[str]:
    """Every page path in a nav tree (a list of pages, ``{title: page}`` or ``{title: [..]}``)."""
    if isinstance(entries, str):
        return [] if "://" in entries else [entries]
    if isinstance(entries, list):
        return [page for entry in entries for page in _nav_pages(entry)]
    if isinstance(entries, dict):
        return [page for value in entries.values() for page in _nav_pages(value)]
    return []


def _nav() -> list[str]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return _nav_pages(config["nav"])


def test_planned_pages_are_all_in_the_nav() -> None:
    assert sorted(PLANNED - set(_nav())) == []


def test_every_docs_page_is_in_the_nav() -> None:
    pages = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}
    assert sorted(pages - set(_nav())) == []


def test_site_builds_strictly(tmp_path: Path) -> None:
    assert _mkdocs().is_file(), f"mkdocs is not installed next to {sys.executable} (it is a dev dependency)"
    missing = _copy_with_placeholders(tmp_path)
    result = _build(tmp_path)
    assert result.returncode == 0, f"planned pages given placeholders: {missing}\n{result.stderr}{result.stdout}"
    assert (tmp_path / "site" / "tutorial" / "index.html").is_file()
    assert (tmp_path / "site" / "reference" / "python-api" / "index.html").is_file()


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    """The check above can fail: a link to a page that is neither written nor planned breaks the build."""
    _copy_with_placeholders(tmp_path)
    page = tmp_path / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    result = _build(tmp_path)
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr
