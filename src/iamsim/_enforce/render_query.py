"""Refusals of the Query-protocol services whose codes differ from iamsim's vocabulary.

SNS calls a policy denial ``AuthorizationError`` (HTTP 403) with the usual "User: ... is
not authorized to perform: sns:Subscribe on resource: ..." text (AWS re:Post, "How do I
resolve authorization errors when trying to add subscribers to an Amazon SNS topic?"),
and its authentication errors keep the common Query codes. Every other Query service
keeps iamsim's codes in the ``ErrorResponse`` XML.
"""

from __future__ import annotations

from typing import Any

from iamsim._wire.http import HttpResponse
from iamsim._wire.xml import render_error

__all__ = ["render_query_refusal"]

#: Per service, iamsim's code -> the service's code and status.
_CODES: dict[str, dict[str, tuple[str, int]]] = {
    "sns": {"AccessDenied": ("AuthorizationError", 403)},
}


def render_query_refusal(model: Any, code: str, message: str, request_id: str) -> HttpResponse:
    """The ``ErrorResponse`` of a refused call to the Query service ``model`` (a botocore ``ServiceModel``)."""
    status = 400 if code == "IncompleteSignature" else 403
    own_code, status = _CODES.get(model.service_name, {}).get(code, (code, status))
    return render_error(own_code, message, status, request_id)
