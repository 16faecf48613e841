"""What an IAM operation acts on, read from its input members: the kind of resource it is authorized on.

``DeleteUser`` names a ``UserName``, so it is authorized on the user's ARN;
``AddUserToGroup`` names a group and a user and acts on the group; an operation
naming none of these (``ListUsers``, ``GetAccountSummary``) acts on the account
(resource ``*``). The members are tried in :data:`TARGET_MEMBERS` order; the two
operations whose members do not tell are in :data:`TARGET_OVERRIDES`.
"""

from __future__ import annotations

from iamsim._sts.caller import Caller, CallerKind
from iamsim._wire.convention import input_members
from iamsim.errors import InvalidInputError, InvalidUserTypeError

__all__ = ["TARGET_MEMBERS", "TARGET_OVERRIDES", "calling_user", "own_user", "target_kind"]

#: Input members naming what an operation acts on, in order of precedence, and the kind they name.
TARGET_MEMBERS: tuple[tuple[str, str], ...] = (
    ("InstanceProfileName", "profile"),
    ("GroupName", "group"),
    ("RoleName", "role"),
    ("UserName", "user"),
    ("PolicyArn", "policy"),
    ("PolicyName", "policy"),
    ("SerialNumber", "mfa"),
    ("VirtualMFADeviceName", "mfa"),
    ("OpenIDConnectProviderArn", "oidc"),
    ("Url", "oidc"),
    ("SAMLProviderArn", "saml"),
    # A template's operations name its provider too (ListWorkloadIdentityTemplates names only the provider).
    ("WorkloadIdentityTemplateArn", "workload-identity-template"),
    ("WorkloadIdentityProviderArn", "workload-identity-provider"),
    ("ServerCertificateName", "server-certificate"),
    ("AWSServiceName", "service-linked-role"),
    ("DeletionTaskId", "service-linked-role"),
    ("DelegationRequestId", "delegation-request"),
    ("PolicySourceArn", "source"),
    ("Arn", "named"),
    ("PolicyInputList", "custom"),
)

#: Operations whose members do not tell: GetMFADevice's optional UserName only checks the owner, a key's last
#: use belongs to the caller's own user, a new SAML provider is named by ``Name``, ChangePassword acts on the
#: signing user itself; a new workload identity provider or template is named by ``ProviderName`` or ``Name``,
#: and a provider's deletion task is no service-linked role's (the provider is gone: the account).
TARGET_OVERRIDES: dict[str, str] = {
    "GetMFADevice": "mfa",
    "GetAccessKeyLastUsed": "user",
    "CreateSAMLProvider": "saml",
    "ChangePassword": "self",
    "CreateWorkloadIdentityProvider": "workload-identity-provider",
    "CreateWorkloadIdentityTemplate": "workload-identity-template",
    "GetWorkloadIdentityProviderDeletionStatus": "account",
}


def target_kind(service: str, operation: str) -> str:
    """The kind of resource ``operation`` is authorized on (``"account"`` for ``*``)."""
    if operation in TARGET_OVERRIDES:
        return TARGET_OVERRIDES[operation]
    members = set(input_members(service, operation))
    return next((kind for member, kind in TARGET_MEMBERS if member in members), "account")


def own_user(caller: Caller, params: dict[str, object]) -> str | None:
    """The ``UserName`` of the request, else the calling user's (``None`` for root)."""
    name = params.get("UserName")
    if isinstance(name, str):
        return name
    if caller.kind in (CallerKind.USER, CallerKind.SESSION_TOKEN) and caller.entity_name is not None:
        return caller.entity_name
    if caller.principal.is_root:  # the root user, with its keys or in a root session (AssumeRoot)
        return None
    raise InvalidInputError("Must specify userName when calling with non-User credentials")


def calling_user(caller: Caller) -> str:
    """The IAM user who signed the request; ``InvalidUserType`` for root, roles and federated callers (§H.8)."""
    if caller.kind in (CallerKind.USER, CallerKind.SESSION_TOKEN) and caller.entity_name is not None:
        return caller.entity_name
    raise InvalidUserTypeError("Only IAM Users can change their own password.")
