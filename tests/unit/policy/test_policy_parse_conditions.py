"""Condition blocks: shape, operators, value normalisation and validity (§A.5, §C.1–§C.3)."""

from __future__ import annotations

from typing import Any

import pytest

from iamsim._policy.model import Condition, SetQualifier
from iamsim._policy.parse import parse_policy
from iamsim.errors import MalformedPolicyDocumentError


def _conditions(block: Any) -> tuple[Condition, ...]:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": block}
    return parse_policy({"Version": "2012-10-17", "Statement": [statement]}).statements[0].conditions


def _reject(block: Any) -> MalformedPolicyDocumentError:
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        _conditions(block)
    return caught.value


def test_condition_structure_a5() -> None:
    """§A.5: ``{operator: {key: value-or-list}}``; one Condition per key, in document order."""
    conditions = _conditions(
        {
            "StringEquals": {"aws:PrincipalTag/team": "red", "s3:prefix": ["a/", "b/"]},
            "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": "env*"},
        }
    )
    assert conditions == (
        Condition("StringEquals", "StringEquals", None, False, "aws:PrincipalTag/team", ("red",)),
        Condition("StringEquals", "StringEquals", None, False, "s3:prefix", ("a/", "b/")),
        Condition(
            "ForAnyValue:StringLikeIfExists",
            "StringLike",
            SetQualifier.FOR_ANY_VALUE,
            True,
            "aws:TagKeys",
            ("env*",),
        ),
    )


def test_operator_is_kept_as_written_and_base_is_canonical_c1() -> None:
    """§C.1: operator names are case-insensitive; ``base`` is canonical, ``operator`` as written."""
    (condition,) = _conditions({"stringequalsignorecase": {"aws:username": "Bob"}})
    assert (condition.operator, condition.base) == ("stringequalsignorecase", "StringEqualsIgnoreCase")


def test_key_is_kept_as_written_c1() -> None:
    """§C.1: key names compare case-insensitively later; the parser keeps them as written."""
    (condition,) = _conditions({"IpAddress": {"AWS:SourceIP": "203.0.113.0/24"}})
    assert condition.key == "AWS:SourceIP"


def test_numbers_and_booleans_become_strings_a1() -> None:
    """§A.1: quotes are optional for numbers and booleans; values are compared as IAM's strings."""
    conditions = _conditions(
        {
            "NumericLessThan": {"s3:max-keys": [10, 2.50]},
            "Bool": {"aws:SecureTransport": True, "aws:MultiFactorAuthPresent": False},
            "DateGreaterThan": {"aws:EpochTime": 1700000000},
        }
    )
    assert [c.values for c in conditions] == [("10", "2.5"), ("true",), ("false",), ("1700000000",)]


def test_number_text_keeps_its_digits_in_json_text_a1() -> None:
    """§A.1: from JSON text a number keeps its digits as written (``2.50`` stays ``2.50``)."""
    text = (
        '{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",'
        ' "Condition": {"NumericEquals": {"s3:max-keys": 2.50}}}}'
    )
    assert parse_policy(text).statements[0].conditions[0].values == ("2.50",)


def test_empty_condition_block_means_no_conditions_a5() -> None:
    """§A.5: Condition is optional; an empty block adds nothing."""
    assert _conditions({}) == ()
    assert _conditions({"StringEquals": {}}) == ()


@pytest.mark.parametrize(
    "block",
    [
        [],
        "StringEquals",
        {"StringEquals": "aws:username"},
        {"StringEquals": ["aws:username"]},
        {"StringEquals": {"aws:username": None}},
        {"StringEquals": {"aws:username": {"nested": "x"}}},
        {"StringEquals": {"aws:username": []}},
        {"StringEquals": {"aws:username": ["a", None]}},
        {"StringEquals": {"aws:username": [["a"]]}},
    ],
)
def test_malformed_condition_blocks_are_syntax_errors_a5(block: Any) -> None:
    """§A.5: values are strings, numbers or booleans (or non-empty lists of them), never null or objects."""
    assert _reject(block).message == "Syntax errors in policy."


def test_condition_value_position_is_reported_a5() -> None:
    """§A.5: the pointer names the offending value (RFC 6901 escapes ``/`` in keys)."""
    error = _reject({"StringEquals": {"aws:RequestTag/team": ["ok", None]}})
    assert error.pointer == "/Statement/0/Condition/StringEquals/aws:RequestTag~1team/1"


@pytest.mark.parametrize("operator", ["StringEqual", "x", "StringEquals"])
def test_an_operator_without_keys_tests_nothing_a6(operator: str) -> None:
    """§A.6 (observed): IAM stores ``{"x": {}}``, an operator with no keys, known or not; no condition results."""
    assert _conditions({operator: {}}) == ()


@pytest.mark.parametrize("operator", ["StringEqual", "NullIfExists", "ForSome:StringLike", "Like"])
def test_unknown_operators_are_rejected_c1(operator: str) -> None:
    """§C.1/§C.2: only the catalog's operators; IfExists not on Null."""
    error = _reject({operator: {"aws:username": "x"}})
    assert error.message == f"Invalid Condition type : {operator}"
    assert error.pointer == f"/Statement/0/Condition/{operator}"


@pytest.mark.parametrize("key", ["username", ":username", ""])
def test_condition_keys_need_a_vendor_prefix_c1(key: str) -> None:
    """§C.1: condition keys are ``vendor:name``."""
    error = _reject({"StringEquals": {key: "x"}})
    assert error.message == "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."


@pytest.mark.parametrize(
    ("operator", "value"),
    [
        ("NumericEquals", "ten"),
        ("NumericLessThan", "${aws:MultiFactorAuthAge}"),
        ("DateGreaterThan", "yesterday"),
        ("DateLessThan", "2024-01-01T10:00"),
        ("IpAddress", "203.0.113.0/33"),
        ("NotIpAddressIfExists", "${aws:SourceIp}"),
        ("BinaryEquals", "%%%"),
        ("Bool", "yes"),
        ("Bool", 1),
        ("Null", "maybe"),
        ("Null", "${aws:x}"),
        ("ForAllValues:NumericEquals", "x"),
    ],
)
def test_values_must_fit_the_operator_family_c2(operator: str, value: Any) -> None:
    """§C.2: Numeric, Date, IP, Binary, Bool and Null values are checked; variables only in String/Arn/Bool."""
    error = _reject({operator: {"aws:key": value}})
    assert error.message.startswith("Invalid Condition value")


@pytest.mark.parametrize(
    ("operator", "value"),
    [
        ("StringLike", "${aws:username}/*"),
        ("ArnLike", "arn:aws:iam::${aws:PrincipalAccount}:role/*"),
        ("Bool", "${aws:SecureTransport}"),
        ("BoolIfExists", "TRUE"),
        ("Null", "true"),
        ("Null", False),
        ("IpAddress", ["203.0.113.0/24", "2001:db8::/32"]),
        ("DateLessThanEquals", "2030-01-01T00:00:00Z"),
        ("BinaryEquals", "QmluYXJ5"),
        ("NumericGreaterThanEquals", -3.5),
    ],
)
def test_valid_values_per_family_c2(operator: str, value: Any) -> None:
    """§C.2: each family's value forms are accepted."""
    assert len(_conditions({operator: {"aws:key": value}})) == 1


def test_bool_condition_value_is_validated_per_value_c2() -> None:
    """§C.2: every value in a list is checked."""
    error = _reject({"Bool": {"aws:SecureTransport": ["true", "nope"]}})
    assert error.pointer == "/Statement/0/Condition/Bool/aws:SecureTransport/1"
