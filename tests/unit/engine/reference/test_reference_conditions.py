"""Condition semantics of the reference evaluator (spec §C.1, §C.2, §C.3)."""

from __future__ import annotations

import pytest
from reference_builders import allowed_by_identity, cond, identity, request, stmt

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.result import Decision
from iamsim._policy.model import Condition

NEGATED = [
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "NumericNotEquals",
    "DateNotEquals",
    "NotIpAddress",
    "ArnNotEquals",
    "ArnNotLike",
]
PLAIN = [
    "StringEquals",
    "StringEqualsIgnoreCase",
    "StringLike",
    "NumericEquals",
    "NumericLessThan",
    "DateEquals",
    "DateGreaterThan",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "ArnEquals",
    "ArnLike",
]


def holds(*conditions: Condition, context: dict[str, object] | None = None) -> bool:
    """Whether a statement with these conditions allows a request with ``context``."""
    return allowed_by_identity(stmt(conditions=conditions), request(context=context))


def test_c1_key_names_are_case_insensitive() -> None:
    """§C.1: ``aws:SourceIP`` equals ``AWS:SourceIp``."""
    assert holds(cond("IpAddress", "AWS:SourceIp", "203.0.113.0/24"), context={"aws:SourceIP": "203.0.113.9"})


@pytest.mark.parametrize("operator", PLAIN)
def test_c1_missing_key_makes_plain_operator_false(operator: str) -> None:
    """§C.1: a non-negated condition on an absent key is false."""
    assert not holds(cond(operator, "test:Absent", "x"))


@pytest.mark.parametrize("operator", NEGATED)
def test_c1_missing_key_makes_negated_operator_true(operator: str) -> None:
    """§C.1: a negated condition on an absent key is true."""
    assert holds(cond(operator, "test:Absent", "x"))


@pytest.mark.parametrize("operator", PLAIN)
def test_c1_ifexists_on_missing_key_is_true(operator: str) -> None:
    """§C.1: ``...IfExists`` is true when the key is absent."""
    assert holds(cond(operator + "IfExists", "test:Absent", "x"))


def test_c1_ifexists_applies_the_base_operator_when_present() -> None:
    """§C.1: with the key present, ``StringEqualsIfExists`` is ``StringEquals``."""
    condition = cond("StringEqualsIfExists", "test:Key", "a")
    assert holds(condition, context={"test:key": "a"})
    assert not holds(condition, context={"test:key": "b"})


def test_c1_deny_with_negated_ifexists_still_denies_missing_key() -> None:
    """§C.1: Deny + ``StringNotEqualsIfExists`` denies a request without the key."""
    deny = stmt("Deny", conditions=(cond("StringNotEqualsIfExists", "test:Key", "a"),))
    result = evaluate_reference(PolicySet(identity=(identity(stmt(), deny),)), request())
    assert result.decision is Decision.EXPLICIT_DENY


@pytest.mark.parametrize(
    ("context", "wanted", "expected"),
    [
        ({}, "true", True),
        ({}, "false", False),
        ({"test:key": "v"}, "true", False),
        ({"test:key": "v"}, "false", True),
        ({"test:key": ""}, "true", True),
        ({"test:key": ""}, "false", False),
        ({"test:key": []}, "true", True),
        ({"test:key": []}, "false", False),
        ({"test:key": ["a"]}, "false", True),
    ],
)
def test_c1_null_tests_absence_and_empty_values(context: dict[str, object], wanted: str, expected: bool) -> None:
    """§C.1: ``Null`` true = absent or empty ("" or []), false = present and not empty."""
    assert holds(cond("Null", "test:Key", wanted), context=context) is expected


def test_c1_values_of_one_key_are_ored() -> None:
    """§C.1: several values for one key: any may match."""
    assert holds(cond("StringEquals", "test:Key", "a", "b"), context={"test:key": "b"})


def test_c1_negated_operator_values_are_nor() -> None:
    """§C.1 (current): a negated operator holds only if the value matches none of them."""
    condition = cond("StringNotEquals", "test:Key", "a", "b")
    assert not holds(condition, context={"test:key": "b"})
    assert holds(condition, context={"test:key": "c"})


