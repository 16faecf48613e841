"""The one grammar of typed condition values: numbers, dates, booleans, IP addresses, base-64.

The parser (:mod:`iamsim._policy.operators`), the compiled evaluator
(:mod:`iamsim._engine.conditions`) and the reference evaluator
(:mod:`iamsim._engine.reference.values`) all read typed values through the
functions here, so a spelling is a number (or date, or address) for all of
them or for none. Each reader returns ``None`` for text outside its grammar;
none of them raises, whatever the text or its length.

Sources: spec §C.2 and §A.1; AWS's "Condition operators" page
(docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
and "Supported data types" page (.../reference_policies_elements_datatypes.html):
numbers are "Ints and Floats", dates follow "the W3C Profile of ISO 8601"
(www.w3.org/TR/NOTE-datetime) or are epoch seconds, IP addresses follow
RFC 4632 CIDR notation. Where those pages are silent we take the spellings
that both a Java (``BigDecimal``, ``java.time``) and a Go (``strconv``,
``net``) parser accept, since AWS's policy engines are written in those
languages, and we take nothing a Python-only parser would add.

Numbers (Numeric operators)
    ``[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`` with ASCII
    digits only: ``10``, ``-2.5``, ``+7``, ``.5``, ``5.``, ``1e3``, ``1E+2``.
    ``.5`` and ``0.5`` are the same number. Not numbers: surrounding or inner
    whitespace, Unicode digits (``١``, ``５``, which Python's ``int`` and
    ``Decimal`` would take), ``_`` separators, hex, ``NaN``/``Infinity``.
    At most :data:`MAX_NUMBER_LENGTH` characters and an exponent of at most
    :data:`MAX_EXPONENT_DIGITS` digits (Java's ``BigDecimal`` scale is a 32-bit
    int); longer text is not a number. Values compare exactly (``Decimal``).

Dates (Date operators)
    The six W3C NOTE-datetime forms: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``,
    ``YYYY-MM-DDThh:mmTZD``, ``YYYY-MM-DDThh:mm:ssTZD`` and
    ``YYYY-MM-DDThh:mm:ss.sTZD``, where ``TZD`` is ``Z`` or ``±hh:mm`` and a
    time always carries one. Upper-case ``T`` and ``Z`` only; years
    ``0000``-``9999`` on the proleptic Gregorian calendar (as ``java.time``
    reads ISO 8601); real calendar days only (no 30 February); hours 00-23,
    minutes and seconds 00-59 (no leap second); zone offsets up to ±23:59;
    fractions of a second 1-:data:`MAX_FRACTION_DIGITS` digits (``java.time``'s
    nanosecond precision). Or epoch seconds: ``-?digits``, an integer that fits
    a signed 64-bit integer (Java's ``long``, Go's ``int64``); negative epochs
    are before 1970. Exactly four digits are the W3C year form, never epoch
    seconds. ASCII digits only, no whitespace. A date reads as the exact number
    of seconds since 1970-01-01T00:00:00Z (a ``Decimal``), so a zoned time and
    epoch seconds compare directly.

Booleans (Bool)
    ``true`` or ``false`` in any ASCII letter case (``TRUE``, ``False``); no
    other text (``1``, ``yes``, and Unicode look-alikes that ``casefold`` would
    fold to ``false``, such as ``falſe``, are not booleans).

IP addresses (IpAddress, NotIpAddress)
    A policy value is an RFC 4632 CIDR block, IPv4 (``203.0.113.0/24``) or
    IPv6 (``2001:db8::/32``, ``::`` compression and embedded IPv4 allowed), or
    a bare address meaning /32 or /128. The prefix length is 1-3 ASCII digits
    within the family's width; host bits may be set (``10.0.0.1/8`` is
    ``10.0.0.0/8``). Not addresses: netmask or hostmask forms
    (``/255.255.255.0``), IPv6 zone ids (``fe80::1%eth0``), IPv4 octets with
    leading zeros, whitespace. A request value is one bare address, same
    rules. At most :data:`MAX_IP_LENGTH` characters.

Binary (BinaryEquals)
    Padded standard base-64 (``A-Z a-z 0-9 + /``, ``=`` padding), ASCII only.

Strings and ARNs take any text; ARN operators split it into six fields (§B.3)
where they match, which is the matcher's business, not this grammar's.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "MAX_DATE_LENGTH",
    "MAX_EXPONENT_DIGITS",
    "MAX_FRACTION_DIGITS",
    "MAX_IP_LENGTH",
    "MAX_NUMBER_LENGTH",
    "IpAddress",
    "IpNetwork",
    "parse_address",
    "parse_base64",
    "parse_bool",
    "parse_date",
    "parse_network",
    "parse_number",
]

#: Longest text read as a number; anything longer is not one.
MAX_NUMBER_LENGTH = 100
#: Most digits an exponent may have (``1e999999999`` is the largest exponent).
MAX_EXPONENT_DIGITS = 9
#: Most digits of a fraction of a second (nanoseconds).
MAX_FRACTION_DIGITS = 9
#: Longest date text: the longest W3C form (``YYYY-MM-DDThh:mm:ss.sssssssss+hh:mm``), 35 characters.
MAX_DATE_LENGTH = 35
#: Longest IP text: an IPv6 address with embedded IPv4 (45) plus ``/128``.
MAX_IP_LENGTH = 49

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Unambiguous (each character has one place to go), so matching is linear; the
# length is bounded before any regex runs anyway.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?(?P<exponent>[0-9]+))?", re.ASCII)
_EPOCH_SECONDS = re.compile(r"-?[0-9]+", re.ASCII)
_W3C_DATE = re.compile(
    r"(?P<year>[0-9]{4})"
    r"(?:-(?P<month>[0-9]{2})"
    r"(?:-(?P<day>[0-9]{2})"
    r"(?:T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,9}))?)?"
    r"(?:Z|(?P<sign>[+-])(?P<tzh>[0-9]{2}):(?P<tzm>[0-9]{2})))?)?)?",
    re.ASCII,
)
_PREFIX_LENGTH = re.compile(r"[0-9]{1,3}", re.ASCII)
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}", re.ASCII)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_number(text: str) -> Decimal | None:
    """The number ``text`` spells (Numeric operators), or ``None`` when it is not one."""
    if len(text) > MAX_NUMBER_LENGTH:
        return None
    found = _NUMBER.fullmatch(text)
    if found is None:
        return None
    exponent = found["exponent"]
    if exponent is not None and len(exponent) > MAX_EXPONENT_DIGITS:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the grammar admits only what Decimal reads
        return None


def parse_date(text: str) -> Decimal | None:
    """The instant ``text`` names (Date operators) as exact seconds since the epoch, or ``None``."""
    if len(text) > MAX_DATE_LENGTH:
        return None
    found = _W3C_DATE.fullmatch(text)
    if found is not None:
        return _w3c_instant(found)
    if _EPOCH_SECONDS.fullmatch(text) is None:
        return None
    seconds = int(text)  # at most 35 characters, far inside Python's digit limit
    return Decimal(seconds) if _INT64_MIN <= seconds <= _INT64_MAX else None


def _w3c_instant(found: re.Match[str]) -> Decimal | None:
    year = int(found["year"])
    month = int(found["month"] or 1)
    day = int(found["day"] or 1)
    if not 1 <= month <= 12:
        return None
    days_in_month = 29 if month == 2 and _is_leap(year) else _DAYS_IN_MONTH[month - 1]
    if not 1 <= day <= days_in_month:
        return None
    hour = int(found["hour"] or 0)
    minute = int(found["minute"] or 0)
    second = int(found["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset = 0
    if found["sign"] is not None:
        zone_hours, zone_minutes = int(found["tzh"]), int(found["tzm"])
        if zone_hours > 23 or zone_minutes > 59:
            return None
        offset = (zone_hours * 60 + zone_minutes) * 60 * (-1 if found["sign"] == "-" else 1)
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
    instant = Decimal(seconds)
    fraction = found["fraction"]
    if fraction is not None:
        instant += Decimal("0." + fraction)
    return instant


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Days from 1970-01-01 on the proleptic Gregorian calendar; Python's datetime
    # stops at year 1, ISO 8601 (and java.time) go on to year 0000.
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def parse_bool(text: str) -> bool | None:
    """``True``/``False`` for ``true``/``false`` in any ASCII case (Bool), else ``None``."""
    if len(text) > 5 or not text.isascii():
        return None
    folded = text.lower()
    if folded == "true":
        return True
    if folded == "false":
        return False
    return None


def parse_network(text: str) -> IpNetwork | None:
    """The CIDR block a policy value names (a bare address is /32 or /128), or ``None``."""
    if len(text) > MAX_IP_LENGTH:
        return None
    address, slash, prefix = text.partition("/")
    if slash and _PREFIX_LENGTH.fullmatch(prefix) is None:
        return None  # Python would also take netmask and hostmask forms
    if parse_address(address) is None:
        return None
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:  # a prefix longer than the family's width
        return None


def parse_address(text: str) -> IpAddress | None:
    """The single IPv4 or IPv6 address ``text`` spells, or ``None``."""
    if len(text) > MAX_IP_LENGTH or not text.isascii() or "%" in text or text != text.strip():
        return None  # "%" starts an IPv6 zone id, which Python reads and IAM does not
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def parse_base64(text: str) -> bytes | None:
    """The bytes padded standard base-64 ``text`` encodes (BinaryEquals), or ``None``."""
    if _BASE64.fullmatch(text) is None:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
