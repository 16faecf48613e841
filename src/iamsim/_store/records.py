"""Frozen records of IAM entities, as one account stores them.

Records hold only plain values (strings, ints, tuples, nested records), so a
snapshot can write them as JSON and read them back unchanged. Policy
documents are kept as the text the caller gave; the store keeps their parsed
form in a cache beside the records. Dates are ISO 8601 UTC strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamsim._store.mfa_qr import otpauth_uri, qr_code_png
from iamsim._store.validation import Tags

__all__ = [
    "SNAPSHOT_RECORDS",
    "AccessKey",
    "CredentialReport",
    "DeletionTask",
    "Group",
    "InlinePolicy",
    "InstanceProfile",
    "LoginProfile",
    "ManagedPolicy",
    "MfaDevice",
    "OidcContextKeyDefinition",
    "OidcContextProvider",
    "OidcProvider",
    "PasswordPolicy",
    "PolicyVersion",
    "Role",
    "SamlProvider",
    "ServerCertificate",
    "ServiceSpecificCredential",
    "SigningCertificate",
    "SshPublicKey",
    "TrustBinding",
    "User",
]


@dataclass(frozen=True, slots=True)
class InlinePolicy:
    """An inline policy embedded in a user, group or role."""

    name: str
    document: str


@dataclass(frozen=True, slots=True)
class LoginProfile:
    """A user's console password: only its salted hash is kept, never the text."""

    create_date: str
    password_hash: str
    password_reset_required: bool = False
    #: When the password was last set (``None``: when the profile was created).
    password_last_changed: str | None = None
    #: Hashes of the passwords the user set before this one, newest first (PasswordReusePrevention).
    previous_hashes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class User:
    """An IAM user. ``groups`` and ``mfa_devices`` hold group names and MFA serial numbers."""

    name: str
    user_id: str
    arn: str
    path: str
    create_date: str
    tags: Tags = ()
    permissions_boundary: str | None = None
    inline_policies: tuple[InlinePolicy, ...] = ()
    attached_policies: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    mfa_devices: tuple[str, ...] = ()
    login_profile: LoginProfile | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """An IAM group (membership is recorded on the users)."""

    name: str
    group_id: str
    arn: str
    path: str
    create_date: str
    inline_policies: tuple[InlinePolicy, ...] = ()
    attached_policies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TrustBinding:
    """A user or role ARN named in a trust policy and the unique id it had when saved (§A.3)."""

    arn: str
    unique_id: str


@dataclass(frozen=True, slots=True)
class Role:
    """An IAM role with its trust policy (``trust_policy`` is the document text)."""

    name: str
    role_id: str
    arn: str
    path: str
    create_date: str
    trust_policy: str
    trust_bindings: tuple[TrustBinding, ...] = ()
    description: str = ""
    max_session_duration: int = 3600
    permissions_boundary: str | None = None
    tags: Tags = ()
    inline_policies: tuple[InlinePolicy, ...] = ()
    attached_policies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """One version of a customer managed policy (``v1``, ``v2``, ... never renumbered)."""

    version_id: str
    document: str
    create_date: str


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    """A customer managed policy with its versions (at most 5)."""

    name: str
    policy_id: str
    arn: str
    path: str
    create_date: str
    update_date: str
    default_version_id: str
    versions: tuple[PolicyVersion, ...]
    next_version: int = 2
    description: str = ""
    tags: Tags = ()

    @property
    def default_document(self) -> str:
        """The text of the default (operative) version."""
        for version in self.versions:
            if version.version_id == self.default_version_id:
                return version.document
        raise LookupError(self.default_version_id)  # unreachable: the store keeps the default present


@dataclass(frozen=True, slots=True)
class AccessKey:
    """A long-term access key of a user (``user_name`` ``None`` for the root user)."""

    access_key_id: str
    secret_access_key: str
    user_name: str | None
    status: str
    create_date: str


@dataclass(frozen=True, slots=True)
class InstanceProfile:
    """An EC2 instance profile; ``roles`` holds at most one role name (§H.5)."""

    name: str
    instance_profile_id: str
    arn: str
    path: str
    create_date: str
    roles: tuple[str, ...] = ()
    tags: Tags = ()


@dataclass(frozen=True, slots=True)
class MfaDevice:
    """A virtual MFA device: its serial (an ARN), its TOTP seed (base32) and its user once enabled."""

    serial_number: str
    seed_base32: str
    create_date: str
    user_name: str | None = None
    enable_date: str | None = None
    tags: Tags = ()

    @property
    def qr_code_png(self) -> bytes:
        """The PNG QR code of the device's otpauth URI, as CreateVirtualMFADevice returns it."""
        return qr_code_png(otpauth_uri(self.serial_number, self.seed_base32))


@dataclass(frozen=True, slots=True)
class OidcContextKeyDefinition:
    """One mapping of a trusted identity propagation context provider: an IdP key to a trusted context key."""

    source_key: str
    target_key: str | None = None


