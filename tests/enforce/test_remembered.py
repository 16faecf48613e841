"""Remembered allowed calls never outlive what they were decided on (``_enforce/remembered.py``; §F.1, §G.9).

A repeated allowed call skips evaluation while the world, the resource records, the
mapping and the clock's second are unchanged. These tests make a call that fills that
memory, change one thing the decision reads, and check that the very next call is decided
as a first call would be: a policy (identity, bucket policy, set through the simulator or
through boto3), a resource tag, the clock; and, in a Hypothesis test that
interleaves such changes (an entity tag and a registered mapping too) with calls, every
decision is compared with an authorizer that remembers nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamsim import Credentials, ManualClock, Simulator
from iamsim._enforce import Authorizer, need
from iamsim._enforce.remembered import frozen_params

from .world import REGION, World, allow, deny, document, error_of, moto_world

START = datetime(2030, 1, 1, tzinfo=UTC)
BUCKET = "company1-logs"
OBJECT_ARN = f"arn:aws:s3:::{BUCKET}/app.log"


def _get(s3: Any) -> None:
    s3.get_object(Bucket=BUCKET, Key="app.log")["Body"].read()


@pytest.fixture
def reader() -> Iterator[tuple[World, Any]]:
    """A world and a role session's S3 client whose GetObject was allowed (and so remembered)."""
    with moto_world() as world:
        world.root.client("s3").create_bucket(Bucket=BUCKET)
        world.root.client("s3").put_object(Bucket=BUCKET, Key="app.log", Body=b"line")
        s3 = world.role("Reader", allow("s3:GetObject", f"arn:aws:s3:::{BUCKET}/*")).client("s3")
        _get(s3)
        _get(s3)
        yield world, s3


def _denied(call: Callable[[], object]) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return error_of(caught)[0]


def test_identity_deny_is_seen_on_the_next_call_F1(reader: tuple[World, Any]) -> None:
    """§F.1 (AWS, "Policy evaluation logic"): a Deny added to the role after a remembered allow wins at once."""
    world, s3 = reader
    world.sim.put_role_policy("Reader", "no", document(deny("s3:GetObject")))
    assert _denied(lambda: _get(s3)) == "AccessDenied"
    world.sim.delete_role_policy("Reader", "no")
    _get(s3)


def test_bucket_policy_put_through_boto3_is_seen_on_the_next_call_F1(reader: tuple[World, Any]) -> None:
    """§F.1, §F.5 (AWS, "Bucket policies for Amazon S3"): a PutBucketPolicy the app makes denies the next call."""
    world, s3 = reader
    blocked = deny("s3:GetObject", f"arn:aws:s3:::{BUCKET}/*", Principal="*")
    world.root.client("s3").put_bucket_policy(Bucket=BUCKET, Policy=document(blocked))
    assert _denied(lambda: _get(s3)) == "AccessDenied"
    world.root.client("s3").delete_bucket_policy(Bucket=BUCKET)
    _get(s3)


def test_object_tag_is_seen_on_the_next_call_F3(reader: tuple[World, Any]) -> None:
    """§F.3 (AWS, "Amazon S3 condition key examples", s3:ExistingObjectTag): a tag put after an allow counts next."""
    world, s3 = reader
    secret = deny("s3:GetObject", Condition={"StringEquals": {"s3:ExistingObjectTag/class": "secret"}})
    world.sim.put_role_policy("Reader", "tags", document(secret))
    _get(s3)
    world.root.client("s3").put_object_tagging(
        Bucket=BUCKET, Key="app.log", Tagging={"TagSet": [{"Key": "class", "Value": "secret"}]}
    )
    assert _denied(lambda: _get(s3)) == "AccessDenied"
    world.sim.resources.untag(OBJECT_ARN, ["class"])
    _get(s3)


