"""Decode AWS Query protocol requests (``Action=...&Version=...&...``) from the service model.

The form parameters are first arranged into a tree by their dotted names, then read
against the operation's input shape: structures by member name, lists as
``Name.member.N`` (or ``Name.N`` when flattened; an empty value is the empty list), maps as
``Name.entry.N.key``/``.value``. Scalars become ``int``, ``bool``, ``float``, aware UTC
``datetime`` and ``bytes`` as boto3 would have given them. Every constraint of the model
is checked on the way, and all violations are reported together as one ``ValidationError``.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from iamsim._wire.constraints import member_path, null_violation, validation_error, value_violations, violation
from iamsim.errors import InvalidActionError, MalformedQueryStringError, MissingActionError

__all__ = [
    "decode_parameters",
    "decode_query_request",
    "parse_form",
    "resolve_operation",
]

_INTEGER = re.compile(r"[+-]?\d+")


def parse_form(body: bytes | str) -> dict[str, str]:
    """Parse an ``application/x-www-form-urlencoded`` body; a repeated name keeps its last value."""
    if isinstance(body, bytes):
        try:
            text = body.decode("ascii")
        except UnicodeDecodeError as error:
            raise MalformedQueryStringError("The query string contains bytes that are not URL-encoded.") from error
    else:
        text = body
    # parse_qsl(text, keep_blank_values=True) without its per-field overhead: fields split on "&", empty ones
    # skipped, a field without "=" a blank value, "+" a space, percent-escapes decoded as strict UTF-8.
    params: dict[str, str] = {}
    try:
        for field in text.split("&"):
            if not field:
                continue
            name, _, value = field.partition("=")
            if "+" in name or "%" in name:
                name = _form_decoded(name)
            if "+" in value or "%" in value:
                value = _form_decoded(value) if len(value) <= _REMEMBERED_LENGTH else _form_decode(value)
            params[name] = value
    except UnicodeDecodeError as error:
        raise MalformedQueryStringError("The query string contains percent-escapes that are not UTF-8.") from error
    return params


#: Encoded fields up to this length are remembered decoded (ARNs, names; not policy documents).
_REMEMBERED_LENGTH = 256


def _form_decode(text: str) -> str:
    """A form field's text: ``+`` a space, percent-escapes strict UTF-8 (``UnicodeDecodeError`` otherwise)."""
    return unquote(text.replace("+", " "), encoding="utf-8", errors="strict")


# Requests repeat the same encoded ARNs and names; ``unquote`` costs a few us each time (regular
# expression split, bytes join). A pure function of short text, so a bounded cache is safe to share.
_form_decoded = functools.lru_cache(maxsize=1024)(_form_decode)


def resolve_operation(service_model: Any, params: Mapping[str, str]) -> Any:
    """The botocore ``OperationModel`` named by the ``Action`` (and ``Version``) parameters."""
    action = params.get("Action")
    if not action:
        raise MissingActionError()
    version = params.get("Version") or service_model.api_version
    if version != service_model.api_version or action not in service_model.operation_names:
        raise InvalidActionError(f"Could not find operation {action} for version {version}")
    return service_model.operation_model(action)


