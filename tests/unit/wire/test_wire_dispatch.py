"""The dispatcher end to end, under real boto3 clients (botocore's ``before-send`` hook)."""

from __future__ import annotations

import datetime
import itertools
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError
from wire_shapes import service_model

from iamsim._wire.dispatch import CallContext, QueryDispatcher, detect_service, random_request_id, region_from_host
from iamsim._wire.http import HttpRequest, HttpResponse
from iamsim._wire.sigv4 import SigV4Credentials
from iamsim.errors import ExpiredTokenError, InvalidClientTokenIdError, NoSuchEntityError, UnknownServiceError

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
}
CREATED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class _Raw:
    """The minimal raw-body object botocore's AWSResponse reads from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def _authenticate(credentials: SigV4Credentials) -> str:
    """A tiny key store: one user key, one expired session key."""
    if credentials.access_key_id == "ASIAEXPIRED000000000":
        raise ExpiredTokenError()
    if credentials.access_key_id != ACCESS_KEY:
        raise InvalidClientTokenIdError()
    credentials.require_valid_signature(SECRET)
    return "arn:aws:iam::123456789012:user/alice"


def _get_caller_identity(context: CallContext, _: dict[str, Any]) -> dict[str, Any]:
    return {"UserId": context.access_key_id, "Account": "123456789012", "Arn": context.caller}


def _get_role(_: CallContext, arguments: dict[str, Any]) -> dict[str, Any]:
    if arguments["RoleName"] != "demo":
        raise NoSuchEntityError(f"The role with name {arguments['RoleName']} cannot be found.")
    return {
        "Role": {
            "Path": "/",
            "RoleName": "demo",
            "RoleId": "AROA3XFRBF535PLBIFPI4",
            "Arn": "arn:aws:iam::123456789012:role/demo",
            "CreateDate": CREATED,
            "AssumeRolePolicyDocument": json.dumps(TRUST),
            "MaxSessionDuration": 3600,
        }
    }


@pytest.fixture
def calls() -> list[tuple[CallContext, dict[str, Any]]]:
    """The (context, arguments) pairs handlers were called with."""
    return []


@pytest.fixture
def dispatcher(calls: list[tuple[CallContext, dict[str, Any]]]) -> QueryDispatcher:
    """A dispatcher with a few handlers and predictable request ids."""
    counter = itertools.count(1)

    def recording(handler: Callable[[CallContext, dict[str, Any]], dict[str, Any]]) -> Any:
        def record(context: CallContext, arguments: dict[str, Any]) -> dict[str, Any]:
            calls.append((context, arguments))
            return handler(context, arguments)

        return record

    def assume_role_with_web_identity(context: CallContext, arguments: dict[str, Any]) -> dict[str, Any]:
        return {"SubjectFromWebIdentityToken": "sub", "Provider": "accounts.example.com"}

    handlers = {
        ("sts", "GetCallerIdentity"): recording(_get_caller_identity),
        ("sts", "AssumeRoleWithWebIdentity"): recording(assume_role_with_web_identity),
        ("iam", "GetRole"): recording(_get_role),
    }
    return QueryDispatcher(
        handlers,
        request_ids=lambda: f"00000000-0000-0000-0000-{next(counter):012d}",
        service_models={"iam": service_model("iam"), "sts": service_model("sts")},
    )


def _client(
    dispatcher: QueryDispatcher,
    service: str,
    *,
    access_key: str = ACCESS_KEY,
    secret: str = SECRET,
    token: str | None = None,
    region: str = "us-east-1",
    validate: bool = True,
) -> Any:
    client = boto3.session.Session().client(
        service,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=Config(retries={"total_max_attempts": 1}, parameter_validation=validate),
    )

    def send(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        http_request = HttpRequest(request.method, request.url, dict(request.headers.items()), request.body or b"")
        response: HttpResponse = dispatcher.handle(
            detect_service(http_request, dispatcher.service_models), http_request, _authenticate
        )
        return AWSResponse(request.url, response.status, dict(response.headers), _Raw(response.body))

    client.meta.events.register("before-send", send)
    return client


def test_signed_call_reaches_the_handler_with_its_context(
    dispatcher: QueryDispatcher, calls: list[tuple[CallContext, dict[str, Any]]]
) -> None:
    """§G.6: a real boto3 GetCallerIdentity is decoded, authenticated, handled and parsed."""
    result = _client(dispatcher, "sts", region="eu-west-1").get_caller_identity()
    assert result["Arn"] == "arn:aws:iam::123456789012:user/alice"
    assert result["UserId"] == ACCESS_KEY
    assert result["ResponseMetadata"]["RequestId"] == "00000000-0000-0000-0000-000000000001"
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
    context, arguments = calls[0]
    assert (context.service, context.operation, context.region) == ("sts", "GetCallerIdentity", "eu-west-1")
    assert context.session_token is None
    assert arguments == {}


def test_h5_get_role_document_reaches_boto3_as_a_dict(dispatcher: QueryDispatcher) -> None:
    """§H.5: boto3 users see GetRole's trust policy as a dict, as against real IAM."""
    role = _client(dispatcher, "iam").get_role(RoleName="demo")["Role"]
    assert role["AssumeRolePolicyDocument"] == TRUST
    assert role["CreateDate"] == CREATED
    assert role["MaxSessionDuration"] == 3600


