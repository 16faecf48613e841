"""Condition tests, evaluated the plain way (spec §C, docs/evaluation.md "Conditions").

Each operator is read as a *positive* base (``StringEquals``, ``NumericLessThan``,
...) plus a flag saying whether it is negated (``StringNotEquals`` is the
negation of ``StringEquals``). One request value *matches* when the positive
base holds against some policy value (values are ORed); a negated operator is
*satisfied* by a request value that matches none of them (NOR).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial

from iamsim._engine.reference import values
from iamsim._engine.reference.variables import VariableScope
from iamsim._engine.reference.wildcards import match, split_pattern
from iamsim._engine.request import ContextValue
from iamsim._engine.result import ConditionTrace
from iamsim._policy.model import Condition, SetQualifier

__all__ = ["condition_holds", "evaluate_condition", "request_values"]

#: ``(request value, policy value, variables) -> does the positive base hold``.
Comparison = Callable[[str, str, VariableScope], bool]


def _string_equals(request: str, policy: str, scope: VariableScope) -> bool:
    expected = scope.literal(policy)
    return expected is not None and request == expected


def _string_equals_ignore_case(request: str, policy: str, scope: VariableScope) -> bool:
    expected = scope.literal(policy)
    return expected is not None and request.casefold() == expected.casefold()


def _string_like(request: str, policy: str, scope: VariableScope) -> bool:
    pattern = scope.pattern(policy)
    return pattern is not None and match(pattern, request)


def _arn_like(request: str, policy: str, scope: VariableScope) -> bool:
    """Spec §B.3: both sides split into six colon fields, each globbed on its own."""
    pattern = scope.pattern(policy)
    if pattern is None:
        return False
    pattern_fields = split_pattern(pattern, ":", 6)
    request_fields = request.split(":", 5)
    if len(pattern_fields) != 6 or len(request_fields) != 6:
        return False
    return all(match(field, text) for field, text in zip(pattern_fields, request_fields, strict=True))


def _bool_equals(request: str, policy: str, scope: VariableScope) -> bool:
    expected_text = scope.literal(policy)
    if expected_text is None:
        return False
    actual, expected = values.read_bool(request), values.read_bool(expected_text)
    return actual is not None and expected is not None and actual == expected


def _binary_equals(request: str, policy: str, scope: VariableScope) -> bool:
    actual, expected = values.read_binary(request), values.read_binary(policy)
    return actual is not None and expected is not None and actual == expected


def _ip_in(request: str, policy: str, scope: VariableScope) -> bool:
    address, network = values.read_address(request), values.read_network(policy)
    if address is None or network is None or address.version != network.version:
        return False
    return address in network


def _ordered(read: Callable[[str], Decimal | None], test: Callable[[int], bool]) -> Comparison:
    """Compare both sides as ``read`` reads them (numbers, or dates as instants).

    ``test`` receives the sign of ``request - policy``; a side ``read`` cannot read matches nothing.
    """

    def compare(request: str, policy: str, scope: VariableScope) -> bool:
        actual, expected = read(request), read(policy)
        if actual is None or expected is None:
            return False
        return test((actual > expected) - (actual < expected))

    return compare


#: Numeric operators compare decimals; date operators compare instants (spec §C).
_numeric = partial(_ordered, values.read_decimal)
_date = partial(_ordered, values.read_instant)


def _equal(sign: int) -> bool:
    return sign == 0


def _less(sign: int) -> bool:
    return sign < 0


def _less_or_equal(sign: int) -> bool:
    return sign <= 0


def _greater(sign: int) -> bool:
    return sign > 0


def _greater_or_equal(sign: int) -> bool:
    return sign >= 0


#: Every base operator except ``Null``: its positive comparison and whether it is negated.
_OPERATORS: dict[str, tuple[Comparison, bool]] = {
    "StringEquals": (_string_equals, False),
    "StringNotEquals": (_string_equals, True),
    "StringEqualsIgnoreCase": (_string_equals_ignore_case, False),
    "StringNotEqualsIgnoreCase": (_string_equals_ignore_case, True),
    "StringLike": (_string_like, False),
    "StringNotLike": (_string_like, True),
    "NumericEquals": (_numeric(_equal), False),
    "NumericNotEquals": (_numeric(_equal), True),
    "NumericLessThan": (_numeric(_less), False),
    "NumericLessThanEquals": (_numeric(_less_or_equal), False),
    "NumericGreaterThan": (_numeric(_greater), False),
    "NumericGreaterThanEquals": (_numeric(_greater_or_equal), False),
    "DateEquals": (_date(_equal), False),
    "DateNotEquals": (_date(_equal), True),
    "DateLessThan": (_date(_less), False),
    "DateLessThanEquals": (_date(_less_or_equal), False),
    "DateGreaterThan": (_date(_greater), False),
    "DateGreaterThanEquals": (_date(_greater_or_equal), False),
    "Bool": (_bool_equals, False),
    "BinaryEquals": (_binary_equals, False),
    "IpAddress": (_ip_in, False),
    "NotIpAddress": (_ip_in, True),
    "ArnEquals": (_arn_like, False),
    "ArnLike": (_arn_like, False),
    "ArnNotEquals": (_arn_like, True),
    "ArnNotLike": (_arn_like, True),
}


def request_values(context: Mapping[str, ContextValue], key: str) -> tuple[str, ...] | None:
    """The request's values for ``key`` as a tuple, or ``None`` when the key is absent."""
    value = context.get(key.lower())
    if value is None:
        return None
    return (value,) if isinstance(value, str) else value


