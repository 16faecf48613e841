"""What one account holds, and the rules every family of the store shares (spec §H).

:class:`AccountData` is the one state object of an account; the families of
:class:`~iamsim._store.account.AccountStore` (users, groups, roles, policies,
keys and MFA devices, instance profiles, providers, settings) each hold it and
the store, never state of their own.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import Field, replace
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from iamsim._arn import Arn, iam_entity_arn
from iamsim._clock import Clock, iso8601
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._store.changes import ChangeCounter
from iamsim._store.ids import IdGenerator
from iamsim._store.messages import already_exists, delete_conflict, no_such_entity, quota
from iamsim._store.records import (
    AccessKey,
    AccountPreferences,
    CredentialReport,
    DeletionTask,
    Group,
    InstanceProfile,
    ManagedPolicy,
    MfaDevice,
    OidcProvider,
    PasswordPolicy,
    Role,
    SamlProvider,
    ServerCertificate,
    ServiceSpecificCredential,
    SigningCertificate,
    SshPublicKey,
    User,
)
from iamsim._store.trust import PrincipalResolver
from iamsim._store.validation import Tags, check_name, check_path, normalise_tags, tag_keys_to_drop
from iamsim.errors import NoSuchEntityError, ServiceError

if TYPE_CHECKING:
    from iamsim._store.account import AccountStore
    from iamsim._store.delegation_requests import DelegationPolicyTemplate, DelegationRequest
    from iamsim._store.last_accessed import LastAccessedJob
    from iamsim._store.org_access_reports import OrganizationsAccessReport
    from iamsim._store.workload_identity_outbound import OutboundFederationState
    from iamsim._store.workload_identity_providers import WorkloadIdentityDeletionTask, WorkloadIdentityProvider
    from iamsim._store.workload_identity_templates import WorkloadIdentityTemplate

__all__ = [
    "ACCOUNT_LIMITS",
    "ATTACH_LIMITS",
    "AWS_MANAGED_PREFIX",
    "INLINE_LIMITS",
    "MAX_VERSIONS",
    "AccountData",
    "Document",
    "Protections",
    "StoreFamily",
    "document_text",
    "find",
    "found",
    "under_path",
]

#: The protections AWS applies whatever the policies say: the error for ``(action, arn, name)``, or ``None``.
Protections = Callable[[str, str, str], ServiceError | None]


class _HasName(Protocol):
    @property
    def name(self) -> str: ...


class _HasPath(_HasName, Protocol):
    @property
    def path(self) -> str: ...


class _HasTags(Protocol):
    # A dataclass (``dataclasses.replace`` builds the retagged copy) that has tags.
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def tags(self) -> Tags: ...


_Named = TypeVar("_Named", bound=_HasName)
_Pathed = TypeVar("_Pathed", bound=_HasPath)
_Tagged = TypeVar("_Tagged", bound=_HasTags)
_Record = TypeVar("_Record")

#: A policy document as callers pass it: JSON text or an already decoded mapping.
Document = str | bytes | Mapping[str, Any]

AWS_MANAGED_PREFIX = ":iam::aws:policy/"

INLINE_LIMITS = {"user": 2048, "role": 10240, "group": 5120}
ATTACH_LIMITS = {"user": ("PoliciesPerUser", 10), "role": ("PoliciesPerRole", 10), "group": ("PoliciesPerGroup", 10)}
ACCOUNT_LIMITS = {
    "user": ("UsersPerAccount", 5000),
    "role": ("RolesPerAccount", 1000),
    "group": ("GroupsPerAccount", 300),
    "policy": ("PoliciesPerAccount", 1500),
    "instance-profile": ("InstanceProfilesPerAccount", 1000),
}
MAX_VERSIONS = 5


def document_text(document: Document) -> str:
    """The text IAM stores for a document (a mapping is serialised as compact-ish JSON)."""
    if isinstance(document, bytes):
        return document.decode("utf-8", errors="replace")
    if isinstance(document, str):
        return document
    return json.dumps(document)


class AccountData:
    """What one account holds, shared by the families of :class:`~iamsim._store.account.AccountStore`.

    Records live in dictionaries keyed by the lowercased name (names are unique per
    account case-insensitively), access keys by id, devices and providers by ARN.
    ``generation`` increases on every successful write so callers can cache what
    they derived from the store.
    """

    def __init__(
        self,
        account_id: str,
        *,
        ids: IdGenerator,
        clock: Clock,
        resolver: PrincipalResolver | None,
        partition: str,
        changes: ChangeCounter | None,
        protections: Protections | None,
    ) -> None:
        self.account_id = account_id
        self.partition = partition
        self.generation = 0
        #: AWS's protections (the world's standing rules); a store standing alone has none.
        self.protections = protections
        #: Shared with the other stores of the world (its own when the store stands alone).
        self.changes = changes if changes is not None else ChangeCounter()
        self.ids = ids
        self.clock = clock
        self.resolver: PrincipalResolver = resolver or self.resolve_own_principal
        self.users: dict[str, User] = {}
        self.groups: dict[str, Group] = {}
        self.roles: dict[str, Role] = {}
        self.policies: dict[str, ManagedPolicy] = {}
        self.profiles: dict[str, InstanceProfile] = {}
        self.keys: dict[str, AccessKey] = {}
        #: Ids of keys this store issued and no longer holds: they must never pass for unknown keys (§G.9).
        self.retired_keys: set[str] = set()
        self.mfa: dict[str, MfaDevice] = {}
        self.oidc: dict[str, OidcProvider] = {}
        self.saml: dict[str, SamlProvider] = {}
        self.password_policy: PasswordPolicy | None = None
        self.aliases: list[str] = []
        #: SetSecurityTokenServicePreferences' token version and PutAccountProperties' properties.
        self.preferences = AccountPreferences()
        #: DeleteServiceLinkedRole's tasks by id.
        self.deletion_tasks: dict[str, DeletionTask] = {}
        #: Server certificates by lowercased name; signing certificates by id.
        self.server_certificates: dict[str, ServerCertificate] = {}
        self.signing_certificates: dict[str, SigningCertificate] = {}
        #: SSH public keys and service-specific credentials by id.
        self.ssh_public_keys: dict[str, SshPublicKey] = {}
        self.service_credentials: dict[str, ServiceSpecificCredential] = {}
        #: When the account came to be (the root user's creation time in the credential report).
        self.created = iso8601(clock.now())
        #: The latest GenerateCredentialReport's report, if any.
        self.credential_report: CredentialReport | None = None
        #: GenerateServiceLastAccessedDetails' jobs by id.
        self.last_accessed_jobs: dict[str, LastAccessedJob] = {}
        #: GenerateOrganizationsAccessReport's jobs by id (in the management account).
        self.org_access_reports: dict[str, OrganizationsAccessReport] = {}
        #: Outbound web identity federation: issuer and signing keys, once enabled.
        self.outbound_federation: OutboundFederationState | None = None
        #: Workload identity providers and templates by ARN; provider deletion tasks by id.
        self.workload_providers: dict[str, WorkloadIdentityProvider] = {}
        self.workload_templates: dict[str, WorkloadIdentityTemplate] = {}
        self.workload_deletions: dict[str, WorkloadIdentityDeletionTask] = {}
        #: Delegation requests this (partner) account created, by id, and its registered policy templates by ARN.
        self.delegation_requests: dict[str, DelegationRequest] = {}
        self.delegation_templates: dict[str, DelegationPolicyTemplate] = {}
        self.parsed_cache: dict[tuple[PolicyKind, str, str], Policy] = {}

    def now(self) -> str:
        """The clock's time as a store date."""
        return iso8601(self.clock.now())

    def arn(self, kind: str, path: str, name: str) -> str:
        """The ARN of an IAM entity of this account."""
        return iam_entity_arn(self.partition, self.account_id, kind, path, name)

    def new_entity(self, kind: str, prefix: str, name: str, path: str) -> tuple[str, str, str, str, str]:
        """What every new IAM entity record begins with: its name, unique id, ARN, path and creation date."""
        return name, self.ids.unique_id(prefix), self.arn(kind, path, name), path, self.now()

    def guard(self, action: str, arn: str, name: str) -> None:
        """Refuse a change AWS never lets customers make, with AWS's error (the protections the world
        gives the store: the standing rules' table, AWS managed policies, IAM Identity Center roles)."""
        error = None if self.protections is None else self.protections(action, arn, name)
        if error is not None:
            raise error

    def bump(self) -> None:
        """Count a successful write (this store's generation and the world's)."""
        self.generation += 1
        self.changes.bump()

    def check_new(self, table: Mapping[str, object], kind: str, name: str) -> None:
        """Before a Create: ``EntityAlreadyExists`` when ``table`` holds ``name`` (IAM names ignore case),
        then ``LimitExceeded`` when it already holds the account's quota of ``kind``."""
        if name.lower() in table:
            raise already_exists(kind, name)
        self.check_account_quota(kind, len(table))

    def put(self, table: dict[str, _Record], key: str, record: _Record) -> _Record:
        """File ``record`` in ``table`` under ``key``, in place of what was there, and count the write."""
        table[key] = record
        self.bump()
        return record

    def add(self, table: dict[str, _Named], record: _Named) -> _Named:
        """File ``record`` in ``table`` under its lowercased name and count the write."""
        return self.put(table, record.name.lower(), record)

    def retag(
        self,
        table: dict[str, _Tagged],
        key: str,
        record: _Tagged,
        tags: Tags | Mapping[str, str],
        remove: Iterable[str],
    ) -> None:
        """A Tag or Untag operation: ``record`` filed again under ``key`` with ``tags`` merged in (checked, §H.2)
        and the keys in ``remove`` dropped, the write counted."""
        merged = normalise_tags(tags, record.tags)
        drop = tag_keys_to_drop(remove)
        self.put(table, key, replace(record, tags=tuple((k, v) for k, v in merged if k.lower() not in drop)))

    def remove(self, table: dict[str, _Named], record: _Named, held: Mapping[str, bool]) -> None:
        """A Delete: ``DeleteConflict`` for the first reason in ``held`` that holds (in IAM's order), else drop
        ``record`` from ``table`` and count the write (§H.5)."""
        for reason, holds in held.items():
            if holds:
                raise delete_conflict(reason)
        del table[record.name.lower()]
        self.bump()

    def rename_target(
        self,
        table: Mapping[str, _Pathed],
        current: _Pathed,
        kind: str,
        new_name: str | None,
        new_path: str | None,
        name_member: str,
        max_length: int,
    ) -> tuple[str, str]:
        """Before an Update that renames or moves ``current``: its new name and path, checked.

        Each defaults to the current one; ``EntityAlreadyExists`` when another
        record of ``table`` has the new name (IAM names ignore case).
        """
        target = current.name if new_name is None else check_name(new_name, name_member, max_length)
        path = current.path if new_path is None else check_path(new_path, "newPath")
        clash = table.get(target.lower())
        if clash is not None and clash is not current:
            raise already_exists(kind, target)
        return target, path

    def refile(self, table: dict[str, _Named], old_name: str, record: _Named) -> None:
        """Move ``record`` in ``table`` from ``old_name`` to its own (renamed) name."""
        del table[old_name.lower()]
        table[record.name.lower()] = record

    def check_account_quota(self, kind: str, current: int) -> None:
        """``LimitExceeded`` when the account already holds its quota of ``kind``."""
        name, limit = ACCOUNT_LIMITS[kind]
        if current >= limit:
            raise quota(name, limit)

    def parsed(self, document: str, kind: PolicyKind, name: str, *, check_size: bool = True) -> Policy:
        """Parse ``document`` as a policy of ``kind`` named ``name`` (cached by text)."""
        key = (kind, name, document)
        policy = self.parsed_cache.get(key)
        if policy is None:
            policy = parse_policy(document, kind, name=name, check_size=check_size)
            if len(self.parsed_cache) > 4096:
                self.parsed_cache.clear()
            self.parsed_cache[key] = policy
        return policy

    def resolve_own_principal(self, arn: str) -> str | None:
        """The unique id of the user or role ``arn`` names in this account (``None`` if absent)."""
        parsed = Arn.try_parse(arn)
        if parsed is None or parsed.account != self.account_id:
            return ""
        name = parsed.resource_name
        if parsed.resource.startswith("user/"):
            user = self.users.get(name.lower())
            return user.user_id if user is not None and user.arn == arn else None
        if parsed.resource.startswith("role/"):
            role = self.roles.get(name.lower())
            return role.role_id if role is not None and role.arn == arn else None
        return ""


def find(table: Mapping[str, _Named], kind: str, name: object) -> _Named:
    """The record ``table`` files under ``name`` (any case), else AWS's ``NoSuchEntity`` for ``kind``."""
    found = table.get(name.lower()) if isinstance(name, str) else None
    if found is None:
        raise no_such_entity(kind, str(name))
    return found


def found(table: Mapping[str, _Record], key: object, message: str) -> _Record:
    """The record ``table`` files under ``key`` (an id or ARN), else ``NoSuchEntity`` in AWS's ``message``
    (each kind words it its own way); a key that is not a string is never found."""
    record = table.get(key) if isinstance(key, str) else None
    if record is None:
        raise NoSuchEntityError(message)
    return record


def under_path(table: Mapping[str, _Pathed], path_prefix: str) -> tuple[_Pathed, ...]:
    """The records of ``table`` whose path starts with ``path_prefix``, sorted by name (the List operations)."""
    return tuple(sorted((r for r in table.values() if r.path.startswith(path_prefix)), key=lambda r: r.name.lower()))


class StoreFamily:
    """One family of an account's operations: the account's data and the store, for the other families."""

    def __init__(self, data: AccountData, store: AccountStore) -> None:
        self._data = data
        self._store = store
