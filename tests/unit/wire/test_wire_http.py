"""HTTP-shaped values and the wire package's place in the layering (DESIGN: integrations layer)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import iamsim._wire
from iamsim._wire.http import Headers, HttpRequest, HttpResponse


def test_headers_lookup_ignores_case_and_keeps_original_names() -> None:
    """Header lookup is case-insensitive; iteration gives the names as sent."""
    headers = Headers({"X-Amz-Date": "20260101T000000Z", "content-type": "text/xml"})
    assert headers["x-amz-date"] == headers["X-AMZ-DATE"] == "20260101T000000Z"
    assert "Content-Type" in headers
    assert list(headers) == ["X-Amz-Date", "content-type"]
    assert headers.get("missing") is None
    with pytest.raises(KeyError):
        headers["missing"]


def test_headers_equal_regardless_of_case_and_accept_octets() -> None:
    """Two header sets differing only in name case are equal; bytes values are decoded."""
    assert Headers({"Host": "iam.amazonaws.com"}) == Headers([("host", b"iam.amazonaws.com")])
    assert hash(Headers({"A": "1"})) == hash(Headers({"a": "1"}))
    assert Headers({"A": "1"}) != Headers({"A": "2"})


def test_request_and_response_are_frozen_plain_data() -> None:
    """HttpRequest upper-cases the method and stores bytes; both values are immutable."""
    request = HttpRequest("post", "https://sts.amazonaws.com/", {"Host": "sts.amazonaws.com"}, "Action=X")
    assert request.method == "POST"
    assert request.body == b"Action=X"
    assert request.headers["host"] == "sts.amazonaws.com"
    response = HttpResponse(200, {"Content-Type": "text/xml"}, b"<x/>")
    with pytest.raises(AttributeError):
        response.status = 500  # type: ignore[misc]
    assert HttpRequest("GET", "http://x/") == HttpRequest("get", "http://x/", {}, b"")


def test_wire_imports_nothing_above_the_errors_layer() -> None:
    """_wire must not import the engine, store, STS or simulator: it is handed a dispatcher's handlers."""
    package = Path(iamsim._wire.__file__).parent
    imported: set[str] = set()
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    internal = {name for name in imported if name.startswith("iamsim")}
    assert internal - {"iamsim.errors"} == {name for name in internal if name.startswith("iamsim._wire")}
