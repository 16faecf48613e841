"""Service last-accessed data derived from the event log: which services an entity may use, and when it tried (§H.8).

IAM's report lists every service the entity's permissions policies allow, with the
last attempt to use it (allowed or denied: IAM counts attempts) by the entity, or for
a group or a managed policy by any user or role it reaches. iamsim's event log holds
every request the simulator authorized, so the report is made from it when the job is
generated. The log is bounded (``Simulator(event_limit=...)``, 10,000 events by
default): activity older than the oldest kept event is not in the report, where IAM
reports at least 400 days. iamsim does not record a request's region, so
``LastAuthenticatedRegion`` is absent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from iamsim._arn import Arn, sts_arn
from iamsim._clock import from_iso8601, iso8601
from iamsim._policy.catalog import ServiceCatalog
from iamsim._policy.model import Effect, PolicyKind
from iamsim._simulator.events import Event
from iamsim._store.account import AccountStore
from iamsim._store.last_accessed import (
    EntityDetails,
    EntityInfo,
    LastAccessedJob,
    ServiceLastAccessed,
    TrackedActionLastAccessed,
)
from iamsim._store.records import Group, Role, User
from iamsim._store.validation import validation_error
from iamsim.errors import InvalidInputError, NoSuchEntityError

__all__ = [
    "ACTION_LEVEL_SERVICES",
    "ATTEMPTS",
    "TRACKING_PERIOD",
    "allowed_services",
    "granted_services",
    "last_accessed_job",
]

#: Services whose management actions IAM also tracks one by one (action-level granularity).
ACTION_LEVEL_SERVICES = frozenset({"ec2", "iam", "lambda", "s3"})
#: How far back IAM reports activity.
TRACKING_PERIOD = timedelta(days=400)
#: The outcomes IAM counts as an attempt to use a service: denied requests too.
ATTEMPTS = frozenset({"allowed", "explicitDeny", "implicitDeny"})


@dataclass(frozen=True, slots=True)
class _Entity:
    """A user or role whose requests count, and the prefix its calls are logged under."""

    info: EntityInfo
    #: The caller ARN of its requests (a user's ARN; a role's session ARNs begin with it).
    caller: str
    is_role: bool


def _user(user: User) -> _Entity:
    return _Entity(EntityInfo(user.arn, user.name, "USER", user.user_id, user.path), user.arn, False)


def _role(role: Role, partition: str, account: str) -> _Entity:
    sessions = sts_arn(partition, account, f"assumed-role/{role.name}/")
    return _Entity(EntityInfo(role.arn, role.name, "ROLE", role.role_id, role.path), sessions, True)


def _member_users(store: AccountStore, group: Group) -> list[User]:
    return [u for u in store.users.list_users() if group.name in u.groups]


def _subject(store: AccountStore, arn: str) -> tuple[list[_Entity], list[str]]:
    """The entities whose requests count for ``arn`` and the documents of the policies that grant."""
    parsed = Arn.try_parse(arn)
    if parsed is None or parsed.service != "iam" or parsed.account not in (store.account_id, "aws"):
        raise InvalidInputError(f"ARN {arn} is not valid.")
    name, kind = parsed.resource_name, parsed.resource_type
    if parsed.account == "aws" and kind != "policy":
        raise InvalidInputError(f"ARN {arn} is not valid.")
    policies = store.policies
    if kind == "user":
        user = store.users.get_user(name)
        groups = [store.groups.get_group(g) for g in user.groups]
        holders: list[User | Group | Role] = [user, *groups]
        entities = [_user(user)]
    elif kind == "role":
        role = store.roles.get_role(name)
        holders, entities = [role], [_role(role, store.partition, store.account_id)]
    elif kind == "group":
        group = store.groups.get_group(name)
        holders, entities = [group], [_user(u) for u in _member_users(store, group)]
    elif kind == "policy":
        return _policy_entities(store, arn), [policies.managed_policy_document(arn)[1]]
    else:
        raise InvalidInputError(f"ARN {arn} is not valid.")
    documents = [p.document for h in holders for p in h.inline_policies]
    documents += [policies.managed_policy_document(a)[1] for h in holders for a in h.attached_policies]
    return entities, documents


def _policy_entities(store: AccountStore, arn: str) -> list[_Entity]:
    users = {u.name: u for u in store.users.list_users() if arn in u.attached_policies}
    for group in store.groups.list_groups():
        if arn in group.attached_policies:
            users.update((u.name, u) for u in _member_users(store, group))
    roles = [r for r in store.roles.list_roles() if arn in r.attached_policies]
    return [*(_user(users[n]) for n in sorted(users)), *(_role(r, store.partition, store.account_id) for r in roles)]


def granted_services(store: AccountStore, document: str, catalog: ServiceCatalog) -> frozenset[str]:
    """The service namespaces a document's Allow statements name (every service for ``*`` or NotAction)."""
    every = frozenset(catalog.service_prefixes)
    found: set[str] = set()
    for statement in store.parsed(document, PolicyKind.IDENTITY, "policy", check_size=False).statements:
        if statement.effect is not Effect.ALLOW:
            continue
        if statement.action is None:
            return every
        for action in statement.action:
            prefix = action.partition(":")[0].lower()
            if "*" in prefix or "?" in prefix:
                return every
            if catalog.service(prefix) is not None:
                found.add(prefix)
    return frozenset(found)


