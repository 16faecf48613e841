"""Condition evaluators (spec §C; docs/evaluation.md "Conditions"), one family at a time."""

from __future__ import annotations

from decimal import Decimal

import pytest
from compiled_builders import condition

from iamsim._engine.conditions import compile_condition, parse_instant, parse_number
from iamsim._engine.request import ContextValue


def holds(operator: str, key: str, values: tuple[str, ...], context: dict[str, ContextValue]) -> bool:
    compiled = compile_condition(condition(operator, key, *values), variables=True)
    return compiled.holds({k.lower(): v for k, v in context.items()})


# --- §C.1 missing keys, IfExists, Null -----------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("StringEquals", False),
        ("StringLike", False),
        ("NumericLessThan", False),
        ("Bool", False),
        ("IpAddress", False),
        ("ArnLike", False),
        ("StringNotEquals", True),
        ("StringNotEqualsIgnoreCase", True),
        ("StringNotLike", True),
        ("NumericNotEquals", True),
        ("DateNotEquals", True),
        ("NotIpAddress", True),
        ("ArnNotEquals", True),
        ("ArnNotLike", True),
        ("StringEqualsIfExists", True),
        ("NumericLessThanIfExists", True),
        ("StringNotEqualsIfExists", True),
    ],
)
def test_absent_key(operator: str, expected: bool) -> None:
    """§C.1: absent key - plain operators false, negated true, IfExists true."""
    assert holds(operator, "k:x", ("1",), {}) is expected


def test_if_exists_applies_the_base_operator_when_present() -> None:
    """§C.1: with the key present, `…IfExists` is the base operator."""
    assert holds("StringEqualsIfExists", "k:x", ("a",), {"k:x": "a"})
    assert not holds("StringEqualsIfExists", "k:x", ("a",), {"k:x": "b"})


@pytest.mark.parametrize(
    ("value", "context", "expected"),
    [
        ("true", {}, True),
        ("true", {"k:x": ""}, True),
        ("true", {"k:x": ()}, True),
        ("true", {"k:x": "v"}, False),
        ("false", {}, False),
        ("false", {"k:x": ""}, False),
        ("false", {"k:x": "v"}, True),
        ("false", {"k:x": ("v",)}, True),
    ],
)
def test_null(value: str, context: dict[str, ContextValue], expected: bool) -> None:
    """§C.1: Null true = absent or empty (judgment: "" and [] are null); false = present and not empty."""
    assert holds("Null", "k:x", (value,), context) is expected


def test_condition_key_names_are_case_insensitive() -> None:
    """§C.1: `aws:SourceIP` equals `AWS:SourceIp`."""
    assert holds("IpAddress", "AWS:SourceIp", ("10.0.0.0/8",), {"aws:sourceip": "10.1.2.3"})


# --- §C.3 multivalued keys and set qualifiers --------------------------------------------------------


def test_for_all_values_string_not_like_doc_examples() -> None:
    """§C.3: Deny + ForAllValues:StringNotLike {"aws:TagKeys": "key1*"} - the documented table."""
    op = "ForAllValues:StringNotLike"
    assert not holds(op, "aws:TagKeys", ("key1*",), {"aws:TagKeys": ("key1:legal",)})
    assert holds(op, "aws:TagKeys", ("key1*",), {"aws:TagKeys": ("key2:audit",)})
    assert holds(op, "aws:TagKeys", ("key1*",), {})
    assert not holds(op, "aws:TagKeys", ("key1*", "key2*"), {"aws:TagKeys": ("key1:hr", "key2:audit")})


def test_for_all_values() -> None:
    """§C.3: every request value must match some policy value; absent or empty holds."""
    op = "ForAllValues:StringEquals"
    assert holds(op, "aws:TagKeys", ("a", "b"), {"aws:TagKeys": ("a", "b")})
    assert not holds(op, "aws:TagKeys", ("a", "b"), {"aws:TagKeys": ("a", "c")})
    assert holds(op, "aws:TagKeys", ("a",), {"aws:TagKeys": ()})
    assert holds(op, "aws:TagKeys", ("a",), {"aws:TagKeys": ""})
    assert holds(op, "aws:TagKeys", ("a",), {})


def test_for_any_value() -> None:
    """§C.3: some request value must match; absent or empty is false."""
    op = "ForAnyValue:StringEquals"
    assert holds(op, "aws:TagKeys", ("a",), {"aws:TagKeys": ("x", "a")})
    assert not holds(op, "aws:TagKeys", ("a",), {"aws:TagKeys": ("x", "y")})
    assert not holds(op, "aws:TagKeys", ("a",), {"aws:TagKeys": ()})
    assert not holds(op, "aws:TagKeys", ("a",), {})
    assert holds("ForAnyValue:StringNotEquals", "aws:TagKeys", ("a",), {"aws:TagKeys": ("a", "b")})
    assert not holds("ForAnyValue:StringNotEquals", "aws:TagKeys", ("a",), {})


