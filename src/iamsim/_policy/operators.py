"""The condition-operator catalog and the parse-time checks of condition values.

Operator names are accepted case-insensitively and canonicalised; a name is a
base operator (§C.2) with an optional ``ForAllValues:``/``ForAnyValue:`` set
qualifier (§C.3) and an optional ``IfExists`` suffix, which ``Null`` does not
take (§C.1).

The value validators here decide whether a policy value is acceptable for an
operator family; they read values with the grammar of
:mod:`iamsim._policy.values`, the same functions both evaluators use.
"""

from __future__ import annotations

import re
from enum import StrEnum

from iamsim._policy import values
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


# --- value validators (parse time) -------------------------------------------------------------
# The grammars themselves live in iamsim._policy.values, shared with both evaluators.

_VARIABLE = re.compile(r"\$\{[^{}]+\}")


def is_policy_variable(value: str) -> bool:
    """Return whether ``value`` is exactly one policy variable such as ``${aws:username}`` (§D)."""
    return _VARIABLE.fullmatch(value) is not None


def is_numeric_value(value: str) -> bool:
    """Return whether ``value`` is a number of the shared grammar (Numeric family, §C.2)."""
    return values.parse_number(value) is not None


def is_date_value(value: str) -> bool:
    """Return whether ``value`` is a W3C date/time in one of the six forms, or epoch seconds (§C.2)."""
    return values.parse_date(value) is not None


def is_ip_value(value: str) -> bool:
    """Return whether ``value`` is an IPv4/IPv6 CIDR block or a bare address (§C.2)."""
    return values.parse_network(value) is not None


def is_base64_value(value: str) -> bool:
    """Return whether ``value`` is padded standard base-64 (BinaryEquals, §C.2)."""
    return values.parse_base64(value) is not None


def is_bool_value(value: str) -> bool:
    """Return whether ``value`` is ``true``/``false`` in any ASCII case, or a policy variable (§C.2)."""
    return values.parse_bool(value) is not None or is_policy_variable(value)


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
