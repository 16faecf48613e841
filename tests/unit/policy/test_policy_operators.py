"""The condition-operator catalog and parse-time value checks (§C.1, §C.2, §C.3)."""

from __future__ import annotations

import pytest

from iamsim._policy.model import SetQualifier
from iamsim._policy.operators import (
    BASE_OPERATORS,
    NEGATED_OPERATORS,
    OperatorFamily,
    family_of,
    is_base64_value,
    is_bool_value,
    is_date_value,
    is_ip_value,
    is_negated,
    is_null_value,
    is_numeric_value,
    is_valid_value,
    split_operator,
)
from iamsim.errors import MalformedPolicyDocumentError

_CATALOG = {
    OperatorFamily.STRING: {
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
    },
    OperatorFamily.NUMERIC: {
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
    },
    OperatorFamily.DATE: {
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
    },
    OperatorFamily.BOOL: {"Bool"},
    OperatorFamily.BINARY: {"BinaryEquals"},
    OperatorFamily.IP: {"IpAddress", "NotIpAddress"},
    OperatorFamily.ARN: {"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"},
    OperatorFamily.NULL: {"Null"},
}


def test_catalog_is_exactly_the_c2_table() -> None:
    """§C.2: every family and its operators, nothing more."""
    assert set().union(*_CATALOG.values()) == BASE_OPERATORS
    for family, names in _CATALOG.items():
        assert {name for name in BASE_OPERATORS if family_of(name) is family} == names


def test_negated_operators_are_the_c1_list() -> None:
    """§C.1: the operators a missing key makes true."""
    assert {
        "StringNotEquals",
        "StringNotEqualsIgnoreCase",
        "StringNotLike",
        "NumericNotEquals",
        "DateNotEquals",
        "NotIpAddress",
        "ArnNotEquals",
        "ArnNotLike",
    } == NEGATED_OPERATORS
    assert is_negated("ArnNotLike")
    assert not is_negated("StringLike")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("StringLike", (None, "StringLike", False)),
        ("stringlike", (None, "StringLike", False)),
        ("STRINGEQUALSIGNORECASE", (None, "StringEqualsIgnoreCase", False)),
        ("StringNotEqualsIfExists", (None, "StringNotEquals", True)),
        ("ForAllValues:StringLike", (SetQualifier.FOR_ALL_VALUES, "StringLike", False)),
        ("forAnyValue:StringLikeIfExists", (SetQualifier.FOR_ANY_VALUE, "StringLike", True)),
        ("ForAnyValue:ArnLike", (SetQualifier.FOR_ANY_VALUE, "ArnLike", False)),
        ("BoolIfExists", (None, "Bool", True)),
        ("Null", (None, "Null", False)),
        ("NotIpAddressifexists", (None, "NotIpAddress", True)),
    ],
)
def test_split_operator_canonicalises_c1_c3(text: str, expected: tuple[SetQualifier | None, str, bool]) -> None:
    """§C.1/§C.3: names match case-insensitively; qualifier prefix and IfExists suffix are split off."""
    assert split_operator(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "NullIfExists",
        "StringEqual",
        "StringEqualsIfExistsIfExists",
        "ForSomeValues:StringLike",
        "ForAllValues:",
        "ForAllValues:ForAnyValue:StringLike",
        "",
        "IfExists",
        " StringLike",
    ],
)
def test_split_operator_rejects_unknown_names_c1(text: str) -> None:
    """§C.1: IfExists does not apply to Null; unknown operators and qualifiers are rejected."""
    with pytest.raises(MalformedPolicyDocumentError, match="Invalid Condition type"):
        split_operator(text)


@pytest.mark.parametrize("value", ["0", "10", "-3", "2.5", "+7", "1E+2", "1e-3", ".5", "5."])
def test_numeric_values_c2(value: str) -> None:
    """§C.2: Numeric takes integers and decimals."""
    assert is_numeric_value(value)


