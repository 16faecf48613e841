"""Calls botocore's Stubber answers are authorized like signed ones (§F.7, §G.9; ``_enforce/stubbed.py``).

The Stubber answers at ``before-call``, before botocore signs anything; iamsim signs the call
with the client's own signer there and authorizes it exactly as at ``before-send``: the same
credential checks and errors, the same mapping, request context and event-log entries. An
allowed call gets the Stubber's answer unchanged; a refused one never reaches the Stubber, so
its queued response stays queued.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError, NoCredentialsError, StubAssertionError
from botocore.stub import Stubber

import iamsim.boto3
from iamsim import ManualClock, Simulator
from iamsim._enforce.stubbed import StubberWatch, stubber_answers
from iamsim.testing import assert_call_denied

from .world import ACCOUNT, REGION, allow, deny, document

ROLE = f"arn:aws:iam::{ACCOUNT}:role/App"
CALLER = f"arn:aws:sts::{ACCOUNT}:assumed-role/App/app"
BUCKET = "arn:aws:s3:::company1-logs"
TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders"
QUEUE = f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs"
QUEUE_URL = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/jobs"


@dataclass(frozen=True)
class Case:
    """One service's stubbed call: the client, the operation, its parameters, the stubbed answer, the errors."""

    service: str
    method: str
    operation: str
    action: str
    resource: str
    params: dict[str, Any]
    answer: dict[str, Any]
    #: (code, HTTP status) of a denial and of an expired session, as the service sends them.
    denied: tuple[str, int]
    expired: tuple[str, int]
    #: An operation of this service no table maps, with parameters.
    unmapped: tuple[str, str, dict[str, Any]]


CASES = [
    Case(
        "s3",
        "get_object",
        "GetObject",
        "s3:GetObject",
        f"{BUCKET}/app.log",
        {"Bucket": "company1-logs", "Key": "app.log"},
        {"ContentLength": 7, "ContentType": "text/plain"},
        ("AccessDenied", 403),
        ("ExpiredToken", 400),
        ("delete_bucket_analytics_configuration", "DeleteBucketAnalyticsConfiguration", {"Bucket": "b", "Id": "a"}),
    ),
    Case(
        "dynamodb",
        "get_item",
        "GetItem",
        "dynamodb:GetItem",
        TABLE,
        {"TableName": "orders", "Key": {"customer": {"S": "alice"}}},
        {"Item": {"customer": {"S": "alice"}}},
        ("AccessDeniedException", 400),
        ("ExpiredTokenException", 400),
        ("describe_contributor_insights", "DescribeContributorInsights", {"TableName": "orders"}),
    ),
    Case(
        "sqs",
        "send_message",
        "SendMessage",
        "sqs:SendMessage",
        QUEUE,
        {"QueueUrl": QUEUE_URL, "MessageBody": "hello"},
        {"MessageId": "m-1", "MD5OfMessageBody": "5d41402abc4b2a76b9719d911017c592"},
        ("AccessDenied", 403),
        ("ExpiredToken", 403),
        ("cancel_message_move_task", "CancelMessageMoveTask", {"TaskHandle": "t"}),
    ),
]
IDS = [case.service for case in CASES]


@dataclass
class Stubbed:
    """A simulator, a role's stubbed client of one service (attached to the simulator), and its clock."""

    sim: Simulator
    clock: ManualClock
    client: Any
    stubber: Stubber


@contextmanager
def _stubbed(service: str, *statements: dict[str, Any]) -> Iterator[Stubbed]:
    # The session starts at the wall clock's now: botocore signs with the wall clock (five minutes' skew).
    clock = ManualClock(datetime.now(UTC))
    sim = Simulator(clock=clock)
    trust = document({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "*"})
    sim.create_role("App", trust)
    if statements:
        sim.put_role_policy("App", "app", document(*statements))
    sim.create_user("admin")
    sim.put_user_policy("admin", "all", document(allow("sts:AssumeRole")))
    key = sim.create_access_key("admin")
    issued = sim.assume_role(key, ROLE, "app").credentials  # type: ignore[arg-type]
    client = boto3.client(
        service,
        region_name=REGION,
        aws_access_key_id=issued.access_key_id,
        aws_secret_access_key=issued.secret_access_key,
        aws_session_token=issued.session_token,
    )
    with iamsim.boto3.attach(sim, client), Stubber(client) as stubber:
        yield Stubbed(sim, clock, client, stubber)


def _call(stubbed: Stubbed, case: Case) -> Callable[[], Any]:
    return lambda: getattr(stubbed.client, case.method)(**case.params)


def _refused(call: Callable[[], Any]) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    error = response["Error"]
    return error["Code"], error.get("Message", ""), response["ResponseMetadata"]["HTTPStatusCode"]


