"""Fixtures for the integration suite: a simulator on a manual clock, real boto3 clients attached to it."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from role_world import ACCOUNT, RoleWorld, build_role_world, root_session

import iamsim.boto3
from iamsim import ManualClock
from iamsim._simulator import Simulator


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when told to."""
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    """A fresh simulator on the manual clock."""
    return Simulator(clock=clock, account_id=ACCOUNT)


@pytest.fixture
def session(sim: Simulator) -> Iterator[boto3.Session]:
    """A boto3 session signed with the root key ``sim`` issued (§G.9), served by ``sim``."""
    session = root_session(sim)
    with iamsim.boto3.attach(sim, session):
        yield session


@pytest.fixture
def world(session: boto3.Session) -> RoleWorld:
    """The role-assumption world, built through boto3."""
    return build_role_world(session)
