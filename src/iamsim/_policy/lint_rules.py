"""Every check the validator runs: its stable code, severity, title and documentation page.

Codes never change meaning once released; ``docs/findings.md`` documents each
one with an example, and the SARIF renderer publishes them as rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from iamsim._policy.findings import Finding, Severity

__all__ = ["RULES", "Rule"]

_UG = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
_ANALYZER = _UG + "access-analyzer-reference-policy-checks.html"


@dataclass(frozen=True, slots=True)
class Rule:
    """One check: a finding code with its fixed severity, a short title and a documentation page."""

    code: str
    severity: Severity
    title: str
    learn_more: str

    def finding(
        self,
        message: str,
        pointer: str,
        *,
        line: int | None = None,
        column: int | None = None,
        statement_index: int | None = None,
    ) -> Finding:
        """Return a finding of this rule."""
        return Finding(self.severity, self.code, message, pointer, line, column, statement_index, self.learn_more)


def _rules(*rules: Rule) -> Mapping[str, Rule]:
    return MappingProxyType({rule.code: rule for rule in rules})


E, S, W, G = Severity.ERROR, Severity.SECURITY_WARNING, Severity.WARNING, Severity.SUGGESTION

INVALID_JSON = Rule("INVALID_JSON", E, "The policy is not valid JSON", _UG + "reference_policies_grammar.html")
MALFORMED_POLICY = Rule(
    "MALFORMED_POLICY", E, "IAM would reject the policy document", _UG + "reference_policies_grammar.html"
)
POLICY_TOO_LARGE = Rule("POLICY_TOO_LARGE", E, "The policy exceeds its size quota", _UG + "reference_iam-quotas.html")
UNRESOLVED_VALUE = Rule(
    "UNRESOLVED_VALUE",
    W,
    "A value in the template cannot be resolved offline, so its policy was not checked",
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html",
)
UNKNOWN_SERVICE = Rule(
    "UNKNOWN_SERVICE", E, "No AWS service has this prefix", _UG + "reference_policies_elements_action.html"
)
UNKNOWN_ACTION = Rule(
    "UNKNOWN_ACTION", E, "The service has no such action", _UG + "reference_policies_elements_action.html"
)
ACTION_WILDCARD_MATCHES_NOTHING = Rule(
    "ACTION_WILDCARD_MATCHES_NOTHING",
    E,
    "An action wildcard matches no action",
    _UG + "reference_policies_elements_action.html",
)
UNKNOWN_CONDITION_KEY = Rule(
    "UNKNOWN_CONDITION_KEY", E, "No such condition key", _UG + "reference_policies_condition-keys.html"
)
PASS_ROLE_WITH_WILDCARD_RESOURCE = Rule(
    "PASS_ROLE_WITH_WILDCARD_RESOURCE",
    S,
    "iam:PassRole is allowed on every role",
    _UG + "id_roles_use_passrole.html",
)
ALLOW_WITH_NOT_ACTION = Rule(
    "ALLOW_WITH_NOT_ACTION", S, "Allow with NotAction", _UG + "reference_policies_elements_notaction.html"
)
PUBLIC_ACCESS = Rule(
    "PUBLIC_ACCESS",
    S,
    "Everyone may use this policy's access",
    _UG + "reference_policies_elements_principal.html",
)
FOR_ALL_VALUES_WITH_SINGLE_VALUED_KEY = Rule(
    "FOR_ALL_VALUES_WITH_SINGLE_VALUED_KEY",
    S,
    "ForAllValues on a single-valued key in an Allow",
    _UG + "reference_policies_condition-single-vs-multi-valued-context-keys.html",
)
CONDITION_KEY_NOT_APPLICABLE = Rule(
    "CONDITION_KEY_NOT_APPLICABLE",
    W,
    "A condition key none of the statement's actions supports",
    "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
)
OPERATOR_TYPE_MISMATCH = Rule(
    "OPERATOR_TYPE_MISMATCH",
    W,
    "The condition operator does not fit the key's type",
    _UG + "reference_policies_elements_condition_operators.html",
)
SET_OPERATOR_WITH_SINGLE_VALUED_KEY = Rule(
    "SET_OPERATOR_WITH_SINGLE_VALUED_KEY",
    W,
    "A set operator on a single-valued key",
    _UG + "reference_policies_condition-single-vs-multi-valued-context-keys.html",
)
MISSING_SET_OPERATOR = Rule(
    "MISSING_SET_OPERATOR",
    W,
    "A multivalued key without ForAllValues or ForAnyValue",
    _UG + "reference_policies_condition-single-vs-multi-valued-context-keys.html",
)
RESOURCE_MATCHES_NO_ACTION = Rule(
    "RESOURCE_MATCHES_NO_ACTION",
    W,
    "A resource ARN fits no resource type of the statement's actions",
    _UG + "reference_policies_elements_resource.html",
)
INCOMPLETE_RESOURCE_ARN = Rule(
    "INCOMPLETE_RESOURCE_ARN",
    W,
    "A resource ARN with fewer than six fields, which IAM completes with *",
    _UG + "reference_identifiers.html",
)
RESOURCE_TYPE_WILDCARD = Rule(
    "RESOURCE_TYPE_WILDCARD",
    E,
    "A wildcard stands for the resource-type word of an ARN, which IAM does not allow",
    _UG + "reference_identifiers.html",
)
ACTION_MATCHES_NO_RESOURCE = Rule(
    "ACTION_MATCHES_NO_RESOURCE",
    W,
    "An action none of the statement's resources fits",
    _UG + "reference_policies_elements_resource.html",
)
UNREACHABLE_ALLOW = Rule(
    "UNREACHABLE_ALLOW",
    W,
    "An Allow statement that an unconditional Deny fully overrides",
    _UG + "reference_policies_evaluation-logic.html",
)
ALLOW_WITH_NOT_RESOURCE = Rule(
    "ALLOW_WITH_NOT_RESOURCE", W, "Allow with NotResource", _UG + "reference_policies_elements_notresource.html"
)
UNKNOWN_SERVICE_PRINCIPAL = Rule(
    "UNKNOWN_SERVICE_PRINCIPAL",
    W,
    "A service principal that names no known AWS service",
    _UG + "reference_policies_elements_principal.html",
)
POLICY_VARIABLE_WITHOUT_VERSION = Rule(
    "POLICY_VARIABLE_WITHOUT_VERSION",
    W,
    "A policy variable that is literal text without Version 2012-10-17",
    _UG + "reference_policies_variables.html",
)
MISSING_VERSION = Rule(
    "MISSING_VERSION", G, "The policy has no Version", _UG + "reference_policies_elements_version.html"
)
LEGACY_VERSION = Rule(
    "LEGACY_VERSION", G, "The policy uses Version 2008-10-17", _UG + "reference_policies_elements_version.html"
)
REDUNDANT_STATEMENT = Rule(
    "REDUNDANT_STATEMENT",
    G,
    "A statement another unconditional statement fully covers",
    _UG + "reference_policies_elements_statement.html",
)
DUPLICATE_ACTION = Rule(
    "DUPLICATE_ACTION", G, "An action listed twice", _UG + "reference_policies_elements_action.html"
)
REDUNDANT_ACTION = Rule(
    "REDUNDANT_ACTION",
    G,
    "An action another entry of the same list already covers",
    _UG + "reference_policies_elements_action.html",
)
DUPLICATE_RESOURCE = Rule(
    "DUPLICATE_RESOURCE", G, "A resource listed twice", _UG + "reference_policies_elements_resource.html"
)
FULL_WILDCARD_ACTION = Rule("FULL_WILDCARD_ACTION", G, 'Allow of every action ("*")', _UG + "best-practices.html")
NARROWABLE_WILDCARD_RESOURCE = Rule(
    "NARROWABLE_WILDCARD_RESOURCE",
    G,
    'Resource "*" where every action supports specific resources',
    _UG + "best-practices.html",
)

#: Every rule, by code, in documentation order.
RULES: Mapping[str, Rule] = _rules(
    INVALID_JSON,
    MALFORMED_POLICY,
    POLICY_TOO_LARGE,
    UNRESOLVED_VALUE,
    UNKNOWN_SERVICE,
    UNKNOWN_ACTION,
    ACTION_WILDCARD_MATCHES_NOTHING,
    UNKNOWN_CONDITION_KEY,
    PASS_ROLE_WITH_WILDCARD_RESOURCE,
    ALLOW_WITH_NOT_ACTION,
    PUBLIC_ACCESS,
    FOR_ALL_VALUES_WITH_SINGLE_VALUED_KEY,
    CONDITION_KEY_NOT_APPLICABLE,
    OPERATOR_TYPE_MISMATCH,
    SET_OPERATOR_WITH_SINGLE_VALUED_KEY,
    MISSING_SET_OPERATOR,
    RESOURCE_MATCHES_NO_ACTION,
    INCOMPLETE_RESOURCE_ARN,
    RESOURCE_TYPE_WILDCARD,
    ACTION_MATCHES_NO_RESOURCE,
    UNREACHABLE_ALLOW,
    ALLOW_WITH_NOT_RESOURCE,
    UNKNOWN_SERVICE_PRINCIPAL,
    POLICY_VARIABLE_WITHOUT_VERSION,
    MISSING_VERSION,
    LEGACY_VERSION,
    REDUNDANT_STATEMENT,
    DUPLICATE_ACTION,
    REDUNDANT_ACTION,
    DUPLICATE_RESOURCE,
    FULL_WILDCARD_ACTION,
    NARROWABLE_WILDCARD_RESOURCE,
)
