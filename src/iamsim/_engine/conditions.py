"""Condition blocks compiled into evaluators (spec §C, docs/evaluation.md "Conditions").

Each :class:`~iamsim._policy.model.Condition` (one operator, one key, its
values) becomes an evaluator whose policy values were parsed once: numbers as
:class:`~decimal.Decimal`, dates as exact instants (seconds since the epoch,
as a ``Decimal``), IP blocks as networks, base-64 as bytes, globs compiled,
ARN patterns as per-field regexes. Per request only the request's own values
are parsed, each text at most once per kind (a
:class:`~iamsim._engine.request_values.RequestValues` the conditions of an
evaluator's requests share, bounded). Every typed value is read with the one grammar of
:mod:`iamsim._policy.values`, which the parser and the reference evaluator
use too.

The quantifier rules live in :meth:`KeyCondition.holds`; a value family only
answers "does this request value match some policy value". Negated operators
(``StringNotEquals``...) reuse the positive family and negate per request
value, which gives NOR over the policy values.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from iamsim._engine.request import ContextValue
from iamsim._engine.request_values import RequestValues
from iamsim._engine.result import ConditionTrace
from iamsim._engine.variables import Template, parse_template
from iamsim._engine.wildcards import (
    GlobSet,
    Matcher,
    compile_glob_set,
    compile_regex_source,
    glob_regex_source,
    has_wildcards,
)
from iamsim._policy.model import Condition, SetQualifier
from iamsim._policy.operators import NEGATED_OPERATORS, OperatorFamily, family_of
from iamsim._policy.values import (
    IpNetwork,
    parse_base64,
    parse_bool,
    parse_date,
    parse_network,
    parse_number,
)
from iamsim.errors import MalformedPolicyDocumentError

__all__ = [
    "ConditionTest",
    "KeyCondition",
    "NullCondition",
    "ValueFamily",
    "arn_regex_source",
    "compile_condition",
    "parse_instant",
    "parse_number",
]

#: The compiled path's name for the shared date grammar (:func:`iamsim._policy.values.parse_date`).
parse_instant = parse_date

Context = Mapping[str, ContextValue]

_COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "Equals": operator.eq,
    "NotEquals": operator.eq,
    "LessThan": operator.lt,
    "LessThanEquals": operator.le,
    "GreaterThan": operator.gt,
    "GreaterThanEquals": operator.ge,
}


def arn_regex_source(runs: Iterable[tuple[str, bool]]) -> str | None:
    """Regex source matching an ARN field by field (§B.3), or ``None`` without six fields.

    ``runs`` are ``(text, raw)`` pieces: raw text keeps its wildcards, other
    text is literal. The first five fields' wildcards cannot cross ``:``; the
    sixth keeps any further colons.
    """
    out: list[str] = []
    fields = 0
    for text, raw in runs:
        start = 0
        while fields < 5:
            colon = text.find(":", start)
            if colon < 0:
                break
            chunk = text[start:colon]
            out.append(glob_regex_source(chunk, within_segment=True) if raw else re.escape(chunk))
            out.append(":")
            fields += 1
            start = colon + 1
        rest = text[start:]
        out.append(glob_regex_source(rest, within_segment=fields < 5) if raw else re.escape(rest))
    return "".join(out) if fields == 5 else None


class ValueFamily(Protocol):
    """An operator family's value test over pre-parsed policy values."""

    def match(self, value: str, context: Context, values: RequestValues) -> bool:
        """Return whether request ``value`` matches some policy value (``values`` parses it once per request)."""
        ...


@dataclass(frozen=True, slots=True)
class _Nothing:
    def match(self, value: str, context: Context, values: RequestValues) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class _StringEquals:
    fixed: frozenset[str]
    templates: tuple[Template, ...]

    def match(self, value: str, context: Context, values: RequestValues) -> bool:
        if value in self.fixed:
            return True
        return any(template.render(context) == value for template in self.templates)


