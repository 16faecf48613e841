"""The bodies the server's own endpoints answer with: IMDS's HTML pages and small JSON documents.

AWS API errors are the wire layer's (:func:`iamsim._wire.xml.render_error`); the instance
metadata service answers a failed request with a small XHTML page naming the status, and
the container credentials endpoint and the admin API speak JSON.
"""

from __future__ import annotations

import json
from datetime import datetime
from http import HTTPStatus
from typing import Any

from iamsim._clock import iso8601
from iamsim._wire.http import HttpResponse

__all__ = ["imds_error", "json_response", "text_response", "timestamp"]

# The page the EC2 metadata service sends with a 4xx status (for IMDSv2, 401 and 404 alike).
_IMDS_ERROR_PAGE = """<?xml version="1.0" encoding="iso-8859-1"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title>{status} - {phrase}</title>
 </head>
 <body>
  <h1>{status} - {phrase}</h1>
 </body>
</html>
"""


def imds_error(status: int) -> HttpResponse:
    """The metadata service's error page for ``status`` (``text/html``)."""
    body = _IMDS_ERROR_PAGE.format(status=status, phrase=HTTPStatus(status).phrase).encode("iso-8859-1")
    return HttpResponse(status, {"Content-Type": "text/html", "Content-Length": str(len(body))}, body)


def text_response(text: str, *, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    """A ``text/plain`` response."""
    body = text.encode("utf-8")
    return HttpResponse(
        status, {"Content-Type": "text/plain", "Content-Length": str(len(body)), **(headers or {})}, body
    )


def json_response(document: Any, *, status: int = 200) -> HttpResponse:
    """A JSON response, indented as the metadata service writes its documents."""
    body = json.dumps(document, indent=2).encode("utf-8")
    return HttpResponse(status, {"Content-Type": "application/json", "Content-Length": str(len(body))}, body)


def timestamp(at: datetime) -> str:
    """A time as the metadata and container endpoints write it (``2026-01-01T00:00:00Z``)."""
    return iso8601(at)
