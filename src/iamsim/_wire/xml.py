"""Render AWS Query protocol XML responses and errors from the service model.

A response is ``<{Op}Response xmlns=...><{Op}Result>...</{Op}Result><ResponseMetadata>
<RequestId>...</RequestId></ResponseMetadata></{Op}Response>``; the result is written
member by member in the order of the output shape. Lists are ``<member>`` elements, maps
``<entry><key/><value/></entry>``, timestamps ISO 8601 in UTC with ``Z``, booleans
``true``/``false``, blobs base64. IAM policy documents (shape ``policyDocumentType``) are
URL-encoded, as AWS sends them (§H.5); botocore's IAM customisation decodes them again.
"""

from __future__ import annotations

import base64
import datetime
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple
from urllib.parse import quote

from iamsim._wire.http import HttpResponse
from iamsim.errors import OutputShapeError

__all__ = [
    "CONTENT_TYPE",
    "ResultXml",
    "encode_policy_document",
    "escape_text",
    "escape_texts",
    "format_timestamp",
    "render_error",
    "render_response",
    "response_headers",
]

#: The content type AWS sends with Query protocol responses.
CONTENT_TYPE = "text/xml"

_POLICY_DOCUMENT_SHAPE = "policyDocumentType"

# XML 1.0 cannot carry most C0 controls at all, not even as character references; a CR must
# be a reference or parsers turn it into LF.
_TEXT_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_TEXT_ESCAPES.update({code: "\ufffd" for code in range(0x20) if chr(code) not in "\t\n\r"})
_TEXT_ESCAPES.update({0xFFFE: "\ufffd", 0xFFFF: "\ufffd"})
_TEXT_ESCAPES.update(dict.fromkeys(range(0xD800, 0xE000), "\ufffd"))


#: The ASCII characters :data:`_TEXT_ESCAPES` changes.
_ASCII_ESCAPED = bytes(code for code in _TEXT_ESCAPES if code < 0x80)


def escape_text(text: str) -> str:
    """XML character data for ``text``; characters XML 1.0 cannot carry become U+FFFD."""
    # str.translate looks each distinct character up in the table and raises (and clears) a KeyError
    # for every one it does not hold: about 5 us for an ARN, 15 for a session token. Most text is
    # ASCII needing no escape, which deleting the escaped bytes (a C loop) tells in well under a us.
    if _plain(text):
        return text
    return text.translate(_TEXT_ESCAPES)


def escape_texts(*texts: str) -> tuple[str, ...]:
    """Each of ``texts`` as by :func:`escape_text`, with one check for all when none needs escaping (the usual case)."""
    if _plain("".join(texts)):
        return texts
    return tuple(text.translate(_TEXT_ESCAPES) for text in texts)


def _plain(text: str) -> bool:
    """Whether ``text`` is ASCII holding no character :data:`_TEXT_ESCAPES` changes (XML text as it is)."""
    if not text.isascii():
        return False
    raw = text.encode("ascii")
    return len(raw.translate(None, _ASCII_ESCAPED)) == len(raw)


class ResultXml(NamedTuple):
    """An operation's result element (``<{Op}Result>...</{Op}Result>``) already written as XML text, in pieces.

    For the few answers written straight from their records (:mod:`iamsim._handlers.sts_xml`):
    every value in ``parts`` is escaped with :func:`escape_text` (or :func:`escape_texts`) by
    whoever wrote it. The pieces are joined once, with the rest of the response: an answer
    carries a session token of several hundred characters, and each join copies it.
    """

    parts: list[str]


def render_response(
    service_model: Any,
    operation_name: str,
    output: Mapping[str, Any] | ResultXml,
    request_id: str,
) -> bytes:
    """The XML body of a successful response to ``operation_name``.

    ``output`` is shaped like boto3's parsed output (without ``ResponseMetadata``); keys
    the output shape does not have, or values of the wrong type, raise
    :class:`~iamsim.errors.OutputShapeError` because they are bugs in a handler.
    A :class:`ResultXml` is the result element written already, put in as it is.
    """
    opening, closing, write = _frame(service_model, operation_name)
    if type(output) is ResultXml:
        parts = [opening, *output.parts]
    elif write is not None:
        parts = [opening]
        write(parts, output, operation_name)
    elif output:
        raise OutputShapeError(f"{operation_name} has no output, but the handler returned {sorted(output)}")
    else:
        parts = [opening]
    parts.append(f"<ResponseMetadata><RequestId>{escape_text(request_id)}</RequestId></ResponseMetadata>{closing}")
    return "".join(parts).encode()


