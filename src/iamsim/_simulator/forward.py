"""Flat names on the Simulator that are its namespaces' own methods (``sim.create_role is sim.iam.create_role``).

A :class:`Forward` is a class attribute of :class:`~iamsim.Simulator`; read on an
instance it answers the namespace's bound method, and remembers it in the
instance's ``__dict__`` so later reads cost a plain attribute lookup (the
``authorize`` hot path pays nothing for the indirection).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

__all__ = ["Forward"]

P = ParamSpec("P")
R = TypeVar("R")


class Forward(Generic[P, R]):
    """The method ``method`` of the simulator's part named ``part``, under the same name."""

    def __init__(self, part: str, method: Callable[Concatenate[Any, P], R]) -> None:
        self.part = part
        self.method = method
        self.__doc__ = method.__doc__
        self.__wrapped__ = method
        self._name = method.__name__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        if name != self.method.__name__:
            raise TypeError(f"{owner.__name__}.{name} forwards {self.method.__qualname__}: the names must agree")

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Forward[P, R]: ...

    @overload
    def __get__(self, obj: object, owner: type[Any]) -> Callable[P, R]: ...

    def __get__(self, obj: object | None, owner: type[Any]) -> Forward[P, R] | Callable[P, R]:
        if obj is None:
            return self
        bound: Callable[P, R] = getattr(getattr(obj, self.part), self._name)
        # A non-data descriptor: the instance attribute set here wins over it from now on.
        obj.__dict__[self._name] = bound
        return bound
