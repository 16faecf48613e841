"""Java regular expressions from AWS service models, compiled for Python's ``re``.

The models' ``pattern`` constraints are Java regexes, matched against the whole value.
Two differences matter: Java's ``\\w``, ``\\d`` and ``\\s`` are ASCII-only (so ``re.ASCII``),
and Java knows Unicode categories such as ``\\p{L}``, which ``re`` does not (so they are
expanded into explicit code point ranges, built once per category).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

__all__ = ["compile_model_pattern", "matches_model_pattern"]

_CATEGORY = re.compile(r"\\([pP])\{(\w{1,2})\}")


@cache
def _category_ranges(category: str) -> str:
    """The code points of a Unicode general category (``L``, ``Nd``...) as a class body."""
    parts: list[str] = []
    start = -1
    previous = -2
    for code_point in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code_point)).startswith(category):
            if code_point != previous + 1:
                if start >= 0:
                    parts.append(_range(start, previous))
                start = code_point
            previous = code_point
    if start >= 0:
        parts.append(_range(start, previous))
    return "".join(parts)


def _range(first: int, last: int) -> str:
    if first == last:
        return f"\\U{first:08X}"
    return f"\\U{first:08X}-\\U{last:08X}"


def _translate(pattern: str) -> str:
    """Expand ``\\p{X}`` escapes, tracking whether each one sits inside a character class."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            match = _CATEGORY.match(pattern, index)
            if match is not None:
                negated = match.group(1) == "P"
                ranges = _category_ranges(match.group(2))
                if in_class and not negated:
                    out.append(ranges)
                elif in_class:
                    raise ValueError(f"unsupported negated category inside a class in {pattern!r}")
                else:
                    out.append(f"[{'^' if negated else ''}{ranges}]")
                index = match.end()
                continue
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


@cache
def compile_model_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a service-model pattern so that ``fullmatch`` behaves like Java's ``matches()``."""
    return re.compile(_translate(pattern), re.ASCII)


def matches_model_pattern(pattern: str, value: str) -> bool:
    """Whether ``value`` satisfies a service-model ``pattern`` constraint (the whole value)."""
    return compile_model_pattern(pattern).fullmatch(value) is not None
