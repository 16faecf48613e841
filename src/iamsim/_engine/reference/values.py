"""Reading condition values as the types the operator families compare (spec §C.2).

Each reader returns ``None`` for text that is not a value of its type; such a
value matches nothing.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

__all__ = ["read_address", "read_binary", "read_bool", "read_decimal", "read_instant", "read_network"]

_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?", re.ASCII)

# The six forms of the W3C NOTE-datetime profile of ISO 8601 (spec §C.2):
# YYYY, YYYY-MM, YYYY-MM-DD, and YYYY-MM-DDThh:mm[:ss[.s+]]TZD.
_W3C_DATE = re.compile(
    r"(?P<year>[0-9]{4})"
    r"(?:-(?P<month>[0-9]{2})"
    r"(?:-(?P<day>[0-9]{2})"
    r"(?:T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?)?"
    r"(?P<tzd>Z|[+-][0-9]{2}:[0-9]{2}))?)?)?",
    re.ASCII,
)
_EPOCH_SECONDS = re.compile(r"-?[0-9]+", re.ASCII)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def read_decimal(text: str) -> Decimal | None:
    """A decimal number (``10``, ``-2.5``, ``1e3``); no whitespace, ``NaN`` or infinities."""
    if not _DECIMAL.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def read_instant(text: str) -> Decimal | None:
    """A date as seconds since the Unix epoch, from a W3C date form or epoch seconds.

    A four-digit string is read as a year (the W3C ``YYYY`` form), any other run
    of digits as epoch seconds.
    """
    found = _W3C_DATE.fullmatch(text)
    if found is not None:
        return _instant_of(found)
    if _EPOCH_SECONDS.fullmatch(text):
        return Decimal(text)
    return None


def _instant_of(found: re.Match[str]) -> Decimal | None:
    parts = found.groupdict()
    offset = timedelta(0)
    tzd = parts["tzd"]
    if tzd is not None and tzd != "Z":
        hours, minutes = int(tzd[1:3]), int(tzd[4:6])
        if hours > 23 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes) * (-1 if tzd[0] == "-" else 1)
    try:
        moment = datetime(
            int(parts["year"]),
            int(parts["month"] or 1),
            int(parts["day"] or 1),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            tzinfo=timezone(offset),
        )
    except ValueError:
        return None  # a field out of range, e.g. month 13 or year 0000
    elapsed = moment - _EPOCH
    seconds = Decimal(elapsed.days * 86400 + elapsed.seconds)
    fraction = parts["fraction"]
    if fraction is not None:
        seconds += Decimal("0." + fraction)
    return seconds


def read_bool(text: str) -> bool | None:
    """``true`` or ``false`` in any letter case."""
    folded = text.casefold()
    if folded == "true":
        return True
    if folded == "false":
        return False
    return None


def read_binary(text: str) -> bytes | None:
    """The bytes a base-64 text encodes."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def read_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A CIDR block; a bare address is a /32 (IPv4) or /128 (IPv6) block."""
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def read_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """A single IPv4 or IPv6 address."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
