"""Checks of the :class:`~iamsim.Simulator` constructor's arguments.

Wrong types or values are a mistake of the calling code, so they raise
:class:`~iamsim.errors.UsageError` at once, not a raw Python error later (a
string seed that only fails when a snapshot is written, a clock that fails on
the first request).
"""

from __future__ import annotations

from typing import Any

from iamsim._arn import check_partition
from iamsim._clock import Clock
from iamsim._shown import shown
from iamsim.errors import UsageError

__all__ = ["MAX_EVENT_LIMIT", "MAX_SEED", "check_simulator_options"]

#: Seeds are kept in snapshots and in token keys; 64 bits is what a seed needs.
MAX_SEED = 2**64 - 1
#: The most events the log may keep (a bound the log's deque can hold; memory grows only with use).
MAX_EVENT_LIMIT = 10**9


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_simulator_options(*, seed: Any, clock: Any, account_id: Any, partition: Any, event_limit: Any) -> None:
    """Raise :class:`~iamsim.errors.UsageError` naming the first argument of the wrong type or out of range."""
    if seed is not None and (not _is_int(seed) or not -MAX_SEED <= seed <= MAX_SEED):
        raise UsageError(f"seed must be a whole number within 64 bits, not {shown(seed)}")
    if clock is not None and not isinstance(clock, Clock):
        raise UsageError(f"clock must have a now() method (an iamsim Clock), not {type(clock).__name__}")
    if not isinstance(account_id, str) or len(account_id) != 12 or not account_id.isascii() or not account_id.isdigit():
        raise UsageError(f"account_id must be a 12-digit account ID as a string, not {shown(account_id)}")
    check_partition(partition)
    if not _is_int(event_limit) or not 0 <= event_limit <= MAX_EVENT_LIMIT:
        raise UsageError(
            f"event_limit must be a whole number of events from 0 to {MAX_EVENT_LIMIT}, not {shown(event_limit)}"
        )