@functools.lru_cache(maxsize=1024)
def _frame(service_model: Any, operation_name: str) -> tuple[str, str, _Write | None]:
    """The root element's opening and closing tags of an operation's answer, and its result's writer (if any)."""
    namespace = service_model.metadata.get("xmlNamespace", "")
    shape = service_model.operation_model(operation_name).output_shape
    write = None
    if shape is not None:
        write = _structure_writer_of(shape, shape.serialization.get("resultWrapper", f"{operation_name}Result"))
    return f'<{operation_name}Response xmlns="{escape_text(namespace)}">', f"</{operation_name}Response>", write


def render_error(
    code: str,
    message: str,
    status: int,
    request_id: str,
    fault: str = "Sender",
    *,
    namespace: str | None = None,
) -> HttpResponse:
    """An AWS Query error response: ``<ErrorResponse><Error><Type/><Code/><Message/></Error>``.

    ``namespace`` is the service's XML namespace (AWS sends it on errors too); without it
    the root element carries none.
    """
    xmlns = f' xmlns="{escape_text(namespace)}"' if namespace else ""
    body = (
        f"<ErrorResponse{xmlns}><Error><Type>{escape_text(fault)}</Type><Code>{escape_text(code)}</Code>"
        f"<Message>{escape_text(message)}</Message></Error>"
        f"<RequestId>{escape_text(request_id)}</RequestId></ErrorResponse>"
    ).encode()
    return HttpResponse(status, response_headers(request_id, body), body)


def response_headers(request_id: str, body: bytes) -> dict[str, str]:
    """The headers AWS sends with every Query response."""
    return {"x-amzn-RequestId": request_id, "Content-Type": CONTENT_TYPE, "Content-Length": str(len(body))}


_ISOFORMAT = datetime.datetime.isoformat


def format_timestamp(value: datetime.datetime) -> str:
    """ISO 8601 in UTC with ``Z``; fractional seconds only when there are any."""
    if value.tzinfo is None:
        raise OutputShapeError(f"timestamp {value!r} has no time zone")
    utc = value if value.tzinfo is datetime.UTC else value.astimezone(datetime.UTC)
    if utc.year >= 1000:
        # isoformat is a third of strftime's cost and, in UTC from year 1000 on, the same text with ``+00:00``.
        # datetime's own: a user's clock may give a subclass writing its own ISO text (``Z`` for ``+00:00``).
        return _ISOFORMAT(utc)[:-6] + "Z"
    if utc.microsecond:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def encode_policy_document(document: str | Mapping[str, Any]) -> str:
    """A policy document as IAM puts it on the wire: RFC 3986 percent-encoded JSON."""
    text = document if isinstance(document, str) else json.dumps(document)
    return quote(text, safe="-_.~")


@functools.lru_cache(maxsize=1024)
def _structure_writer_of(shape: Any, tag: str) -> _Write:
    """The cached writer of an operation's result structure (its wrapper element ``tag`` included)."""
    return _structure_writer(shape, tag)


#: Writes one element of a value into ``parts``; ``path`` names the value in an error.
_Write = Callable[[list[str], Any, str], None]


@functools.lru_cache(maxsize=4096)
def _element_writer(tag: str, shape: Any) -> _Write:
    """How to write a value of ``shape`` as element ``tag``, worked out once per (cached, read-only) shape.

    Each writer holds its tags and its members' writers, so writing reads no
    model: the shape's type, serialisation and member names are looked at here,
    not per element of every answer.
    """
    type_name = shape.type_name
    flattened = shape.serialization.get("flattened")
    if type_name == "list":
        member = shape.member
        if flattened:
            return _list_writer(lambda: _element_writer(tag, member), None)
        member_tag = member.serialization.get("name", "member")
        return _list_writer(lambda: _element_writer(member_tag, member), tag)
    if type_name == "map":
        return _map_writer(shape, tag if flattened else "entry", None if flattened else tag)
    if type_name == "structure":
        return _structure_writer(shape, tag)
    opening, closing = f"<{tag}>", f"</{tag}>"
    if type_name == "string" and shape.name != _POLICY_DOCUMENT_SHAPE:

        def write_string(parts: list[str], value: Any, path: str) -> None:
            if not isinstance(value, str):
                _scalar(shape, value, path)
            parts.append(opening + escape_text(value) + closing)

        return write_string

    def write_scalar(parts: list[str], value: Any, path: str) -> None:
        parts.append(opening + escape_text(_scalar(shape, value, path)) + closing)

    return write_scalar


