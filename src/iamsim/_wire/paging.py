"""Marker/MaxItems pagination as IAM does it, so boto3 paginators work.

A marker is opaque to callers; iamsim's is the offset of the next item, which is
stable as long as the listed collection does not change between pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from iamsim.errors import InvalidInputError

__all__ = ["DEFAULT_MAX_ITEMS", "page"]

T = TypeVar("T")

#: The page size when the request gives no ``MaxItems``.
DEFAULT_MAX_ITEMS = 100


def page(items: Sequence[T], params: Mapping[str, Any]) -> tuple[Sequence[T], dict[str, Any]]:
    """The page of ``items`` the request's ``Marker``/``MaxItems`` select, and the paging members.

    The second value holds ``IsTruncated`` and, when truncated, the ``Marker`` of the next page.
    """
    start = _offset(params.get("Marker"))
    size = int(params.get("MaxItems", DEFAULT_MAX_ITEMS))
    selected = items[start : start + size]
    end = start + len(selected)
    if end < len(items):
        return selected, {"IsTruncated": True, "Marker": str(end)}
    return selected, {"IsTruncated": False}


def _offset(marker: object) -> int:
    if marker is None:
        return 0
    if isinstance(marker, str) and marker.isdigit():
        return int(marker)
    raise InvalidInputError("Invalid Marker.")
