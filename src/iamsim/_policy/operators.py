"""The condition-operator catalog and the parse-time checks of condition values.

Operator names are accepted case-insensitively and canonicalised; a name is a
base operator (§C.2) with an optional ``ForAllValues:``/``ForAnyValue:`` set
qualifier (§C.3) and an optional ``IfExists`` suffix, which ``Null`` does not
take (§C.1).

The value validators here serve the parser only: they decide whether a policy
value is acceptable for an operator family. The evaluators parse values on
their own.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from iamsim._policy.model import SetQualifier
from iamsim.errors import MalformedPolicyDocumentError

__all__ = [
    "BASE_OPERATORS",
    "NEGATED_OPERATORS",
    "OperatorFamily",
    "canonical_base",
    "family_of",
    "is_base64_value",
    "is_bool_value",
    "is_date_value",
    "is_ip_value",
    "is_negated",
    "is_null_value",
    "is_numeric_value",
    "is_policy_variable",
    "is_valid_value",
    "split_operator",
]


class OperatorFamily(StrEnum):
    """The operator families of §C.2; each has its own value semantics."""

    STRING = "String"
    NUMERIC = "Numeric"
    DATE = "Date"
    BOOL = "Bool"
    BINARY = "Binary"
    IP = "IpAddress"
    ARN = "Arn"
    NULL = "Null"


_FAMILIES: dict[str, OperatorFamily] = {
    **dict.fromkeys(
        (
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringLike",
            "StringNotLike",
        ),
        OperatorFamily.STRING,
    ),
    **dict.fromkeys(
        (
            "NumericEquals",
            "NumericNotEquals",
            "NumericLessThan",
            "NumericLessThanEquals",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
        ),
        OperatorFamily.NUMERIC,
    ),
    **dict.fromkeys(
        (
            "DateEquals",
            "DateNotEquals",
            "DateLessThan",
            "DateLessThanEquals",
            "DateGreaterThan",
            "DateGreaterThanEquals",
        ),
        OperatorFamily.DATE,
    ),
    "Bool": OperatorFamily.BOOL,
    "BinaryEquals": OperatorFamily.BINARY,
    "IpAddress": OperatorFamily.IP,
    "NotIpAddress": OperatorFamily.IP,
    **dict.fromkeys(("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"), OperatorFamily.ARN),
    "Null": OperatorFamily.NULL,
}

#: Every canonical base operator name (§C.2).
BASE_OPERATORS: frozenset[str] = frozenset(_FAMILIES)

#: The negated base operators: a missing key makes them true, values act as NOR (§C.1).
NEGATED_OPERATORS: frozenset[str] = frozenset(
    {
        "StringNotEquals",
        "StringNotEqualsIgnoreCase",
        "StringNotLike",
        "NumericNotEquals",
        "DateNotEquals",
        "NotIpAddress",
        "ArnNotEquals",
        "ArnNotLike",
    }
)

_BY_LOWER = {name.lower(): name for name in BASE_OPERATORS}
_QUALIFIERS = {q.value.lower(): q for q in SetQualifier}
_IF_EXISTS = "ifexists"


def canonical_base(name: str) -> str | None:
    """Return the canonical spelling of base operator ``name`` (any case), or ``None``."""
    return _BY_LOWER.get(name.lower())


def family_of(base: str) -> OperatorFamily:
    """Return the family of canonical base operator ``base``.

    An unknown name raises :class:`~iamsim.errors.MalformedPolicyDocumentError`
    (``Invalid Condition type : …``), as an unknown operator in a policy does.
    """
    family = _FAMILIES.get(base)
    if family is None:
        raise MalformedPolicyDocumentError(f"Invalid Condition type : {base}")
    return family


def is_negated(base: str) -> bool:
    """Return whether canonical base operator ``base`` is a negated operator (§C.1)."""
    return base in NEGATED_OPERATORS


def split_operator(text: str) -> tuple[SetQualifier | None, str, bool]:
    """Split an operator as written into ``(qualifier, canonical base, if_exists)``.

    ``ForAllValues:StringLikeIfExists`` gives
    ``(SetQualifier.FOR_ALL_VALUES, "StringLike", True)``. Names compare
    case-insensitively. An unknown operator, or ``IfExists`` on ``Null``
    (§C.1), raises :class:`~iamsim.errors.MalformedPolicyDocumentError`.
    """
    rest = text
    qualifier: SetQualifier | None = None
    prefix, colon, tail = text.partition(":")
    if colon:
        qualifier = _QUALIFIERS.get(prefix.lower())
        if qualifier is None:
            raise MalformedPolicyDocumentError(f"Invalid Condition type : {text}")
        rest = tail
    if_exists = False
    base = canonical_base(rest)
    if base is None and rest.lower().endswith(_IF_EXISTS):
        base = canonical_base(rest[: -len(_IF_EXISTS)])
        if_exists = True
    if base is None or (if_exists and base == "Null"):
        raise MalformedPolicyDocumentError(f"Invalid Condition type : {text}")
    return qualifier, base, if_exists


# --- value validators (parse time only) ---------------------------------------------------------

_VARIABLE = re.compile(r"\$\{[^{}]+\}")
_NUMERIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_EPOCH = re.compile(r"-?\d+")
# The six W3C NOTE-datetime forms (§C.2 notes); time zone required once a time is given.
_W3C_DATE = re.compile(
    r"(?P<year>\d{4})"
    r"(?:-(?P<month>\d{2})"
    r"(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-](?P<tzh>\d{2}):(?P<tzm>\d{2})))?)?)?"
)
_CIDR_PREFIX = re.compile(r"\d{1,3}")


def is_policy_variable(value: str) -> bool:
    """Return whether ``value`` is exactly one policy variable such as ``${aws:username}`` (§D)."""
    return _VARIABLE.fullmatch(value) is not None


def is_numeric_value(value: str) -> bool:
    """Return whether ``value`` is an integer or decimal number (Numeric family, §C.2)."""
    if _NUMERIC.fullmatch(value) is None:
        return False
    try:
        return Decimal(value).is_finite()
    except InvalidOperation:
        return False


def is_date_value(value: str) -> bool:
    """Return whether ``value`` is a W3C date/time in one of the six forms, or epoch seconds (§C.2)."""
    if _EPOCH.fullmatch(value):
        return True
    match = _W3C_DATE.fullmatch(value)
    if match is None:
        return False
    parts = match.groupdict()
    year = int(parts["year"])
    month = int(parts["month"] or 1)
    day = int(parts["day"] or 1)
    try:
        date(max(year, 1), month, day)
    except ValueError:
        return False
    if parts["hour"] is not None and (int(parts["hour"]) > 23 or int(parts["minute"]) > 59):
        return False
    if parts["second"] is not None and int(parts["second"]) > 59:
        return False
    return parts["tzh"] is None or (int(parts["tzh"]) <= 23 and int(parts["tzm"]) <= 59)


def is_ip_value(value: str) -> bool:
    """Return whether ``value`` is an IPv4/IPv6 CIDR block or a bare address (§C.2)."""
    address, slash, prefix = value.partition("/")
    if slash and _CIDR_PREFIX.fullmatch(prefix) is None:
        # Python also takes netmask forms (``/255.255.255.0``); IAM takes CIDR only.
        return False
    if "%" in address or address != address.strip():
        return False
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True


def is_base64_value(value: str) -> bool:
    """Return whether ``value`` is padded standard base-64 (BinaryEquals, §C.2)."""
    if not value.isascii():
        return False
    try:
        base64.b64decode(value, validate=True)
    except binascii.Error:
        return False
    return True


def is_bool_value(value: str) -> bool:
    """Return whether ``value`` is ``true``/``false`` in any case, or a policy variable (§C.2)."""
    return value.lower() in ("true", "false") or is_policy_variable(value)


def is_null_value(value: str) -> bool:
    """Return whether ``value`` is ``true`` or ``false``, the only values of ``Null`` (§C.1)."""
    return value in ("true", "false")


def _any_value(value: str) -> bool:
    return True


_VALIDATORS = {
    OperatorFamily.STRING: _any_value,
    OperatorFamily.ARN: _any_value,
    OperatorFamily.NUMERIC: is_numeric_value,
    OperatorFamily.DATE: is_date_value,
    OperatorFamily.BOOL: is_bool_value,
    OperatorFamily.BINARY: is_base64_value,
    OperatorFamily.IP: is_ip_value,
    OperatorFamily.NULL: is_null_value,
}


def is_valid_value(base: str, value: str) -> bool:
    """Return whether ``value`` is acceptable for canonical base operator ``base``.

    Policy variables pass only where §C.2 allows them: String and Arn values
    (any text) and Bool values.
    """
    return _VALIDATORS[family_of(base)](value)
