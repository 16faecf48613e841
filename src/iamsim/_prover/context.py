"""Context keys as solver variables, and condition tests over them (spec §C.1–§C.3).

A key is absent, one value, or a list of values (``kind`` 0, 1 or 2). A list
needs at most one element per condition that tests the key, plus one: every
condition is "some value satisfies φ" or "every value satisfies φ", so the
values that make each true "some" true and each false "every" false keep
every truth value when the others are dropped (the extra one keeps a
non-empty list non-empty). So ``slots`` elements model every list exactly.

Typed values (numbers, dates, booleans, addresses) carry a tag: 0 the empty
string, 1 text that is not a value of the type, 2 a value.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import z3

from iamsim._engine.reference import values as readers
from iamsim._engine.request import ContextValue
from iamsim._policy.model import Condition, SetQualifier
from iamsim._prover.families import Family
from iamsim._prover.regex import (
    PRINTABLE,
    arn_fields_regex,
    arn_pattern_regex,
    glob_regex,
    pattern_regex,
    sequence,
)
from iamsim._prover.unsupported import Unsupported

if TYPE_CHECKING:
    from iamsim._prover.variables import VariableTerms

__all__ = ["ContextModel", "KeyModel", "condition_formula"]

_ABSENT, _SINGLE, _LIST = 0, 1, 2
_EMPTY, _INVALID, _VALID = 0, 1, 2
#: The text a witness uses for a typed value that is not a value of its type.
_INVALID_TEXT = "not-a-value"


@dataclass(slots=True)
class Element:
    """One value of a key: a string, or a tag with the typed payload."""

    text: z3.SeqRef | None = None
    tag: z3.ArithRef | None = None
    number: z3.ArithRef | None = None
    flag: z3.BoolRef | None = None
    version: z3.ArithRef | None = None
    address: z3.BitVecRef | None = None


@dataclass(slots=True)
class KeyModel:
    """One context key: its family, whether and how it is present, and its values."""

    name: str
    family: Family
    kind: z3.ArithRef
    length: z3.ArithRef
    elements: list[Element]
    constraints: list[z3.BoolRef] = field(default_factory=list)

    def present(self) -> z3.BoolRef:
        """Whether the request carries the key."""
        return self.kind != _ABSENT

    def empty(self) -> z3.BoolRef:
        """Spec §C.1/§C.3: an empty string or an empty list."""
        first = self.elements[0]
        if self.family is Family.STRING:
            assert first.text is not None
            single_empty: z3.BoolRef = z3.InRe(first.text, z3.Re(""))
        else:
            single_empty = first.tag == _EMPTY
        return z3.Or(z3.And(self.kind == _SINGLE, single_empty), z3.And(self.kind == _LIST, self.length == 0))

    def some(self, test: Callable[[Element], z3.BoolRef]) -> z3.BoolRef:
        """Some value satisfies ``test``."""
        return z3.Or(*[z3.And(index < self.length, test(e)) for index, e in enumerate(self.elements)])

    def every(self, test: Callable[[Element], z3.BoolRef]) -> z3.BoolRef:
        """Every value satisfies ``test``."""
        return z3.And(*[z3.Implies(index < self.length, test(e)) for index, e in enumerate(self.elements)])


def _fraction(text: str) -> Fraction | None:
    number = readers.read_decimal(text)
    return None if number is None else Fraction(number)


def _instant(text: str) -> Fraction | None:
    number = readers.read_instant(text)
    return None if number is None else Fraction(number)


def _real(value: Fraction) -> z3.ArithRef:
    return z3.RealVal(f"{value.numerator}/{value.denominator}")


_COMPARE: dict[str, Callable[[z3.ArithRef, z3.ArithRef], z3.BoolRef]] = {
    "Equals": lambda a, b: a == b,
    "NotEquals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEquals": lambda a, b: a >= b,
}


def _ordered(base: str, prefix: str, read: Callable[[str], Fraction | None]) -> tuple[Comparison, bool]:
    suffix = base[len(prefix) :]
    test = _COMPARE.get(suffix)
    if test is None:
        raise Unsupported(f"condition operator {base}")

    def compare(element: Element, policy: str) -> z3.BoolRef:
        expected = read(policy)
        if expected is None:
            return z3.BoolVal(False)
        assert element.number is not None
        return z3.And(element.tag == _VALID, test(element.number, _real(expected)))

    return compare, suffix == "NotEquals"


#: ``(element, policy value) -> does the positive base hold``.
Comparison = Callable[[Element, str], z3.BoolRef]


def _string_equals(element: Element, policy: str) -> z3.BoolRef:
    assert element.text is not None
    # Regular membership, not string equality: z3 decides it by derivatives, far faster.
    return z3.InRe(element.text, z3.Re(policy))


def _string_equals_ignore_case(element: Element, policy: str) -> z3.BoolRef:
    """Spec §C.2: the values are equal once casefolded; over printable ASCII that is per-letter case.

    Sound because ``scan_keys`` keeps a key tested this way apart from every
    other string test and variable (module docstring of ``encode``): a value's
    non-ASCII characters whose casefold is ASCII (``ß``, the Kelvin sign) can
    then be replaced by their casefold without changing any test.
    """
    assert element.text is not None
    letters = [z3.Union(z3.Re(char), z3.Re(char.upper())) if char.isalpha() else z3.Re(char) for char in policy.lower()]
    return z3.InRe(element.text, sequence(letters))


def _string_like(element: Element, policy: str) -> z3.BoolRef:
    assert element.text is not None
    return z3.InRe(element.text, glob_regex(policy))


def _arn_like(element: Element, policy: str) -> z3.BoolRef:
    assert element.text is not None
    regex = arn_fields_regex(policy)
    return z3.BoolVal(False) if regex is None else z3.InRe(element.text, regex)


def _bool_equals(element: Element, policy: str) -> z3.BoolRef:
    expected = readers.read_bool(policy)
    if expected is None:
        return z3.BoolVal(False)
    assert element.flag is not None
    return z3.And(element.tag == _VALID, element.flag == z3.BoolVal(expected))


def _ip_in(element: Element, policy: str) -> z3.BoolRef:
    network = readers.read_network(policy)
    if network is None:
        return z3.BoolVal(False)
    assert element.address is not None
    mask = z3.BitVecVal(int(network.netmask), 128)
    base = z3.BitVecVal(int(network.network_address), 128)
    return z3.And(element.tag == _VALID, element.version == network.version, element.address & mask == base)


def _comparison(base: str) -> tuple[Comparison, bool]:
    """The positive comparison of ``base`` and whether the operator is negated."""
    plain: dict[str, tuple[Comparison, bool]] = {
        "StringEquals": (_string_equals, False),
        "StringNotEquals": (_string_equals, True),
        "StringEqualsIgnoreCase": (_string_equals_ignore_case, False),
        "StringNotEqualsIgnoreCase": (_string_equals_ignore_case, True),
        "StringLike": (_string_like, False),
        "StringNotLike": (_string_like, True),
        "ArnEquals": (_arn_like, False),
        "ArnLike": (_arn_like, False),
        "ArnNotEquals": (_arn_like, True),
        "ArnNotLike": (_arn_like, True),
        "Bool": (_bool_equals, False),
        "IpAddress": (_ip_in, False),
        "NotIpAddress": (_ip_in, True),
    }
    if base in plain:
        return plain[base]
    if base.startswith("Numeric"):
        return _ordered(base, "Numeric", _fraction)
    if base.startswith("Date"):
        return _ordered(base, "Date", _instant)
    raise Unsupported(f"condition operator {base}")


def _variable_comparison(base: str, terms: VariableTerms) -> Comparison:
    """The positive comparison of a String or Arn ``base`` for policy values that hold variables (spec §D)."""
    wildcards = base in ("StringLike", "StringNotLike", "ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals")
    arn = base.startswith("Arn")

    def compare(element: Element, policy: str) -> z3.BoolRef:
        assert element.text is not None
        pattern = terms.constant_pattern(policy, wildcards)
        if pattern is None:
            if arn:
                raise Unsupported(f"policy variable in {base} value {policy}")
            return terms.matches(element.text, policy, wildcards)
        if arn:
            regex = arn_pattern_regex(pattern)
            return z3.BoolVal(False) if regex is None else z3.InRe(element.text, regex)
        return z3.InRe(element.text, pattern_regex(pattern))

    return compare


def _either(plain: Comparison, substituting: Comparison) -> Comparison:
    """``substituting`` for the policy values that hold a variable, ``plain`` for the others."""

    def compare(element: Element, policy: str) -> z3.BoolRef:
        return substituting(element, policy) if "${" in policy else plain(element, policy)

    return compare


def condition_formula(condition: Condition, key: KeyModel, terms: VariableTerms | None) -> z3.BoolRef:
    """Whether ``condition`` holds, as a formula over ``key`` (mirrors the reference's ``condition_holds``).

    ``terms`` reads policy variables (``None``: the policy's version does not substitute them).
    """
    if condition.base == "Null":
        wants_null = any(value.casefold() == "true" for value in condition.values)
        wants_value = any(value.casefold() == "false" for value in condition.values)
        is_null = z3.Or(z3.Not(key.present()), key.empty())
        return z3.Or(z3.And(z3.BoolVal(wants_null), is_null), z3.And(z3.BoolVal(wants_value), z3.Not(is_null)))
    compare, negated = _comparison(condition.base)
    if terms is not None and any("${" in value for value in condition.values):
        if key.family is not Family.STRING or "IgnoreCase" in condition.base:
            raise Unsupported(f"policy variable in condition {condition.operator} on {condition.key}")
        compare = _either(compare, _variable_comparison(condition.base, terms))
    if condition.if_exists or condition.qualifier is SetQualifier.FOR_ALL_VALUES:
        when_absent = True
    elif condition.qualifier is SetQualifier.FOR_ANY_VALUE:
        when_absent = False
    else:
        when_absent = negated

    def matches(element: Element) -> z3.BoolRef:
        return z3.Or(*[compare(element, value) for value in condition.values])

    def satisfies(element: Element) -> z3.BoolRef:
        return z3.Not(matches(element)) if negated else matches(element)

    if condition.qualifier is SetQualifier.FOR_ALL_VALUES:
        when_present = z3.Or(key.empty(), key.every(satisfies))
    elif condition.qualifier is SetQualifier.FOR_ANY_VALUE:
        when_present = z3.And(z3.Not(key.empty()), key.some(satisfies))
    else:
        some_match = key.some(matches)
        when_present = z3.Not(some_match) if negated else some_match
    return z3.If(key.present(), when_present, z3.BoolVal(when_absent))


class ContextModel:
    """The request context as solver variables: one :class:`KeyModel` per key the policies test.

    ``bound`` keys take their (single, string) value from the principal; the
    others are free. ``slots`` gives each free key's list bound.
    """

    def __init__(self, families: dict[str, Family], slots: dict[str, int], bound: dict[str, KeyModel]) -> None:
        self.keys: dict[str, KeyModel] = dict(bound)
        self.constraints: list[z3.BoolRef] = []
        for name, family in families.items():
            if name in bound:
                if family is not Family.STRING:
                    raise Unsupported(f"{family.value} operator on the principal's key {name}")
                continue
            self.keys[name] = self._free(name, family, slots.get(name, 1) + 1)

    def _free(self, name: str, family: Family, slots: int) -> KeyModel:
        kind = z3.Int(f"ctx[{name}].kind")
        length = z3.Int(f"ctx[{name}].len")
        elements = []
        constraints = [kind >= _ABSENT, kind <= _LIST, length >= 0, length <= slots]
        constraints.append(z3.Implies(kind == _SINGLE, length == 1))
        for index in range(slots):
            label = f"ctx[{name}][{index}]"
            if family is Family.STRING:
                text = z3.String(label)
                constraints.append(z3.InRe(text, z3.Star(PRINTABLE)))
                elements.append(Element(text=text))
                continue
            tag = z3.Int(label + ".tag")
            constraints.append(z3.And(tag >= _EMPTY, tag <= _VALID))
            element = Element(tag=tag)
            if family in (Family.NUMERIC, Family.DATE):
                element.number = z3.Real(label + ".num")
            elif family is Family.BOOL:
                element.flag = z3.Bool(label + ".bool")
            else:
                element.version = z3.Int(label + ".ipv")
                element.address = z3.BitVec(label + ".ip", 128)
                constraints.append(z3.Or(element.version == 4, element.version == 6))
                constraints.append(z3.Implies(element.version == 4, z3.ULT(element.address, 2**32)))
            if family is Family.DATE:
                assert element.number is not None
                # Instants a witness can write: W3C dates from year 0001 to 9999 (epoch seconds beyond are
                # integers, and no policy value reaches past them, so nothing is lost by the bound).
                constraints.append(z3.And(element.number >= -62135596800, element.number < 253402300800))
            elements.append(element)
        self.constraints.extend(constraints)
        return KeyModel(name, family, kind, length, elements)

    def key(self, name: str) -> KeyModel:
        """The model of key ``name`` (lowercased)."""
        return self.keys[name]

    def render(self, model: z3.ModelRef, skip: frozenset[str]) -> dict[str, ContextValue]:
        """The witness's context entries for the free keys (``skip``: keys the principal supplies)."""
        out: dict[str, ContextValue] = {}
        for name, key in self.keys.items():
            if name in skip:
                continue
            kind = model.eval(key.kind, model_completion=True).as_long()
            if kind == _ABSENT:
                continue
            length = 1 if kind == _SINGLE else model.eval(key.length, model_completion=True).as_long()
            items = tuple(_render(model, key.family, element) for element in key.elements[:length])
            out[name] = items[0] if kind == _SINGLE else items
        return out


def _render(model: z3.ModelRef, family: Family, element: Element) -> str:
    if family is Family.STRING:
        assert element.text is not None
        return str(model.eval(element.text, model_completion=True).as_string())
    assert element.tag is not None
    tag = model.eval(element.tag, model_completion=True).as_long()
    if tag == _EMPTY:
        return ""
    if tag == _INVALID:
        return _INVALID_TEXT
    if family is Family.BOOL:
        assert element.flag is not None
        return "true" if z3.is_true(model.eval(element.flag, model_completion=True)) else "false"
    if family is Family.IP:
        assert element.version is not None
        assert element.address is not None
        version = model.eval(element.version, model_completion=True).as_long()
        number = model.eval(element.address, model_completion=True).as_long()
        return str(ipaddress.IPv4Address(number) if version == 4 else ipaddress.IPv6Address(number))
    assert element.number is not None
    value = model.eval(element.number, model_completion=True)
    fraction = Fraction(value.numerator_as_long(), value.denominator_as_long())
    text = _decimal_text(fraction)
    if family is Family.NUMERIC:
        return text
    return _date_text(fraction)


def _decimal_text(value: Fraction) -> str:
    """A finite decimal for ``value``; one that has none (1/3) is written rounded and fails verification."""
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    digits = max(twos, fives) if denominator == 1 else 30
    scaled = Decimal(value.numerator) / Decimal(value.denominator)
    return format(scaled.quantize(Decimal(1).scaleb(-digits)), "f") if digits else str(value.numerator)


def _date_text(seconds: Fraction) -> str:
    """An instant as a W3C date-time in UTC (fractional seconds kept)."""
    whole = seconds.numerator // seconds.denominator
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=whole)
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
    remainder = seconds - whole
    if remainder:
        fraction = _decimal_text(remainder)
        text += fraction[fraction.index(".") :]
    return text + "Z"
