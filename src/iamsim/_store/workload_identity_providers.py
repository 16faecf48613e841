"""IAM workload identity providers of one account: create, read, delete, resource policy, tags (§H.10).

A provider is the issuer and trust boundary of the workload identifiers minted
under it. IAM makes its JWT outbound signers with it; iamsim makes one, an
ES384 key on the P-384 curve (the ``KeyAlgorithm`` AWS's reference names as its
example), real and kept with the account, so the trust bundle STS publishes for
the provider (GetTrustBundles) holds a key that verifies. X.509 signers are AWS
Private CA certificate authorities, which iamsim does not emulate: a provider's
X.509 list is always empty. Deletion is immediate; its task id reads
``SUCCEEDED`` for 24 hours (the API reference's expiry).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from iamsim._clock import from_iso8601
from iamsim._policy.model import PolicyKind
from iamsim._store.account_data import Document, StoreFamily, document_text, found
from iamsim._store.validation import Tags, check_length, check_pattern, normalise_tags, validation_error
from iamsim.errors import DeleteConflictError, EntityAlreadyExistsError, InvalidInputError, NoSuchEntityError

__all__ = [
    "JwtSignerConfiguration",
    "OutboundSigners",
    "WorkloadIdentityDeletionTask",
    "WorkloadIdentityJwtSigner",
    "WorkloadIdentityProvider",
    "WorkloadIdentityProviders",
    "WorkloadIdentityResourcePolicy",
    "WorkloadIdentitySignerSummary",
    "check_choice",
    "check_tags",
]

_NAME_RE = re.compile(r"[A-Za-z0-9_.-]+")
_DOMAIN_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?){0,31}")
_DESCRIPTION_RE = re.compile(r"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*")
_SCOPES = ("ACCOUNT", "ORGANIZATION")
_SCHEMES = ("NONE", "SPIFFE")
#: How long DeleteWorkloadIdentityProvider's task id can be read (the API reference: it "expires 24 hours after").
_TASK_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class JwtSignerConfiguration:
    """A JWT signer's key: its algorithm (``ECC_NIST_P384``)."""

    key_algorithm: str


@dataclass(frozen=True, slots=True)
class WorkloadIdentityJwtSigner:
    """One JWT outbound signer IAM made with its provider; its private key stays in the store."""

    signing_algorithm: str
    configuration: JwtSignerConfiguration
    start_signing_time: str
    key_id: str
    key_pem: str


@dataclass(frozen=True, slots=True)
class OutboundSigners:
    """A provider's signing material as Create/GetWorkloadIdentityProvider report it."""

    x509: tuple[object, ...]
    jwt: tuple[WorkloadIdentityJwtSigner, ...]
    oidc_issuer_uri: str
    bundle_endpoint_url: str


@dataclass(frozen=True, slots=True)
class _SignerDetail:
    jwt: JwtSignerConfiguration


@dataclass(frozen=True, slots=True)
class WorkloadIdentitySignerSummary:
    """One entry of ListWorkloadIdentityProviderOutboundSigners."""

    signer_type: str
    configuration: _SignerDetail
    signing_algorithm: str
    start_signing_time: str


@dataclass(frozen=True, slots=True)
class WorkloadIdentityProvider:
    """A workload identity provider as the store keeps it."""

    arn: str
    provider_name: str
    provider_id: str
    resource_scope: str
    scheme: str
    create_date: str
    issuer: str
    description: str | None = None
    workload_identity_domain: str | None = None
    jwt_signers: tuple[WorkloadIdentityJwtSigner, ...] = ()
    resource_policy: str | None = None
    tags: Tags = ()

    @property
    def outbound_signers(self) -> OutboundSigners:
        """The signers and the publishing endpoints (the X.509 list is empty: no AWS Private CA here)."""
        return OutboundSigners((), self.jwt_signers, self.issuer, f"{self.issuer}/bundle")


@dataclass(frozen=True, slots=True)
class WorkloadIdentityResourcePolicy:
    """GetWorkloadIdentityProviderResourcePolicy's answer."""

    arn: str
    document: str


@dataclass(frozen=True, slots=True)
class WorkloadIdentityDeletionTask:
    """A DeleteWorkloadIdentityProvider's task, readable until it expires."""

    deletion_task_id: str
    workload_identity_provider_arn: str
    status: str
    created: str


def check_choice(value: object, member: str, choices: tuple[str, ...]) -> str:
    """``value`` when it is one of the enumeration ``choices``, else AWS's ``ValidationError``."""
    if value not in choices:
        raise validation_error(value, member, f"Member must satisfy enum value set: [{', '.join(choices)}]")
    return str(value)


