"""Reading JSON and YAML files into plain data, with errors that name the file and the place.

Everything read from outside is bounded before it is believed (docs/formats.md,
"Limits"): a file must be a regular file of at most :data:`MAX_FILE_BYTES`
bytes of UTF-8; nesting is at most :data:`MAX_DEPTH` levels; an integer has at
most :data:`MAX_INTEGER_DIGITS` digits; and a YAML document, with every alias
expanded, has at most :data:`MAX_NODES` nodes, so an alias bomb is refused
while it is read instead of exploding later. A recursive YAML alias is refused.

YAML is read with a safe loader that also accepts CloudFormation's short-form
tags (``!Ref``, ``!Sub``, ``!GetAtt``...), turning each into the long form
(``{"Ref": ...}``, ``{"Fn::Sub": ...}``) so templates in either style read the
same. Timestamps are not recognised: an unquoted ``Version: 2012-10-17`` stays
the string IAM expects instead of becoming a date.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from iamsim._formats.locate import install_line_constructors
from iamsim.errors import InvalidInputError

__all__ = [
    "JSON_SUFFIXES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INTEGER_DIGITS",
    "MAX_NODES",
    "YAML_SUFFIXES",
    "is_yaml_path",
    "parse_json_text",
    "parse_yaml_text",
    "read_data",
    "read_text",
]

#: File name suffixes read as JSON.
JSON_SUFFIXES = frozenset({".json"})
#: File name suffixes read as YAML.
YAML_SUFFIXES = frozenset({".yaml", ".yml", ".template"})

#: The largest file read (16 MiB): sixteen times CloudFormation's largest template (1 MB), room for Terraform plans.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: The deepest nesting of mappings and lists in a data file (templates and plans nest a few tens deep).
MAX_DEPTH = 100
#: The most digits an integer may have (far above any id, quota or duration; far below Python's 4,300).
MAX_INTEGER_DIGITS = 100
#: The most nodes a YAML document may have with every alias expanded (a bound on what any reader walks).
MAX_NODES = 1_000_000

# Short forms whose long form is not simply "Fn::" + the tag name.
_LONG_FORMS = {"Ref": "Ref", "Condition": "Condition"}
# One JSON token that matters for nesting: a whole string (skipped), or a bracket. The closing quote is
# optional so an unterminated string is one match to the end, never rescanned: linear in the text.
_JSON_NESTING_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with nesting depth, expanded size and integer length bounded.

    The composer is PyYAML's only recursive stage before construction, so
    bounding its depth bounds the constructor's too. Each node's weight is its
    size with aliases expanded; the weight of an alias is that of its anchor,
    computed once, so the check is linear in the text.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._weights: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """Compose one node, refusing too deep nesting, recursive aliases and too large an expansion."""
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"nesting deeper than {MAX_DEPTH} levels",
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
            )
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            anchored = self.anchors.get(event.anchor)
            if anchored is not None and id(anchored) not in self._weights:
                # The anchor's node is still being composed: the alias is inside it.
                raise yaml.composer.ComposerError(None, None, "recursive alias", event.start_mark)
        node = super().compose_node(parent, index)
        self._depth -= 1
        if node is not None and id(node) not in self._weights:
            self._weights[id(node)] = self._weigh(node)
        return node

    def _weigh(self, node: yaml.Node) -> int:
        children: list[yaml.Node]
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            return 1
        weight = 1
        for child in children:
            child_weight = self._weights.get(id(child))
            weight += 1 if child_weight is None else child_weight
            if weight > MAX_NODES:
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_NODES} nodes with aliases expanded", node.start_mark
                )
        return weight

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """An integer, refused beyond :data:`MAX_INTEGER_DIGITS` digits before Python converts it."""
        text = str(node.value).replace("_", "").lstrip("+-")
        if text[:2].lower() in ("0x", "0o", "0b"):
            text = text[2:]
        if sum(char.isalnum() for char in text) > MAX_INTEGER_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"integer longer than {MAX_INTEGER_DIGITS} digits", node.start_mark
            )
        value: int = super().construct_yaml_int(node)
        return value


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)
# Drop the timestamp resolver: policy versions and other dates must stay strings.
BoundedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _CloudFormationLoader(BoundedLoader):
    """A bounded safe YAML loader that knows CloudFormation's ``!Tag`` short forms."""


