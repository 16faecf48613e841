"""Wildcard matching is linear in the text (issue 11; spec §B.1, §B.2, §B.3, §C.2, §D).

IAM's ``*`` and ``?`` (UG: reference_policies_elements_resource.html, and the
StringLike/ArnLike rows of reference_policies_elements_condition_operators.html)
are matched without backtracking: these tests bound the character work the
matchers do on the worst patterns against the longest texts AWS allows (an S3
key of 1,024 characters, ARNs of 2,048), by counting steps rather than timing,
and check the fast matchers agree with the reference's plain dynamic programme.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from step_counting import CountingText

from iamsim._engine.conditions import arn_regex_source
from iamsim._engine.linear_match import parse_source
from iamsim._engine.reference.wildcards import (
    Pattern,
    Wildcard,
    confine_to_segments,
    literal_pattern,
    match,
    wildcard_pattern,
)
from iamsim._engine.variables import parse_template
from iamsim._engine.wildcards import (
    compile_glob,
    compile_glob_set,
    compile_regex_source,
    glob_regex_source,
    resource_regex_source,
)
from iamsim._policy.glob_algebra import covers, intersects, overlaps, tokens_of

S3_KEY_LIMIT = 1024
ARN_LIMIT = 2048

#: The issue's key: 1,024 characters of ``aaa/aaa/...``.
LONG_KEY = ("aaa/" * (S3_KEY_LIMIT // 4))[:S3_KEY_LIMIT]
LONG_OBJECT = "arn:aws:s3:::bucket/" + LONG_KEY
#: An ARN as long as IAM allows, full of the characters the patterns below look for.
LONG_ARN = ("arn:aws:s3:::" + "a:b/" * ARN_LIMIT)[:ARN_LIMIT]

#: Worst shapes: many runs with a tail that fails late, ``?`` mixed in, confined runs next to colons.
WORST_PATTERNS = [
    "arn:aws:s3:::*/*/*/*/*.csv",
    "arn:aws:s3:::*/*/*/*/*/*/*/*/*/*.csv",
    "*a*a*a*a*a*a*a*a*a*a*b",
    "*a?a*a?a*a?a*a?a*a?a*b",
    "arn:aws:s3:::*?*?*?*?*?*?*?*?*?*?x",
    "arn:aws:*:*:*:*a*a*a*a*a*a*b",
    "*:*:*:*:*:*:*:*:*:*:z",
    "arn:aws:s3:::a*:b*:a*:b*:a*:b*:q",
    "?*?*?*?*?*?*?*?*?*?*?*!",
]


def _bound(text: str, pattern: str) -> int:
    """O(len(text) x len(pattern)) with a small constant: the promise the matchers make."""
    return 4 * (len(text) + 1) * (len(pattern) + 1)


@pytest.mark.parametrize("pattern", WORST_PATTERNS)
@pytest.mark.parametrize("text", [LONG_OBJECT, LONG_ARN, LONG_OBJECT[:-4] + ".csv"], ids=["key", "arn", "csv"])
def test_glob_work_is_bounded_by_text_times_pattern(pattern: str, text: str) -> None:
    """§B.1/§C.2: a plain glob (actions, StringLike) does at most O(n*m) character work, matching or not."""
    counted = CountingText(text)
    compile_glob(pattern).matches(counted)
    assert counted.steps <= _bound(text, pattern)


@pytest.mark.parametrize("pattern", WORST_PATTERNS)
@pytest.mark.parametrize("text", [LONG_OBJECT, LONG_ARN, LONG_OBJECT[:-4] + ".csv"], ids=["key", "arn", "csv"])
def test_segment_confined_resource_work_is_bounded(pattern: str, text: str) -> None:
    """§B.2: Resource wildcards confined to ARN segments (UG: reference_policies_elements_resource.html)."""
    test = compile_regex_source(resource_regex_source([(pattern, True)]))
    counted = CountingText(text)
    test(counted)
    assert counted.steps <= _bound(text, pattern)


@pytest.mark.parametrize("pattern", [p for p in WORST_PATTERNS if p.count(":") >= 5])
def test_arn_like_work_is_bounded(pattern: str) -> None:
    """§B.3: ArnLike matches field by field; its confined fields cost no more than a glob."""
    source = arn_regex_source([(pattern, True)])
    assert source is not None
    counted = CountingText(LONG_ARN)
    compile_regex_source(source)(counted)
    assert counted.steps <= _bound(LONG_ARN, pattern)


def test_substituted_variable_pattern_work_is_bounded() -> None:
    """§D: a substituted variable value stays literal, and the pattern it builds stays linear."""
    template = parse_template("arn:aws:s3:::*/${aws:username}/*/*/*/*/*.csv")
    source = template.render_regex({"aws:username": "a*a?a"})
    assert source is not None
    counted = CountingText(LONG_OBJECT)
    assert compile_regex_source(source)(counted) is None
    assert counted.steps <= _bound(LONG_OBJECT, template.pieces[0].text + "a*a?a")


def test_glob_set_alternation_work_is_bounded() -> None:
    """§C.2: several StringLike values with ``?`` are tried one after another, each linear."""
    globs = compile_glob_set(WORST_PATTERNS)
    counted = CountingText(LONG_OBJECT)
    globs.matches(counted)
    assert counted.steps <= sum(_bound(LONG_OBJECT, pattern) for pattern in WORST_PATTERNS)


@pytest.mark.parametrize("pattern", WORST_PATTERNS)
def test_reference_work_is_bounded(pattern: str) -> None:
    """§B.2: the reference's dynamic programme reads the text at most once per pattern piece."""
    counted = CountingText(LONG_OBJECT)
    match(confine_to_segments(wildcard_pattern(pattern)), counted)
    assert counted.steps <= _bound(LONG_OBJECT, pattern)