def test_c1_keys_and_operators_are_anded() -> None:
    """§C.1: every key of every operator block must hold."""
    both = (cond("StringEquals", "test:A", "1"), cond("StringEquals", "test:B", "2"))
    assert holds(*both, context={"test:a": "1", "test:b": "2"})
    assert not holds(*both, context={"test:a": "1", "test:b": "3"})


def test_c3_multivalued_key_without_qualifier_plain_needs_some_match() -> None:
    """§C.3 (judgment): a plain operator holds when some request value matches."""
    assert holds(cond("StringEquals", "aws:TagKeys", "a"), context={"aws:TagKeys": ["x", "a"]})
    assert not holds(cond("StringEquals", "aws:TagKeys", "a"), context={"aws:TagKeys": ["x", "y"]})


def test_c3_multivalued_key_without_qualifier_negated_needs_no_match() -> None:
    """§C.3 (judgment): a negated operator holds when no request value matches."""
    assert not holds(cond("StringNotEquals", "aws:TagKeys", "a"), context={"aws:TagKeys": ["x", "a"]})
    assert holds(cond("StringNotEquals", "aws:TagKeys", "a"), context={"aws:TagKeys": ["x", "y"]})


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({"aws:TagKeys": ["a", "b"]}, True),
        ({"aws:TagKeys": ["a", "c"]}, False),
        ({}, True),
        ({"aws:TagKeys": []}, True),
        ({"aws:TagKeys": ""}, True),
    ],
)
def test_c3_forallvalues(context: dict[str, object], expected: bool) -> None:
    """§C.3: every request value must match; true when the key is absent, empty or ""."""
    assert holds(cond("ForAllValues:StringEquals", "aws:TagKeys", "a", "b"), context=context) is expected


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({"aws:TagKeys": ["c", "b"]}, True),
        ({"aws:TagKeys": ["c", "d"]}, False),
        ({}, False),
        ({"aws:TagKeys": []}, False),
        ({"aws:TagKeys": ""}, False),
    ],
)
def test_c3_foranyvalue(context: dict[str, object], expected: bool) -> None:
    """§C.3: some request value must match; false when the key is absent or empty."""
    assert holds(cond("ForAnyValue:StringEquals", "aws:TagKeys", "a", "b"), context=context) is expected


@pytest.mark.parametrize(
    ("patterns", "context", "expected"),
    [
        (("key1*",), {"aws:TagKeys": ["key1"]}, False),
        (("key1*",), {"aws:TagKeys": ["key2"]}, True),
        (("key1*",), {}, True),
        (("key1*", "key2*"), {"aws:TagKeys": ["key1", "key2"]}, False),
    ],
)
def test_c3_documented_forallvalues_stringnotlike_examples(
    patterns: tuple[str, ...], context: dict[str, object], expected: bool
) -> None:
    """§C.3 documented examples: Deny + ``ForAllValues:StringNotLike`` on ``aws:TagKeys``."""
    assert holds(cond("ForAllValues:StringNotLike", "aws:TagKeys", *patterns), context=context) is expected


def test_c3_foranyvalue_negated_applies_per_value() -> None:
    """§C.3: negation per request value, then ANY: one value outside the list suffices."""
    condition = cond("ForAnyValue:StringNotEquals", "aws:TagKeys", "a")
    assert holds(condition, context={"aws:TagKeys": ["a", "b"]})
    assert not holds(condition, context={"aws:TagKeys": ["a"]})


@pytest.mark.parametrize("empty", ["", []])
def test_c3_foranyvalue_negated_on_empty_value_is_false(empty: object) -> None:
    """§C.3: ForAnyValue is false for an empty value, even with a negated base operator."""
    assert not holds(cond("ForAnyValue:StringNotEquals", "aws:TagKeys", "a"), context={"aws:TagKeys": empty})


@pytest.mark.parametrize("empty", ["", []])
def test_c3_forallvalues_negated_on_empty_value_is_true(empty: object) -> None:
    """§C.3: ForAllValues is true for an empty value, even when "" would match the policy value."""
    assert holds(cond("ForAllValues:StringNotLike", "aws:TagKeys", "*"), context={"aws:TagKeys": empty})


def test_c3_forallvalues_mixed_partly_matching_request_is_false() -> None:
    """§C.3: ForAllValues:StringNotLike is false as soon as one value matches a pattern."""
    condition = cond("ForAllValues:StringNotLike", "aws:TagKeys", "key1*")
    assert not holds(condition, context={"aws:TagKeys": ["key2", "key1x"]})


