"""Whether one statement matches a request, check by check (docs/evaluation.md "Which statements match").

The four checks run in order (action, resource, principal, conditions); the
first that fails is the statement's outcome. The conditions of a statement
whose first three checks pass are all evaluated, without short-circuit, so
the trace and the missing context keys are complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamsim._engine.policy_set import PolicySlot
from iamsim._engine.reference.conditions import evaluate_condition
from iamsim._engine.reference.principals import Grant, not_principal_exempts, principal_grant
from iamsim._engine.reference.variables import VariableScope
from iamsim._engine.reference.wildcards import Pattern, confine_to_segments, match, wildcard_pattern
from iamsim._engine.request import Request
from iamsim._engine.resource_types import request_type
from iamsim._engine.result import StatementOutcome, StatementRef, StatementTrace
from iamsim._policy.model import Effect, Policy, PolicyKind, Statement

__all__ = ["StatementVerdict", "action_matches", "evaluate_statement", "resource_matches"]

#: Kinds whose resource patterns are completed to six fields (spec §B.2).
IDENTITY_SIDE_KINDS = frozenset({PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION, PolicyKind.SCP})
#: Kinds whose statements name principals (docs/evaluation.md, check 3).
PRINCIPAL_KINDS = frozenset({PolicyKind.RESOURCE, PolicyKind.TRUST, PolicyKind.RCP})


@dataclass(frozen=True, slots=True)
class StatementVerdict:
    """One statement's evaluation: its trace, how it named the caller, the keys it lacked.

    ``grant`` is set for matching statements of principal-bearing policies;
    ``missing_keys`` lists (as written) the non-``Null`` condition keys absent
    from the request, for statements whose action, resource and principal matched.
    """

    trace: StatementTrace
    grant: Grant | None
    missing_keys: tuple[str, ...]

    @property
    def matched(self) -> bool:
        """Whether all four checks passed."""
        return self.trace.outcome is StatementOutcome.MATCHED


def action_matches(statement: Statement, action: str) -> bool:
    """Spec §B.1: case-insensitive globbing; ``NotAction`` matches when no pattern does."""
    folded = action.casefold()
    if statement.action is not None:
        return any(match(wildcard_pattern(pattern.casefold()), folded) for pattern in statement.action)
    if statement.not_action is not None:
        return not any(match(wildcard_pattern(pattern.casefold()), folded) for pattern in statement.not_action)
    return False  # a statement without either element is malformed and grants or denies nothing


def _complete_arn(pattern: str) -> str:
    """Spec §B.2: ``arn:aws:sqs`` is ``arn:aws:sqs:*:*:*`` in identity-side policies."""
    if not pattern.startswith("arn:"):
        return pattern
    return pattern + ":*" * max(0, 5 - pattern.count(":"))


def _resource_pattern(text: str, scope: VariableScope) -> Pattern | None:
    """A ``Resource`` entry as a pattern; variables only after the fifth colon (spec §D)."""
    fields = text.split(":", 5)
    if len(fields) < 6:
        return wildcard_pattern(text)
    head = ":".join(fields[:5]) + ":"
    tail = scope.pattern(fields[5])
    if tail is None:
        return None
    return wildcard_pattern(head) + tail


def _wildcard_is_type_word(entry: str, resource: str) -> bool:
    """Spec §B.2 (UG: reference_identifiers.html): a wildcard may not stand for the resource-type word.

    When the request's resource has a type word (``instance`` in
    ``...:instance/12345``), an entry whose resource part is not only ``*``
    must spell that word in the literal text it starts with, before any
    wildcard or policy variable. This reads the entry's text, not how the
    match lined up: when a ``*`` ending the region or account field ran past
    colons over the word (``arn:aws:logs:*:*:mystream``), the literal start
    still does not spell it, so the entry does not match.
    """
    typed = request_type(resource)
    if typed is None:
        return False
    _, word = typed
    fields = entry.split(":", 5)
    if len(fields) < 6:
        return False  # no resource part: the entry's wildcards stand for whole fields
    part = fields[5]
    if part and set(part) == {"*"}:
        return False
    literal_start = ""
    for index, char in enumerate(part):
        if char in "*?" or part.startswith("${", index):
            break
        literal_start += char
    return not literal_start.startswith(word)


def _entry_matches(entry: str, resource: str, kind: PolicyKind, scope: VariableScope) -> bool:
    if resource == "*":
        # Spec §B.1: the resource of a resource-less action is matched only by "*".
        return entry == "*"
    if kind in IDENTITY_SIDE_KINDS:
        entry = _complete_arn(entry)
    pattern = _resource_pattern(entry, scope)
    if pattern is None or not match(confine_to_segments(pattern), resource):
        return False
    return not _wildcard_is_type_word(entry, resource)


def resource_matches(statement: Statement, resource: str, kind: PolicyKind, scope: VariableScope) -> bool:
    """Spec §B.2: case-sensitive globbing; no resource element matches every resource."""
    if statement.resource is not None:
        return any(_entry_matches(entry, resource, kind, scope) for entry in statement.resource)
    if statement.not_resource is not None:
        return not any(_entry_matches(entry, resource, kind, scope) for entry in statement.not_resource)
    return True


def _principal_check(
    statement: Statement, kind: PolicyKind, request: Request, has_boundary: bool
) -> tuple[bool, Grant | None]:
    """Check 3: ``(passed, grant)``; identity-side policies do not name principals."""
    if kind not in PRINCIPAL_KINDS:
        return True, None
    if statement.principal is not None:
        grant = principal_grant(statement.principal, request.principal)
        return grant is not None, grant
    if statement.not_principal is not None:
        if statement.effect is not Effect.DENY:
            return False, None  # NotPrincipal is supported only with Deny (spec §A.2)
        return not not_principal_exempts(statement.not_principal, request.principal, has_boundary=has_boundary), None
    # No principal element restricts nothing; the parser rejects this where Principal is required.
    return True, Grant.DIRECT


def evaluate_statement(
    slot: PolicySlot, policy: Policy, statement: Statement, request: Request, *, has_boundary: bool
) -> StatementVerdict:
    """Run the four checks of one statement against ``request``."""
    ref = StatementRef(
        kind=slot.kind,
        level=slot.level,
        position=slot.position,
        statement_index=statement.index,
        policy_name=policy.name,
        sid=statement.sid,
        effect=statement.effect,
    )
    if not action_matches(statement, request.action):
        return StatementVerdict(StatementTrace(ref, StatementOutcome.ACTION_NOT_MATCHED), None, ())
    scope = VariableScope(request.context, policy.variables_enabled)
    if not resource_matches(statement, request.resource, slot.kind, scope):
        return StatementVerdict(StatementTrace(ref, StatementOutcome.RESOURCE_NOT_MATCHED), None, ())
    principal_passed, grant = _principal_check(statement, slot.kind, request, has_boundary)
    if not principal_passed:
        return StatementVerdict(StatementTrace(ref, StatementOutcome.PRINCIPAL_NOT_MATCHED), None, ())
    traces = tuple(evaluate_condition(condition, request.context, scope) for condition in statement.conditions)
    missing = tuple(
        condition.key
        for condition in statement.conditions
        if condition.base != "Null" and condition.key.lower() not in request.context
    )
    outcome = StatementOutcome.MATCHED if all(trace.passed for trace in traces) else StatementOutcome.CONDITION_NOT_MET
    return StatementVerdict(
        StatementTrace(ref, outcome, traces), grant if outcome is StatementOutcome.MATCHED else None, missing
    )
