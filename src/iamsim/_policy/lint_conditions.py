"""Checks of ``Condition`` blocks against the service reference (§C, §E).

A key must exist (a concrete ``aws:ResourceTag/team`` matches the template
``aws:ResourceTag/${TagKey}``), should apply to at least one of the
statement's actions, and should be tested with an operator of its type. Set
qualifiers belong to multivalued keys, and multivalued keys need one (§C.3).

Keys of identity providers (``accounts.google.com:aud``,
``token.actions.githubusercontent.com:sub``, ``saml:...``) name claims the
provider defines; they are not checked against the reference.
"""

from __future__ import annotations

from iamsim._policy import lint_rules as rules
from iamsim._policy.catalog import ConditionKey
from iamsim._policy.catalog_lookups import key_shape
from iamsim._policy.lint_context import LintContext
from iamsim._policy.model import Condition, Effect, SetQualifier, Statement
from iamsim._policy.operators import OperatorFamily, family_of

__all__ = ["check_conditions"]

_ANY_TYPE = frozenset({OperatorFamily.NULL})
# Which operator families may test a key of each reference type.
_FAMILIES_BY_TYPE: dict[str, frozenset[OperatorFamily]] = {
    # AWS's own policies test String keys that hold ARNs (kms:EncryptionContext:aws:s3:arn) with ArnLike.
    "String": frozenset({OperatorFamily.STRING, OperatorFamily.ARN}),
    "ARN": frozenset({OperatorFamily.ARN, OperatorFamily.STRING}),
    "Numeric": frozenset({OperatorFamily.NUMERIC}),
    "Date": frozenset({OperatorFamily.DATE}),
    "Bool": frozenset({OperatorFamily.BOOL}),
    "IPAddress": frozenset({OperatorFamily.IP}),
    "Binary": frozenset({OperatorFamily.BINARY}),
}
# aws:EpochTime is typed Date but documented to work with Numeric operators too (§C.2).
_ALSO_NUMERIC = frozenset({"aws:epochtime"})
# Prefixes of identity-provider claim keys that are not AWS services.
_PROVIDER_PREFIXES = frozenset({"saml"})


def check_conditions(context: LintContext) -> None:
    """Report unknown keys, keys no listed action supports, operator/type mismatches, set-qualifier misuse."""
    for statement in context.policy.statements:
        for condition in statement.conditions:
            key = _known_key(context, statement, condition)
            if key is None:
                continue
            _check_applies(context, statement, condition, key)
            _check_type(context, statement, condition, key)
            _check_qualifier(context, statement, condition, key)


def _is_provider_prefix(prefix: str) -> bool:
    return "." in prefix or "/" in prefix or prefix in _PROVIDER_PREFIXES


def _known_key(context: LintContext, statement: Statement, condition: Condition) -> ConditionKey | None:
    """The reference entry of ``condition``'s key; reports the key when it is unknown."""
    lookups = context.lookups
    key = lookups.condition_key(condition.key)
    prefix = condition.key.partition(":")[0].lower()
    if key is not None or _is_provider_prefix(prefix):
        return key
    pointer = context.condition_pointer(statement, condition)
    suggestions = lookups.similar_keys(condition.key)
    hint = "; did you mean " + " or ".join(repr(s) for s in suggestions) + "?" if suggestions else ""
    if prefix == "aws":
        message = f"{condition.key!r} is not a global condition key{hint}"
    elif lookups.has_service(prefix):
        message = f"Service {prefix!r} has no condition key {condition.key!r}{hint}"
    else:
        message = f"No AWS service has the prefix {prefix!r}, so {condition.key!r} is no condition key"
    context.report(rules.UNKNOWN_CONDITION_KEY, message, pointer, statement)
    return None


def _check_applies(context: LintContext, statement: Statement, condition: Condition, key: ConditionKey) -> None:
    if key.is_global or condition.key.lower().startswith("aws:"):
        return
    listed = context.listed_actions(statement)
    if listed is None or not listed.complete or not listed.actions:
        return
    names = {key_shape(key.name), key_shape(condition.key)}
    if any(names & context.lookups.applicable_keys(action) for action in listed.actions):
        return
    shown = ", ".join(a.full_name for a in listed.actions[:3]) + (", ..." if len(listed.actions) > 3 else "")
    context.report(
        rules.CONDITION_KEY_NOT_APPLICABLE,
        f"Condition key {condition.key!r} applies to none of the statement's actions ({shown}); "
        "the condition can never be true for them",
        context.condition_pointer(statement, condition),
        statement,
    )


def _check_type(context: LintContext, statement: Statement, condition: Condition, key: ConditionKey) -> None:
    family = family_of(condition.base)
    value_type = key.type.removeprefix("ArrayOf")
    allowed = _FAMILIES_BY_TYPE.get(value_type)
    if allowed is None or family in _ANY_TYPE or family in allowed:
        return
    if family is OperatorFamily.NUMERIC and key.name.lower() in _ALSO_NUMERIC:
        return
    fitting = " or ".join(sorted(f.value for f in allowed))
    context.report(
        rules.OPERATOR_TYPE_MISMATCH,
        f"Operator {condition.operator} compares {family.value} values, but {condition.key!r} is of type "
        f"{key.type}; use one of the {fitting} operators",
        context.condition_pointer(statement, condition),
        statement,
    )


def _check_qualifier(context: LintContext, statement: Statement, condition: Condition, key: ConditionKey) -> None:
    if condition.base == "Null":
        return
    pointer = context.condition_pointer(statement, condition)
    qualifier = condition.qualifier
    if qualifier is not None and not key.is_multivalued:
        if qualifier is SetQualifier.FOR_ALL_VALUES and statement.effect is Effect.ALLOW:
            context.report(
                rules.FOR_ALL_VALUES_WITH_SINGLE_VALUED_KEY,
                f"ForAllValues with single-valued key {condition.key!r} is true when the key is missing, "
                "so this Allow can apply to requests without it; drop the ForAllValues qualifier",
                pointer,
                statement,
            )
        else:
            context.report(
                rules.SET_OPERATOR_WITH_SINGLE_VALUED_KEY,
                f"{qualifier.value} is meant for multivalued keys, but {condition.key!r} is single-valued; "
                "drop the qualifier",
                pointer,
                statement,
            )
    elif qualifier is None and key.is_multivalued:
        context.report(
            rules.MISSING_SET_OPERATOR,
            f"{condition.key!r} is multivalued; say whether all values (ForAllValues:) or any value "
            f"(ForAnyValue:) must satisfy {condition.operator}",
            pointer,
            statement,
        )
