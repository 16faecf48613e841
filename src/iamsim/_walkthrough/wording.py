"""Small wording helpers the narration shares: durations and lists in plain English."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

__all__ = ["duration_words", "listing"]


def duration_words(delta: timedelta) -> str:
    """``6 hours``, ``1 hour 30 minutes``, ``45 seconds``: the largest two units that are not zero."""
    seconds = max(0, int(delta.total_seconds()))
    units = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
    words: list[str] = []
    for name, size in units:
        count, seconds = divmod(seconds, size)
        if count:
            words.append(f"{count} {name}{'' if count == 1 else 's'}")
    return " ".join(words[:2]) or "0 seconds"


def listing(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
