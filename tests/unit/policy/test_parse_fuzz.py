"""Property tests of the parser: hostile input fails cleanly; valid policies round-trip.

§A.1: whatever the input, ``parse_policy`` either returns a policy or raises
``MalformedPolicyDocumentError``; never a KeyError, TypeError, RecursionError…
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._policy.render import render_policy
from iamsim.errors import MalformedPolicyDocumentError

KINDS = st.sampled_from(list(PolicyKind))

# Keys the parser looks for, so random documents reach deep into its checks.
_KNOWN_KEYS = [
    "Version",
    "Id",
    "Statement",
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "AWS",
    "Service",
    "Federated",
    "CanonicalUser",
    "StringEquals",
    "ForAnyValue:StringLike",
    "NumericLessThanIfExists",
    "Bool",
    "Null",
    "aws:username",
]
_KNOWN_STRINGS = ["Allow", "Deny", "2012-10-17", "2008-10-17", "*", "s3:GetObject", "arn:aws:s3:::b", "true", "10"]

_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.sampled_from(_KNOWN_STRINGS)
_keys = st.sampled_from(_KNOWN_KEYS) | st.text(max_size=12) | st.integers(0, 3)
json_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=6),
    max_leaves=40,
)


def _parse_or_malformed(document: Any, kind: PolicyKind) -> None:
    """Parse; a MalformedPolicyDocument must still be well formed itself (message, sane position)."""
    failure: MalformedPolicyDocumentError | None = None
    try:
        parse_policy(document, kind, check_size=False)
    except MalformedPolicyDocumentError as error:
        failure = error
    if failure is not None:
        assert failure.message
        assert failure.line is None or failure.line >= 1
        assert failure.column is None or failure.column >= 1


@given(json_values, KINDS)
def test_arbitrary_json_values_only_raise_malformed_policy(value: Any, kind: PolicyKind) -> None:
    """§A.1: any JSON value, as a mapping or as text, parses or is a MalformedPolicyDocument."""
    _parse_or_malformed(value, kind)
    _parse_or_malformed(json.dumps(value), kind)


@given(st.dictionaries(_keys, json_values, max_size=4), KINDS)
def test_policy_shaped_documents_only_raise_malformed_policy(value: dict[str, Any], kind: PolicyKind) -> None:
    """§A.1: documents built from the policy's own keys reach the element checks; still only Malformed."""
    document = {"Version": "2012-10-17", "Statement": [value, {**value, "Effect": "Allow"}]}
    _parse_or_malformed(document, kind)
    _parse_or_malformed(json.dumps(document), kind)


@given(st.text(), KINDS)
def test_arbitrary_text_only_raises_malformed_policy(text: str, kind: PolicyKind) -> None:
    """§A.1: arbitrary text is never a crash."""
    _parse_or_malformed(text, kind)


@given(st.binary(), KINDS)
def test_arbitrary_bytes_only_raise_malformed_policy(data: bytes, kind: PolicyKind) -> None:
    """§A.1: arbitrary bytes (invalid UTF-8 included) are never a crash."""
    _parse_or_malformed(data, kind)


# --- round trip of generated valid policies --------------------------------------------------------

_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*?", min_size=1, max_size=10)
_actions = st.sampled_from(["*", "s3:GetObject", "iam:*", "ec2:Describe*"]) | st.builds(
    lambda vendor, name: f"{vendor}:{name}", st.sampled_from(["s3", "iam", "sts", "kms"]), _names
)
_resources = st.sampled_from(["*", "arn:aws:sqs", "arn:aws:s3:::b/${aws:username}/*"]) | st.builds(
    lambda name: f"arn:aws:s3:::{name}", _names
)
_latin_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2FF), max_size=12)

