"""Wire text into botocore's parameter form: what an SDK passed, as the enforcement tables read it.

:mod:`.decode` finds the operation; this module turns what the request carries into the
parameters a boto3 caller would have written, by the operation's input shape, so the
enforcement tables (which read boto3's parameters) decide an HTTP request and an
in-process call alike:

* Query (``query``, ``ec2``): flat pairs (``Tags.member.1.Key=k``) become nested lists,
  maps and structures, following botocore's own serializer (``member``/``entry`` wrappers,
  flattened members, serialization names, ``ec2``'s ``Name.N`` lists);
* REST (S3, Lambda...): a URI label, query-string value or header becomes its member's
  type (``"true"`` a boolean, ``"5"`` an integer), ``x-amz-meta-*`` headers the metadata
  map; a payload member is read from the body: a string payload (a bucket policy) as
  text, a structure as XML (``rest-xml``) or JSON (``rest-json``). Streaming payloads (an
  object's bytes) are not read: no table decides by them.

Malformed bodies raise :class:`UndecodableRequestError` with the reason; an XML body with
a document type declaration is refused outright (no entity expansion).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree

from iamsim.errors import UndecodableRequestError

__all__ = ["header_value", "json_payload", "query_params", "scalar", "xml_payload"]


def scalar(shape: Any, text: str) -> Any:
    """``text`` (as sent on the wire) as a value of scalar ``shape``: booleans and numbers typed, the rest text."""
    kind = shape.type_name
    if kind == "boolean":
        return text.lower() == "true"
    try:
        if kind in ("integer", "long"):
            return int(text)
        if kind in ("float", "double"):
            return float(text)
    except ValueError:
        raise UndecodableRequestError(f"{text!r} is not a number ({shape.name})") from None
    return text


def header_value(shape: Any, text: str) -> Any:
    """A header's value as its member's type (a ``jsonvalue`` header is base64 JSON, kept as sent)."""
    if shape.type_name == "list":
        return [scalar(shape.member, part.strip()) for part in text.split(",")]
    return scalar(shape, text)


# --------------------------------------------------------------------- Query


def query_params(shape: Any, flat: Mapping[str, str], *, ec2: bool = False) -> dict[str, Any]:
    """The flat ``Name.1.Member`` pairs of a Query request as the nested parameters of ``shape``."""
    if shape is None:
        return {}
    value = _query_structure(shape, "", flat, ec2)
    return value if isinstance(value, dict) else {}


def _query_name(member: Any, name: str, ec2: bool) -> str:
    if ec2:
        if "queryName" in member.serialization:
            return str(member.serialization["queryName"])
        located = member.serialization.get("name")
        return located[0].upper() + located[1:] if located else name
    return str(member.serialization.get("name", name))


def _has_prefix(flat: Mapping[str, str], prefix: str) -> bool:
    dotted = prefix + "."
    return prefix in flat or any(key.startswith(dotted) for key in flat)


def _query_value(shape: Any, prefix: str, flat: Mapping[str, str], ec2: bool) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return _query_structure(shape, prefix + ".", flat, ec2)
    if kind == "list":
        return _query_list(shape, prefix, flat, ec2)
    if kind == "map":
        return _query_map(shape, prefix, flat, ec2)
    return scalar(shape, flat[prefix])


def _query_structure(shape: Any, prefix: str, flat: Mapping[str, str], ec2: bool) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, member in shape.members.items():
        key = prefix + _query_name(member, name, ec2)
        if _has_prefix(flat, key):
            found[name] = _query_value(member, key, flat, ec2)
    return found


def _indexed(prefix: str, flat: Mapping[str, str]) -> list[str]:
    """``prefix.1``, ``prefix.2``... while present (Query lists count from 1 without gaps)."""
    found: list[str] = []
    while _has_prefix(flat, f"{prefix}.{len(found) + 1}"):
        found.append(f"{prefix}.{len(found) + 1}")
    return found


def _query_list(shape: Any, prefix: str, flat: Mapping[str, str], ec2: bool) -> list[Any]:
    if flat.get(prefix) == "":
        return []  # botocore sends an empty list as the bare name
    if ec2 or shape.serialization.get("flattened"):
        member_name = shape.member.serialization.get("name")
        items = prefix if ec2 or not member_name else ".".join([*prefix.split(".")[:-1], member_name])
    else:
        items = f"{prefix}.{shape.member.serialization.get('name', 'member')}"
    return [_query_value(shape.member, key, flat, ec2) for key in _indexed(items, flat)]


def _query_map(shape: Any, prefix: str, flat: Mapping[str, str], ec2: bool) -> dict[str, Any]:
    entries = prefix if shape.serialization.get("flattened") else f"{prefix}.entry"
    key_name = shape.key.serialization.get("name", "key")
    value_name = shape.value.serialization.get("name", "value")
    found: dict[str, Any] = {}
    for entry in _indexed(entries, flat):
        if f"{entry}.{key_name}" in flat:
            found[flat[f"{entry}.{key_name}"]] = _query_value(shape.value, f"{entry}.{value_name}", flat, ec2)
    return found


# --------------------------------------------------------------------- XML payloads


def xml_payload(shape: Any, body: bytes) -> Any:
    """A ``rest-xml`` structure payload (S3's ``<Tagging>``, ``<Delete>``) as parameters of ``shape``."""
    text = body.decode("utf-8", "replace")
    if "<!DOCTYPE" in text.upper():
        raise UndecodableRequestError("the XML body declares a document type, which AWS does not accept")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise UndecodableRequestError(f"the body is not well-formed XML: {error}") from None
    return _xml_value(shape, root)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_value(shape: Any, element: ElementTree.Element) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return _xml_structure(shape, element)
    if kind == "list":
        name = shape.member.serialization.get("name", "member")
        return [_xml_value(shape.member, child) for child in element if _local(child.tag) == name]
    if kind == "map":
        return _xml_map(shape, list(element))
    return scalar(shape, element.text or "")


def _xml_structure(shape: Any, element: ElementTree.Element) -> dict[str, Any]:
    found: dict[str, Any] = {}
    children = list(element)
    for name, member in shape.members.items():
        if member.serialization.get("location"):
            continue
        if member.serialization.get("xmlAttribute"):
            attribute = member.serialization.get("name", name)
            for key, value in element.attrib.items():
                if _local(key) == attribute.rsplit(":", 1)[-1]:
                    found[name] = value
            continue
        wire = member.serialization.get("name", name)
        if member.type_name in ("list", "map") and member.serialization.get("flattened"):
            item_name = wire
            if member.type_name == "list":
                item_name = member.member.serialization.get("name", wire)
            matching = [child for child in children if _local(child.tag) == item_name]
            if matching:
                found[name] = (
                    [_xml_value(member.member, child) for child in matching]
                    if member.type_name == "list"
                    else _xml_map(member, matching, entries_are_children=False)
                )
            continue
        for child in children:
            if _local(child.tag) == wire:
                found[name] = _xml_value(member, child)
                break
    return found


def _xml_map(shape: Any, entries: list[ElementTree.Element], *, entries_are_children: bool = True) -> dict[str, Any]:
    key_name = shape.key.serialization.get("name", "key")
    value_name = shape.value.serialization.get("name", "value")
    found: dict[str, Any] = {}
    for entry in entries:
        if entries_are_children and _local(entry.tag) != "entry":
            continue
        parts = {_local(child.tag): child for child in entry}
        if key_name in parts and value_name in parts:
            found[parts[key_name].text or ""] = _xml_value(shape.value, parts[value_name])
    return found


def json_payload(body: bytes) -> Any:
    """A ``rest-json`` body as parsed JSON (``{}`` when empty)."""
    try:
        return json.loads(body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UndecodableRequestError(f"the body is not JSON: {error}") from None
