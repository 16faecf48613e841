"""What the families of ``sim.iam`` are written over: the simulator's parts, and tags as pairs.

:class:`IamCalls` holds the simulator's :class:`~.core.Core`, whose two ways to reach
a store every IAM operation takes: :meth:`~.core.Core.iam`, a change (locked, logged as
the operation) and :meth:`~.core.Core.read` (locked, not logged).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from iamsim._simulator.core import Core
from iamsim._store.validation import Tags, TagsInput
from iamsim.errors import UsageError

__all__ = ["IamCalls", "tag_pairs"]


def tag_pairs(tags: TagsInput) -> Tags | None:
    """Tags as ``(key, value)`` pairs; the store checks each pair (§H.2)."""
    if tags is None:
        return None
    if isinstance(tags, Mapping):
        return tuple(tags.items())
    if isinstance(tags, (str, bytes)) or not isinstance(tags, Iterable):
        raise UsageError("Tags must be a mapping of keys to values or a list of (key, value) pairs.")
    return tuple(tags)


class IamCalls:
    """The simulator's parts, over which an IAM family's methods call into the stores (``self._core``)."""

    def __init__(self, core: Core) -> None:
        self._core = core
