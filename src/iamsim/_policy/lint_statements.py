"""Statements that cannot matter: covered by another statement of the same effect, or overridden by a Deny.

Statement ``T`` covers statement ``S`` when ``T`` has no condition and every
request ``S`` matches, ``T`` matches too: its principals include ``S``'s, its
actions include ``S``'s and its resources include ``S``'s. Inclusion of
wildcard patterns is decided on the patterns (:mod:`~iamsim._policy.glob_algebra`),
``NotAction``/``NotResource`` by complement. ``S`` may have conditions: they
only make it match less. Explicit deny wins (§F.1), so an Allow an
unconditional Deny covers never allows anything.
"""

from __future__ import annotations

from iamsim._policy import lint_rules as rules
from iamsim._policy.glob_algebra import covers, overlaps
from iamsim._policy.lint_context import LintContext
from iamsim._policy.model import Effect, PrincipalSpec, Statement

__all__ = ["check_statements", "statement_covers"]


def check_statements(context: LintContext) -> None:
    """Report redundant statements and Allow statements an unconditional Deny overrides."""
    statements = context.policy.statements
    unconditional = [t for t in statements if not t.conditions]
    for statement in statements:
        for other in unconditional:
            if other.index == statement.index or not statement_covers(other, statement):
                continue
            if other.effect is statement.effect:
                # Of two statements that cover each other, call only the later one redundant.
                if other.index > statement.index and not statement.conditions and statement_covers(statement, other):
                    continue
                context.report(
                    rules.REDUNDANT_STATEMENT,
                    f"{_label(statement)} is already covered by {_label(other)}, which has no condition; "
                    "remove it or merge the two",
                    context.statement_pointer(statement),
                    statement,
                )
                break
            if statement.effect is Effect.ALLOW:
                context.report(
                    rules.UNREACHABLE_ALLOW,
                    f"{_label(statement)} can never allow anything: {_label(other)} denies all of it "
                    "without condition, and an explicit deny always wins",
                    context.statement_pointer(statement),
                    statement,
                )
                break


def _label(statement: Statement) -> str:
    sid = f" ({statement.sid!r})" if statement.sid else ""
    return f"statement {statement.index}{sid}"


def statement_covers(general: Statement, specific: Statement) -> bool:
    """Whether every request ``specific`` matches, ``general`` matches too (conditions aside)."""
    return (
        _principals_cover(general, specific)
        and _elements_cover(general.resource, general.not_resource, specific.resource, specific.not_resource, False)
        and _elements_cover(general.action, general.not_action, specific.action, specific.not_action, True)
    )


def _principals_cover(general: Statement, specific: Statement) -> bool:
    if general.not_principal is not None or specific.not_principal is not None:
        return False
    g, s = general.principal, specific.principal
    if g is None or s is None:
        return g is None and s is None
    if g.wildcard:
        return True
    return not s.wildcard and all(set(_field(s, name)) <= set(_field(g, name)) for name in _PRINCIPAL_FIELDS)


_PRINCIPAL_FIELDS = ("aws", "service", "federated", "canonical_user")


def _field(spec: PrincipalSpec, name: str) -> tuple[str, ...]:
    values: tuple[str, ...] = getattr(spec, name)
    return values


def _elements_cover(
    general: tuple[str, ...] | None,
    general_not: tuple[str, ...] | None,
    specific: tuple[str, ...] | None,
    specific_not: tuple[str, ...] | None,
    fold_case: bool,
) -> bool:
    """Whether the positive-or-negated element ``general`` includes ``specific``."""
    if general is not None and specific is not None:
        return all(_any_covers(general, value, fold_case) for value in specific)
    if general is not None and specific_not is not None:
        return "*" in general
    if general_not is not None and specific is not None:
        return all(not _overlaps(excluded, value, fold_case) for excluded in general_not for value in specific)
    if general_not is not None and specific_not is not None:
        # "all but A" includes "all but B" exactly when every pattern of A lies inside B.
        return all(_any_covers(specific_not, value, fold_case) for value in general_not)
    # No Resource element: the statement is about the resource the policy is attached to.
    return general is None and general_not is None and specific is None and specific_not is None


def _any_covers(patterns: tuple[str, ...], value: str, fold_case: bool) -> bool:
    if fold_case:
        value = value.lower()
    for pattern in patterns:
        candidate = pattern.lower() if fold_case else pattern
        if candidate == value or candidate == "*":
            return True
        if ("*" in candidate or "?" in candidate) and covers(candidate, value):
            return True
    return False


def _overlaps(left: str, right: str, fold_case: bool) -> bool:
    return overlaps(left, right, fold_case=fold_case)
