"""The walkthrough as JSON data; the TypedDicts below are its documented structure (docs/walkthrough.md)."""

from __future__ import annotations

from typing import Any

# pydantic reads these for the published schema, and on Python 3.11 it needs typing_extensions' TypedDict.
from typing_extensions import TypedDict

from iamsim._simulator.events import Event
from iamsim._walkthrough.model import CheckedStatement, DeterminingStatement, Outcome, Part, Step, Walkthrough

__all__ = [
    "FORMAT",
    "CheckedJson",
    "EventJson",
    "OutcomeJson",
    "PartJson",
    "StatementJson",
    "StepJson",
    "WalkthroughJson",
    "step_json",
    "walkthrough_json",
]

#: The ``format`` field: bumped when the structure changes incompatibly.
FORMAT = "iamsim-walkthrough/1"


class StatementJson(TypedDict):
    """A determining statement; ``statement`` is its JSON when the walkthrough wrote or attached the policy."""

    policy: str
    policy_type: str
    statement_index: int
    sid: str | None
    effect: str
    description: str
    statement: dict[str, Any] | None


class CheckedJson(TypedDict):
    """A statement the evaluation looked at, and its result (``matched``, ``action not matched``...)."""

    policy: str
    policy_type: str
    statement_index: int
    effect: str
    result: str


class OutcomeJson(TypedDict):
    """``decision``: ok, allowed, explicitDeny, implicitDeny or error; ``error_code`` as AWS sends it."""

    decision: str
    message: str
    error_code: str | None
    denied_by: str | None
    determining: list[StatementJson]
    checked: list[CheckedJson]


class PartJson(TypedDict):
    """One part of a response and what it means."""

    name: str
    value: str
    meaning: str


class EventJson(TypedDict):
    """One line of the simulator's event log."""

    seq: int
    time: str
    actor: str
    target: str
    action: str
    subject: str
    outcome: str


class StepJson(TypedDict):
    """One step: paragraphs of ``explanation`` are separated by a blank line; ``aws_cli`` may be null."""

    number: int
    key: str
    title: str
    explanation: str
    aws_cli: str | None
    inputs: dict[str, Any]
    response: dict[str, Any] | None
    parts: list[PartJson]
    outcome: OutcomeJson
    events: list[EventJson]


class WalkthroughJson(TypedDict):
    """The whole run."""

    format: str
    scenario: str
    variation: str | None
    title: str
    introduction: str
    account: str
    steps: list[StepJson]


def _statement(ref: DeterminingStatement) -> StatementJson:
    return {
        "policy": ref.policy,
        "policy_type": ref.policy_type,
        "statement_index": ref.statement_index,
        "sid": ref.sid,
        "effect": ref.effect,
        "description": ref.description,
        "statement": ref.statement,
    }


def _checked(checked: CheckedStatement) -> CheckedJson:
    return {
        "policy": checked.policy,
        "policy_type": checked.policy_type,
        "statement_index": checked.statement_index,
        "effect": checked.effect,
        "result": checked.result,
    }


def _outcome(outcome: Outcome) -> OutcomeJson:
    return {
        "decision": outcome.decision.value,
        "message": outcome.message,
        "error_code": outcome.error_code,
        "denied_by": outcome.denied_by,
        "determining": [_statement(ref) for ref in outcome.determining],
        "checked": [_checked(c) for c in outcome.checked],
    }


def _part(part: Part) -> PartJson:
    return {"name": part.name, "value": part.value, "meaning": part.meaning}


def _event(event: Event) -> EventJson:
    return {
        "seq": event.seq,
        "time": event.time,
        "actor": event.actor,
        "target": event.target,
        "action": event.action,
        "subject": event.subject,
        "outcome": event.outcome,
    }


def step_json(step: Step) -> StepJson:
    """One step as JSON data."""
    return {
        "number": step.number,
        "key": step.key,
        "title": step.title,
        "explanation": "\n\n".join(step.explanation),
        "aws_cli": step.aws_cli,
        "inputs": step.inputs,
        "response": step.response,
        "parts": [_part(p) for p in step.parts],
        "outcome": _outcome(step.outcome),
        "events": [_event(e) for e in step.events],
    }


def walkthrough_json(walkthrough: Walkthrough) -> WalkthroughJson:
    """The whole walkthrough as JSON data."""
    return {
        "format": FORMAT,
        "scenario": walkthrough.scenario,
        "variation": walkthrough.variation,
        "title": walkthrough.title,
        "introduction": "\n\n".join(walkthrough.introduction),
        "account": walkthrough.account,
        "steps": [step_json(s) for s in walkthrough.steps],
    }
