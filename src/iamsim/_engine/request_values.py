"""Typed context values, each text parsed at most once per kind while it is remembered.

A request's ``aws:CurrentTime`` or ``aws:SourceIp`` is compared by every
candidate statement with a Date or IP condition on it; parsing the text anew
per condition cost about 3 µs a date and 3 µs an address (issue 16). The
compiled evaluator makes one :class:`RequestValues` per request (the bulk
matrix one per block of cells sharing a context) and hands it to every
condition it checks, so each text is read once per kind with the one grammar
of :mod:`iamsim._policy.values`. The reference evaluator parses per
condition, as the spec reads, and the two are held equal by the
differential tests.
"""

from __future__ import annotations

from decimal import Decimal

from iamsim._policy.values import IpAddress, parse_address, parse_date, parse_number

__all__ = ["RequestValues"]

#: Texts each kind remembers before it starts over (bounds an evaluator's memory on varied traffic).
_LIMIT = 4_096


class RequestValues:
    """Parsed views of context values: numbers, dates and IP addresses.

    Each reader returns what the grammar function of the same kind returns
    (``None`` for text outside the grammar) and remembers it for the text,
    up to a bound per kind (then it starts over).
    """

    __slots__ = ("_addresses", "_dates", "_numbers")

    def __init__(self) -> None:
        """Start with nothing parsed."""
        self._numbers: dict[str, Decimal | None] = {}
        self._dates: dict[str, Decimal | None] = {}
        self._addresses: dict[str, IpAddress | None] = {}

    def number(self, text: str) -> Decimal | None:
        """The number ``text`` spells (:func:`~iamsim._policy.values.parse_number`), parsed once."""
        seen = self._numbers
        if text in seen:
            return seen[text]
        if len(seen) >= _LIMIT:
            seen = self._numbers = {}
        parsed = seen[text] = parse_number(text)
        return parsed

    def date(self, text: str) -> Decimal | None:
        """The instant ``text`` names (:func:`~iamsim._policy.values.parse_date`), parsed once."""
        seen = self._dates
        if text in seen:
            return seen[text]
        if len(seen) >= _LIMIT:
            seen = self._dates = {}
        parsed = seen[text] = parse_date(text)
        return parsed

    def address(self, text: str) -> IpAddress | None:
        """The IP address ``text`` spells (:func:`~iamsim._policy.values.parse_address`), parsed once."""
        seen = self._addresses
        if text in seen:
            return seen[text]
        if len(seen) >= _LIMIT:
            seen = self._addresses = {}
        parsed = seen[text] = parse_address(text)
        return parsed
