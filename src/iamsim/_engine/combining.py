"""The combining rule (spec §F.1-§F.5; docs/evaluation.md "Combining"), over facts only.

Matching produces facts: which policy kind holds the first matching Deny,
which policy groups have a matching Allow (a bit mask), and how the strongest
matching resource-policy Allow names the caller. :func:`decide` turns them
into the decision, one commented row per case, so it reads beside AWS's
documented evaluation flow. Standing rules (GetCallerIdentity, protected AWS
resources) are decided before any of this, in :mod:`~iamsim._engine.standing_rules`.
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
    "SCP_SCOPE",
    "SESSION_BIT",
    "SetShape",
    "decide",
    "is_kms_key_request",
    "level_bit",
]

#: Allow-mask bits of the policy groups; SCP and RCP levels follow (see :func:`level_bit`).
RESOURCE_BIT = 1
IDENTITY_BIT = 2
BOUNDARY_BIT = 4
SESSION_BIT = 8
_FIRST_LEVEL_BIT = 16

Outcome = tuple[Decision, PolicyKind | None]
# Module-level aliases of the enum members the per-request code reads: a global lookup costs
# a fraction of reading a member through its enum class.
_ALLOWED_DECISION = Decision.ALLOWED
_EXPLICIT_DENY_DECISION = Decision.EXPLICIT_DENY
_IMPLICIT_DENY_DECISION = Decision.IMPLICIT_DENY
_DIRECT_NAMING = Naming.DIRECT
_NONE_NAMING = Naming.NONE
_ROLE_OR_SOURCE_USER_NAMING = Naming.ROLE_OR_SOURCE_USER
_BOUNDARY_POLICYKIND = PolicyKind.BOUNDARY
_IDENTITY_POLICYKIND = PolicyKind.IDENTITY
_RCP_POLICYKIND = PolicyKind.RCP
_SCP_POLICYKIND = PolicyKind.SCP
_SESSION_POLICYKIND = PolicyKind.SESSION
_TRUST_POLICYKIND = PolicyKind.TRUST
_ACCOUNT_NAMING = Naming.ACCOUNT
_RESOURCE_POLICYKIND = PolicyKind.RESOURCE
_ACCOUNT_PRINCIPALTYPE = PrincipalType.ACCOUNT
_ANONYMOUS_PRINCIPALTYPE = PrincipalType.ANONYMOUS
_ASSUMED_ROLE_PRINCIPALTYPE = PrincipalType.ASSUMED_ROLE
_FEDERATED_USER_PRINCIPALTYPE = PrincipalType.FEDERATED_USER
_SERVICE_PRINCIPALTYPE = PrincipalType.SERVICE
_WEB_IDENTITY_PRINCIPALTYPE = PrincipalType.WEB_IDENTITY


_ALLOWED: Outcome = (_ALLOWED_DECISION, None)

#: Callers SCPs limit: IAM users and roles of member accounts, their sessions and the member account's root
#: user (spec §F.5, ORG:orgs_manage_policies_scps.html: SCPs affect only IAM users and roles managed by
#: accounts of the organization). Services, identity providers' callers and anonymous callers are no
#: account's principals, so no SCP applies to them; RCPs, which guard the resource, still do.
SCP_SCOPE = frozenset(
    {
        PrincipalType.ACCOUNT,
        PrincipalType.USER,
        PrincipalType.ASSUMED_ROLE,
        PrincipalType.FEDERATED_USER,
    }
)


def is_kms_key_request(action: str, resource: str) -> bool:
    """Whether lowercased ``action`` is a ``kms:`` action on a KMS key ARN (``arn:P:kms:R:A:key/ID``).

    Aliases (``alias/NAME``) are not keys: AWS controls them with IAM policies only, and a request naming
    an alias is still authorized against the key behind it, which iamsim does not resolve.
    """
    if not action.startswith("kms:"):
        return False
    parts = resource.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and parts[2] == "kms" and parts[5].startswith("key/")


def level_bit(index: int) -> int:
    """The allow-mask bit of the ``index``-th organization level (SCP levels first, then RCP levels)."""
    return _FIRST_LEVEL_BIT << index


@dataclass(frozen=True, slots=True)
class SetShape:
    """What the combining rule needs to know about a policy set, independent of the request.

    ``resource_kind`` is ``TRUST`` for a role trust policy, else ``RESOURCE``;
    ``session_passed`` is whether session policies were passed (the set's
    ``session`` is not ``None``); the masks hold one bit per SCP/RCP level;
    ``has_resource_policy`` is whether a resource (or trust) policy was given
    (for a KMS key, the key policy; without one AWS's default is assumed).
    """

    resource_kind: PolicyKind
    has_boundary: bool
    session_passed: bool
    scp_mask: int
    rcp_mask: int
    has_resource_policy: bool = False


def _first_failing(identity: bool, boundary: bool, session: bool) -> Outcome:
    if not identity:
        return _IMPLICIT_DENY_DECISION, _IDENTITY_POLICYKIND
    if not boundary:
        return _IMPLICIT_DENY_DECISION, _BOUNDARY_POLICYKIND
    if not session:
        return _IMPLICIT_DENY_DECISION, _SESSION_POLICYKIND
    return _ALLOWED


def decide(
    shape: SetShape,
    principal: Principal,
    *,
    cross_account: bool,
    deny_kind: PolicyKind | None,
    allow_mask: int,
    naming: Naming,
    key_request: bool = False,
) -> Outcome:
    """The decision and the policy kind a denial names (``None`` when allowed).

    ``key_request``: the request is a ``kms:`` action on a KMS key (:func:`is_kms_key_request`).
    """
    # §F.1 step 1: any matching Deny anywhere is final.
    if deny_kind is not None:
        return _EXPLICIT_DENY_DECISION, deny_kind
    # §F.1 step 2: every RCP level, then every SCP level, needs a matching Allow.
    if allow_mask & shape.rcp_mask != shape.rcp_mask:
        return _IMPLICIT_DENY_DECISION, _RCP_POLICYKIND
    if allow_mask & shape.scp_mask != shape.scp_mask:
        return _IMPLICIT_DENY_DECISION, _SCP_POLICYKIND
    kind = principal.type
    if key_request:
        # §F.1 step 3: no IAM policy grants access to a KMS key unless its key policy allows it. Without a
        # given key policy, AWS's default one applies: it names the key's account, which enables IAM policies.
        if not shape.has_resource_policy:
            naming = _ACCOUNT_NAMING if principal.account is not None and not cross_account else _NONE_NAMING
        if naming is _NONE_NAMING:
            return _IMPLICIT_DENY_DECISION, _RESOURCE_POLICYKIND
    # Facts of the principal side (docs/evaluation.md step 4).
    if kind is _ACCOUNT_PRINCIPALTYPE:
        identity = True  # the root user has full access in its account (§F.1 step 0)
    elif kind is _SERVICE_PRINCIPALTYPE or kind is _WEB_IDENTITY_PRINCIPALTYPE or kind is _ANONYMOUS_PRINCIPALTYPE:
        identity = False  # services, identity providers and anonymous callers have no identity policies
    else:
        identity = bool(allow_mask & IDENTITY_BIT)
    boundary = not shape.has_boundary or bool(allow_mask & BOUNDARY_BIT)
    if kind is not _ASSUMED_ROLE_PRINCIPALTYPE and kind is not _FEDERATED_USER_PRINCIPALTYPE:
        session = True
    elif shape.session_passed:
        session = bool(allow_mask & SESSION_BIT)
    else:
        # No session policy: a role session keeps its role's permissions, a federated user gets none (§F.1 step 6).
        session = kind is _ASSUMED_ROLE_PRINCIPALTYPE
    trust = shape.resource_kind is _TRUST_POLICYKIND
    if cross_account:
        # §F.3: the resource account must grant (any principal form) and the principal's account must allow.
        if naming is _NONE_NAMING:
            return _IMPLICIT_DENY_DECISION, shape.resource_kind
        return _first_failing(identity, boundary, session)
    if naming is _DIRECT_NAMING:
        # §F.2: a grant naming the caller itself is final; §F.4: assuming a role still needs the caller's boundary.
        if trust and not boundary:
            return _IMPLICIT_DENY_DECISION, _BOUNDARY_POLICYKIND
        return _ALLOWED
    if naming is _ROLE_OR_SOURCE_USER_NAMING:
        # §F.2: a grant to the role (or to the user who federated) is still limited by boundary and session policy.
        return _first_failing(True, boundary, session)
    if naming is _NONE_NAMING and trust:
        # §F.4: a trust policy must allow the caller; identity permissions alone never suffice.
        return _IMPLICIT_DENY_DECISION, _TRUST_POLICYKIND
    # Named by account, or no resource grant: the identity side must allow on its own (§F.1 steps 4-6).
    return _first_failing(identity, boundary, session)
