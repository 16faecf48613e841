"""Records to JSON values and back, driven by the records' type hints.

Only the shapes the records use are supported: ``str``, ``int``, ``bool``,
``None`` unions, ``tuple[X, ...]``, fixed tuples and nested frozen
dataclasses. Encoding keeps field order, so equal records encode to equal
JSON. A record member missing from the JSON takes its default, so snapshots
written before a member was added still load.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, TypeVar, Union

from iamsim.errors import SnapshotFormatError

__all__ = ["decode", "encode"]

T = TypeVar("T")


def encode(value: object) -> Any:
    """A JSON-ready value for a record, tuple, list or scalar."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise SnapshotFormatError(f"cannot encode a {type(value).__name__}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(annotation: Any, value: Any) -> Any:
    """Rebuild a value of type ``annotation`` from what :func:`encode` produced."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = typing.get_args(annotation)
        if value is None and type(None) in args:
            return None
        others = [a for a in args if a is not type(None)]
        return decode(others[0], value)
    if origin is tuple:
        args = typing.get_args(annotation)
        if not isinstance(value, list):
            raise SnapshotFormatError(f"expected a list, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], item) for item in value)
        return tuple(decode(arg, item) for arg, item in zip(args, value, strict=True))
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        if not isinstance(value, dict):
            raise SnapshotFormatError(f"expected an object for {annotation.__name__}")
        hints = _hints(annotation)
        kwargs: dict[str, Any] = {}
        for field in dataclasses.fields(annotation):
            if not field.init:
                continue
            if field.name in value:
                kwargs[field.name] = decode(hints[field.name], value[field.name])
            elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                raise SnapshotFormatError(f"{annotation.__name__} has no {field.name!r}")
            # A member added after the snapshot was written takes its default: older snapshots still load.
        return annotation(**kwargs)
    if annotation in (str, int, bool, float):
        if not isinstance(value, annotation):
            raise SnapshotFormatError(f"expected {annotation.__name__}, got {type(value).__name__}")
        return value
    if annotation is Any:
        return value
    raise SnapshotFormatError(f"cannot decode {annotation!r}")


def decode_list(cls: type[T], values: Any) -> list[T]:
    """Decode a JSON list of ``cls`` records."""
    if not isinstance(values, list):
        raise SnapshotFormatError(f"expected a list of {cls.__name__}")
    return [typing.cast(T, decode(cls, v)) for v in values]
