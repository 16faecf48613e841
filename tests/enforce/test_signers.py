"""Remembered signers never outlive what they were authenticated with (§G.9; ``_enforce/signer.py``).

The hook remembers each access key's secret and caller between calls; these tests make a
call that fills that memory first, then change the world or the request, and check that
the next call is refused exactly as a first call would be.
"""

from __future__ import annotations

from collections.abc import Callable

import boto3
import pytest
from botocore.exceptions import ClientError

from .world import REGION, World, allow, document, moto_world


def _user_session(world: World, secret: str | None = None) -> tuple[boto3.Session, str]:
    """A session of user ``app`` (allowed s3:ListAllMyBuckets), and its access key id."""
    world.sim.create_user("app")
    world.sim.put_user_policy("app", "list", document(allow("s3:ListAllMyBuckets")))
    key = world.sim.create_access_key("app")
    session = boto3.Session(
        aws_access_key_id=key.access_key_id,
        aws_secret_access_key=secret or key.secret_access_key,
        region_name=REGION,
    )
    return session, key.access_key_id


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return str(caught.value.response["Error"]["Code"])


def test_deleted_key_is_refused_after_it_was_remembered_G9() -> None:
    """§G.9: a deleted key is InvalidClientTokenId (S3: InvalidAccessKeyId) even right after it worked."""
    with moto_world() as world:
        session, key_id = _user_session(world)
        s3 = session.client("s3")
        s3.list_buckets()
        world.sim.delete_access_key("app", key_id)
        assert _code(s3.list_buckets) == "InvalidAccessKeyId"


def test_deactivated_key_is_refused_after_it_was_remembered_G9() -> None:
    """§G.9: UpdateAccessKey to Inactive stops the key at once, remembered or not."""
    with moto_world() as world:
        session, key_id = _user_session(world)
        dynamodb = session.client("dynamodb")
        s3 = session.client("s3")
        s3.list_buckets()
        world.sim.update_access_key("app", key_id, "Inactive")
        assert _code(s3.list_buckets) == "InvalidAccessKeyId"
        assert _code(dynamodb.list_tables) == "UnrecognizedClientException"
        world.sim.update_access_key("app", key_id, "Active")
        s3.list_buckets()


def test_wrong_secret_is_refused_after_the_key_was_remembered_G9() -> None:
    """§G.9 (Signature Version 4): the signature is recomputed on every call, whatever was remembered."""
    with moto_world() as world:
        session, key_id = _user_session(world)
        session.client("s3").list_buckets()
        forged = boto3.Session(
            aws_access_key_id=key_id, aws_secret_access_key="not-the-issued-secret", region_name=REGION
        )
        assert _code(forged.client("s3").list_buckets) == "SignatureDoesNotMatch"


def test_remembered_session_expires_on_time_G9() -> None:
    """§G.9: a session that worked a second before its expiration is ExpiredToken from that second on."""
    from freezegun import freeze_time

    with freeze_time("2030-01-01 00:00:00") as frozen, moto_world() as world:
        world.root.client("s3").create_bucket(Bucket="company1-logs")
        s3 = world.role("Reader", allow("s3:ListAllMyBuckets")).client("s3")
        frozen.tick(3599)
        s3.list_buckets()
        frozen.tick(1)
        assert _code(s3.list_buckets) == "ExpiredToken"


def test_remembered_session_expires_on_the_simulators_own_clock_G9() -> None:
    """§G.9: with a manual clock on the simulator (the signing time still checked against the wall clock), a
    remembered session and a remembered allowed call are ExpiredToken once that clock passes the expiration."""
    from datetime import UTC, datetime, timedelta

    from iamsim import ManualClock, Simulator

    clock = ManualClock(datetime.now(UTC))
    with moto_world(Simulator(clock=clock)) as world:
        s3 = world.role("Reader", allow("s3:ListAllMyBuckets")).client("s3")
        s3.list_buckets()
        s3.list_buckets()  # the signer and the allowed call are both remembered now
        clock.advance(timedelta(seconds=3599))
        s3.list_buckets()
        clock.advance(timedelta(seconds=1))
        assert _code(s3.list_buckets) == "ExpiredToken"


def test_replay_of_a_remembered_keys_request_is_signature_expired_G9() -> None:
    """§G.9 (SigV4's five-minute signing window): the window is checked on every call of a remembered key, with
    the simulator on the wall clock too (the one reading serves the window and the expiry), both ways."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from freezegun import freeze_time

    from iamsim import Simulator, SystemClock
    from iamsim._enforce.signer import Signers
    from iamsim._simulator.signed import CallerResolver
    from iamsim._wire.http import HttpRequest
    from iamsim._wire.sigv4 import parse_authorization
    from iamsim.errors import SignatureDoesNotMatchError

    with freeze_time("2030-01-01 00:00:00") as frozen:
        sim = Simulator()
        sim.create_user("app")
        key = sim.create_access_key("app")
        signers = Signers(CallerResolver(sim, clock=SystemClock()))

        def signed() -> HttpRequest:
            request = AWSRequest(method="GET", url="https://s3.amazonaws.com/", headers={})
            SigV4Auth(Credentials(key.access_key_id, key.secret_access_key), "s3", REGION).add_auth(request)
            return HttpRequest(request.method, request.url, dict(request.headers.items()), b"")

        captured = signed()
        signers.caller(parse_authorization(captured))  # remembered from here on
        frozen.tick(300)
        assert signers.caller(parse_authorization(captured), sim.clock.now()).principal.arn.endswith(":user/app")
        frozen.tick(1)
        with pytest.raises(SignatureDoesNotMatchError, match="Signature expired"):
            signers.caller(parse_authorization(captured), sim.clock.now())
        early = signed()
        frozen.move_to("2030-01-01 00:00:00")
        with pytest.raises(SignatureDoesNotMatchError, match="Signature not yet current"):
            signers.caller(parse_authorization(early))


def test_remembered_key_signing_for_another_partitions_region_is_refused_G9() -> None:
    """§G.9: a key remembered for a region of this world's partition is still refused when it signs for a region
    of another partition (InvalidClientTokenId): the region is part of what is remembered."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    from iamsim import Simulator, SystemClock
    from iamsim._enforce.signer import Signers
    from iamsim._simulator.signed import CallerResolver
    from iamsim._wire.http import HttpRequest
    from iamsim._wire.sigv4 import parse_authorization
    from iamsim.errors import InvalidClientTokenIdError

    sim = Simulator()
    sim.create_user("app")
    key = sim.create_access_key("app")
    signers = Signers(CallerResolver(sim, clock=SystemClock()))

    def signed(region: str) -> HttpRequest:
        request = AWSRequest(method="GET", url="https://sqs.amazonaws.com/", headers={})
        SigV4Auth(Credentials(key.access_key_id, key.secret_access_key), "sqs", region).add_auth(request)
        return HttpRequest(request.method, request.url, dict(request.headers.items()), b"")

    for _ in range(2):
        assert signers.caller(parse_authorization(signed(REGION))).principal.arn.endswith(":user/app")
    with pytest.raises(InvalidClientTokenIdError):
        signers.caller(parse_authorization(signed("cn-north-1")))
