"""Marker/MaxItems pagination as IAM does it, so boto3 paginators work.

A marker is opaque to callers; iamsim's encodes the offset of the next item, which is
stable as long as the listed collection does not change between pages. A marker iamsim did not
issue is AWS's ``InvalidInput`` "Invalid Marker." (§H.4).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from iamsim.errors import InvalidInputError

__all__ = ["DEFAULT_MAX_ITEMS", "page"]

T = TypeVar("T")

#: The page size when the request gives no ``MaxItems``.
DEFAULT_MAX_ITEMS = 100

# What an issued marker says before the offset, so a number or a stranger's text is no marker.
_MARKER_PREFIX = "iamsim-page:"


def page(items: Sequence[T], params: Mapping[str, Any]) -> tuple[Sequence[T], dict[str, Any]]:
    """The page of ``items`` the request's ``Marker``/``MaxItems`` select, and the paging members.

    The second value holds ``IsTruncated`` and, when truncated, the ``Marker`` of the next page.
    """
    start = _offset(params.get("Marker"))
    size = int(params.get("MaxItems", DEFAULT_MAX_ITEMS))
    selected = items[start : start + size]
    end = start + len(selected)
    if end < len(items):
        return selected, {"IsTruncated": True, "Marker": _marker(end)}
    return selected, {"IsTruncated": False}


def _marker(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_MARKER_PREFIX}{offset}".encode("ascii")).decode("ascii")


def _offset(marker: object) -> int:
    if marker is None:
        return 0
    if isinstance(marker, str):
        try:
            text = base64.urlsafe_b64decode(marker.encode("ascii")).decode("ascii")
        except (ValueError, binascii.Error, UnicodeError):
            text = ""
        offset = text.removeprefix(_MARKER_PREFIX)
        if text.startswith(_MARKER_PREFIX) and offset.isdigit() and len(offset) < 10:
            return int(offset)
    raise InvalidInputError("Invalid Marker.")