def test_clock_move_is_seen_on_the_next_call_F3() -> None:
    """§F.3 (AWS, "IAM JSON policy elements: Condition operators", date operators): aws:CurrentTime is re-read."""
    from freezegun import freeze_time

    with freeze_time("2030-01-01 00:00:00") as frozen, moto_world() as world:
        world.root.client("s3").create_bucket(Bucket=BUCKET)
        world.root.client("s3").put_object(Bucket=BUCKET, Key="app.log", Body=b"line")
        until = {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:10:00Z"}}
        s3 = world.role("Reader", allow("s3:GetObject", Condition=until)).client("s3")
        _get(s3)
        frozen.tick(599)
        _get(s3)
        frozen.tick(1)
        assert _denied(lambda: _get(s3)) == "AccessDenied"


def test_remembered_call_is_logged_each_time_F1(reader: tuple[World, Any]) -> None:
    """§F.1: every call is an evaluated request in the event log, remembered or not (one ``allowed`` event each)."""
    world, s3 = reader
    before = [e for e in world.sim.events() if e.action == "s3:GetObject"]
    _get(s3)
    _get(s3)
    after = [e for e in world.sim.events() if e.action == "s3:GetObject"]
    assert len(after) == len(before) + 2
    assert {e.outcome for e in after[len(before) :]} == {"allowed"}


def test_frozen_params_tell_types_apart_F1() -> None:
    """§F.1: parameters equal in Python but of other types (True and 1) are different calls."""
    assert frozen_params({"A": True}) != frozen_params({"A": 1})
    assert frozen_params({"A": [1, "x"]}) == frozen_params({"A": [1, "x"]})
    assert frozen_params({"A": {"b": "c"}}) != frozen_params({"A": [("b", "c")]})


def test_streams_and_large_bodies_are_never_remembered_F1() -> None:
    """§F.1: a call whose parameters cannot be compared cheaply is evaluated every time."""
    assert frozen_params({"Body": io.BytesIO(b"x")}) is None
    assert frozen_params({"Body": b"x" * 100_000}) is None
    assert frozen_params({"Body": b"x" * 10}) is not None


# ---------------------------------------------------------------- property

_STEPS = st.lists(
    st.sampled_from(
        [
            "call",
            "call-other",
            "deny",
            "undeny",
            "tag",
            "untag",
            "bucket-deny",
            "bucket-clear",
            "principal-tag",
            "principal-untag",
            "clock",
            "remap",
            "unmap",
        ]
    ),
    min_size=1,
    max_size=30,
)

_GET = (need("s3:GetObject", "arn:{partition}:s3:::{Bucket}/{Key}"),)
_GET_ACL = (need("s3:GetObjectAcl", "arn:{partition}:s3:::{Bucket}/{Key}"),)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=_STEPS)
def test_remembered_decisions_equal_fresh_ones_F1(steps: list[str]) -> None:
    """§F.1, §F.3: after any sequence of changes, the remembering authorizer decides as one that remembers nothing."""
    clock = ManualClock(START)
    sim = Simulator(seed=1, clock=clock)
    sim.create_user("app")
    later = (START + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    sim.put_user_policy(
        "app",
        "base",
        document(
            allow("s3:GetObject", f"arn:aws:s3:::{BUCKET}/*"),
            deny("s3:GetObject", Condition={"StringEquals": {"s3:ExistingObjectTag/class": "secret"}}),
            deny("s3:GetObject", Condition={"StringEquals": {"aws:PrincipalTag/blocked": "yes"}}),
            deny("s3:GetObject", Condition={"DateGreaterThan": {"aws:CurrentTime": later}}),
        ),
    )
    key = sim.create_access_key("app")
    caller = sim.authenticate(Credentials(key.access_key_id, key.secret_access_key))
    remembering = Authorizer(sim)
    mapping = _GET
    changes = {
        "deny": lambda: sim.put_user_policy("app", "no", document(deny("s3:GetObject"))),
        "undeny": lambda: sim.delete_user_policy("app", "no") if _has(sim, "no") else None,
        "tag": lambda: sim.resources.tag(OBJECT_ARN, {"class": "secret"}),
        "untag": lambda: sim.resources.untag(OBJECT_ARN, ["class"]),
        "bucket-deny": lambda: sim.resources.put_policy(
            f"arn:aws:s3:::{BUCKET}", document(deny("s3:GetObject", f"arn:aws:s3:::{BUCKET}/*", Principal="*"))
        ),
        "bucket-clear": lambda: sim.resources.delete_policy(f"arn:aws:s3:::{BUCKET}"),
        "principal-tag": lambda: sim.tag_user("app", {"blocked": "yes"}),
        "principal-untag": lambda: sim.untag_user("app", ["blocked"]),
        "clock": lambda: clock.advance(1_200),
    }
    for step in steps:
        if step in changes:
            changes[step]()
            continue
        if step in ("remap", "unmap"):
            mapping = _GET_ACL if step == "remap" else _GET
            remembering.register("s3", {"GetObject": mapping})
            continue
        params = {"Bucket": BUCKET, "Key": "app.log" if step == "call" else "other.log"}
        fresh = Authorizer(sim, mappings={"s3": {"GetObject": mapping}})
        expected = fresh.decide(caller, "s3", "GetObject", params, REGION).allowed
        logged = len(sim.events())
        assert remembering.decide(caller, "s3", "GetObject", params, REGION).allowed is expected
        assert len(sim.events()) == logged + 1
        assert (sim.events()[-1].outcome == "allowed") is expected


def _has(sim: Simulator, name: str) -> bool:
    return name in sim.list_user_policies("app")
