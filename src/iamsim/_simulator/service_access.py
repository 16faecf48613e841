"""ListPoliciesGrantingServiceAccess: which permissions policies of a user, group or role grant each service (§H.9).

Only permissions policies count, as at AWS: inline and managed policies of the identity and, for
a user, of its groups; never permissions boundaries, resource policies or SCPs. A policy grants
a service when one of its Allow statements names an action of it, the same reading as the
service last-accessed report's (§H.8).
"""

from __future__ import annotations

from iamsim._arn import Arn
from iamsim._policy.catalog import ServiceCatalog
from iamsim._simulator.last_accessed import granted_services
from iamsim._store.account import AccountStore
from iamsim._store.records import Group, Role, User
from iamsim._store.service_access import PolicyGrantingServiceAccess, ServiceAccessPolicies
from iamsim._store.validation import check_length, validation_error
from iamsim.errors import InvalidInputError

__all__ = ["policies_granting_service_access"]

_KINDS = {"user": "USER", "group": "GROUP", "role": "ROLE"}


def _holders(store: AccountStore, arn: str) -> list[tuple[str, User | Group | Role]]:
    """The identity ``arn`` names and, for a user, its groups, each with its entity type."""
    parsed = Arn.try_parse(arn)
    if parsed is None or parsed.service != "iam" or parsed.account != store.account_id:
        raise InvalidInputError(f"ARN {arn} is not valid.")
    kind = _KINDS.get(parsed.resource_type)
    if kind == "USER":
        user = store.users.get_user(parsed.resource_name)
        return [("USER", user), *(("GROUP", store.groups.get_group(g)) for g in user.groups)]
    if kind == "GROUP":
        return [("GROUP", store.groups.get_group(parsed.resource_name))]
    if kind == "ROLE":
        return [("ROLE", store.roles.get_role(parsed.resource_name))]
    raise InvalidInputError(f"ARN {arn} is not valid.")


def policies_granting_service_access(
    store: AccountStore, arn: str, service_namespaces: list[str]
) -> tuple[ServiceAccessPolicies, ...]:
    """One entry per requested namespace, with the identity's policies that grant it (in request order)."""
    if not service_namespaces or len(service_namespaces) > 200:
        raise validation_error(
            service_namespaces,
            "serviceNamespaces",
            "Member must have length less than or equal to 200"
            if service_namespaces
            else "Member must have length greater than or equal to 1",
        )
    for n, namespace in enumerate(service_namespaces, start=1):
        check_length(namespace, f"serviceNamespaces.{n}.member", 1, 64)
    catalog = ServiceCatalog.load()
    granting: list[tuple[PolicyGrantingServiceAccess, frozenset[str]]] = []
    seen_managed: set[str] = set()
    for entity_type, holder in _holders(store, arn):
        for inline in holder.inline_policies:
            record = PolicyGrantingServiceAccess(inline.name, "INLINE", None, entity_type, holder.name)
            granting.append((record, granted_services(store, inline.document, catalog)))
        for policy_arn in holder.attached_policies:
            if policy_arn in seen_managed:  # a user and its group may attach the same policy
                continue
            seen_managed.add(policy_arn)
            name, document = store.policies.managed_policy_document(policy_arn)
            granting.append(
                (PolicyGrantingServiceAccess(name, "MANAGED", policy_arn), granted_services(store, document, catalog))
            )
    return tuple(
        ServiceAccessPolicies(
            namespace, tuple(record for record, services in granting if namespace.lower() in services)
        )
        for namespace in service_namespaces
    )
