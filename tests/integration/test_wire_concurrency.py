"""Concurrent boto3 calls through the hook leave one consistent world (issue 3: thread-safe)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import boto3

from iamsim import Simulator
from iamsim.boto3 import attach


def test_threads_creating_and_listing_users_through_boto3() -> None:
    """Eight threads create users and list keys at once; every call succeeds and nothing is lost."""
    sim = Simulator()
    root = sim.root_credentials()
    session = boto3.Session(
        aws_access_key_id=root.access_key_id, aws_secret_access_key=root.secret_access_key, region_name="us-east-1"
    )
    with attach(sim, session):

        def work(worker: int) -> int:
            iam = session.client("iam")
            for n in range(10):
                iam.create_user(UserName=f"w{worker}-u{n}")
                iam.create_access_key(UserName=f"w{worker}-u{n}")
                iam.list_access_keys()
            return len(iam.list_users(MaxItems=1000)["Users"])

        with ThreadPoolExecutor(max_workers=8) as pool:
            seen = list(pool.map(work, range(8)))
    assert len(sim.list_users()) == 80
    assert max(seen) == 80
    assert all(len(sim.list_access_keys(user.name)) == 1 for user in sim.list_users())
