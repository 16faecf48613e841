"""Amazon Kinesis Data Streams calls through boto3 are authorized before moto answers (§F, §F.7; issue 13).

AWS source: "Actions, resources, and condition keys for Amazon Kinesis Data Streams"
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesis.html).
Kinesis documents no service condition keys of its own: conditions use aws:ResourceTag/* and aws:RequestTag/*.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, allow, deny, document, error_of, moto_world

STREAM = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/events"


def test_kinesis_put_record_allowed_delete_refused_with_access_denied_exception_F7() -> None:
    """§F.7: PutRecord is kinesis:PutRecord on the stream; a refusal is AccessDeniedException (400)."""
    with moto_world() as world:
        world.root.client("kinesis").create_stream(StreamName="events", ShardCount=1)
        kinesis = world.role("Producer", allow("kinesis:PutRecord", STREAM)).client("kinesis")
        kinesis.put_record(StreamName="events", Data=b"x", PartitionKey="k")
        kinesis.put_record(StreamARN=STREAM, Data=b"x", PartitionKey="k")
        with pytest.raises(ClientError) as caught:
            kinesis.delete_stream(StreamName="events")
        assert error_of(caught) == (
            "AccessDeniedException",
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Producer/app is not authorized to perform: kinesis:DeleteStream"
            f" on resource: {STREAM} because no identity-based policy allows the kinesis:DeleteStream action",
            400,
        )


def test_kinesis_identity_deny_and_stream_policy_deny_F1_F7() -> None:
    """§F.1: a Deny in the identity policy or in the stream's resource policy (PutResourcePolicy) refuses."""
    with moto_world() as world:
        root = world.root.client("kinesis")
        root.create_stream(StreamName="events", ShardCount=1)
        kinesis = world.role("Reader", allow("kinesis:*", "*"), deny("kinesis:ListShards", STREAM)).client("kinesis")
        kinesis.describe_stream_summary(StreamName="events")
        with pytest.raises(ClientError) as caught:
            kinesis.list_shards(StreamName="events")
        assert "with an explicit deny in an identity-based policy" in error_of(caught)[1]
        root.put_resource_policy(ResourceARN=STREAM, Policy=document(deny("kinesis:PutRecord", STREAM, Principal="*")))
        with pytest.raises(ClientError) as caught:
            kinesis.put_record(StreamName="events", Data=b"x", PartitionKey="k")
        assert error_of(caught)[1].endswith("with an explicit deny in a resource-based policy")
        root.delete_resource_policy(ResourceARN=STREAM)
        kinesis.put_record(StreamName="events", Data=b"x", PartitionKey="k")


def test_kinesis_tag_conditions_and_consumer_by_name_F7() -> None:
    """aws:RequestTag/* from CreateStream's tags, aws:ResourceTag/* after; a consumer named by name needs its ARN."""
    with moto_world() as world:
        tagged = {"StringEquals": {"aws:ResourceTag/team": "ops"}}
        kinesis = world.role(
            "Owner",
            allow("kinesis:CreateStream", "*", Condition={"StringEquals": {"aws:RequestTag/team": "ops"}}),
            allow(["kinesis:DescribeStream", "kinesis:RegisterStreamConsumer"], "*", Condition=tagged),
            allow("kinesis:DescribeStreamConsumer", f"{STREAM}/consumer/*"),
        ).client("kinesis")
        kinesis.create_stream(StreamName="events", ShardCount=1, Tags={"team": "ops"})
        kinesis.describe_stream(StreamName="events")
        with pytest.raises(ClientError):
            kinesis.create_stream(StreamName="other", ShardCount=1, Tags={"team": "dev"})
        kinesis.register_stream_consumer(StreamARN=STREAM, ConsumerName="reader")
        kinesis.describe_stream_consumer(StreamARN=STREAM, ConsumerName="reader")
        with pytest.raises(ClientError) as caught:
            kinesis.describe_stream_consumer(StreamARN=STREAM, ConsumerName="never-registered")
        assert "does not know the ARN of consumer" in error_of(caught)[1]
