"""The facts of §F.7 that the curated mappings and the S3 signature check rely on, through boto3 and moto.

Each test names the AWS page §F.7 cites for it.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, allow, moto_world

BUCKET = "arn:aws:s3:::company1-data"


def _denied(call: object) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call()  # type: ignore[operator]
    error = caught.value.response["Error"]
    return str(error["Code"]), str(error.get("Message", ""))


def _bucket(world: object) -> None:
    s3 = world.root.client("s3")  # type: ignore[attr-defined]
    s3.create_bucket(Bucket="company1-data")
    s3.put_object(Bucket="company1-data", Key="in/report.csv", Body=b"a,b\n")


def test_list_objects_v2_needs_s3_list_bucket_F7() -> None:
    """§F.7 (API_ListObjectsV2.html): ListObjectsV2 is authorized as s3:ListBucket on the bucket."""
    with moto_world() as world:
        _bucket(world)
        s3 = world.role("Lister", allow("s3:ListBucket", BUCKET)).client("s3")
        assert [o["Key"] for o in s3.list_objects_v2(Bucket="company1-data")["Contents"]] == ["in/report.csv"]
        other = world.role("Reader", allow("s3:GetObject", f"{BUCKET}/*")).client("s3")
        code, message = _denied(lambda: other.list_objects_v2(Bucket="company1-data"))
        assert code == "AccessDenied"
        assert f'perform: s3:ListBucket on resource: "{BUCKET}"' in message


def test_copy_object_needs_get_on_the_source_and_put_on_the_target_F7() -> None:
    """§F.7 (API_CopyObject.html): s3:GetObject on the source object and s3:PutObject on the target."""
    with moto_world() as world:
        _bucket(world)
        copy = {"Bucket": "company1-data", "Key": "out/report.csv", "CopySource": "company1-data/in/report.csv"}
        writer = world.role("Writer", allow("s3:PutObject", f"{BUCKET}/out/*")).client("s3")
        code, message = _denied(lambda: writer.copy_object(**copy))
        assert code == "AccessDenied"
        assert f'perform: s3:GetObject on resource: "{BUCKET}/in/report.csv"' in message
        copier = world.role(
            "Copier", allow("s3:GetObject", f"{BUCKET}/in/*"), allow("s3:PutObject", f"{BUCKET}/out/*")
        ).client("s3")
        copier.copy_object(**copy)
        assert world.root.client("s3").get_object(Bucket="company1-data", Key="out/report.csv")["Body"].read() == (
            b"a,b\n"
        )


def test_put_object_with_an_acl_also_needs_put_object_acl_F7() -> None:
    """§F.7 (API_PutObject.html): PutObject with a canned ACL also needs s3:PutObjectAcl."""
    with moto_world() as world:
        _bucket(world)
        s3 = world.role("Writer", allow("s3:PutObject", f"{BUCKET}/*")).client("s3")
        s3.put_object(Bucket="company1-data", Key="plain.txt", Body=b"x")
        code, message = _denied(
            lambda: s3.put_object(Bucket="company1-data", Key="shared.txt", Body=b"x", ACL="public-read")
        )
        assert code == "AccessDenied"
        assert "s3:PutObjectAcl" in message


def test_s3_unsigned_payload_and_the_path_as_sent_are_verified_F7() -> None:
    """§F.7 (sig-v4-header-based-auth.html, reference_sigv-create-signed-request.html): botocore sends S3 bodies
    over HTTPS as UNSIGNED-PAYLOAD and S3 paths encoded once; the signature check accepts both, and the object's
    ARN is the key as the app wrote it."""
    with moto_world() as world:
        _bucket(world)
        key = "reports/2026 Q1/a+b=c.csv"
        s3 = world.role("Writer", allow("s3:PutObject", f"{BUCKET}/reports/2026 Q1/*")).client("s3")
        s3.put_object(Bucket="company1-data", Key=key, Body=b"x" * 1000)
        code, message = _denied(lambda: s3.put_object(Bucket="company1-data", Key="reports/2026 Q2/x.csv", Body=b"x"))
        assert code == "AccessDenied"
        assert f'"{BUCKET}/reports/2026 Q2/x.csv"' in message


def test_sqs_batch_calls_need_the_single_action_F7() -> None:
    """§F.7 (sqs-batch-api.html): SendMessageBatch is authorized as sqs:SendMessage; SQS's JSON error carries
    the Query code AccessDenied (sqs-json-api-responses.html)."""
    with moto_world() as world:
        url = world.root.client("sqs").create_queue(QueueName="jobs")["QueueUrl"]
        queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs"
        entries = [{"Id": "1", "MessageBody": "job 1"}, {"Id": "2", "MessageBody": "job 2"}]
        sender = world.role("Producer", allow("sqs:SendMessage", queue)).client("sqs")
        assert len(sender.send_message_batch(QueueUrl=url, Entries=entries)["Successful"]) == 2
        reader = world.role("Reader", allow("sqs:ReceiveMessage", queue)).client("sqs")
        code, message = _denied(lambda: reader.send_message_batch(QueueUrl=url, Entries=entries))
        assert code == "AccessDenied"
        assert f"sqs:SendMessage on resource: {queue}" in message
