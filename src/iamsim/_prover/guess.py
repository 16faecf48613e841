"""Concrete requests to try before the solver: a FAIL found without z3 (issue 15, "decide faster").

Most random pairs of policies differ in some plain grant: NEW allows
``ec2:ModifyNetworkInterfaceAttribute`` on an ENI and OLD never names it.
z3 can still spend the whole budget on such a pair (the type-word regexes
and many action patterns make each question large). So a check first
reads the requests the policies name themselves: for each Allow statement,
real actions its patterns cover (the service reference's names), its
Resource entries filled in (and the action's example ARNs), and a context
that meets its conditions where that is plain to read. Each candidate goes
through the check's own verifier, which re-decides it with both evaluators:
a guess that does not refute the property is dropped, so guessing can only
find a FAIL sooner, never make a PASS. What is left undecided goes to the
solver as before.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator

from iamsim._arn import iam_entity_arn, sts_arn
from iamsim._engine.request import ContextValue
from iamsim._policy.model import Condition, Effect, Policy, SetQualifier, Statement
from iamsim._prover.principals import SESSION_NAME
from iamsim._prover.solve import Candidate
from iamsim._prover.tidy import catalog_actions, example_resources

__all__ = ["guesses"]

#: Real actions tried per action pattern (a wildcard such as ``s3:Get*`` covers dozens).
_ACTIONS_PER_PATTERN = 3
#: Resources tried per action.
_RESOURCES_PER_ACTION = 3
#: The text a wildcard becomes in a filled-in pattern (and the example caller's name).
_FILL = "example"
#: A policy variable without a default (spec §D); ``${*}``, ``${?}`` and ``${$}`` are the literal characters.
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


def _substituted(text: str, known: dict[str, str]) -> str | None:
    """``text`` with the variables whose value the guessed caller fixes (``None``: one it does not)."""
    if "${" not in text:
        return text
    missing = False

    def value(found: re.Match[str]) -> str:
        nonlocal missing
        name = found.group(1).strip()
        if name in _ESCAPES:
            return _ESCAPES[name]
        if name.lower() not in known:
            missing = True
        return known.get(name.lower(), "")

    result = _VARIABLE.sub(value, text)
    return None if missing or "${" in result else result


def _filled(pattern: str) -> str:
    """A text the IAM glob ``pattern`` matches: each ``*`` becomes a word, each ``?`` one letter."""
    return pattern.replace("*", _FILL).replace("?", "x")


def _value_for(condition: Condition, known: dict[str, str]) -> ContextValue | None:
    """A request value that satisfies ``condition`` (``None``: leave the key out, which satisfies it).

    Only the plain cases are read; anything else is left out and the
    verifier decides (a guess that misses is merely dropped).
    """
    negated = "Not" in condition.base
    if condition.base == "Null":
        wants_value = any(value.casefold() == "false" for value in condition.values)
        return _FILL if wants_value else None
    if negated or condition.if_exists or condition.qualifier is SetQualifier.FOR_ALL_VALUES:
        return None  # an absent key satisfies a negated, IfExists or ForAllValues test
    values = [text for text in (_substituted(value, known) for value in condition.values) if text is not None]
    if not values:
        return None
    first = values[0]
    base = condition.base
    text: str | None = first
    if base.startswith(("StringLike", "ArnLike", "ArnEquals")):
        text = _filled(first)
    elif base.startswith("IpAddress"):
        text = _address(first)
    elif base.startswith("Numeric"):
        text = _shifted(first, base)
    elif base.startswith("Date") and ("LessThan" in base or "GreaterThan" in base) and not base.endswith("Equals"):
        text = None  # an instant strictly before or after: not worth reading here
    if text is None:
        return None
    return (text,) if condition.qualifier is SetQualifier.FOR_ANY_VALUE else text


def _address(network: str) -> str | None:
    try:
        return str(ipaddress.ip_network(network, strict=False).network_address)
    except ValueError:
        return None


def _shifted(number: str, base: str) -> str | None:
    """A number meeting ``base`` against ``number`` (one more or less for the strict comparisons)."""
    try:
        value = int(number)
    except ValueError:
        return number if base.endswith("Equals") else None
    if base.endswith("LessThan"):
        return str(value - 1)
    if base.endswith("GreaterThan"):
        return str(value + 1)
    return str(value)


def _context(statement: Statement, known: dict[str, str]) -> dict[str, ContextValue]:
    context: dict[str, ContextValue] = {}
    for condition in statement.conditions:
        value = _value_for(condition, known)
        key = condition.key.lower()  # as the solver's witnesses name keys (they compare case-insensitively)
        if value is not None and key not in context:
            context[key] = value
    return context


def _resources(statement: Statement, action: str, account: str, known: dict[str, str]) -> list[str]:
    examples = example_resources(action, account)
    if statement.resource is None:
        return examples[:_RESOURCES_PER_ACTION] or ["*"]
    found: list[str] = []
    for entry in statement.resource:
        text = _substituted(entry, known)
        if text is not None:
            # ``*`` is any resource: the action's own example ARN reads better than a filled-in word.
            found.append((examples or ["*"])[0] if text == "*" else _filled(text))
    return list(dict.fromkeys(found[:_RESOURCES_PER_ACTION] + examples[:1]))


def _statement_guesses(
    statement: Statement, account: str, known: dict[str, str]
) -> Iterator[tuple[str, str, dict[str, ContextValue]]]:
    context = _context(statement, known)
    for pattern in statement.action or ():
        if ":" not in pattern or any(char in pattern.partition(":")[0] for char in "*?"):
            continue  # a wildcard service covers every service: the solver's classes handle it
        for action in catalog_actions(pattern)[:_ACTIONS_PER_PATTERN]:
            for resource in _resources(statement, action, account, known):
                yield action, resource, context


def guesses(policies: Iterable[Policy], account: str) -> Iterator[Candidate]:
    """Requests the Allow statements of ``policies`` name, for a user and a role session of ``account``."""
    user = iam_entity_arn("aws", account, "user", "/", _FILL)
    # The variables each caller fixes (spec §D, §E): a session has no aws:username.
    callers = (
        (user, {"aws:username": _FILL, "aws:principalaccount": account, "aws:principalarn": user}),
        (sts_arn("aws", account, f"assumed-role/{_FILL}/{SESSION_NAME}"), {"aws:principalaccount": account}),
    )
    for policy in policies:
        for statement in policy.statements:
            if statement.effect is not Effect.ALLOW:
                continue
            for caller, known in callers:
                plain = {} if not policy.variables_enabled else known
                for action, resource, context in _statement_guesses(statement, account, plain):
                    yield Candidate(caller, action, resource, dict(context))
