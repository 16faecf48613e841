"""Forwarded calls decided by the enforcement layer: the same tables, refusals and observer as the boto3 hook (§F.1)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from iamsim._serve.decode import ServiceModels, decode_request
from iamsim._wire.http import HttpRequest
from serve.conftest import Served

PATH_STYLE = Config(s3={"addressing_style": "path"})
ACCOUNT = "123456789012"


def _role_s3(served: Served, role: str) -> Any:
    """An S3 client on a session of ``role`` (trusting the account), read-only on S3, through the server."""
    return _role_session(served, role).client("s3", endpoint_url=served.url, config=PATH_STYLE)


def _role_session(served: Served, role: str) -> boto3.Session:
    """A boto3 session of ``role`` (trusting the account, with AmazonS3ReadOnlyAccess), assumed through the server."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}],
    }
    iam = served.client("iam")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    # Root may not assume roles (§G.1), so a user of the account does.
    iam.create_user(UserName=f"{role}-user")
    allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
    iam.put_user_policy(UserName=f"{role}-user", PolicyName="assume", PolicyDocument=json.dumps(allow))
    key = iam.create_access_key(UserName=f"{role}-user")["AccessKey"]
    user = boto3.Session(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1"
    )
    sts = user.client("sts", endpoint_url=served.url)
    credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/{role}", RoleSessionName="serve")["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name="us-east-1",
    )


def test_read_only_role_reads_and_cannot_write_over_http_F1(served: Served) -> None:
    """§F.1 (AWS "Policy evaluation logic"): AmazonS3ReadOnlyAccess lists; PutObject is S3's 403 AccessDenied."""
    root = served.session.client("s3", endpoint_url=served.url, config=PATH_STYLE)
    root.create_bucket(Bucket="serve-enforced-read")
    s3 = _role_s3(served, "ReadOnly")
    assert s3.list_objects_v2(Bucket="serve-enforced-read")["KeyCount"] == 0
    with pytest.raises(ClientError) as caught:
        s3.put_object(Bucket="serve-enforced-read", Key="a.txt", Body=b"x")
    error = caught.value.response
    assert error["Error"]["Code"] == "AccessDenied"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert 'on resource: "arn:aws:s3:::serve-enforced-read/a.txt"' in error["Error"]["Message"]
    listed = root.list_objects_v2(Bucket="serve-enforced-read").get("Contents", [])
    assert "a.txt" not in [item["Key"] for item in listed]
    assert served.sim.resources.denials[-1].action == "s3:PutObject"


def test_bucket_policy_put_over_http_is_observed_F1(served: Served) -> None:
    """§F.1 step 1: a bucket policy set with put-bucket-policy (through the server) is learnt; its deny then wins."""
    root = served.session.client("s3", endpoint_url=served.url, config=PATH_STYLE)
    root.create_bucket(Bucket="serve-enforced-policy")
    root.put_object(Bucket="serve-enforced-policy", Key="app.log", Body=b"x")
    s3 = _role_s3(served, "PolicyReader")
    assert s3.get_object(Bucket="serve-enforced-policy", Key="app.log")["Body"].read() == b"x"
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/PolicyReader"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::serve-enforced-policy/*",
            }
        ],
    }
    root.put_bucket_policy(Bucket="serve-enforced-policy", Policy=json.dumps(deny))
    assert served.sim.resources.policy("arn:aws:s3:::serve-enforced-policy") is not None
    assert served.sim.resources.owner("arn:aws:s3:::serve-enforced-policy") == ACCOUNT
    with pytest.raises(ClientError) as caught:
        s3.get_object(Bucket="serve-enforced-policy", Key="app.log")
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert caught.value.response["Error"]["Message"].endswith("with an explicit deny in a resource-based policy")


def test_refused_call_never_reaches_moto_and_failed_calls_are_not_observed_F1(served: Served) -> None:
    """§F.1: a denied PutBucketPolicy changes neither moto nor the world iamsim decides by."""
    root = served.session.client("s3", endpoint_url=served.url, config=PATH_STYLE)
    root.create_bucket(Bucket="serve-enforced-refused")
    s3 = _role_s3(served, "NoPolicyWriter")
    with pytest.raises(ClientError):
        s3.put_bucket_policy(Bucket="serve-enforced-refused", Policy=json.dumps({"Version": "2012-10-17"}))
    assert served.sim.resources.policy("arn:aws:s3:::serve-enforced-refused") is None
    with pytest.raises(ClientError) as caught:
        root.get_bucket_policy(Bucket="serve-enforced-refused")
    assert caught.value.response["Error"]["Code"] == "NoSuchBucketPolicy"


MODELS = ServiceModels()


