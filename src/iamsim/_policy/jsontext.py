"""A small JSON reader (RFC 8259) that remembers where every value stands.

The standard library's ``json`` forgets positions and silently keeps the last
of two equal keys; policy text needs both: a key must not appear twice in one
object (§A.1), and errors and statement spans point at lines and columns.
:func:`read_json` therefore decodes with ``json.loads`` and hooks that refuse
what this reader refuses, and runs the positioned reader only when a text is
refused (for the error's message, line and column) or when a span is asked
for: most policy text is compiled and never asked where a value stands.

Numbers are read as :class:`~decimal.Decimal` so their digits survive as
written (``1.50`` stays ``1.50``). Positions are 1-based; a column counts
characters, not bytes. Nesting is capped (:data:`MAX_DEPTH`) so hostile input
cannot exhaust the Python stack, and a number may have at most
:data:`MAX_NUMBER_CHARS` characters, so no later conversion of it (to an
integer, a date, a float) can fail on Python's limits or take long.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import NoReturn, TypeAlias

from iamsim._policy.model import Span
from iamsim.errors import MalformedPolicyDocumentError

__all__ = [
    "MAX_DEPTH",
    "MAX_NUMBER_CHARS",
    "SYNTAX_ERROR",
    "JsonDocument",
    "JsonValue",
    "child_pointer",
    "read_json",
]

JsonValue: TypeAlias = "dict[str, JsonValue] | list[JsonValue] | str | Decimal | bool | None"

#: The deepest nesting of objects and arrays the reader accepts.
MAX_DEPTH = 64

#: The longest number the reader accepts, in characters (sign, digits, point and exponent included).
#: No policy value needs more; a 5,000-digit integer would exceed Python's int conversion limit.
MAX_NUMBER_CHARS = 100

#: AWS's message for a policy that is not valid JSON.
SYNTAX_ERROR = "Syntax errors in policy."

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LINE_BREAK = re.compile(r"\r\n?|\n")
_LITERALS: tuple[tuple[str, JsonValue], ...] = (("true", True), ("false", False), ("null", None))


def child_pointer(pointer: str, token: str | int) -> str:
    """Return the RFC 6901 pointer of member ``token`` under ``pointer``."""
    text = str(token).replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{text}"


class JsonDocument:
    """A parsed JSON text: its value and the span of every value, by JSON pointer.

    The span of a scalar ends at its last character; that of an object or an
    array at its closing bracket. The whole document has pointer ``""``.
    Spans are located on first use (:attr:`spans`, :meth:`locate`,
    :meth:`span_at`) by reading the kept text again with positions: most
    texts are compiled and never asked where a value stands (issue 16).
    """

    __slots__ = ("_max_depth", "_spans", "_text", "value")

    def __init__(
        self, value: JsonValue, spans: Mapping[str, Span] | None = None, *, text: str = "", max_depth: int = MAX_DEPTH
    ) -> None:
        """Hold ``value``; ``spans`` when already known, else ``text`` to locate them from when asked."""
        self.value = value
        self._spans = spans
        self._text = text
        self._max_depth = max_depth

    @property
    def spans(self) -> Mapping[str, Span]:
        """The span of every value, by JSON pointer (located on first use)."""
        spans = self._spans
        if spans is None:
            spans = self._spans = _Reader(self._text, self._max_depth).document().spans
        return spans

    def span_at(self, pointer: str) -> Span | None:
        """The span of the value at ``pointer``, or ``None`` when there is none."""
        return self.spans.get(pointer)

    def check_depth(self) -> None:
        """Refuse, as :func:`read_json` does, a value nesting deeper than allowed (for ``check_depth=False``)."""
        if _deeper_than(self.value, self._max_depth, self._text):
            _Reader(self._text, self._max_depth).document()

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """Return ``(line, column)`` where the value at ``pointer`` (or its nearest ancestor) starts."""
        while True:
            span = self.spans.get(pointer)
            if span is not None:
                return span.start_line, span.start_column
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]


def read_json(text: str, *, max_depth: int = MAX_DEPTH, check_depth: bool = True) -> JsonDocument:
    """Parse ``text`` as one JSON value.

    Raises :class:`~iamsim.errors.MalformedPolicyDocumentError` with the line
    and column of the problem for a syntax error (message ``Syntax errors in
    policy.``), a key repeated in one object, nesting deeper than
    ``max_depth``, or a number longer than :data:`MAX_NUMBER_CHARS` characters.

    The standard library's decoder reads the text, refusing what this reader
    refuses (repeated keys, ``NaN``/``Infinity``, long numbers, deep nesting);
    for anything it refuses, the positioned reader reads the text again and
    raises the error with its line and column. Positions of a valid text are
    located only when asked for. ``check_depth=False`` leaves the nesting check to the caller
    (:meth:`JsonDocument.check_depth`): one whose grammar refuses deep values anyway calls it only on
    refusal, so that deep nesting is still reported as such.
    """
    try:
        value = json.loads(
            text,
            object_pairs_hook=_unique_members,
            parse_int=_number,
            parse_float=_number,
            parse_constant=_refuse,
        )
    except (ValueError, ArithmeticError, RecursionError):
        # JSONDecodeError is a ValueError; the positioned reader names the problem and where it is.
        return _Reader(text, max_depth).document()
    if check_depth and _deeper_than(value, max_depth, text):
        return _Reader(text, max_depth).document()
    return JsonDocument(value, text=text, max_depth=max_depth)


#: Raised by the decoder's hooks for text ``json.loads`` would accept and this reader does not
#: (caught with the decoder's own errors: the text is read again with positions for the message).
_REFUSED = "refused: read again with positions"


def _unique_members(pairs: list[tuple[str, JsonValue]]) -> dict[str, JsonValue]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise ValueError(_REFUSED)
    return members


def _number(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(_REFUSED)
    return Decimal(text)


def _refuse(text: str) -> NoReturn:
    raise ValueError(_REFUSED)


def _deeper_than(value: JsonValue, max_depth: int, text: str) -> bool:
    """Whether ``value`` nests objects and arrays more than ``max_depth`` levels."""
    if text.count("{") + text.count("[") <= max_depth:
        return False  # every bracket, even those inside strings, counted: cannot nest deeper
    level: list[JsonValue] = [value]
    depth = 0
    while level:
        depth += 1
        below: list[JsonValue] = []
        for item in level:
            if isinstance(item, dict):
                below.extend(child for child in item.values() if isinstance(child, dict | list))
            elif isinstance(item, list):
                below.extend(child for child in item if isinstance(child, dict | list))
        if depth > max_depth and any(isinstance(item, dict | list) for item in level):
            return True
        level = below
    return False


class _Reader:
    """Recursive descent over ``text``; the recursion is bounded by ``max_depth``."""

    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.pos = 0
        self.max_depth = max_depth
        self.spans: dict[str, Span] = {}
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def document(self) -> JsonDocument:
        self.skip_whitespace()
        value = self.value("", 0)
        self.skip_whitespace()
        if self.pos != len(self.text):
            self.fail(SYNTAX_ERROR, "")
        return JsonDocument(value, self.spans)

    # --- positions ---------------------------------------------------------------------------

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def fail(self, message: str, pointer: str, offset: int | None = None) -> NoReturn:
        line, column = self.where(self.pos if offset is None else offset)
        raise MalformedPolicyDocumentError(message, pointer=pointer, line=line, column=column)

    def record(self, pointer: str, start: int, end: int) -> None:
        """Record the span of the value at ``pointer`` over ``text[start:end]``."""
        start_line, start_column = self.where(start)
        end_line, end_column = self.where(max(end - 1, start))
        self.spans[pointer] = Span(start_line, start_column, end_line, end_column)

    # --- grammar -----------------------------------------------------------------------------

    def skip_whitespace(self) -> None:
        match = _WHITESPACE.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()

    def value(self, pointer: str, depth: int) -> JsonValue:
        start = self.pos
        char = self.text[start : start + 1]
        result: JsonValue
        if char == "{":
            result = self.object(pointer, depth + 1)
        elif char == "[":
            result = self.array(pointer, depth + 1)
        elif char == '"':
            result = self.string(pointer)
        elif char == "-" or char.isdigit():
            result = self.number(pointer)
        else:
            result = self.literal(pointer)
        self.record(pointer, start, self.pos)
        return result

    def enter(self, pointer: str, depth: int) -> None:
        if depth > self.max_depth:
            self.fail(f"{SYNTAX_ERROR} Nesting deeper than {self.max_depth} levels.", pointer)
        self.pos += 1
        self.skip_whitespace()

    def object(self, pointer: str, depth: int) -> dict[str, JsonValue]:
        self.enter(pointer, depth)
        members: dict[str, JsonValue] = {}
        if self.text.startswith("}", self.pos):
            self.pos += 1
            return members
        while True:
            key_offset = self.pos
            if not self.text.startswith('"', self.pos):
                self.fail(SYNTAX_ERROR, pointer)
            key = self.string(pointer)
            member = child_pointer(pointer, key)
            if key in members:
                self.fail(f'{SYNTAX_ERROR} Duplicate key "{key}".', member, key_offset)
            self.skip_whitespace()
            if not self.text.startswith(":", self.pos):
                self.fail(SYNTAX_ERROR, pointer)
            self.pos += 1
            self.skip_whitespace()
            members[key] = self.value(member, depth)
            if self.separator("}", pointer):
                return members

    def array(self, pointer: str, depth: int) -> list[JsonValue]:
        self.enter(pointer, depth)
        items: list[JsonValue] = []
        if self.text.startswith("]", self.pos):
            self.pos += 1
            return items
        while True:
            items.append(self.value(child_pointer(pointer, len(items)), depth))
            if self.separator("]", pointer):
                return items

    def separator(self, closing: str, pointer: str) -> bool:
        """Consume ``,`` (return ``False``) or the closing bracket (return ``True``)."""
        self.skip_whitespace()
        char = self.text[self.pos : self.pos + 1]
        if char == closing:
            self.pos += 1
            return True
        if char != ",":
            self.fail(SYNTAX_ERROR, pointer)
        self.pos += 1
        self.skip_whitespace()
        return False

    def string(self, pointer: str) -> str:
        match = _STRING.match(self.text, self.pos)
        if match is None:
            self.fail(SYNTAX_ERROR, pointer)
        self.pos = match.end()
        # The token is a valid JSON string by construction, so the standard decoder only unescapes it.
        decoded: str = json.loads(match.group())
        return decoded

    def number(self, pointer: str) -> Decimal:
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            self.fail(SYNTAX_ERROR, pointer)
        if match.end() - match.start() > MAX_NUMBER_CHARS:
            self.fail(f"{SYNTAX_ERROR} Number longer than {MAX_NUMBER_CHARS} characters.", pointer)
        try:
            number = Decimal(match.group())
        except InvalidOperation:
            # An exponent beyond what Decimal can hold: no policy value can use it.
            self.fail(SYNTAX_ERROR, pointer)
        self.pos = match.end()
        return number

    def literal(self, pointer: str) -> JsonValue:
        for word, value in _LITERALS:
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return value
        self.fail(SYNTAX_ERROR, pointer)