@pytest.mark.parametrize("pattern", WORST_PATTERNS)
def test_linter_covers_work_is_bounded(pattern: str) -> None:
    """The linter's subsumption test (redundant statements) is a product-sized table, never more."""
    counted = CountingText(LONG_OBJECT)
    covers(pattern, counted)
    assert counted.steps <= _bound(LONG_OBJECT, pattern)


class _CountingTokens(tuple):  # type: ignore[type-arg]
    """Token tuple counting its element reads."""

    steps = 0

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        type(self).steps += 1
        return super().__getitem__(index)


@pytest.mark.parametrize("pattern", WORST_PATTERNS)
def test_linter_intersection_work_is_bounded(pattern: str) -> None:
    """The linter's overlap test (does a Resource fit an ARN format) visits each pair of positions once."""
    _CountingTokens.steps = 0
    left = _CountingTokens(tokens_of(pattern))
    right = _CountingTokens(tokens_of(LONG_ARN))
    intersects(left, right)
    assert _CountingTokens.steps <= _bound(LONG_ARN, pattern)
    assert overlaps(pattern, LONG_ARN) in (True, False)


def test_issue_example_decides_both_ways() -> None:
    """§B.2: the issue's pattern on a 1,024-character key: no ``.csv`` no match; with it, a match."""
    test = compile_regex_source(resource_regex_source([("arn:aws:s3:::*/*/*/*/*.csv", True)]))
    assert test(LONG_OBJECT) is None
    counted = CountingText(LONG_OBJECT[:-4] + ".csv")
    assert test(counted) is True
    # The count sees the work: confirming the match reads the whole key at least once.
    assert S3_KEY_LIMIT <= counted.steps <= _bound(counted, "arn:aws:s3:::*/*/*/*/*.csv")


def test_source_outside_the_subset_is_refused() -> None:
    """The matcher reads only the sources the library builds; other regex syntax is a programming error."""
    with pytest.raises(ValueError, match="unsupported syntax"):
        parse_source("a+b")


# --- agreement with the reference's dynamic programme -----------------------------------------

_ALPHABET = "ab:/*?"
_patterns = st.text(alphabet=_ALPHABET, max_size=12)
_texts = st.text(alphabet="ab:/.", max_size=16)


def _confined_everywhere(pattern: Pattern) -> Pattern:
    swap = {Wildcard.ANY_RUN: Wildcard.SEGMENT_RUN, Wildcard.ONE_CHAR: Wildcard.SEGMENT_CHAR}
    return tuple(swap.get(piece, piece) if isinstance(piece, Wildcard) else piece for piece in pattern)


@settings(max_examples=400)
@given(_patterns, _texts)
def test_glob_agrees_with_reference(pattern: str, text: str) -> None:
    """§B.1: the compiled glob decides exactly what the reference DP decides."""
    expected = match(wildcard_pattern(pattern), text)
    assert compile_glob(pattern).matches(text) is expected
    assert (compile_regex_source(glob_regex_source(pattern))(text) is not None) is expected


@settings(max_examples=400)
@given(_patterns, _texts)
def test_confined_glob_agrees_with_reference(pattern: str, text: str) -> None:
    """§B.3: wildcards that may not cross ``:`` (ArnLike fields) agree with the reference."""
    expected = match(_confined_everywhere(wildcard_pattern(pattern)), text)
    source = glob_regex_source(pattern, within_segment=True)
    assert (compile_regex_source(source)(text) is not None) is expected


@settings(max_examples=400)
@given(_patterns, _texts)
def test_resource_confinement_agrees_with_reference(pattern: str, text: str) -> None:
    """§B.2: a ``*`` ending its segment spans colons, every other wildcard stays in its segment."""
    expected = match(confine_to_segments(wildcard_pattern(pattern)), text)
    assert (compile_regex_source(resource_regex_source([(pattern, True)]))(text) is not None) is expected


@settings(max_examples=300)
@given(_patterns, st.text(alphabet=_ALPHABET, max_size=4), _patterns, _texts)
def test_substituted_value_stays_literal(before: str, value: str, after: str, text: str) -> None:
    """§D: a variable's value (even ``*`` or ``?``) is literal inside the pattern around it."""
    pattern = wildcard_pattern(before) + literal_pattern(value) + wildcard_pattern(after)
    expected = match(confine_to_segments(pattern), text)
    source = resource_regex_source([(before, True), (value, False), (after, True)])
    assert (compile_regex_source(source)(text) is not None) is expected
