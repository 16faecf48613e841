"""What an access matrix holds: one decision per (principal, action, resource), and its JSON and CSV forms."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from iamsim._engine.matrix import BlockRow
from iamsim._engine.result import Decision
from iamsim._shown import shown
from iamsim.errors import UsageError

__all__ = ["AccessMatrix", "MatrixCell"]


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One cell: who, what, on which resource, and the decision."""

    principal: str
    action: str
    resource: str
    decision: Decision

    @property
    def allowed(self) -> bool:
        """Whether the decision is ``allowed``."""
        return self.decision is Decision.ALLOWED


@dataclass(frozen=True, slots=True)
class AccessMatrix:
    """Decisions of ``principals`` × ``actions`` × ``resources``, stored as bit masks.

    ``rows[p][a]`` holds, for principal ``p`` and action ``a``, the masks of
    the resources allowed and explicitly denied (bit ``r``: resource ``r``);
    every other cell is an implicit deny. Each cell equals the one-by-one
    decision of the same request (``Simulator.is_allowed`` with the same
    context and resource policy).
    """

    principals: tuple[str, ...]
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    rows: tuple[tuple[BlockRow, ...], ...]

    @property
    def cells(self) -> int:
        """The number of cells."""
        return len(self.principals) * len(self.actions) * len(self.resources)

    def decision(self, principal: int | str, action: int | str, resource: int | str) -> Decision:
        """The decision of one cell, by position or by name."""
        row = self.rows[self._index(self.principals, principal, "principal")][
            self._index(self.actions, action, "action")
        ]
        bit = 1 << self._index(self.resources, resource, "resource")
        if row.allowed & bit:
            return Decision.ALLOWED
        if row.explicit_deny & bit:
            return Decision.EXPLICIT_DENY
        return Decision.IMPLICIT_DENY

    @staticmethod
    def _index(names: Sequence[str], key: int | str, what: str) -> int:
        if isinstance(key, int) and not isinstance(key, bool):
            if 0 <= key < len(names):
                return key
            raise UsageError(f"{what} index {key} is out of range (0 to {len(names) - 1})")
        if isinstance(key, str) and key in names:
            return names.index(key)
        raise UsageError(f"{what} {shown(key)} is not in the matrix")

    def allowed_count(self) -> int:
        """How many cells are allowed."""
        return sum(row.allowed.bit_count() for rows in self.rows for row in rows)

    def explicit_deny_count(self) -> int:
        """How many cells are explicitly denied."""
        return sum(row.explicit_deny.bit_count() for rows in self.rows for row in rows)

    def __iter__(self) -> Iterator[MatrixCell]:
        """Every cell: principals outer, then actions, then resources."""
        resources = self.resources
        for principal, rows in zip(self.principals, self.rows, strict=True):
            for action, row in zip(self.actions, rows, strict=True):
                for index, resource in enumerate(resources):
                    bit = 1 << index
                    if row.allowed & bit:
                        decision = Decision.ALLOWED
                    elif row.explicit_deny & bit:
                        decision = Decision.EXPLICIT_DENY
                    else:
                        decision = Decision.IMPLICIT_DENY
                    yield MatrixCell(principal, action, resource, decision)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the axes, then per principal and action one decision letter per resource.

        ``A`` allowed, ``D`` explicit deny, ``.`` implicit deny: a 1,000 × 200 × 100
        matrix stays about 20 MB of text instead of a record per cell.
        """
        decisions = {
            principal: {action: self._letters(row) for action, row in zip(self.actions, rows, strict=True)}
            for principal, rows in zip(self.principals, self.rows, strict=True)
        }
        return {
            "principals": list(self.principals),
            "actions": list(self.actions),
            "resources": list(self.resources),
            "legend": {"A": "allowed", "D": "explicitDeny", ".": "implicitDeny"},
            "summary": {
                "cells": self.cells,
                "allowed": self.allowed_count(),
                "explicitDeny": self.explicit_deny_count(),
            },
            "decisions": decisions,
        }

    def _letters(self, row: BlockRow) -> str:
        letters = []
        for index in range(len(self.resources)):
            bit = 1 << index
            letters.append("A" if row.allowed & bit else "D" if row.explicit_deny & bit else ".")
        return "".join(letters)

    def to_csv(self) -> str:
        """One line per cell: ``principal,action,resource,decision`` under a header."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("principal", "action", "resource", "decision"))
        for cell in self:
            writer.writerow((cell.principal, cell.action, cell.resource, cell.decision.value))
        return out.getvalue()
