"""Organizations access reports derived from the organization and the event log (§H.8).

GenerateOrganizationsAccessReport names an entity of the organization by its path
(``o-.../r-...[/ou-...]...[/account]``) and, optionally, an SCP. The report lists the
services the SCPs that apply to the entity allow (only the named SCP's, when one is
given; every service for the management account, which SCPs do not limit), and for each
the last attempt by a principal of an account in the entity's subtree, read from the
simulator's event log as the service last-accessed report of one account is
(:mod:`iamsim._simulator.last_accessed`). iamsim does not record a request's region, so
``Region`` is absent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from iamsim._arn import Arn
from iamsim._clock import from_iso8601, iso8601
from iamsim._policy.catalog import ServiceCatalog
from iamsim._simulator.events import Event
from iamsim._simulator.last_accessed import ATTEMPTS, TRACKING_PERIOD, allowed_services
from iamsim._store.account import AccountStore
from iamsim._store.org_access_reports import AccessDetail, OrganizationsAccessReport
from iamsim._store.organization import Organization, PolicyType
from iamsim.errors import InvalidInputError, NoSuchEntityError

__all__ = ["organizations_access_report"]


@dataclass(frozen=True, slots=True)
class _Scope:
    """What a report covers: the services its SCPs allow and the accounts whose attempts count."""

    services: frozenset[str]
    accounts: frozenset[str]


def _entity(org: Organization, entity_path: str) -> tuple[str, ...]:
    """The targets root..entity an entity path names (``InvalidInput`` unless it is a path of ``org``)."""
    parts = entity_path.removesuffix("/").split("/")
    invalid = InvalidInputError(f"The entity path {entity_path} does not name an entity of your organization.")
    if len(parts) < 2 or parts[0] != org.id or parts[1] != org.root_id:
        raise invalid
    ous = {ou.ou_id: ou for ou in org.organizational_units()}
    chain = [org.root_id]
    for part in parts[2:]:
        child_ou = part in ous and ous[part].parent_id == chain[-1]
        member = part.isdigit() and org.has_account(part) and org.path(part)[:-1] == tuple(chain)
        if not (child_ou or member):
            raise invalid
        chain.append(part)
    return tuple(chain)


def _allowed(store: AccountStore, documents: Iterable[str], catalog: ServiceCatalog) -> frozenset[str]:
    return frozenset(allowed_services(store, documents, catalog))


def _scope(
    store: AccountStore, org: Organization, chain: tuple[str, ...], policy_id: str | None, catalog: ServiceCatalog
) -> _Scope:
    entity = chain[-1]
    if entity == org.management_account:
        # SCPs do not limit the management account: every service, its own activity only, the policy ignored.
        return _Scope(frozenset(catalog.service_prefixes), frozenset({entity}))
    members = [a for a in org.accounts() if a != org.management_account and entity in org.path(a)]
    if policy_id is not None:
        try:
            policy = org.get_policy(policy_id)
        except NoSuchEntityError:
            raise InvalidInputError(f"The policy {policy_id} is not a policy of your organization.") from None
        if policy.type != PolicyType.SCP:
            raise InvalidInputError(f"The policy {policy_id} is not a service control policy.")
        applies = [a for a in members if any(policy in org.policies_for_target(t) for t in org.path(a))]
        return _Scope(_allowed(store, [policy.content], catalog), frozenset(applies))
    services: frozenset[str] | None = None
    for target in chain:
        scps = [p.content for p in org.policies_for_target(target) if p.type == PolicyType.SCP]
        level = _allowed(store, scps, catalog)
        services = level if services is None else services & level
    return _Scope(services or frozenset(), frozenset(members))


def _latest_attempts(events: Iterable[Event], scope: _Scope, since: str) -> dict[str, dict[str, Event]]:
    """Per service namespace, each account's latest attempt from ``since`` on."""
    latest: dict[str, dict[str, Event]] = {}
    for event in events:
        if event.outcome not in ATTEMPTS or event.time < since:
            continue
        actor = Arn.try_parse(event.actor)
        namespace = event.target.lower()
        if actor is None or actor.account not in scope.accounts or namespace not in scope.services:
            continue
        latest.setdefault(namespace, {})[actor.account] = event
    return latest


def organizations_access_report(
    store: AccountStore,
    org: Organization,
    events: Iterable[Event],
    entity_path: str,
    policy_id: str | None,
    job_id: str,
    now_text: str,
) -> OrganizationsAccessReport:
    """The report GenerateOrganizationsAccessReport makes for ``entity_path`` (and an SCP), from ``events``."""
    catalog = ServiceCatalog.load()
    chain = _entity(org, entity_path)
    scope = _scope(store, org, chain, policy_id, catalog)
    since = iso8601(from_iso8601(now_text) - TRACKING_PERIOD)
    attempts = _latest_attempts(events, scope, since)
    details: list[AccessDetail] = []
    for namespace in sorted(scope.services):
        service = catalog.service(namespace)
        name = service.name if service is not None else namespace
        by_account = attempts.get(namespace)
        if not by_account:
            details.append(AccessDetail(name, namespace))
            continue
        account, last = max(by_account.items(), key=lambda item: (item[1].time, item[1].seq))
        path = "/".join((org.id, *org.path(account)))
        details.append(AccessDetail(name, namespace, path, last.time, len(by_account)))
    return OrganizationsAccessReport(job_id, entity_path, policy_id, now_text, now_text, tuple(details))
