"""Pausing Python's cyclic garbage collector while a compiled policy set is built.

Compiling allocates several container objects per statement (about ninety
thousand at 10,000 statements) and creates no reference cycles. The cyclic
collector runs by allocation count, so during a large build it would trace
the whole heap again and again and find nothing: at 10,000 statements that
cost more than the build itself (docs/performance.md). Reference counting
is not affected; the objects built are traced once, later, as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic garbage collector for the ``with`` block, if it is enabled, and enable it after."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
