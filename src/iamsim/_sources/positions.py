"""Where a value stands in a JSON or YAML file, by JSON pointer, so findings about it can say line and column.

The linter checks a policy document taken out of a template or a plan; its
findings name the offending value by a pointer into that document. Adding the
pointer of the document inside the file gives a pointer into the file, which
:class:`FilePositions` turns into the 1-based line and column a reader (or a
code-scanning service) jumps to. A pointer that reaches into a value the file
does not hold as such (an intrinsic function resolved into a list, a policy
kept as a JSON string) stops at the nearest value the file does hold.

A policy embedded as a JSON string (Terraform keeps every policy so) is mapped
one level further: :meth:`FilePositions.locate_in_string` turns a line and
column inside the decoded string into the line and column of the same
character inside the string literal in the file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from iamsim._policy.jsontext import child_pointer, read_json
from iamsim._sources.documents import MAX_DEPTH, BoundedLoader, is_yaml_path
from iamsim.errors import MalformedPolicyDocumentError

__all__ = ["FilePositions", "file_positions"]

_LINE_BREAK = re.compile(r"\r\n?|\n")
# Characters an escape in a JSON string literal spans: \uXXXX is six, any other escape two.
_UNICODE_ESCAPE = 6
_SHORT_ESCAPE = 2


def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in _LINE_BREAK.finditer(text)]


@dataclass(frozen=True, slots=True)
class FilePositions:
    """The 0-based offset in ``text`` of every value of the file, by JSON pointer."""

    text: str
    offsets: dict[str, int]
    #: Whether the file is JSON, so string literals in it are JSON string literals.
    json: bool
    line_starts: list[int]

    def _where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def _offset(self, pointer: str) -> int | None:
        while True:
            if pointer in self.offsets:
                return self.offsets[pointer]
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """``(line, column)`` of the value at ``pointer`` in the file, or of its nearest ancestor the file holds."""
        offset = self._offset(pointer)
        return None if offset is None else self._where(offset)

    def locate_in_string(self, pointer: str, line: int, column: int) -> tuple[int, int] | None:
        """``(line, column)`` in the file of the character at ``line``/``column`` of the string at ``pointer``.

        Only for a JSON file whose value at ``pointer`` is a string literal;
        anything else gives ``None`` (the caller then points at the value).
        """
        start = self.offsets.get(pointer)
        if not self.json or start is None or self.text[start : start + 1] != '"':
            return None
        decoded = self._decoded_string(start)
        starts = _line_starts(decoded)
        if not 1 <= line <= len(starts):
            return None
        target = starts[line - 1] + column - 1
        # Walk the literal, counting the characters each escape decodes to, until the target character.
        position, count = start + 1, 0
        while count < target and position < len(self.text) and self.text[position] != '"':
            if self.text[position] == "\\":
                if self.text[position + 1 : position + 2] == "u":
                    unit = int(self.text[position + 2 : position + _UNICODE_ESCAPE], 16)
                    position += _UNICODE_ESCAPE
                    # A surrogate pair is two escapes that decode to one character.
                    if 0xD800 <= unit < 0xDC00 and self.text[position : position + 2] == "\\u":
                        position += _UNICODE_ESCAPE
                else:
                    position += _SHORT_ESCAPE
            else:
                position += 1
            count += 1
        return self._where(position)

    def _decoded_string(self, start: int) -> str:
        document = read_json(self.text[start : self._literal_end(start)])
        value = document.value
        return value if isinstance(value, str) else ""

    def _literal_end(self, start: int) -> int:
        position = start + 1
        while position < len(self.text) and self.text[position] != '"':
            position += _SHORT_ESCAPE if self.text[position] == "\\" else 1
        return position + 1


def _yaml_offsets(node: yaml.Node, pointer: str, offsets: dict[str, int], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = child_pointer(pointer, str(key.value))
            # A member is shown at its key: "Principal: '*'" is where a reader looks.
            offsets[child] = key.start_mark.index
            _yaml_offsets(value, child, offsets, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = child_pointer(pointer, index)
            offsets[child] = item.start_mark.index
            _yaml_offsets(item, child, offsets, depth + 1)


class _PositionLoader(BoundedLoader):
    """The bounded loader, composing only: CloudFormation's ``!Tag`` short forms are nodes like any other."""


def file_positions(path_name: str, text: str) -> FilePositions | None:
    """The positions of every value in ``text`` (the file ``path_name``), or ``None`` when it cannot be read.

    The file was read once already; an error here only costs the positions.
    """
    if is_yaml_path(Path(path_name)):
        try:
            root = yaml.compose(text, Loader=_PositionLoader)
        except yaml.YAMLError:
            return None
        offsets: dict[str, int] = {}
        if root is not None:
            offsets[""] = root.start_mark.index
            _yaml_offsets(root, "", offsets, 0)
        return FilePositions(text, offsets, json=False, line_starts=_line_starts(text))
    try:
        document = read_json(text, max_depth=MAX_DEPTH)
    except MalformedPolicyDocumentError:
        return None
    starts = _line_starts(text)
    offsets = {pointer: starts[span.start_line - 1] + span.start_column - 1 for pointer, span in document.spans.items()}
    return FilePositions(text, offsets, json=True, line_starts=starts)
