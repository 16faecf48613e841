"""KMS requests a service makes with the caller's credentials: SSE-KMS on S3, an SQS queue's key (§F.7, §F.6).

AWS sources: "Using server-side encryption with AWS KMS keys (SSE-KMS)"
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html), "Amazon SQS key
management" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html),
the ``kms:ViaService`` key (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html) and
``aws:CalledVia`` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, World, allow, deny, document, error_of, moto_world

BUCKET = "arn:aws:s3:::vault"
OBJECTS = "arn:aws:s3:::vault/*"
QUEUE = f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs"
VIA_S3 = {"StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}}
VIA_SQS = {"StringEquals": {"kms:ViaService": f"sqs.{REGION}.amazonaws.com"}}


def _key(world: World, policy: str | None = None) -> dict[str, Any]:
    kms = world.root.client("kms")
    metadata: dict[str, Any] = kms.create_key(**({"Policy": policy} if policy else {}))["KeyMetadata"]
    return metadata


def _vault(world: World) -> Any:
    s3 = world.root.client("s3")
    s3.create_bucket(Bucket="vault")
    return s3


def test_s3_put_with_sse_kms_needs_generate_data_key_via_s3_F7_F6() -> None:
    """§F.7: PutObject with aws:kms and a key id also needs kms:GenerateDataKey on that key; S3's AccessDenied."""
    with moto_world() as world:
        _vault(world)
        key = _key(world)
        writer = world.role("Writer", allow("s3:PutObject", OBJECTS)).client("s3")
        with pytest.raises(ClientError) as caught:
            writer.put_object(
                Bucket="vault", Key="a", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"]
            )
        code, message, status = error_of(caught)
        assert (code, status) == ("AccessDenied", 403)
        assert f'kms:GenerateDataKey on resource: "{key["Arn"]}"' in message
        # Unencrypted (or SSE-S3) writes need no KMS permission.
        writer.put_object(Bucket="vault", Key="plain", Body=b"x")
        writer.put_object(Bucket="vault", Key="s3", Body=b"x", ServerSideEncryption="AES256")
        # The AWS managed key aws/s3 is allowed to the account's principals through S3 by its own policy.
        writer.put_object(Bucket="vault", Key="managed", Body=b"x", ServerSideEncryption="aws:kms")
        allowed = world.role(
            "KeyWriter", allow("s3:PutObject", OBJECTS), allow("kms:GenerateDataKey", key["Arn"], Condition=VIA_S3)
        ).client("s3")
        allowed.put_object(Bucket="vault", Key="a", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["Arn"])


def test_s3_get_of_sse_kms_object_needs_decrypt_and_called_via_F7() -> None:
    """§F.7: reading an object written with a customer managed key needs kms:Decrypt; aws:CalledVia is [s3]."""
    with moto_world() as world:
        s3 = _vault(world)
        key = _key(world)
        s3.put_object(
            Bucket="vault", Key="secret", Body=b"data", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"]
        )
        s3.put_object(Bucket="vault", Key="open", Body=b"data")
        reader = world.role("Reader", allow("s3:GetObject", OBJECTS)).client("s3")
        assert reader.get_object(Bucket="vault", Key="open")["Body"].read() == b"data"
        with pytest.raises(ClientError) as caught:
            reader.get_object(Bucket="vault", Key="secret")
        assert error_of(caught)[0] == "AccessDenied"
        assert f'kms:Decrypt on resource: "{key["Arn"]}"' in error_of(caught)[1]
        called_via = {"ForAnyValue:StringEquals": {"aws:CalledVia": "s3.amazonaws.com"}}
        decrypter = world.role(
            "Decrypter", allow("s3:GetObject", OBJECTS), allow("kms:Decrypt", key["Arn"], Condition=called_via)
        ).client("s3")
        assert decrypter.get_object(Bucket="vault", Key="secret")["Body"].read() == b"data"


