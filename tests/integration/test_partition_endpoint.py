"""The partition follows the endpoint's region: a world answers its own partition's endpoints only."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

import iamsim.boto3
from iamsim._simulator import Simulator


def _session(sim: Simulator, region: str) -> boto3.Session:
    root = sim.root_credentials()
    return boto3.Session(
        aws_access_key_id=root.access_key_id, aws_secret_access_key=root.secret_access_key, region_name=region
    )


@pytest.mark.parametrize(("partition", "region"), [("aws-cn", "cn-north-1"), ("aws-us-gov", "us-gov-west-1")])
def test_a_world_of_the_endpoints_partition_answers_with_its_arns_G9(partition: str, region: str) -> None:
    """§G.9: a request to a partition's endpoint is answered with that partition's ARNs."""
    sim = Simulator(partition=partition)
    session = _session(sim, region)
    with iamsim.boto3.attach(sim, session):
        assert session.client("iam").create_user(UserName="u")["User"]["Arn"].startswith(f"arn:{partition}:iam::")
        assert session.client("sts").get_caller_identity()["Arn"].startswith(f"arn:{partition}:iam::")


@pytest.mark.parametrize("region", ["cn-north-1", "us-gov-west-1"])
def test_keys_of_one_partition_are_unknown_at_another_partitions_endpoint_G9(region: str) -> None:
    """§G.9: no access key exists in two partitions, so a commercial key at a China or GovCloud endpoint is
    InvalidClientTokenId, and nothing is created."""
    sim = Simulator()
    session = _session(sim, region)
    with iamsim.boto3.attach(sim, session), pytest.raises(ClientError) as raised:
        session.client("iam").create_user(UserName="u")
    assert raised.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert "Simulator(partition=" in raised.value.response["Error"]["Message"]
    assert all(user.user_name != "u" for user in sim.iam.list_users())
