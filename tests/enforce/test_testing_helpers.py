"""iamsim.testing's assertions decide with what the boto3 hook would: the resource side from sim.resources (§F.7).

The app under test sets a resource policy or tags through boto3 (moto answers, iamsim learns
them); ``assert_allowed``/``assert_denied`` on the same request must agree with the refusal
the real call gets, so a test can assert on a decision without making the call.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from iamsim.testing import assert_allowed, assert_denied

from .world import ACCOUNT, REGION, allow, deny, document, error_of, moto_world

TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders"
READER = f"arn:aws:iam::{ACCOUNT}:role/Reader"
KEY = {"customer": {"S": "alice"}}


def _table(world_root: object) -> None:
    world_root.client("dynamodb").create_table(  # type: ignore[attr-defined]
        TableName="orders",
        KeySchema=[{"AttributeName": "customer", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "customer", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def _credentials(session: object) -> dict[str, str]:
    frozen = session.get_credentials().get_frozen_credentials()  # type: ignore[attr-defined]
    return {"AccessKeyId": frozen.access_key, "SecretAccessKey": frozen.secret_key, "SessionToken": frozen.token}


def test_dynamodb_table_policy_learnt_through_boto3_decides_the_assertions_F7() -> None:
    """§F.7 (with §F.1 step 1): a table policy put through boto3 denies; the helpers say so, as the call does.

    AWS: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html
    """
    with moto_world() as world:
        _table(world.root)
        reader = world.role("Reader", allow("dynamodb:GetItem", TABLE))
        world.root.client("dynamodb").put_resource_policy(
            ResourceArn=TABLE, Policy=document(deny("dynamodb:GetItem", TABLE, Principal={"AWS": READER}))
        )
        with pytest.raises(ClientError) as caught:
            reader.client("dynamodb").get_item(TableName="orders", Key=KEY)
        assert error_of(caught)[0] == "AccessDeniedException"
        who = _credentials(reader)
        assert_denied(world.sim, who, "dynamodb:GetItem", TABLE, decision="explicitDeny")
        with pytest.raises(AssertionError) as failed:
            assert_allowed(world.sim, who, "dynamodb:GetItem", TABLE)
        message = str(failed.value)
        assert "decision: explicitDeny" in message
        assert "resource-based policy" in message


def test_s3_bucket_policy_governs_an_object_arn_F7() -> None:
    """§F.7: the bucket's policy (learnt from PutBucketPolicy) governs its objects' ARNs in the helpers too.

    AWS: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
    """
    with moto_world() as world:
        s3 = world.root.client("s3")
        s3.create_bucket(Bucket="company1-logs")
        s3.put_object(Bucket="company1-logs", Key="app.log", Body=b"x")
        reader = world.role("Reader", allow("s3:GetObject", "arn:aws:s3:::company1-logs/*"))
        obj = "arn:aws:s3:::company1-logs/app.log"
        who = _credentials(reader)
        assert_allowed(world.sim, who, "s3:GetObject", obj)
        s3.put_bucket_policy(
            Bucket="company1-logs",
            Policy=document(deny("s3:GetObject", "arn:aws:s3:::company1-logs/*", Principal={"AWS": READER})),
        )
        with pytest.raises(ClientError) as caught:
            reader.client("s3").get_object(Bucket="company1-logs", Key="app.log")
        assert error_of(caught)[0] == "AccessDenied"
        assert_denied(world.sim, who, "s3:GetObject", obj, decision="explicitDeny")


def test_resource_tag_condition_reads_the_tags_learnt_through_boto3_F7_E() -> None:
    """§E (aws:ResourceTag/<k>) and §F.7: a queue's tags set through boto3 meet the helpers' conditions.

    AWS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag
    """
    with moto_world() as world:
        sqs = world.root.client("sqs")
        url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
        queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs"
        blue_only = allow("sqs:SendMessage", queue, Condition={"StringEquals": {"aws:ResourceTag/team": "blue"}})
        who = _credentials(world.role("Producer", blue_only))
        assert_denied(world.sim, who, "sqs:SendMessage", queue, decision="implicitDeny")
        sqs.tag_queue(QueueUrl=url, Tags={"team": "blue"})
        assert_allowed(world.sim, who, "sqs:SendMessage", queue)
        # A key the caller gives replaces the tag's, whatever its case.
        assert_denied(world.sim, who, "sqs:SendMessage", queue, context={"aws:resourcetag/team": "red"})
