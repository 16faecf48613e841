"""A hostile review of the remembered signers and decisions (§G.9, §F.1; ``_enforce/signer.py``, ``remembered.py``).

Each test fills the hook's memories with an allowed call first (the signer and the
decision are remembered from the second call on), then changes what AWS would refuse on
(the world, the clock, the request) and checks the next call is refused exactly as a
first call would be. AWS pages: "Signature Version 4 signing" (IAM User Guide,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html) and "Policy
evaluation logic" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.exceptions import ClientError

from iamsim import Simulator

from .world import ACCOUNT, REGION, World, allow, deny, document, moto_world


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return str(caught.value.response["Error"]["Code"])


def _remembered(world: World) -> Callable[[], object]:
    """ListBuckets of role ``Reader``, called twice: its signer and its decision are remembered."""
    s3 = world.role("Reader", allow("s3:ListAllMyBuckets")).client("s3")
    s3.list_buckets()
    s3.list_buckets()
    return s3.list_buckets


def test_deleted_role_of_a_remembered_session_is_refused_F1() -> None:
    """§F.1: a session whose role was deleted (and recreated with the same name) has no permissions: its
    role's policies are not the new role's (the role id differs), remembered signer or not."""
    with moto_world() as world:
        call = _remembered(world)
        iam = world.root.client("iam")
        iam.delete_role_policy(RoleName="Reader", PolicyName="Reader-Policy")
        iam.delete_role(RoleName="Reader")
        assert _code(call) == "AccessDenied"
        trust = document({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "*"})
        iam.create_role(RoleName="Reader", AssumeRolePolicyDocument=trust)
        iam.put_role_policy(RoleName="Reader", PolicyName="p", PolicyDocument=document(allow("s3:*")))
        assert _code(call) == "AccessDenied"


def test_boundary_put_after_a_remembered_call_is_seen_F1() -> None:
    """§F.1 step 5: a permissions boundary set on the role cuts a remembered allowed call on the next call."""
    with moto_world() as world:
        call = _remembered(world)
        iam = world.root.client("iam")
        arn = iam.create_policy(PolicyName="bound", PolicyDocument=document(allow("sqs:*")))["Policy"]["Arn"]
        iam.put_role_permissions_boundary(RoleName="Reader", PermissionsBoundary=arn)
        assert _code(call) == "AccessDenied"
        iam.delete_role_permissions_boundary(RoleName="Reader")
        call()


def test_scp_attached_after_a_remembered_call_is_seen_F1() -> None:
    """§F.1 step 2: an SCP denying the action, attached to the member account after the call was remembered,
    refuses the next call (the organization is part of what the decision was stamped with)."""
    sim = Simulator()
    management = sim.add_account("999999999999")
    sim.organizations.create_organization(management_account=management)
    sim.organizations.invite_account(ACCOUNT)
    with moto_world(sim) as world:
        call = _remembered(world)
        scp = sim.organizations.create_organization_policy("no-list", document(deny("s3:ListAllMyBuckets")))
        sim.organizations.attach_organization_policy(scp.policy_id, ACCOUNT)
        assert _code(call) == "AccessDenied"


def test_remembered_session_expires_under_time_machine_G9() -> None:
    """§G.9: with time-machine moving the wall clock (the simulator's and botocore's), a remembered session is
    ExpiredToken from its expiration on, and the remembered decision does not outlive it."""
    import time_machine

    with time_machine.travel(datetime(2030, 1, 1, tzinfo=UTC), tick=False) as traveller, moto_world() as world:
        call = _remembered(world)
        traveller.shift(timedelta(seconds=3599))
        call()
        traveller.shift(timedelta(seconds=1))
        assert _code(call) == "ExpiredToken"


def test_remembered_key_is_refused_once_its_user_is_gone_G9() -> None:
    """§G.9: a user's key remembered by the hook, then the key and user deleted (as AWS requires, keys first): the
    next call is InvalidAccessKeyId, and a user of the same name made again does not bring the key back."""
    with moto_world() as world:
        world.sim.create_user("app")
        world.sim.put_user_policy("app", "list", document(allow("s3:ListAllMyBuckets")))
        key = world.sim.create_access_key("app")
        s3 = boto3.Session(
            aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key, region_name=REGION
        ).client("s3")
        s3.list_buckets()
        s3.list_buckets()
        world.sim.delete_access_key("app", key.access_key_id)
        world.sim.delete_user_policy("app", "list")
        world.sim.delete_user("app")
        world.sim.create_user("app")
        world.sim.put_user_policy("app", "list", document(allow("s3:ListAllMyBuckets")))
        assert _code(s3.list_buckets) == "InvalidAccessKeyId"
