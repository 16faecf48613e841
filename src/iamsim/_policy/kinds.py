"""Which grammar rules apply to which policy kind (§A.1–§A.4, §F.5).

One table per rule, so a rule reads the same in the parser as in the spec.
"""

from __future__ import annotations

from iamsim._policy.model import PolicyKind
from iamsim.errors import UsageError

__all__ = [
    "IAM_KINDS",
    "ID_FORBIDDEN",
    "ORGANIZATIONS_KINDS",
    "PRINCIPAL_FORBIDDEN",
    "RESOURCE_REQUIRED",
    "as_kind",
]

#: Kinds IAM itself stores and checks: Sids are ASCII letters and digits only (§A.2).
IAM_KINDS = frozenset({PolicyKind.IDENTITY, PolicyKind.TRUST, PolicyKind.BOUNDARY, PolicyKind.SESSION})

#: Kinds AWS Organizations stores; it words its rejections differently.
ORGANIZATIONS_KINDS = frozenset({PolicyKind.SCP, PolicyKind.RCP})

#: Kinds that must not carry a policy ``Id`` (§A.1, §A.4, §F.5); IAM stores an identity policy's ``Id``.
ID_FORBIDDEN = frozenset({PolicyKind.SESSION, PolicyKind.SCP, PolicyKind.RCP})

#: Kinds whose statements take neither ``Principal`` nor ``NotPrincipal`` (§A.2, §A.4).
PRINCIPAL_FORBIDDEN = frozenset({PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION, PolicyKind.SCP})

#: Kinds whose statements need ``Resource`` or ``NotResource`` (§A.2, §A.4).
RESOURCE_REQUIRED = frozenset(
    {PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION, PolicyKind.SCP, PolicyKind.RCP}
)


def as_kind(kind: PolicyKind | str) -> PolicyKind:
    """Return ``kind`` as a :class:`PolicyKind`; raise :class:`~iamsim.errors.UsageError` if unknown."""
    try:
        return PolicyKind(kind)
    except ValueError:
        raise UsageError(f"unknown policy kind: {kind!r}") from None