def test_c3_foranyvalue_ifexists_on_missing_key_is_true() -> None:
    """§C.1/§C.3: ``IfExists`` makes an absent key true even under ``ForAnyValue``."""
    assert holds(cond("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", "a"))


@pytest.mark.parametrize(
    ("operator", "policy", "value", "expected"),
    [
        ("StringEquals", "Dev", "Dev", True),
        ("StringEquals", "Dev", "dev", False),
        ("StringEquals", "D*", "Dev", False),
        ("StringEqualsIgnoreCase", "DEV", "dev", True),
        ("StringNotEqualsIgnoreCase", "DEV", "dev", False),
        ("StringLike", "D?v*", "Devops", True),
        ("StringLike", "d*", "Dev", False),
        ("StringLike", "[D]ev", "Dev", False),
        ("StringLike", "[D]ev", "[D]ev", True),
        ("StringNotLike", "D*", "Dev", False),
    ],
)
def test_c2_string_family(operator: str, policy: str, value: str, expected: bool) -> None:
    """§C.2: Equals exact, IgnoreCase folded, Like case-sensitive glob with literal brackets."""
    assert holds(cond(operator, "test:Key", policy), context={"test:key": value}) is expected


@pytest.mark.parametrize(
    ("operator", "policy", "value", "expected"),
    [
        ("NumericEquals", "10", "10.0", True),
        ("NumericEquals", "10", "010", True),
        ("NumericLessThan", "10", "9.99", True),
        ("NumericLessThan", "10", "10", False),
        ("NumericLessThanEquals", "10", "10", True),
        ("NumericGreaterThan", "-1.5", "-1", True),
        ("NumericGreaterThanEquals", "3", "2", False),
        ("NumericNotEquals", "3", "3.000", False),
        ("NumericEquals", "1e3", "1000", True),
        ("NumericEquals", "10", "ten", False),
        ("NumericNotEquals", "10", "ten", True),
        ("NumericEquals", "NaN", "NaN", False),
    ],
)
def test_c2_numeric_family_compares_decimals(operator: str, policy: str, value: str, expected: bool) -> None:
    """§C.2: integers or decimals; a value that is not a number never matches."""
    assert holds(cond(operator, "test:Num", policy), context={"test:num": value}) is expected


@pytest.mark.parametrize(
    ("policy", "value"),
    [
        ("2020", "2020-01-01T00:00:00Z"),
        ("2020-03", "2020-03-01T00:00:00Z"),
        ("2020-03-04", "2020-03-04T00:00:00Z"),
        ("2020-03-04T05:06Z", "2020-03-04T05:06:00Z"),
        ("2020-03-04T05:06:07+01:00", "2020-03-04T04:06:07Z"),
        ("2020-03-04T05:06:07.5-02:30", "2020-03-04T07:36:07.50Z"),
        ("1577836800", "2020-01-01T00:00:00Z"),
    ],
)
def test_c2_dates_are_instants_from_w3c_forms_or_epoch(policy: str, value: str) -> None:
    """§C.2: the six W3C forms and epoch seconds compare as instants."""
    assert holds(cond("DateEquals", "test:When", policy), context={"test:when": value})


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("DateLessThan", "2019-12-31T23:59:59Z", True),
        ("DateLessThan", "2020-01-01T00:00:00Z", False),
        ("DateLessThanEquals", "2020-01-01T01:00:00+01:00", True),
        ("DateGreaterThan", "1577836801", True),
        ("DateGreaterThan", "2020-01-01T00:00:00.001Z", True),
        ("DateLessThanEquals", "2020-01-01T00:00:00.5+00:00", False),
        ("DateGreaterThanEquals", "2019", False),
        ("DateNotEquals", "2020-01-01", False),
        ("DateEquals", "2020-01-01T00:00", False),
        ("DateEquals", "yesterday", False),
        ("DateNotEquals", "2020-13-01", True),
    ],
)
def test_c2_date_comparisons(operator: str, value: str, expected: bool) -> None:
    """§C.2: date operators against ``2020-01-01T00:00:00Z``; unparseable values never match."""
    condition = cond(operator, "aws:CurrentTime", "2020-01-01T00:00:00Z")
    assert holds(condition, context={"aws:CurrentTime": value}) is expected


