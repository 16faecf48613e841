"""ListPoliciesGrantingServiceAccess's records: the policies of an identity that grant each service (§H.9)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PolicyGrantingServiceAccess", "ServiceAccessPolicies"]


@dataclass(frozen=True, slots=True)
class PolicyGrantingServiceAccess:
    """One permissions policy that grants a service: a managed policy by ARN, an inline one by its holder."""

    #: The policy's name (``PolicyName``, named ``name`` as on every other policy record).
    name: str
    policy_type: str
    policy_arn: str | None = None
    entity_type: str | None = None
    entity_name: str | None = None


@dataclass(frozen=True, slots=True)
class ServiceAccessPolicies:
    """The policies of the identity that grant one service namespace."""

    service_namespace: str
    policies: tuple[PolicyGrantingServiceAccess, ...]
