"""Readable witnesses: real action names, example ARNs and an example caller name where the policies allow.

A solver model satisfies the check's formula with whatever strings z3 finds
first (``a4b:`` for an action, ``' '`` for a resource). Once a witness is
verified, readable variants of it are tried one part at a time: an action of
the same service that the service reference names, an example ARN of that
action's resource types, an example caller name. A variant is kept only
when both evaluators confirm it refutes the property too (the same check as
every witness passes), so tidying never shows a request that does not hold.
The variants are decided concretely, not by the solver: asking z3 with the
tidy value pinned was measured to ignore its timeout beside the type-word
regexes, and evaluating the formula on a substituted model has no timeout.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from iamsim._policy.catalog import ServiceCatalog

if TYPE_CHECKING:
    from iamsim._prover.solve import Candidate

__all__ = ["action_spelling", "catalog_actions", "example_resources", "tidy"]

#: Placeholders of the service reference's ARN formats and the example text each becomes.
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)\}")
_FIXED = {"Partition": "aws", "Region": "us-east-1"}
#: The example caller name.
_EXAMPLE_NAME = "example"
#: Wall-clock seconds spent tidying one witness (each try re-decides it with both evaluators).
_SECONDS = 1.0

#: Re-decides a variant: the decisions when it still refutes the property, else ``None``.
Confirm = Callable[["Candidate"], dict[str, str] | None]


@cache
def _catalog() -> ServiceCatalog:
    return ServiceCatalog.load()


def action_spelling(action: str) -> str:
    """The service reference's spelling of a casefolded action (``s3:GetObject``), else the action as given."""
    found = _catalog().action(action)
    return found.full_name if found is not None else action


def _example_arn(arn_format: str, account: str) -> str:
    def fill(found: re.Match[str]) -> str:
        name = found.group(1)
        if name in _FIXED:
            return _FIXED[name]
        if name == "Account":
            return account
        word = re.sub(r"(Name|Id)$", "", name) or name
        return "example-" + re.sub(r"(?<!^)(?=[A-Z])", "-", word).lower()

    return _PLACEHOLDER.sub(fill, arn_format)


def catalog_actions(pattern: str) -> list[str]:
    """The service reference's actions that the IAM glob ``pattern`` covers, spelled as it spells them."""
    return [action.full_name for action in _catalog().actions_matching(pattern)]


def example_resources(action: str, account: str) -> list[str]:
    """Example resources for ``action``: its resource types' ARN formats filled in (``*`` when it has none)."""
    found = _catalog().action(action)
    if found is None:
        return []
    if not found.resource_types:
        return ["*"]
    # The shortest first: the plain form of a type (a bucket's object, not an access point's).
    return sorted((_example_arn(kind.arn_format, account) for kind in found.resource_types if kind.arn_format), key=len)


def _service_actions(action: str) -> list[str]:
    service = _catalog().service(action.partition(":")[0])
    return [] if service is None else [f"{service.prefix}:{name}".casefold() for name in sorted(service.actions)]


def _renamed(principal: str) -> str | None:
    """The caller ARN with its name replaced by the example name (``None``: anonymous or a root)."""
    head, slash, _ = principal.rpartition("/")
    if not slash or principal == "anonymous":
        return None
    if ":assumed-role/" in principal:
        head, _, _ = head.rpartition("/")
        return f"{head}/{_EXAMPLE_NAME}/{principal.rpartition('/')[2]}"
    return f"{head}/{_EXAMPLE_NAME}"


def tidy(
    candidate: Candidate,
    decisions: dict[str, str],
    confirm: Confirm,
    account: str,
    taken: frozenset[str] = frozenset(),
) -> tuple[Candidate, dict[str, str]]:
    """The verified ``candidate`` made as readable as the policies allow, with the decisions that show it.

    ``taken`` are the (casefolded) actions of the witnesses already shown: another real
    action is preferred, so that two solver actions do not become the same witness.
    """
    deadline = time.perf_counter() + _SECONDS
    best = (candidate, decisions)

    def attempt(variant: Candidate) -> bool:
        nonlocal best
        if time.perf_counter() >= deadline or variant == best[0]:
            return False
        found = confirm(variant)
        if found is None:
            return False
        best = (variant, found)
        return True

    if candidate.action not in (real := _service_actions(candidate.action)):
        for name in (name for name in real if name not in taken):
            if attempt(replace(best[0], action=name)) or time.perf_counter() >= deadline:
                break
    for example in example_resources(best[0].action, account):
        if example == best[0].resource or attempt(replace(best[0], resource=example)):
            break
    renamed = _renamed(best[0].principal)
    if renamed is not None:
        attempt(replace(best[0], principal=renamed))
    _tidy_context(best[0], attempt)
    return best


def _tidy_context(candidate: Candidate, attempt: Callable[[Candidate], bool]) -> None:
    """Drop the context keys the finding does not need; a list becomes one of its values where one will do.

    The solver gives every key the policies test a value, often junk (``''``, two
    values for a single-valued key such as ``aws:SourceIp``) where no condition of
    the deciding statements reads it.
    """
    context = dict(candidate.context)
    for key in list(context):
        if attempt(replace(candidate, context={k: v for k, v in context.items() if k != key})):
            del context[key]
    for key, value in list(context.items()):
        if isinstance(value, tuple):
            for single in dict.fromkeys(value):
                if attempt(replace(candidate, context={**context, key: single})):
                    context[key] = single
                    break