def test_multivalued_key_without_qualifier() -> None:
    """§C.3 MUST (judgment): plain = some value matches; negated = no value matches any policy value."""
    assert holds("StringEquals", "aws:TagKeys", ("a",), {"aws:TagKeys": ("x", "a")})
    assert not holds("StringEquals", "aws:TagKeys", ("a",), {"aws:TagKeys": ("x",)})
    assert not holds("StringNotEquals", "aws:TagKeys", ("a",), {"aws:TagKeys": ("x", "a")})
    assert holds("StringNotEquals", "aws:TagKeys", ("a",), {"aws:TagKeys": ("x", "y")})


def test_negated_values_are_nor() -> None:
    """§C.1: a negated operator holds only if the request value matches none of the values."""
    assert not holds("StringNotEquals", "k:x", ("a", "b"), {"k:x": "b"})
    assert holds("StringNotEquals", "k:x", ("a", "b"), {"k:x": "c"})


# --- §C.2 families -----------------------------------------------------------------------------


def test_string_operators() -> None:
    """§C.2: Equals exact and case-sensitive, IgnoreCase case-folded, Like a case-sensitive glob."""
    assert holds("StringEquals", "k:x", ("Abc",), {"k:x": "Abc"})
    assert not holds("StringEquals", "k:x", ("Abc",), {"k:x": "abc"})
    assert not holds("StringEquals", "k:x", ("a*",), {"k:x": "abc"})
    assert holds("StringEqualsIgnoreCase", "k:x", ("ABC",), {"k:x": "abc"})
    assert holds("StringNotEqualsIgnoreCase", "k:x", ("ABC",), {"k:x": "abd"})
    assert holds("StringLike", "k:x", ("a*c?",), {"k:x": "a/b:cd"})
    assert not holds("StringLike", "k:x", ("A*",), {"k:x": "abc"})
    assert holds("StringLike", "k:x", ("[ab]",), {"k:x": "[ab]"})
    assert holds("StringNotLike", "k:x", ("x*",), {"k:x": "abc"})


@pytest.mark.parametrize(
    ("operator", "policy", "request_value", "expected"),
    [
        ("NumericEquals", "10", "10.0", True),
        ("NumericEquals", "10", "1e1", True),
        ("NumericNotEquals", "10", "11", True),
        ("NumericLessThan", "10", "9.5", True),
        ("NumericLessThan", "10", "10", False),
        ("NumericLessThanEquals", "10", "10", True),
        ("NumericGreaterThan", "-1", "0", True),
        ("NumericGreaterThanEquals", "0.5", ".5", True),
        ("NumericEquals", "10", "ten", False),
        ("NumericNotEquals", "10", "ten", True),
        ("NumericEquals", "10", "NaN", False),
    ],
)
def test_numeric(operator: str, policy: str, request_value: str, expected: bool) -> None:
    """§C.2: decimal comparison, request value on the left; an unparseable request value never matches."""
    assert holds(operator, "k:n", (policy,), {"k:n": request_value}) is expected


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2020", 1577836800),
        ("2020-02", 1580515200),
        ("2020-02-29", 1582934400),
        ("2020-02-29T01:02Z", 1582938120),
        ("2020-02-29T01:02:03Z", 1582938123),
        ("2020-02-29T01:02:03.25Z", Decimal("1582938123.25")),
        ("2020-02-29T02:02:03+01:00", 1582938123),
        ("2020-02-28T20:02:03-05:00", 1582938123),
        ("1582938123", 1582938123),
    ],
)
def test_date_forms(text: str, instant: int | Decimal) -> None:
    """§C.2 MUST: the six W3C forms and epoch seconds, as instants."""
    assert parse_instant(text) == instant


@pytest.mark.parametrize(
    "text", ["2019-02-29", "2020-13-01", "2020-01-01T24:00Z", "2020-01-01T10:00", "yesterday", "2020-1-1"]
)
def test_invalid_dates(text: str) -> None:
    """§C.2: anything else is not a date."""
    assert parse_instant(text) is None


def test_date_operators_compare_instants() -> None:
    """§C.2: Date operators compare instants across forms and time zones."""
    assert holds("DateLessThan", "aws:CurrentTime", ("2020-01-01T00:00:00Z",), {"aws:CurrentTime": "2019-12-31"})
    assert holds("DateEquals", "aws:CurrentTime", ("2020-01-01T01:00:00+01:00",), {"aws:CurrentTime": "2020"})
    assert holds("DateGreaterThanEquals", "aws:EpochTime", ("2020-01-01",), {"aws:EpochTime": "1577836800"})
    assert not holds("DateGreaterThan", "aws:CurrentTime", ("2020",), {"aws:CurrentTime": "garbage"})
    assert holds("DateNotEquals", "aws:CurrentTime", ("2020",), {"aws:CurrentTime": "garbage"})


def test_bool() -> None:
    """§C.2: `true`/`false`, case-insensitive; JSON booleans arrive as those strings."""
    assert holds("Bool", "aws:SecureTransport", ("true",), {"aws:SecureTransport": "TRUE"})
    assert not holds("Bool", "aws:SecureTransport", ("true",), {"aws:SecureTransport": "false"})
    assert not holds("Bool", "aws:SecureTransport", ("true",), {"aws:SecureTransport": "yes"})
    assert holds("Bool", "k:b", ("${k:flag}",), {"k:b": "true", "k:flag": "True"})


