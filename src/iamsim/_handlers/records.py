"""IAM structures rendered from a record by the convention of :mod:`iamsim._wire.render`, for the hand-written bodies.

An instance profile holds its roles' names; its answer nests the role records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from iamsim._store.records import InstanceProfile, Role
from iamsim._wire.convention import Output
from iamsim._wire.render import render, shape

__all__ = ["instance_profile_output", "record_output"]


def record_output(
    name: str,
    record: object,
    values: Mapping[str, Any] | None = None,
    *,
    omit: Iterable[str] = (),
    nested: bool = False,
) -> Output:
    """``record`` as IAM's structure ``name`` (``record_output("User", user)``), by the convention of :mod:`.render`."""
    return render(shape("iam", name), record, values, omit=omit, nested=nested)


def instance_profile_output(profile: InstanceProfile, roles: list[Role]) -> Output:
    """An ``InstanceProfile`` with its (at most one) role record."""
    return record_output("InstanceProfile", profile, {"Roles": roles})
