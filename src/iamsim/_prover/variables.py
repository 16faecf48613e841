"""Policy variables in condition values as solver terms (spec §D).

``${key}`` stands for the key's value when the request gives the key exactly
one value; ``${key, 'default'}`` for the default otherwise; with no default
the whole policy value is unresolved and matches nothing. Substituted text is
literal, never a wildcard; ``${*}``, ``${?}`` and ``${$}`` are the literal
characters. This mirrors ``_engine/reference/variables.py``.

A value whose variables all have constant values in the check (the member
caller's ``${aws:PrincipalAccount}``, the escapes) becomes literal text and
stays a regular membership, the fast case. Otherwise it is compared as a
string term:

* no wildcard: equality with the concatenation;
* one ``*`` run: the request value starts with the text before it, ends with
  the text after it, and is long enough to hold both apart;
* ``?`` or two ``*`` runs: not encoded (the check answers UNKNOWN).

Why the printable-ASCII alphabet (``regex``) stays sound: a witness over any
alphabet becomes one over printable ASCII by sending each other character to
a *spare* printable character (one no pattern mentions). Regular memberships,
and the equalities, prefixes and suffixes that hold, survive any such map. One
that fails does so by its lengths or by one pair of differing characters; the
map keeps the pair apart when the two land on different spare characters. So
with ``n`` such comparisons in the formula, ``n + 1`` spare characters are
enough (give each character a spare one none of its at most ``n`` partners
took), and :attr:`VariableTerms.comparisons` counts them for the encoder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

import z3

from iamsim._engine.reference.variables import _read_variable
from iamsim._engine.reference.wildcards import Pattern, Piece, Wildcard, confine_to_segments
from iamsim._prover.context import KeyModel
from iamsim._prover.families import Family
from iamsim._prover.regex import NON_COLON, pattern_regex
from iamsim._prover.unsupported import Unsupported

__all__ = ["SPECIAL", "VariableTerms", "variable_keys"]

#: The escapes and the literal character each stands for (as the reference reads them).
SPECIAL = {"*": "*", "?": "?", "$": "$"}

#: A piece of a substituted value: a literal character, a wildcard, or a variable's value as a term.
_Part: TypeAlias = Piece | z3.SeqRef


def variable_keys(text: str) -> list[str]:
    """The (lowercased) context keys the variables of ``text`` read, escapes left out."""
    keys = []
    position = text.find("${")
    while position != -1:
        variable = _read_variable(text, position)
        if variable is None:
            position = text.find("${", position + 2)
            continue
        if variable.key not in SPECIAL:
            keys.append(variable.key.lower())
        position = text.find("${", variable.end)
    return keys


@dataclass(slots=True)
class _Substituted:
    """A policy value read with its variables: its parts, and when every variable resolves."""

    parts: list[_Part]
    resolved: list[z3.BoolRef]

    def constant(self) -> Pattern | None:
        """The value as a plain pattern when no part is a term (always resolved then)."""
        if self.resolved or any(isinstance(part, z3.SeqRef) for part in self.parts):
            return None
        return tuple(part for part in self.parts if not isinstance(part, z3.SeqRef))


def _concat(parts: list[_Part]) -> z3.SeqRef:
    """Literal characters and terms as one string term."""
    terms: list[z3.SeqRef] = []
    literal = ""
    for part in parts:
        if isinstance(part, str):
            literal += part
            continue
        assert isinstance(part, z3.SeqRef)
        if literal:
            terms.append(z3.StringVal(literal))
            literal = ""
        terms.append(part)
    if literal or not terms:
        terms.append(z3.StringVal(literal))
    return terms[0] if len(terms) == 1 else z3.Concat(*terms)


class VariableTerms:
    """Reads policy values with variables against the check's keys, counting the string comparisons made.

    ``key`` gives a key's model by lowercased name; every key a variable
    reads must be modelled (``scan_keys`` adds them).
    """

    def __init__(self, key: Callable[[str], KeyModel]) -> None:
        self._key = key
        #: String comparisons (equalities, prefixes, suffixes) built so far: see the module docstring.
        self.comparisons = 0
        #: Characters that constant variables put into patterns (the alphabet argument must not spare them).
        self.literals: set[str] = set()

    def _substitute(self, text: str, wildcards: bool) -> _Substituted:
        parts: list[_Part] = []
        resolved: list[z3.BoolRef] = []
        position = 0
        while position < len(text):
            variable = _read_variable(text, position) if text.startswith("${", position) else None
            if variable is None:
                char = text[position]
                if wildcards and char == "*":
                    parts.append(Wildcard.ANY_RUN)
                elif wildcards and char == "?":
                    parts.append(Wildcard.ONE_CHAR)
                else:
                    parts.append(char)
                position += 1
                continue
            position = variable.end
            if variable.key in SPECIAL:
                parts.append(SPECIAL[variable.key])
                continue
            key = self._key(variable.key.lower())
            if key.family is not Family.STRING:
                raise Unsupported(f"policy variable ${{{variable.key}}} of a key tested as {key.family.value}")
            value = key.elements[0].text
            assert value is not None
            # Only a key with exactly one value can be a variable (spec §D): a list has none.
            single = z3.simplify(key.kind == 1)
            fixed = z3.simplify(value)
            if z3.is_true(single) and z3.is_string_value(fixed):
                constant = fixed.as_string()
                self.literals.update(constant)
                parts.extend(constant)  # a constant in this check: plain literal text
                continue
            if variable.default is not None:
                if z3.is_false(single):
                    parts.extend(variable.default)
                    continue
                value = z3.If(single, value, z3.StringVal(variable.default))
            else:
                resolved.append(single)
            parts.append(value)
        return _Substituted(parts, resolved)

    def constant_pattern(self, text: str, wildcards: bool) -> Pattern | None:
        """``text`` as a plain pattern when its variables are constants in this check (else ``None``)."""
        return self._substitute(text, wildcards).constant()

    def matches(self, request: z3.SeqRef, text: str, wildcards: bool) -> z3.BoolRef:
        """Whether ``request`` matches the policy value ``text`` (wildcards read when ``wildcards``)."""
        substituted = self._substitute(text, wildcards)
        test = self._parts_match(request, substituted.parts, text)
        return z3.And(*substituted.resolved, test) if substituted.resolved else test

    def resource_matches(self, resource: z3.SeqRef, head: Pattern, tail: str) -> z3.BoolRef:
        """Spec §B.2, §D: a Resource entry whose part after the fifth colon (``tail``) holds variables.

        ``head`` is the entry up to and including the fifth colon, read with
        its wildcards. Encoded when the tail has no wildcard (the resource
        ends with the substituted tail, and what comes before matches the
        head), or when the head is literal text (then the whole entry is one
        value with at most one ``*`` run; a run not ending a segment stays
        within it).
        """
        substituted = self._substitute(tail, True)
        parts = substituted.parts
        if all(isinstance(part, str) for part in head):
            test = self._parts_match(resource, [*head, *parts], tail, segments=True)
        elif not any(isinstance(part, Wildcard) for part in parts):
            self.comparisons += 1
            text = _concat(parts)
            rest = z3.SubString(resource, 0, z3.Length(resource) - z3.Length(text))
            test = z3.And(z3.SuffixOf(text, resource), z3.InRe(rest, pattern_regex(confine_to_segments(head))))
        else:
            raise Unsupported(f"policy variable in a Resource whose ARN fields hold wildcards: {tail}")
        return z3.And(*substituted.resolved, test) if substituted.resolved else test

    def _parts_match(self, request: z3.SeqRef, parts: list[_Part], text: str, segments: bool = False) -> z3.BoolRef:
        """``request`` against literal characters, terms and one ``*`` run (``segments``: a Resource's rule)."""
        if any(part is Wildcard.ONE_CHAR for part in parts):
            raise Unsupported(f"policy variable with '?' in {text}")
        runs = [index for index, part in enumerate(parts) if part is Wildcard.ANY_RUN]
        if runs and runs[-1] - runs[0] != len(runs) - 1:
            raise Unsupported(f"policy variable with two '*' runs in {text}")
        if not runs:
            self.comparisons += 1
            return request == _concat(parts)
        self.comparisons += 2
        before, after = _concat(parts[: runs[0]]), _concat(parts[runs[-1] + 1 :])
        tests = [
            z3.PrefixOf(before, request),
            z3.SuffixOf(after, request),
            z3.Length(request) >= z3.Length(before) + z3.Length(after),
        ]
        follows = parts[runs[-1] + 1] if runs[-1] + 1 < len(parts) else ":"
        if segments and not isinstance(follows, str):
            raise Unsupported(f"policy variable right after a '*' in {text}")
        if segments and follows != ":":
            # Spec §B.2 (``confine_to_segments``): a run that does not end its segment holds no colon.
            middle = z3.Length(request) - z3.Length(before) - z3.Length(after)
            tests.append(z3.InRe(z3.SubString(request, z3.Length(before), middle), z3.Star(NON_COLON)))
        return z3.And(*tests)