@pytest.mark.parametrize(
    ("service", "request_", "operation", "params"),
    [
        ("iam", HttpRequest("POST", "http://h/", {}, b"Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=%7B%7D"
                            b"&Tags.member.1.Key=team&Tags.member.1.Value=blue&MaxSessionDuration=3600"),
         "CreateRole", {"RoleName": "r", "AssumeRolePolicyDocument": "{}", "MaxSessionDuration": 3600,
                        "Tags": [{"Key": "team", "Value": "blue"}]}),
        ("ec2", HttpRequest("POST", "http://h/", {}, b"Action=DescribeInstances&InstanceId.1=i-1&InstanceId.2=i-2"
                            b"&Filter.1.Name=tag%3Ateam&Filter.1.Value.1=blue&DryRun=true"),
         "DescribeInstances", {"InstanceIds": ["i-1", "i-2"], "DryRun": True,
                               "Filters": [{"Name": "tag:team", "Values": ["blue"]}]}),
        ("s3", HttpRequest("PUT", "http://h/b?tagging", {}, b'<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                           b"<TagSet><Tag><Key>team</Key><Value>blue</Value></Tag></TagSet></Tagging>"),
         "PutBucketTagging", {"Bucket": "b", "Tagging": {"TagSet": [{"Key": "team", "Value": "blue"}]}}),
        ("s3", HttpRequest("POST", "http://h/b?delete", {}, b"<Delete><Object><Key>a</Key></Object>"
                           b"<Object><Key>c/d</Key></Object><Quiet>true</Quiet></Delete>"),
         "DeleteObjects", {"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}, {"Key": "c/d"}], "Quiet": True}}),
        ("s3", HttpRequest("PUT", "http://h/b?policy", {}, b'{"Version": "2012-10-17"}'),
         "PutBucketPolicy", {"Bucket": "b", "Policy": '{"Version": "2012-10-17"}'}),
        ("s3", HttpRequest("PUT", "http://h/b/k", {"x-amz-acl": "public-read", "x-amz-tagging": "a=1",
                                                  "x-amz-meta-owner": "me"}, b"object bytes"),
         "PutObject", {"Bucket": "b", "Key": "k", "ACL": "public-read", "Tagging": "a=1", "Metadata": {"owner": "me"}}),
        ("s3", HttpRequest("PUT", "http://h/b", {"x-amz-bucket-object-lock-enabled": "true"}),
         "CreateBucket", {"Bucket": "b", "ObjectLockEnabledForBucket": True}),
    ],
)  # fmt: skip
def test_parameters_decoded_as_boto3_passes_them(
    service: str, request_: HttpRequest, operation: str, params: dict[str, Any]
) -> None:
    """Query pairs nested by the input shape, REST headers typed, payloads read: what the tables read from boto3."""
    decoded = decode_request(request_, service, "us-east-1", MODELS)
    assert (decoded.operation, dict(decoded.params)) == (operation, params)


def test_an_xml_body_with_a_doctype_is_refused(served: Served) -> None:
    """No entity expansion: a DOCTYPE in an S3 XML body is refused before any decision or forwarding."""
    from iamsim.errors import UndecodableRequestError

    request = HttpRequest("PUT", "http://h/b?tagging", {}, b'<!DOCTYPE x [<!ENTITY a "b">]><Tagging/>')
    with pytest.raises(UndecodableRequestError, match="document type"):
        decode_request(request, "s3", "us-east-1", MODELS)


def test_ec2_denial_over_http_is_unauthorized_operation_with_an_encoded_message_F7(served: Served) -> None:
    """§F.7: a refused EC2 call over HTTP is EC2's 403 UnauthorizedOperation ending in an encoded message (§G.8).

    The S3 read-only role has no EC2 permission; the message decodes, through the server's STS, to the denial.
    """
    ec2 = _role_session(served, "NoEc2").client("ec2", endpoint_url=served.url)
    with pytest.raises(ClientError) as caught:
        ec2.describe_instances()
    error = caught.value.response
    assert error["Error"]["Code"] == "UnauthorizedOperation"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    message = error["Error"]["Message"]
    assert message.startswith("You are not authorized to perform this operation.")
    encoded = message.split("Encoded authorization failure message: ", 1)[1]
    iam = served.client("iam")
    iam.create_user(UserName="decoder")
    allow = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:DecodeAuthorizationMessage", "Resource": "*"}],
    }
    iam.put_user_policy(UserName="decoder", PolicyName="decode", PolicyDocument=json.dumps(allow))
    key = iam.create_access_key(UserName="decoder")["AccessKey"]
    sts = boto3.Session(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1"
    ).client("sts", endpoint_url=served.url)
    decoded = json.loads(sts.decode_authorization_message(EncodedMessage=encoded)["DecodedMessage"])
    assert decoded["allowed"] is False
    assert decoded["context"]["action"] == "ec2:DescribeInstances"
