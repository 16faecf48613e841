"""Fixtures for the IAM API families' boto3 tests: a simulator on a manual clock and an IAM client signed as root."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest

import iamsim.boto3
from iamsim import ManualClock
from iamsim._simulator import Simulator

ACCOUNT = "111111111111"
#: The organization fixture's member account and IAM's delegated administrator.
MEMBER = "222222222222"
ADMIN = "333333333333"
IAM = "iam.amazonaws.com"


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when told to."""
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    """A fresh simulator on the manual clock."""
    return Simulator(clock=clock, account_id=ACCOUNT, seed=7)


@pytest.fixture
def org(sim: Simulator) -> Simulator:
    """An organization managed by ACCOUNT with two members, IAM trusted, ADMIN IAM's delegated administrator (§H.9)."""
    sim.organizations.create_organization()
    sim.organizations.add_account(MEMBER)
    sim.organizations.add_account(ADMIN)
    sim.organizations.enable_aws_service_access(IAM)
    sim.organizations.register_delegated_administrator(ADMIN, IAM)
    return sim


@pytest.fixture
def session(sim: Simulator) -> Iterator[boto3.Session]:
    """A boto3 session signed with the root key ``sim`` issued, served by ``sim``."""
    root = sim.root_credentials()
    session = boto3.Session(
        aws_access_key_id=root.access_key_id, aws_secret_access_key=root.secret_access_key, region_name="us-east-1"
    )
    with iamsim.boto3.attach(sim, session):
        yield session


@pytest.fixture
def iam(session: boto3.Session) -> Any:
    """An IAM client signed as the account's root user."""
    return session.client("iam")


def error_of(call: Any, **params: Any) -> dict[str, Any]:
    """The ``Error`` member of the ClientError ``call(**params)`` raises (fails the test if it succeeds)."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as caught:
        call(**params)
    error: dict[str, Any] = caught.value.response["Error"]
    return error


@contextmanager
def user_client(iam: Any, sim: Simulator, user_name: str, policy: dict[str, Any]) -> Iterator[Any]:
    """An IAM client signed as ``user_name``, a user created with ``policy`` inline and an access key."""
    import json

    iam.create_user(UserName=user_name)
    iam.put_user_policy(UserName=user_name, PolicyName="scoped", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=user_name)["AccessKey"]
    session = boto3.Session(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1"
    )
    with iamsim.boto3.attach(sim, session):
        yield session.client("iam")