def decode_parameters(operation_model: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """The boto3-shaped input of an operation, validated against its input shape."""
    shape = operation_model.input_shape
    if shape is None:
        return {}
    flat = _flat_decoding(shape, params)
    if flat is not None:
        return flat
    return _tree_decoding(shape, params)


def _tree_decoding(shape: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """:func:`decode_parameters` through the tree of dotted names: any request, every violation in model order."""
    root = _Node()
    for name, value in params.items():
        if name in ("Action", "Version"):
            continue
        node = root
        for part in name.split("."):
            node = node.children.setdefault(part, _Node())
        node.value = value
    decoder = _Decoder()
    result = decoder.structure(shape, root, "")
    if decoder.violations:
        raise validation_error(decoder.violations)
    return result


@functools.lru_cache(maxsize=2048)
def _flat_layout(shape: Any) -> tuple[dict[str, tuple[str, Any, str]], tuple[str, ...]]:
    """A structure's scalar members by form name (member name, shape, error path), and its required form names."""
    layout = _structure_layout(shape)
    scalars = {
        wire_name: (name, member, relative)
        for name, wire_name, member, _, relative in layout
        if member.type_name not in ("structure", "list", "map")
    }
    return scalars, tuple(wire_name for _, wire_name, _, required, _ in layout if required)


def _flat_decoding(shape: Any, params: Mapping[str, str]) -> dict[str, Any] | None:
    """The input of a request whose every parameter is a scalar member of ``shape``, when nothing is wrong with it.

    Most requests (AssumeRole with a role and a session name) name a few top-level
    scalars; reading them straight from the form skips the tree of dotted names and the
    walk over every member of the shape. ``None`` whenever the tree could decide
    otherwise (a dotted, list, map or unknown name, a missing required member, any
    violation): :func:`_tree_decoding` then decodes the request and reports its
    violations in the model's order. A test holds the two equal.
    """
    scalars, required = _flat_layout(shape)
    for wire_name in required:
        if wire_name not in params:
            return None
    decoder = _Decoder()
    result: dict[str, Any] = {}
    for name, text in params.items():
        if name == "Action" or name == "Version":
            continue
        found = scalars.get(name)
        if found is None:
            return None
        member_name, member, path = found
        decoded = decoder.scalar(member, text, path)
        if decoded is _INVALID or value_violations(member, decoded, path):
            return None
        result[member_name] = decoded
    return result


def decode_query_request(service_model: Any, body: bytes | str) -> tuple[str, dict[str, Any]]:
    """Decode a Query form body into ``(operation name, boto3-shaped input)``.

    Raises ``MissingActionError``/``InvalidActionError`` for a missing or unknown action,
    ``ValidationError`` for input that breaks the model's constraints and
    ``MalformedQueryStringError`` for a body that is not form-encoded UTF-8.
    """
    params = parse_form(body)
    operation_model = resolve_operation(service_model, params)
    return operation_model.name, decode_parameters(operation_model, params)


@dataclass(slots=True)
class _Node:
    value: str | None = None
    children: dict[str, _Node] = field(default_factory=dict)


class _Invalid:
    """Marks a value that could not be converted (its violation is already recorded)."""


_INVALID = _Invalid()


@functools.lru_cache(maxsize=2048)
def _structure_layout(shape: Any) -> tuple[tuple[str, str, Any, bool, str], ...]:
    """Per member of a (cached, read-only) structure shape: name, form name, shape, required, path segment.

    Read once per shape rather than per request: a request names a few members
    of a structure that has a dozen (AssumeRole's), and every one is looked up.
    """
    required = shape.required_members
    return tuple(
        (name, member.serialization.get("name", name), member, name in required, member_path("", name))
        for name, member in shape.members.items()
    )


class _Decoder:
    def __init__(self) -> None:
        self.violations: list[str] = []

    def value(self, shape: Any, node: _Node, path: str) -> Any:
        type_name = shape.type_name
        if type_name == "structure":
            decoded: Any = self.structure(shape, node, path)
        elif type_name == "list":
            decoded = self.list(shape, node, path)
        elif type_name == "map":
            decoded = self.map(shape, node, path)
        else:
            decoded = self.scalar(shape, node.value or "", path)
        if decoded is not _INVALID:
            self.violations.extend(value_violations(shape, decoded, path))
        return decoded

    def structure(self, shape: Any, node: _Node, path: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        children = node.children
        for name, wire_name, member, required, relative in _structure_layout(shape):
            child = children.get(wire_name)
            if child is None or (child.value is None and not child.children):
                if required:
                    self.violations.append(null_violation(f"{path}.{relative}" if path else relative))
                continue
            decoded = self.value(member, child, f"{path}.{relative}" if path else relative)
            if decoded is not _INVALID:
                result[name] = decoded
        return result

    def list(self, shape: Any, node: _Node, path: str) -> list[Any]:
        member = shape.member
        if shape.serialization.get("flattened"):
            items = node
        else:
            items = node.children.get(member.serialization.get("name", "member"), _Node())
        result: list[Any] = []
        for index, child in _indexed(items):
            decoded = self.value(member, child, f"{path}.{index}.member")
            if decoded is not _INVALID:
                result.append(decoded)
        return result

    def map(self, shape: Any, node: _Node, path: str) -> dict[Any, Any]:
        entries = node if shape.serialization.get("flattened") else node.children.get("entry", _Node())
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        result: dict[Any, Any] = {}
        for index, entry in _indexed(entries):
            key_node = entry.children.get(key_name)
            value_node = entry.children.get(value_name)
            if key_node is None:
                self.violations.append(null_violation(f"{path}.{index}.key"))
                continue
            if value_node is None:
                self.violations.append(null_violation(f"{path}.{index}.value"))
                continue
            key = self.value(shape.key, key_node, f"{path}.{index}.key")
            value = self.value(shape.value, value_node, f"{path}.{index}.value")
            if key is not _INVALID and value is not _INVALID:
                result[key] = value
        return result

    def scalar(self, shape: Any, text: str, path: str) -> Any:
        type_name = shape.type_name
        if type_name == "string":
            return text
        if type_name in ("integer", "long"):
            if _INTEGER.fullmatch(text):
                return int(text)
            return self._reject(shape, text, path, "Member must be a number")
        if type_name in ("float", "double"):
            try:
                return float(text)
            except ValueError:
                return self._reject(shape, text, path, "Member must be a number")
        if type_name == "boolean":
            lowered = text.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            return self._reject(shape, text, path, "Member must be true or false")
        if type_name == "timestamp":
            parsed = _parse_timestamp(text)
            if parsed is None:
                return self._reject(shape, text, path, "Member must be an ISO 8601 timestamp")
            return parsed
        if type_name == "blob":
            try:
                return base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                return self._reject(shape, text, path, "Member must be base64-encoded")
        return text

    def _reject(self, shape: Any, text: str, path: str, constraint: str) -> _Invalid:
        self.violations.append(violation(shape, text, path, constraint))
        return _INVALID


def _indexed(node: _Node) -> list[tuple[int, _Node]]:
    """The numbered children of a list or map node, in index order; other names are ignored."""
    numbered = [(int(name), child) for name, child in node.children.items() if name.isdigit() and int(name) > 0]
    numbered.sort(key=lambda pair: pair[0])
    return numbered


def _parse_timestamp(text: str) -> datetime.datetime | None:
    """ISO 8601 (botocore's query format) or epoch seconds, as an aware UTC datetime."""
    try:
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return datetime.datetime.fromtimestamp(float(text), tz=datetime.UTC)
        parsed = datetime.datetime.fromisoformat(text)
    except (ValueError, OverflowError, OSError):
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=datetime.UTC)
    return parsed.astimezone(datetime.UTC)
