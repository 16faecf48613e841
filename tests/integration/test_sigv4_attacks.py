"""Requests altered or replayed after signing are refused at the wire layer, as AWS refuses them (§G.9).

The requests are signed by botocore's own ``SigV4Auth`` at the simulator's time, then tampered
with, and handed to the dispatcher with the default resolver, which checks the signing time
against the simulator's clock (here a ManualClock). SigV4 rules:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from freezegun import freeze_time
from role_world import ACCOUNT

from iamsim import ManualClock
from iamsim._handlers import build_dispatcher
from iamsim._simulator import Simulator
from iamsim._simulator.signed import CallerResolver
from iamsim._wire.http import HttpRequest, HttpResponse

LIST_USERS = b"Action=ListUsers&Version=2010-05-08"
CREATE_USER = b"Action=CreateUser&UserName=mallory&Version=2010-05-08"
URL = "https://iam.amazonaws.com/"
MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)


def _sign(
    sim: Simulator, body: bytes, *, at: datetime | None = None, headers: dict[str, str] | None = None
) -> HttpRequest:
    """``body`` signed by botocore with the root key ``sim`` issued, at ``at`` (the simulator's now)."""
    root = sim.root_credentials()
    request = AWSRequest(
        method="POST",
        url=URL,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", **(headers or {})},
    )
    with freeze_time(at or sim.clock.now()):
        SigV4Auth(BotoCredentials(root.access_key_id, root.secret_access_key), "iam", "us-east-1").add_auth(request)
    return HttpRequest(request.method, request.url, dict(request.headers.items()), request.body or b"")


def _replace(request: HttpRequest, *, body: bytes | None = None, **headers: str) -> HttpRequest:
    merged = dict(request.headers)
    merged.update({name.replace("_", "-"): value for name, value in headers.items()})
    return HttpRequest(request.method, request.url, merged, request.body if body is None else body)


def _error(response: HttpResponse) -> tuple[str, str]:
    root = ET.fromstring(response.body)
    code = root.find(".//{*}Code")
    message = root.find(".//{*}Message")
    assert code is not None
    assert message is not None
    return code.text or "", message.text or ""


@pytest.fixture
def clock() -> ManualClock:
    """The simulator's clock (2026-01-01), far from the wall clock: only it decides what is stale."""
    return ManualClock(datetime.fromisoformat("2026-01-01T00:00:00+00:00"))


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    """A simulator on ``clock``."""
    return Simulator(clock=clock, account_id=ACCOUNT)


@pytest.fixture(params=[False, True], ids=["default", "opt-in-root"])
def resolver(request: pytest.FixtureRequest, sim: Simulator) -> CallerResolver:
    """The resolver in both modes: issued keys are verified the same way in each."""
    return CallerResolver(sim, unknown_keys_act_as_root=bool(request.param))


def _send(sim: Simulator, request: HttpRequest, resolver: CallerResolver) -> HttpResponse:
    return build_dispatcher(sim).handle("iam", request, resolver)


def test_signed_request_is_served(sim: Simulator, resolver: CallerResolver) -> None:
    """The untampered request signed at the simulator's time is served (the baseline of every test below)."""
    assert _send(sim, _sign(sim, LIST_USERS), resolver).status == 200


def test_body_swapped_under_unsigned_content_sha256_is_refused_G9(sim: Simulator, resolver: CallerResolver) -> None:
    """§G.9/SigV4: a signed ListUsers whose body becomes CreateUser, with an unsigned X-Amz-Content-SHA256
    naming the new body, is SignatureDoesNotMatch and creates no user (the hash is recomputed, never trusted)."""
    signed = _sign(sim, LIST_USERS)
    forged = _replace(signed, body=CREATE_USER, X_Amz_Content_SHA256=hashlib.sha256(CREATE_USER).hexdigest())
    response = _send(sim, forged, resolver)
    assert response.status == 403
    assert _error(response) == ("SignatureDoesNotMatch", MISMATCH)
    assert sim.list_users() == ()


def test_body_swapped_under_signed_content_sha256_is_refused_G9(sim: Simulator, resolver: CallerResolver) -> None:
    """§G.9/SigV4: a signed X-Amz-Content-SHA256 must be the body's hash; a swapped body is SignatureDoesNotMatch."""
    signed = _sign(sim, LIST_USERS, headers={"X-Amz-Content-SHA256": hashlib.sha256(LIST_USERS).hexdigest()})
    assert "x-amz-content-sha256" in signed.headers["Authorization"].lower()
    assert _send(sim, signed, resolver).status == 200
    response = _send(sim, _replace(signed, body=CREATE_USER), resolver)
    assert _error(response) == ("SignatureDoesNotMatch", MISMATCH)
    assert sim.list_users() == ()


def test_unsigned_payload_is_not_accepted_by_query_apis_G9(sim: Simulator, resolver: CallerResolver) -> None:
    """§G.9/SigV4: UNSIGNED-PAYLOAD is an S3 form; for IAM's Query API the body must be hashed."""
    signed = _sign(sim, CREATE_USER, headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"})
    assert _error(_send(sim, signed, resolver))[0] == "SignatureDoesNotMatch"
    assert sim.list_users() == ()


def test_replay_after_five_minutes_is_signature_expired_G9(
    sim: Simulator, clock: ManualClock, resolver: CallerResolver
) -> None:
    """§G.9/SigV4: a captured request replays within AWS's 5-minute window, then gets SignatureDoesNotMatch
    "Signature expired" with AWS's wording, against the simulator's clock."""
    captured = _sign(sim, CREATE_USER)
    assert _send(sim, captured, resolver).status == 200
    sim.delete_user("mallory")
    clock.advance(timedelta(minutes=5))
    assert _send(sim, captured, resolver).status == 200  # exactly 5 minutes old: still inside the window
    sim.delete_user("mallory")
    clock.advance(timedelta(seconds=1))
    response = _send(sim, captured, resolver)
    assert response.status == 403
    assert _error(response) == (
        "SignatureDoesNotMatch",
        "Signature expired: 20260101T000000Z is now earlier than 20260101T000001Z (20260101T000501Z - 5 min.)",
    )
    assert sim.list_users() == ()


def test_request_signed_in_the_future_is_not_yet_current_G9(sim: Simulator, resolver: CallerResolver) -> None:
    """§G.9/SigV4: a signing time more than 5 minutes ahead of the server's clock is refused too."""
    ahead = sim.clock.now() + timedelta(minutes=6)
    response = _send(sim, _sign(sim, CREATE_USER, at=ahead), resolver)
    assert _error(response) == (
        "SignatureDoesNotMatch",
        "Signature not yet current: 20260101T000600Z is still later than 20260101T000500Z (20260101T000000Z + 5 min.)",
    )
    assert sim.list_users() == ()


def test_host_must_be_signed_G9(sim: Simulator, resolver: CallerResolver) -> None:
    """§G.9/SigV4: Host must be among the signed headers."""
    signed = _sign(sim, LIST_USERS)
    authorization = signed.headers["Authorization"].replace("SignedHeaders=content-type;host;", "SignedHeaders=")
    assert "host" not in authorization.split("SignedHeaders=")[1].split(",")[0]
    response = _send(sim, _replace(signed, Authorization=authorization), resolver)
    assert _error(response) == (
        "SignatureDoesNotMatch",
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    )


def test_x_amz_date_must_be_signed_G9(sim: Simulator, resolver: CallerResolver) -> None:
    """§G.9/SigV4: the signing time must be signed, or it could be moved to dodge the window."""
    signed = _sign(sim, LIST_USERS)
    authorization = signed.headers["Authorization"].replace(";x-amz-date", "")
    response = _send(sim, _replace(signed, Authorization=authorization), resolver)
    assert _error(response) == (
        "SignatureDoesNotMatch",
        "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    )


@pytest.mark.parametrize("signature", ["é" * 64, "\u0661" * 64, "", "zz", "ABCDEF" * 11])
def test_malformed_signature_is_an_aws_error_not_a_traceback_G9(
    sim: Simulator, resolver: CallerResolver, signature: str
) -> None:
    """§G.9: a non-ASCII or malformed signature gets AWS's error (it used to raise TypeError)."""
    signed = _sign(sim, CREATE_USER)
    head, _, _ = signed.headers["Authorization"].rpartition("Signature=")
    response = _send(sim, _replace(signed, Authorization=f"{head}Signature={signature}"), resolver)
    assert _error(response)[0] in ("SignatureDoesNotMatch", "IncompleteSignature")
    assert sim.list_users() == ()


def test_a_naive_server_time_is_read_as_utc_G9(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """§G.9/SigV4: a Clock that answers naive datetimes means UTC, as everywhere in iamsim, not the machine's
    local time (here UTC+9, where reading it as local time would shift the window by nine hours)."""
    import time

    from iamsim._wire.sigv4 import parse_authorization
    from iamsim.errors import SignatureDoesNotMatchError

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        claims = parse_authorization(_sign(sim, CREATE_USER))
        now = sim.clock.now()
        claims.require_current(now.replace(tzinfo=None))
        with pytest.raises(SignatureDoesNotMatchError, match="Signature expired"):
            claims.require_current((now + timedelta(minutes=6)).replace(tzinfo=None))
    finally:
        monkeypatch.undo()
        time.tzset()
