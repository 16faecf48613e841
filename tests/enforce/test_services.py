"""DynamoDB, SQS and KMS calls through boto3 are authorized before moto answers (§F; issue 13).

Per service: an allowed call, an identity-policy denial, a resource-policy denial, a condition on
a service key, and the service's error shape as botocore parses it.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, allow, deny, document, error_of, moto_world

TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders"


def _orders(world_root: object) -> None:
    dynamodb = world_root.client("dynamodb")  # type: ignore[attr-defined]
    dynamodb.create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "customer", "KeyType": "HASH"}, {"AttributeName": "id", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "customer", "AttributeType": "S"},
            {"AttributeName": "id", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for customer in ("alice", "bob"):
        dynamodb.put_item(TableName="orders", Item={"customer": {"S": customer}, "id": {"S": "1"}})


def test_dynamodb_get_item_allowed_and_put_item_denied_with_access_denied_exception_F1() -> None:
    """§F.1: GetItem allowed by the role; PutItem is DynamoDB's AccessDeniedException (400) in AWS's words."""
    with moto_world() as world:
        _orders(world.root)
        dynamodb = world.role("Reader", allow("dynamodb:GetItem", TABLE)).client("dynamodb")
        item = dynamodb.get_item(TableName="orders", Key={"customer": {"S": "alice"}, "id": {"S": "1"}})
        assert item["Item"]["customer"] == {"S": "alice"}
        with pytest.raises(ClientError) as caught:
            dynamodb.put_item(TableName="orders", Item={"customer": {"S": "eve"}, "id": {"S": "9"}})
        assert error_of(caught) == (
            "AccessDeniedException",
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Reader/app is not authorized to perform: dynamodb:PutItem"
            f" on resource: {TABLE} because no identity-based policy allows the dynamodb:PutItem action",
            400,
        )


def test_dynamodb_leading_keys_condition_F1_C() -> None:
    """dynamodb:LeadingKeys (the partition key's value, learnt from CreateTable) limits a reader to its rows."""
    with moto_world() as world:
        _orders(world.root)
        own_rows = allow(
            "dynamodb:GetItem",
            TABLE,
            Condition={"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["alice"]}},
        )
        dynamodb = world.role("Alice", own_rows).client("dynamodb")
        dynamodb.get_item(TableName="orders", Key={"customer": {"S": "alice"}, "id": {"S": "1"}})
        with pytest.raises(ClientError) as caught:
            dynamodb.get_item(TableName="orders", Key={"customer": {"S": "bob"}, "id": {"S": "1"}})
        assert error_of(caught)[0] == "AccessDeniedException"


def test_dynamodb_resource_policy_deny_and_batch_per_table_F1() -> None:
    """§F.1 step 1: a table's resource policy denies; BatchGetItem is one request per table."""
    with moto_world() as world:
        _orders(world.root)
        dynamodb = world.role("Reader", allow(["dynamodb:GetItem", "dynamodb:BatchGetItem"], TABLE)).client("dynamodb")
        key = {"customer": {"S": "alice"}, "id": {"S": "1"}}
        dynamodb.batch_get_item(RequestItems={"orders": {"Keys": [key]}})
        world.sim.resources.put_policy(
            TABLE, document(deny("dynamodb:*", TABLE, Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:role/Reader"}))
        )
        for call in (
            lambda: dynamodb.get_item(TableName="orders", Key=key),
            lambda: dynamodb.batch_get_item(RequestItems={"orders": {"Keys": [key]}}),
        ):
            with pytest.raises(ClientError) as caught:
                call()
            code, message, _ = error_of(caught)
            assert code == "AccessDeniedException"
            assert message.endswith("with an explicit deny in a resource-based policy")


def test_sqs_send_allowed_receive_denied_query_compatible_error_F1() -> None:
    """§F.1: SendMessage allowed, ReceiveMessage refused; SQS's JSON protocol carries the Query code AccessDenied."""
    with moto_world() as world:
        url = world.root.client("sqs").create_queue(QueueName="jobs")["QueueUrl"]
        queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs"
        sqs = world.role("Producer", allow("sqs:SendMessage", queue)).client("sqs")
        sqs.send_message(QueueUrl=url, MessageBody="job 1")
        with pytest.raises(ClientError) as caught:
            sqs.receive_message(QueueUrl=url)
        code, message, status = error_of(caught)
        assert (code, status) == ("AccessDenied", 403)
        assert f"sqs:ReceiveMessage on resource: {queue}" in message


def test_sqs_queue_policy_from_set_queue_attributes_denies_F1() -> None:
    """The queue policy the app sets with SetQueueAttributes is observed and applies (§F.1 step 1)."""
    with moto_world() as world:
        root_sqs = world.root.client("sqs")
        url = root_sqs.create_queue(QueueName="jobs")["QueueUrl"]
        queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs"
        sqs = world.role("Producer", allow("sqs:SendMessage", queue)).client("sqs")
        policy = document(deny("sqs:SendMessage", queue, Principal="*"))
        root_sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy})
        with pytest.raises(ClientError) as caught:
            sqs.send_message(QueueUrl=url, MessageBody="x")
        assert error_of(caught)[1].endswith("with an explicit deny in a resource-based policy")


def test_sqs_request_tag_condition_on_create_queue_F1_C() -> None:
    """aws:RequestTag/* from CreateQueue's tags: the role may create only queues tagged team=ops."""
    with moto_world() as world:
        tagged = allow("sqs:CreateQueue", "*", Condition={"StringEquals": {"aws:RequestTag/team": "ops"}})
        sqs = world.role("Creator", tagged).client("sqs")
        sqs.create_queue(QueueName="ops-queue", tags={"team": "ops"})
        with pytest.raises(ClientError) as caught:
            sqs.create_queue(QueueName="dev-queue", tags={"team": "dev"})
        assert error_of(caught)[0] == "AccessDenied"
        assert world.sim.resources.tags(f"arn:aws:sqs:{REGION}:{ACCOUNT}:ops-queue") == {"team": "ops"}


def test_kms_encrypt_allowed_decrypt_denied_and_key_policy_rule_F6() -> None:
    """§F.6: IAM policies count only when the key policy grants the account; KMS's AccessDeniedException."""
    with moto_world() as world:
        kms_root = world.root.client("kms")
        key = kms_root.create_key()["KeyMetadata"]
        kms = world.role("Encrypter", allow("kms:Encrypt", key["Arn"])).client("kms")
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"secret")
        with pytest.raises(ClientError) as caught:
            kms.decrypt(CiphertextBlob=b"x" * 32, KeyId=key["KeyId"])
        code, message, status = error_of(caught)
        assert (code, status) == ("AccessDeniedException", 400)
        assert f"kms:Decrypt on resource: {key['Arn']}" in message
        # A key policy that does not name the account: the role's IAM allow no longer counts (§F.6).
        only_admin = document(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/admin"},
                "Action": "kms:*",
                "Resource": "*",
            }
        )
        kms_root.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=only_admin)
        assert json.loads(world.sim.resources.policy(key["Arn"]) or "{}") == json.loads(only_admin)
        with pytest.raises(ClientError) as caught:
            kms.encrypt(KeyId=key["KeyId"], Plaintext=b"secret")
        assert error_of(caught)[0] == "AccessDeniedException"