# (operator spellings, value strategy) per family; values stay in forms the family accepts.
_FAMILIES: list[tuple[list[str], st.SearchStrategy[Any]]] = [
    (
        ["StringEquals", "stringlike", "ForAnyValue:StringNotLike", "StringEqualsIgnoreCaseIfExists"],
        _latin_text | st.integers() | st.booleans(),
    ),
    (["ArnLike", "ForAllValues:ArnNotEquals"], _resources),
    (["NumericLessThan", "NumericEqualsIfExists"], st.integers() | st.sampled_from(["1.5", "-2", "1e3"])),
    (["DateGreaterThan", "DATELESSTHANEQUALS"], st.sampled_from(["2024-01-01T00:00:00Z", "2024-06", "1700000000"])),
    (["Bool", "BoolIfExists"], st.booleans() | st.sampled_from(["TRUE", "false", "${aws:SecureTransport}"])),
    (["IpAddress", "NotIpAddressIfExists"], st.sampled_from(["203.0.113.0/24", "10.1.2.3", "2001:db8::/32"])),
    (["BinaryEquals"], st.sampled_from(["QmluYXJ5", "AAEC"])),
    (["Null"], st.booleans() | st.sampled_from(["true", "false"])),
]


@st.composite
def _condition_blocks(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    block: dict[str, dict[str, Any]] = {}
    for _ in range(draw(st.integers(0, 3))):
        spellings, values = draw(st.sampled_from(_FAMILIES))
        operator = draw(st.sampled_from(spellings))
        keys = draw(
            st.lists(st.sampled_from(["aws:username", "aws:TagKeys", "s3:prefix", "aws:RequestTag/a b"]), max_size=3)
        )
        block[operator] = {key: draw(values | st.lists(values, min_size=1, max_size=3)) for key in keys}
    return block


def _one_or_list(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return strategy | st.lists(strategy, min_size=1, max_size=3)


@st.composite
def _statements(draw: st.DrawFn, index: int, resource_policy: bool) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Deny"]))}
    if draw(st.booleans()):
        statement["Sid"] = f"S{index}"
    statement[draw(st.sampled_from(["Action", "NotAction"]))] = draw(_one_or_list(_actions))
    if not resource_policy or draw(st.booleans()):
        statement[draw(st.sampled_from(["Resource", "NotResource"]))] = draw(_one_or_list(_resources))
    if resource_policy:
        statement["Principal"] = draw(
            st.just("*")
            | st.fixed_dictionaries(
                {},
                optional={
                    "AWS": _one_or_list(st.sampled_from(["*", "111122223333", "arn:aws:iam::111122223333:role/r"])),
                    "Service": _one_or_list(st.sampled_from(["ec2.amazonaws.com", "s3.amazonaws.com"])),
                },
            ).filter(bool)
        )
    if draw(st.booleans()):
        statement["Condition"] = draw(_condition_blocks())
    return statement


@st.composite
def valid_documents(draw: st.DrawFn) -> tuple[dict[str, Any], PolicyKind]:
    kind = draw(st.sampled_from([PolicyKind.IDENTITY, PolicyKind.RESOURCE, PolicyKind.SCP]))
    count = draw(st.integers(1, 4))
    statements = [draw(_statements(index, kind is PolicyKind.RESOURCE)) for index in range(count)]
    document: dict[str, Any] = {"Statement": statements if count > 1 or draw(st.booleans()) else statements[0]}
    version = draw(st.sampled_from(["2012-10-17", "2008-10-17", None]))
    if version is not None:
        document["Version"] = version
    if kind is PolicyKind.RESOURCE and draw(st.booleans()):
        document["Id"] = draw(_latin_text)
    return document, kind


@given(valid_documents())
def test_generated_policies_round_trip_through_render(case: tuple[dict[str, Any], PolicyKind]) -> None:
    """``parse(render(p)) == p``, rendering is idempotent, and text and mapping input agree."""
    document, kind = case
    policy = parse_policy(document, kind, check_size=False)
    text = render_policy(policy)
    again = parse_policy(text, kind, check_size=False)
    assert again == policy
    assert render_policy(again) == text
    assert parse_policy(json.dumps(document), kind, check_size=False) == policy
