"""The one shape of an IAM operation of the simulator: a locked, logged call into an account store.

:class:`IamCalls` is what the families of ``sim.iam`` (:mod:`.iam_entities`,
:mod:`.iam_account`) are written over: the simulator's :class:`~.core.Core` and
the two ways to reach a store, a change (logged as the operation) or a read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from iamsim._simulator.core import Core
from iamsim._store.account import AccountStore
from iamsim._store.validation import Tags, TagsInput
from iamsim.errors import UsageError

__all__ = ["IamCalls", "tag_pairs"]

T = TypeVar("T")


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
    """The simulator's parts, and the locked, logged call every IAM operation makes into a store."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def _iam(self, operation: str, subject: str, account_id: str | None, fn: Callable[[AccountStore], T]) -> T:
        account = self._core.state.account(account_id)
        return self._core.call("admin", "IAM", operation, subject, lambda: fn(self._core.store(account)))

    def _read(self, account_id: str | None, fn: Callable[[AccountStore], T]) -> T:
        with self._core.lock:
            return fn(self._core.store(self._core.state.account(account_id)))
