"""Service-linked roles of one account: created and deleted for an AWS service, changed by nobody else (§H.6).

CreateServiceLinkedRole makes the role the service defines (:mod:`.linked_services`):
its name, the path ``/aws-service-role/<service>/``, a trust policy naming the
service, and the service's AWS managed policy attached. The world's protections
(the standing rules) then refuse every customer change to its trust policy,
permissions and existence, as IAM does; only DeleteServiceLinkedRole removes it,
answering a deletion task whose status GetServiceLinkedRoleDeletionStatus reports.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from iamsim._arn import aws_managed_policy_arn
from iamsim._policy.aws_managed import aws_managed_policy
from iamsim._store.account_data import StoreFamily, found
from iamsim._store.linked_services import LINKED_SERVICES, LinkedService
from iamsim._store.records import DeletionTask, Role
from iamsim._store.validation import check_length, check_name
from iamsim.errors import InvalidInputError, NoSuchEntityError

__all__ = [
    "SERVICE_ROLE_PATH",
    "ServiceLinkedRoles",
    "deletion_task_role",
    "is_service_linked_path",
    "service_linked_role_name",
]

#: Every service-linked role's path begins so; the service principal follows (§H.6).
SERVICE_ROLE_PATH = "/aws-service-role/"

# DeleteServiceLinkedRole's task ids: task/aws-service-role/<service>/<role>/<uuid> (IAMAPI page's format).
_TASK_RE = re.compile(r"task/aws-service-role/([\w+=,.@-]+)/([\w+=,.@-]+)/([0-9a-f-]{36})", re.ASCII)


def is_service_linked_path(path: str) -> bool:
    """Whether a role at ``path`` is a service-linked role."""
    return path.startswith(SERVICE_ROLE_PATH)


def service_linked_role_name(aws_service_name: object, custom_suffix: object = None) -> tuple[str, str] | None:
    """``(path, name)`` of the role CreateServiceLinkedRole would create (``None`` for an unknown service)."""
    service = LINKED_SERVICES.get(aws_service_name) if isinstance(aws_service_name, str) else None
    if service is None:
        return None
    return _role_path_name(str(aws_service_name), service, custom_suffix)


def _role_path_name(aws_service_name: str, service: LinkedService, custom_suffix: object) -> tuple[str, str]:
    name = service.role_name if custom_suffix is None else f"{service.role_name}_{custom_suffix}"
    return f"{SERVICE_ROLE_PATH}{aws_service_name}/", name


def deletion_task_role(deletion_task_id: object) -> tuple[str, str] | None:
    """``(path, name)`` of the role a deletion task id names (``None`` if it is not one)."""
    found = _TASK_RE.fullmatch(deletion_task_id) if isinstance(deletion_task_id, str) else None
    return None if found is None else (f"{SERVICE_ROLE_PATH}{found.group(1)}/", found.group(2))


def _trust_policy(service: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": [service]}, "Action": ["sts:AssumeRole"]}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class ServiceLinkedRoles(StoreFamily):
    """The service-linked roles of one account and the tasks that deleted them."""

    def create_service_linked_role(
        self, aws_service_name: str, *, description: str | None = None, custom_suffix: str | None = None
    ) -> Role:
        """CreateServiceLinkedRole: the role the service defines, with its trust and managed policy (§H.6)."""
        check_name(aws_service_name, "aWSServiceName", 128)
        if custom_suffix is not None:
            check_name(custom_suffix, "customSuffix", 64)
        if description is not None:
            check_length(description, "description", 0, 1000)
        service = LINKED_SERVICES.get(aws_service_name)
        if service is None:
            raise InvalidInputError(
                f"Service name {aws_service_name} is not recognised as a service that uses service-linked roles."
            )
        if custom_suffix is not None and not service.custom_suffix:
            raise InvalidInputError(f"Custom suffix is not allowed for {aws_service_name}")
        path, name = _role_path_name(aws_service_name, service, custom_suffix)
        check_name(name, "roleName", 64)
        if name.lower() in self._data.roles:
            raise InvalidInputError(
                f"Service role name {name} has been taken in this account, please try a different suffix."
            )
        policy_arn = aws_managed_policy_arn(self._data.partition, "/aws-service-role/", service.policy)
        # The service's policy is attached where the bundled snapshot has it in this partition.
        try:
            aws_managed_policy(policy_arn, self._data.partition)
            attached: tuple[str, ...] = (policy_arn,)
        except NoSuchEntityError:
            attached = ()
        role = self._store.roles.create_role(
            name, _trust_policy(aws_service_name), path=path, description=description or ""
        )
        # The service attaches its own policy: no customer's AttachRolePolicy, so no protection applies.
        role = replace(role, attached_policies=attached)
        return self._data.add(self._data.roles, role)

    def delete_service_linked_role(self, role_name: str) -> DeletionTask:
        """DeleteServiceLinkedRole: a deletion task; the role goes with its policies unless something uses it.

        The simulated service holds no resources, so the task ends at once: ``SUCCEEDED``, or
        ``FAILED`` (the role kept) while an instance profile still holds the role.
        """
        role = self._store.roles.get_role(role_name)
        if not is_service_linked_path(role.path):
            # NoSuchEntity is the one fitting error AWS's page lists for this operation.
            raise NoSuchEntityError(f"The service-linked role with name {role.name} cannot be found.")
        service = role.path[len(SERVICE_ROLE_PATH) :].strip("/")
        task_uuid = self._data.ids.uuid4()
        in_use = any(role.name in p.roles for p in self._data.profiles.values())
        task_id = f"task/aws-service-role/{service}/{role.name}/{task_uuid}"
        task = DeletionTask(task_id, "FAILED" if in_use else "SUCCEEDED")
        if not in_use:
            del self._data.roles[role.name.lower()]
        return self._data.put(self._data.deletion_tasks, task.deletion_task_id, task)

    def get_service_linked_role_deletion_status(self, deletion_task_id: str) -> DeletionTask:
        """GetServiceLinkedRoleDeletionStatus: the status of a task DeleteServiceLinkedRole answered."""
        if deletion_task_role(deletion_task_id) is None:
            raise InvalidInputError(f"Invalid deletion task id: {deletion_task_id}")
        return found(self._data.deletion_tasks, deletion_task_id, f"Deletion task {deletion_task_id} cannot be found.")
