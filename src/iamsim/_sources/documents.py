"""Reading JSON and YAML files into plain data, with errors that name the file and the place.

YAML is read with a safe loader that also accepts CloudFormation's short-form
tags (``!Ref``, ``!Sub``, ``!GetAtt``...), turning each into the long form
(``{"Ref": ...}``, ``{"Fn::Sub": ...}``) so templates in either style read the
same. Timestamps are not recognised: an unquoted ``Version: 2012-10-17`` stays
the string IAM expects instead of becoming a date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from iamsim.errors import InvalidInputError

__all__ = ["JSON_SUFFIXES", "YAML_SUFFIXES", "is_yaml_path", "read_data", "read_text"]

#: File name suffixes read as JSON.
JSON_SUFFIXES = frozenset({".json"})
#: File name suffixes read as YAML.
YAML_SUFFIXES = frozenset({".yaml", ".yml", ".template"})

# Short forms whose long form is not simply "Fn::" + the tag name.
_LONG_FORMS = {"Ref": "Ref", "Condition": "Condition"}


class _CloudFormationLoader(yaml.SafeLoader):
    """A safe YAML loader that knows CloudFormation's ``!Tag`` short forms."""


# Drop the timestamp resolver: policy versions and other dates must stay strings.
_CloudFormationLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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


def is_yaml_path(path: Path) -> bool:
    """Whether ``path`` is read as YAML (by its suffix)."""
    return path.suffix.lower() in YAML_SUFFIXES


def read_text(path: Path) -> str:
    """Return the UTF-8 text of ``path``; raise :class:`~iamsim.errors.InvalidInputError` naming the file."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInputError(f"{path}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise InvalidInputError(f"{path}: cannot read ({error.strerror or error})") from None


def parse_json_text(text: str, origin: str) -> Any:
    """Decode JSON ``text``; errors name ``origin`` with line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"{origin}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None


def parse_yaml_text(text: str, origin: str) -> Any:
    """Decode YAML ``text`` (CloudFormation tags allowed); errors name ``origin`` with line and column."""
    try:
        return yaml.load(text, Loader=_CloudFormationLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = error.problem or "not valid YAML"
        raise InvalidInputError(f"{origin}: invalid YAML{where}: {problem}") from None
    except yaml.YAMLError as error:
        raise InvalidInputError(f"{origin}: invalid YAML: {error}") from None


def read_data(path: Path) -> Any:
    """Read ``path`` as JSON (``.json``) or YAML (``.yaml``/``.yml``/``.template``).

    Other suffixes are read as JSON when the text starts with ``{`` or ``[``,
    else as YAML.
    """
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES or (suffix not in YAML_SUFFIXES and text.lstrip()[:1] in ("{", "[")):
        return parse_json_text(text, str(path))
    return parse_yaml_text(text, str(path))
