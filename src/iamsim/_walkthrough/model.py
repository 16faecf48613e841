"""The walkthrough's data: steps, their outcomes and the statements that decided them.

A step is plain, immutable data, so the same run renders as narrated text,
as JSON and as a Mermaid diagram, and tests can assert on it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from iamsim._simulator.events import Event

__all__ = ["CheckedStatement", "DeterminingStatement", "Outcome", "OutcomeKind", "Part", "Step", "Walkthrough"]


class OutcomeKind(StrEnum):
    """What a step ended with: a plain success, an authorization decision, or an AWS error."""

    OK = "ok"
    ALLOWED = "allowed"
    EXPLICIT_DENY = "explicitDeny"
    IMPLICIT_DENY = "implicitDeny"
    ERROR = "error"

    @property
    def denied(self) -> bool:
        """Whether this is one of the two denials."""
        return self in (OutcomeKind.EXPLICIT_DENY, OutcomeKind.IMPLICIT_DENY)


@dataclass(frozen=True, slots=True)
class DeterminingStatement:
    """A statement that decided a request, with its text when the walkthrough knows the policy."""

    policy: str
    policy_type: str
    statement_index: int
    sid: str | None
    effect: str
    description: str
    statement: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class CheckedStatement:
    """One statement the evaluation looked at, and what became of it (``matched``, ``action not matched``...)."""

    policy: str
    policy_type: str
    statement_index: int
    effect: str
    result: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a step ended.

    ``decision`` is an :class:`OutcomeKind`; ``error_code`` is the AWS error a
    client would see (``AccessDenied``, ``ExpiredToken``), ``None`` on success.
    """

    decision: OutcomeKind
    message: str
    error_code: str | None = None
    denied_by: str | None = None
    determining: tuple[DeterminingStatement, ...] = ()
    checked: tuple[CheckedStatement, ...] = ()


@dataclass(frozen=True, slots=True)
class Part:
    """One named piece of a response, with what it means (a credential field, a piece of an ARN)."""

    name: str
    value: str
    meaning: str


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a walkthrough.

    ``explanation`` holds short paragraphs for a newcomer; ``aws_cli`` is the
    equivalent AWS CLI command (``None`` when the step makes no AWS call);
    ``inputs`` are the request or documents the step sends; ``response`` is
    what AWS would answer; ``events`` are the simulator's log lines of the step.
    """

    key: str
    title: str
    explanation: tuple[str, ...]
    aws_cli: str | None
    outcome: Outcome
    inputs: dict[str, Any] = field(default_factory=dict)
    response: dict[str, Any] | None = None
    parts: tuple[Part, ...] = ()
    number: int = 0
    events: tuple[Event, ...] = ()


@dataclass(frozen=True, slots=True)
class Walkthrough:
    """A finished run: the scenario, the variation, every step and the whole event log."""

    scenario: str
    variation: str | None
    title: str
    introduction: tuple[str, ...]
    account: str
    steps: tuple[Step, ...]
    events: tuple[Event, ...]
