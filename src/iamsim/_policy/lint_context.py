"""What every check sees: the parsed policy, its raw JSON for pointers and positions, and the catalog.

The model keeps values, not how they were written; a finding must point at
the value as written (``/Statement`` for a lone statement object,
``/Statement/0/Action`` for a lone string, ``/Statement/0/Action/2`` inside a
list). :class:`LintContext` answers those questions from the raw document and
turns pointers into lines and columns for text input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from iamsim._policy.catalog import Action
from iamsim._policy.catalog_lookups import CatalogLookups
from iamsim._policy.findings import Finding
from iamsim._policy.jsontext import JsonDocument, child_pointer
from iamsim._policy.lint_rules import Rule
from iamsim._policy.model import Condition, Policy, Statement

__all__ = ["LintContext", "StatementActions"]


class LintContext:
    """One policy under validation, and the findings gathered so far."""

    def __init__(
        self,
        policy: Policy,
        root: Mapping[str, Any],
        document: JsonDocument | None,
        lookups: CatalogLookups,
    ) -> None:
        self.policy = policy
        self.root = root
        self.document = document
        self.lookups = lookups
        self.findings: list[Finding] = []
        self._actions: dict[int, StatementActions] = {}

    # --- reporting ---------------------------------------------------------------------------

    def report(self, rule: Rule, message: str, pointer: str, statement: Statement | None = None) -> None:
        """Record a finding of ``rule`` at ``pointer``, with its line and column when known."""
        line = column = None
        if self.document is not None:
            position = self.document.locate(pointer)
            if position is not None:
                line, column = position
        index = statement.index if statement is not None else None
        self.findings.append(rule.finding(message, pointer, line=line, column=column, statement_index=index))

    # --- pointers ----------------------------------------------------------------------------

    def raw_statement(self, statement: Statement) -> Mapping[str, Any]:
        """The statement object as written."""
        raw = self.root["Statement"]
        found: Mapping[str, Any] = raw if isinstance(raw, Mapping) else raw[statement.index]
        return found

    def statement_pointer(self, statement: Statement) -> str:
        """The pointer of ``statement`` (``/Statement`` when the policy has a lone statement object)."""
        return "/Statement" if isinstance(self.root["Statement"], Mapping) else f"/Statement/{statement.index}"

    def element_pointer(self, statement: Statement, element: str) -> str:
        """The pointer of element ``element`` (``Action``, ``Resource``...) of ``statement``."""
        return f"{self.statement_pointer(statement)}/{element}"

    def report_repeats(
        self, rule: Rule, statement: Statement, element: str, values: tuple[str, ...], *, fold_case: bool
    ) -> dict[str, int]:
        """Report each value ``element`` lists again, and return each distinct value's first offset.

        IAM compares action names without case and resource ARNs exactly (``fold_case``); the
        returned keys are the compared forms.
        """
        seen: dict[str, int] = {}
        for offset, value in enumerate(values):
            key = value.lower() if fold_case else value
            if key in seen:
                self.report(
                    rule,
                    f"{value!r} is listed twice in {element} (first at position {seen[key]})",
                    self.item_pointer(statement, element, offset),
                    statement,
                )
            else:
                seen[key] = offset
        return seen

    def item_pointer(self, statement: Statement, element: str, offset: int) -> str:
        """The pointer of the ``offset``-th value of ``element``; the element itself when it is a lone string."""
        pointer = self.element_pointer(statement, element)
        value = self.raw_statement(statement).get(element)
        return child_pointer(pointer, offset) if isinstance(value, list | tuple) else pointer

    def condition_pointer(self, statement: Statement, condition: Condition) -> str:
        """The pointer of ``condition``'s key inside its operator block."""
        block = child_pointer(self.element_pointer(statement, "Condition"), condition.operator)
        return child_pointer(block, condition.key)

    def condition_value_pointer(self, statement: Statement, condition: Condition, offset: int) -> str:
        """The pointer of the ``offset``-th value of ``condition``."""
        pointer = self.condition_pointer(statement, condition)
        raw_block = self.raw_statement(statement).get("Condition", {}).get(condition.operator, {})
        value = raw_block.get(condition.key) if isinstance(raw_block, Mapping) else None
        return child_pointer(pointer, offset) if isinstance(value, list | tuple) else pointer

    def principal_item_pointer(self, statement: Statement, element: str, key: str, offset: int) -> str:
        """The pointer of the ``offset``-th value under ``key`` of a ``Principal``/``NotPrincipal`` map."""
        pointer = child_pointer(self.element_pointer(statement, element), key)
        raw = self.raw_statement(statement).get(element)
        value = raw.get(key) if isinstance(raw, Mapping) else None
        return child_pointer(pointer, offset) if isinstance(value, list | tuple) else pointer

    # --- what a statement's actions name ------------------------------------------------------

    def listed_actions(self, statement: Statement) -> StatementActions | None:
        """The catalog actions ``statement``'s ``Action`` names; ``None`` for ``NotAction``."""
        if statement.action is None:
            return None
        found = self._actions.get(statement.index)
        if found is None:
            actions: dict[str, Action] = {}
            complete = True
            everything = False
            for pattern in statement.action:
                prefix = pattern.partition(":")[0]
                if pattern == "*" or "*" in prefix or "?" in prefix:
                    everything = everything or pattern == "*"
                    complete = False
                    continue
                matched = self.lookups.expand(pattern)
                if not matched:
                    complete = False
                for action in matched:
                    actions.setdefault(action.full_name.lower(), action)
            found = StatementActions(tuple(actions.values()), complete, everything)
            self._actions[statement.index] = found
        return found


@dataclass(frozen=True, slots=True)
class StatementActions:
    """The catalog actions one ``Action`` element names."""

    actions: tuple[Action, ...]
    #: Whether every entry resolved to catalog actions (no unknown names, no service wildcard).
    complete: bool
    #: Whether the element holds ``"*"``.
    everything: bool
