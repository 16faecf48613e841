"""What every docs-page generator in ``scripts/`` does last: write its page, or with ``--check`` compare.

A generator renders its page from the code and calls :func:`write_or_check` from its
``main``; ``--check`` exits 1 (naming the script to run) when the checked-in page differs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_or_check"]

ROOT = Path(__file__).resolve().parents[1]


def write_or_check(script: str, page: Path, render: Callable[[], str], argv: list[str] | None = None) -> int:
    """Write ``render()`` to ``page``, or with ``--check`` in ``argv`` return 1 if ``page`` is out of date.

    ``script`` is the generator's ``__file__`` (named in the message of a stale page).
    """
    parser = argparse.ArgumentParser(description=f"Write or check {page.relative_to(ROOT)}.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the checked-in page is out of date")
    check = parser.parse_args(argv).check
    text = render()
    name = page.relative_to(ROOT)
    if check:
        current = page.read_text(encoding="utf-8") if page.is_file() else ""
        if current != text:
            print(f"{name} is out of date: run scripts/{Path(script).name}", file=sys.stderr)
            return 1
        return 0
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    print(f"wrote {name}")
    return 0
