"""The one value grammar (iamsim._policy.values): each decision of its docstring, spelled out (§C.2, §A.1).

AWS pages: Condition operators
(docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
and Supported data types (.../reference_policies_elements_datatypes.html).
"""

from __future__ import annotations

import ipaddress
from decimal import Decimal

import pytest

from iamsim._policy.values import (
    MAX_NUMBER_LENGTH,
    parse_address,
    parse_base64,
    parse_bool,
    parse_date,
    parse_network,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("10", "10"),
        ("-2.5", "-2.5"),
        ("+7", "7"),
        (".5", "0.5"),
        ("5.", "5"),
        ("007", "7"),
        ("1e3", "1000"),
        ("1E+2", "100"),
        ("-.5e-3", "-0.0005"),
        ("1e999999999", "1e999999999"),
    ],
)
def test_numbers_are_java_and_go_spellings_c2(text: str, number: str) -> None:
    """§C.2 Numeric ("Ints and Floats"): sign, leading or trailing dot, exponent; '.5' is 0.5."""
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize(
    "text",
    [
        "",
        ".",
        "-",
        "e5",
        "1e",
        " 10",
        "10 ",
        "1 0",
        "١٠",
        "１０",
        "1_000",
        "0x10",
        "NaN",
        "Infinity",
        "1,5",
        "1e1234567890",
        "9" * (MAX_NUMBER_LENGTH + 1),
        "1" * 4301,
    ],
)
def test_not_numbers_c2(text: str) -> None:
    """§C.2: no whitespace, Unicode digits, separators, hex, special floats, or absurd lengths."""
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1970", "0"),
        ("2024-06", "1717200000"),
        ("2024-06-01T12:30+02:00", "1717237800"),
        ("2024-06-01T10:30:00Z", "1717237800"),
        ("2024-06-01T10:30:00.000000001Z", "1717237800.000000001"),
        ("1717237800", "1717237800"),
        ("-5", "-5"),
        ("0000", "-62167219200"),
        ("9223372036854775807", "9223372036854775807"),
    ],
)
def test_dates_are_w3c_forms_or_epoch_seconds_c2(text: str, seconds: str) -> None:
    """§C.2 Date: the six W3C forms (year 0000 as ISO 8601 reads it) or 64-bit epoch seconds, as exact seconds."""
    assert parse_date(text) == Decimal(seconds)


@pytest.mark.parametrize(
    "text",
    [
        "2023-02-29",
        "2024-06-01T10:30:00",
        "2024-06-01t10:30:00z",
        "2024-06-01 10:30:00Z",
        "2024-06-01T10:30:60Z",
        "2024-06-01T10:30:00+24:00",
        "2024-06-01T10:30:00.0000000001Z",
        "9223372036854775808",
        "1" * 4301,
        "1700000000.5",
        "+1700000000",
        "２０２４",
        " 2024",
    ],
)
def test_not_dates_c2(text: str) -> None:
    """§C.2: no zone-less times, leap seconds, lower-case T/Z, over-long fractions, out-of-range epochs."""
    assert parse_date(text) is None


@pytest.mark.parametrize(("text", "value"), [("true", True), ("FALSE", False), ("tRuE", True)])
def test_booleans_any_ascii_case_c2(text: str, value: bool) -> None:
    """§C.2 Bool: true/false in any ASCII case."""
    assert parse_bool(text) is value


@pytest.mark.parametrize("text", ["1", "yes", "", " true", "falſe", "ＴＲＵＥ"])
def test_not_booleans_c2(text: str) -> None:
    """§C.2: look-alikes that Unicode case folding would turn into 'false' are not booleans."""
    assert parse_bool(text) is None


def test_networks_are_cidr_or_bare_addresses_c2() -> None:
    """§C.2 IP (RFC 4632): CIDR blocks, IPv6 with compression, host bits allowed, bare address is /32 or /128."""
    assert parse_network("10.0.0.1/8") == ipaddress.ip_network("10.0.0.0/8")
    assert parse_network("2001:DB8::/32") == ipaddress.ip_network("2001:db8::/32")
    assert parse_network("192.0.2.7") == ipaddress.ip_network("192.0.2.7/32")
    assert parse_network("::ffff:10.0.0.1") == ipaddress.ip_network("::ffff:a00:1/128")


@pytest.mark.parametrize(
    "text",
    [
        "10.0.0.0/33",
        "2001:db8::/129",
        "10.0.0.0/255.0.0.0",
        "10.0.0.0/",
        "10.0.0.0/٨",
        "fe80::1%eth0",
        "010.0.0.1",
        " ::1",
    ],
)
def test_not_networks_c2(text: str) -> None:
    """§C.2: no netmasks, Unicode prefix digits, zone ids, leading-zero octets, whitespace."""
    assert parse_network(text) is None


def test_request_addresses_c2() -> None:
    """§C.2: a request value is one bare address; a block or a zone id is not."""
    assert parse_address("2001:db8::5") == ipaddress.ip_address("2001:db8::5")
    assert parse_address("10.0.0.0/8") is None
    assert parse_address("fe80::1%eth0") is None
    assert parse_address("1" * 60) is None


def test_base64_is_padded_and_ascii_c2() -> None:
    """§C.2 BinaryEquals: padded standard base-64."""
    assert parse_base64("QUJD") == b"ABC"
    assert parse_base64("QQ") is None
    assert parse_base64("QUJD\u0661") is None
