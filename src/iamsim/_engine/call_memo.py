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
"""

from __future__ import annotations

from collections.abc import Mapping

from iamsim._engine.request import Principal
from iamsim._engine.result import EvaluationResult

__all__ = ["CallKey", "CallMemo", "call_key"]

#: A call's arguments as a memo key (see the module docstring): the principal (an ARN or a
#: :class:`Principal`'s id), the action, the resource, the resource account, the context's names and its values.
CallKey = tuple[object, str, str, str | None, tuple[str, ...], tuple[str, ...]]

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


class CallMemo:
    """Bounded maps from call keys to results (``evaluate``) and to decisions (``is_allowed``)."""

    __slots__ = ("allowed", "results")

    def __init__(self) -> None:
        """Start empty."""
        #: Call key -> the result ``evaluate`` returned.
        self.results: dict[CallKey, EvaluationResult] = {}
        #: Call key -> (allowed, the request's principal: kept alive, so an id in a key is not reused).
        self.allowed: dict[CallKey, tuple[bool, Principal]] = {}

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

    def clear(self) -> None:
        """Forget every remembered call."""
        self.results = {}
        self.allowed = {}
