"""Other services: decoded with botocore's models, authorized by an Authorizer, then answered by moto."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from iamsim._serve.decode import ServiceModels, decode_request
from iamsim._wire.http import HttpRequest
from serve.conftest import Served, start_served


@pytest.mark.parametrize(
    ("service", "request_", "operation", "params"),
    [
        ("s3", HttpRequest("GET", "http://h/company1-logs?list-type=2&prefix=a"), "ListObjectsV2",
         {"Bucket": "company1-logs", "Prefix": "a"}),
        ("s3", HttpRequest("PUT", "http://h/company1-logs/a/b.txt"), "PutObject",
         {"Bucket": "company1-logs", "Key": "a/b.txt"}),
        ("s3", HttpRequest("PUT", "http://h/b/k", {"x-amz-copy-source": "x/y"}), "CopyObject",
         {"Bucket": "b", "Key": "k", "CopySource": "x/y"}),
        ("s3", HttpRequest("GET", "http://company1-logs.s3.amazonaws.com/?location"), "GetBucketLocation",
         {"Bucket": "company1-logs"}),
        ("dynamodb", HttpRequest("POST", "http://h/", {"X-Amz-Target": "DynamoDB_20120810.PutItem"},
                                 b'{"TableName": "t"}'), "PutItem", {"TableName": "t"}),
        ("sqs", HttpRequest("POST", "http://h/", {}, b"Action=SendMessage&QueueUrl=q&MessageBody=x"), "SendMessage",
         {"QueueUrl": "q", "MessageBody": "x"}),
    ],
)  # fmt: skip
def test_decode_by_protocol(service: str, request_: HttpRequest, operation: str, params: dict[str, Any]) -> None:
    """JSON by X-Amz-Target, Query by Action, REST by method and requestUri (the most specific match)."""
    decoded = decode_request(request_, service, "us-east-1", ServiceModels())
    assert (decoded.service, decoded.operation, dict(decoded.params)) == (service, operation, params)


def test_unmapped_operations_are_refused_as_enforce_refuses_them_F1(served: Served) -> None:
    """§F.1: no mapping, no call: an unmapped operation is AccessDenied naming the opt-in, and never reaches moto."""
    with pytest.raises(ClientError) as caught:
        served.client("ses").list_identities()
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert "no authorization mapping for ses:ListIdentities" in caught.value.response["Error"]["Message"]
    assert "allow_unmapped" in caught.value.response["Error"]["Message"]


def test_allow_unmapped_lets_unmapped_operations_through_F1() -> None:
    """§F.1: the opt-in (``iamsim serve --allow-unmapped``) forwards an unmapped call to moto."""
    running = start_served(allow_unmapped=True)
    try:
        assert "Identities" in running.client("ses").list_identities()
    finally:
        running.server.stop()


def test_forwarded_calls_are_authenticated_first_G9(served: Served) -> None:
    """§G.9: S3 called with keys the simulator never issued is S3's 403 InvalidAccessKeyId, before any decision."""
    import boto3

    stranger = boto3.Session(
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x" * 40, region_name="us-east-1"
    )
    with pytest.raises(ClientError) as caught:
        stranger.client("s3", endpoint_url=served.url).list_buckets()
    assert caught.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


class _AllowAll:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict[str, Any]]] = []

    def authorize(self, caller: Any, call: Any, request: Any, source_ip: str) -> None:
        self.seen.append((call.service, call.operation, dict(call.params)))

    def observe(self, caller: Any, call: Any, response: Any) -> None:
        pass


def test_an_allowing_authorizer_lets_moto_answer() -> None:
    """With an authorizer that allows, the call is answered by moto, and the authorizer saw the decoded call."""
    allow = _AllowAll()
    running = start_served(authorizer=allow)
    try:
        s3 = running.session.client("s3", endpoint_url=running.url, config=Config(s3={"addressing_style": "path"}))
        s3.create_bucket(Bucket="serve-allow-all")
        assert "serve-allow-all" in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]
    finally:
        running.server.stop()
    assert ("s3", "CreateBucket", {"Bucket": "serve-allow-all"}) in allow.seen