def _structure_writer(shape: Any, tag: str | None) -> _Write:
    """A structure's members in model order, inside ``tag`` (none for an operation's result)."""
    names = frozenset(shape.members)
    opening, closing = (f"<{tag}>", f"</{tag}>") if tag is not None else ("", "")
    resolved: list[tuple[tuple[str, _Write], ...]] = []

    def write(parts: list[str], value: Any, path: str) -> None:
        # ``type is dict`` first: the ABC check costs more than the rest of a small structure.
        if type(value) is not dict and not isinstance(value, Mapping):
            raise OutputShapeError(f"{path}: expected a mapping for {shape.name}, got {type(value).__name__}")
        if not names.issuperset(value):
            raise OutputShapeError(f"{path}: {shape.name} has no members {sorted(set(value) - names)}")
        if not resolved:
            # Resolved on first use, not when built, so that a shape containing itself terminates; two
            # threads doing it at once append equal tuples, and both use the first.
            resolved.append(
                tuple(
                    (name, _element_writer(member.serialization.get("name", name), member))
                    for name, member in shape.members.items()
                )
            )
        members = resolved[0]
        if opening:
            parts.append(opening)
        for name, write_member in members:
            item = value.get(name)
            if item is not None:
                write_member(parts, item, f"{path}.{name}")
        if closing:
            parts.append(closing)

    return write


def _list_writer(item_writer: Callable[[], _Write], tag: str | None) -> _Write:
    """A list's items, each by the writer ``item_writer`` gives, inside ``tag`` (none when flattened)."""

    def write(parts: list[str], value: Any, path: str) -> None:
        items = _sequence(value, path)
        write_item = item_writer()
        if tag is not None:
            parts.append(f"<{tag}>")
        for index, item in enumerate(items):
            write_item(parts, item, f"{path}[{index}]")
        if tag is not None:
            parts.append(f"</{tag}>")

    return write


def _map_writer(shape: Any, entry_tag: str, tag: str | None) -> _Write:
    """A map's entries as ``<entry_tag><key/><value/></entry_tag>``, inside ``tag`` (none when flattened)."""
    key_tag = shape.key.serialization.get("name", "key")
    value_tag = shape.value.serialization.get("name", "value")

    def write(parts: list[str], value: Any, path: str) -> None:
        if not isinstance(value, Mapping):
            raise OutputShapeError(f"{path}: expected a mapping for {shape.name}, got {type(value).__name__}")
        write_key, write_value = _element_writer(key_tag, shape.key), _element_writer(value_tag, shape.value)
        if tag is not None:
            parts.append(f"<{tag}>")
        for key, item in value.items():
            parts.append(f"<{entry_tag}>")
            write_key(parts, key, f"{path}.key")
            write_value(parts, item, f"{path}[{key!r}]")
            parts.append(f"</{entry_tag}>")
        if tag is not None:
            parts.append(f"</{tag}>")

    return write


def _sequence(value: Any, path: str) -> Sequence[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise OutputShapeError(f"{path}: expected a list, got {type(value).__name__}")
    return value


def _scalar(shape: Any, value: Any, path: str) -> str:
    text = _scalar_text(shape, value)
    if text is None:
        raise OutputShapeError(f"{path}: {type(value).__name__} {value!r} does not fit {shape.type_name} {shape.name}")
    return text


def _scalar_text(shape: Any, value: Any) -> str | None:
    """The wire text of a scalar, or ``None`` when the value does not fit the shape's type."""
    type_name = shape.type_name
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "string" and shape.name == _POLICY_DOCUMENT_SHAPE and isinstance(value, str | Mapping):
        return encode_policy_document(value)
    if type_name == "string" and isinstance(value, str):
        return value
    if type_name == "boolean" and isinstance(value, bool):
        return "true" if value else "false"
    if type_name in ("integer", "long") and is_number and isinstance(value, int):
        return str(value)
    if type_name in ("float", "double") and is_number:
        return repr(float(value))
    if type_name == "timestamp" and isinstance(value, datetime.datetime):
        return format_timestamp(value)
    if type_name == "blob" and isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return None