@dataclass(frozen=True, slots=True)
class _StringEqualsIgnoreCase:
    fixed: frozenset[str]
    templates: tuple[Template, ...]

    def match(self, value: str, context: Context, values: RequestValues) -> bool:
        folded = value.casefold()
        if folded in self.fixed:
            return True
        for template in self.templates:
            rendered = template.render(context)
            if rendered is not None and rendered.casefold() == folded:
                return True
        return False


@dataclass(frozen=True, slots=True)
class _StringLike:
    globs: GlobSet
    fixed: tuple[Matcher, ...] = field(compare=False)
    templates: tuple[Template, ...]

    def match(self, value: str, context: Context, values: RequestValues) -> bool:
        if self.globs.matches(value):
            return True
        for test in self.fixed:
            if test(value) is not None:
                return True
        for template in self.templates:
            source = template.render_regex(context)
            if source is not None and compile_regex_source(source)(value) is not None:
                return True
        return False


@dataclass(frozen=True, slots=True)
class _Arn:
    exact: frozenset[str]
    fixed: tuple[Matcher, ...] = field(compare=False)
    templates: tuple[Template, ...]

    def match(self, value: str, context: Context, values: RequestValues) -> bool:
        if value in self.exact:
            return True
        for test in self.fixed:
            if test(value) is not None:
                return True
        for template in self.templates:
            runs = template.render_runs(context)
            source = None if runs is None else arn_regex_source(runs)
            if source is not None and compile_regex_source(source)(value) is not None:
                return True
        return False


@dataclass(frozen=True, slots=True)
class _Bool:
    fixed: frozenset[bool]
    templates: tuple[Template, ...]

    def match(self, value: str, context: Context, values: RequestValues) -> bool:
        actual = parse_bool(value)
        if actual is None:
            return False
        if actual in self.fixed:
            return True
        for template in self.templates:
            rendered = template.render(context)
            if rendered is not None and parse_bool(rendered) is actual:
                return True
        return False


@dataclass(frozen=True, slots=True)
class _Ordered:
    """Numbers or dates: ``compare(request, policy)`` against each parsed policy value."""

    wanted: tuple[Decimal, ...]
    #: ``RequestValues.number`` or ``RequestValues.date``: the request's value parsed once per request.
    read: Callable[[RequestValues, str], Decimal | None] = field(compare=False)
    compare: Callable[[Decimal, Decimal], bool] = field(compare=False)

    def match(self, value: str, context: Context, values: RequestValues) -> bool:
        parsed = self.read(values, value)
        if parsed is None:
            return False
        compare = self.compare
        for wanted in self.wanted:  # noqa: SIM110 - a plain loop spares a generator per request
            if compare(parsed, wanted):
                return True
        return False


@dataclass(frozen=True, slots=True)
class _Binary:
    values: frozenset[bytes]

    def match(self, value: str, context: Context, values: RequestValues) -> bool:
        decoded = parse_base64(value)
        return decoded is not None and decoded in self.values


@dataclass(frozen=True, slots=True)
class _Ip:
    networks: tuple[IpNetwork, ...]

    def match(self, value: str, context: Context, values: RequestValues) -> bool:
        address = values.address(value)
        if address is None:
            return False
        for network in self.networks:  # noqa: SIM110 - a plain loop spares a generator per request
            if address in network:
                return True
        return False


class ConditionTest(Protocol):
    """A compiled condition: holds or not for a request context."""

    @property
    def source(self) -> Condition:
        """The condition as parsed."""
        ...

    @property
    def key(self) -> str:
        """The condition key, lowercased for context lookups."""
        ...

    @property
    def counts_as_missing(self) -> bool:
        """Whether an absent key is reported in ``missing_context_keys`` (all but ``Null``)."""
        ...

    def holds(self, context: Context, values: RequestValues | None = None) -> bool:
        """Return whether the condition holds for ``context``.

        ``values`` is the request's parse memo, shared by the conditions checked for one request
        (a fresh one when omitted).
        """
        ...

    def trace(self, context: Context, values: RequestValues | None = None) -> ConditionTrace:
        """Evaluate and describe the evaluation (explain mode)."""
        ...


