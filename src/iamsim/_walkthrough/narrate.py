"""Plain-English narration of a decision, built from the outcome's data (never hand-written per result)."""

from __future__ import annotations

from typing import Any

from iamsim._engine.wildcards import compile_glob
from iamsim._walkthrough.model import DeterminingStatement, Outcome, OutcomeKind
from iamsim._walkthrough.wording import listing

__all__ = ["cli_error", "decision_paragraphs"]

_POLICY_WORDS = {
    "identity": "the permissions policy",
    "trust": "the role's trust policy",
    "boundary": "the permissions boundary",
    "resource": "the resource policy",
    "session": "the session policy",
    "scp": "the service control policy",
    "rcp": "the resource control policy",
}
_WHY_NOT = {
    "action not matched": "its Action does not cover {action}",
    "resource not matched": "its Resource does not cover {resource}",
    "principal not matched": "its Principal does not name the caller",
    "condition not met": "its Condition does not hold",
}


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def _covering(patterns: list[str], text: str, *, ignore_case: bool) -> str | None:
    probe = text.lower() if ignore_case else text
    for pattern in patterns:
        if compile_glob(pattern, ignore_case=ignore_case).matches(probe):
            return pattern
    return None


def _statement_words(ref: DeterminingStatement, action: str, resource: str) -> str:
    where = f"statement {ref.statement_index}{f' (Sid {ref.sid})' if ref.sid else ''} of {ref.policy}"
    statement = ref.statement
    if statement is None:
        return where
    action_pattern = _covering(_as_list(statement.get("Action")), action, ignore_case=True)
    resource_pattern = _covering(_as_list(statement.get("Resource")), resource, ignore_case=False)
    covers: list[str] = []
    if action_pattern is not None:
        covers.append(f"its Action {action_pattern} covers {action}")
    if resource_pattern is not None:
        covers.append(f"its Resource {resource_pattern} covers {resource}")
    return f"{where}: {listing(covers)}" if covers else where


def decision_paragraphs(outcome: Outcome, action: str, resource: str) -> tuple[str, ...]:
    """What decided ``outcome``, in words: the determining statements, or what each statement lacked."""
    if outcome.decision is OutcomeKind.ALLOWED:
        refs = outcome.determining
        said = "; ".join(_statement_words(ref, action, resource) for ref in refs)
        return (f"Allowed. The determining statement, the one that decided, is {said}.",)
    if outcome.decision is OutcomeKind.EXPLICIT_DENY:
        said = "; ".join(_statement_words(ref, action, resource) for ref in outcome.determining)
        kind = _POLICY_WORDS.get(outcome.determining[0].policy_type, "a policy") if outcome.determining else "a policy"
        return (
            f'Denied, by an explicit deny in {kind}: {said}. A statement with "Effect": "Deny" that matches '
            "wins over every Allow, wherever the Allow is.",
        )
    if outcome.decision is OutcomeKind.IMPLICIT_DENY:
        lacking = [
            f"statement {c.statement_index} of {c.policy} ({c.effect}): "
            + _WHY_NOT.get(c.result, c.result).format(action=action, resource=resource)
            for c in outcome.checked
            if c.result != "matched"
        ]
        why = f" What each statement lacked: {'; '.join(lacking)}." if lacking else ""
        granting = sorted({c.policy for c in outcome.checked if c.result == "matched" and c.effect == "Allow"})
        if granting and outcome.denied_by is not None:
            return (
                f"Denied: {listing(granting)} allows {action}, but no statement of the {outcome.denied_by} policy "
                f"does, and here that policy must allow it too. This is an implicit deny (no statement says "
                f'"Deny"; the Allow that was needed is missing).{why}',
            )
        return (
            f"Denied: no statement allows {action} on {resource}, and IAM denies whatever no policy allows. "
            f'This is an implicit deny (no statement says "Deny"; none says "Allow").{why}',
        )
    return ()


def cli_error(code: str, operation: str) -> str:
    """How the AWS CLI starts the line it prints for a failed call (AWS's message follows)."""
    return f"An error occurred ({code}) when calling the {operation} operation:"
