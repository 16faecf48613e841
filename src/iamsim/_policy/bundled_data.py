"""The data files shipped in ``iamsim/data``: gzipped JSON objects that carry a ``format`` number."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from typing import Any

from iamsim.errors import IamSimError

__all__ = ["read_bundled_json"]


def read_bundled_json(file_name: str, expected_format: int) -> dict[str, Any]:
    """The object in ``iamsim/data/<file_name>``; a ``format`` other than ``expected_format`` is an error.

    The format check keeps a stale or hand-edited data file from being read as if it had the shape this
    code expects.
    """
    raw = resources.files("iamsim").joinpath("data", file_name).read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(raw))
    if data.get("format") != expected_format:
        raise IamSimError(f"unsupported {file_name} format: {data.get('format')!r}")
    return data
