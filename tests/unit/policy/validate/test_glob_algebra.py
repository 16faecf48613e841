"""Pattern-to-pattern wildcard questions (§B.1, §B.2): ``*`` and ``?`` only, ``*`` spans ``/`` and ``:``."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamsim._policy.glob_algebra import covers, intersects, overlaps, tokens_of


def _matches(pattern: str, text: str) -> bool:
    """A plain reference matcher for the properties below (IAM wildcards, all else literal)."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL) is not None


@pytest.mark.parametrize(
    ("general", "specific"),
    [
        ("*", "anything"),
        ("s3:*", "s3:GetObject"),
        ("s3:Get*", "s3:Get*Acl"),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*"),
        ("a?c", "abc"),
        ("a*", "a?"),
        ("[x]*", "[x]y"),
    ],
)
def test_b1_covers(general: str, specific: str) -> None:
    assert covers(general, specific)


@pytest.mark.parametrize(
    ("general", "specific"),
    [("s3:Get*", "s3:*"), ("a?c", "a*c"), ("abc", "ab?"), ("arn:aws:s3:::b/*", "arn:aws:s3:::b"), ("[ab]", "a")],
)
def test_b1_does_not_cover(general: str, specific: str) -> None:
    assert not covers(general, specific)


def test_b1_case_folding_is_opt_in() -> None:
    assert not covers("s3:get*", "s3:GetObject")
    assert covers("s3:get*", "s3:GetObject", fold_case=True)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [("a*", "*b", True), ("a*", "b*", False), ("a?c", "*c", True), ("ab", "a", False), ("*x*", "y", False)],
)
def test_b2_overlaps(left: str, right: str, expected: bool) -> None:
    assert overlaps(left, right) is expected
    assert intersects(tokens_of(left), tokens_of(right)) is expected


_PATTERNS = st.text(alphabet="ab*?", max_size=6)
_TEXTS = st.text(alphabet="ab", max_size=7)


@given(_PATTERNS, _PATTERNS, _TEXTS)
def test_b1_covers_is_sound(general: str, specific: str, text: str) -> None:
    """When ``covers`` says yes, every string the specific pattern matches, the general one matches."""
    if covers(general, specific) and _matches(specific, text):
        assert _matches(general, text)


@given(_PATTERNS, _PATTERNS, _TEXTS)
def test_b2_overlaps_agrees_with_a_common_witness(left: str, right: str, text: str) -> None:
    """A string both patterns match proves they overlap."""
    if _matches(left, text) and _matches(right, text):
        assert overlaps(left, right)


@given(_PATTERNS, _TEXTS)
def test_b2_overlaps_with_a_literal_is_matching(pattern: str, text: str) -> None:
    assert overlaps(pattern, text) is _matches(pattern, text)