def _request_values(value: ContextValue | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return (value,) if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class KeyCondition:
    """Every operator but ``Null``: the quantifier rules of §C.1 and §C.3 over a value family.

    ``when_absent`` is the precomputed answer for a key the request lacks.
    """

    source: Condition
    key: str
    negated: bool
    qualifier: SetQualifier | None
    when_absent: bool
    family: ValueFamily

    @property
    def counts_as_missing(self) -> bool:
        """An absent key is reported as missing."""
        return True

    def holds(self, context: Context, values: RequestValues | None = None) -> bool:
        """Return whether the condition holds for ``context`` (``values``: the request's parse memo)."""
        value = context.get(self.key)
        if value is None:
            return self.when_absent
        if values is None:
            values = RequestValues()
        qualifier = self.qualifier
        match = self.family.match
        if isinstance(value, str):
            if qualifier is not None and not value:
                # An empty value is an empty set for the set operators (§C.3).
                return qualifier is SetQualifier.FOR_ALL_VALUES
            return match(value, context, values) is not self.negated
        if qualifier is None:
            # A multivalued key without a qualifier: some value matches (negated: none does).
            for item in value:
                if match(item, context, values):
                    return not self.negated
            return self.negated
        if qualifier is SetQualifier.FOR_ALL_VALUES:
            for item in value:  # noqa: SIM110 - a plain loop spares a generator per request
                if match(item, context, values) is self.negated:
                    return False
            return True
        for item in value:  # noqa: SIM110 - a plain loop spares a generator per request
            if match(item, context, values) is not self.negated:
                return True
        return False

    def trace(self, context: Context, values: RequestValues | None = None) -> ConditionTrace:
        """Evaluate and describe the evaluation (explain mode)."""
        source = self.source
        shown = _request_values(context.get(self.key))
        return ConditionTrace(source.operator, source.key, source.values, shown, self.holds(context, values))


@dataclass(frozen=True, slots=True)
class NullCondition:
    """``Null``: ``true`` holds for an absent or empty key, ``false`` for a present, non-empty one (§C.1)."""

    source: Condition
    key: str
    when_null: bool
    when_present: bool

    @property
    def counts_as_missing(self) -> bool:
        """Absence is ``Null``'s answer, never a missing key."""
        return False

    def holds(self, context: Context, values: RequestValues | None = None) -> bool:
        """Return whether the condition holds for ``context`` (``Null`` parses no value)."""
        value = context.get(self.key)
        return self.when_null if value is None or not value else self.when_present

    def trace(self, context: Context, values: RequestValues | None = None) -> ConditionTrace:
        """Evaluate and describe the evaluation (explain mode)."""
        source = self.source
        shown = _request_values(context.get(self.key))
        return ConditionTrace(source.operator, source.key, source.values, shown, self.holds(context, values))


def _split_templates(values: Iterable[str], variables: bool) -> tuple[list[str], list[Template]]:
    """Separate values needing substitution (or holding ``${*}``-style literals) from plain text."""
    plain: list[str] = []
    templates: list[Template] = []
    for value in values:
        template = parse_template(value) if variables and "${" in value else None
        if template is None or template.static == value:
            plain.append(value)
        else:
            templates.append(template)
    return plain, templates


def _dynamic(templates: list[Template]) -> tuple[Template, ...]:
    return tuple(t for t in templates if t.has_variables)


def _rendered(templates: list[Template]) -> list[str]:
    return [t.static for t in templates if t.static is not None]


def _string_family(base: str, values: tuple[str, ...], variables: bool) -> ValueFamily:
    plain, templates = _split_templates(values, variables)
    if base in ("StringLike", "StringNotLike"):
        fixed = tuple(
            compile_regex_source("".join(piece.regex for piece in t.pieces)) for t in templates if not t.has_variables
        )
        return _StringLike(compile_glob_set(plain), fixed, _dynamic(templates))
    plain += _rendered(templates)
    if base in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return _StringEqualsIgnoreCase(frozenset(v.casefold() for v in plain), _dynamic(templates))
    return _StringEquals(frozenset(plain), _dynamic(templates))


def _arn_family(values: tuple[str, ...], variables: bool) -> ValueFamily:
    plain, templates = _split_templates(values, variables)
    exact: set[str] = set()
    fixed: list[Matcher] = []
    for value in plain:
        if value.count(":") < 5:
            continue  # fewer than six fields: matches no ARN
        if has_wildcards(value):
            source = arn_regex_source([(value, True)])
            if source is not None:
                fixed.append(compile_regex_source(source))
        else:
            exact.add(value)
    for template in templates:
        if template.has_variables:
            continue
        source = arn_regex_source((piece.text, piece.raw) for piece in template.pieces)
        if source is not None:
            fixed.append(compile_regex_source(source))
    return _Arn(frozenset(exact), tuple(fixed), _dynamic(templates))


def _bool_family(values: tuple[str, ...], variables: bool) -> ValueFamily:
    plain, templates = _split_templates(values, variables)
    plain += _rendered(templates)
    parsed = (parse_bool(v) for v in plain)
    return _Bool(frozenset(b for b in parsed if b is not None), _dynamic(templates))


def _ordered_family(family: OperatorFamily, base: str, values: tuple[str, ...]) -> ValueFamily:
    numeric = family is OperatorFamily.NUMERIC
    parse = parse_number if numeric else parse_date
    compare = _COMPARISONS[base[len(family.value) :]]
    parsed = tuple(p for p in map(parse, values) if p is not None)
    return _Ordered(parsed, RequestValues.number if numeric else RequestValues.date, compare)


def _family(family: OperatorFamily, base: str, values: tuple[str, ...], variables: bool) -> ValueFamily:
    if family is OperatorFamily.STRING:
        return _string_family(base, values, variables)
    if family is OperatorFamily.ARN:
        return _arn_family(values, variables)
    if family is OperatorFamily.BOOL:
        return _bool_family(values, variables)
    if family in (OperatorFamily.NUMERIC, OperatorFamily.DATE):
        return _ordered_family(family, base, values)
    if family is OperatorFamily.BINARY:
        return _Binary(frozenset(b for b in map(parse_base64, values) if b is not None))
    if family is OperatorFamily.IP:
        networks = tuple(n for n in map(parse_network, values) if n is not None)
        return _Ip(networks)
    return _Nothing()


def compile_condition(condition: Condition, *, variables: bool) -> ConditionTest:
    """Compile one condition; ``variables`` enables policy variables (Version 2012-10-17).

    An operator the catalog does not know compiles to a condition that never
    holds: a statement that cannot be evaluated does not apply, and nothing
    is raised at request time.
    """
    key = condition.key.lower()
    base = condition.base
    if base == "Null":
        wanted = {parse_bool(value) for value in condition.values}
        return NullCondition(condition, key, True in wanted, False in wanted)
    try:
        family = family_of(base)
    except MalformedPolicyDocumentError:
        return KeyCondition(condition, key, False, condition.qualifier, False, _Nothing())
    negated = base in NEGATED_OPERATORS
    qualifier = condition.qualifier
    if condition.if_exists or qualifier is SetQualifier.FOR_ALL_VALUES:
        when_absent = True
    elif qualifier is SetQualifier.FOR_ANY_VALUE:
        when_absent = False
    else:
        when_absent = negated
    return KeyCondition(
        condition, key, negated, qualifier, when_absent, _family(family, base, condition.values, variables)
    )
