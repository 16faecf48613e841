"""The standard decoder reads policy text as the positioned reader would (§A.1); positions come on demand (issue 16).

AWS's "IAM JSON policy grammar" page (docs.aws.amazon.com/IAM/latest/UserGuide/
reference_policies_grammar.html) requires valid JSON and, per §A.1, a key at most
once per object. ``read_json`` decodes with ``json.loads`` and reads the text
again with positions only for an error, a finding or a statement's span.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from iamsim._policy.jsontext import MAX_DEPTH, SYNTAX_ERROR, read_json
from iamsim._policy.limits import check_characters
from iamsim._policy.model import PolicyKind, Span
from iamsim._policy.parse import parse_policy
from iamsim.errors import MalformedPolicyDocumentError

POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {
      "Effect": "Deny",
      "Action": ["s3:*"],
      "Resource": "arn:aws:s3:::b/*",
      "Condition": {"NumericLessThan": {"s3:max-keys": 10.50}}
    }
  ]
}"""


def _error(text: str, max_depth: int = MAX_DEPTH) -> MalformedPolicyDocumentError:
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        read_json(text, max_depth=max_depth)
    return caught.value


def test_statement_spans_are_located_when_asked_a1() -> None:
    """§A.1: a statement parsed from text still knows where it stands (lines and columns of its braces)."""
    policy = parse_policy(POLICY, PolicyKind.IDENTITY)
    first, second = policy.statements
    assert first.span == Span(4, 5, 4, 66)
    assert second.span == Span(5, 5, 10, 5)


def test_lazy_spans_equal_the_positioned_readers_a1() -> None:
    """§A.1: spans located on demand are those of reading with positions; the value is the same either way."""
    document = read_json(POLICY)
    assert document.value == json.loads(POLICY, parse_float=Decimal, parse_int=Decimal)
    assert document.span_at("/Statement/1/Action/0") == Span(7, 18, 7, 23)
    assert document.locate("/Statement/1/Nowhere") == (5, 5)


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ('{"a": 1, "a": 2}', f'{SYNTAX_ERROR} Duplicate key "a".', (1, 10)),
        ('{"a": [NaN]}', SYNTAX_ERROR, (1, 8)),
        ('{"a": -Infinity}', SYNTAX_ERROR, (1, 7)),
        ('{"a": ' + "1" * 101 + "}", f"{SYNTAX_ERROR} Number longer than 100 characters.", (1, 7)),
        ("\ufeff{}", SYNTAX_ERROR, (1, 1)),
        ('{"a": "\x01"}', SYNTAX_ERROR, (1, 7)),
    ],
)
def test_refused_text_gets_the_positioned_error_a1(text: str, message: str, position: tuple[int, int]) -> None:
    """§A.1: what ``json.loads`` accepts but IAM does not, and invalid JSON, fail with AWS's message and place."""
    error = _error(text)
    assert error.message == message
    assert (error.line, error.column) == position


def test_many_brackets_but_shallow_nesting_is_accepted_a1() -> None:
    """Brackets beyond the cap, side by side or inside strings, are not nesting."""
    text = "[" + ", ".join(["[]"] * (MAX_DEPTH * 2)) + ', "' + "[{" * MAX_DEPTH + '"]'
    value = read_json(text).value
    assert isinstance(value, list)
    assert len(value) == MAX_DEPTH * 2 + 1


def test_nesting_one_past_the_cap_is_refused_after_decoding_a1() -> None:
    """A text ``json.loads`` decodes but nested one level past the cap (in an object) is refused with position."""
    depth = 10
    text = '{"a": ' * (depth + 1) + "1" + "}" * (depth + 1)
    assert read_json('{"a": ' * depth + "1" + "}" * depth, max_depth=depth).value is not None
    error = _error(text, max_depth=depth)
    assert "Nesting deeper than 10 levels" in error.message
    assert (error.line, error.column) == (1, 6 * depth + 1)


def test_policy_nested_past_the_cap_is_refused_for_nesting_a1() -> None:
    """§A.1: ``parse_policy`` checks nesting only when the grammar refuses a text, and still reports the nesting.

    A valid policy nests six levels at most, so the check waits; a text nested past the cap is refused
    with the positioned reader's message, exactly as :func:`read_json` refuses it.
    """
    deep = "[" * (MAX_DEPTH + 1) + '"x"' + "]" * (MAX_DEPTH + 1)
    text = (
        '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",'
        f' "Condition": {{"StringEquals": {{"aws:username": {deep}}}}}}}}}'
    )
    expected = _error(text)
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        parse_policy(text, PolicyKind.IDENTITY)
    assert "Nesting deeper than" in caught.value.message
    assert (caught.value.message, caught.value.line, caught.value.column) == (
        expected.message,
        expected.line,
        expected.column,
    )


@pytest.mark.parametrize("character", ["\x01", "\x0b", "\x1f"])
@pytest.mark.parametrize("inside_string", [True, False])
def test_forbidden_ascii_character_is_reported_first_a1(character: str, inside_string: bool) -> None:
    """§A.1: an ASCII text skips the character check until the reader refuses it; the character error comes first."""
    body = f'"s3:Get{character}"' if inside_string else f'{character}"s3:Get"'
    text = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ' + body + ', "Resource": "*"}}'
    with pytest.raises(MalformedPolicyDocumentError) as expected:
        check_characters(text)
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        parse_policy(text, PolicyKind.IDENTITY)
    assert (caught.value.message, caught.value.line, caught.value.column) == (
        expected.value.message,
        expected.value.line,
        expected.value.column,
    )