@dataclass(frozen=True, slots=True)
class OidcContextProvider:
    """The trusted identity propagation context provider set on an OIDC provider (§H.5).

    Named as botocore's ``ContextProvider`` members, so the wire renders it as it is.
    """

    subject_source_key: str
    key_definition_list: tuple[OidcContextKeyDefinition, ...] = ()
    subject_type_value: str | None = None
    subject_type_source_key: str | None = None


@dataclass(frozen=True, slots=True)
class OidcProvider:
    """An IAM OpenID Connect provider: issuer URL (without ``https://``), audiences, thumbprints.

    ``context_provider`` and ``identity_center_instance_arn`` are its trusted identity propagation
    configuration (CreateOpenIDConnectProvider, UpdateOpenIDConnectProvider; §H.5).
    """

    arn: str
    url: str
    client_ids: tuple[str, ...]
    thumbprints: tuple[str, ...]
    create_date: str
    tags: Tags = ()
    context_provider: OidcContextProvider | None = None
    identity_center_instance_arn: str | None = None


@dataclass(frozen=True, slots=True)
class SamlProvider:
    """An IAM SAML identity provider: its name (the ARN's last part) and metadata document as uploaded."""

    arn: str
    name: str
    metadata_document: str
    create_date: str
    valid_until: str
    tags: Tags = ()


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """The account password policy (IAM's defaults where a member was not given)."""

    minimum_password_length: int = 6
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase_characters: bool = False
    require_lowercase_characters: bool = False
    allow_users_to_change_password: bool = False
    max_password_age: int | None = None
    password_reuse_prevention: int | None = None
    hard_expiry: bool | None = None

    @property
    def expire_passwords(self) -> bool:
        """Whether passwords expire: they do when the policy gives them a maximum age."""
        return self.max_password_age is not None


@dataclass(frozen=True, slots=True)
class DeletionTask:
    """A DeleteServiceLinkedRole task: its id (``task/aws-service-role/<service>/<role>/<uuid>``) and status."""

    deletion_task_id: str
    status: str


@dataclass(frozen=True, slots=True)
class ServerCertificate:
    """An uploaded server certificate: its PEM body and chain, never its private key (IAM returns none)."""

    name: str
    server_certificate_id: str
    arn: str
    path: str
    upload_date: str
    #: The certificate's ``notAfter``, as a store date.
    expiration: str
    certificate_body: str
    certificate_chain: str | None = None
    tags: Tags = ()

    @property
    def server_certificate_metadata(self) -> ServerCertificate:
        """The certificate itself: AWS's ``ServerCertificateMetadata`` is its name, id, path and dates."""
        return self


@dataclass(frozen=True, slots=True)
class SigningCertificate:
    """An X.509 signing certificate of a user (``user_name`` ``None``: the account's root user)."""

    user_name: str | None
    certificate_id: str
    certificate_body: str
    status: str
    upload_date: str


@dataclass(frozen=True, slots=True)
class SshPublicKey:
    """An SSH public key of a user (CodeCommit's SSH access), kept in its ``ssh-rsa`` form."""

    user_name: str
    ssh_public_key_id: str
    #: MD5 of the key's SSH wire encoding, colon-separated hex.
    fingerprint: str
    ssh_public_key_body: str
    status: str
    upload_date: str


@dataclass(frozen=True, slots=True)
class ServiceSpecificCredential:
    """A user's credential for one service: a user name and password, or an API key's alias and secret.

    The store keeps neither the password nor the secret: only the answers of Create and Reset carry them.
    """

    user_name: str
    service_specific_credential_id: str
    service_name: str
    create_date: str
    status: str
    service_user_name: str | None = None
    service_password: str | None = None
    service_credential_alias: str | None = None
    service_credential_secret: str | None = None
    expiration_date: str | None = None


@dataclass(frozen=True, slots=True)
class CredentialReport:
    """The account's credential report as GenerateCredentialReport made it: when, and the CSV text."""

    generated_time: str
    content: str
    report_format: str = "text/csv"


@dataclass(frozen=True, slots=True)
class AccountPreferences:
    """The account's STS token preference and its IAM account properties (``Namespace/Name`` pairs)."""

    global_endpoint_token_version: str = "v1Token"
    properties: tuple[tuple[str, str], ...] = ()


#: The record type of each list of records in an account store's snapshot state
#: (``AccountStore.state()``'s keys), for rebuilding them from JSON.
SNAPSHOT_RECORDS: dict[str, type] = {
    "users": User,
    "groups": Group,
    "roles": Role,
    "policies": ManagedPolicy,
    "instance_profiles": InstanceProfile,
    "access_keys": AccessKey,
    "mfa_devices": MfaDevice,
    "oidc_providers": OidcProvider,
    "saml_providers": SamlProvider,
    "password_policy": PasswordPolicy,
    "deletion_tasks": DeletionTask,
    "server_certificates": ServerCertificate,
    "signing_certificates": SigningCertificate,
    "ssh_public_keys": SshPublicKey,
    "service_specific_credentials": ServiceSpecificCredential,
    "credential_reports": CredentialReport,
    "preferences": AccountPreferences,
}
