"""The container credentials endpoint: task roles as ECS and EKS Pod Identity hand them out.

A task is registered through the admin API with a role; it gets a URL under
``/_iamsim/containers/<task id>`` (``AWS_CONTAINER_CREDENTIALS_FULL_URI``) and an
authorization token (``AWS_CONTAINER_AUTHORIZATION_TOKEN``) that the SDKs send as the
``Authorization`` header. A request without the token, or with another one, is refused
with ``401``; a task the server does not know is ``404``.

The credentials are the role's, assumed by ``ecs-tasks.amazonaws.com`` with the task id
as session name (ECS Developer Guide, "Amazon ECS task IAM role": the role's trust policy
must name ``ecs-tasks.amazonaws.com``), as the JSON the SDKs read: ``AccessKeyId``,
``SecretAccessKey``, ``Token``, ``Expiration`` and ``RoleArn``. They are renewed, like an
instance's, at least five minutes before they expire. Tasks live as long as the server.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta

from iamsim._serve.clock import OffsetClock
from iamsim._serve.responses import json_response, timestamp
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._sts.credentials import Credentials
from iamsim._wire.http import HttpResponse
from iamsim.errors import ServiceError

__all__ = ["CONTAINER_PREFIX", "TASK_CREDENTIAL_SECONDS", "ContainerCredentials", "Task"]

#: Where task ``t`` answers: ``/_iamsim/containers/t``.
CONTAINER_PREFIX = "/_iamsim/containers/"
#: How long task role credentials last (ECS hands out six-hour credentials and rotates them).
TASK_CREDENTIAL_SECONDS = 6 * 3600
_REFRESH_BEFORE = timedelta(minutes=5)
_SERVICE = "ecs-tasks.amazonaws.com"


@dataclass(frozen=True, slots=True)
class Task:
    """A registered task: its id, role and account, and the token its requests must carry."""

    task_id: str
    role_name: str
    account_id: str
    authorization_token: str


class ContainerCredentials:
    """Registered tasks and their credentials (see the module documentation)."""

    def __init__(self, simulator: Simulator, clock: OffsetClock) -> None:
        self._sim = simulator
        self._clock = clock
        self._tasks: dict[str, Task] = {}
        self._issued: dict[str, tuple[str, Credentials]] = {}
        self._lock = threading.Lock()

    def register(self, role_name: str, account_id: str | None = None) -> Task:
        """A new task running with ``role_name`` (the role must exist: ``NoSuchEntity`` otherwise)."""
        account = account_id or self._sim.default_account
        self._sim.get_role(role_name, account_id=account)
        task = Task(secrets.token_hex(16), role_name, account, secrets.token_urlsafe(32))
        with self._lock:
            self._tasks[task.task_id] = task
        return task

    def handle(self, method: str, task_id: str, authorization: str | None) -> HttpResponse:
        """Answer a credentials request for ``task_id`` carrying ``authorization``."""
        with self._lock:
            task = self._tasks.get(task_id)
        if task is None:
            return json_response({"code": "NotFound", "message": f"no task {task_id!r}"}, status=404)
        if method != "GET":
            return json_response({"code": "MethodNotAllowed", "message": "use GET"}, status=405)
        if authorization is None or not hmac.compare_digest(
            authorization.encode("utf-8", "replace"), task.authorization_token.encode()
        ):
            return json_response(
                {"code": "Unauthorized", "message": "the Authorization header is not this task's token"}, status=401
            )
        try:
            credentials = self._credentials(task)
        except ServiceError as error:
            return json_response({"code": error.code, "message": error.message}, status=error.status)
        role = self._sim.get_role(task.role_name, account_id=task.account_id)
        assert credentials.expiration is not None  # role sessions always expire
        return json_response(
            {
                "RoleArn": role.arn,
                "AccessKeyId": credentials.access_key_id,
                "SecretAccessKey": credentials.secret_access_key,
                "Token": credentials.session_token,
                "Expiration": timestamp(self._clock.to_client(credentials.expiration)),
            }
        )

    def _credentials(self, task: Task) -> Credentials:
        core = core_of(self._sim)

        def run() -> Credentials:
            role = core.store(task.account_id).roles.get_role(task.role_name)
            cached = self._issued.get(task.task_id)
            if (
                cached is not None
                and cached[0] == role.role_id
                and cached[1].expiration is not None
                and core.now() < cached[1].expiration - _REFRESH_BEFORE
            ):
                return cached[1]
            issued = core.sts.service_role_credentials(
                task.account_id, task.role_name, _SERVICE, task.task_id, TASK_CREDENTIAL_SECONDS
            )
            self._issued[task.task_id] = (role.role_id, issued)
            return issued

        return core.call(f"task {task.task_id}", "ECS", "GetTaskRoleCredentials", task.role_name, run)
