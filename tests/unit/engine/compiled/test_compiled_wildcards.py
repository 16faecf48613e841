"""IAM globs (spec §B.1, §B.2): only ``*`` and ``?`` are wildcards, everything else is literal."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamsim._engine.wildcards import (
    GlobKind,
    compile_glob,
    compile_glob_set,
    glob_regex_source,
    has_wildcards,
    is_match_all,
)


@pytest.mark.parametrize(
    ("pattern", "kind"),
    [
        ("s3:GetObject", GlobKind.EXACT),
        ("*", GlobKind.ANY),
        ("***", GlobKind.ANY),
        ("s3:Get*", GlobKind.PREFIX),
        ("*Object", GlobKind.SUFFIX),
        ("*Obj*", GlobKind.CONTAINS),
        ("arn:aws:s3:::b/*/test/*", GlobKind.SEGMENTS),
        ("s3:Get?bject", GlobKind.REGEX),
    ],
)
def test_pattern_shapes_pick_the_cheapest_test(pattern: str, kind: GlobKind) -> None:
    """§B.1: each shape of glob is compiled to its own kind of test."""
    assert compile_glob(pattern).kind is kind


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        # §B.2: `*` spans `/`; the doc's own example.
        ("arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B//test/object.jpg", True),
        ("arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/1/test/", True),
        ("arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/test/object.jpg", False),
        ("arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/1/2/test.jpg", False),
        # `*` spans `:` in resources (whole-ARN match).
        ("arn:aws:sqs:*", "arn:aws:sqs:us-east-1:111111111111:q", True),
        # `?` is exactly one character.
        ("a?c", "abc", True),
        ("a?c", "ac", False),
        ("a?c", "abbc", False),
        ("??", "é/", True),
        # `*` matches the empty run and newlines.
        ("a*b", "ab", True),
        ("a*b", "a\nb", True),
        ("a*a", "a", False),
        ("a*a", "aa", True),
        # `[`, `]` and `\` are literals, not character classes or escapes.
        ("file[1].txt", "file[1].txt", True),
        ("file[1].txt", "file1.txt", False),
        ("file[12]*", "file1x", False),
        ("file[12]*", "file[12]x", True),
        ("a\\*b", "a\\xb", True),
        ("a\\*b", "a*b", False),
        ("a.c*", "abcd", False),
        ("(x)+?", "(x)+y", True),
    ],
)
def test_iam_glob_semantics(pattern: str, text: str, expected: bool) -> None:
    """§B.1/§B.2: `*` any run (incl. `/`, `:`), `?` one char, brackets and backslashes literal."""
    assert compile_glob(pattern).matches(text) is expected
    assert compile_glob_set([pattern]).matches(text) is expected
    assert compile_glob_set([pattern, "zzz-never"]).matches(text) is expected


def test_resource_globs_are_case_sensitive() -> None:
    """§B.2: resource matching is case sensitive."""
    assert not compile_glob("arn:aws:s3:::Bucket/*").matches("arn:aws:s3:::bucket/x")


def test_action_globs_ignore_case_when_text_is_lowercased() -> None:
    """§B.1: `iam:ListAccessKeys` equals `IAM:listaccesskeys`; the pattern is lowercased at compile time."""
    glob = compile_glob("IAM:List*Keys", ignore_case=True)
    assert glob.matches("iam:listaccesskeys")
    assert compile_glob_set(["IAM:ListAccessKeys"], ignore_case=True).matches("iam:listaccesskeys")


def test_within_segment_wildcards_do_not_cross_colons() -> None:
    """§B.3: Arn operators match per field, so `*` stops at `:` there."""
    source = glob_regex_source("a*b", within_segment=True)
    assert re.fullmatch(source, "axxb")
    assert not re.fullmatch(source, "ax:xb")


def test_glob_set_mixes_every_shape() -> None:
    """§B.1: values of one element are ORed."""
    globs = compile_glob_set(["exact", "pre*", "*suf", "*mid*", "a*b*c", "q?q"])
    for text in ("exact", "prefix", "the-suf", "xmidx", "aXbYc", "qxq"):
        assert globs.matches(text), text
    for text in ("exactly", "xpre", "sufx", "mi", "acb", "qq"):
        assert not globs.matches(text), text


def test_empty_glob_set_matches_nothing() -> None:
    """An element with no values lists nothing."""
    assert not compile_glob_set([]).matches("anything")


def test_helpers() -> None:
    """`has_wildcards` and `is_match_all` recognise only `*` and `?`."""
    assert has_wildcards("a?")
    assert has_wildcards("*")
    assert not has_wildcards("[a]\\")
    assert is_match_all("**")
    assert not is_match_all("")
    assert not is_match_all("*a")


def _reference_match(pattern: str, text: str) -> bool:
    """Dynamic programming over the glob: the definition, not an optimisation."""
    width = len(text)
    reachable = [True] + [False] * width
    for char in pattern:
        if char == "*":
            for i in range(1, width + 1):
                reachable[i] = reachable[i] or reachable[i - 1]
        else:
            reachable = [False] + [reachable[i] and (char == "?" or char == text[i]) for i in range(width)]
    return reachable[width]


_ALPHABET = st.sampled_from(list("ab*?/:[]\\."))


@given(st.text(_ALPHABET, max_size=8), st.text(st.sampled_from(list("ab/:[]\\.*?")), max_size=10))
def test_compiled_globs_agree_with_the_definition(pattern: str, text: str) -> None:
    """§B.1/§B.2: every compiled shape agrees with a from-scratch glob definition."""
    expected = _reference_match(pattern, text)
    assert compile_glob(pattern).matches(text) is expected
    assert compile_glob_set([pattern, "never-matches-\x00"]).matches(text) is expected
