"""IAM wildcard patterns, matched the plain way (spec §B.1, §B.2, §C.2).

IAM knows exactly two wildcards: ``*`` (any run of characters, including none,
and including ``/`` and ``:``) and ``?`` (exactly one character). Every other
character, ``[``, ``]`` and ``\\`` included, stands for itself. A pattern is a
tuple of pieces: a one-character string is a literal, a :class:`Wildcard` is a
wildcard. Keeping the two apart is what lets policy-variable values stay
literal even when they contain ``*`` or ``?`` (spec §D).
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache

__all__ = [
    "Pattern",
    "Piece",
    "Wildcard",
    "confine_to_segments",
    "literal_pattern",
    "match",
    "match_table",
    "split_pattern",
    "wildcard_pattern",
]


class Wildcard(Enum):
    """The two IAM wildcards, and their forms confined to one ARN segment."""

    ANY_RUN = "*"
    ONE_CHAR = "?"
    #: ``*`` inside a Resource ARN segment: any run that does not cross a colon.
    SEGMENT_RUN = "*:"
    #: ``?`` inside a Resource ARN segment: one character other than a colon.
    SEGMENT_CHAR = "?:"


#: A literal character (a string of length one) or a wildcard.
Piece = str | Wildcard
#: A parsed pattern.
Pattern = tuple[Piece, ...]


@lru_cache(maxsize=65_536)
def wildcard_pattern(text: str) -> Pattern:
    """Read ``text`` as a pattern in which ``*`` and ``?`` are wildcards (patterns are immutable: remembered)."""
    pieces: list[Piece] = []
    for char in text:
        if char == "*":
            pieces.append(Wildcard.ANY_RUN)
        elif char == "?":
            pieces.append(Wildcard.ONE_CHAR)
        else:
            pieces.append(char)
    return tuple(pieces)


def literal_pattern(text: str) -> Pattern:
    """Read ``text`` as a pattern of literal characters only."""
    return tuple(text)


def confine_to_segments(pattern: Pattern) -> Pattern:
    """Read a Resource ARN pattern the way the current Resource page describes (spec §B.2).

    Wildcards work within the colon-separated segments of an ARN; only a ``*``
    that is the last character of a segment may expand beyond the colon
    boundaries. So every ``?``, and every ``*`` that a literal colon does not
    follow (and that does not end the pattern), stays inside its segment.
    """
    out: list[Piece] = []
    for index, piece in enumerate(pattern):
        if piece is Wildcard.ONE_CHAR:
            out.append(Wildcard.SEGMENT_CHAR)
        elif piece is Wildcard.ANY_RUN:
            ends_segment = index + 1 == len(pattern) or pattern[index + 1] == ":"
            out.append(Wildcard.ANY_RUN if ends_segment else Wildcard.SEGMENT_RUN)
        else:
            out.append(piece)
    return tuple(out)


def match(pattern: Pattern, text: str) -> bool:
    """Whether ``pattern`` matches the whole of ``text``, case-sensitively.

    Literal pieces match one character each, so the literal pieces before a
    pattern's first wildcard can only match the start of ``text``, and those
    after its last wildcard only the end: they are compared character by
    character, and only what lies between goes to :func:`match_table`.
    Costs at most ``len(pattern) * len(text)`` character tests (issue 11).
    """
    start = 0
    while start < len(pattern) and not isinstance(pattern[start], Wildcard):
        if start >= len(text) or text[start] != pattern[start]:
            return False
        start += 1
    if start == len(pattern):
        return len(text) == len(pattern)
    # Pattern and text ends, walked back together over the literal tail.
    end, text_end = len(pattern), len(text)
    while not isinstance(pattern[end - 1], Wildcard):
        if text_end <= start or text[text_end - 1] != pattern[end - 1]:
            return False
        end -= 1
        text_end -= 1
    return match_table(pattern[start:end], text, start, text_end)


def match_table(pattern: Pattern, text: str, start: int = 0, stop: int | None = None) -> bool:
    """Whether ``pattern`` matches the whole of ``text[start:stop]``: the textbook dynamic programme.

    ``ok[j]`` says whether the pieces consumed so far match the first ``j``
    characters; one pass over the characters per piece, so the cost is the
    product of the lengths, never more. The text is indexed, not sliced.
    """
    stop = len(text) if stop is None else stop
    width = stop - start
    ok = [False] * (width + 1)
    ok[0] = True
    for piece in pattern:
        new = [False] * (width + 1)
        if piece is Wildcard.ANY_RUN:
            # Zero characters, or one more character than some earlier match.
            new[0] = ok[0]
            for j in range(1, width + 1):
                new[j] = ok[j] or new[j - 1]
        elif piece is Wildcard.SEGMENT_RUN:
            new[0] = ok[0]
            for j in range(1, width + 1):
                new[j] = ok[j] or (new[j - 1] and text[start + j - 1] != ":")
        elif piece is Wildcard.ONE_CHAR:
            for j in range(1, width + 1):
                new[j] = ok[j - 1]
        elif piece is Wildcard.SEGMENT_CHAR:
            for j in range(1, width + 1):
                new[j] = ok[j - 1] and text[start + j - 1] != ":"
        else:
            for j in range(1, width + 1):
                new[j] = ok[j - 1] and text[start + j - 1] == piece
        ok = new
    return ok[width]


def split_pattern(pattern: Pattern, separator: str, fields: int) -> list[Pattern]:
    """Split ``pattern`` at literal ``separator`` characters into at most ``fields`` parts.

    Like ``str.split(separator, fields - 1)``: the last part keeps any further
    separators.
    """
    parts: list[Pattern] = []
    current: list[Piece] = []
    for piece in pattern:
        if piece == separator and len(parts) < fields - 1:
            parts.append(tuple(current))
            current = []
        else:
            current.append(piece)
    parts.append(tuple(current))
    return parts
