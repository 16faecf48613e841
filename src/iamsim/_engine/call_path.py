"""The public API's direct path: a call decided from its own arguments, no :class:`Request` built (issue 16).

:meth:`PolicyEvaluator.evaluate <iamsim.PolicyEvaluator.evaluate>` and
``is_allowed`` used to build a :class:`~iamsim._engine.request.Request` per
call (the principal's context keys copied, the caller's context merged in,
lowercased), look it up in the compiled set's decision memo and build a
result around it: most of a new request's cost. On the common case, a set of
identity policies alone and a call whose arguments are plain strings (the
call memo's key exists), :class:`CallPath` instead:

* takes the index's candidates for the lowercased action and the resource;
* builds the merged context only when those candidates read a context key
  (conditions, policy variables), and then from the remembered lowercased
  key spellings in two ``dict`` operations;
* runs the compiled set's own matching and combining
  (:meth:`CompiledPolicySet.decide_call`) on the parts;
* returns a :class:`CallResult` whose ``request`` is built on first read,
  equal field for field to the one the full path builds.

Anything else (another kind of set, bad input, ``explain=True``) takes the
full path, which raises the errors bad input deserves: the direct path only
ever answers calls the full path would answer, with the same result
(``tests/unit/engine/test_call_path.py`` holds them equal on generated
policies and calls).
"""

from __future__ import annotations

from typing import Any

from iamsim._arn import is_account_id
from iamsim._engine.call_memo import CallKey
from iamsim._engine.compiled import CompiledPolicySet
from iamsim._engine.request import ContextValue, Principal, Request, build_request
from iamsim._engine.request_builder import RequestBuilder
from iamsim._engine.result import Decision, EvaluationResult

__all__ = ["CallPath", "CallResult"]

#: Module-level alias: reading a member through its enum class costs more than a global.
_ALLOWED_DECISION = Decision.ALLOWED

_FIELDS = EvaluationResult.__dict__


def _outcome_field(index: int | None, name: str) -> Any:
    """A :class:`CallResult` field read from its outcome tuple at ``index`` (``None``: the direct path has none).

    A result built by ``dataclasses.replace`` has no outcome tuple: its fields are the result's own slots.
    """
    get_slot = _FIELDS[name].__get__
    set_slot = _FIELDS[name].__set__

    def get(self: CallResult) -> object:
        try:
            outcome = _get_outcome(self)
        except AttributeError:
            return get_slot(self)
        return None if index is None else outcome[index]

    def set_(self: CallResult, value: object) -> None:
        set_slot(self, value)

    return property(get, set_, doc=f"The result's ``{name}``.")


class CallResult(EvaluationResult):
    """An :class:`~iamsim.EvaluationResult` whose ``request`` is built when first read.

    The direct path decides without a request; most callers read only the
    decision. The request is made from what the call gave (the principal, the
    action and resource as written, the caller's context as it was at the
    call, the resource account), so it is equal field for field to the one
    :meth:`Request.create <iamsim._engine.request.Request.create>` makes.
    Every other field but ``decision`` is read from the outcome tuple the
    combining step returned, kept whole: setting the frozen result's slots one
    by one was about a tenth of a new call. Pickling and
    :func:`dataclasses.replace` give a plain result (``replace`` sets the slots).
    """

    __slots__ = ("_outcome", "_parts")

    @property
    def request(self) -> Request:
        """The request decided (built on first read, then kept)."""
        try:
            return _get_request(self)  # type: ignore[no-any-return]
        except AttributeError:
            pass
        principal, action, resource, merged, entries, lowered, values, account = _get_parts(self)
        if merged is None:
            merged = dict(entries)
            merged.update(zip(lowered, values, strict=True))
        built = build_request(principal, action, resource, merged, account)
        _set_request(self, built)
        return built

    @request.setter
    def request(self, value: Request) -> None:
        # The dataclass ``__init__`` (``dataclasses.replace``) sets the field through here.
        _set_request(self, value)

    determining = _outcome_field(1, "determining")
    denied_by = _outcome_field(2, "denied_by")
    missing_context_keys = _outcome_field(3, "missing_context_keys")
    rule = _outcome_field(4, "rule")
    key_policy = _outcome_field(5, "key_policy")
    explanation = _outcome_field(None, "explanation")

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            EvaluationResult,
            (
                self.decision,
                self.request,
                self.determining,
                self.denied_by,
                self.missing_context_keys,
                self.explanation,
                self.rule,
                self.key_policy,
            ),
        )


