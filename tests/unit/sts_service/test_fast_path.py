"""The AssumeRole fast path changes nothing observable: same ids, tokens that still open, same context (§G.1, §H.1)."""

from __future__ import annotations

import base64
import dataclasses
import hmac
import json
import os
import random
import string
import zlib

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from iamsim._engine.request import Principal, PrincipalType
from iamsim._store.ids import ID_ALPHABET, draw_chars
from iamsim._sts.caller import CLAIMS_FIELDS, CLAIMS_VERSION, Caller, CallerKind
from iamsim._sts.credentials import Credentials
from iamsim._sts.tokens import TokenSealer
from iamsim.errors import InvalidClientTokenIdError

from .conftest import World

SECRET_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"


@pytest.mark.parametrize(
    "alphabet",
    [ID_ALPHABET, SECRET_ALPHABET, string.digits, "0123456789abcdef", "ab", "a", string.printable, "aé€"],
)
@pytest.mark.parametrize("seed", [0, 1, 42, 2**40])
def test_draw_chars_is_random_choice_exactly_h1(alphabet: str, seed: int) -> None:
    """§H.1: seeded ids are what ``random.choice`` gave before, and the generator ends in the same state."""
    fast, slow = random.Random(seed), random.Random(seed)
    for count in (0, 1, 16, 17, 40, 300):
        assert draw_chars(fast, alphabet, count) == "".join(slow.choice(alphabet) for _ in range(count))
    assert fast.getstate() == slow.getstate()


def _sealer_key() -> bytes:
    return bytes(range(32))


def test_small_claims_are_sealed_plain_and_large_ones_compressed_g9() -> None:
    """Both token versions open; their version byte is authenticated."""
    sealer = TokenSealer(_sealer_key())
    small = {"k": "v"}
    large = {"policy": "x" * 5000}
    small_token, large_token = sealer.seal(small), sealer.seal(large)
    assert base64.b64decode(small_token)[:1] == b"\x02"
    assert base64.b64decode(large_token)[:1] == b"\x01"
    assert len(large_token) < 1000  # compressed
    assert sealer.unseal(small_token) == small
    assert sealer.unseal(large_token) == large
    raw = bytearray(base64.b64decode(small_token))
    raw[0] = 1  # claim it is compressed: the GCM tag no longer matches
    with pytest.raises(InvalidClientTokenIdError):
        sealer.unseal(base64.b64encode(bytes(raw)).decode())


@pytest.mark.parametrize("size", [0, 1, 55, 64, 386, 5000])
def test_synthetic_nonce_is_hmac_sha256_of_the_sealed_bytes_g9(size: int) -> None:
    """The precomputed HMAC states give ``hmac.digest``'s value: tokens keep their nonces (§G.9)."""
    key = _sealer_key()
    sealer = TokenSealer(key)
    nonce_key = hmac.digest(key, b"iamsim/sts/session-token synthetic nonce key", "sha256")
    message = os.urandom(size)
    assert sealer._nonce(message) == hmac.digest(nonce_key, message, "sha256")[:12]
    token = base64.b64decode(sealer.seal({"k": "v"}))
    assert token[1:13] == hmac.digest(nonce_key, b"\x02" + b'{"k":"v"}', "sha256")[:12]


def test_tokens_in_the_first_format_still_open_g9() -> None:
    """Tokens sealed before (version 1, zlib with the default window) still open."""
    key = _sealer_key()
    claims = {"akid": "ASIA" + "A" * 16, "n": 1}
    nonce = os.urandom(12)
    body = AESGCM(key).encrypt(nonce, zlib.compress(json.dumps(claims).encode()), b"\x01")
    old_token = base64.b64encode(b"\x01" + nonce + body).decode()
    assert TokenSealer(key).unseal(old_token) == claims


def test_caller_issued_is_replace() -> None:
    """``Caller.issued`` is ``dataclasses.replace`` with the three issuing fields."""
    caller = Caller(
        CallerKind.ROLE_SESSION,
        Principal("arn:aws:sts::123456789012:assumed-role/R/s", PrincipalType.ASSUMED_ROLE, "123456789012"),
        entity_name="R",
        entity_id="AROAEXAMPLE",
        session_tags=(("a", "b"),),
        transitive_tag_keys=("a",),
        session_policies=(("p", "{}"),),
        mfa_at=5,
        source_identity="me",
        instance_id="i-1",
        extra_context=(("k", "v"),),
    )
    assert caller.issued("ASIAX", 10, 20) == dataclasses.replace(
        caller, access_key_id="ASIAX", issued_at=10, expires_at=20
    )


