"""The ``after-call`` handler is registered for exactly the observed operations (§F.7; ``_enforce/hook.py``).

botocore emits ``after-call.{service id, hyphenized}.{operation}`` on the client's emitter;
iamsim registers its observer there only for the operations whose successful answer it
records, so every other call (``GetItem``, ``GetObject``) calls no iamsim handler after the
answer. These tests pin that every observed operation of every table is still reached, and
that the event names are the ones botocore emits.
"""

from __future__ import annotations

import boto3
import botocore.session
import pytest

import iamsim.boto3
from iamsim import Simulator
from iamsim._enforce.hook import after_call_events
from iamsim._enforce.observe import observed

from .world import ACCOUNT, REGION, allow, document, moto_world

_MODELS = botocore.session.get_session()


def _event(service: str, operation: str) -> str:
    """The event botocore's client emits after ``operation`` of ``service`` (``BaseClient._make_api_call``)."""
    return f"after-call.{_MODELS.get_service_model(service).service_id.hyphenize()}.{operation}"


@pytest.mark.parametrize(("service", "operation"), observed())
def test_every_observed_operation_has_the_event_botocore_emits_F7(service: str, operation: str) -> None:
    """§F.7: each observed operation exists in botocore's model and is registered under botocore's event name."""
    assert operation in _MODELS.get_service_model(service).operation_names
    assert _event(service, operation) in after_call_events()


def test_the_observer_is_registered_on_those_events_only_F7() -> None:
    """§F.7: an attached client calls the observer after an observed operation and after no other."""
    client = boto3.client("dynamodb", region_name=REGION, aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="x")
    with iamsim.boto3.attach(Simulator(), client) as attachment:
        enforcement = attachment.hook.enforcement
        assert enforcement is not None
        emitter = client.meta.events._emitter

        def observer_called(event: str) -> bool:
            return enforcement.after_call in list(emitter._handlers.prefix_search(event))

        assert all(observer_called(event) for event in after_call_events())
        assert not observer_called("after-call.dynamodb.GetItem")
        assert not observer_called("after-call.s3.GetObject")
        assert not observer_called("after-call.sqs.SendMessage")
    assert not observer_called("after-call.dynamodb.CreateTable")


def test_observed_calls_of_several_services_still_reach_the_observer_F7() -> None:
    """§F.7: a bucket policy, a queue policy, a table's partition key and a key's tags are learnt after the call."""
    sim = Simulator()
    with moto_world(sim) as world:
        policy = document(allow("s3:GetObject", "arn:aws:s3:::company1-logs/*", Principal="*"))
        s3 = world.root.client("s3")
        s3.create_bucket(Bucket="company1-logs")
        s3.put_bucket_policy(Bucket="company1-logs", Policy=policy)
        assert sim.resources.policy("arn:aws:s3:::company1-logs") == policy
        assert sim.resources.owner("arn:aws:s3:::company1-logs") == ACCOUNT

        queue_policy = document(allow("sqs:SendMessage", "*", Principal="*"))
        sqs = world.root.client("sqs")
        url = sqs.create_queue(QueueName="jobs", Attributes={"Policy": queue_policy})["QueueUrl"]
        assert sim.resources.policy(f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs") == queue_policy
        sqs.tag_queue(QueueUrl=url, Tags={"team": "a"})
        assert sim.resources.tags(f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs") == {"team": "a"}

        dynamodb = world.root.client("dynamodb")
        dynamodb.create_table(
            TableName="orders",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders"
        assert sim.resources.fact(table, "partition_key") == "pk"

        kms = world.root.client("kms")
        key = kms.create_key()["KeyMetadata"]
        kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "team", "TagValue": "b"}])
        assert sim.resources.tags(key["Arn"]) == {"team": "b"}
