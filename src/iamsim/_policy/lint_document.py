"""Document-level checks: the ``Version`` element and what it means for policy variables (§A.1, §D).

Without ``"Version": "2012-10-17"`` a policy variable such as
``${aws:username}`` is literal text, so a resource written with one names
nothing that exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from iamsim._policy import lint_rules as rules
from iamsim._policy.lint_context import LintContext
from iamsim._policy.model import Statement

__all__ = ["check_document"]

_VARIABLE = re.compile(r"\$\{[^}]+\}")


def check_document(context: LintContext) -> None:
    """Report a missing or legacy ``Version`` and the policy variables it leaves literal."""
    policy = context.policy
    if policy.version is None:
        context.report(
            rules.MISSING_VERSION,
            'The policy has no Version; add "Version": "2012-10-17" (without it, policy variables are literal text)',
            "",
        )
    elif policy.version != "2012-10-17":
        context.report(
            rules.LEGACY_VERSION,
            f'Version {policy.version!r} is the legacy policy language; use "2012-10-17"',
            "/Version",
        )
    if policy.variables_enabled:
        return
    version = "no Version" if policy.version is None else f"Version {policy.version!r}"
    for statement in policy.statements:
        for subject, meaning, pointer in _literal_variables(context, statement):
            context.report(
                rules.POLICY_VARIABLE_WITHOUT_VERSION,
                f'{subject} uses a policy variable, but with {version} it {meaning}; add "Version": "2012-10-17"',
                pointer,
                statement,
            )


def _literal_variables(context: LintContext, statement: Statement) -> Iterator[tuple[str, str, str]]:
    """(how to name the value, what the variable becomes, pointer) of each value written with a variable."""
    for element in ("Resource", "NotResource"):
        values = statement.resource if element == "Resource" else statement.not_resource
        for offset, value in enumerate(values or ()):
            if _VARIABLE.search(value):
                yield repr(value), "is literal text and names nothing", context.item_pointer(statement, element, offset)
    for condition in statement.conditions:
        for offset, value in enumerate(condition.values):
            if _VARIABLE.search(value):
                pointer = context.condition_value_pointer(statement, condition, offset)
                yield f"Condition value {value!r}", "is compared as literal text", pointer
