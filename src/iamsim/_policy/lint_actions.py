"""Checks of the ``Action`` and ``NotAction`` elements (§B.1).

Every name must resolve in the service reference; a wildcard must match at
least one action; a list should not repeat itself. ``Allow`` with
``NotAction`` and ``Allow`` of ``"*"`` grant more than their authors usually
mean.
"""

from __future__ import annotations

import re

from iamsim._policy import lint_rules as rules
from iamsim._policy.glob_algebra import covers
from iamsim._policy.lint_context import LintContext
from iamsim._policy.model import Effect, PolicyKind, Statement

__all__ = ["check_actions"]

_WILDCARD = re.compile(r"[*?]")

# Kinds where an Allow of "*" is a grant to someone; boundaries, SCPs and session policies only limit.
_GRANTING_KINDS = frozenset({PolicyKind.IDENTITY, PolicyKind.RESOURCE})


def check_actions(context: LintContext) -> None:
    """Report unknown services and actions, dead wildcards, repeats, and broad grants."""
    for statement in context.policy.statements:
        element = "Action" if statement.action is not None else "NotAction"
        values = statement.action if statement.action is not None else statement.not_action or ()
        for offset, action in enumerate(values):
            _check_name(context, statement, element, offset, action)
        _check_repeats(context, statement, element, values)
        if statement.effect is Effect.ALLOW and statement.not_action is not None:
            context.report(
                rules.ALLOW_WITH_NOT_ACTION,
                "Allow with NotAction allows every action except those listed, including actions of "
                "services added later; list the allowed actions instead",
                context.element_pointer(statement, "NotAction"),
                statement,
            )
        if (
            statement.effect is Effect.ALLOW
            and context.policy.kind in _GRANTING_KINDS
            and statement.action is not None
            and "*" in statement.action
        ):
            context.report(
                rules.FULL_WILDCARD_ACTION,
                'Action "*" allows every action of every service; list the actions this policy needs',
                context.item_pointer(statement, "Action", statement.action.index("*")),
                statement,
            )


def _check_name(context: LintContext, statement: Statement, element: str, offset: int, action: str) -> None:
    if action == "*":
        return
    pointer = context.item_pointer(statement, element, offset)
    prefix, _, name = action.partition(":")
    wildcard = "*" in action or "?" in action
    if "*" in prefix or "?" in prefix:
        if not context.lookups.expand(action):
            context.report(
                rules.ACTION_WILDCARD_MATCHES_NOTHING,
                f"The action pattern {action!r} matches no action of any service",
                pointer,
                statement,
            )
        return
    lookups = context.lookups
    if not lookups.has_service(prefix):
        context.report(
            rules.UNKNOWN_SERVICE,
            f"No AWS service has the prefix {prefix!r} (in {action!r})"
            + _did_you_mean(lookups.similar_services(prefix)),
            pointer,
            statement,
        )
        return
    if lookups.expand(action):
        return
    if wildcard:
        context.report(
            rules.ACTION_WILDCARD_MATCHES_NOTHING,
            f"The action pattern {action!r} matches no action of service {prefix.lower()!r}",
            pointer,
            statement,
        )
    else:
        suggestions = lookups.similar_actions(prefix, name)
        context.report(
            rules.UNKNOWN_ACTION,
            f"Service {prefix.lower()!r} has no action {name!r}{_did_you_mean(suggestions)}",
            pointer,
            statement,
        )


def _check_repeats(context: LintContext, statement: Statement, element: str, values: tuple[str, ...]) -> None:
    seen = context.report_repeats(rules.DUPLICATE_ACTION, statement, element, values, fold_case=True)
    wildcards = [
        (lowered, offset, _WILDCARD.split(lowered, 1)[0])
        for lowered, offset in seen.items()
        if "*" in lowered or "?" in lowered
    ]
    for lowered, offset in seen.items():
        for other, other_offset, head in wildcards:
            if not lowered.startswith(head):
                continue
            # Of two entries that cover each other, only the later one is the redundant one.
            mutual_and_first = offset < other_offset and covers(lowered, other)
            if other != lowered and covers(other, lowered) and not mutual_and_first:
                context.report(
                    rules.REDUNDANT_ACTION,
                    f"{values[offset]!r} is already covered by {values[other_offset]!r} in the same {element}",
                    context.item_pointer(statement, element, offset),
                    statement,
                )
                break


def _did_you_mean(candidates: list[str]) -> str:
    if not candidates:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in candidates) + "?"
