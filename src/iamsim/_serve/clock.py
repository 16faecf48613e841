"""The server's clock: the wall clock plus an offset that only the admin API moves.

A served world must run on real time (the AWS CLI and SDKs sign with the wall clock and
decide when to refresh credentials by it), yet a learner wants to jump ahead seven hours
and watch credentials expire. So the simulator reads ``wall clock + offset``; ``advance``
and ``set`` move the offset forward, never back (a clock that moves back would revive
expired sessions). :meth:`OffsetClock.to_client` turns a time of the simulated world into
the client's wall-clock frame: credentials handed to an SDK carry their expiry in that
frame. An SDK refreshes when *its own* clock reaches the expiry it was told, so after
``iamsim clock advance 7h`` the server refuses credentials an SDK still holds
(``ExpiredToken``) until the SDK's clock catches up or it asks again; tests move the SDK's
clock with time-machine or freezegun to see it refresh by itself (docs/serve.md).
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

from iamsim._clock import Clock, SystemClock
from iamsim._shown import shown
from iamsim.errors import UsageError

__all__ = ["CLOCK_KEY", "OffsetClock", "with_clock"]

#: The key a served world's state file keeps the simulated time under (beside the snapshot's own keys).
CLOCK_KEY = "serve_clock"


class OffsetClock:
    """``wall clock + offset``; the offset only grows. Thread-safe."""

    __slots__ = ("_lock", "_offset", "_wall")

    def __init__(self, wall: Clock | None = None, *, start: datetime | None = None) -> None:
        self._wall = wall or SystemClock()
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        if start is not None:
            self._offset = _aware(start) - self._wall.now()

    @property
    def offset(self) -> timedelta:
        """How far the simulated world runs ahead of (or, from ``start``, behind) the wall clock."""
        return self._offset

    def now(self) -> datetime:
        """The simulated world's current time."""
        return self._wall.now() + self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move the world ``delta`` ahead (``UsageError`` for a negative delta); return the new time."""
        if delta < timedelta(0):
            raise UsageError("a clock cannot move backwards")
        with self._lock:
            self._offset += delta
            return self.now()

    def set(self, when: datetime) -> datetime:
        """Jump to ``when`` (aware, or naive meaning UTC); earlier than now is a ``UsageError``."""
        with self._lock:
            target = _aware(when)
            current = self.now()
            if target < current:
                raise UsageError(f"a clock cannot move backwards (it is {current.isoformat()} already)")
            self._offset += target - current
            return target

    def resume(self, snapshot_text: str) -> None:
        """Catch up with the simulated time a state file was saved at (:func:`with_clock`), never moving back.

        Without it a restarted server would run on the wall clock again, and sessions that had
        expired in the simulated world before the stop would open once more.
        """
        saved = json.loads(snapshot_text).get(CLOCK_KEY)
        if saved is None:
            return
        try:
            saved_at = _aware(datetime.fromisoformat(str(saved)))
        except ValueError:
            raise UsageError(f"the state file's {CLOCK_KEY} is not an ISO 8601 time: {shown(saved)}") from None
        with self._lock:
            current = self.now()
            if saved_at > current:
                self._offset += saved_at - current

    def to_client(self, when: datetime) -> datetime:
        """``when`` of the simulated world, in the frame of a client reading the wall clock."""
        return when - self._offset


def _aware(when: datetime) -> datetime:
    return (when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when).astimezone(timezone.utc)


def with_clock(snapshot_text: str, clock: OffsetClock) -> str:
    """``snapshot_text`` with the clock's current simulated time added under :data:`CLOCK_KEY`.

    Read after the snapshot was taken, so the time kept is never earlier than the world's.
    """
    state = json.loads(snapshot_text)
    state[CLOCK_KEY] = clock.now().isoformat()
    return json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"
