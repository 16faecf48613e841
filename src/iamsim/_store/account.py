"""One account's IAM entities, kept consistent on every write (spec §H).

Every mutating method validates everything first and changes state only
after all checks passed, so a failed call changes nothing. Names are unique
per account case-insensitively; records are frozen and replaced on update.
``generation`` increases on every successful write so callers can cache what
they derived from the store.

:class:`AccountStore` is the account: one :class:`~.account_data.AccountData`
(what the account holds) and the families of operations over it, one module
each: ``store.users``, ``store.groups``, ``store.roles``, ``store.policies``
(and ``store.policy_usage``, the policies as IAM describes them),
``store.keys`` (access keys and MFA devices), ``store.instance_profiles``,
``store.providers`` (OIDC and SAML), ``store.settings``,
``store.service_linked_roles``, ``store.server_certificates``,
``store.signing_certificates``, ``store.ssh_public_keys``,
``store.service_credentials``, ``store.credential_reports``, ``store.last_accessed``, ``store.org_access_reports``,
``store.outbound_federation``, ``store.workload_providers``, ``store.workload_templates`` and
``store.delegation_requests``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._clock import Clock
from iamsim._policy.model import Policy, PolicyKind
from iamsim._store.account_data import AWS_MANAGED_PREFIX, AccountData, Document, Protections, document_text
from iamsim._store.certificates import ServerCertificates, SigningCertificates
from iamsim._store.changes import ChangeCounter
from iamsim._store.credential_report import CredentialReports
from iamsim._store.delegation_requests import DelegationRequests
from iamsim._store.groups import Groups
from iamsim._store.ids import IdGenerator
from iamsim._store.instance_profiles import InstanceProfiles
from iamsim._store.keys import Keys
from iamsim._store.last_accessed import LastAccessedJobs
from iamsim._store.org_access_reports import OrganizationsAccessReports
from iamsim._store.policies import Policies
from iamsim._store.policy_usage import PolicyUsage
from iamsim._store.preferences import Preferences
from iamsim._store.providers import Providers
from iamsim._store.records import AccountPreferences
from iamsim._store.roles import Roles
from iamsim._store.service_credentials import ServiceCredentials
from iamsim._store.service_linked import ServiceLinkedRoles
from iamsim._store.settings import Settings
from iamsim._store.ssh_keys import SshPublicKeys
from iamsim._store.trust import PrincipalResolver
from iamsim._store.users import Users
from iamsim._store.workload_identity_outbound import OutboundWebIdentityFederation
from iamsim._store.workload_identity_providers import WorkloadIdentityProviders
from iamsim._store.workload_identity_templates import WorkloadIdentityTemplates

__all__ = ["AWS_MANAGED_PREFIX", "AccountStore", "Document", "Protections", "document_text"]


class AccountStore:
    """The IAM entities of one account, as families of operations over one :class:`AccountData`."""

    def __init__(
        self,
        account_id: str,
        *,
        ids: IdGenerator,
        clock: Clock,
        resolver: PrincipalResolver | None = None,
        partition: str = "aws",
        changes: ChangeCounter | None = None,
        protections: Protections | None = None,
    ) -> None:
        self._data = AccountData(
            account_id,
            ids=ids,
            clock=clock,
            resolver=resolver,
            partition=partition,
            changes=changes,
            protections=protections,
        )
        self.account_id = account_id
        self.partition = partition
        #: Users, their console passwords and renames.
        self.users = Users(self._data, self)
        #: Groups and their members.
        self.groups = Groups(self._data, self)
        #: Roles and their trust policies.
        self.roles = Roles(self._data, self)
        #: Inline and managed policies, versions and attachments.
        self.policies = Policies(self._data, self)
        #: Managed policies as IAM describes them: with their use in the account and the default version.
        self.policy_usage = PolicyUsage(self._data, self)
        #: Access keys and virtual MFA devices.
        self.keys = Keys(self._data, self)
        #: Instance profiles.
        self.instance_profiles = InstanceProfiles(self._data, self)
        #: OIDC and SAML identity providers.
        self.providers = Providers(self._data, self)
        #: Aliases, the password policy and the account summary.
        self.settings = Settings(self._data, self)
        #: Service-linked roles and the tasks that deleted them.
        self.service_linked_roles = ServiceLinkedRoles(self._data, self)
        #: Server certificates of the account.
        self.server_certificates = ServerCertificates(self._data, self)
        #: X.509 signing certificates of users and the root user.
        self.signing_certificates = SigningCertificates(self._data, self)
        #: Users' SSH public keys.
        self.ssh_public_keys = SshPublicKeys(self._data, self)
        #: Users' service-specific credentials.
        self.service_credentials = ServiceCredentials(self._data, self)
        #: The account's credential report.
        self.credential_reports = CredentialReports(self._data, self)
        #: Service last-accessed jobs.
        self.last_accessed = LastAccessedJobs(self._data, self)
        #: Organizations access report jobs (the management account's).
        self.org_access_reports = OrganizationsAccessReports(self._data, self)
        #: Outbound web identity federation (the issuer of GetWebIdentityToken's JWTs).
        self.outbound_federation = OutboundWebIdentityFederation(self._data, self)
        #: Delegation requests this account created as a partner, and its policy templates.
        self.delegation_requests = DelegationRequests(self._data, self)
        #: SetSecurityTokenServicePreferences and the account properties.
        self.preferences = Preferences(self._data, self)
        #: Workload identity providers (with their JWT signers) and templates (with attestation policies).
        self.workload_providers = WorkloadIdentityProviders(self._data, self)
        self.workload_templates = WorkloadIdentityTemplates(self._data, self)

    @property
    def generation(self) -> int:
        """Increases on every successful write."""
        return self._data.generation

    def set_resolver(self, resolver: PrincipalResolver) -> None:
        """Use ``resolver`` to check trust-policy principals (the simulator's, spanning accounts)."""
        self._data.resolver = resolver

    def parsed(self, document: str, kind: PolicyKind, name: str, *, check_size: bool = True) -> Policy:
        """Parse ``document`` as a policy of ``kind`` named ``name`` (cached by text)."""
        return self._data.parsed(document, kind, name, check_size=check_size)

    def resolve_own_principal(self, arn: str) -> str | None:
        """The unique id of the user or role ``arn`` names in this account (``None`` if absent)."""
        return self._data.resolve_own_principal(arn)

    # ----------------------------------------------------------------- snapshot
    def state(self) -> dict[str, Any]:
        """Every record of the account, in a stable order (for snapshots)."""
        return {
            "account_id": self.account_id,
            "partition": self.partition,
            "generation": self._data.generation,
            "created": self._data.created,
            "users": [self._data.users[k] for k in sorted(self._data.users)],
            "groups": [self._data.groups[k] for k in sorted(self._data.groups)],
            "roles": [self._data.roles[k] for k in sorted(self._data.roles)],
            "policies": [self._data.policies[k] for k in sorted(self._data.policies)],
            "instance_profiles": [self._data.profiles[k] for k in sorted(self._data.profiles)],
            "access_keys": [self._data.keys[k] for k in sorted(self._data.keys)],
            "mfa_devices": [self._data.mfa[k] for k in sorted(self._data.mfa)],
            "oidc_providers": [self._data.oidc[k] for k in sorted(self._data.oidc)],
            "saml_providers": [self._data.saml[k] for k in sorted(self._data.saml)],
            "password_policy": [] if self._data.password_policy is None else [self._data.password_policy],
            "aliases": list(self._data.aliases),
            "preferences": [self._data.preferences],
            "deletion_tasks": [self._data.deletion_tasks[k] for k in sorted(self._data.deletion_tasks)],
            "server_certificates": [self._data.server_certificates[k] for k in sorted(self._data.server_certificates)],
            # Signing certificates in upload order: ListSigningCertificates answers in it.
            "signing_certificates": list(self._data.signing_certificates.values()),
            "ssh_public_keys": list(self._data.ssh_public_keys.values()),
            "service_specific_credentials": list(self._data.service_credentials.values()),
            # Deleted keys stay refused after a restore, even where unknown keys may act as root (§G.9).
            "retired_access_keys": sorted(self._data.retired_keys),
            "credential_reports": [] if self._data.credential_report is None else [self._data.credential_report],
            "last_accessed_jobs": list(self._data.last_accessed_jobs.values()),
            "org_access_reports": list(self._data.org_access_reports.values()),
            "outbound_federation": [] if self._data.outbound_federation is None else [self._data.outbound_federation],
            "workload_identity_providers": [
                self._data.workload_providers[k] for k in sorted(self._data.workload_providers)
            ],
            "workload_identity_templates": [
                self._data.workload_templates[k] for k in sorted(self._data.workload_templates)
            ],
            "workload_identity_deletions": list(self._data.workload_deletions.values()),
            "delegation_requests": list(self._data.delegation_requests.values()),
            "delegation_templates": [
                self._data.delegation_templates[k] for k in sorted(self._data.delegation_templates)
            ],
        }

    def load_state(self, state: Mapping[str, Any]) -> None:
        """Replace every record with those of ``state`` (decoded records, as :meth:`state` returns)."""
        self._data.generation = int(state["generation"])
        self._data.changes.bump()
        self._data.users = {u.name.lower(): u for u in state["users"]}
        self._data.groups = {g.name.lower(): g for g in state["groups"]}
        self._data.roles = {r.name.lower(): r for r in state["roles"]}
        self._data.policies = {p.name.lower(): p for p in state["policies"]}
        self._data.profiles = {p.name.lower(): p for p in state["instance_profiles"]}
        keys = {k.access_key_id: k for k in state["access_keys"]}
        self._data.retired_keys.update(state.get("retired_access_keys", ()))
        self._data.retired_keys.update(self._data.keys.keys() - keys.keys())
        self._data.retired_keys.difference_update(keys)
        self._data.keys = keys
        self._data.mfa = {m.serial_number: m for m in state["mfa_devices"]}
        self._data.oidc = {o.arn: o for o in state["oidc_providers"]}
        self._data.saml = {p.arn: p for p in state.get("saml_providers", ())}
        policies = list(state.get("password_policy", ()))
        self._data.password_policy = policies[0] if policies else None
        self._data.aliases = list(state["aliases"])
        preferences = list(state.get("preferences", ()))
        self._data.preferences = preferences[0] if preferences else AccountPreferences()
        self._data.deletion_tasks = {t.deletion_task_id: t for t in state.get("deletion_tasks", ())}
        self._data.server_certificates = {c.name.lower(): c for c in state.get("server_certificates", ())}
        self._data.signing_certificates = {c.certificate_id: c for c in state.get("signing_certificates", ())}
        self._data.ssh_public_keys = {k.ssh_public_key_id: k for k in state.get("ssh_public_keys", ())}
        self._data.service_credentials = {
            c.service_specific_credential_id: c for c in state.get("service_specific_credentials", ())
        }
        self._data.created = str(state.get("created", self._data.created))
        reports = list(state.get("credential_reports", ()))
        self._data.credential_report = reports[0] if reports else None
        self._data.last_accessed_jobs = {j.job_id: j for j in state.get("last_accessed_jobs", ())}
        self._data.org_access_reports = {j.job_id: j for j in state.get("org_access_reports", ())}
        outbound = list(state.get("outbound_federation", ()))
        self._data.outbound_federation = outbound[0] if outbound else None
        self._data.workload_providers = {p.arn: p for p in state.get("workload_identity_providers", ())}
        self._data.workload_templates = {t.arn: t for t in state.get("workload_identity_templates", ())}
        self._data.workload_deletions = {t.deletion_task_id: t for t in state.get("workload_identity_deletions", ())}
        self._data.delegation_requests = {r.delegation_request_id: r for r in state.get("delegation_requests", ())}
        self._data.delegation_templates = {t.arn: t for t in state.get("delegation_templates", ())}
        self._data.parsed_cache.clear()
