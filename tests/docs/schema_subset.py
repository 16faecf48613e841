"""A small JSON Schema checker for the subset of keywords the published schemas use.

The project has no JSON Schema library as a dependency; this checks the
keywords pydantic writes into ``docs/schemas/`` ($ref into $defs, anyOf,
oneOf, type, enum, const, properties, required, additionalProperties, items,
minLength, pattern, patternProperties, minProperties) and refuses any other keyword, so a schema that starts
using one this checker ignores fails loudly instead of passing silently.
"""

from __future__ import annotations

import re
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}
# Keywords that only describe: they constrain nothing (pydantic's OpenAPI-style "discriminator" only
# names the key that picks a oneOf branch, which oneOf checks anyway).
_ANNOTATIONS = frozenset({"title", "description", "default", "$schema", "$id", "$defs", "examples", "discriminator"})


def _is_type(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    return isinstance(value, _TYPES[name])


def problems(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    """Every way ``value`` breaks ``schema`` (``root`` holds the ``$defs``); empty when it conforms."""
    found: list[str] = []
    for keyword in schema:
        if keyword in _ANNOTATIONS:
            continue
        if keyword not in {
            "$ref", "anyOf", "oneOf", "type", "enum", "const", "properties", "required",
            "additionalProperties", "patternProperties", "minProperties", "items", "minLength", "pattern",
        }:  # fmt: skip
            found.append(f"{path}: the checker does not know the keyword {keyword!r}")
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        found += problems(value, root["$defs"][name], root, path)
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            passing = [branch for branch in schema[keyword] if not problems(value, branch, root, path)]
            if not passing or (keyword == "oneOf" and len(passing) > 1):
                found.append(f"{path}: matches {len(passing)} of the {keyword} branches")
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, name) for name in names):
            found.append(f"{path}: {type(value).__name__} is not {names}")
            return found
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        found.append(f"{path}: {value!r} is not {schema['const']!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            found.append(f"{path}: shorter than {schema['minLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{path}: does not match {schema['pattern']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        if len(value) < schema.get("minProperties", 0):
            found.append(f"{path}: fewer than {schema['minProperties']} keys")
        for key in schema.get("required", []):
            if key not in value:
                found.append(f"{path}: lacks {key!r}")
        extra = schema.get("additionalProperties", True)
        patterns = schema.get("patternProperties", {})
        for key, item in value.items():
            matching = [pattern for pattern in patterns if re.search(pattern, key)]
            for pattern in matching:
                found += problems(item, patterns[pattern], root, f"{path}.{key}")
            if key in properties:
                found += problems(item, properties[key], root, f"{path}.{key}")
            elif matching:
                continue
            elif extra is False:
                found.append(f"{path}: has {key!r}, which the schema does not list")
            elif isinstance(extra, dict):
                found += problems(item, extra, root, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            found += problems(item, schema["items"], root, f"{path}[{n}]")
    return found