def _pending(stubber: Stubber) -> bool:
    try:
        stubber.assert_no_pending_responses()
    except AssertionError:
        return True
    return False


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_stubbed_call_allowed_gets_the_stubs_answer_unchanged_F7(case: Case) -> None:
    """§F.7, §F.1: an allowed stubbed call returns the Stubber's answer; the request is logged as allowed."""
    with _stubbed(case.service, allow(case.action, case.resource)) as stubbed:
        stubbed.stubber.add_response(case.method, case.answer, case.params)
        answer = _call(stubbed, case)()
        assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == case.answer
        assert not _pending(stubbed.stubber)
        event = stubbed.sim.events()[-1]
        assert (event.actor, event.action, event.subject, event.outcome) == (
            CALLER,
            case.action,
            case.resource,
            "allowed",
        )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_stubbed_call_identity_denial_is_the_services_error_and_keeps_the_stub_F7(case: Case) -> None:
    """§F.7, §F.1: no identity policy allows it: the service's own denial, and the queued answer stays queued."""
    with _stubbed(case.service, allow("s3:ListAllMyBuckets")) as stubbed:
        stubbed.stubber.add_response(case.method, case.answer, case.params)
        code, message, status = _refused(_call(stubbed, case))
        assert (code, status) == case.denied
        assert message.startswith(f"User: {CALLER} is not authorized to perform: {case.action} on resource: ")
        assert message.endswith(f"because no identity-based policy allows the {case.action} action")
        assert _pending(stubbed.stubber)
        denial = assert_call_denied(stubbed.sim, case.service, case.operation, action=case.action)
        assert denial.resource == case.resource
        assert denial.result is not None


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_stubbed_call_resource_policy_denial_F1_F7(case: Case) -> None:
    """§F.1: an explicit deny in the resource's policy (given to ``sim.resources``) beats the role's allow."""
    with _stubbed(case.service, allow(case.action, case.resource)) as stubbed:
        owner = BUCKET if case.service == "s3" else case.resource
        stubbed.sim.resources.put_policy(owner, document(deny(case.action, case.resource, Principal={"AWS": ROLE})))
        stubbed.stubber.add_response(case.method, case.answer, case.params)
        code, message, status = _refused(_call(stubbed, case))
        assert (code, status) == case.denied
        assert message.endswith("with an explicit deny in a resource-based policy")
        assert _pending(stubbed.stubber)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_stubbed_call_with_an_expired_session_is_expired_token_G9(case: Case) -> None:
    """§G.9, §F.7: from the session's expiration second on, the stubbed call gets the service's ExpiredToken."""
    with _stubbed(case.service, allow(case.action, case.resource)) as stubbed:
        stubbed.stubber.add_response(case.method, case.answer, case.params)
        stubbed.stubber.add_response(case.method, case.answer, case.params)
        _call(stubbed, case)()
        stubbed.clock.advance(timedelta(hours=1))
        code, _, status = _refused(_call(stubbed, case))
        assert (code, status) == case.expired
        assert _pending(stubbed.stubber)
        assert_call_denied(stubbed.sim, case.service, case.operation, code="ExpiredToken")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_stubbed_unmapped_operation_is_refused_as_when_signed_F7(case: Case) -> None:
    """§F.7 (MUST): an operation no table maps is refused, naming it and how to map it; never let through."""
    method, operation, params = case.unmapped
    with _stubbed(case.service, allow("*")) as stubbed:
        stubbed.stubber.add_response(method, {}, params)
        code, message, _ = _refused(lambda: getattr(stubbed.client, method)(**params))
        assert code == case.denied[0]
        assert f"no authorization mapping for {case.service}:{operation}" in message
        assert "allow_unmapped=True" in message
        assert _pending(stubbed.stubber)


def test_stubbed_s3_head_object_denial_has_no_body_F7() -> None:
    """§F.7: a refused HEAD is S3's bodiless 403, parsed by botocore as for a real answer."""
    with _stubbed("s3") as stubbed:
        params = {"Bucket": "company1-logs", "Key": "app.log"}
        stubbed.stubber.add_response("head_object", {"ContentLength": 1}, params)
        assert _refused(lambda: stubbed.client.head_object(**params)) == ("403", "Forbidden", 403)


def test_stubbed_call_with_a_key_never_issued_is_invalid_access_key_id_G9() -> None:
    """§G.9: a key the simulator never issued signs nothing: S3's InvalidAccessKeyId, not the Stubber's answer."""
    sim = Simulator()
    client = boto3.client("s3", region_name=REGION, aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="x" * 40)
    with iamsim.boto3.attach(sim, client), Stubber(client) as stubber:
        stubber.add_response("list_buckets", {"Buckets": []}, {})
        assert _refused(client.list_buckets)[::2] == ("InvalidAccessKeyId", 403)
        assert _pending(stubber)


def test_stubbed_call_with_a_wrong_secret_is_signature_does_not_match_G9() -> None:
    """§G.9: the client's own secret is checked: a wrong one is SignatureDoesNotMatch (DynamoDB's spelling)."""
    sim = Simulator()
    sim.create_user("app")
    key = sim.create_access_key("app")
    client = boto3.client(
        "dynamodb", region_name=REGION, aws_access_key_id=key.access_key_id, aws_secret_access_key="y" * 40
    )
    with iamsim.boto3.attach(sim, client), Stubber(client) as stubber:
        stubber.add_response("list_tables", {"TableNames": []}, {})
        assert _refused(client.list_tables)[::2] == ("InvalidSignatureException", 400)


