"""Deterministic example strings for a service model's ``pattern`` constraint.

AWS adds operations whose string shapes carry patterns no fixed list of candidate
strings can satisfy (lookaheads, ARNs of new resource types). Instead of guessing, this
walks the parsed regular expression and writes strings it describes: for each repeat it
tries a few counts, for each alternation each branch, and lets the caller keep the first
string that really fits (lookarounds are skipped while writing and enforced by that check).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

__all__ = ["strings_for_pattern"]

_PRINTABLE = [chr(code) for code in range(0x21, 0x7F)]
_PREFERRED = "aA0b-_./:"
_CATEGORY_SAMPLES = {
    c.CATEGORY_DIGIT: "0",
    c.CATEGORY_NOT_DIGIT: "a",
    c.CATEGORY_SPACE: " ",
    c.CATEGORY_NOT_SPACE: "a",
    c.CATEGORY_WORD: "a",
    c.CATEGORY_NOT_WORD: "-",
}


def _class_char(items: list[tuple[object, object]], variant: int) -> str:
    """A character of a ``[...]`` class: the ``variant``-th of its members that we try."""
    negated = any(op is c.NEGATE for op, _ in items)
    compiled = _class_regex(items)
    if negated:
        candidates = [ch for ch in _PREFERRED + "".join(_PRINTABLE) if compiled.fullmatch(ch)]
    else:
        candidates = []
        for op, value in items:
            if op is c.LITERAL:
                candidates.append(chr(value))  # type: ignore[arg-type]
            elif op is c.RANGE:
                low, high = value  # type: ignore[misc]
                candidates.extend([chr(low), chr(high)])
            elif op is c.CATEGORY:
                candidates.append(_CATEGORY_SAMPLES.get(value, "a"))
        candidates = [ch for ch in candidates if compiled.fullmatch(ch)] or candidates
    if not candidates:
        return "a"
    return candidates[variant % len(candidates)]


def _class_regex(items: list[tuple[object, object]]) -> re.Pattern[str]:
    parts: list[str] = []
    negated = False
    for op, value in items:
        if op is c.NEGATE:
            negated = True
        elif op is c.LITERAL:
            parts.append(re.escape(chr(value)))  # type: ignore[arg-type]
        elif op is c.RANGE:
            low, high = value  # type: ignore[misc]
            parts.append(f"{re.escape(chr(low))}-{re.escape(chr(high))}")
        elif op is c.CATEGORY:
            parts.append(_CATEGORY_ESCAPES.get(value, ""))
    return re.compile(f"[{'^' if negated else ''}{''.join(parts)}]", re.ASCII)


_CATEGORY_ESCAPES = {
    c.CATEGORY_DIGIT: r"\d",
    c.CATEGORY_NOT_DIGIT: r"\D",
    c.CATEGORY_SPACE: r"\s",
    c.CATEGORY_NOT_SPACE: r"\S",
    c.CATEGORY_WORD: r"\w",
    c.CATEGORY_NOT_WORD: r"\W",
}


def _write(tokens: list[tuple[object, object]], repeat: int, variant: int) -> str:
    """One string for a parsed pattern, each repeat taken ``repeat`` times (within its bounds)."""
    out: list[str] = []
    for op, value in tokens:
        if op is c.LITERAL:
            out.append(chr(value))  # type: ignore[arg-type]
        elif op is c.NOT_LITERAL:
            out.append("b" if value == ord("a") else "a")
        elif op is c.ANY:
            out.append("a")
        elif op is c.IN:
            out.append(_class_char(value, variant))  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, high, inner = value  # type: ignore[misc]
            count = max(low, min(repeat, high))
            out.extend(_write(inner, repeat, variant + index) for index in range(count))
        elif op is c.SUBPATTERN:
            out.append(_write(value[-1], repeat, variant))  # type: ignore[index]
        elif op is c.BRANCH:
            branches = value[1]  # type: ignore[index]
            out.append(_write(branches[variant % len(branches)], repeat, variant))
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width: the caller's fullmatch check enforces them
        else:
            raise ValueError(f"unsupported regular-expression construct {op}")
    return "".join(out)


def strings_for_pattern(pattern: str) -> Iterator[str]:
    """Candidate strings for ``pattern`` (Python syntax), shortest repeats first; some may not match."""
    tokens = list(sre_parse.parse(pattern))
    for repeat, variant in itertools.product((1, 2, 3, 5, 8, 13, 21, 40, 80), range(4)):
        yield _write(tokens, repeat, variant)
