"""One explanation renderer (issue 12): the CLI, policy test reports, the plugin and ``iamsim.testing`` say it alike.

The texts are pinned: users read them in CI logs and grep them, so a change is a decision.
"""

from __future__ import annotations

import iamsim
import iamsim.policytests
import iamsim.policytests.explain
import iamsim.testing
from iamsim import _explain

ALICE = "arn:aws:iam::111122223333:user/alice"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadLogs",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::logs/*",
            "Condition": {
                "StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-west-2"]},
                "Bool": {"aws:SecureTransport": "true"},
            },
        },
        {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
    ],
}


def test_every_reader_uses_the_one_renderer() -> None:
    """The assertion helpers, the policy-test API and the CLI's import all name the same functions."""
    assert iamsim.testing.describe_result is _explain.describe_result
    assert iamsim.policytests.explain_lines is _explain.explain_lines
    assert iamsim.policytests.explain.assumption_lines is _explain.assumption_lines


def test_failed_conditions_are_shown_with_both_sides_C1_F1() -> None:
    """§C.1 (a missing key fails a non-IfExists test) and §F.1 step 4 (no Allow: implicit deny), in words."""
    result = iamsim.evaluate(
        ALICE,
        "s3:GetObject",
        "arn:aws:s3:::logs/a",
        identity=[POLICY],
        context={"aws:RequestedRegion": "us-east-1"},
        explain=True,
    )
    assert _explain.describe_result(result).splitlines() == [
        f"request: {ALICE} -> s3:GetObject on arn:aws:s3:::logs/a",
        "decision: implicitDeny",
        f"User: {ALICE} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::logs/a"
        " because no identity-based policy allows the s3:GetObject action",
        "no statement allows this request",
        "statements whose conditions did not hold:",
        '  - Allow statement 0 (Sid "ReadLogs") of identity-based policy "identity1"',
        "      StringEquals aws:RequestedRegion: policy wants ['eu-west-1', 'eu-west-2'], request has 'us-east-1'"
        " -> FAILED",
        "      Bool aws:SecureTransport: policy wants 'true', request has (absent from the request) -> FAILED",
        "other statements: 2 action not matched",
        "decision steps:",
        "  1. no matching Deny statement",
        "  2. implicit deny: no identity-based policy allows the request",
        "missing context keys: aws:SecureTransport",
    ]


def test_an_explicit_deny_names_its_statement_F1() -> None:
    """§F.1 step 1: an explicit Deny decides, and the determining statement is named by index and Sid."""
    result = iamsim.evaluate(ALICE, "s3:DeleteObject", "arn:aws:s3:::logs/a", identity=[POLICY], explain=True)
    assert _explain.explain_lines(result) == [
        f"User: {ALICE} is not authorized to perform: s3:DeleteObject on resource: arn:aws:s3:::logs/a"
        " with an explicit deny in an identity-based policy",
        "determining statements:",
        '  - Deny statement 1 (Sid "NoDelete") of identity-based policy "identity1"',
        "other statements: 2 action not matched",
        "decision steps:",
        "  1. explicit deny in identity-based policy",
        '  2. denied by Deny statement 1 (Sid "NoDelete") of identity-based policy "identity1"',
    ]


def test_without_a_trace_only_the_decision_is_told_F1() -> None:
    """§F.1: a result evaluated without ``explain`` still says what decided it, with no trace sections."""
    result = iamsim.evaluate(ALICE, "ec2:RunInstances", identity=[POLICY])
    assert _explain.explain_lines(result) == [
        f"User: {ALICE} is allowed to perform: ec2:RunInstances",
        "determining statements:",
        '  - Allow statement 2 of identity-based policy "identity1"',
    ]
