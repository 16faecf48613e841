"""Comparing IAM wildcard patterns with each other, not with text.

The linter asks two questions about patterns: does one pattern cover every
string another matches (redundant and unreachable statements), and can two
patterns match a common string (does a resource ARN fit an ARN format). IAM
knows only ``*`` (any run, ``/`` and ``:`` included) and ``?`` (one
character); everything else is literal (§B.1, §B.2).

Both answers are computed on the patterns themselves, in time proportional to
the product of their lengths, with no regular expression and no ``fnmatch``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ANY",
    "ONE",
    "Token",
    "covers",
    "intersects",
    "overlaps",
    "tokens_of",
]


@dataclass(frozen=True, slots=True)
class Token:
    """One element of a pattern: a literal character, ``?``, or a run wildcard.

    A run wildcard (``star``) matches any run of characters not in
    ``excluded``; IAM's own ``*`` excludes nothing. Narrower runs describe the
    variable parts of ARN formats, such as a bucket name, which holds no ``/``.
    """

    literal: str | None = None
    star: bool = False
    excluded: frozenset[str] = frozenset()

    def accepts(self, char: str) -> bool:
        """Whether this token can consume ``char``."""
        if self.literal is not None:
            return self.literal == char
        return char not in self.excluded


#: IAM's ``?``: exactly one character.
ONE = Token()
#: IAM's ``*``: any run of characters.
ANY = Token(star=True)


def tokens_of(pattern: str, *, fold_case: bool = False) -> tuple[Token, ...]:
    """Return the tokens of IAM wildcard ``pattern``; ``fold_case`` lowercases literals first."""
    text = pattern.lower() if fold_case else pattern
    return tuple(ANY if c == "*" else ONE if c == "?" else Token(literal=c) for c in text)


def _jointly_consumable(a: Token, b: Token) -> bool:
    """Whether some single character is accepted by both ``a`` and ``b``."""
    if a.literal is not None:
        return b.accepts(a.literal)
    if b.literal is not None:
        return a.accepts(b.literal)
    # Two non-literal tokens each exclude a finite set, so a common character always exists.
    return True


def intersects(left: Sequence[Token], right: Sequence[Token]) -> bool:
    """Whether some string matches both token patterns.

    A search over pairs of positions: each step either lets a run wildcard
    match nothing more, or consumes one character both sides accept.
    """
    end = (len(left), len(right))
    seen = {(0, 0)}
    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        if (i, j) == end:
            return True
        moves: list[tuple[int, int]] = []
        a = left[i] if i < len(left) else None
        b = right[j] if j < len(right) else None
        if a is not None and a.star:
            moves.append((i + 1, j))
        if b is not None and b.star:
            moves.append((i, j + 1))
        if a is not None and b is not None and _jointly_consumable(a, b):
            moves.append((i if a.star else i + 1, j if b.star else j + 1))
        for move in moves:
            if move not in seen:
                seen.add(move)
                stack.append(move)
    return False


def overlaps(left: str, right: str, *, fold_case: bool = False) -> bool:
    """Whether some string matches both IAM patterns ``left`` and ``right``."""
    if fold_case:
        left, right = left.lower(), right.lower()
    if left == right or left == "*" or right == "*":
        return True
    # A common string starts with both literal heads and ends with both literal tails.
    head_left, head_right = _literal_head(left), _literal_head(right)
    if not (head_left.startswith(head_right) or head_right.startswith(head_left)):
        return False
    tail_left, tail_right = _literal_tail(left), _literal_tail(right)
    if not (tail_left.endswith(tail_right) or tail_right.endswith(tail_left)):
        return False
    return intersects(tokens_of(left), tokens_of(right))


def covers(general: str, specific: str, *, fold_case: bool = False) -> bool:
    """Whether every string IAM pattern ``specific`` matches is also matched by ``general``.

    ``specific`` is read as a word whose ``*`` and ``?`` are symbols:
    ``general``'s ``*`` may swallow any of them, its ``?`` stands for one
    character (a literal or a ``?``, never a ``*``), and its literals match only
    the same literal. That is sound (a ``True`` is always right) and decides
    every case the linter meets; a few contrived pairs such as ``??*`` over
    ``*??`` answer ``False`` though they are equal.
    """
    if fold_case:
        general, specific = general.lower(), specific.lower()
    if general == specific or general == "*":
        return True
    # Before its first wildcard and after its last "*", ``general`` can only match the same literals:
    # comparing those ends first settles most pairs without the quadratic walk below.
    if not specific.startswith(_literal_head(general)):
        return False
    if "*" in general:
        tail = general[general.rindex("*") + 1 :]
        if "?" not in tail and not specific.endswith(tail):
            return False
    # Dynamic programming over prefixes: reachable[j] is true when general[:i] can match specific[:j].
    width = len(specific)
    reachable = [True] + [False] * width
    for g in general:
        if g == "*":
            for j in range(1, width + 1):
                reachable[j] = reachable[j] or reachable[j - 1]
            continue
        nxt = [False] * (width + 1)
        for j in range(1, width + 1):
            if reachable[j - 1]:
                s = specific[j - 1]
                nxt[j] = s != "*" if g == "?" else s == g
        reachable = nxt
        if not any(reachable):
            return False
    return reachable[width]


def _first_wildcard(pattern: str) -> int:
    """The index of ``pattern``'s first ``*`` or ``?``, or its length when it has none."""
    star, one = pattern.find("*"), pattern.find("?")
    found = [index for index in (star, one) if index >= 0]
    return min(found) if found else len(pattern)


def _literal_head(pattern: str) -> str:
    """The run of literal characters ``pattern`` starts with."""
    return pattern[: _first_wildcard(pattern)]


def _literal_tail(pattern: str) -> str:
    """The run of literal characters ``pattern`` ends with."""
    return pattern[max(pattern.rfind("*"), pattern.rfind("?")) + 1 :]
