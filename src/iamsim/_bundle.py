"""A bundle of parsed policies, grouped by the part each plays, read from one or more sources.

A bundle may hold both a resource-based policy and a role trust policy; which
one plays the resource-policy part depends on the request: the trust policy
for the STS actions a trust policy governs (``sts:AssumeRole*``,
``sts:TagSession``, ``sts:SetSourceIdentity``, ``sts:SetContext``; spec §A.4),
the resource policy for everything else.

A request to assume the role is made by someone else: the role's own
identity policies, boundary and session policies are not the caller's, so
they do not take part. The caller's identity policies, when known, are
``caller_identity``; SCP and RCP levels apply to both kinds of request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from iamsim._engine.policy_set import PolicySet
from iamsim._evaluate import PolicyEvaluator
from iamsim._policy.model import Policy
from iamsim.errors import InvalidInputError

__all__ = ["PolicyBundle", "is_trust_action"]

_TRUST_ACTIONS = frozenset({"sts:tagsession", "sts:setsourceidentity", "sts:setcontext"})


def is_trust_action(action: str) -> bool:
    """Whether a role trust policy (not a resource policy) governs ``action`` (spec §A.4)."""
    lowered = action.lower()
    return lowered.startswith("sts:assumerole") or lowered in _TRUST_ACTIONS


@dataclass(frozen=True, slots=True)
class PolicyBundle:
    """Parsed policies by part: identity, resource, trust, boundary, session, SCP and RCP levels.

    ``session`` is ``None`` when no session policy was given. ``scp_levels`` and
    ``rcp_levels`` run from the organization root (index 0) down to the account.
    ``sources`` names where the policies came from, for reports.
    ``caller_identity`` are the identity policies of whoever asks to assume the
    role (used only for trust-policy actions, see the module docstring).
    """

    identity: tuple[Policy, ...] = ()
    resource: Policy | None = None
    trust: Policy | None = None
    boundary: Policy | None = None
    session: tuple[Policy, ...] | None = None
    scp_levels: tuple[tuple[Policy, ...], ...] = ()
    rcp_levels: tuple[tuple[Policy, ...], ...] = ()
    sources: tuple[str, ...] = ()
    caller_identity: tuple[Policy, ...] = ()
    _evaluators: dict[bool, PolicyEvaluator] = field(default_factory=dict, compare=False, repr=False)

    def merge(self, other: PolicyBundle) -> PolicyBundle:
        """Combine two bundles; a part that takes one policy may be given by only one of them."""
        return PolicyBundle(
            identity=self.identity + other.identity,
            resource=_one("resource policy", self.resource, other.resource),
            trust=_one("trust policy", self.trust, other.trust),
            boundary=_one("permissions boundary", self.boundary, other.boundary),
            session=None
            if self.session is None and other.session is None
            else (self.session or ()) + (other.session or ()),
            scp_levels=self.scp_levels + other.scp_levels,
            rcp_levels=self.rcp_levels + other.rcp_levels,
            sources=self.sources + other.sources,
            caller_identity=self.caller_identity + other.caller_identity,
        )

    @property
    def is_empty(self) -> bool:
        """Whether the bundle holds no policy at all."""
        return not (
            self.identity
            or self.caller_identity
            or self.resource
            or self.trust
            or self.boundary
            or self.session
            or self.scp_levels
            or self.rcp_levels
        )

    def policy_set_for(self, action: str) -> PolicySet:
        """The :class:`~iamsim.PolicySet` that applies to a request for ``action``."""
        if is_trust_action(action):
            return PolicySet(
                identity=self.caller_identity,
                resource=self.trust,
                scp_levels=self.scp_levels,
                rcp_levels=self.rcp_levels,
            )
        return PolicySet(
            identity=self.identity,
            resource=self.resource,
            boundary=self.boundary,
            session=self.session,
            scp_levels=self.scp_levels,
            rcp_levels=self.rcp_levels,
        )

    def evaluator_for(self, action: str) -> PolicyEvaluator:
        """A compiled evaluator for requests for ``action`` (at most two are compiled per bundle)."""
        trust = is_trust_action(action)
        evaluator = self._evaluators.get(trust)
        if evaluator is None:
            evaluator = PolicyEvaluator(self.policy_set_for(action))
            self._evaluators[trust] = evaluator
        return evaluator


def _one(part: str, first: Policy | None, second: Policy | None) -> Policy | None:
    if first is not None and second is not None:
        raise InvalidInputError(f"more than one {part} given ({first.name!r} and {second.name!r}); give one")
    return first if first is not None else second
