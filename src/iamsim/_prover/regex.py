"""IAM wildcard patterns as z3 regular expressions (spec §B.1, §B.2, §B.3).

Every string the prover reasons about is drawn from printable ASCII
(:data:`PRINTABLE`): glob matching only ever compares a request character with
a pattern's literal characters, so any witness can be rewritten into one over
printable ASCII by mapping each character no pattern mentions to one unused
printable character. :func:`literal_chars` collects the characters the
patterns mention so the caller can check such a character exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

import z3

from iamsim._engine.reference.wildcards import Pattern, Wildcard, confine_to_segments, wildcard_pattern

__all__ = [
    "ACTION_CHARS",
    "NON_COLON",
    "PRINTABLE",
    "Regex",
    "arn_fields_regex",
    "arn_pattern_regex",
    "glob_regex",
    "literal_regex",
    "pattern_regex",
    "resource_regex",
    "sequence",
]

#: A z3 regular expression over strings.
Regex: TypeAlias = z3.ReRef

#: One printable ASCII character: the alphabet of every witness string.
PRINTABLE: Regex = z3.Range(" ", "~")
#: One printable character other than ``:`` (a wildcard confined to an ARN segment).
NON_COLON: Regex = z3.Union(z3.Range(" ", "9"), z3.Range(";", "~"))
#: One character of a casefolded action: printable ASCII without upper-case letters.
ACTION_CHARS: Regex = z3.Union(z3.Range(" ", "@"), z3.Range("[", "~"))


def sequence(parts: Iterable[Regex]) -> Regex:
    """The concatenation of ``parts`` (the empty string for none)."""
    items = list(parts)
    if not items:
        return z3.Re("")
    if len(items) == 1:
        return items[0]
    return z3.Concat(*items)


def pattern_regex(pattern: Pattern) -> Regex:
    """A pattern already read into literal characters and wildcards, as a regex."""
    parts: list[Regex] = []
    literal = ""
    for piece in pattern:
        if isinstance(piece, str):
            literal += piece
            continue
        if literal:
            parts.append(z3.Re(literal))
            literal = ""
        if piece is Wildcard.ANY_RUN:
            parts.append(z3.Star(PRINTABLE))
        elif piece is Wildcard.ONE_CHAR:
            parts.append(PRINTABLE)
        elif piece is Wildcard.SEGMENT_RUN:
            parts.append(z3.Star(NON_COLON))
        else:
            parts.append(NON_COLON)
    if literal:
        parts.append(z3.Re(literal))
    return sequence(parts)


def glob_regex(text: str) -> Regex:
    """``text`` read as an IAM glob: ``*`` any run (colons included), ``?`` one character."""
    return pattern_regex(wildcard_pattern(text))


def literal_regex(text: str) -> Regex:
    """``text`` matched literally."""
    return z3.Re(text)


def resource_regex(text: str) -> Regex:
    """A ``Resource`` entry with the ARN segment rule of spec §B.2 (see ``confine_to_segments``)."""
    return pattern_regex(confine_to_segments(wildcard_pattern(text)))


def arn_fields_regex(text: str) -> Regex | None:
    """An ``ArnLike``/``ArnEquals`` value (spec §B.3): six colon fields, each globbed on its own.

    The request value splits at its first five colons, so its first five
    fields hold no colon; ``None`` when the pattern has fewer than six fields
    (it then matches nothing).
    """
    return arn_pattern_regex(wildcard_pattern(text))


def arn_pattern_regex(pattern: Pattern) -> Regex | None:
    """:func:`arn_fields_regex` for a pattern already read (its variables substituted)."""
    fields: list[Pattern] = []
    current: list[object] = []
    for piece in pattern:
        if piece == ":" and len(fields) < 5:
            fields.append(tuple(current))  # type: ignore[arg-type]
            current = []
        else:
            current.append(piece)
    fields.append(tuple(current))  # type: ignore[arg-type]
    if len(fields) != 6:
        return None
    parts: list[Regex] = []
    for index, field in enumerate(fields):
        field_regex = pattern_regex(field)
        if index < 5:
            parts.append(z3.Intersect(field_regex, z3.Star(NON_COLON)))
            parts.append(z3.Re(":"))
        else:
            parts.append(field_regex)
    return sequence(parts)
