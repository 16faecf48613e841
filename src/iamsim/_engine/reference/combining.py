"""The combining rules, step by step (docs/evaluation.md "Standing rules" and "Combining", spec §F.1–§F.5).

Every statement of every policy is evaluated first; the steps below then read
the verdicts. Each step appends a sentence to the narration so an explanation
can tell the story in the order AWS documents it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference.principals import Grant
from iamsim._engine.reference.statements import StatementVerdict
from iamsim._engine.request import PrincipalType, Request
from iamsim._engine.result import KIND_ORDER, Decision, KeyPolicy, StandingRule, StatementRef
from iamsim._engine.standing_rules import NO_PERMISSION_NEEDED, PROTECTIONS
from iamsim._policy.model import Effect, PolicyKind

__all__ = ["Outcome", "combine"]

#: Callers that have no identity-based side at all (docs/evaluation.md, Combining 4).
_NO_IDENTITY_SIDE = frozenset({PrincipalType.SERVICE, PrincipalType.WEB_IDENTITY, PrincipalType.ANONYMOUS})


@dataclass(slots=True)
class Outcome:
    """The decision, the policy type that denied (if any) and the narration."""

    decision: Decision = Decision.IMPLICIT_DENY
    denied_by: PolicyKind | None = None
    steps: list[str] = field(default_factory=list)
    rule: StandingRule | None = None
    key_policy: KeyPolicy | None = None


def _standing_rule(request: Request) -> StandingRule | None:
    """Step 0: a rule AWS applies whatever the policies say (the table in ``standing_rules``)."""
    action = request.action.lower()
    if action == "sts:getcalleridentity":
        return NO_PERMISSION_NEEDED
    for protection in PROTECTIONS:
        if action in protection.actions and protection.applies_to(request.resource):
            return protection.rule
    return None


def _is_key(request: Request) -> bool:
    """Whether the request is a ``kms:`` action on a KMS key (``arn:PARTITION:kms:REGION:ACCOUNT:key/ID``)."""
    if not request.action.lower().startswith("kms:"):
        return False
    fields = request.resource.split(":")
    return len(fields) >= 6 and fields[0] == "arn" and fields[2] == "kms" and ":".join(fields[5:]).startswith("key/")


def _matching(verdicts: list[StatementVerdict], effect: Effect, *kinds: PolicyKind) -> list[StatementRef]:
    return [v.trace.ref for v in verdicts if v.matched and v.trace.ref.effect is effect and v.trace.ref.kind in kinds]


def _allows(verdicts: list[StatementVerdict], kind: PolicyKind, level: int | None = None) -> bool:
    """Whether some Allow of slot ``kind`` (at ``level``, if given) matches."""
    return any(
        v.matched
        and v.trace.ref.effect is Effect.ALLOW
        and v.trace.ref.kind is kind
        and (level is None or v.trace.ref.level == level)
        for v in verdicts
    )


def _organization_gate(verdicts: list[StatementVerdict], kind: PolicyKind, levels: int, outcome: Outcome) -> bool:
    """Steps 2 and 3: with ``levels`` levels of RCPs or SCPs, every level must allow."""
    if levels == 0:
        outcome.steps.append(f"No {kind.label} policies apply.")
        return True
    for level in range(levels):
        if not _allows(verdicts, kind, level):
            outcome.steps.append(f"No {kind.label} policy at level {level} allows the request: implicit deny.")
            outcome.denied_by = kind
            return False
    outcome.steps.append(f"Every level of {kind.label} policies allows the request.")
    return True


def _principal_side(verdicts: list[StatementVerdict], policies: PolicySet, request: Request) -> dict[PolicyKind, bool]:
    """Step 4: whether the identity, boundary and session sides each allow."""
    caller = request.principal
    if caller.is_root:
        identity = True
    elif caller.type in _NO_IDENTITY_SIDE:
        identity = False
    else:
        identity = _allows(verdicts, PolicyKind.IDENTITY)
    boundary = policies.boundary is None or _allows(verdicts, PolicyKind.BOUNDARY)
    if not caller.is_session:
        session = True
    elif policies.session:
        session = _allows(verdicts, PolicyKind.SESSION)
    else:
        # No session policy passed: role sessions keep the role's permissions,
        # federated users get none (spec §F.1 step 6).
        session = caller.type is PrincipalType.ASSUMED_ROLE
    return {PolicyKind.IDENTITY: identity, PolicyKind.BOUNDARY: boundary, PolicyKind.SESSION: session}


def _require(sides: dict[PolicyKind, bool], needed: tuple[PolicyKind, ...], outcome: Outcome) -> None:
    """Allow when every side in ``needed`` allows; else deny naming the first that does not."""
    for kind in needed:
        if not sides[kind]:
            outcome.steps.append(f"No {kind.label} policy allows the request: implicit deny.")
            outcome.decision = Decision.IMPLICIT_DENY
            outcome.denied_by = kind
            return
    if needed:
        outcome.steps.append("The " + ", ".join(kind.label for kind in needed) + " side(s) allow the request.")
    outcome.decision = Decision.ALLOWED


_CHAIN = (PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION)


def combine(verdicts: list[StatementVerdict], policies: PolicySet, request: Request) -> Outcome:
    """Apply the combining steps to the statement verdicts."""
    outcome = Outcome()

    # Step 0: standing rules decide before, and whatever, the policies say.
    rule = _standing_rule(request)
    if rule is not None:
        outcome.steps.append(f"Standing rule {rule.name}: {rule.reason}.")
        outcome.decision = rule.decision
        outcome.rule = rule
        return outcome
    is_key = _is_key(request)
    if is_key:
        outcome.key_policy = KeyPolicy.DEFAULT if policies.resource is None else KeyPolicy.GIVEN
        outcome.steps.append(outcome.key_policy.describe().capitalize() + ".")

    # Step 1: a matching Deny anywhere is final.
    denies = _matching(verdicts, Effect.DENY, *KIND_ORDER)
    if denies:
        first = min(denies, key=lambda ref: KIND_ORDER[ref.kind])
        outcome.steps.append(f"{first.describe()} matches: explicit deny.")
        outcome.decision = Decision.EXPLICIT_DENY
        outcome.denied_by = first.kind
        return outcome
    outcome.steps.append("No Deny statement matches.")

    # Steps 2 and 3: the organization's gates.
    if not _organization_gate(verdicts, PolicyKind.RCP, len(policies.rcp_levels), outcome):
        return outcome
    if not _organization_gate(verdicts, PolicyKind.SCP, len(policies.scp_levels), outcome):
        return outcome

    sides = _principal_side(verdicts, policies, request)
    resource_kind = policies.resource_slot_kind
    grants = [
        v.grant
        for v in verdicts
        if v.matched
        and v.trace.ref.effect is Effect.ALLOW
        and v.trace.ref.kind is resource_kind
        and v.grant is not None
    ]
    strongest = max(grants, default=None)

    # KMS keys (§F.1 step 3): the key policy must allow access itself. AWS's default key policy, assumed when
    # none is given, allows exactly the key's account (its root, which lets IAM policies grant access).
    if is_key:
        if policies.resource is None:
            same_account = request.principal.account is not None and not request.is_cross_account
            strongest = Grant.ACCOUNT if same_account else None
        if strongest is None:
            outcome.steps.append("The key policy does not allow the caller: implicit deny.")
            outcome.denied_by = PolicyKind.RESOURCE
            return outcome

    # Step 5: cross-account needs both accounts to allow.
    if request.is_cross_account:
        outcome.steps.append("The resource is in another account than the principal.")
        if strongest is None:
            outcome.steps.append(f"No {resource_kind.label} policy allows the caller: implicit deny.")
            outcome.denied_by = resource_kind
            return outcome
        outcome.steps.append(f"The {resource_kind.label} policy allows the caller.")
        _require(sides, _CHAIN, outcome)
        return outcome

    # Step 6: same account, by how the resource policy names the caller.
    is_trust = resource_kind is PolicyKind.TRUST
    if strongest is Grant.DIRECT:
        outcome.steps.append(f"The {resource_kind.label} policy names the caller directly.")
        _require(sides, (PolicyKind.BOUNDARY,) if is_trust else (), outcome)
        return outcome
    if strongest is Grant.PARENT:
        outcome.steps.append(f"The {resource_kind.label} policy names the caller's role or federating user.")
        _require(sides, (PolicyKind.BOUNDARY, PolicyKind.SESSION), outcome)
        return outcome
    if is_trust and strongest is None:
        # Spec §F.4: no identity-only path to assume a role.
        outcome.steps.append("The role trust policy does not allow the caller: implicit deny.")
        outcome.denied_by = PolicyKind.TRUST
        return outcome
    if strongest is Grant.ACCOUNT:
        outcome.steps.append(f"The {resource_kind.label} policy trusts the caller's account.")
    _require(sides, _CHAIN, outcome)
    return outcome
