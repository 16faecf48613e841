"""The policies that apply to one request, grouped by the part each plays."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from iamsim._policy.model import Policy, PolicyKind

__all__ = ["PolicySet", "PolicySlot"]


@dataclass(frozen=True, slots=True)
class PolicySlot:
    """Where a policy sits in a :class:`PolicySet`.

    ``kind`` is the part the policy plays (a managed policy used as a boundary
    has slot kind ``BOUNDARY``; a role trust policy passed as the resource
    policy has ``TRUST``). ``level`` numbers SCP/RCP levels from the root (0)
    and is 0 elsewhere; ``position`` is the policy's index within its group.
    """

    kind: PolicyKind
    level: int
    position: int


@dataclass(frozen=True, slots=True)
class PolicySet:
    """Everything that applies to one request (spec §F).

    ``identity``: the principal's identity-based policies (a user's own and its
    groups'). ``resource``: the resource-based policy of the resource, or the
    role's trust policy when the action is an ``sts:AssumeRole*``.
    ``boundary``: the principal's permissions boundary. ``session``: the
    session policies passed when the session was created; ``None`` when none
    were passed (which denies federated-user sessions, spec §F.1 step 6).
    ``scp_levels`` / ``rcp_levels``: one tuple of policies per level from the
    organization root down to the account; empty when no SCP/RCP applies (no
    organization, or the management account).
    """

    identity: tuple[Policy, ...] = ()
    resource: Policy | None = None
    boundary: Policy | None = None
    session: tuple[Policy, ...] | None = None
    scp_levels: tuple[tuple[Policy, ...], ...] = ()
    rcp_levels: tuple[tuple[Policy, ...], ...] = ()

    def __post_init__(self) -> None:
        # AWS cannot pass an empty set of session policies: an empty tuple means none were passed.
        if self.session is not None and not self.session:
            object.__setattr__(self, "session", None)

    @property
    def resource_slot_kind(self) -> PolicyKind:
        """``TRUST`` when the resource policy is a role trust policy, else ``RESOURCE``."""
        if self.resource is not None and self.resource.kind is PolicyKind.TRUST:
            return PolicyKind.TRUST
        return PolicyKind.RESOURCE

    def slots(self) -> Iterator[tuple[PolicySlot, Policy]]:
        """Every policy with its slot, in canonical order: SCP, RCP, resource,
        identity, boundary, session (the order of spec §F.1 step 1)."""
        for level, policies in enumerate(self.scp_levels):
            for position, policy in enumerate(policies):
                yield PolicySlot(PolicyKind.SCP, level, position), policy
        for level, policies in enumerate(self.rcp_levels):
            for position, policy in enumerate(policies):
                yield PolicySlot(PolicyKind.RCP, level, position), policy
        if self.resource is not None:
            yield PolicySlot(self.resource_slot_kind, 0, 0), self.resource
        for position, policy in enumerate(self.identity):
            yield PolicySlot(PolicyKind.IDENTITY, 0, position), policy
        if self.boundary is not None:
            yield PolicySlot(PolicyKind.BOUNDARY, 0, 0), self.boundary
        if self.session is not None:
            for position, policy in enumerate(self.session):
                yield PolicySlot(PolicyKind.SESSION, 0, position), policy