_get_request = _FIELDS["request"].__get__
_set_request = _FIELDS["request"].__set__
_set_decision = _FIELDS["decision"].__set__
_new_object = object.__new__
_get_parts = CallResult.__dict__["_parts"].__get__
_set_parts = CallResult.__dict__["_parts"].__set__
_get_outcome = CallResult.__dict__["_outcome"].__get__
_set_outcome = CallResult.__dict__["_outcome"].__set__


class CallPath:
    """Decides a :class:`~iamsim.PolicyEvaluator`'s plain calls on an identity-only set (see the module)."""

    __slots__ = ("_builder", "_compiled")

    def __init__(self, compiled: CompiledPolicySet, builder: RequestBuilder) -> None:
        """Serve ``compiled`` (it must be :attr:`~CompiledPolicySet.identity_only`), sharing the evaluator's builder."""
        self._compiled = compiled
        self._builder = builder

    def evaluate(self, who: Principal | str, key: CallKey) -> EvaluationResult | None:
        """The result of the call ``key`` (by ``who``), or ``None`` when the full path must answer it.

        ``key`` is the call memo's (:func:`~iamsim._engine.call_memo.call_key`): its parts are exact ``str``
        (``who`` a ``str`` or exact :class:`Principal`), the context's names and values two tuples of them.
        """
        _, action, resource, account, names, values = key
        if ":" not in action or not resource or (account is not None and not is_account_id(account)):
            return None
        builder = self._builder
        principal, entries = builder.caller(who)
        lowered = builder.context.lowered(names) if names else ()
        low = action.lower()
        compiled = self._compiled
        candidates = compiled.candidates_for(low, resource)
        merged: dict[str, ContextValue] | None = None
        if candidates.context_keys:
            merged = dict(entries)
            if lowered:
                merged.update(zip(lowered, values, strict=True))
            outcome = compiled.decide_call(principal, low, resource, merged, account, candidates)
        else:
            # No candidate reads a context key: the decision is the same whatever the context holds.
            outcome = compiled.decide_call(principal, low, resource, entries, account, candidates)
        result = _new_object(CallResult)
        _set_decision(result, outcome[0])
        _set_outcome(result, outcome)
        _set_parts(result, (principal, action, resource, merged, entries, lowered, values, account))
        return result

    def is_allowed(self, who: Principal | str, key: CallKey) -> tuple[bool, Principal] | None:
        """Whether the call ``key`` (by ``who``) is allowed, with the principal it named; ``None``: the full path
        must answer (see :meth:`evaluate`)."""
        _, action, resource, account, names, values = key
        if ":" not in action or not resource or (account is not None and not is_account_id(account)):
            return None
        builder = self._builder
        principal, entries = builder.caller(who)
        low = action.lower()
        compiled = self._compiled
        candidates = compiled.candidates_for(low, resource)
        if candidates.context_keys:
            merged = dict(entries)
            if names:
                merged.update(zip(builder.context.lowered(names), values, strict=True))
            outcome = compiled.decide_call(principal, low, resource, merged, account, candidates)
        else:
            if names:
                builder.context.lowered(names)  # the key check the full path makes
            outcome = compiled.decide_call(principal, low, resource, entries, account, candidates)
        return outcome[0] is _ALLOWED_DECISION, principal
