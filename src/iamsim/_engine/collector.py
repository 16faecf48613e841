"""Pausing Python's cyclic garbage collector while a compiled policy set is built.

Compiling allocates several container objects per statement (about ninety
thousand at 10,000 statements) and creates no reference cycles. The cyclic
collector runs by allocation count, so during a large build it would trace
the whole heap again and again and find nothing: at 10,000 statements that
cost more than the build itself (docs/performance.md). Reference counting
is not affected; the objects built are traced once, later, as usual.

The collector is the process's, so the pause is shared: builds running at
once in several threads keep it paused until the last one ends, and only a
collector that was enabled when the first began is enabled again. A thread
that disables the collector while a build runs elsewhere finds it enabled
again when that build ends; an application that manages the collector
itself should not compile policy sets concurrently with doing so.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


class _Pause:
    """How many builds hold the pause, and whether the first found the collector enabled."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.enable_after = False


# The collector is process-wide state, so its pause count is too: one per process, like gc itself.
_PAUSE = _Pause()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic garbage collector for the ``with`` block; enable it after if it was enabled."""
    with _PAUSE.lock:
        if _PAUSE.depth == 0:
            _PAUSE.enable_after = gc.isenabled()
            gc.disable()
        _PAUSE.depth += 1
    try:
        yield
    finally:
        with _PAUSE.lock:
            _PAUSE.depth -= 1
            if _PAUSE.depth == 0 and _PAUSE.enable_after:
                gc.enable()
