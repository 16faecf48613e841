"""The admin API: the clock, the event log, snapshots, instances, tasks and credentials.

Every request needs ``Authorization: Bearer <token>`` with the token the server printed
at start (``401`` otherwise, compared in constant time). Bodies and answers are JSON;
errors are ``{"code": ..., "message": ...}`` with AWS's code and status for an AWS error
and ``400 InvalidInput`` for a bad request to the API itself.

=========================================  ==============================================
``GET  clock``                             ``{"now": ..., "offset_seconds": ...}``
``POST clock/advance`` ``{"seconds": n}``  move the world ahead
``POST clock/set`` ``{"time": iso}``       jump ahead to a time
``GET  events?format=json|mermaid&since``  the event log
``GET  snapshot`` / ``POST snapshot``      the world as JSON / save it to ``--state``
``POST instances``                         launch an instance (``instance_profile``)
``POST instances/ID/profile``              associate or replace its instance profile
``DELETE instances/ID``                    terminate it
``POST containers``                        register a task with a role (``role_name``)
``POST credentials``                       credential_process JSON of a user or a role
=========================================  ==============================================
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from iamsim._serve.clock import OffsetClock
from iamsim._serve.containers import CONTAINER_PREFIX, ContainerCredentials
from iamsim._serve.imds import IMDS_PREFIX
from iamsim._serve.responses import json_response, text_response, timestamp
from iamsim._simulator import Simulator
from iamsim._sts.credentials import Credentials
from iamsim._wire.http import HttpRequest, HttpResponse
from iamsim.errors import IamSimError, ServiceError, UsageError

__all__ = ["ADMIN_PREFIX", "AdminApi"]

#: Where the admin API answers.
ADMIN_PREFIX = "/_iamsim/admin/"


@dataclass(frozen=True, slots=True)
class AdminApi:
    """The admin endpoints of one server (see the module documentation)."""

    simulator: Simulator
    clock: OffsetClock
    token: str
    base_url: Callable[[], str]
    containers: ContainerCredentials
    save_state: Callable[[], Path | None]

    def handle(self, request: HttpRequest, path: str) -> HttpResponse:
        """Answer ``request`` for ``path`` (relative to :data:`ADMIN_PREFIX`)."""
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode()):
            return _error(401, "Unauthorized", "the admin API needs 'Authorization: Bearer <admin token>'")
        query = dict(parse_qsl(urlsplit(request.url).query))
        route = self._route(request.method, path.strip("/"))
        if route is None:
            return _error(404, "NotFound", f"no admin endpoint {request.method} {ADMIN_PREFIX}{path}")
        try:
            return route(_body(request), query)
        except ServiceError as error:
            return _error(error.status, error.code, error.message)
        except IamSimError as error:
            return _error(400, "InvalidInput", str(error))

    def _route(self, method: str, path: str) -> Callable[[dict[str, Any], dict[str, str]], HttpResponse] | None:
        fixed: dict[tuple[str, str], Callable[[dict[str, Any], dict[str, str]], HttpResponse]] = {
            ("GET", "clock"): lambda _b, _q: self._now(),
            ("POST", "clock/advance"): self._advance,
            ("POST", "clock/set"): self._set,
            ("GET", "events"): self._events,
            ("GET", "snapshot"): lambda _b, _q: text_response(self.simulator.to_json()),
            ("POST", "snapshot"): self._save,
            ("POST", "instances"): self._run_instance,
            ("POST", "containers"): self._register_task,
            ("POST", "credentials"): self._credentials,
        }
        found = fixed.get((method, path))
        if found is not None:
            return found
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "instances" and parts[2] == "profile" and method == "POST":
            return lambda body, _q: self._set_profile(parts[1], body)
        if len(parts) == 2 and parts[0] == "instances" and method == "DELETE":
            return lambda _b, _q: self._terminate(parts[1])
        return None

    # ------------------------------------------------------------------ clock

    def _now(self) -> HttpResponse:
        return json_response({"now": timestamp(self.clock.now()), "offset_seconds": self.clock.offset.total_seconds()})

    def _advance(self, body: dict[str, Any], _query: dict[str, str]) -> HttpResponse:
        seconds = body.get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise UsageError("'seconds' must be a non-negative number")
        self.clock.advance(timedelta(seconds=seconds))
        return self._now()

    def _set(self, body: dict[str, Any], _query: dict[str, str]) -> HttpResponse:
        text = body.get("time")
        try:
            when = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(f"'time' must be an ISO 8601 time, not {text!r}") from None
        self.clock.set(when)
        return self._now()

    # ------------------------------------------------------------ event log

    def _events(self, _body: dict[str, Any], query: dict[str, str]) -> HttpResponse:
        since_text = query.get("since", "0")
        if not since_text.isdigit():
            raise UsageError(f"'since' must be an event number, not {since_text!r}")
        since = int(since_text)
        if query.get("format", "json") == "mermaid":
            return text_response(self.simulator.mermaid(since=since))
        events = [event for event in self.simulator.events() if event.seq > since]
        return json_response({"events": [asdict(event) for event in events]})

    def _save(self, _body: dict[str, Any], _query: dict[str, str]) -> HttpResponse:
        path = self.save_state()
        if path is None:
            raise UsageError("the server was started without --state, so there is no file to save to")
        return json_response({"saved": str(path)})

    # -------------------------------------------------------------- instances

    def _run_instance(self, body: dict[str, Any], _query: dict[str, str]) -> HttpResponse:
        profile = _optional_text(body, "instance_profile")
        account = _optional_text(body, "account_id")
        instance_id = self.simulator.ec2.run_instance(instance_profile=profile, account_id=account)
        return json_response(self._instance_json(instance_id))

    def _set_profile(self, instance_id: str, body: dict[str, Any]) -> HttpResponse:
        profile = _required_text(body, "instance_profile")
        if self.simulator.ec2.describe_instance(instance_id).instance_profile is None:
            self.simulator.ec2.associate_iam_instance_profile(instance_id, profile)
        else:
            self.simulator.ec2.replace_iam_instance_profile_association(instance_id, profile)
        return json_response(self._instance_json(instance_id))

    def _terminate(self, instance_id: str) -> HttpResponse:
        self.simulator.ec2.terminate_instance(instance_id)
        return json_response({"instance_id": instance_id, "state": "terminated"})

    def _instance_json(self, instance_id: str) -> dict[str, Any]:
        instance = self.simulator.ec2.describe_instance(instance_id)
        return {
            "instance_id": instance.instance_id,
            "account_id": instance.account_id,
            "instance_profile": instance.instance_profile,
            "metadata_endpoint": f"{self.base_url()}{IMDS_PREFIX}{instance.instance_id}/",
        }

    # ------------------------------------------------------ tasks, credentials

    def _register_task(self, body: dict[str, Any], _query: dict[str, str]) -> HttpResponse:
        task = self.containers.register(_required_text(body, "role_name"), _optional_text(body, "account_id"))
        return json_response(
            {
                "task_id": task.task_id,
                "role_name": task.role_name,
                "full_uri": f"{self.base_url()}{CONTAINER_PREFIX}{task.task_id}",
                "authorization_token": task.authorization_token,
            }
        )

    def _credentials(self, body: dict[str, Any], _query: dict[str, str]) -> HttpResponse:
        account = _optional_text(body, "account_id")
        role_arn = _optional_text(body, "role_arn")
        user_name = _optional_text(body, "user_name")
        if role_arn is not None:
            # The user (or, without one, the root user, whom AWS refuses) assumes it: the trust policy decides.
            source = self._user_key(user_name, account) if user_name else self.simulator.root_credentials(account)
            session = _optional_text(body, "session_name") or "iamsim-credential-process"
            credentials = self.simulator.assume_role(source, role_arn, session).credentials
        elif user_name is not None:
            credentials = self._user_key(user_name, account)
        else:
            credentials = self.simulator.root_credentials(account)
        return json_response(self._process_json(credentials))

    def _user_key(self, user_name: str, account: str | None) -> Credentials:
        """The user's first active access key, or a new one."""
        active = [
            key for key in self.simulator.list_access_keys(user_name, account_id=account) if key.status == "Active"
        ]
        key = active[0] if active else self.simulator.create_access_key(user_name, account_id=account)
        return Credentials(key.access_key_id, key.secret_access_key)

    def _process_json(self, credentials: Credentials) -> dict[str, Any]:
        """The AWS CLI's ``credential_process`` output (Version 1)."""
        document: dict[str, Any] = {
            "Version": 1,
            "AccessKeyId": credentials.access_key_id,
            "SecretAccessKey": credentials.secret_access_key,
        }
        if credentials.session_token is not None:
            document["SessionToken"] = credentials.session_token
        if credentials.expiration is not None:
            document["Expiration"] = timestamp(self.clock.to_client(credentials.expiration))
        return document


def _body(request: HttpRequest) -> dict[str, Any]:
    if not request.body.strip():
        return {}
    try:
        body = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise UsageError("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise UsageError("the body must be a JSON object")
    return body


def _optional_text(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise UsageError(f"{key!r} must be a string")
    return value


def _required_text(body: Mapping[str, Any], key: str) -> str:
    value = _optional_text(body, key)
    if value is None:
        raise UsageError(f"{key!r} is required")
    return value


def _error(status: int, code: str, message: str) -> HttpResponse:
    return json_response({"code": code, "message": message}, status=status)
