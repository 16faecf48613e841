"""Bounded reading of files and policy text (issue 11; docs/cli.md "Limits on what is read"; §A.1 JSON syntax)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamsim._policy.jsontext import MAX_NUMBER_CHARS, read_json
from iamsim._sources.documents import MAX_DEPTH, MAX_INTEGER_DIGITS, parse_json_text, parse_yaml_text, read_text
from iamsim.errors import InvalidInputError, MalformedPolicyDocumentError


def test_a_policy_number_longer_than_the_limit_is_a_syntax_error_with_its_place() -> None:
    """§A.1: a 5,000-digit number is MalformedPolicyDocument at its line and column, not Python's ValueError."""
    with pytest.raises(MalformedPolicyDocumentError, match="Syntax errors in policy") as caught:
        read_json('{"a":\n ' + "9" * 5_000 + "}")
    assert (caught.value.line, caught.value.column) == (2, 2)
    assert read_json("1" * MAX_NUMBER_CHARS).value == int("1" * MAX_NUMBER_CHARS)


@pytest.mark.parametrize("parse", [parse_json_text, parse_yaml_text])
def test_nesting_beyond_the_limit_is_invalid_input(parse: object) -> None:
    """JSON or YAML nested deeper than MAX_DEPTH: InvalidInput naming the origin, not RecursionError."""
    assert callable(parse)
    with pytest.raises(InvalidInputError, match="nesting deeper than"):
        parse("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "f")
    assert parse("[" * MAX_DEPTH + "]" * MAX_DEPTH, "f") is not None


def test_an_unterminated_string_of_escaped_quotes_is_scanned_in_linear_time() -> None:
    """The nesting scan never rescans a string: 200,000 escaped quotes are read once and refused by json."""
    with pytest.raises(InvalidInputError, match="invalid JSON"):
        parse_json_text('"' + '\\"' * 100_000, "f")


@pytest.mark.parametrize("parse", [parse_json_text, parse_yaml_text])
def test_integers_beyond_the_limit_are_invalid_input(parse: object) -> None:
    """An integer of more than MAX_INTEGER_DIGITS digits is refused before Python converts it."""
    assert callable(parse)
    with pytest.raises(InvalidInputError, match="integer longer than"):
        parse("[" + "7" * (MAX_INTEGER_DIGITS + 1) + "]", "f")
    assert parse("[" + "7" * MAX_INTEGER_DIGITS + "]", "f") == [int("7" * MAX_INTEGER_DIGITS)]


def test_a_yaml_alias_bomb_is_refused_while_it_is_read() -> None:
    """Ten aliases of ten aliases, nine deep (10^10 nodes expanded): refused at once."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 10)]
    with pytest.raises(InvalidInputError, match="aliases expanded"):
        parse_yaml_text("\n".join(lines), "bomb.yaml")


def test_ordinary_aliases_and_recursive_ones() -> None:
    """A few aliases read as usual; an alias inside its own anchor is refused."""
    assert parse_yaml_text("a: &x [1]\nb: *x\n", "f") == {"a": [1], "b": [1]}
    with pytest.raises(InvalidInputError, match="recursive alias"):
        parse_yaml_text("a: &x [*x]\n", "f")


def test_read_text_refuses_devices_and_files_over_the_limit(tmp_path: Path) -> None:
    """/dev/zero is not opened; a file one byte over the limit is refused; one at the limit is read."""
    with pytest.raises(InvalidInputError, match="not a regular file"):
        read_text(Path("/dev/zero"))
    path = tmp_path / "p.json"
    path.write_text("x" * 11, encoding="utf-8")
    with pytest.raises(InvalidInputError, match="larger than 10 bytes"):
        read_text(path, limit=10)
    assert read_text(path, limit=11) == "x" * 11
