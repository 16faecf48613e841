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


def test_forwarded_calls_are_refused_without_an_authorizer(served: Served) -> None:
    """Safe by default: until the enforcement authorizer is installed, no forwarded call reaches moto."""
    with pytest.raises(ClientError) as caught:
        served.client("s3").list_buckets()
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert "issue 13" in caught.value.response["Error"]["Message"]


def test_forwarded_calls_are_authenticated_first(served: Served) -> None:
    """A forwarded call signed with keys the simulator never issued is InvalidClientTokenId (§G.9)."""
    import boto3

    stranger = boto3.Session(
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x" * 40, region_name="us-east-1"
    )
    with pytest.raises(ClientError) as caught:
        stranger.client("s3", endpoint_url=served.url).list_buckets()
    assert caught.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_an_allowing_authorizer_lets_moto_answer() -> None:
    """With an authorizer that allows, the call is answered by moto, and the authorizer saw the decoded call."""
    seen: list[tuple[str, str, dict[str, Any]]] = []

    def allow(simulator: Any, caller: Any, service: str, operation: str, params: Any, region: str) -> None:
        seen.append((service, operation, dict(params)))
        return None

    running = start_served(authorizer=allow)
    try:
        s3 = running.session.client("s3", endpoint_url=running.url, config=Config(s3={"addressing_style": "path"}))
        s3.create_bucket(Bucket="company1-logs")
        assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == ["company1-logs"]
    finally:
        running.server.stop()
    assert ("s3", "CreateBucket", {"Bucket": "company1-logs"}) in seen
