"""IAM structures rendered from a record by the convention of :mod:`iamsim._wire.render` (hand-written bodies)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from iamsim._wire.convention import Output
from iamsim._wire.render import Resolve, render, shape

__all__ = ["record_output"]


def record_output(
    name: str,
    record: object,
    values: Mapping[str, Any] | None = None,
    *,
    omit: Iterable[str] = (),
    nested: bool = False,
    resolve: Resolve | None = None,
) -> Output:
    """``record`` as IAM's structure ``name`` (``record_output("User", user)``), by the convention of :mod:`.render`."""
    return render(shape("iam", name), record, values, omit=omit, nested=nested, resolve=resolve)