def allowed_services(store: AccountStore, documents: Iterable[str], catalog: ServiceCatalog) -> list[str]:
    """The service namespaces any of the documents grants, sorted."""
    found: set[str] = set()
    for document in documents:
        found |= granted_services(store, document, catalog)
    return sorted(found)


def _attempts(events: Iterable[Event], entities: list[_Entity], since: str) -> dict[tuple[str, int], list[Event]]:
    """The events of each (service, entity index), oldest first, from ``since`` on."""
    found: dict[tuple[str, int], list[Event]] = {}
    for event in events:
        if event.outcome not in ATTEMPTS or event.time < since:
            continue
        for index, entity in enumerate(entities):
            if event.actor == entity.caller or (entity.is_role and event.actor.startswith(entity.caller)):
                found.setdefault((event.target.lower(), index), []).append(event)
                break
    return found


def last_accessed_job(
    store: AccountStore, events: Iterable[Event], arn: str, granularity: str | None, job_id: str, now_text: str
) -> LastAccessedJob:
    """The report GenerateServiceLastAccessedDetails makes for ``arn``, from ``events`` (§H.8)."""
    granularity = "SERVICE_LEVEL" if granularity is None else granularity
    if granularity not in ("SERVICE_LEVEL", "ACTION_LEVEL"):
        raise validation_error(
            granularity, "granularity", "Member must satisfy enum value set: [SERVICE_LEVEL, ACTION_LEVEL]"
        )
    try:
        entities, documents = _subject(store, arn)
    except NoSuchEntityError:
        raise NoSuchEntityError(f"The entity {arn} does not exist.") from None
    catalog = ServiceCatalog.load()
    since = iso8601(from_iso8601(now_text) - TRACKING_PERIOD)
    attempts = _attempts(events, entities, since)
    services: list[ServiceLastAccessed] = []
    details: list[EntityDetails] = []
    for namespace in allowed_services(store, documents, catalog):
        service = catalog.service(namespace)
        used = {i: attempts[(namespace, i)] for i in range(len(entities)) if (namespace, i) in attempts}
        for index, entity in enumerate(entities):
            last = used[index][-1].time if index in used else None
            details.append(EntityDetails(namespace, entity.info, last))
        tracked = None
        if granularity == "ACTION_LEVEL" and namespace in ACTION_LEVEL_SERVICES:
            tracked = _tracked_actions(used, entities)
        name = service.name if service is not None else namespace
        if not used:
            services.append(ServiceLastAccessed(name, namespace, tracked_actions_last_accessed=tracked))
            continue
        index = max(used, key=lambda i: (used[i][-1].time, used[i][-1].seq))
        latest = used[index][-1]
        services.append(ServiceLastAccessed(name, namespace, latest.time, entities[index].info.arn, len(used), tracked))
    return LastAccessedJob(job_id, arn, granularity, now_text, now_text, tuple(services), tuple(details))


def _tracked_actions(used: dict[int, list[Event]], entities: list[_Entity]) -> tuple[TrackedActionLastAccessed, ...]:
    latest: dict[str, tuple[Event, int]] = {}
    for index, events in used.items():
        for event in events:
            action = event.action.partition(":")[2]
            known = latest.get(action)
            if known is None or (event.time, event.seq) > (known[0].time, known[0].seq):
                latest[action] = (event, index)
    return tuple(
        TrackedActionLastAccessed(action, entities[index].info.arn, event.time)
        for action, (event, index) in sorted(latest.items())
    )
