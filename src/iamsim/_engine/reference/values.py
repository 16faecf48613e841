"""Reading condition values as the types the operator families compare (spec §C.2).

The grammar of each type is written once, in :mod:`iamsim._policy.values`
(its docstring states every decision and its source); the readers here are
the reference evaluator's names for it. Each returns ``None`` for text that
is not a value of its type; such a value matches nothing.
"""

from __future__ import annotations

from decimal import Decimal

from iamsim._policy import values as grammar

__all__ = ["read_address", "read_binary", "read_bool", "read_decimal", "read_instant", "read_network"]


def read_decimal(text: str) -> Decimal | None:
    """A number: ``10``, ``-2.5``, ``.5``, ``1e3``; ASCII digits, no whitespace, ``NaN`` or infinities."""
    return grammar.parse_number(text)


def read_instant(text: str) -> Decimal | None:
    """A date as exact seconds since the Unix epoch, from a W3C date form or epoch seconds.

    A four-digit string is read as a year (the W3C ``YYYY`` form), any other run
    of digits (with an optional ``-``) as epoch seconds.
    """
    return grammar.parse_date(text)


def read_bool(text: str) -> bool | None:
    """``true`` or ``false`` in any ASCII letter case."""
    return grammar.parse_bool(text)


def read_binary(text: str) -> bytes | None:
    """The bytes a padded base-64 text encodes."""
    return grammar.parse_base64(text)


def read_network(text: str) -> grammar.IpNetwork | None:
    """A CIDR block; a bare address is a /32 (IPv4) or /128 (IPv6) block."""
    return grammar.parse_network(text)


def read_address(text: str) -> grammar.IpAddress | None:
    """A single IPv4 or IPv6 address."""
    return grammar.parse_address(text)
