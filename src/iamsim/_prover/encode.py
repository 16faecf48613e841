"""Statements, policies and the combining steps as formulas over one symbolic request.

Mirrors the reference evaluator (``_engine/reference``): the four checks of a
statement (action, resource, principal, conditions) and the combining steps
of docs/evaluation.md for the policy sets a check compares. Whatever it does
not encode raises :class:`~iamsim._prover.unsupported.Unsupported`, so a check
answers UNKNOWN instead of a PASS a witness could refute.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import z3

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference.statements import IDENTITY_SIDE_KINDS, PRINCIPAL_KINDS
from iamsim._engine.reference.wildcards import wildcard_pattern
from iamsim._policy.model import Effect, Policy, PolicyKind, Statement
from iamsim._prover.action_classes import ActionClass, pattern_service
from iamsim._prover.context import ContextModel, condition_formula
from iamsim._prover.families import Family, family_of
from iamsim._prover.principals import CALLER_KEYS, MemberCaller, OutsideCaller
from iamsim._prover.regex import ACTION_CHARS, PRINTABLE, glob_regex, resource_regex
from iamsim._prover.type_words import refused_types
from iamsim._prover.unsupported import Unsupported
from iamsim._prover.variables import VariableTerms, variable_keys

__all__ = ["Encoder", "SymbolicRequest", "scan_keys"]

_PRINTABLE_CHARS = frozenset(chr(code) for code in range(0x20, 0x7F))
_TRUST_ACTIONS = ("sts:tagsession", "sts:setsourceidentity", "sts:setcontext")


def _complete_arn(pattern: str) -> str:
    """Spec §B.2: ``arn:aws:sqs`` is ``arn:aws:sqs:*:*:*`` in identity-side policies (as the reference does)."""
    if not pattern.startswith("arn:"):
        return pattern
    return pattern + ":*" * max(0, 5 - pattern.count(":"))


def _statement_texts(statement: Statement) -> Iterator[str]:
    for values in (statement.action, statement.not_action, statement.resource, statement.not_resource):
        yield from values or ()
    for spec in (statement.principal, statement.not_principal):
        if spec is not None:
            yield from (*spec.aws, *spec.service, *spec.federated, *spec.canonical_user)
    for condition in statement.conditions:
        yield condition.key
        yield from condition.values


def _refuse_z3_escapes(statement: Statement) -> None:
    """UNKNOWN for a text holding ``\\u``: z3 reads ``\\u{41}`` and ``\\u0041`` in its strings as ``A``.

    IAM compares such text character for character, so encoding it would let the
    solver equate texts the evaluators tell apart (a PASS a request could refute).
    """
    for text in _statement_texts(statement):
        if "\\u" in text:
            raise Unsupported(f"a backslash-u sequence in {text!r} (z3 would read it as an escape)")


def scan_keys(policies: Iterable[Policy]) -> tuple[dict[str, Family], dict[str, int]]:
    """Each tested key's family and how many conditions test it; UNKNOWN for a key read as two types.

    A key tested only by ``Null``, or only read by a policy variable, is
    modelled as a string. A free key (not one the caller supplies) tested by
    ``StringEqualsIgnoreCase`` must have no other string test and be read by
    no variable (see :func:`_case_blind_keys`).
    """
    typed: dict[str, set[Family]] = {}
    counts: dict[str, int] = {}
    case_blind: set[str] = set()
    cased: set[str] = set()
    for policy in policies:
        for statement in policy.statements:
            _refuse_z3_escapes(statement)
            if policy.variables_enabled:
                for entry in statement.resource or statement.not_resource or ():
                    for name in variable_keys(entry.split(":", 5)[5] if entry.count(":") >= 5 else ""):
                        typed.setdefault(name, set())
                        cased.add(name)
            for condition in statement.conditions:
                if policy.variables_enabled:
                    for value in condition.values:
                        for name in variable_keys(value):
                            typed.setdefault(name, set())
                            cased.add(name)
                name = condition.key.lower()
                if "IgnoreCase" in condition.base:
                    case_blind.add(name)
                elif condition.base != "Null":
                    cased.add(name)
                counts[name] = counts.get(name, 0) + 1
                found = typed.setdefault(name, set())
                family = family_of(condition.base)
                if family is not None:
                    found.add(family)
                elif condition.base != "Null":
                    raise Unsupported(f"condition operator {condition.operator}")
    families: dict[str, Family] = {}
    for name, found in typed.items():
        if len(found) > 1:
            kinds = " and ".join(sorted(family.value for family in found))
            raise Unsupported(f"condition key {name} tested as {kinds}")
        families[name] = next(iter(found)) if found else Family.STRING
    _case_blind_keys(case_blind, cased)
    return families, counts


def _case_blind_keys(case_blind: set[str], cased: set[str]) -> None:
    """Refuse a free key that ``StringEqualsIgnoreCase`` tests beside a case-sensitive test or a variable.

    Spec §C.2: IgnoreCase compares casefolded values, and a few non-ASCII
    characters casefold to ASCII (``ß`` to ``ss``, the Kelvin sign to ``k``).
    The prover's strings are printable ASCII (``regex``): that loses nothing
    for a key whose only string tests ignore case, since replacing each such
    character by its casefold keeps every one of them (and ``Null``). A
    case-sensitive test or a variable could tell the two apart (``ß`` matches
    ``?``, ``ss`` does not), so such a key is not encoded. The caller's own
    keys hold IAM names and ARNs, ASCII already.
    """
    mixed = sorted((case_blind & cased) - CALLER_KEYS)
    if mixed:
        raise Unsupported(f"StringEqualsIgnoreCase beside a case-sensitive test or a variable on {mixed[0]}")


@dataclass(slots=True)
class SymbolicRequest:
    """The request a check ranges over: caller, casefolded action, resource and context."""

    action: z3.SeqRef
    #: The resource when it is not ``*`` (a resource-less action's resource, spec §B.1).
    resource: z3.SeqRef
    resource_is_star: z3.BoolRef
    context: ContextModel
    caller: MemberCaller | OutsideCaller
    constraints: list[z3.BoolRef] = field(default_factory=list)


class ActionPatterns:
    """Action patterns read once per check: each one's service and regex, shared by the encoders of its classes.

    The characters of every pattern read are noted once, for every class (a
    superset of one class's: the ASCII argument only needs fewer spare ones).
    """

    def __init__(self) -> None:
        self._read: dict[tuple[str, ...], list[tuple[str | None, z3.ReRef]]] = {}
        self.literals: set[str] = set()

    def read(self, patterns: tuple[str, ...], note: Callable[[str, str], None]) -> list[tuple[str | None, z3.ReRef]]:
        """Each pattern's literal service (``pattern_service``) and glob regex, casefolded (spec §B.1)."""
        found = self._read.get(patterns)
        if found is None:
            found = []
            for pattern in patterns:
                folded = pattern.casefold()
                note(folded, "Action")
                self.literals.update(folded)
                found.append((pattern_service(folded), glob_regex(folded)))
            self._read[patterns] = found
        else:
            note("".join(self.literals), "Action")
        return found


class Encoder:
    """Builds the formulas of one check over one :class:`SymbolicRequest`."""

    def __init__(
        self, request: SymbolicRequest, action_class: ActionClass | None = None, shared: ActionPatterns | None = None
    ) -> None:
        self.request = request
        self.literals: set[str] = set()
        #: The actions this encoding ranges over: patterns that cannot match one are ``False`` (exactly).
        self.action_class = action_class or ActionClass()
        self._patterns = shared if shared is not None else ActionPatterns()
        self.terms = VariableTerms(request.context.key)

    # -- statements ---------------------------------------------------------------------------------------

    def _note(self, text: str, where: str) -> None:
        stray = set(text) - _PRINTABLE_CHARS
        if stray:
            raise Unsupported(f"non-ASCII character {sorted(stray)[0]!r} in {where}")
        self.literals.update(text)

    def action_matches(self, statement: Statement) -> z3.BoolRef:
        """Spec §B.1: case-insensitive globbing; ``NotAction`` matches when no pattern does."""
        patterns = statement.action if statement.action is not None else statement.not_action
        if patterns is None:
            return z3.BoolVal(False)
        read = self._patterns.read(patterns, self._note)
        tests = [regex for service, regex in read if self.action_class.admits(service)]
        if not tests:
            return z3.BoolVal(statement.action is None)
        # One membership in a union (or its complement): z3 decides regular membership by derivatives,
        # far faster than a disjunction or a negated membership.
        union = z3.Union(*tests) if len(tests) > 1 else tests[0]
        return z3.InRe(self.request.action, union if statement.action is not None else z3.Complement(union))

    def _entry_matches(self, entry: str, kind: PolicyKind, variables: bool) -> z3.BoolRef:
        request = self.request
        if kind in IDENTITY_SIDE_KINDS:
            entry = _complete_arn(entry)
        fields = entry.split(":", 5)
        self._note(entry, "Resource")
        refused = refused_types(entry)
        if refused is not None:
            self.literals.update(refused[1])
        if len(fields) == 6 and variables and "${" in fields[5]:
            # Spec §D: variables only after the fifth colon; the type-word rule reads the entry's own text.
            head = wildcard_pattern(entry[: len(entry) - len(fields[5])])
            if refused is not None:
                # Measured: z3 ignores its timeout on string equalities beside the type-word regex.
                raise Unsupported(f"policy variable in a Resource the type-word rule guards: {entry}")
            matched = self.terms.resource_matches(request.resource, head, fields[5])
            return z3.If(request.resource_is_star, z3.BoolVal(False), matched)
        regex = resource_regex(entry)
        if refused is not None:
            # Spec §B.2: the entry's wildcards may not stand for a typed resource's word.
            regex = z3.Intersect(regex, z3.Complement(refused[0]))
        return z3.If(request.resource_is_star, z3.BoolVal(entry == "*"), z3.InRe(request.resource, regex))

    def resource_matches(self, statement: Statement, kind: PolicyKind, variables: bool) -> z3.BoolRef:
        """Spec §B.2: case-sensitive globbing within ARN segments; no element matches everything."""
        entries = statement.resource if statement.resource is not None else statement.not_resource
        if entries is None:
            return z3.BoolVal(True)
        tests = [self._entry_matches(entry, kind, variables) for entry in entries]
        any_match = z3.Or(*tests) if tests else z3.BoolVal(False)
        return any_match if statement.resource is not None else z3.Not(any_match)

    def principal_matches(self, statement: Statement, kind: PolicyKind) -> z3.BoolRef:
        """Check 3; identity-side policies name no principal."""
        if kind not in PRINCIPAL_KINDS:
            return z3.BoolVal(True)
        if statement.not_principal is not None:
            raise Unsupported("NotPrincipal")
        if statement.principal is None:
            return z3.BoolVal(True)
        caller = self.request.caller
        if not isinstance(caller, OutsideCaller):
            raise Unsupported("a resource-based policy in an identity-side check")
        return caller.named_by(statement.principal)

    def conditions_hold(self, statement: Statement, variables: bool) -> z3.BoolRef:
        """Every condition test of the statement holds."""
        tests = []
        for condition in statement.conditions:
            key = self.request.context.key(condition.key.lower())
            if key.family is Family.STRING and condition.base != "Null":
                for value in condition.values:
                    where = f"condition {condition.operator} on {condition.key}"
                    self._note(value, where)
                    if "IgnoreCase" in condition.base:
                        self._note(value.lower() + value.upper(), where)
            tests.append(condition_formula(condition, key, self.terms if variables else None))
        return z3.And(*tests) if tests else z3.BoolVal(True)

    def statement_matches(self, policy: Policy, statement: Statement, kind: PolicyKind) -> z3.BoolRef:
        """All four checks of one statement."""
        variables = policy.variables_enabled
        action = self.action_matches(statement)
        if z3.is_false(action):
            return action  # no action of this class: the statement's other checks cannot matter here
        return z3.And(
            action,
            self.resource_matches(statement, kind, variables),
            self.principal_matches(statement, kind),
            self.conditions_hold(statement, variables),
        )

    def _matching(self, policies: Sequence[Policy], kind: PolicyKind, effect: Effect) -> z3.BoolRef:
        tests = [
            self.statement_matches(policy, statement, kind)
            for policy in policies
            for statement in policy.statements
            if statement.effect is effect
        ]
        return z3.Or(*tests) if tests else z3.BoolVal(False)

    # -- combining ----------------------------------------------------------------------------------------

    def member_allowed(self, policies: PolicySet) -> z3.BoolRef:
        """The decision for a member caller on a resource of its own account (docs/evaluation.md "Combining").

        No resource policy: step 1 (any Deny), step 3 (each SCP level), step 4
        (identity, boundary, session); for a role session without session
        policies the session side allows, for a user it does not apply.
        """
        if policies.resource is not None:
            raise Unsupported("a resource-based or trust policy in no-new-access / access-not-granted")
        if policies.rcp_levels:
            raise Unsupported("resource control policies")
        caller = self.request.caller
        assert isinstance(caller, MemberCaller)
        deny_parts = [self._matching(level, PolicyKind.SCP, Effect.DENY) for level in policies.scp_levels]
        deny_parts.append(self._matching(policies.identity, PolicyKind.IDENTITY, Effect.DENY))
        boundary = (policies.boundary,) if policies.boundary is not None else ()
        deny_parts.append(self._matching(boundary, PolicyKind.BOUNDARY, Effect.DENY))
        session = policies.session or ()
        deny_parts.append(self._matching(session, PolicyKind.SESSION, Effect.DENY))
        allow_parts = [self._matching(level, PolicyKind.SCP, Effect.ALLOW) for level in policies.scp_levels]
        allow_parts.append(self._matching(policies.identity, PolicyKind.IDENTITY, Effect.ALLOW))
        if boundary:
            allow_parts.append(self._matching(boundary, PolicyKind.BOUNDARY, Effect.ALLOW))
        if policies.session is not None:
            session_allows = self._matching(session, PolicyKind.SESSION, Effect.ALLOW)
            allow_parts.append(z3.Implies(caller.is_session(), session_allows))
        return z3.And(z3.Not(z3.Or(*deny_parts)), *allow_parts)

    def outside_allowed(self, policy: Policy) -> z3.BoolRef:
        """The decision for an outside caller whose own account allows everything, given ``policy``.

        Step 1 (a Deny of the resource policy), step 5 (cross-account: the
        resource policy must name the caller) or step 6 for an anonymous
        caller (only ``*`` names it). No Deny of the caller's side is assumed.
        """
        kind = PolicyKind.TRUST if policy.kind is PolicyKind.TRUST else PolicyKind.RESOURCE
        denied = self._matching((policy,), kind, Effect.DENY)
        allowed = self._matching((policy,), kind, Effect.ALLOW)
        return z3.And(z3.Not(denied), allowed)

    # -- the request's domain -----------------------------------------------------------------------------

    def is_trust_action(self) -> z3.BoolRef:
        """``sts:AssumeRole*`` and the other actions a trust policy governs (spec §A.4)."""
        trust = z3.Union(z3.Concat(z3.Re("sts:assumerole"), z3.Star(PRINTABLE)), *[z3.Re(a) for a in _TRUST_ACTIONS])
        return z3.InRe(self.request.action, trust)

    def domain(self) -> list[z3.BoolRef]:
        """Every real request: an action with a colon, a non-empty resource, no standing rule.

        The resource's owner is given with the request (``resource_account``),
        so its ARN's account field does not decide who owns it.
        """
        request = self.request
        action = z3.Concat(z3.Star(ACTION_CHARS), z3.Re(":"), z3.Star(ACTION_CHARS))
        # A standing rule decides sts:GetCallerIdentity whatever the policies say (spec §G.6).
        action = z3.Intersect(action, z3.Complement(z3.Re("sts:getcalleridentity")))
        in_class = self.action_class.regex()
        if in_class is not None:
            action = z3.Intersect(action, in_class)
        not_star = z3.Intersect(z3.Plus(PRINTABLE), z3.Complement(z3.Re("*")))
        return [z3.InRe(request.action, action), z3.InRe(request.resource, not_star)]

    def fresh_character_exists(self) -> None:
        """The ASCII rewriting argument of ``regex`` needs a printable character no pattern mentions.

        With ``n`` string comparisons of policy variables it needs ``n + 1`` (``variables``).
        """
        literals = self.literals | self.terms.literals
        spare = _PRINTABLE_CHARS - literals - set(string.ascii_uppercase) - {":", "/", "*"}
        if not spare:
            raise Unsupported("patterns that use every printable character")
        if len(spare) <= self.terms.comparisons:
            raise Unsupported("too few printable characters left for the policy variables' comparisons")
