"""Allowed calls remembered: a repeated call skips evaluation while nothing it was decided on changed.

An app repeats the same call (``GetObject`` of one key, ``GetItem`` of one item) many
times, and evaluating each again is the same work while the world stands still.
:class:`AllowedCalls` keeps, per caller, service, operation, parameters, region, transport
and source IP, the IAM requests an *allowed* call made, stamped with everything the
decision read:

* the world (``WorldState``: identity, boundary, session and organization policies,
  entity tags) and its generation, which moves on every change to any store;
* ``sim.resources``' records and version, which moves on every change to a
  resource-based policy, a tag, an owner, an alias or a fact (those learnt from the app's
  own calls included);
* the authorizer's own version (``Authorizer.register`` moves it);
* the current second of the simulator's clock: the request context's time keys
  (``aws:CurrentTime``, ``aws:EpochTime``, ``aws:MultiFactorAuthAge``) are whole seconds,
  so a call in another second is evaluated again.

A hit is used only when the stamp read now is equal; a decision is remembered only when
the stamp read before and after evaluating it are equal, so a change made meanwhile is
never hidden. Denials are never remembered (each is explained and recorded), and a hit
still logs each of its requests in the event log as an evaluation would. Parameters are
compared by value, frozen with their types: as :mod:`marshal` writes them when they hold only
what it writes exactly (one C call; equal octets read back as equal values of equal types),
else walked by :func:`_frozen`. A call whose parameters hold anything else (a stream), or
whose frozen form is larger than :data:`_SMALL` octets, is never remembered. Authentication is
not this module's concern: the transport checks the signature and the session's expiry on
every call before asking.
"""

from __future__ import annotations

import marshal
from collections.abc import Hashable, Mapping
from datetime import date, datetime
from typing import Any

from iamsim._engine.result import Decision
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._sts.caller import Caller

__all__ = ["AllowedCalls", "frozen_params"]

#: Entries kept before the memory starts over.
_LIMIT = 4096
#: The largest marshalled parameters, or byte string in them, a remembered call may have (compared whole).
_SMALL = 8192
#: marshal's format 2: no back-references (format 3 on), which depend on reference counts, not on values.
_MARSHAL_VERSION = 2
_ALLOWED = Decision.ALLOWED.value
_SCALARS = (int, float, bool, type(None), datetime, date)

#: (caller, stamp, requests as (service prefix, action, resource)).
_Entry = tuple[Caller, tuple[object, ...], tuple[tuple[str, str, str], ...]]


def _frozen(value: object) -> Hashable:
    """``value`` frozen with its types, or ``None`` (never a frozen value itself: ``None`` is tagged) when unfit."""
    kind = type(value)
    if kind is str:
        return value
    # Text, the commonest value, is taken as it is without a call (every call freezes its parameters).
    if kind is dict:
        items: dict[object, object] = value  # type: ignore[assignment]
        # botocore's parameter names and attribute names are text; a key of another type is not compared.
        for name in items:
            if type(name) is not str:
                return None
        values = tuple([item if type(item) is str else _frozen(item) for item in items.values()])
        return None if None in values else (dict, tuple(items), values)
    if kind is list or kind is tuple:
        elements: list[object] = value  # type: ignore[assignment]
        frozen = tuple([item if type(item) is str else _frozen(item) for item in elements])
        return None if None in frozen else (list, frozen)
    if kind in _SCALARS:
        # Tagged with the type: True == 1 and 1 == 1.0, but a table may read them differently.
        return (kind, value)
    if kind is bytes and len(value) <= _SMALL:  # type: ignore[arg-type]
        return (bytes, value)
    return None


def frozen_params(params: Mapping[str, Any]) -> Hashable | None:
    """``params`` as a hashable value equal only for equal parameters of equal types, or ``None``."""
    plain = params if type(params) is dict else dict(params)
    try:
        # marshal writes only exact builtin types (no subclass, stream or datetime: those raise) in a form
        # it reads back to an equal value of the same types, so equal octets are equal parameters.
        written = marshal.dumps(plain, _MARSHAL_VERSION)
    except ValueError:
        # A datetime or another value marshal does not write: compared through the general freezing.
        return _frozen(plain)
    return written if len(written) <= _SMALL else None


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    """Equal stamps: the same world and records objects (by identity: a restored world is another), equal counters."""
    return old[0] is new[0] and old[1] is new[1] and old[2:] == new[2:]


class AllowedCalls:
    """The allowed calls of one authorizer, with the stamp each was decided under (see the module documentation)."""

    def __init__(self, simulator: Simulator) -> None:
        self._core = core_of(simulator)
        self._simulator = simulator
        self._known: dict[Hashable, _Entry] = {}

    def stamp(self, version: int, now: datetime | None = None) -> tuple[object, ...]:
        """What a decision made at ``now`` (default: the clock) is read from, with the authorizer's ``version``."""
        state = self._core.state
        second = self._core.decisions.second(state.clock.now() if now is None else now)
        return (state, state.resources, state.generation(), self._simulator.resources.version, version, second)

    def repeat(
        self, key: Hashable, caller: Caller, version: int, now: datetime | None = None
    ) -> tuple[bool, tuple[object, ...]]:
        """Whether ``key`` was allowed for ``caller`` under the stamp read at ``now`` (default: the clock; if so,
        its requests are logged again at that time), and that stamp."""
        core = self._core
        if now is None:
            now = core.state.clock.now()
        stamp = self.stamp(version, now)
        entry = self._known.get(key)
        if entry is None or entry[0] is not caller or not _same(entry[1], stamp):
            return False, stamp
        arn = caller.principal.arn
        with core.lock:
            for target, action, resource in entry[2]:
                core.events.record(now, arn, target, action, resource, _ALLOWED)
        return True, stamp

    def remember(
        self, key: Hashable, caller: Caller, stamp: tuple[object, ...], requests: list[tuple[str, str]], version: int
    ) -> None:
        """Keep ``key`` as allowed under ``stamp`` (read before deciding) with its IAM ``requests`` (action,
        resource), unless the stamp read now (with the authorizer's ``version``) differs: something changed."""
        if not _same(stamp, self.stamp(version)):
            return
        if len(self._known) >= _LIMIT:
            self._known.clear()
        made = tuple((action.split(":", 1)[0], action, resource) for action, resource in requests)
        self._known[key] = (caller, stamp, made)
