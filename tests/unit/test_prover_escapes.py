"""The prover refuses texts z3 would read as escapes (issue 15; §B.1: IAM compares text character for character)."""

from __future__ import annotations

import pytest
import z3

from iamsim import PolicyKind, parse_policy
from iamsim._prover.encode import scan_keys
from iamsim._prover.unsupported import Unsupported


def test_z3_reads_backslash_u_as_an_escape() -> None:
    """The reason for the refusal: z3's string literal ``\\u{41}`` is the one character ``A``."""
    assert z3.simplify(z3.StringVal("\\u{41}") == z3.StringVal("A"))


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/\\u{41}"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringEquals": {"aws:username": "\\u0041"}}},
    ],
)  # fmt: skip
def test_a_backslash_u_text_is_not_encoded_b1(statement: dict[str, object]) -> None:
    """Encoded, ``\\u{41}`` and ``A`` would be one text to the solver and two to IAM: UNKNOWN, never PASS."""
    policy = parse_policy({"Version": "2012-10-17", "Statement": [statement]}, PolicyKind.IDENTITY)
    with pytest.raises(Unsupported, match="backslash-u"):
        scan_keys([policy])


def test_other_backslashes_are_encoded_as_text_b1() -> None:
    """``\\x41`` and ``\\n`` are literal to z3 too, so they stay encodable."""
    assert not z3.simplify(z3.StringVal("\\x41") == z3.StringVal("A"))
    policy = parse_policy(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/\\x41"}],
        },
        PolicyKind.IDENTITY,
    )
    scan_keys([policy])
