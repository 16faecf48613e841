"""Document-level checks: the ``Version`` element and what it means for policy variables (§A.1, §D).

Without ``"Version": "2012-10-17"`` a policy variable such as
``${aws:username}`` is literal text, so a resource written with one names
nothing that exists.
"""

from __future__ import annotations

import re

from iamsim._policy import lint_rules as rules
from iamsim._policy.lint_context import LintContext

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
        for element in ("Resource", "NotResource"):
            values = statement.resource if element == "Resource" else statement.not_resource
            for offset, value in enumerate(values or ()):
                if _VARIABLE.search(value):
                    context.report(
                        rules.POLICY_VARIABLE_WITHOUT_VERSION,
                        f"{value!r} uses a policy variable, but with {version} it is literal text and names "
                        'nothing; add "Version": "2012-10-17"',
                        context.item_pointer(statement, element, offset),
                        statement,
                    )
        for condition in statement.conditions:
            for offset, value in enumerate(condition.values):
                if _VARIABLE.search(value):
                    context.report(
                        rules.POLICY_VARIABLE_WITHOUT_VERSION,
                        f"Condition value {value!r} uses a policy variable, but with {version} it is compared as "
                        'literal text; add "Version": "2012-10-17"',
                        context.condition_value_pointer(statement, condition, offset),
                        statement,
                    )