def _full_caller() -> Caller:
    principal = Principal(
        "arn:aws:sts::123456789012:assumed-role/R/s",
        PrincipalType.ASSUMED_ROLE,
        "123456789012",
        role_arn="arn:aws:iam::123456789012:role/R",
        session_name="s",
        unique_id="AROAEXAMPLE",
        userid="AROAEXAMPLE:s",
    )
    return Caller(
        CallerKind.ROLE_SESSION,
        principal,
        entity_name="R",
        entity_id="AROAEXAMPLE",
        access_key_id="ASIA" + "B" * 16,
        session_tags=(("a", "b"), ("c", "d")),
        transitive_tag_keys=("a",),
        session_policies=(("p", '{"Version":"2012-10-17"}'),),
        issued_at=10,
        expires_at=20,
        mfa_at=5,
        source_identity="me",
        instance_id="i-1",
        extra_context=(("k", "v"), ("aud", ("x", "y"))),
    )


def test_session_claims_are_a_positional_array_and_round_trip_g9() -> None:
    """§G.9: a session's claims are sealed as a JSON array and open to the same caller and secret."""
    caller = _full_caller()
    sealer = TokenSealer(_sealer_key())
    token = sealer.seal(caller.to_claims("s" * 40))
    claims = sealer.unseal(token)
    assert isinstance(claims, list)
    assert claims[0] == CLAIMS_VERSION
    assert len(claims) == len(CLAIMS_FIELDS)
    assert Caller.from_claims(claims) == (caller, "s" * 40)


def test_session_tokens_with_named_claims_still_open_g9() -> None:
    """§G.9: a token sealed by an earlier iamsim (claims as a JSON object, version 1) still opens."""
    caller = _full_caller()
    named = dict(zip(CLAIMS_FIELDS, caller.to_claims("s" * 40), strict=True))
    named["v"] = 1
    sealer = TokenSealer(_sealer_key())
    opened = sealer.unseal(sealer.seal(json.loads(json.dumps(named))))
    assert isinstance(opened, dict)
    assert Caller.from_claims(opened) == (caller, "s" * 40)


@pytest.mark.parametrize("damage", ["short", "version", "no secret", "no key id", "bad kind"])
def test_malformed_session_claims_are_an_invalid_token_g9(damage: str) -> None:
    """§G.9: claims that do not describe a session (even authentic ones) are ``InvalidClientTokenId``."""
    claims = json.loads(json.dumps(_full_caller().to_claims("s" * 40)))
    if damage == "short":
        claims = claims[:-1]
    elif damage == "version":
        claims[0] = 99
    else:
        claims[{"no secret": 3, "no key id": 2, "bad kind": 1}[damage]] = None if damage != "bad kind" else "x"
    with pytest.raises(InvalidClientTokenIdError):
        Caller.from_claims(claims)


def test_credentials_authenticate_once_per_call_and_failures_are_logged(world: World) -> None:
    """A bad key is logged once as ``unknown caller`` with InvalidClientTokenId; nothing is issued."""
    since = world.sim.events()[-1].seq
    with pytest.raises(InvalidClientTokenIdError):
        world.sim.assume_role(Credentials("AKIA" + "Q" * 16, "x" * 40), world.role_arn("Reader"), "sess")
    events = [e for e in world.sim.events() if e.seq > since]
    assert [(e.actor, e.action, e.outcome) for e in events] == [
        ("unknown caller", "AssumeRole", "InvalidClientTokenId")
    ]


def test_seeded_session_key_ids_are_reproducible_g1(world: World) -> None:
    """§G.1: two simulators with the same seed and calls issue the same ASIA key ids."""
    from iamsim._clock import ManualClock
    from iamsim._simulator import Simulator

    def issue() -> list[str]:
        sim = Simulator(seed=21, clock=ManualClock())
        user = sim.create_user("u")
        key = sim.create_access_key("u")
        sim.create_role(
            "R",
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"AWS": user.arn}, "Action": "sts:AssumeRole"}],
            },
        )
        return [
            sim.assume_role(key, "arn:aws:iam::123456789012:role/R", f"s{n}").credentials.access_key_id
            for n in range(3)
        ]

    first = issue()
    assert first == issue()
    assert all(k.startswith("ASIA") and len(k) == 20 for k in first)


def test_session_tags_override_entity_tags_whatever_the_case_e(world: World) -> None:
    """§E: a session tag replaces a role tag of the same key in another case; both spellings reach one key."""
    world.sim.update_assume_role_policy(
        "Reader",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": world.user_arn},
                    "Action": ["sts:AssumeRole", "sts:TagSession"],
                }
            ],
        },
    )
    session = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", tags={"TEAM": "green"})
    context = world.sim.explain(
        session.credentials, "s3:GetObject", context={"aws:PrincipalTag/Extra": "1"}
    ).request.context
    assert context["aws:principaltag/team"] == "green"
    assert context["aws:principaltag/extra"] == "1"
    assert [k for k in context if k.startswith("aws:principaltag/")] == [
        "aws:principaltag/team",
        "aws:principaltag/extra",
    ]