def _is_empty(value: ContextValue) -> bool:
    """Spec §C.1/§C.3: an empty string or an empty list is a "null" value."""
    return value == "" or value == ()


def _null_holds(condition: Condition, value: ContextValue | None) -> bool:
    """``Null``: ``true`` wants the key absent or empty, ``false`` present and not empty."""
    is_null = value is None or _is_empty(value)
    for wanted in condition.values:
        wants_null = values.read_bool(wanted)
        if (wants_null is True and is_null) or (wants_null is False and not is_null):
            return True
    return False


def condition_holds(condition: Condition, context: Mapping[str, ContextValue], scope: VariableScope) -> bool:
    """Whether one condition test holds for the request (spec §C.1, §C.3)."""
    value = context.get(condition.key.lower())
    if condition.base == "Null":
        return _null_holds(condition, value)
    known = _OPERATORS.get(condition.base)
    if known is None:
        return False  # an operator IAM does not know never holds
    compare, negated = known

    if value is None:
        if condition.if_exists:
            return True
        if condition.qualifier is SetQualifier.FOR_ALL_VALUES:
            return True
        if condition.qualifier is SetQualifier.FOR_ANY_VALUE:
            return False
        return negated

    def matches(request_value: str) -> bool:
        return any(compare(request_value, policy_value, scope) for policy_value in condition.values)

    def satisfies(request_value: str) -> bool:
        return not matches(request_value) if negated else matches(request_value)

    items = (value,) if isinstance(value, str) else value
    if condition.qualifier is SetQualifier.FOR_ALL_VALUES:
        return _is_empty(value) or all(satisfies(item) for item in items)
    if condition.qualifier is SetQualifier.FOR_ANY_VALUE:
        return not _is_empty(value) and any(satisfies(item) for item in items)
    # No qualifier: several request values behave like one (spec §C.3, judgment):
    # plain operators need some value to match, negated ones need none to.
    some_match = any(matches(item) for item in items)
    return not some_match if negated else some_match


def evaluate_condition(
    condition: Condition, context: Mapping[str, ContextValue], scope: VariableScope
) -> ConditionTrace:
    """Evaluate one condition test and record it as a trace."""
    return ConditionTrace(
        operator=condition.operator,
        key=condition.key,
        policy_values=condition.values,
        request_values=request_values(context, condition.key),
        passed=condition_holds(condition, context, scope),
    )
