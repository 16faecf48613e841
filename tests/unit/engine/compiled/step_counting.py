"""A text that counts the character work the matchers ask of it (issue 11: bound steps, not time).

Each string primitive is charged what it can cost at most: ``find`` the span
it scanned times the needle's length, ``startswith``/``endswith`` the prefix's
length, an index or an iteration step one. The matchers never slice the text
they match (slices would escape the count), so the total is an honest upper
bound on their character comparisons.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import SupportsIndex


class CountingText(str):
    """A ``str`` whose primitives add their cost to :attr:`steps`."""

    steps: int

    def __new__(cls, value: str) -> CountingText:
        """Wrap ``value`` with a zero count."""
        text = super().__new__(cls, value)
        text.steps = 0
        return text

    def _span(self, start: SupportsIndex | None, end: SupportsIndex | None) -> tuple[int, int]:
        first, last, _ = slice(start, end).indices(len(self))
        return first, last

    def find(self, sub: str, start: SupportsIndex | None = None, end: SupportsIndex | None = None) -> int:  # type: ignore[override]
        """``str.find``, charged the scanned span times the needle length."""
        found = super().find(sub, start, end)
        first, last = self._span(start, end)
        scanned = (found + len(sub) if found >= 0 else last) - first
        self.steps += max(1, scanned) * max(1, len(sub))
        return found

    def startswith(  # type: ignore[override]
        self, prefix: str | tuple[str, ...], start: SupportsIndex | None = None, end: SupportsIndex | None = None
    ) -> bool:
        """``str.startswith``, charged the prefixes' lengths."""
        self.steps += max(1, sum(map(len, prefix)) if isinstance(prefix, tuple) else len(prefix))
        return super().startswith(prefix, start, end)

    def endswith(  # type: ignore[override]
        self, suffix: str | tuple[str, ...], start: SupportsIndex | None = None, end: SupportsIndex | None = None
    ) -> bool:
        """``str.endswith``, charged the suffixes' lengths."""
        self.steps += max(1, sum(map(len, suffix)) if isinstance(suffix, tuple) else len(suffix))
        return super().endswith(suffix, start, end)

    def __getitem__(self, key: SupportsIndex | slice) -> str:  # type: ignore[override]
        """Indexing is one step; a slice costs its length."""
        part = super().__getitem__(key)
        self.steps += max(1, len(part))
        return part

    def __iter__(self) -> Iterator[str]:
        """Each character handed out is one step."""
        for char in super().__iter__():
            self.steps += 1
            yield char

    def __contains__(self, sub: object) -> bool:
        """A substring test scans the whole text."""
        self.steps += len(self) * max(1, len(sub) if isinstance(sub, str) else 1)
        return super().__contains__(sub)  # type: ignore[operator]

    def __hash__(self) -> int:
        """Hashing reads the text once."""
        self.steps += len(self)
        return super().__hash__()

    def __eq__(self, other: object) -> bool:
        """An equality test reads the text once."""
        self.steps += len(self)
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        """An inequality test reads the text once."""
        self.steps += len(self)
        return super().__ne__(other)