@pytest.mark.parametrize("value", ["", "ten", "1,000", " 1", "NaN", "Infinity", "${aws:x}", "0x10", "1..2"])
def test_non_numeric_values_c2(value: str) -> None:
    """§C.2: Numeric takes no text, no variables, no special floats."""
    assert not is_numeric_value(value)


@pytest.mark.parametrize(
    "value",
    [
        "2024",
        "2024-02",
        "2024-02-29",
        "2024-02-29T13:45Z",
        "2024-02-29T13:45+01:00",
        "2024-02-29T13:45:30Z",
        "2024-02-29T13:45:30.123-05:30",
        "1700000000",
        "-5",
    ],
)
def test_date_values_six_w3c_forms_and_epoch_c2(value: str) -> None:
    """§C.2 notes: the six W3C NOTE-datetime forms and epoch seconds."""
    assert is_date_value(value)


@pytest.mark.parametrize(
    "value",
    [
        "2023-02-29",
        "2024-13",
        "2024-02-29T13:45",
        "2024-02-29T24:00Z",
        "2024-02-29T13:60Z",
        "2024-02-29T13:45:61Z",
        "2024-02-29 13:45:30Z",
        "2024-02-29T13Z",
        "tomorrow",
        "${aws:CurrentTime}",
        "1.5",
    ],
)
def test_invalid_date_values_c2(value: str) -> None:
    """§C.2: no time without a zone, no impossible dates, no variables."""
    assert not is_date_value(value)


@pytest.mark.parametrize("value", ["203.0.113.0/24", "203.0.113.7", "10.0.0.1/8", "2001:db8::/32", "::1", "0.0.0.0/0"])
def test_ip_values_c2(value: str) -> None:
    """§C.2: CIDR blocks, bare addresses, IPv6 with ``::`` compression."""
    assert is_ip_value(value)


@pytest.mark.parametrize(
    "value", ["", "203.0.113.0/33", "203.0.113.0/255.255.255.0", "256.1.1.1", "fe80::1%eth0", "${aws:SourceIp}", " ::1"]
)
def test_invalid_ip_values_c2(value: str) -> None:
    """§C.2: CIDR notation only, no netmasks, zone ids or variables."""
    assert not is_ip_value(value)


def test_binary_values_are_padded_base64_c2() -> None:
    """§C.2: BinaryEquals values are base-64."""
    assert is_base64_value("QmluYXJ5VmFsdWVJbkJhc2U2NA==")
    assert is_base64_value("QmluYXJ5")
    assert not is_base64_value("not base64!")
    assert not is_base64_value("QQ")
    assert not is_base64_value("${aws:x}")


@pytest.mark.parametrize(
    ("value", "ok"), [("true", True), ("FALSE", True), ("True", True), ("${aws:x}", True), ("yes", False), ("1", False)]
)
def test_bool_values_c2(value: str, ok: bool) -> None:
    """§C.2: Bool takes true/false in any case, or a policy variable."""
    assert is_bool_value(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"), [("true", True), ("false", True), ("TRUE", False), ("${aws:x}", False), ("", False)]
)
def test_null_values_c1(value: str, ok: bool) -> None:
    """§C.1: Null takes only true or false; no variables."""
    assert is_null_value(value) is ok


def test_variables_allowed_only_in_string_arn_bool_c2() -> None:
    """§C.2 notes: variables in String, Arn and Bool values; not Numeric, Date, IP, Binary, Null."""
    variable = "${aws:username}"
    allowed = {name for name in BASE_OPERATORS if is_valid_value(name, variable)}
    assert allowed == _CATALOG[OperatorFamily.STRING] | _CATALOG[OperatorFamily.ARN] | {"Bool"}


def test_family_of_unknown_name_is_a_policy_error() -> None:
    """An unknown base operator is reported like an unknown operator in a policy."""
    with pytest.raises(MalformedPolicyDocumentError):
        family_of("Nope")