def test_s3_bucket_default_encryption_key_and_identity_deny_F7_F1() -> None:
    """§F.7: a bucket whose default encryption is aws:kms with a key makes every plain write need the key."""
    with moto_world() as world:
        s3 = _vault(world)
        key = _key(world)
        rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["Arn"]}}
        s3.put_bucket_encryption(Bucket="vault", ServerSideEncryptionConfiguration={"Rules": [rule]})
        session = world.role(
            "Writer",
            allow(["s3:PutObject", "s3:GetObject"], OBJECTS),
            allow(["kms:GenerateDataKey", "kms:Decrypt"], key["Arn"]),
            deny(
                "kms:Decrypt", "*", Condition={"StringNotEquals": {"kms:EncryptionContext:aws:s3:arn": f"{BUCKET}/a"}}
            ),
        )
        writer = session.client("s3")
        writer.put_object(Bucket="vault", Key="a", Body=b"1")
        writer.put_object(Bucket="vault", Key="b", Body=b"2")
        assert writer.get_object(Bucket="vault", Key="a")["Body"].read() == b"1"
        # The encryption context S3 passes is the object's ARN: the Deny on any other object's context applies.
        with pytest.raises(ClientError) as caught:
            writer.get_object(Bucket="vault", Key="b")
        code, message, _ = error_of(caught)
        assert code == "AccessDenied"
        assert "kms:Decrypt" in message
        assert "explicit deny in an identity-based policy" in message
        s3.delete_bucket_encryption(Bucket="vault")
        world.role("Plain", allow("s3:PutObject", OBJECTS)).client("s3").put_object(Bucket="vault", Key="c", Body=b"3")


def test_s3_key_policy_limited_by_via_service_is_honoured_F6_F7() -> None:
    """§F.6/§F.7: a key policy that allows a role only through S3 (kms:ViaService) lets S3 use the key,
    not a direct kms:GenerateDataKey call by the same role."""
    with moto_world() as world:
        _vault(world)
        role = f"arn:aws:iam::{ACCOUNT}:role/Writer"
        policy = document(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/admin"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": role},
                "Action": "kms:GenerateDataKey",
                "Resource": "*",
                "Condition": VIA_S3,
            },
        )
        key = _key(world, policy)
        session = world.role("Writer", allow("s3:PutObject", OBJECTS))
        session.client("s3").put_object(
            Bucket="vault", Key="a", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"]
        )
        with pytest.raises(ClientError) as caught:
            session.client("kms").generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")
        code, _, status = error_of(caught)
        assert (code, status) == ("AccessDeniedException", 400)
        # A key policy that denies S3's use of the key beats the role's IAM allow.
        denied = document(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {"Effect": "Deny", "Principal": "*", "Action": "kms:GenerateDataKey", "Resource": "*", "Condition": VIA_S3},
        )
        other = _key(world, denied)
        keyed = world.role("KeyUser", allow("s3:PutObject", OBJECTS), allow("kms:*", "*")).client("s3")
        with pytest.raises(ClientError) as caught:
            keyed.put_object(
                Bucket="vault", Key="b", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=other["Arn"]
            )
        assert "explicit deny in a resource-based policy" in error_of(caught)[1]


