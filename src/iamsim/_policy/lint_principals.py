"""Checks of ``Principal`` and ``NotPrincipal`` in resource-based and trust policies (§A.3, §F.4).

``"Principal": "*"`` means everyone, anonymous callers included; an Allow
with it needs a condition that narrows who can use it (an organization, an
account, a source ARN, an external id...). Service principals should name an
AWS service.
"""

from __future__ import annotations

from iamsim._policy import lint_rules as rules
from iamsim._policy.lint_context import LintContext
from iamsim._policy.model import Condition, Effect, SetQualifier
from iamsim._policy.operators import OperatorFamily, family_of, is_negated

__all__ = ["check_principals"]

# Keys whose positive test limits a wildcard principal to known callers (lower-case).
_RESTRICTING_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalservicename",
        "aws:principalisawsservice",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourceowner",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:vpcsourceip",
        "aws:userid",
        "aws:username",
        "sts:externalid",
        "kms:calleraccount",
        "s3:dataaccesspointaccount",
        "s3:dataaccesspointarn",
    }
)


def check_principals(context: LintContext) -> None:
    """Report Allow statements open to everyone and service principals no AWS service has."""
    for statement in context.policy.statements:
        principal = statement.principal
        if principal is None:
            principal_element = "NotPrincipal"
            spec = statement.not_principal
        else:
            principal_element = "Principal"
            spec = principal
        if spec is None:
            continue
        if (
            statement.effect is Effect.ALLOW
            and principal is not None
            and principal.wildcard
            and not any(_restricts(c) for c in statement.conditions)
        ):
            context.report(
                rules.PUBLIC_ACCESS,
                'This Allow applies to everyone, anonymous callers included: the principal is "*" and no '
                "condition limits it (for example aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn)",
                context.element_pointer(statement, "Principal"),
                statement,
            )
        for offset, service in enumerate(spec.service):
            if not context.lookups.is_known_service_principal(service):
                context.report(
                    rules.UNKNOWN_SERVICE_PRINCIPAL,
                    f"{service!r} is not the principal of a known AWS service (they look like 'ec2.amazonaws.com')",
                    context.principal_item_pointer(statement, principal_element, "Service", offset),
                    statement,
                )


def _restricts(condition: Condition) -> bool:
    """Whether ``condition`` can only be true for callers it names."""
    if condition.key.lower() not in _RESTRICTING_KEYS and not _is_provider_claim(condition.key):
        return False
    family = family_of(condition.base)
    if family is OperatorFamily.NULL or is_negated(condition.base) or condition.if_exists:
        return False
    if condition.qualifier is SetQualifier.FOR_ALL_VALUES:
        return False
    if family is OperatorFamily.BOOL:
        return "true" in (v.lower() for v in condition.values)
    return any(v.strip("*") for v in condition.values)


def _is_provider_claim(key: str) -> bool:
    """Whether ``key`` tests an identity provider's claim (``accounts.google.com:aud``)."""
    prefix = key.partition(":")[0]
    return "." in prefix or "/" in prefix
