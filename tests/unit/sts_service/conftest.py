"""Shared world for the STS service tests: one account, a user with keys, roles to assume."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from iamsim._clock import ManualClock
from iamsim._simulator import Simulator
from iamsim._store.records import AccessKey

ACCOUNT = "123456789012"
OTHER = "210987654321"
ALLOW_ASSUME = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}]}
READ_S3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}


def trust(principal: object, *, action: object = "sts:AssumeRole", condition: object = None) -> dict[str, object]:
    statement: dict[str, object] = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition is not None:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


@dataclass
class World:
    sim: Simulator
    clock: ManualClock
    key: AccessKey
    user_arn: str

    def role_arn(self, name: str, account: str = ACCOUNT) -> str:
        return f"arn:aws:iam::{account}:role/{name}"


@pytest.fixture
def world() -> World:
    clock = ManualClock()
    sim = Simulator(seed=1, clock=clock)
    user = sim.create_user("alice", tags={"team": "blue"})
    sim.put_user_policy("alice", "sts", ALLOW_ASSUME)
    key = sim.create_access_key("alice")
    sim.create_role("Reader", trust({"AWS": user.arn}), max_session_duration=7200, tags={"team": "red"})
    sim.put_role_policy("Reader", "read", READ_S3)
    return World(sim, clock, key, user.arn)
