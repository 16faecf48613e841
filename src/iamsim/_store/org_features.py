"""What an organization has granted IAM: trusted access, IAM's delegated administrator, IAM's features (§H.9).

AWS Organizations lets a service act across the organization once the management account enables
the service's *trusted access* (EnableAWSServiceAccess with its service principal) and, optionally,
registers a member account as the service's *delegated administrator*. IAM uses both for
centralized root access (``RootCredentialsManagement``, ``RootSessions``) and organization-level
resources (``OrganizationIamResources``). :class:`OrganizationAccess` holds that state inside the
:class:`~iamsim._store.organization.Organization` (so snapshots carry it), and :func:`iam_caller`
is the one check every IAM organization operation makes of its caller's account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from iamsim.errors import (
    AccountNotManagementOrDelegatedAdministratorError,
    CallerIsNotManagementAccountError,
    EntityAlreadyExistsError,
    InvalidInputError,
    NoSuchEntityError,
    OrganizationNotFoundError,
    ServiceAccessNotEnabledError,
)

if TYPE_CHECKING:
    from iamsim._store.organization import Organization

__all__ = [
    "IAM_SERVICE_PRINCIPAL",
    "ORGANIZATION_IAM_RESOURCES",
    "ROOT_CREDENTIALS_MANAGEMENT",
    "ROOT_SESSIONS",
    "AccessState",
    "OrganizationAccess",
    "OrganizationFeatures",
    "iam_caller",
]

IAM_SERVICE_PRINCIPAL = "iam.amazonaws.com"
ROOT_CREDENTIALS_MANAGEMENT = "RootCredentialsManagement"
ROOT_SESSIONS = "RootSessions"
ORGANIZATION_IAM_RESOURCES = "OrganizationIamResources"
#: The order botocore's ``FeatureType`` enum lists them, which is the order answers list them.
_FEATURE_ORDER = (ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS, ORGANIZATION_IAM_RESOURCES)

# AWS's words: the documentation of each error shape in IAM's service model.
_NO_ORGANIZATION = "The request was rejected because no organization is associated with your account."
_NO_TRUSTED_ACCESS = (
    "The request was rejected because trusted access is not enabled for IAM in Organizations. For details, "
    "see IAM and Organizations in the Organizations User Guide."
)
_NOT_MANAGEMENT = (
    "The request was rejected because the account making the request is not the management account for the "
    "organization."
)
_NOT_ADMINISTRATOR = (
    "The request was rejected because the account making the request is not the management account or "
    "delegated administrator account for centralized root access."
)


@dataclass(frozen=True, slots=True)
class OrganizationFeatures:
    """ListOrganizationsFeatures' answer (and each Enable/Disable's): the organization and IAM's enabled features."""

    organization_id: str
    enabled_features: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AccessState:
    """What a snapshot writes of :class:`OrganizationAccess` (read back from its JSON object form)."""

    trusted: tuple[str, ...]
    delegated: tuple[tuple[str, tuple[str, ...]], ...]
    iam_features: tuple[str, ...]


