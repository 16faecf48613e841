"""The position-tracking JSON reader (§A.1: standard JSON, no key twice in one object)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from iamsim._policy.jsontext import MAX_DEPTH, SYNTAX_ERROR, child_pointer, read_json
from iamsim._policy.model import Span
from iamsim.errors import MalformedPolicyDocumentError


def _error(text: str) -> MalformedPolicyDocumentError:
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        read_json(text)
    return caught.value


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1, 2.5, -0, 1e3, true, false, null, "x"]}',
        '  {"nested": {"deep": [[], {}]}}  ',
        '"just a string"',
        "42",
        '{"esc": "\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"}',
        "\t\r\n[\r\n1\r\n]",
    ],
)
def test_standard_json_reads_like_the_standard_library_a1(text: str) -> None:
    """§A.1: valid RFC 8259 JSON reads to the same values as ``json.loads`` (numbers as Decimal)."""
    assert read_json(text).value == json.loads(text, parse_float=Decimal, parse_int=Decimal)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("", 1, 1),
        ("{", 1, 2),
        ('{"a": 1,}', 1, 9),
        ("[1,]", 1, 4),
        ('{"a" 1}', 1, 6),
        ("{'a': 1}", 1, 2),
        ('{"a": 01}', 1, 8),
        ('{"a": 1.}', 1, 8),
        ('{"a": .5}', 1, 7),
        ('{"a": +1}', 1, 7),
        ('{"a": NaN}', 1, 7),
        ('{"a": Infinity}', 1, 7),
        ('{"a": True}', 1, 7),
        ('{"a": "tab\there"}', 1, 7),
        ('{"a": "bad \\x escape"}', 1, 7),
        ('{"a": "\\u12"}', 1, 7),
        ('{"a": 1} extra', 1, 10),
        ('{"a": 1}\n{"b": 2}', 2, 1),
        ("// comment\n{}", 1, 1),
        ('{\n  "a": 1\n  "b": 2\n}', 3, 3),
        ('["unterminated', 1, 2),
    ],
)
def test_syntax_errors_carry_aws_message_and_position_a1(text: str, line: int, column: int) -> None:
    """§A.1: anything but standard JSON is "Syntax errors in policy." at a 1-based line and column."""
    error = _error(text)
    assert error.message == SYNTAX_ERROR
    assert (error.line, error.column) == (line, column)


def test_duplicate_key_is_reported_at_the_second_occurrence_a1() -> None:
    """§A.1: a key must not appear twice in one object; the error points at the repeat."""
    error = _error('{\n  "Effect": "Allow",\n  "Effect": "Deny"\n}')
    assert error.message.startswith(SYNTAX_ERROR)
    assert 'Duplicate key "Effect"' in error.message
    assert (error.line, error.column) == (3, 3)
    assert error.pointer == "/Effect"


def test_same_key_in_different_objects_is_fine_a1() -> None:
    """§A.1: the duplicate-key rule is per object."""
    assert read_json('[{"a": 1}, {"a": 2}]').value == [{"a": Decimal(1)}, {"a": Decimal(2)}]


def test_duplicate_key_compares_decoded_text_a1() -> None:
    """§A.1: ``"a"`` and ``"\\u0061"`` are the same key."""
    assert "Duplicate key" in _error('{"a": 1, "\\u0061": 2}').message


def test_nesting_is_capped_without_exhausting_the_stack() -> None:
    """Hostile nesting gives a clear error, not a RecursionError."""
    error = _error("[" * 100_000 + "]" * 100_000)
    assert "Nesting deeper than" in error.message
    assert (error.line, error.column) == (1, MAX_DEPTH + 1)


def test_nesting_up_to_the_cap_is_accepted() -> None:
    """Exactly ``MAX_DEPTH`` nested containers are fine."""
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    value = read_json(text).value
    for _ in range(MAX_DEPTH - 1):
        assert isinstance(value, list)
        value = value[0]
    assert value == []


def test_numbers_keep_their_digits() -> None:
    """Numbers read as Decimal, so ``1.50`` keeps its trailing zero."""
    assert str(read_json("1.50").value) == "1.50"


def test_huge_exponent_is_a_syntax_error_not_a_crash() -> None:
    """An exponent beyond Decimal's range cannot be any policy value."""
    assert _error("1e99999999999999999999").message == SYNTAX_ERROR


def test_spans_of_objects_arrays_and_scalars() -> None:
    """Every value has a span: start at its first character, end at its last (1-based)."""
    document = read_json('{\n  "a": [1, "xy"],\n  "b/c": {}\n}')
    assert document.spans[""] == Span(1, 1, 4, 1)
    assert document.spans["/a"] == Span(2, 8, 2, 16)
    assert document.spans["/a/0"] == Span(2, 9, 2, 9)
    assert document.spans["/a/1"] == Span(2, 12, 2, 15)
    assert document.spans["/b~1c"] == Span(3, 10, 3, 11)


def test_crlf_counts_as_one_line_break() -> None:
    """Windows line ends do not double line numbers."""
    document = read_json('{\r\n"a": 1\r\n}')
    assert document.spans["/a"] == Span(2, 6, 2, 6)


def test_locate_falls_back_to_the_nearest_ancestor() -> None:
    """An error pointer below any recorded value is placed at its closest recorded ancestor."""
    document = read_json('{\n "a": {"b": 1}}')
    assert document.locate("/a/missing/deeper") == (2, 7)
    assert document.locate("/a/b") == (2, 13)


@pytest.mark.parametrize(("token", "expected"), [("a/b", "/x/a~1b"), ("t~x", "/x/t~0x"), (3, "/x/3")])
def test_child_pointer_escapes_per_rfc_6901(token: str | int, expected: str) -> None:
    """Pointers escape ``~`` and ``/`` (RFC 6901), which condition keys contain."""
    assert child_pointer("/x", token) == expected