def test_s3_copy_decrypts_the_source_and_encrypts_the_target_F7() -> None:
    """§F.7: CopyObject of an SSE-KMS object needs kms:Decrypt on the source's key."""
    with moto_world() as world:
        s3 = _vault(world)
        key = _key(world)
        s3.put_object(Bucket="vault", Key="src", Body=b"d", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
        copier = world.role("Copier", allow(["s3:GetObject", "s3:PutObject"], OBJECTS)).client("s3")
        with pytest.raises(ClientError) as caught:
            copier.copy_object(Bucket="vault", Key="dst", CopySource="vault/src")
        assert f'kms:Decrypt on resource: "{key["Arn"]}"' in error_of(caught)[1]
        assert "dst" not in [o["Key"] for o in s3.list_objects_v2(Bucket="vault").get("Contents", [])]


def _encrypted_queue(world: World, key_id: str) -> str:
    sqs = world.root.client("sqs")
    url: str = sqs.create_queue(QueueName="jobs", Attributes={"KmsMasterKeyId": key_id})["QueueUrl"]
    return url


def test_sqs_send_and_receive_on_kms_queue_need_the_key_via_sqs_F7() -> None:
    """§F.7: SendMessage to a queue with a KMS key needs kms:GenerateDataKey (and Decrypt); ReceiveMessage Decrypt."""
    with moto_world() as world:
        key = _key(world)
        url = _encrypted_queue(world, key["KeyId"])
        plain = world.role("Plain", allow(["sqs:SendMessage", "sqs:ReceiveMessage"], QUEUE)).client("sqs")
        with pytest.raises(ClientError) as caught:
            plain.send_message(QueueUrl=url, MessageBody="job")
        code, message, status = error_of(caught)
        assert (code, status) == ("AccessDenied", 403)
        assert f"kms:GenerateDataKey on resource: {key['Arn']}" in message
        with pytest.raises(ClientError) as caught:
            plain.receive_message(QueueUrl=url)
        assert f"kms:Decrypt on resource: {key['Arn']}" in error_of(caught)[1]
        producer = world.role(
            "Producer",
            allow(["sqs:SendMessage", "sqs:ReceiveMessage"], QUEUE),
            allow(["kms:GenerateDataKey", "kms:Decrypt"], key["Arn"], Condition=VIA_SQS),
        ).client("sqs")
        producer.send_message(QueueUrl=url, MessageBody="job")
        assert producer.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "job"


def test_sqs_key_removed_from_queue_and_queue_policy_deny_F7_F1() -> None:
    """§F.7: a queue whose key was removed needs no KMS permission; the queue policy still decides SendMessage."""
    with moto_world() as world:
        key = _key(world)
        url = _encrypted_queue(world, key["Arn"])
        root_sqs = world.root.client("sqs")
        root_sqs.set_queue_attributes(QueueUrl=url, Attributes={"KmsMasterKeyId": ""})
        producer = world.role("Producer", allow("sqs:SendMessage", QUEUE)).client("sqs")
        producer.send_message(QueueUrl=url, MessageBody="job")
        root_sqs.set_queue_attributes(
            QueueUrl=url, Attributes={"Policy": document(deny("sqs:SendMessage", QUEUE, Principal="*"))}
        )
        with pytest.raises(ClientError) as caught:
            producer.send_message(QueueUrl=url, MessageBody="job")
        assert error_of(caught)[1].endswith("with an explicit deny in a resource-based policy")


def test_kms_request_through_s3_carries_the_callers_account_F7_E() -> None:
    """§F.7: the KMS request S3 makes for the caller carries ``kms:CallerAccount``, the caller's account (not S3's)
    (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html)."""
    with moto_world() as world:
        _vault(world)
        key = _key(world)
        own = {"StringEquals": {"kms:CallerAccount": ACCOUNT}}
        writer = world.role(
            "Writer", allow("s3:PutObject", OBJECTS), allow("kms:GenerateDataKey", key["Arn"], Condition=own)
        ).client("s3")
        writer.put_object(Bucket="vault", Key="a", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["Arn"])
        elsewhere = {"StringEquals": {"kms:CallerAccount": "999999999999"}}
        refused = world.role(
            "Elsewhere", allow("s3:PutObject", OBJECTS), allow("kms:GenerateDataKey", key["Arn"], Condition=elsewhere)
        ).client("s3")
        with pytest.raises(ClientError) as caught:
            refused.put_object(
                Bucket="vault", Key="b", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["Arn"]
            )
        assert error_of(caught)[0] == "AccessDenied"
