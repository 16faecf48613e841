"""AWS Organizations operations: the organization, OUs, member accounts, SCPs and RCPs (§F.5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from iamsim._simulator.core import Core
from iamsim._store.organization import Organization, OrganizationalUnit, OrganizationPolicy, PolicyType
from iamsim.errors import EntityAlreadyExistsError, InvalidInputError, NoSuchEntityError

__all__ = ["OrganizationOperations"]

T = TypeVar("T")


class OrganizationOperations:
    """Accounts and the organization they may belong to."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def add_account(self, account_id: str | None = None, *, parent_id: str | None = None) -> str:
        """Create an account (a random 12-digit id by default); it joins the organization if there is one."""

        def run() -> str:
            account = account_id or self._core.state.ids.digits(12)
            if len(account) != 12 or not account.isdigit():
                raise InvalidInputError(f"Account ID {account} is not a 12-digit account ID.")
            if account in self._core.state.stores:
                raise EntityAlreadyExistsError(f"The account {account} already exists in this simulator.")
            if self._core.state.org is not None:
                self._core.state.org.add_account(account, parent_id)
            self._core.state.new_store(account)
            return account

        return self._call("CreateAccount", account_id or "", run)

    def accounts(self) -> tuple[str, ...]:
        """Every account of the simulator, sorted."""
        with self._core.lock:
            return tuple(sorted(self._core.state.stores))

    def _call(self, action: str, subject: str, fn: Callable[[], T]) -> T:
        """An Organizations operation, run and logged as the simulator's administrator."""
        return self._core.call("admin", "Organizations", action, subject, fn)

    def _organization(self) -> Organization:
        if self._core.state.org is None:
            raise NoSuchEntityError("Your account is not a member of an organization.")
        return self._core.state.org

    @property
    def organization(self) -> Organization | None:
        """The organization (``None`` until :meth:`create_organization`); read-only use."""
        return self._core.state.org

    def create_organization(self, *, management_account: str | None = None) -> Organization:
        """CreateOrganization with ``management_account`` (default: the simulator's account) as management."""

        def run() -> Organization:
            if self._core.state.org is not None:
                raise EntityAlreadyExistsError("The AWS account is already a member of an organization.")
            account = self._core.state.account(management_account)
            self._core.store(account)
            self._core.state.org = Organization(
                account,
                ids=self._core.state.ids,
                partition=self._core.state.partition,
                changes=self._core.state.changes,
            )
            self._core.state.changes.bump()
            return self._core.state.org

        return self._call("CreateOrganization", "", run)

    def invite_account(self, account_id: str, *, parent_id: str | None = None) -> None:
        """Bring an existing account of the simulator into the organization (invitation accepted)."""

        def run() -> None:
            self._core.store(account_id)
            self._organization().add_account(account_id, parent_id)

        self._call("InviteAccountToOrganization", account_id, run)

    def create_organizational_unit(self, parent_id: str, name: str) -> OrganizationalUnit:
        """CreateOrganizationalUnit under the root (``organization.root_id``) or another OU."""
        return self._call(
            "CreateOrganizationalUnit", name, lambda: self._organization().create_organizational_unit(parent_id, name)
        )

    def move_account(self, account_id: str, destination_parent_id: str) -> None:
        """MoveAccount."""
        self._call(
            "MoveAccount", account_id, lambda: self._organization().move_account(account_id, destination_parent_id)
        )

    def create_organization_policy(
        self, name: str, content: str, *, policy_type: str = PolicyType.SCP, description: str = ""
    ) -> OrganizationPolicy:
        """CreatePolicy (Organizations): an SCP or, with ``policy_type=RESOURCE_CONTROL_POLICY``, an RCP."""
        return self._call(
            "CreatePolicy",
            name,
            lambda: self._organization().create_policy(name, content, policy_type, description=description),
        )

    def attach_organization_policy(self, policy_id: str, target_id: str) -> None:
        """AttachPolicy to the root, an OU or an account."""
        self._call(
            "AttachPolicy",
            f"{policy_id} -> {target_id}",
            lambda: self._organization().attach_policy(policy_id, target_id),
        )

    def detach_organization_policy(self, policy_id: str, target_id: str) -> None:
        """DetachPolicy (``RCPFullAWSAccess`` cannot be detached)."""
        self._call(
            "DetachPolicy",
            f"{policy_id} -> {target_id}",
            lambda: self._organization().detach_policy(policy_id, target_id),
        )

    def delete_organization_policy(self, policy_id: str) -> None:
        """DeletePolicy (Organizations)."""
        self._call("DeletePolicy", policy_id, lambda: self._organization().delete_policy(policy_id))

    def enable_aws_service_access(self, service_principal: str) -> None:
        """EnableAWSServiceAccess: give a service (``iam.amazonaws.com``...) trusted access to the organization."""
        self._call(
            "EnableAWSServiceAccess",
            service_principal,
            lambda: self._access_change(lambda org: org.access.enable_service_access(service_principal)),
        )

    def disable_aws_service_access(self, service_principal: str) -> None:
        """DisableAWSServiceAccess: IAM's organization operations then answer ``ServiceAccessNotEnabledException``."""
        self._call(
            "DisableAWSServiceAccess",
            service_principal,
            lambda: self._access_change(lambda org: org.access.disable_service_access(service_principal)),
        )

    def register_delegated_administrator(self, account_id: str, service_principal: str) -> None:
        """RegisterDelegatedAdministrator: a member account (not the management account) administers the service."""

        def change(org: Organization) -> bool:
            if not org.has_account(account_id):
                raise NoSuchEntityError(f"We can't find an account with id {account_id}.")
            org.access.register_delegated_administrator(account_id, service_principal)
            return True

        self._call("RegisterDelegatedAdministrator", account_id, lambda: self._access_change(change))

    def deregister_delegated_administrator(self, account_id: str, service_principal: str) -> None:
        """DeregisterDelegatedAdministrator."""

        def change(org: Organization) -> bool:
            org.access.deregister_delegated_administrator(account_id, service_principal)
            return True

        self._call("DeregisterDelegatedAdministrator", account_id, lambda: self._access_change(change))

    def _access_change(self, change: Callable[[Organization], bool]) -> None:
        org = self._organization()
        org.change_access(change(org))