def test_kms_encryption_context_condition_F1_C() -> None:
    """kms:EncryptionContext:<key> from the request's EncryptionContext."""
    with moto_world() as world:
        key = world.root.client("kms").create_key()["KeyMetadata"]
        scoped = allow("kms:Encrypt", key["Arn"], Condition={"StringEquals": {"kms:EncryptionContext:tenant": "acme"}})
        kms = world.role("Tenant", scoped).client("kms")
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"s", EncryptionContext={"tenant": "acme"})
        with pytest.raises(ClientError) as caught:
            kms.encrypt(KeyId=key["KeyId"], Plaintext=b"s", EncryptionContext={"tenant": "other"})
        assert error_of(caught)[0] == "AccessDeniedException"


def test_kms_caller_account_condition_is_the_callers_own_account_F1_E() -> None:
    """§E, §F.1: kms:CallerAccount is the account of the principal calling KMS
    (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html)."""
    with moto_world() as world:
        key = world.root.client("kms").create_key()["KeyMetadata"]
        own = allow("kms:Encrypt", key["Arn"], Condition={"StringEquals": {"kms:CallerAccount": ACCOUNT}})
        world.role("OwnAccount", own).client("kms").encrypt(KeyId=key["KeyId"], Plaintext=b"s")
        other = allow("kms:Encrypt", key["Arn"], Condition={"StringEquals": {"kms:CallerAccount": "999999999999"}})
        with pytest.raises(ClientError) as caught:
            world.role("OtherAccount", other).client("kms").encrypt(KeyId=key["KeyId"], Plaintext=b"s")
        assert error_of(caught)[0] == "AccessDeniedException"
        # A key-less action carries it too.
        listing = allow("kms:ListKeys", "*", Condition={"StringEquals": {"kms:CallerAccount": ACCOUNT}})
        world.role("Lister", listing).client("kms").list_keys()


@pytest.mark.parametrize(
    ("service", "call", "code"),
    [
        ("s3", lambda c: c.list_buckets(), "InvalidAccessKeyId"),
        ("dynamodb", lambda c: c.list_tables(), "UnrecognizedClientException"),
        ("sqs", lambda c: c.list_queues(), "InvalidClientTokenId"),
        ("kms", lambda c: c.list_keys(), "UnrecognizedClientException"),
    ],
)
def test_unknown_keys_get_each_services_error_G9(service: str, call: object, code: str) -> None:
    """§G.9, §F.7 (each protocol's errors): keys the simulator never issued are refused in each service's own words."""
    import boto3

    with moto_world():
        client = boto3.Session(aws_access_key_id="AKIAUNKNOWN", aws_secret_access_key="x", region_name=REGION).client(
            service
        )
        with pytest.raises(ClientError) as caught:
            call(client)  # type: ignore[operator]
        assert error_of(caught)[0] == code


def test_unmapped_operation_is_refused_unless_opted_in() -> None:
    """An operation no table maps is refused, naming it and how to map it; allow_unmapped lets it through."""
    with moto_world() as world:
        ses = world.root.client("ses")
        with pytest.raises(ClientError) as caught:
            ses.list_identities()
        assert "no authorization mapping for ses:ListIdentities" in error_of(caught)[1]
        assert world.sim.resources.denials[-1].operation == "ListIdentities"
    with moto_world(allow_unmapped=True) as world:
        assert world.root.client("ses").list_identities()["Identities"] == []


def test_the_refusal_names_a_public_mapping_that_works() -> None:
    """The unmapped refusal points at iamsim.boto3.need and mappings=; doing what it says maps the call."""
    from iamsim.boto3 import need

    with moto_world() as world:
        with pytest.raises(ClientError) as caught:
            world.root.client("ses").list_identities()
        message = error_of(caught)[1]
        assert "mappings={'ses': {'ListIdentities': (need(" in message
        assert "iamsim.boto3.need" in message
    with moto_world(mappings={"ses": {"ListIdentities": (need("ses:ListIdentities"),)}}) as world:
        assert world.root.client("ses").list_identities()["Identities"] == []
