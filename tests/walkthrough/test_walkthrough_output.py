"""The same steps as JSON (checked against the documented TypedDicts), as text, and as a Mermaid diagram."""

from __future__ import annotations

import json
import re
import types
import typing
from typing import Any, get_args, get_origin, get_type_hints

import pytest

# The TypedDicts are typing_extensions' (pydantic needs those on Python 3.11), which typing's check does not know.
from typing_extensions import is_typeddict

from iamsim._walkthrough import VARIATION_NAMES, WalkthroughRun, plain, render_step, run_walkthrough, walkthrough_json
from iamsim._walkthrough.json_output import FORMAT, WalkthroughJson


def conformance_errors(value: Any, expected: Any, where: str = "$") -> list[str]:
    """Where ``value`` departs from the type ``expected`` (TypedDicts exactly: no missing, no extra keys)."""
    if expected is Any:
        return []
    if is_typeddict(expected):
        if not isinstance(value, dict):
            return [f"{where}: expected an object"]
        hints = get_type_hints(expected)
        errors = [f"{where}: missing {k}" for k in hints if k not in value]
        errors += [f"{where}: unexpected {k}" for k in value if k not in hints]
        for key, hint in hints.items():
            if key in value:
                errors += conformance_errors(value[key], hint, f"{where}.{key}")
        return errors
    origin = get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        options = [conformance_errors(value, option, where) for option in get_args(expected)]
        return [] if any(not o for o in options) else [f"{where}: {value!r} matches none of {expected}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: expected a list"]
        (item,) = get_args(expected)
        return [e for i, v in enumerate(value) for e in conformance_errors(v, item, f"{where}[{i}]")]
    if origin is dict:
        return [] if isinstance(value, dict) else [f"{where}: expected an object"]
    if expected is type(None):
        return [] if value is None else [f"{where}: expected null"]
    if expected is int:
        return [] if isinstance(value, int) and not isinstance(value, bool) else [f"{where}: expected an integer"]
    return [] if isinstance(value, expected) else [f"{where}: expected {expected.__name__}"]


def test_the_checker_catches_departures() -> None:
    """The structure check itself fails on a missing key, an extra key and a wrong type."""
    good = json.loads(json.dumps(walkthrough_json(run_walkthrough())))
    assert conformance_errors(good, WalkthroughJson) == []
    del good["steps"][0]["aws_cli"]
    good["steps"][1]["extra"] = 1
    good["steps"][2]["outcome"]["determining"] = "none"
    assert conformance_errors(good, WalkthroughJson) == [
        "$.steps[0]: missing aws_cli",
        "$.steps[1]: unexpected extra",
        "$.steps[2].outcome.determining: expected a list",
    ]


@pytest.mark.parametrize("scenario", ["s3-readonly", "company1-logs"])
@pytest.mark.parametrize("variation", [None, *VARIATION_NAMES])
def test_json_output_has_the_documented_structure(scenario: str, variation: str | None) -> None:
    """Each step carries title, explanation, aws_cli, inputs and an outcome with decision/message/determining."""
    data = json.loads(json.dumps(walkthrough_json(run_walkthrough(scenario, variation))))
    assert conformance_errors(data, WalkthroughJson) == []
    assert data["format"] == FORMAT
    decisions = {s["outcome"]["decision"] for s in data["steps"]}
    assert decisions <= {"ok", "allowed", "explicitDeny", "implicitDeny", "error"}


def test_json_keeps_the_whole_session_token() -> None:
    """JSON is data: nothing is shortened (the text shortens the token for reading)."""
    walkthrough = run_walkthrough()
    step = next(s for s in walkthrough.steps if s.key == "credentials")
    data = walkthrough_json(walkthrough)
    response = data["steps"][step.number - 1]["response"]
    assert response is not None
    token = response["Token"]
    assert len(token) > 100
    assert "..." not in token
    text = render_step(step, len(walkthrough.steps))
    assert token not in text
    assert f'"Token": "{token[:24]}... ({len(token)} characters)"' in text


def test_text_step_shows_command_result_and_determining_statement() -> None:
    """A rendered step: heading, the CLI command, the decision and the statement that made it."""
    step = next(s for s in run_walkthrough().steps if s.key == "list-bucket")
    text = render_step(step, 13, plain)
    assert text.startswith("Step 9 of 13: List the bucket company1-logs\n")
    assert "  $ aws s3 ls s3://company1-logs\n" in text
    assert "Result: ALLOWED" in text
    assert 'Decided by: Allow statement 0 of identity-based policy\n    "AmazonS3ReadOnlyAccess"' in text
    assert "\x1b[" not in text


def test_styler_receives_roles() -> None:
    """Colour is applied through the styler, by role: decisions and commands are marked."""
    seen: list[tuple[str, str]] = []

    def record(text: str, role: str) -> str:
        seen.append((text, role))
        return text

    step = next(s for s in run_walkthrough().steps if s.key == "write-object")
    render_step(step, 13, record)
    assert ("DENIED (implicit deny)", "denied") in seen
    assert ("aws s3 cp report.txt s3://company1-logs/report.txt", "command") in seen


def test_mermaid_diagram_comes_from_the_event_log() -> None:
    """The diagram has one request arrow and one reply arrow per logged event, services merged by name."""
    run = WalkthroughRun("s3-readonly")
    walkthrough = run.finish()
    diagram = run.mermaid()
    lines = diagram.splitlines()
    assert lines[0] == "sequenceDiagram"
    assert lines[1] == f"    title {walkthrough.title}"
    requests = [line for line in lines if "->>" in line and "-->>" not in line]
    replies = [line for line in lines if "-->>" in line]
    assert len(requests) == len(replies) == len(walkthrough.events)
    participants = [line.split(" as ", 1)[1] for line in lines if line.strip().startswith("participant")]
    assert "STS" in participants
    assert "sts" not in participants
    assert "ec2.amazonaws.com" in participants
    assert any(re.search(r": s3:PutObject company1-logs/report.txt$", line) for line in requests)
    assert any(line.endswith(": implicitDeny") for line in replies)
    assert any(line.endswith(": ExpiredToken") for line in replies)