def _construct_short_form(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = _LONG_FORMS.get(suffix, f"Fn::{suffix}")
    value: Any
    if isinstance(node, yaml.ScalarNode):
        scalar = loader.construct_scalar(node)
        # !GetAtt Resource.Attribute is the short form of ["Resource", "Attribute"].
        value = scalar.split(".", 1) if suffix == "GetAtt" and isinstance(scalar, str) else scalar
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _construct_short_form)


class _LocatingLoader(BoundedLoader):
    """A bounded loader whose mappings and lists remember the line of each key and item (hand-written files)."""


class _LocatingCloudFormationLoader(_CloudFormationLoader):
    """:class:`_LocatingLoader` that also knows CloudFormation's short forms."""


install_line_constructors(_LocatingLoader)
install_line_constructors(_LocatingCloudFormationLoader)


def is_yaml_path(path: Path) -> bool:
    """Whether ``path`` is read as YAML (by its suffix)."""
    return path.suffix.lower() in YAML_SUFFIXES


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES) -> str:
    """Return the UTF-8 text of the regular file ``path``, at most ``limit`` bytes.

    Raises :class:`~iamsim.errors.InvalidInputError` naming the file for a
    missing file, a directory, a device or FIFO (never opened: reading one
    could block or never end), a file too large, or text that is not UTF-8.
    """
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInputError(f"{path}: is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInputError(f"{path}: not a regular file")
        with open(path, "rb") as handle:
            # One byte more than allowed tells "too large" without reading a file that grew since stat.
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: no such file") from None
    except OSError as error:
        raise InvalidInputError(f"{path}: cannot read ({error.strerror or error})") from None
    except ValueError:
        # os.stat refuses a path with a NUL byte.
        raise InvalidInputError(f"{path!r}: not a usable file name") from None
    if len(data) > limit:
        raise InvalidInputError(f"{path}: larger than {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError(f"{path}: not UTF-8 text") from None


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def _check_json_bounds(text: str, origin: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and over-long integers before ``json`` sees them."""
    depth = 0
    for token in _JSON_NESTING_TOKEN.finditer(text):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                where = _where(text, token.start())
                raise InvalidInputError(f"{origin}: invalid JSON at {where}: nesting deeper than {MAX_DEPTH} levels")
        elif char in "]}":
            depth -= 1


def _json_integer(origin: str) -> Any:
    def parse_int(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
            raise InvalidInputError(f"{origin}: invalid JSON: integer longer than {MAX_INTEGER_DIGITS} digits")
        return int(digits)

    return parse_int


def parse_json_text(text: str, origin: str) -> Any:
    """Decode JSON ``text`` within the bounds above; errors name ``origin`` with line and column."""
    _check_json_bounds(text, origin)
    try:
        return json.loads(text, parse_int=_json_integer(origin))
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"{origin}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None


def parse_yaml_text(text: str, origin: str, *, cloudformation: bool = True, located: bool = False) -> Any:
    """Decode YAML ``text`` within the bounds above; errors name ``origin`` with line and column.

    With ``cloudformation`` the short-form tags (``!Ref``...) are read as their
    long forms; without it, any tag but YAML's own is an error. With
    ``located`` mappings and lists remember their lines
    (:class:`~iamsim._formats.locate.LocatedDict`), so a later check can say where a value is.
    """
    loaders: dict[tuple[bool, bool], type[BoundedLoader]] = {
        (False, False): BoundedLoader,
        (True, False): _CloudFormationLoader,
        (False, True): _LocatingLoader,
        (True, True): _LocatingCloudFormationLoader,
    }
    loader = loaders[cloudformation, located]
    try:
        return yaml.load(text, Loader=loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = error.problem or "not valid YAML"
        raise InvalidInputError(f"{origin}: invalid YAML{where}: {problem}") from None
    except yaml.YAMLError as error:
        raise InvalidInputError(f"{origin}: invalid YAML: {error}") from None


def read_data(path: Path, *, located: bool = False) -> Any:
    """Read ``path`` as JSON (``.json``) or YAML (``.yaml``/``.yml``/``.template``).

    Other suffixes are read as JSON when the text starts with ``{`` or ``[``,
    else as YAML. With ``located``, YAML's mappings and lists remember their lines.
    """
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES or (suffix not in YAML_SUFFIXES and text.lstrip()[:1] in ("{", "[")):
        return parse_json_text(text, str(path))
    return parse_yaml_text(text, str(path), located=located)
