"""The one source of time.

The default clock reads ``datetime.now(timezone.utc)`` at every call, so
freezegun and time-machine both move it. Expiry never uses monotonic time.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol, runtime_checkable

from iamsim.errors import UsageError

__all__ = ["Clock", "ManualClock", "SystemClock", "epoch_second", "from_iso8601", "iso8601"]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ONE_SECOND = timedelta(seconds=1)


@runtime_checkable
class Clock(Protocol):
    """Anything that can tell the current UTC time."""

    def now(self) -> datetime:
        """Return the current time as an aware UTC datetime."""
        ...


class SystemClock:
    """The wall clock, read at each call (patchable by freezegun and time-machine)."""

    __slots__ = ()

    def now(self) -> datetime:
        """Return ``datetime.now(timezone.utc)``."""
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock that stands still until told to move; for tests and teaching."""

    __slots__ = ("_now",)

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2026, 1, 1, tzinfo=timezone.utc)
        if start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        self._now = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        """Return the clock's current time."""
        return self._now

    def advance(self, delta: timedelta | float) -> datetime:
        """Move forward by ``delta`` (a timedelta or seconds) and return the new time."""
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        if delta < timedelta(0):
            raise UsageError("a clock cannot move backwards")
        self._now += delta
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (aware, or naive meaning UTC)."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        self._now = when.astimezone(timezone.utc)


def epoch_second(at: datetime) -> int:
    """The whole second of ``at`` since 1970-01-01T00:00:00Z (naive means UTC, as in :func:`iso8601`).

    Whole-number arithmetic, floored: a time before 1970 and its ISO 8601 text
    name the same second, and no float rounding moves ``.999999`` into the next.
    """
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return (at - _EPOCH) // _ONE_SECOND


def iso8601(at: datetime) -> str:
    """``at`` as IAM writes times: ``2026-01-01T00:00:00Z`` (UTC, whole seconds; naive means UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso8601(text: str) -> datetime:
    """The aware UTC datetime of a time :func:`iso8601` wrote."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