def test_h4_service_error_becomes_client_error(dispatcher: QueryDispatcher) -> None:
    """§H.4: a handler's NoSuchEntity reaches boto3 as ClientError with code, message and 404."""
    with pytest.raises(ClientError) as caught:
        _client(dispatcher, "iam").get_role(RoleName="ghost")
    error = caught.value.response
    assert error["Error"] == {
        "Type": "Sender",
        "Code": "NoSuchEntity",
        "Message": "The role with name ghost cannot be found.",
    }
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_g9_wrong_secret_is_signature_does_not_match(dispatcher: QueryDispatcher) -> None:
    """§G.9: signing with another secret gives SignatureDoesNotMatch (403)."""
    with pytest.raises(ClientError) as caught:
        _client(dispatcher, "sts", secret="wrong").get_caller_identity()
    assert caught.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_g9_unknown_key_and_expired_token(dispatcher: QueryDispatcher) -> None:
    """§G.9: authenticate's InvalidClientTokenId and ExpiredToken keep AWS's exact messages."""
    with pytest.raises(ClientError) as caught:
        _client(dispatcher, "sts", access_key="AKIAUNKNOWN000000000").get_caller_identity()
    assert caught.value.response["Error"]["Message"] == "The security token included in the request is invalid."
    with pytest.raises(ClientError) as caught:
        _client(dispatcher, "sts", access_key="ASIAEXPIRED000000000", token="t").get_caller_identity()
    assert caught.value.response["Error"] == {
        "Type": "Sender",
        "Code": "ExpiredToken",
        "Message": "The security token included in the request is expired",
    }


def test_garbled_signature_is_reported_before_invalid_parameters(dispatcher: QueryDispatcher) -> None:
    """A garbled Authorization header is IncompleteSignature even when the parameters are invalid too."""
    body = "Action=GetRole&Version=2010-05-08&RoleName=bad%20name"
    request = HttpRequest("POST", "https://iam.amazonaws.com/", {"Authorization": "AWS4-HMAC-SHA256 x"}, body)
    response = dispatcher.handle("iam", request, _authenticate)
    assert response.status == 400
    assert b"<Code>IncompleteSignature</Code>" in response.body


def test_validation_error_comes_after_authentication(dispatcher: QueryDispatcher) -> None:
    """Parameters are validated only for an authenticated caller; then all violations are listed."""
    client = _client(dispatcher, "sts", validate=False)
    with pytest.raises(ClientError) as caught:
        client.get_access_key_info(AccessKeyId="short-!")
    assert caught.value.response["Error"]["Code"] == "ValidationError"
    assert caught.value.response["Error"]["Message"].startswith(
        "2 validation errors detected: Value 'short-!' at 'accessKeyId'"
    )
    with pytest.raises(ClientError) as caught:
        _client(dispatcher, "sts", secret="wrong", validate=False).get_access_key_info(AccessKeyId="short-!")
    assert caught.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_unsigned_operation_skips_authentication(
    dispatcher: QueryDispatcher, calls: list[tuple[CallContext, dict[str, Any]]]
) -> None:
    """§G.2: AssumeRoleWithWebIdentity is unsigned; authenticate is not called and the context has no key."""
    _client(dispatcher, "sts", secret="not used").assume_role_with_web_identity(
        RoleArn="arn:aws:iam::123456789012:role/web", RoleSessionName="s1", WebIdentityToken="token"
    )
    context, arguments = calls[0]
    assert context.access_key_id is None
    assert context.caller is None
    assert arguments["WebIdentityToken"] == "token"


