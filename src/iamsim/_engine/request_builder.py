"""Building requests for the public API's repeated calls: what does not change between calls is built once.

:meth:`PolicyEvaluator.evaluate <iamsim.PolicyEvaluator.evaluate>` receives
the principal (often as an ARN string), the action, the resource and the
caller's context, and must build a :class:`~iamsim._engine.request.Request`
on every call. Most of that work repeats: parsing the same ARN into a
:class:`~iamsim._engine.request.Principal`, deriving the principal's own
context keys, lowercasing the same context keys. A :class:`RequestBuilder`
(one per evaluator) remembers those, bounded, and builds a request equal
field for field to :meth:`Request.create <iamsim._engine.request.Request.create>`,
with the same errors for bad input.
"""

from __future__ import annotations

from collections.abc import Mapping

from iamsim._engine.request import (
    ContextValue,
    Principal,
    Request,
    build_request,
    check_request_parts,
    make_context,
    normalise_context_value,
)
from iamsim._shown import shown
from iamsim.errors import UsageError

__all__ = ["ContextKeys", "RequestBuilder"]

#: Entries each memo keeps before it starts over (principals, their keys, context key spellings).
_LIMIT = 4_096


class ContextKeys:
    """The caller's context entries made as :func:`make_context` makes them, each key spelling checked once.

    Keys recur from request to request, so a plain ``str`` key is checked and
    lowercased once and remembered (bounded); a plain ``dict`` goes straight
    into the request's context without the intermediate mapping.
    """

    __slots__ = ("_keys", "_names")

    def __init__(self) -> None:
        #: A context key as callers spell it -> lowercased (only keys that passed the check).
        self._keys: dict[str, str] = {}
        #: A plain context's keys in order -> the same keys lowercased.
        self._names: dict[tuple[str, ...], tuple[str, ...]] = {}

    def merge_plain(self, into: dict[str, ContextValue], context: dict[str, str]) -> None:
        """:meth:`merge` for a ``dict`` whose keys and values are all exactly ``str`` (the caller checked).

        Callers tend to send the same keys in the same order, so the lowercased
        names are remembered per tuple of names and the values need no normalising.
        """
        into.update(zip(self.lowered(tuple(context)), context.values(), strict=True))

    def lowered(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """A plain context's keys (exact ``str``, in order) lowercased, each checked as :func:`make_context` does.

        Raises :class:`~iamsim.errors.UsageError` for an empty key, as building the request would.
        """
        lowered = self._names.get(names)
        if lowered is None:
            lowered = tuple([self._keys.get(key) or self._key(key) for key in names])
            if len(self._names) >= _LIMIT:
                self._names = {}
            self._names[names] = lowered
        return lowered

    def merge(self, into: dict[str, ContextValue], context: Mapping[str, object] | None) -> None:
        """Add ``context``'s entries to ``into``, keys lowercased and values normalised (``None``: nothing)."""
        if type(context) is dict:
            keys = self._keys
            for key, value in context.items():
                # Exact type first: an object merely equal to a remembered key must not skip the check.
                low = keys.get(key) if type(key) is str else None
                if low is None:
                    low = self._key(key)
                into[low] = value if type(value) is str else normalise_context_value(key, value)
        elif context is not None:
            into.update(make_context(context))

    def _key(self, key: object) -> str:
        """``key`` lowercased once checked as :func:`make_context` checks it (remembered when a plain ``str``)."""
        if not isinstance(key, str) or not key:
            raise UsageError(f"context key {shown(key)} is not a non-empty string")
        low = key.lower()
        if type(key) is str:
            if len(self._keys) >= _LIMIT:
                self._keys = {}
            self._keys[key] = low
        return low


class RequestBuilder:
    """Builds :class:`Request` objects for one evaluator, remembering what repeats across calls."""

    __slots__ = ("_callers", "_entries", "_principals", "context")

    def __init__(self) -> None:
        #: ARN text -> the principal parsed from it (principals are immutable).
        self._principals: dict[str, Principal] = {}
        #: ARN text -> the principal and its own context keys (:meth:`caller`, one lookup per call).
        self._callers: dict[str, tuple[Principal, dict[str, ContextValue]]] = {}
        #: id(principal) -> (principal, its own context keys): derived from the principal alone.
        self._entries: dict[int, tuple[Principal, dict[str, ContextValue]]] = {}
        #: The caller's context keys, each spelling checked and lowercased once.
        self.context = ContextKeys()

    def principal(self, principal: Principal | str) -> Principal:
        """``principal`` as a :class:`Principal` (an ARN is parsed once per evaluator)."""
        if type(principal) is Principal:
            return principal
        if type(principal) is str:
            found = self._principals.get(principal)
            if found is None:
                found = Principal.from_arn(principal)
                if len(self._principals) >= _LIMIT:
                    self._principals = {}
                self._principals[principal] = found
            return found
        if isinstance(principal, Principal):
            return principal
        if not isinstance(principal, str):
            raise UsageError(f"principal {shown(principal)} is not an ARN or a Principal")
        return Principal.from_arn(principal)

    def caller(self, who: Principal | str) -> tuple[Principal, dict[str, ContextValue]]:
        """:meth:`principal` and its :meth:`entries` together: one dict lookup for an ARN seen before."""
        if type(who) is str:
            found = self._callers.get(who)
            if found is None:
                principal = self.principal(who)
                found = (principal, self.entries(principal))
                if len(self._callers) >= _LIMIT:
                    self._callers = {}
                self._callers[who] = found
            return found
        principal = self.principal(who)
        return principal, self.entries(principal)

    def build(
        self,
        principal: Principal,
        action: str,
        resource: str,
        context: Mapping[str, object] | None,
        resource_account: str | None,
        *,
        plain: bool = False,
    ) -> Request:
        """A request equal to ``Request.create(principal, action, resource, context, resource_account=...)``.

        ``plain``: the caller checked that ``context`` is ``None`` or a ``dict`` of exact ``str`` keys and values.
        """
        check_request_parts(principal, action, resource, resource_account)
        merged = dict(self.entries(principal))
        if plain and context:
            self.context.merge_plain(merged, context)  # type: ignore[arg-type]
        else:
            self.context.merge(merged, context)
        return build_request(principal, action, resource, merged, resource_account)

    def entries(self, principal: Principal) -> dict[str, ContextValue]:
        """The principal's own context keys (:meth:`Principal.context_entries`), derived once: do not change it."""
        found = self._entries.get(id(principal))
        if found is not None and found[0] is principal:
            return found[1]
        entries = principal.context_entries()
        if len(self._entries) >= _LIMIT:
            self._entries = {}
        self._entries[id(principal)] = (principal, entries)
        return entries
