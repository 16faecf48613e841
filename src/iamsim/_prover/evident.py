"""PASS answers evident from the policies' text, given before the solver (issue 15, "decide faster").

Two shapes need no solver at all, and z3 still took a whole budget on them
when a slice stuck in z3 sent the check to a worker that a loaded machine
could not restart in time (``cutoff``): NEW that grants nothing
(``AWSDenyAll``), and OLD that allows every request (``AdministratorAccess``).
Both read only the statements' text, conservatively: any policy kind beside
identity policies that could change the answer makes the shape not evident,
and the solver decides as before.
"""

from __future__ import annotations

from iamsim._bundle import PolicyBundle
from iamsim._policy.model import Effect, Statement

__all__ = ["allows_everything", "grants_nothing"]


def _side_policies(bundle: PolicyBundle) -> bool:
    """Whether the bundle holds policies an identity-only reading would miss (they may grant or deny)."""
    return bool(
        bundle.resource is not None
        or bundle.trust is not None
        or bundle.rcp_levels
        or bundle.caller_identity
        or bundle.boundary is not None
        or bundle.session is not None
        or bundle.scp_levels
    )


def grants_nothing(bundle: PolicyBundle) -> bool:
    """Whether no member caller's request can be allowed: no identity policy has an Allow statement.

    Spec §F.1: with no resource policy, a request of the caller's own account
    is allowed only by an identity-based Allow; boundaries, session policies
    and SCPs only limit it. So a bundle without one allows nothing.
    """
    if bundle.resource is not None or bundle.trust is not None or bundle.caller_identity:
        return False
    return not any(statement.effect is Effect.ALLOW for policy in bundle.identity for statement in policy.statements)


def _allows_any_request(statement: Statement) -> bool:
    return (
        statement.effect is Effect.ALLOW
        and statement.action is not None
        and "*" in statement.action
        and statement.resource is not None
        and "*" in statement.resource
        and not statement.conditions
    )


def allows_everything(bundle: PolicyBundle) -> bool:
    """Whether every member caller's request is allowed: ``Allow * on *`` unconditionally, and nothing else applies.

    Spec §B.1/§B.2: ``*`` matches every action and every resource; §F.1: with
    no Deny statement, no boundary, session policy or SCP, that Allow decides.
    (``sts:GetCallerIdentity``'s standing rule allows it whatever the
    policies say, which only agrees.)
    """
    if _side_policies(bundle):
        return False
    statements = [statement for policy in bundle.identity for statement in policy.statements]
    if any(statement.effect is Effect.DENY for statement in statements):
        return False
    return any(_allows_any_request(statement) for statement in statements)
