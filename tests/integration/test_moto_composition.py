"""iamsim serves IAM and STS while moto serves S3, whichever is switched on first."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from role_world import ACCOUNT, REGION, build_role_world, client_for, document, root_session

import iamsim.boto3
from iamsim import ManualClock
from iamsim._simulator import Simulator

#: Keeps moto's before-send handler away from the services iamsim serves (see docs/testing.md).
MOTO_PASSTHROUGH = {"core": {"passthrough": {"services": ["iam", "sts"]}}}


@contextmanager
def _both(sim: Simulator, order: str) -> Iterator[None]:
    if order == "moto-first":
        with mock_aws(config=MOTO_PASSTHROUGH), iamsim.boto3.patch(sim):
            yield
    elif order == "iamsim-first":
        with iamsim.boto3.patch(sim), mock_aws(config=MOTO_PASSTHROUGH):
            yield
    else:
        # moto's default config: moto also processes IAM/STS requests, iamsim's answers are used.
        with mock_aws(), iamsim.boto3.patch(sim):
            yield


@pytest.mark.parametrize("order", ["moto-first", "iamsim-first", "moto-default-config"])
def test_role_flow_with_s3_from_moto_G1_G9(order: str) -> None:
    """§G.1/§G.9 with moto: identities and decisions from iamsim, buckets from moto."""
    clock = ManualClock()
    sim = Simulator(clock=clock)
    with _both(sim, order):
        # IAM/STS go to iamsim and must be signed with its keys; moto serves S3 to any keys.
        session = root_session(sim)
        world = build_role_world(session)
        s3 = session.client("s3")
        s3.create_bucket(Bucket="reports-bucket")
        s3.put_object(Bucket="reports-bucket", Key="q1.txt", Body=b"numbers")

        credentials = world.sts_as(world.alice).assume_role(RoleArn=world.role_arn, RoleSessionName="s1")["Credentials"]
        identity = client_for(session, "sts", credentials).get_caller_identity()
        assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/reader/s1"
        assert sim.get_role("reader").arn == world.role_arn

        with pytest.raises(ClientError) as caught:
            world.sts_as(world.bob).assume_role(RoleArn=world.role_arn, RoleSessionName="s1")
        assert caught.value.response["Error"]["Code"] == "AccessDenied"

        with pytest.raises(ClientError) as caught:
            client_for(session, "iam", credentials).create_role(RoleName="x", AssumeRolePolicyDocument=document())
        assert caught.value.response["Error"]["Code"] == "AccessDenied"

        # iamsim authorizes the S3 call before moto answers: the reader role has no S3 permission (§F.1).
        with pytest.raises(ClientError) as caught:
            client_for(session, "s3", credentials).get_object(Bucket="reports-bucket", Key="q1.txt")
        assert caught.value.response["Error"]["Code"] == "AccessDenied"
        assert s3.get_object(Bucket="reports-bucket", Key="q1.txt")["Body"].read() == b"numbers"

        clock.advance(3600)
        with pytest.raises(ClientError) as caught:
            client_for(session, "sts", credentials).get_caller_identity()
        assert caught.value.response["Error"]["Code"] == "ExpiredToken"
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["reports-bucket"]


def test_moto_also_runs_on_iam_calls_without_passthrough() -> None:
    """botocore calls every before-send handler; iamsim's answer wins, but moto still processes the
    request and raises for IAM operations it lacks. This pins the behaviour docs/testing.md warns about."""
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})
    sim = Simulator()
    keys = sim.root_credentials()
    with mock_aws(), iamsim.boto3.patch(sim):
        iam = boto3.client(
            "iam",
            region_name=REGION,
            aws_access_key_id=keys.access_key_id,
            aws_secret_access_key=keys.secret_access_key,
        )
        with pytest.raises(NotImplementedError):
            iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:GetObject"])


def test_simulator_api_is_served_by_iamsim_under_moto_passthrough_I() -> None:
    """§I: with moto told to pass IAM and STS through, SimulateCustomPolicy comes from iamsim's engine."""
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})
    sim = Simulator()
    keys = sim.root_credentials()
    with mock_aws(config=MOTO_PASSTHROUGH), iamsim.boto3.patch(sim):
        iam = boto3.client(
            "iam",
            region_name=REGION,
            aws_access_key_id=keys.access_key_id,
            aws_secret_access_key=keys.secret_access_key,
        )
        result = iam.simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:GetObject"])
    assert result["EvaluationResults"][0]["EvalDecision"] == "explicitDeny"
