"""IAM's organization features, ``sim.iam``: centralized root access and organization-level resources (§H.9).

Each operation asks :func:`~iamsim._store.org_features.iam_caller` whether the calling account may
make it (an organization, IAM's trusted access, the management account or IAM's delegated
administrator) and answers the organization's id with IAM's enabled features.
"""

from __future__ import annotations

from iamsim._simulator.iam_calls import IamCalls
from iamsim._store.org_features import (
    ORGANIZATION_IAM_RESOURCES,
    ROOT_CREDENTIALS_MANAGEMENT,
    ROOT_SESSIONS,
    OrganizationFeatures,
    iam_caller,
)

__all__ = ["IamOrganizationOperations"]


class IamOrganizationOperations(IamCalls):
    """ListOrganizationsFeatures and the Enable/Disable pairs of IAM's three organization features."""

    def _feature(
        self, operation: str, feature: str | None, enabled: bool, account_id: str | None, *, management_only: bool
    ) -> OrganizationFeatures:
        account = self._core.state.account(account_id)

        def run() -> OrganizationFeatures:
            org = iam_caller(self._core.state.org, account, management_only=management_only)
            if feature is not None:
                org.change_access(org.access.set_iam_feature(feature, enabled))
            return OrganizationFeatures(org.id, org.access.iam_features())

        if feature is None:
            with self._core.lock:
                return run()
        return self._core.call("admin", "IAM", operation, account, run)

    def list_organizations_features(self, *, account_id: str | None = None) -> OrganizationFeatures:
        """ListOrganizationsFeatures (the management account or IAM's delegated administrator)."""
        return self._feature("ListOrganizationsFeatures", None, True, account_id, management_only=False)

    def enable_organizations_root_credentials_management(
        self, *, account_id: str | None = None
    ) -> OrganizationFeatures:
        """EnableOrganizationsRootCredentialsManagement (the management account only)."""
        return self._feature(
            "EnableOrganizationsRootCredentialsManagement",
            ROOT_CREDENTIALS_MANAGEMENT,
            True,
            account_id,
            management_only=True,
        )

    def disable_organizations_root_credentials_management(
        self, *, account_id: str | None = None
    ) -> OrganizationFeatures:
        """DisableOrganizationsRootCredentialsManagement (the management account or IAM's delegated administrator)."""
        return self._feature(
            "DisableOrganizationsRootCredentialsManagement",
            ROOT_CREDENTIALS_MANAGEMENT,
            False,
            account_id,
            management_only=False,
        )

    def enable_organizations_root_sessions(self, *, account_id: str | None = None) -> OrganizationFeatures:
        """EnableOrganizationsRootSessions: AssumeRoot works once this is on (the management account only)."""
        return self._feature("EnableOrganizationsRootSessions", ROOT_SESSIONS, True, account_id, management_only=True)

    def disable_organizations_root_sessions(self, *, account_id: str | None = None) -> OrganizationFeatures:
        """DisableOrganizationsRootSessions (the management account or IAM's delegated administrator)."""
        return self._feature(
            "DisableOrganizationsRootSessions", ROOT_SESSIONS, False, account_id, management_only=False
        )

    def enable_organization_level_resources(self, *, account_id: str | None = None) -> OrganizationFeatures:
        """EnableOrganizationLevelResources (the management account only; never a delegated administrator)."""
        return self._feature(
            "EnableOrganizationLevelResources", ORGANIZATION_IAM_RESOURCES, True, account_id, management_only=True
        )

    def disable_organization_level_resources(self, *, account_id: str | None = None) -> OrganizationFeatures:
        """DisableOrganizationLevelResources (the management account only)."""
        return self._feature(
            "DisableOrganizationLevelResources", ORGANIZATION_IAM_RESOURCES, False, account_id, management_only=True
        )
