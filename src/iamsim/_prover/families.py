"""Which value type a condition operator reads its key's values as (spec §C.2).

A context key is modelled with one type per check: every operator that tests
the key must read the same type (a key tested both as a number and as a date
is not encoded; the check answers UNKNOWN).
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Family", "family_of"]


class Family(Enum):
    """How the prover models one context value."""

    STRING = "string"
    NUMERIC = "numeric"
    DATE = "date"
    BOOL = "bool"
    IP = "ip"


_FAMILIES = {
    "String": Family.STRING,
    "Arn": Family.STRING,
    "Numeric": Family.NUMERIC,
    "Date": Family.DATE,
    "Bool": Family.BOOL,
    "IpAddress": Family.IP,
    "NotIpAddress": Family.IP,
}


def family_of(base: str) -> Family | None:
    """The family of a base operator; ``None`` for ``Null`` (any family) and for operators not encoded."""
    if base == "Null":
        return None
    for prefix, family in _FAMILIES.items():
        if base.startswith(prefix):
            return family
    return None