class OrganizationAccess:
    """The services an organization trusts, their delegated administrators, and IAM's enabled features."""

    def __init__(self, management_account: str) -> None:
        self._management = management_account
        self._trusted: set[str] = set()
        self._delegated: dict[str, set[str]] = {}
        self._iam_features: set[str] = set()

    # Organizations' side: the management account grants access (§H.9)
    def enable_service_access(self, service_principal: str) -> bool:
        """EnableAWSServiceAccess; ``False`` when it already was (no change)."""
        _check_principal(service_principal)
        if service_principal in self._trusted:
            return False
        self._trusted.add(service_principal)
        return True

    def disable_service_access(self, service_principal: str) -> bool:
        """DisableAWSServiceAccess; ``False`` when it was not enabled (no change)."""
        _check_principal(service_principal)
        if service_principal not in self._trusted:
            return False
        self._trusted.discard(service_principal)
        return True

    def trusts(self, service_principal: str) -> bool:
        """Whether the service has trusted access to the organization."""
        return service_principal in self._trusted

    def register_delegated_administrator(self, account_id: str, service_principal: str) -> None:
        """RegisterDelegatedAdministrator of a member account (never the management account) for a service."""
        _check_principal(service_principal)
        if account_id == self._management:
            raise InvalidInputError("You cannot register the management account as a delegated administrator.")
        admins = self._delegated.setdefault(service_principal, set())
        if account_id in admins:
            raise EntityAlreadyExistsError(
                f"The account {account_id} is already a delegated administrator for {service_principal}."
            )
        admins.add(account_id)

    def deregister_delegated_administrator(self, account_id: str, service_principal: str) -> None:
        """DeregisterDelegatedAdministrator."""
        admins = self._delegated.get(service_principal, set())
        if account_id not in admins:
            raise NoSuchEntityError(
                f"The account {account_id} is not a delegated administrator for {service_principal}."
            )
        admins.discard(account_id)

    def delegated_administrators(self, service_principal: str) -> tuple[str, ...]:
        """The accounts registered as the service's delegated administrators, sorted."""
        return tuple(sorted(self._delegated.get(service_principal, ())))

    def forget_account(self, account_id: str) -> None:
        """An account that leaves the organization stops being anyone's delegated administrator."""
        for admins in self._delegated.values():
            admins.discard(account_id)

    # IAM's side
    def iam_features(self) -> tuple[str, ...]:
        """IAM's enabled features, in the model's order."""
        return tuple(f for f in _FEATURE_ORDER if f in self._iam_features)

    def set_iam_feature(self, feature: str, enabled: bool) -> bool:
        """Turn one of IAM's features on or off; ``False`` when it already was so (no change)."""
        if (feature in self._iam_features) == enabled:
            return False
        if enabled:
            self._iam_features.add(feature)
        else:
            self._iam_features.discard(feature)
        return True

    def state(self) -> AccessState:
        """Everything, in a stable order (for snapshots)."""
        return AccessState(
            tuple(sorted(self._trusted)),
            tuple((service, tuple(sorted(accounts))) for service, accounts in sorted(self._delegated.items())),
            self.iam_features(),
        )

    @classmethod
    def from_state(cls, management_account: str, state: Mapping[str, Any] | None) -> OrganizationAccess:
        """Rebuild from :meth:`state` output; ``None`` (a snapshot older than this state) is nothing granted."""
        access = cls(management_account)
        if state:
            access._trusted = set(state["trusted"])
            access._delegated = {service: set(accounts) for service, accounts in state["delegated"]}
            access._iam_features = set(state["iam_features"])
        return access


def _check_principal(service_principal: str) -> None:
    if not isinstance(service_principal, str) or not service_principal.endswith(".amazonaws.com"):
        raise InvalidInputError(f"{service_principal!r} is not a service principal (service.amazonaws.com).")


def iam_caller(
    org: Organization | None, account_id: str, *, management_only: bool, trusted_access: bool = True
) -> Organization:
    """The organization, when ``account_id`` may call an IAM organization operation; else AWS's error.

    The checks run in the order AWS's prerequisites are listed: an organization the account belongs to,
    IAM's trusted access, then the caller's standing (the management account alone, or it or IAM's
    delegated administrator). Organizations access reports need no trusted access (``trusted_access=False``).
    """
    if org is None or not org.has_account(account_id):
        raise OrganizationNotFoundError(_NO_ORGANIZATION)
    if trusted_access and not org.access.trusts(IAM_SERVICE_PRINCIPAL):
        raise ServiceAccessNotEnabledError(_NO_TRUSTED_ACCESS)
    if account_id == org.management_account:
        return org
    if management_only:
        raise CallerIsNotManagementAccountError(_NOT_MANAGEMENT)
    if account_id not in org.access.delegated_administrators(IAM_SERVICE_PRINCIPAL):
        raise AccountNotManagementOrDelegatedAdministratorError(_NOT_ADMINISTRATOR)
    return org
