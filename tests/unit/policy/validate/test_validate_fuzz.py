"""§A.1: whatever the input and the kind, validation returns a report; it never raises."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from iamsim._policy.findings import Severity, ValidationReport
from iamsim._policy.model import PolicyKind
from iamsim._policy.validate import PolicyValidator

VALIDATOR = PolicyValidator()
KINDS = st.sampled_from(list(PolicyKind))

_KEYS = [
    "Version",
    "Statement",
    "Sid",
    "Effect",
    "Principal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "AWS",
    "Service",
    "StringEquals",
    "ForAllValues:StringLike",
    "NumericLessThan",
    "IpAddress",
    "aws:SourceIp",
    "aws:TagKeys",
    "s3:prefix",
]
_STRINGS = [
    "Allow",
    "Deny",
    "2012-10-17",
    "*",
    "s3:GetObject",
    "s3:Get*",
    "iam:PassRole",
    "sts:AssumeRole",
    "arn:aws:s3:::b/*",
    "arn:aws:iam::111122223333:role/r",
    "ec2.amazonaws.com",
    "10.0.0.0/8",
    "${aws:username}",
]
_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.sampled_from(_STRINGS)
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)
# Statement-shaped documents reach the checks that run only after a successful parse.
_statement = st.fixed_dictionaries(
    {"Effect": st.sampled_from(["Allow", "Deny"])},
    optional={
        "Action": st.sampled_from(_STRINGS) | st.lists(st.sampled_from(_STRINGS), min_size=1, max_size=3),
        "Resource": st.sampled_from(_STRINGS) | st.lists(st.sampled_from(_STRINGS), min_size=1, max_size=3),
        "Principal": st.sampled_from(["*", {"AWS": "*"}, {"Service": "ec2.amazonaws.com"}]),
        "Condition": st.dictionaries(
            st.sampled_from(["StringEquals", "ForAnyValue:StringLike", "IpAddress", "Null", "Bool"]),
            st.dictionaries(
                st.sampled_from(["aws:SourceIp", "aws:TagKeys", "s3:prefix", "aws:SecureTransport"]),
                st.sampled_from(["true", "10.0.0.0/8", "x"]),
                min_size=1,
                max_size=2,
            ),
            max_size=2,
        ),
    },
)
_policies = st.fixed_dictionaries(
    {"Statement": st.lists(_statement, min_size=1, max_size=4)},
    optional={"Version": st.sampled_from(["2012-10-17", "2008-10-17"])},
)


def _check(report: ValidationReport, kind: PolicyKind) -> None:
    assert report.kind is kind
    for finding in report.findings:
        assert isinstance(finding.severity, Severity)
        assert finding.pointer == "" or finding.pointer.startswith("/")
    json.dumps(report.to_dict())


@given(_json, KINDS)
def test_a1_any_json_value_gives_a_report(value: Any, kind: PolicyKind) -> None:
    _check(VALIDATOR.validate(json.dumps(value), kind), kind)
    if isinstance(value, dict):
        _check(VALIDATOR.validate(value, kind), kind)


@given(st.text(max_size=200) | st.binary(max_size=100), KINDS)
def test_a1_any_text_or_bytes_gives_a_report(document: str | bytes, kind: PolicyKind) -> None:
    _check(VALIDATOR.validate(document, kind), kind)


@given(_policies, KINDS)
def test_a1_policy_shaped_documents_give_a_report_with_positions(document: dict[str, Any], kind: PolicyKind) -> None:
    report = VALIDATOR.validate(json.dumps(document, indent=1), kind)
    _check(report, kind)
    assert all(f.line is not None and f.column is not None for f in report.findings)
