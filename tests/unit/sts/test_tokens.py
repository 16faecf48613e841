"""Sealed session tokens and generated access keys (spec §G.1, §G.9, §H.1)."""

from __future__ import annotations

import base64
import json
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamsim._sts.tokens import TokenSealer, generate_access_key_id, generate_secret_access_key
from iamsim.errors import InvalidClientTokenIdError

CLAIMS = {"kind": "assumed-role", "account": "123456789012", "exp": 1767229200, "tags": {"team": "blue"}}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture
def sealer() -> TokenSealer:
    return TokenSealer(bytes(range(32)))


def test_g1_sealed_claims_round_trip(sealer: TokenSealer) -> None:
    assert sealer.unseal(sealer.seal(CLAIMS)) == CLAIMS


@given(st.dictionaries(st.text(max_size=10), json_values, max_size=6))
def test_g1_any_json_claims_round_trip(claims: dict[str, object]) -> None:
    sealer = TokenSealer(b"k" * 32)
    assert sealer.unseal(sealer.seal(claims)) == claims


def test_g1_token_is_opaque_standard_base64_under_4096_bytes(sealer: TokenSealer) -> None:
    token = sealer.seal(CLAIMS)
    assert re.fullmatch(r"[A-Za-z0-9+/]+=*", token)
    assert len(token) < 4096
    assert b"123456789012" not in base64.b64decode(token)


def _nonce(token: str) -> bytes:
    return base64.b64decode(token)[1:13]


def test_g1_the_same_claims_seal_to_the_same_token(sealer: TokenSealer) -> None:
    """Reproducible output for a seeded simulator: the nonce is derived from what is sealed."""
    assert sealer.seal(CLAIMS) == sealer.seal(dict(CLAIMS))


@given(st.dictionaries(st.text(max_size=6), json_values, max_size=4), st.text(max_size=6))
def test_g1_different_claims_never_share_a_nonce(claims: dict[str, object], extra: str) -> None:
    """GCM's rule: one (key, nonce) pair never seals two different messages."""
    sealer = TokenSealer(b"k" * 32)
    other = {**claims, "extra-claim": extra}
    assert _nonce(sealer.seal(claims)) != _nonce(sealer.seal(other))


def test_g1_nonces_depend_on_the_key() -> None:
    assert _nonce(TokenSealer(b"a" * 32).seal(CLAIMS)) != _nonce(TokenSealer(b"b" * 32).seal(CLAIMS))


def test_g1_seeded_sealers_open_each_others_tokens() -> None:
    token = TokenSealer.from_seed(b"seed-1").seal(CLAIMS)
    assert TokenSealer.from_seed(b"seed-1").unseal(token) == CLAIMS


def test_g9_token_from_another_seed_is_invalid() -> None:
    token = TokenSealer.from_seed(b"seed-1").seal(CLAIMS)
    with pytest.raises(InvalidClientTokenIdError) as caught:
        TokenSealer.from_seed(b"seed-2").unseal(token)
    assert caught.value.message == "The security token included in the request is invalid."


@given(st.data())
def test_g9_any_flipped_bit_is_rejected(data: st.DataObject) -> None:
    sealer = TokenSealer(b"k" * 32)
    raw = bytearray(base64.b64decode(sealer.seal(CLAIMS)))
    index = data.draw(st.integers(0, len(raw) - 1))
    raw[index] ^= 1 << data.draw(st.integers(0, 7))
    with pytest.raises(InvalidClientTokenIdError):
        sealer.unseal(base64.b64encode(bytes(raw)).decode())


@pytest.mark.parametrize(
    "garbage",
    ["", "not base64!", "QUJD", "AAAA" * 20, "é", "A" * 7],
)
def test_g9_garbage_tokens_are_invalid(sealer: TokenSealer, garbage: str) -> None:
    with pytest.raises(InvalidClientTokenIdError):
        sealer.unseal(garbage)


def test_g9_truncated_token_is_invalid(sealer: TokenSealer) -> None:
    token = sealer.seal(CLAIMS)
    with pytest.raises(InvalidClientTokenIdError):
        sealer.unseal(token[: len(token) // 2 // 4 * 4])


def test_g9_non_string_token_is_invalid(sealer: TokenSealer) -> None:
    with pytest.raises(InvalidClientTokenIdError):
        sealer.unseal(b"abcd")  # type: ignore[arg-type]


@pytest.mark.parametrize("key", [b"", b"x" * 16, b"x" * 33])
def test_key_must_be_32_bytes(key: bytes) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        TokenSealer(key)


@pytest.mark.parametrize("prefix", ["AKIA", "ASIA"])
def test_h1_access_key_id_shape(prefix: str) -> None:
    key_id = generate_access_key_id(prefix, random.Random(1))
    assert re.fullmatch(prefix + r"[A-Z2-7]{16}", key_id)


def test_h1_access_key_ids_are_deterministic_for_a_seeded_rng() -> None:
    assert generate_access_key_id("ASIA", random.Random(7)) == generate_access_key_id("ASIA", random.Random(7))
    assert generate_access_key_id("ASIA", random.Random(7)) != generate_access_key_id("ASIA", random.Random(8))


@pytest.mark.parametrize("prefix", ["", "AKI", "AKIAX", "akia", "AK1A"])
def test_h1_bad_access_key_prefix_is_rejected(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        generate_access_key_id(prefix, random.Random(1))


def test_secret_access_key_shape_and_determinism() -> None:
    secret = generate_secret_access_key(random.Random(3))
    assert re.fullmatch(r"[A-Za-z0-9+/]{40}", secret)
    assert secret == generate_secret_access_key(random.Random(3))
    assert secret != generate_secret_access_key(random.Random(4))


@given(st.one_of(json_values, st.lists(json_values, max_size=6).map(tuple)), st.floats(allow_nan=False))
def test_g1_claims_encoder_writes_what_json_dumps_writes(claims: object, number: float) -> None:
    """The sealer's encoder, made once, gives ``json.dumps``' compact text byte for byte (§G.1: tokens unchanged)."""
    from iamsim._sts.tokens import encode_claims as _encode_claims

    for value in (claims, [claims, number, 'é\u2028"<'], {"k": claims}):
        assert _encode_claims(value) == json.dumps(value, separators=(",", ":"))
