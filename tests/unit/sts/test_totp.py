"""Virtual MFA codes: RFC 6238 TOTP, HMAC-SHA1, 6 digits, 30 s (spec §G.1 TokenCode)."""

from __future__ import annotations

import base64
import random
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from iamsim._sts.totp import generate_seed, otpauth_uri, seed_base32, totp_code, verify_totp

RFC_SEED = b"12345678901234567890"


def at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


# RFC 6238 Appendix B, SHA1 column, keeping the last 6 of the 8 digits.
@pytest.mark.parametrize(
    ("epoch", "code"),
    [
        (59, "287082"),
        (1111111109, "081804"),
        (1111111111, "050471"),
        (1234567890, "005924"),
        (2000000000, "279037"),
        (20000000000, "353130"),
    ],
)
def test_g1_rfc6238_vectors(epoch: int, code: str) -> None:
    assert totp_code(RFC_SEED, at(epoch)) == code
    assert verify_totp(RFC_SEED, code, at(epoch))


def test_g1_naive_datetime_means_utc() -> None:
    assert totp_code(RFC_SEED, datetime(2009, 2, 13, 23, 31, 30)) == "005924"


def test_g1_window_accepts_adjacent_steps_only() -> None:
    now = at(1234567890)
    previous = totp_code(RFC_SEED, now - timedelta(seconds=30))
    two_back = totp_code(RFC_SEED, now - timedelta(seconds=60))
    assert verify_totp(RFC_SEED, previous, now)
    assert not verify_totp(RFC_SEED, previous, now, window=0)
    assert not verify_totp(RFC_SEED, two_back, now)
    assert verify_totp(RFC_SEED, two_back, now, window=2)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "٠٠٥٩٢٤", " 05924"])
def test_g1_malformed_codes_are_not_valid(code: str) -> None:
    assert not verify_totp(RFC_SEED, code, at(1234567890))


def test_g1_wrong_code_is_not_valid() -> None:
    assert not verify_totp(RFC_SEED, "005925", at(1234567890))


def test_negative_window_is_rejected() -> None:
    with pytest.raises(ValueError, match="window"):
        verify_totp(RFC_SEED, "005924", at(1234567890), window=-1)


def test_seed_is_20_bytes_and_deterministic() -> None:
    seed = generate_seed(random.Random(5))
    assert len(seed) == 20
    assert seed == generate_seed(random.Random(5))
    assert seed != generate_seed(random.Random(6))


def test_seed_base32_round_trips() -> None:
    seed = generate_seed(random.Random(5))
    text = seed_base32(seed)
    assert len(text) == 32
    assert base64.b32decode(text) == seed


def test_otpauth_uri_carries_seed_issuer_and_parameters() -> None:
    seed = generate_seed(random.Random(5))
    uri = otpauth_uri(seed, "alice@123456789012", "Amazon Web Services")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parts.path == "/Amazon%20Web%20Services:alice%40123456789012"
    query = parse_qs(parts.query)
    assert query["secret"] == [seed_base32(seed)]
    assert query["issuer"] == ["Amazon Web Services"]
    assert query["digits"] == ["6"]
    assert query["period"] == ["30"]
    assert query["algorithm"] == ["SHA1"]
