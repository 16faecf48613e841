"""Service-model constraints (min/max, pattern, enum, required) with AWS's exact messages.

AWS reports every violated constraint of a request at once, in the form (§G.1)::

    1 validation error detected: Value 'a:b' at 'roleSessionName' failed to satisfy
    constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*

Member paths are the model's member names with the first letter lowercased, joined by
dots; list elements are ``<list>.<n>.member`` (1-based), map entries
``<map>.<n>.key``/``.value``. Values of ``sensitive`` shapes are never echoed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from iamsim._wire.patterns import matches_model_pattern
from iamsim.errors import ValidationError

__all__ = [
    "member_path",
    "null_violation",
    "validation_error",
    "value_violations",
    "violation",
]

_NUMBER_TYPES = frozenset({"integer", "long", "float", "double"})
_SIZED_TYPES = frozenset({"string", "blob", "list", "map"})


def member_path(parent: str, member_name: str) -> str:
    """The AWS path of a structure member: ``roleSessionName``, ``tags.1.member.key``."""
    name = member_name[:1].lower() + member_name[1:]
    return f"{parent}.{name}" if parent else name


def describe_value(value: Any) -> str:
    """Render a value as AWS's (Java) error messages do: strings raw, lists as ``[a, b]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{describe_value(k)}={describe_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(describe_value(item) for item in value) + "]"
    return str(value)


def violation(shape: Any, value: Any, path: str, constraint: str) -> str:
    """One violation sentence; the value is omitted for ``sensitive`` shapes, as AWS does."""
    if shape.metadata.get("sensitive"):
        return f"Value at '{path}' failed to satisfy constraint: {constraint}"
    return f"Value '{describe_value(value)}' at '{path}' failed to satisfy constraint: {constraint}"


def null_violation(path: str) -> str:
    """The violation of a required member that is absent."""
    return f"Value null at '{path}' failed to satisfy constraint: Member must not be null"


def value_violations(shape: Any, value: Any, path: str) -> list[str]:
    """The constraint violations of one decoded value (not of its elements or members)."""
    metadata = shape.metadata
    found: list[str] = []
    type_name = shape.type_name
    # Strings, lists and maps are bounded by their length, numbers by their value; AWS words the two alike.
    measure = "length" if type_name in _SIZED_TYPES else "value" if type_name in _NUMBER_TYPES else None
    if measure is not None:
        size = len(value) if measure == "length" else value
        if "min" in metadata and size < metadata["min"]:
            found.append(
                violation(shape, value, path, f"Member must have {measure} greater than or equal to {metadata['min']}")
            )
        if "max" in metadata and size > metadata["max"]:
            found.append(
                violation(shape, value, path, f"Member must have {measure} less than or equal to {metadata['max']}")
            )
    if type_name == "string":
        pattern = metadata.get("pattern")
        if pattern is not None and not matches_model_pattern(pattern, value):
            found.append(violation(shape, value, path, f"Member must satisfy regular expression pattern: {pattern}"))
        enum = metadata.get("enum")
        if enum and value not in enum:
            found.append(violation(shape, value, path, f"Member must satisfy enum value set: [{', '.join(enum)}]"))
    return found


def validation_error(violations: Sequence[str]) -> ValidationError:
    """The ``ValidationError`` AWS returns for a list of violations (at least one)."""
    count = len(violations)
    noun = "validation error" if count == 1 else "validation errors"
    return ValidationError(f"{count} {noun} detected: {'; '.join(violations)}")
