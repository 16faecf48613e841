"""The one way the encoder says "I cannot decide this": a construct it does not encode."""

from __future__ import annotations

__all__ = ["Unsupported"]


class Unsupported(Exception):
    """A policy construct the prover does not encode; the check answers UNKNOWN naming it."""

    def __init__(self, construct: str) -> None:
        super().__init__(construct)
        self.construct = construct
