"""The walkthrough as JSON data; the TypedDicts below are its documented structure (docs/walkthrough.md)."""

from __future__ import annotations

from typing import Any, TypeVar, cast

# pydantic reads these for the published schema, and on Python 3.11 it needs typing_extensions' TypedDict.
from typing_extensions import TypedDict

from iamsim._walkthrough.model import Outcome, Step, Walkthrough

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

_Json = TypeVar("_Json")


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


def _mirror(record: object, shape: type[_Json]) -> _Json:
    # Each of these TypedDicts mirrors a record's fields by name: reading the keys off the
    # TypedDict keeps the JSON and the record in step without a hand-written copy per record.
    return cast(_Json, {key: getattr(record, key) for key in shape.__annotations__})


def _outcome(outcome: Outcome) -> OutcomeJson:
    return {
        "decision": outcome.decision.value,
        "message": outcome.message,
        "error_code": outcome.error_code,
        "denied_by": outcome.denied_by,
        "determining": [_mirror(ref, StatementJson) for ref in outcome.determining],
        "checked": [_mirror(c, CheckedJson) for c in outcome.checked],
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
        "parts": [_mirror(p, PartJson) for p in step.parts],
        "outcome": _outcome(step.outcome),
        "events": [_mirror(e, EventJson) for e in step.events],
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