def test_missing_handler_is_not_implemented(dispatcher: QueryDispatcher) -> None:
    """A real operation without a handler answers NotImplemented (501), not a crash."""
    with pytest.raises(ClientError) as caught:
        _client(dispatcher, "iam").list_roles()
    assert caught.value.response["Error"] == {
        "Type": "Sender",
        "Code": "NotImplemented",
        "Message": "iamsim does not implement iam:ListRoles",
    }


def test_unknown_action_and_missing_authentication_as_http() -> None:
    """Plain HTTP: unknown action is InvalidAction; a signed action sent unsigned is MissingAuthenticationToken."""
    dispatcher = QueryDispatcher({}, request_ids=lambda: "rid", service_models={"sts": service_model("sts")})
    response = dispatcher.handle(
        "sts", HttpRequest("POST", "https://sts.amazonaws.com/", {}, b"Action=Nope&Version=2011-06-15"), _authenticate
    )
    assert response.status == 400
    assert response.body == (
        b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
        b"<Code>InvalidAction</Code><Message>Could not find operation Nope for version 2011-06-15</Message></Error>"
        b"<RequestId>rid</RequestId></ErrorResponse>"
    )
    response = dispatcher.handle(
        "sts",
        HttpRequest("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"),
        _authenticate,
    )
    assert response.status == 403
    assert (
        b"<Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token</Message>"
        in response.body
    )


def test_unknown_service_is_a_library_error(dispatcher: QueryDispatcher) -> None:
    """Asking for a service without a model is a programming error, raised, not rendered."""
    with pytest.raises(UnknownServiceError):
        dispatcher.handle("s3", HttpRequest("GET", "https://s3.amazonaws.com/"), _authenticate)


@pytest.mark.parametrize(
    ("url", "headers", "body", "expected"),
    [
        ("https://iam.amazonaws.com/", {}, b"", "iam"),
        ("https://sts.eu-west-1.amazonaws.com/", {}, b"", "sts"),
        ("https://sts-fips.us-east-1.amazonaws.com/", {}, b"", "sts"),
        (
            "http://localhost:5000/",
            {"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, S=1"},
            b"",
            "iam",
        ),
        ("http://localhost:5000/", {}, b"Action=AssumeRole&Version=2011-06-15", "sts"),
        ("http://localhost:5000/?Action=ListRoles", {}, b"", "iam"),
    ],
)
def test_detect_service(url: str, headers: dict[str, str], body: bytes, expected: str) -> None:
    """The service comes from the host, else the SigV4 scope, else the action."""
    models = {"iam": service_model("iam"), "sts": service_model("sts")}
    assert detect_service(HttpRequest("POST", url, headers, body), models) == expected


def test_detect_service_gives_up_clearly() -> None:
    """A request naming no known service raises UnknownServiceError."""
    models = {"iam": service_model("iam"), "sts": service_model("sts")}
    with pytest.raises(UnknownServiceError):
        detect_service(HttpRequest("POST", "http://localhost/", {}, b"Action=ListBuckets"), models)


def test_region_from_host() -> None:
    """Regional STS endpoints name their region; global ones do not."""
    assert region_from_host("sts.ap-southeast-2.amazonaws.com") == "ap-southeast-2"
    assert region_from_host("sts.amazonaws.com") is None
    assert region_from_host("iam.amazonaws.com") is None
    assert region_from_host("localhost:4566") is None


def test_request_ids_are_random_version_4_uuids() -> None:
    """``x-amzn-RequestId`` is a version-4 UUID in its canonical text form, new for every request.

    AWS: the request ID "uniquely identifies a request"
    (https://docs.aws.amazon.com/sdkfornet/latest/apidocs/items/TRuntimeResponseMetadataNET35.html).
    """
    ids = [random_request_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
    # Every variant nibble (8, 9, a, b) occurs: the two random bits below the variant are kept.
    assert {text[19] for text in ids} == set("89ab")