@pytest.mark.parametrize(
    ("policy", "value", "expected"),
    [("true", "TRUE", True), ("True", "true", True), ("false", "true", False), ("true", "yes", False)],
)
def test_c2_bool_is_case_insensitive(policy: str, value: str, expected: bool) -> None:
    """§C.2: ``Bool`` compares true/false in any letter case."""
    assert holds(cond("Bool", "aws:SecureTransport", policy), context={"aws:SecureTransport": value}) is expected


def test_c2_bool_accepts_python_booleans_in_context() -> None:
    """§C.2: a boolean context value is the string ``true``."""
    assert holds(cond("Bool", "aws:MultiFactorAuthPresent", "true"), context={"aws:MultiFactorAuthPresent": True})


@pytest.mark.parametrize(
    ("policy", "value", "expected"),
    [("QUJD", "QUJD", True), ("QUJD", "QUJE", False), ("QUJD", "not base64!", False), ("AAA=", "AAA=", True)],
)
def test_c2_binaryequals_compares_decoded_bytes(policy: str, value: str, expected: bool) -> None:
    """§C.2: ``BinaryEquals`` compares base-64 decoded bytes."""
    assert holds(cond("BinaryEquals", "test:Bin", policy), context={"test:bin": value}) is expected


@pytest.mark.parametrize(
    ("operator", "policy", "value", "expected"),
    [
        ("IpAddress", "203.0.113.0/24", "203.0.113.200", True),
        ("IpAddress", "203.0.113.0/24", "203.0.114.1", False),
        ("IpAddress", "203.0.113.7", "203.0.113.7", True),
        ("IpAddress", "203.0.113.7", "203.0.113.8", False),
        ("IpAddress", "2001:db8::/32", "2001:db8:1::5", True),
        ("IpAddress", "2001:db8::1", "2001:db8::1", True),
        ("IpAddress", "2001:db8::1", "2001:db8::2", False),
        ("IpAddress", "::/0", "203.0.113.7", False),
        ("NotIpAddress", "203.0.113.0/24", "198.51.100.1", True),
        ("NotIpAddress", "203.0.113.0/24", "not-an-ip", True),
        ("IpAddress", "203.0.113.0/24", "not-an-ip", False),
    ],
)
def test_c2_ip_containment(operator: str, policy: str, value: str, expected: bool) -> None:
    """§C.2: CIDR containment for IPv4 and IPv6; bare addresses are /32 and /128."""
    assert holds(cond(operator, "aws:SourceIp", policy), context={"aws:SourceIp": value}) is expected


@pytest.mark.parametrize(
    ("operator", "policy", "value", "expected"),
    [
        ("ArnEquals", "arn:aws:sns:us-east-1:111111111111:topic", "arn:aws:sns:us-east-1:111111111111:topic", True),
        ("ArnEquals", "arn:aws:sns:*:111111111111:*", "arn:aws:sns:eu-west-1:111111111111:t", True),
        ("ArnLike", "arn:aws:sns:*:111111111111:*", "arn:aws:sns:eu-west-1:222222222222:t", False),
        ("ArnLike", "arn:aws:s3:::b/*", "arn:aws:s3:::b/x:y", True),
        ("ArnLike", "arn:aws:s3:::B/*", "arn:aws:s3:::b/x", False),
        ("ArnLike", "arn:aws:s3:::b/*", "not-an-arn", False),
        ("ArnNotLike", "arn:aws:s3:::b/*", "not-an-arn", True),
        ("ArnNotEquals", "arn:aws:s3:::b/*", "arn:aws:s3:::b/x", False),
        ("ArnLike", "arn:aws:s?:::b", "arn:aws:s3:::b", True),
    ],
)
def test_b3_arn_operators_glob_each_of_six_fields(operator: str, policy: str, value: str, expected: bool) -> None:
    """§B.3: Arn* split both values into six fields, each a case-sensitive glob."""
    assert holds(cond(operator, "aws:SourceArn", policy), context={"aws:SourceArn": value}) is expected


def test_c2_unknown_operator_never_holds() -> None:
    """§C.2: an operator IAM does not know cannot grant anything."""
    assert not holds(cond("StringSortOf", "test:Key", "a"), context={"test:key": "a"})
