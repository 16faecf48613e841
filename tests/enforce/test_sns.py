"""Amazon SNS calls through boto3 are authorized before moto answers (§F, §F.7; issue 13).

AWS source: "Actions, resources, and condition keys for Amazon SNS"
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, allow, deny, document, error_of, moto_world

TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts"


def test_sns_publish_allowed_and_delete_refused_with_authorization_error_F1_F7() -> None:
    """§F.7: Publish is sns:Publish on the topic; a refusal is SNS's AuthorizationError (403) in AWS's words."""
    with moto_world() as world:
        world.root.client("sns").create_topic(Name="alerts")
        sns = world.role("Publisher", allow("sns:Publish", TOPIC)).client("sns")
        sns.publish(TopicArn=TOPIC, Message="up")
        sns.publish_batch(TopicArn=TOPIC, PublishBatchRequestEntries=[{"Id": "1", "Message": "up"}])
        with pytest.raises(ClientError) as caught:
            sns.delete_topic(TopicArn=TOPIC)
        assert error_of(caught) == (
            "AuthorizationError",
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Publisher/app is not authorized to perform: sns:DeleteTopic"
            f" on resource: {TOPIC} because no identity-based policy allows the sns:DeleteTopic action",
            403,
        )
        assert world.root.client("sns").list_topics()["Topics"] == [{"TopicArn": TOPIC}]


def test_sns_topic_policy_from_create_topic_and_set_topic_attributes_F7() -> None:
    """§F.7: the topic policy given to CreateTopic, then replaced by SetTopicAttributes, takes part in decisions."""
    with moto_world() as world:
        root = world.root.client("sns")
        closed = document(deny("sns:Publish", TOPIC, Principal="*"))
        root.create_topic(Name="alerts", Attributes={"Policy": closed})
        sns = world.role("Publisher", allow("sns:Publish", TOPIC)).client("sns")
        with pytest.raises(ClientError) as caught:
            sns.publish(TopicArn=TOPIC, Message="up")
        assert error_of(caught)[1].endswith("with an explicit deny in a resource-based policy")
        open_policy = document(allow("sns:Publish", TOPIC, Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}))
        root.set_topic_attributes(TopicArn=TOPIC, AttributeName="Policy", AttributeValue=open_policy)
        sns.publish(TopicArn=TOPIC, Message="up")


def test_sns_subscribe_protocol_condition_and_subscription_on_its_topic_F7() -> None:
    """sns:Protocol on Subscribe; Unsubscribe acts on the subscription's topic (service authorization reference)."""
    with moto_world() as world:
        world.root.client("sns").create_topic(Name="alerts")
        queue_arn = world.root.client("sqs").get_queue_attributes(
            QueueUrl=world.root.client("sqs").create_queue(QueueName="inbox")["QueueUrl"], AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        only_sqs = allow("sns:Subscribe", TOPIC, Condition={"StringEquals": {"sns:Protocol": "sqs"}})
        sns = world.role("Subscriber", only_sqs, allow("sns:Unsubscribe", TOPIC)).client("sns")
        subscription = sns.subscribe(TopicArn=TOPIC, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
        with pytest.raises(ClientError) as caught:
            sns.subscribe(TopicArn=TOPIC, Protocol="email", Endpoint="ops@example.com")
        assert error_of(caught)[0] == "AuthorizationError"
        sns.unsubscribe(SubscriptionArn=subscription)


def test_sns_create_topic_request_tags_and_resource_tag_condition_F7() -> None:
    """aws:RequestTag/* from CreateTopic's tags; the recorded tags are aws:ResourceTag/* of later calls."""
    with moto_world() as world:
        creator = world.role(
            "Creator",
            allow("sns:CreateTopic", "*", Condition={"StringEquals": {"aws:RequestTag/team": "ops"}}),
            allow("sns:Publish", "*", Condition={"StringEquals": {"aws:ResourceTag/team": "ops"}}),
        ).client("sns")
        arn = creator.create_topic(Name="alerts", Tags=[{"Key": "team", "Value": "ops"}])["TopicArn"]
        creator.publish(TopicArn=arn, Message="up")
        with pytest.raises(ClientError):
            creator.create_topic(Name="other", Tags=[{"Key": "team", "Value": "dev"}])
        world.root.client("sns").tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "dev"}])
        with pytest.raises(ClientError):
            creator.publish(TopicArn=arn, Message="up")