def check_tags(tags: Tags | Mapping[str, str] | None, existing: Tags = ()) -> Tags:
    """The tags merged over ``existing`` (§H.2), refusing keys in the reserved ``aws:`` namespace as the model says."""
    merged = normalise_tags(tags, existing)
    reserved = [k for k, _ in merged if k.lower().startswith("aws:")]
    if reserved:
        raise InvalidInputError(f"Tag keys beginning with 'aws:' are reserved for AWS use: {reserved[0]}")
    return merged


class WorkloadIdentityProviders(StoreFamily):
    """The workload identity providers of one account."""

    def create_workload_identity_provider(
        self,
        provider_name: str,
        scheme: str,
        *,
        description: str | None = None,
        workload_identity_domain: str | None = None,
        resource_scope: str | None = None,
        tags: Tags | Mapping[str, str] | None = None,
    ) -> WorkloadIdentityProvider:
        """CreateWorkloadIdentityProvider: SPIFFE needs a domain and NONE forbids one; names are unique."""
        check_length(provider_name, "providerName", 1, 128)
        check_pattern(provider_name, "providerName", "^[A-Za-z0-9_.-]+$", _NAME_RE)
        check_choice(scheme, "scheme", _SCHEMES)
        scope = check_choice(resource_scope or "ACCOUNT", "resourceScope", _SCOPES)
        if scope == "ORGANIZATION":
            raise InvalidInputError(
                "ResourceScope ORGANIZATION is not supported by iamsim: create the provider in the account."
            )
        if description is not None:
            check_length(description, "description", 0, 255)
            check_pattern(description, "description", _DESCRIPTION_RE.pattern, _DESCRIPTION_RE)
        if workload_identity_domain is not None:
            check_length(workload_identity_domain, "workloadIdentityDomain", 1, 64)
            check_pattern(workload_identity_domain, "workloadIdentityDomain", _DOMAIN_RE.pattern, _DOMAIN_RE)
        if scheme == "SPIFFE" and workload_identity_domain is None:
            raise InvalidInputError("WorkloadIdentityDomain is required when Scheme is SPIFFE.")
        if scheme == "NONE" and workload_identity_domain is not None:
            raise InvalidInputError("WorkloadIdentityDomain must not be specified when Scheme is NONE.")
        tag_list = check_tags(tags)
        if any(p.provider_name.lower() == provider_name.lower() for p in self._data.workload_providers.values()):
            raise EntityAlreadyExistsError(f"Workload identity provider with name {provider_name} already exists.")
        now = self._data.now()
        key = ec.generate_private_key(ec.SECP384R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")
        signer = WorkloadIdentityJwtSigner("ES384", JwtSignerConfiguration("ECC_NIST_P384"), now, self._ids(), pem)
        provider = WorkloadIdentityProvider(
            arn=self._data.arn("workload-identity-provider", "/", provider_name),
            provider_name=provider_name,
            provider_id=self._data.ids.unique_id("AWPA"),
            resource_scope=scope,
            scheme=scheme,
            create_date=now,
            issuer=f"https://{self._ids()}.workload-identity.iam.global.api.aws",
            description=description,
            workload_identity_domain=workload_identity_domain,
            jwt_signers=(signer,),
            tags=tag_list,
        )
        return self._data.put(self._data.workload_providers, provider.arn, provider)

    def _ids(self) -> str:
        return self._data.ids.uuid4()

    def get_workload_identity_provider(self, workload_identity_provider_arn: str) -> WorkloadIdentityProvider:
        """GetWorkloadIdentityProvider (``NoSuchEntity`` for an ARN the account does not hold)."""
        return found(
            self._data.workload_providers,
            workload_identity_provider_arn,
            f"The workload identity provider with ARN {workload_identity_provider_arn} cannot be found.",
        )

    def list_workload_identity_providers(
        self, resource_scope: str | None = None
    ) -> tuple[WorkloadIdentityProvider, ...]:
        """ListWorkloadIdentityProviders of one scope, by name (an account holds no organization's)."""
        scope = check_choice(resource_scope or "ACCOUNT", "resourceScope", _SCOPES)
        providers = (p for p in self._data.workload_providers.values() if p.resource_scope == scope)
        return tuple(sorted(providers, key=lambda p: p.provider_name.lower()))

    def list_workload_identity_provider_outbound_signers(
        self, workload_identity_provider_arn: str
    ) -> tuple[WorkloadIdentitySignerSummary, ...]:
        """ListWorkloadIdentityProviderOutboundSigners: every signer of the provider (its JWT signers here)."""
        provider = self.get_workload_identity_provider(workload_identity_provider_arn)
        return tuple(
            WorkloadIdentitySignerSummary(
                "JWT", _SignerDetail(s.configuration), s.signing_algorithm, s.start_signing_time
            )
            for s in provider.jwt_signers
        )

    def delete_workload_identity_provider(self, workload_identity_provider_arn: str) -> str:
        """DeleteWorkloadIdentityProvider: ``DeleteConflict`` while a template references it; the task id."""
        provider = self.get_workload_identity_provider(workload_identity_provider_arn)
        if any(t.workload_identity_provider_arn == provider.arn for t in self._data.workload_templates.values()):
            raise DeleteConflictError(
                "Cannot delete a workload identity provider that workload identity templates reference: "
                "delete its templates first."
            )
        task = WorkloadIdentityDeletionTask(self._ids(), provider.arn, "SUCCEEDED", self._data.now())
        self._prune_tasks()
        del self._data.workload_providers[provider.arn]
        self._data.put(self._data.workload_deletions, task.deletion_task_id, task)
        return task.deletion_task_id

    def _prune_tasks(self) -> None:
        now = self._data.clock.now()
        expired = [
            k for k, t in self._data.workload_deletions.items() if from_iso8601(t.created) + _TASK_LIFETIME <= now
        ]
        for key in expired:
            del self._data.workload_deletions[key]

    def get_workload_identity_provider_deletion_status(self, deletion_task_id: str) -> WorkloadIdentityDeletionTask:
        """GetWorkloadIdentityProviderDeletionStatus: only the deleting account, only for 24 hours."""
        check_length(deletion_task_id, "deletionTaskId", 1, 1000)
        task = self._data.workload_deletions.get(deletion_task_id)
        if task is None or from_iso8601(task.created) + _TASK_LIFETIME <= self._data.clock.now():
            raise NoSuchEntityError(f"Deletion task {deletion_task_id} cannot be found.")
        return task

    def put_workload_identity_provider_resource_policy(
        self, workload_identity_provider_arn: str, policy_document: Document
    ) -> None:
        """PutWorkloadIdentityProviderResourcePolicy: a resource-based policy, attached or replacing the one there."""
        provider = self.get_workload_identity_provider(workload_identity_provider_arn)
        text = document_text(policy_document)
        self._data.parsed(text, PolicyKind.RESOURCE, f"{provider.provider_name} resource policy")
        self._data.put(self._data.workload_providers, provider.arn, replace(provider, resource_policy=text))

    def get_workload_identity_provider_resource_policy(
        self, workload_identity_provider_arn: str
    ) -> WorkloadIdentityResourcePolicy:
        """GetWorkloadIdentityProviderResourcePolicy: ``NoSuchEntity`` also when the provider holds none."""
        provider = self.get_workload_identity_provider(workload_identity_provider_arn)
        if provider.resource_policy is None:
            raise NoSuchEntityError(f"The workload identity provider with ARN {provider.arn} has no resource policy.")
        return WorkloadIdentityResourcePolicy(provider.arn, provider.resource_policy)

    def delete_workload_identity_provider_resource_policy(self, workload_identity_provider_arn: str) -> None:
        """DeleteWorkloadIdentityProviderResourcePolicy: ``NoSuchEntity`` when there is none to remove."""
        provider = self.get_workload_identity_provider_resource_policy(workload_identity_provider_arn)
        self._data.workload_providers[provider.arn] = replace(
            self._data.workload_providers[provider.arn], resource_policy=None
        )
        self._data.bump()

    def tag_workload_identity_provider(
        self, arn: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()
    ) -> None:
        """TagWorkloadIdentityProvider / UntagWorkloadIdentityProvider."""
        provider = self.get_workload_identity_provider(arn)
        # Merged and checked for reserved keys first; merging them again over the same tags changes nothing.
        self._data.retag(self._data.workload_providers, arn, provider, check_tags(tags, provider.tags), remove)

    def signing_keys(self, arn: str) -> tuple[tuple[str, ec.EllipticCurvePublicKey], ...]:
        """The public keys of the provider's JWT signers, by key id (what its trust bundle publishes)."""
        keys = []
        for signer in self.get_workload_identity_provider(arn).jwt_signers:
            private = serialization.load_pem_private_key(signer.key_pem.encode("ascii"), password=None)
            if isinstance(private, ec.EllipticCurvePrivateKey):
                keys.append((signer.key_id, private.public_key()))
        return tuple(keys)
