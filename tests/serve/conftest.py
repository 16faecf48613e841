"""A served simulator on a free loopback port, and small HTTP helpers (the standard library's client)."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest

from iamsim import Simulator
from iamsim._serve import OffsetClock, Server

EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
ECS_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
# The SDKs give the metadata endpoint one second and one attempt by default; on a loaded CI machine the
# in-process server can take longer to answer, and the SDK then reports "no credentials" instead.
METADATA_PATIENCE = {"AWS_METADATA_SERVICE_TIMEOUT": "10", "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "3"}


@dataclass
class Served:
    """A running server, its simulator and clock, and an administrator's boto3 session."""

    server: Server
    sim: Simulator
    clock: OffsetClock
    session: boto3.Session

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.url)

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> tuple[int, Message, bytes]:
        """One raw HTTP request on a fresh connection."""
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """A call to the admin API with the server's token; the decoded JSON (or text) answer."""
        headers = {"Authorization": f"Bearer {self.server.admin_token}", "Content-Type": "application/json"}
        status, answer_headers, raw = self.request(
            method, f"/_iamsim/admin/{path}", headers=headers, body=json.dumps(body or {}).encode()
        )
        if answer_headers.get("Content-Type", "").startswith("application/json"):
            return status, json.loads(raw)
        return status, raw.decode()

    def tutorial_instance(self, role: str = "S3AccessRole") -> str:
        """The seed tutorial's role, profile and a running instance with it; the instance id."""
        iam = self.client("iam")
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
        iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        iam.create_instance_profile(InstanceProfileName=role)
        iam.add_role_to_instance_profile(InstanceProfileName=role, RoleName=role)
        status, answer = self.admin("POST", "instances", {"instance_profile": role})
        assert status == 200, answer
        return str(answer["instance_id"])


def start_served(state_path: Path | None = None, **options: Any) -> Served:
    clock = OffsetClock()
    sim = Simulator(clock=clock)
    root = sim.root_credentials()
    server = Server(sim, clock, port=0, state_path=state_path, **options).start()
    session = boto3.Session(
        aws_access_key_id=root.access_key_id, aws_secret_access_key=root.secret_access_key, region_name="us-east-1"
    )
    return Served(server, sim, clock, session)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A fresh server (state file in ``tmp_path``), stopped after the test."""
    running = start_served(tmp_path / "state.json")
    try:
        yield running
    finally:
        running.server.stop()
