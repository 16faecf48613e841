"""The event log says who did what: a signed IAM call is credited to its signer, not to the administrator."""

from __future__ import annotations

import boto3
from role_world import REGION

import iamsim.boto3
from iamsim._simulator import Simulator


def test_a_signed_create_user_is_logged_as_done_by_the_key_owner_not_the_administrator() -> None:
    """§F.7: every call a boto3 client makes through iamsim is logged; the change it made names the caller."""
    sim = Simulator()
    admin_user = sim.iam.create_user("deployer")
    sim.iam.attach_user_policy("deployer", "arn:aws:iam::aws:policy/IAMFullAccess")
    key = sim.iam.create_access_key("deployer")
    session = boto3.Session(
        region_name=REGION, aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key
    )
    before = len(sim.events())
    with iamsim.boto3.attach(sim, session):
        session.client("iam").create_user(UserName="ops")
    logged = sim.events()[before:]
    changes = [event for event in logged if event.action == "CreateUser"]
    assert [(event.actor, event.outcome, event.subject) for event in changes] == [(admin_user.arn, "ok", "ops")]
    assert all(event.actor == admin_user.arn for event in logged)


def test_handing_out_the_existing_root_key_again_is_not_a_new_event() -> None:
    """Only creating the root user's key changes the world; asking for it again logs nothing."""
    sim = Simulator()
    first = sim.root_credentials()
    count = len(sim.events())
    assert sim.root_credentials() == first
    assert len(sim.events()) == count
    assert [event.action for event in sim.events()] == ["CreateAccessKey"]
