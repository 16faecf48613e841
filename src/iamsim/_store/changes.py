"""One counter of changes shared by every store of a world, so caches ask a single number whether anything moved."""

from __future__ import annotations

__all__ = ["ChangeCounter"]


class ChangeCounter:
    """A number that grows by one on every change to any store or organization sharing it; it never goes back.

    Per-store generations can return to an earlier value when a snapshot is
    restored; this counter does not, so a cache keyed by it cannot mistake a
    restored world for the one it saw before.
    """

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0

    def bump(self) -> None:
        """Record one change."""
        self.value += 1