def test_binary() -> None:
    """§C.2: BinaryEquals compares base-64 decoded bytes."""
    assert holds("BinaryEquals", "k:b", ("QmluYXJ5",), {"k:b": "QmluYXJ5"})
    assert not holds("BinaryEquals", "k:b", ("QmluYXJ5",), {"k:b": "QmluYXJ6"})
    assert not holds("BinaryEquals", "k:b", ("QmluYXJ5",), {"k:b": "not base64!"})


@pytest.mark.parametrize(
    ("policy", "address", "expected"),
    [
        ("203.0.113.0/24", "203.0.113.7", True),
        ("203.0.113.0/24", "203.0.114.7", False),
        ("203.0.113.7", "203.0.113.7", True),
        ("203.0.113.7", "203.0.113.8", False),
        ("2001:db8::/32", "2001:db8:0:1::5", True),
        ("2001:db8::1", "2001:db8::1", True),
        ("2001:db8::/32", "203.0.113.7", False),
        ("203.0.113.0/24", "not-an-ip", False),
    ],
)
def test_ip_address(policy: str, address: str, expected: bool) -> None:
    """§C.2: CIDR containment, IPv4 and IPv6, a bare address is /32 or /128."""
    assert holds("IpAddress", "aws:SourceIp", (policy,), {"aws:SourceIp": address}) is expected
    assert holds("NotIpAddress", "aws:SourceIp", (policy,), {"aws:SourceIp": address}) is not expected


def test_arn_like_matches_per_field() -> None:
    """§B.3: the documented ArnLike vs StringLike example."""
    pattern = "arn:aws:someservice:*:111122223333:finance/*"
    value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    assert not holds("ArnLike", "aws:SourceArn", (pattern,), {"aws:SourceArn": value})
    assert holds("StringLike", "aws:SourceArn", (pattern,), {"aws:SourceArn": value})
    good = "arn:aws:someservice:us-east-2:111122223333:finance/a:b"
    assert holds("ArnLike", "aws:SourceArn", (pattern,), {"aws:SourceArn": good})
    assert holds("ArnEquals", "aws:SourceArn", (pattern,), {"aws:SourceArn": good})
    assert holds("ArnNotLike", "aws:SourceArn", (pattern,), {"aws:SourceArn": value})


def test_arn_operators_are_case_sensitive_and_need_six_fields() -> None:
    """§B.2/§B.3: ArnEquals/ArnLike are case-sensitive; a value without six fields matches nothing."""
    arn = "arn:aws:s3:::bucket"
    assert holds("ArnEquals", "aws:SourceArn", (arn,), {"aws:SourceArn": arn})
    assert not holds("ArnEquals", "aws:SourceArn", (arn,), {"aws:SourceArn": "arn:aws:s3:::Bucket"})
    assert not holds("ArnLike", "aws:SourceArn", ("arn:aws:s3",), {"aws:SourceArn": arn})
    assert not holds("ArnLike", "aws:SourceArn", ("arn:aws:s3:::*",), {"aws:SourceArn": "bucket"})


def test_arn_with_variable() -> None:
    """§D: variables in Arn values; the substituted text is literal."""
    pattern = "arn:aws:iam::111111111111:user/${aws:username}"
    context = {"aws:username": "alice", "aws:SourceArn": "arn:aws:iam::111111111111:user/alice"}
    assert holds("ArnLike", "aws:SourceArn", (pattern,), context)
    assert not holds("ArnLike", "aws:SourceArn", (pattern,), {**context, "aws:username": "a*"})


def test_unresolved_condition_variable_matches_nothing() -> None:
    """§D: the value matches nothing, so plain operators fail and negated ones hold."""
    assert not holds("StringEquals", "k:x", ("${aws:username}",), {"k:x": ""})
    assert holds("StringNotEquals", "k:x", ("${aws:username}",), {"k:x": ""})


def test_variables_are_not_substituted_before_2012() -> None:
    """§A.1: without Version 2012-10-17 the text is literal."""
    compiled = compile_condition(condition("StringEquals", "k:x", "${aws:username}"), variables=False)
    assert compiled.holds({"k:x": "${aws:username}"})
    assert not compiled.holds({"k:x": "alice", "aws:username": "alice"})


def test_parse_number() -> None:
    """§C.2: decimal text only."""
    assert parse_number("1.50") == Decimal("1.5")
    assert parse_number("Infinity") is None
    assert parse_number("1_000") is None


def test_trace_reports_values() -> None:
    """Explain mode: the trace carries the operator, key and values as written, and the outcome."""
    compiled = compile_condition(condition("StringEquals", "Aws:Foo", "a", "b"), variables=True)
    trace = compiled.trace({"aws:foo": ("b", "c")})
    assert (trace.operator, trace.key, trace.policy_values, trace.request_values, trace.passed) == (
        "StringEquals",
        "Aws:Foo",
        ("a", "b"),
        ("b", "c"),
        True,
    )
    assert compiled.trace({}).request_values is None