def test_stubbed_client_without_credentials_fails_as_unstubbed_G9(monkeypatch: pytest.MonkeyPatch) -> None:
    """§G.9: with no credentials to sign with, the call fails as botocore fails it unstubbed; never allowed."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    sim = Simulator()
    client = boto3.Session(region_name=REGION).client("sqs")
    with iamsim.boto3.attach(sim, client), Stubber(client) as stubber:
        stubber.add_response("list_queues", {}, {})
        with pytest.raises(NoCredentialsError):
            client.list_queues()
        assert _pending(stubber)


def test_stubbed_unsigned_client_is_refused_G9() -> None:
    """§G.9, §F.7: an unsigned stubbed call carries no credentials: S3's 403 AccessDenied "Access Denied"."""
    sim = Simulator()
    client = boto3.client("s3", region_name=REGION, config=Config(signature_version=UNSIGNED))
    with iamsim.boto3.attach(sim, client), Stubber(client) as stubber:
        stubber.add_response("list_buckets", {"Buckets": []}, {})
        assert _refused(client.list_buckets) == ("AccessDenied", "Access Denied", 403)
        assert _pending(stubber)


def test_stubbed_policy_write_is_learnt_F7() -> None:
    """§F.7: a bucket policy the Stubber accepted is learnt, as one moto accepted would be."""
    with _stubbed("s3", allow("s3:PutBucketPolicy", BUCKET)) as stubbed:
        policy = document(deny("s3:GetObject", f"{BUCKET}/*", Principal="*"))
        stubbed.stubber.add_response("put_bucket_policy", {}, {"Bucket": "company1-logs", "Policy": policy})
        stubbed.client.put_bucket_policy(Bucket="company1-logs", Policy=policy)
        assert stubbed.sim.resources.policy(BUCKET) == policy


def test_stubber_detection_reads_the_clients_own_handlers_F7() -> None:
    """Detection (botocore internals, pinned here): only a client with an active Stubber is answered at before-call."""
    sim = Simulator()
    stubbed = boto3.client("s3", region_name=REGION, aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="x" * 40)
    plain = boto3.client("s3", region_name=REGION, aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="x" * 40)
    event = "before-call.s3.ListBuckets"
    with iamsim.boto3.attach(sim, stubbed), iamsim.boto3.attach(sim, plain):
        stubber = Stubber(stubbed)
        assert not stubber_answers(stubbed._request_signer, event)
        stubber.activate()
        assert stubber_answers(stubbed._request_signer, event)
        assert not stubber_answers(plain._request_signer, event)
        stubber.deactivate()
        assert not stubber_answers(stubbed._request_signer, event)
    # Internals botocore no longer has: authorize here too rather than not at all.
    assert stubber_answers(object(), event)


def test_stubbed_params_are_still_checked_by_the_stubber_first_F7() -> None:
    """The Stubber's own parameter check (at before-parameter-build) still runs, before any authorization."""
    with _stubbed("s3", allow("s3:GetObject")) as stubbed:
        stubbed.stubber.add_response("get_object", {}, {"Bucket": "company1-logs", "Key": "other.log"})
        with pytest.raises(StubAssertionError):
            stubbed.client.get_object(Bucket="company1-logs", Key="app.log")
        assert not [e for e in stubbed.sim.events() if e.action == "s3:GetObject"]


def test_stubber_activated_before_iamsim_attached_is_still_authorized_first_F7() -> None:
    """The order of activation does not matter: iamsim is first in line on the Stubber's own event."""
    sim = Simulator()
    sim.create_user("app")
    key = sim.create_access_key("app")
    session = boto3.Session(
        aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key, region_name=REGION
    )
    with iamsim.boto3.patch(sim):
        client = session.client("dynamodb")
    with Stubber(client) as stubber:
        stubber.add_response("list_tables", {"TableNames": []}, {})
        with iamsim.boto3.attach(sim, client):
            assert _refused(client.list_tables)[::2] == ("AccessDeniedException", 400)
            assert _pending(stubber)


def test_stubber_watch_sees_a_stubber_activated_after_it_remembered_none_F7() -> None:
    """§F.7: the remembered answer belongs to botocore's cached handler sequence, which any (de)activation
    replaces: a Stubber activated after calls without one is found on the next call, and its deactivation too."""
    sim = Simulator()
    client = boto3.client("s3", region_name=REGION, aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="x" * 40)
    event = "before-call.s3.ListBuckets"
    watch = StubberWatch()
    signer = client._request_signer
    model = client.meta.service_model.operation_model("ListBuckets")
    emitted = {"model": model, "params": {"headers": {}, "body": b""}, "context": {}}
    with iamsim.boto3.attach(sim, client):
        client.meta.events.emit(event, **emitted)  # botocore caches the sequence it called
        assert not watch.answers(signer, event)
        assert not watch.answers(signer, event)
        stubber = Stubber(client)
        stubber.activate()
        assert watch.answers(signer, event)
        stubber.deactivate()
        client.meta.events.emit(event, **emitted)
        assert not watch.answers(signer, event)
    assert watch.answers(object(), event)
