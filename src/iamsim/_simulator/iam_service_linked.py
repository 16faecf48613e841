"""IAM operations on service-linked roles: created and deleted for an AWS service (§H.6)."""

from __future__ import annotations

from iamsim._simulator.iam_calls import IamCalls
from iamsim._store.records import DeletionTask, Role

__all__ = ["IamServiceLinkedOperations"]


class IamServiceLinkedOperations(IamCalls):
    """CreateServiceLinkedRole, DeleteServiceLinkedRole and the deletion task's status."""

    def create_service_linked_role(
        self,
        aws_service_name: str,
        *,
        description: str | None = None,
        custom_suffix: str | None = None,
        account_id: str | None = None,
    ) -> Role:
        """CreateServiceLinkedRole: the role ``aws_service_name`` defines, its trust and managed policy (§H.6)."""
        return self._core.iam(
            "CreateServiceLinkedRole",
            aws_service_name,
            account_id,
            lambda s: s.service_linked_roles.create_service_linked_role(
                aws_service_name, description=description, custom_suffix=custom_suffix
            ),
        )

    def delete_service_linked_role(self, role_name: str, *, account_id: str | None = None) -> DeletionTask:
        """DeleteServiceLinkedRole: the deletion task (iamsim's service finishes it at once)."""
        return self._core.iam(
            "DeleteServiceLinkedRole",
            role_name,
            account_id,
            lambda s: s.service_linked_roles.delete_service_linked_role(role_name),
        )

    def get_service_linked_role_deletion_status(
        self, deletion_task_id: str, *, account_id: str | None = None
    ) -> DeletionTask:
        """GetServiceLinkedRoleDeletionStatus."""
        return self._core.read(
            account_id, lambda s: s.service_linked_roles.get_service_linked_role_deletion_status(deletion_task_id)
        )
