"""Answers to the public API's calls, remembered by the raw arguments of the call.

:meth:`PolicyEvaluator.evaluate <iamsim.PolicyEvaluator.evaluate>` on a
request it has answered before still had to build a
:class:`~iamsim._engine.request.Request` (the principal's keys merged with the
caller's lowercased context), look the decision up in the compiled set's memo
and build a new result: about 50 times a dict lookup (issue 16). A
:class:`CallMemo` (one per evaluator) is checked first, keyed on the call's
own arguments, and holds the immutable results themselves.

It is exact because a key holds everything the call reads and only values
whose equality means "the same input": the principal as an ARN ``str`` or, for
a :class:`~iamsim._engine.request.Principal`, its identity (two principals
sharing an ARN may differ in everything else), the action, the resource, the
resource account and the context's keys and values in order. Calls with anything else
(a context value that is not a plain ``str``, a mapping that is not a plain
``dict``, subclasses of ``str``) get no key and take the full path: ``True``
equals ``1`` yet the two normalise to different values, and an object merely
equal to a valid key must still get the error its type deserves. A call that
raises stores nothing, so bad input is never remembered as an answer.

Building that key costs more than the lookup it serves (every context entry
type-checked and copied into two tuples, a 16-element tuple hashed, a call):
about 20 floors of the harness. So each memo keeps a second, *recent* map
checked first, keyed by the call's ``(principal, action, resource)`` alone
(an exact ``str`` principal, or a :class:`Principal`'s id) and holding a copy
of the context the answer was for (``None`` for none). Only calls the exact
key found again go there: a stream of new calls pays one lookup, no copy.
:func:`recent` answers from an entry when the caller's context is ``None`` and
the remembered one too, or when the caller's context is a plain ``dict``
equal to the remembered one whose keys and values are all exact ``str``: the
remembered copy holds exact strings only, and equal exact strings are the
same input, so the call is the one remembered (the type checks come after the
comparison, so an object merely equal to a string never answers for one).
The map's principal is exact too: an id is never equal to a ``str``, and the
entry keeps the principal it was made from alive, so no other object has its
id. Calls with a resource account, and ``explain=True``, use the exact key
alone. One entry per ``(principal, action, resource)``: a repeat with another
context replaces it, and the exact key still answers both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from iamsim._engine.request import Principal
from iamsim._engine.result import EvaluationResult

__all__ = ["CallKey", "CallMemo", "RecentKey", "call_key", "recent"]

#: A call's arguments as a memo key (see the module docstring): the principal (an ARN or a
#: :class:`Principal`'s id), the action, the resource, the resource account, the context's names and its values.
CallKey = tuple[object, str, str, str | None, tuple[str, ...], tuple[str, ...]]

#: The recent maps' key: a call's principal (an ARN, or a :class:`Principal`'s id), action and resource.
RecentKey = tuple[object, str, str]

_T = TypeVar("_T")

#: Entries each memo keeps before it starts over; about 1.5 KB each with the request and context it holds.
_LIMIT = 16_384


def call_key(
    principal: object, action: object, resource: object, context: Mapping[str, object] | None, account: object
) -> CallKey | None:
    """The memo key of a call, or ``None`` when its arguments are not all plain strings (and ``dict``)."""
    if type(action) is not str or type(resource) is not str:
        return None
    kind = type(principal)
    if kind is str:
        who: object = principal
    elif kind is Principal:
        # Identity, not equality: the remembered result's request holds the principal, so its id is not reused.
        who = id(principal)
    else:
        return None
    if account is not None and type(account) is not str:
        return None
    if context is None:
        return (who, action, resource, account, (), ())
    if type(context) is not dict:
        return None
    # The names and the values as two tuples: the direct path reads them from the key (the names are
    # its key for their lowercased spellings, the values what a result's request is later built from).
    names = tuple(context)
    for name in names:
        if type(name) is not str:
            return None
    values = tuple(context.values())
    for value in values:
        if type(value) is not str:
            return None
    return (who, action, resource, account, names, values)


def recent(found: tuple[dict[str, str] | None, _T, object], context: object) -> _T | None:
    """The answer a recent map's entry ``found`` holds, when it was for ``context`` (see the module), else ``None``."""
    remembered = found[0]
    if remembered is None:
        return found[1] if context is None else None
    if type(context) is not dict or remembered != context:
        return None
    for name in context:
        if type(name) is not str:
            return None
    for value in context.values():
        if type(value) is not str:
            return None
    return found[1]


class CallMemo:
    """Bounded maps from call keys to results (``evaluate``) and to decisions (``is_allowed``).

    Each has a recent map beside it for repeated calls (see the module): ``(principal, action, resource)`` ->
    (a copy of the context, the answer, the principal as given, kept alive so an id in a key is not reused).
    """

    __slots__ = ("allowed", "recent_allowed", "recent_results", "results")

    def __init__(self) -> None:
        """Start empty."""
        #: Call key -> the result ``evaluate`` returned.
        self.results: dict[CallKey, EvaluationResult] = {}
        #: Call key -> (allowed, the request's principal: kept alive, so an id in a key is not reused).
        self.allowed: dict[CallKey, tuple[bool, Principal]] = {}
        #: ``evaluate``'s last call per (principal, action, resource) without a resource account.
        self.recent_results: dict[RecentKey, tuple[dict[str, str] | None, EvaluationResult, object]] = {}
        #: ``is_allowed``'s, the same way.
        self.recent_allowed: dict[RecentKey, tuple[dict[str, str] | None, bool, object]] = {}

    def keep_result(self, key: CallKey, result: EvaluationResult) -> None:
        """Remember ``result`` for ``key`` (starting over when full)."""
        if len(self.results) >= _LIMIT:
            self.results = {}
        self.results[key] = result

    def keep_allowed(self, key: CallKey, allowed: bool, principal: Principal) -> None:
        """Remember the decision for ``key`` and the request's ``principal`` (starting over when full)."""
        if len(self.allowed) >= _LIMIT:
            self.allowed = {}
        self.allowed[key] = (allowed, principal)

    def repeat_result(self, key: CallKey, result: EvaluationResult, given: object, context: object) -> None:
        """Remember in the recent map the result ``key`` found again; ``given`` and ``context`` are the principal
        and context ``key`` was just made from (so the context is ``None`` or a plain ``dict`` of exact ``str``)."""
        if key[3] is None:
            if len(self.recent_results) >= _LIMIT:
                self.recent_results = {}
            self.recent_results[key[:3]] = (_copy(context), result, given)

    def repeat_allowed(self, key: CallKey, allowed: bool, given: object, context: object) -> None:
        """Remember in the recent map the decision ``key`` found again (see :meth:`repeat_result`)."""
        if key[3] is None:
            if len(self.recent_allowed) >= _LIMIT:
                self.recent_allowed = {}
            self.recent_allowed[key[:3]] = (_copy(context), allowed, given)

    def clear(self) -> None:
        """Forget every remembered call."""
        self.results = {}
        self.allowed = {}
        self.recent_results = {}
        self.recent_allowed = {}


def _copy(context: object) -> dict[str, str] | None:
    """A recent entry's own copy of the call's ``context`` (``None`` or a plain ``dict``, checked by the key)."""
    return None if context is None else context.copy()  # type: ignore[attr-defined]
