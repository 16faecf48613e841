"""The combining rule (spec §F.1-§F.4; docs/evaluation.md "Combining"), over facts only.

Matching produces facts: which policy kind holds the first matching Deny,
which policy groups have a matching Allow (a bit mask), and how the strongest
matching resource-policy Allow names the caller. :func:`decide` turns them
into the decision, one commented row per case, so it reads beside AWS's
documented evaluation flow.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamsim._engine.principals import Naming
from iamsim._engine.request import Principal, PrincipalType
from iamsim._engine.result import Decision
from iamsim._policy.model import PolicyKind

__all__ = [
    "BOUNDARY_BIT",
    "IDENTITY_BIT",
    "RESOURCE_BIT",
    "SESSION_BIT",
    "SetShape",
    "decide",
    "level_bit",
]

#: Allow-mask bits of the policy groups; SCP and RCP levels follow (see :func:`level_bit`).
RESOURCE_BIT = 1
IDENTITY_BIT = 2
BOUNDARY_BIT = 4
SESSION_BIT = 8
_FIRST_LEVEL_BIT = 16

Outcome = tuple[Decision, PolicyKind | None]
_ALLOWED: Outcome = (Decision.ALLOWED, None)


def level_bit(index: int) -> int:
    """The allow-mask bit of the ``index``-th organization level (SCP levels first, then RCP levels)."""
    return _FIRST_LEVEL_BIT << index


@dataclass(frozen=True, slots=True)
class SetShape:
    """What the combining rule needs to know about a policy set, independent of the request.

    ``resource_kind`` is ``TRUST`` for a role trust policy, else ``RESOURCE``;
    ``session_passed`` is whether session policies were passed (the set's
    ``session`` is not ``None``); the masks hold one bit per SCP/RCP level.
    """

    resource_kind: PolicyKind
    has_boundary: bool
    session_passed: bool
    scp_mask: int
    rcp_mask: int


def _first_failing(identity: bool, boundary: bool, session: bool) -> Outcome:
    if not identity:
        return Decision.IMPLICIT_DENY, PolicyKind.IDENTITY
    if not boundary:
        return Decision.IMPLICIT_DENY, PolicyKind.BOUNDARY
    if not session:
        return Decision.IMPLICIT_DENY, PolicyKind.SESSION
    return _ALLOWED


def decide(
    shape: SetShape,
    principal: Principal,
    *,
    cross_account: bool,
    deny_kind: PolicyKind | None,
    allow_mask: int,
    naming: Naming,
) -> Outcome:
    """The decision and the policy kind a denial names (``None`` when allowed)."""
    # §F.1 step 1: any matching Deny anywhere is final.
    if deny_kind is not None:
        return Decision.EXPLICIT_DENY, deny_kind
    # §F.1 step 2: every RCP level, then every SCP level, needs a matching Allow.
    if allow_mask & shape.rcp_mask != shape.rcp_mask:
        return Decision.IMPLICIT_DENY, PolicyKind.RCP
    if allow_mask & shape.scp_mask != shape.scp_mask:
        return Decision.IMPLICIT_DENY, PolicyKind.SCP
    kind = principal.type
    # Facts of the principal side (docs/evaluation.md step 4).
    if kind is PrincipalType.ACCOUNT:
        identity = True  # the root user has full access in its account (§F.1 step 0)
    elif kind is PrincipalType.SERVICE or kind is PrincipalType.WEB_IDENTITY or kind is PrincipalType.ANONYMOUS:
        identity = False  # services, identity providers and anonymous callers have no identity policies
    else:
        identity = bool(allow_mask & IDENTITY_BIT)
    boundary = not shape.has_boundary or bool(allow_mask & BOUNDARY_BIT)
    if kind is not PrincipalType.ASSUMED_ROLE and kind is not PrincipalType.FEDERATED_USER:
        session = True
    elif shape.session_passed:
        session = bool(allow_mask & SESSION_BIT)
    else:
        # No session policy: a role session keeps its role's permissions, a federated user gets none (§F.1 step 6).
        session = kind is PrincipalType.ASSUMED_ROLE
    trust = shape.resource_kind is PolicyKind.TRUST
    if cross_account:
        # §F.3: the resource account must grant (any principal form) and the principal's account must allow.
        if naming is Naming.NONE:
            return Decision.IMPLICIT_DENY, shape.resource_kind
        return _first_failing(identity, boundary, session)
    if naming is Naming.DIRECT:
        # §F.2: a grant naming the caller itself is final; §F.4: assuming a role still needs the caller's boundary.
        if trust and not boundary:
            return Decision.IMPLICIT_DENY, PolicyKind.BOUNDARY
        return _ALLOWED
    if naming is Naming.ROLE_OR_SOURCE_USER:
        # §F.2: a grant to the role (or to the user who federated) is still limited by boundary and session policy.
        return _first_failing(True, boundary, session)
    if naming is Naming.NONE and trust:
        # §F.4: a trust policy must allow the caller; identity permissions alone never suffice.
        return Decision.IMPLICIT_DENY, PolicyKind.TRUST
    # Named by account, or no resource grant: the identity side must allow on its own (§F.1 steps 4-6).
    return _first_failing(identity, boundary, session)
