"""Web identity tokens: a test IdP and STS-style verification (spec §G.2)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from iamsim._sts.oidc import TestIdentityProvider, verify_web_identity_token
from iamsim.errors import ExpiredWebIdentityTokenError, InvalidIdentityTokenError

ISSUER = "https://oidc.example.com"
CLIENT = "sts.amazonaws.com"
ISSUED = datetime(2021, 7, 13, 15, 51, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def idp() -> TestIdentityProvider:
    return TestIdentityProvider(ISSUER)


def verify(idp: TestIdentityProvider, token: str, *, now: datetime | None = None, **kw: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"jwks": idp.jwks(), "issuer": ISSUER, "client_ids": [CLIENT]}
    options.update(kw)
    return verify_web_identity_token(token, now=now or ISSUED + timedelta(minutes=5), **options)


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_g2_valid_token_returns_claims(idp: TestIdentityProvider) -> None:
    token = idp.mint(subject="system:serviceaccount:ns:app", audience=CLIENT, issued_at=ISSUED, claims={"x": 1})
    claims = verify(idp, token)
    assert claims["sub"] == "system:serviceaccount:ns:app"
    assert claims["iss"] == ISSUER
    assert claims["aud"] == CLIENT
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["x"] == 1


def test_g2_jwks_describes_an_rs256_signing_key(idp: TestIdentityProvider) -> None:
    (key,) = idp.jwks()["keys"]
    assert {k: key[k] for k in ("kty", "kid", "use", "alg", "e")} == {
        "kty": "RSA",
        "kid": "iamsim-1",
        "use": "sig",
        "alg": "RS256",
        "e": "AQAB",
    }
    assert len(base64.urlsafe_b64decode(key["n"] + "==")) == 256


def test_g2_audience_list_matches_any_client_id(idp: TestIdentityProvider) -> None:
    token = idp.mint(subject="s", audience=CLIENT, issued_at=ISSUED, claims={"aud": ["other", CLIENT]})
    assert verify(idp, token)["aud"] == ["other", CLIENT]


@pytest.mark.parametrize("audience", ["other-client", ["a", "b"], [], 7, None])
def test_g2_wrong_audience_is_rejected(idp: TestIdentityProvider, audience: object) -> None:
    token = idp.mint(subject="s", audience=CLIENT, issued_at=ISSUED, claims={"aud": audience})
    with pytest.raises(InvalidIdentityTokenError) as caught:
        verify(idp, token)
    assert caught.value.message == "Incorrect token audience"


def test_g2_expired_token_uses_aws_message(idp: TestIdentityProvider) -> None:
    token = idp.mint(subject="s", audience=CLIENT, issued_at=ISSUED)
    now = ISSUED + timedelta(hours=2)
    with pytest.raises(ExpiredWebIdentityTokenError) as caught:
        verify(idp, token, now=now)
    expected = (
        f"Token expired: current date/time {int(now.timestamp())} "
        f"must be before the expiration date/time{int(ISSUED.timestamp()) + 3600}"
    )
    assert caught.value.message == expected
    assert caught.value.code == "ExpiredTokenException"


def test_g2_token_is_expired_at_exactly_exp(idp: TestIdentityProvider) -> None:
    token = idp.mint(subject="s", audience=CLIENT, issued_at=ISSUED, expires_in=60)
    verify(idp, token, now=ISSUED + timedelta(seconds=59))
    with pytest.raises(ExpiredWebIdentityTokenError):
        verify(idp, token, now=ISSUED + timedelta(seconds=60))


@pytest.mark.parametrize("claim", ["nbf", "iat"])
def test_g2_token_from_the_future_is_rejected(idp: TestIdentityProvider, claim: str) -> None:
    future = int((ISSUED + timedelta(minutes=30)).timestamp())
    token = idp.mint(subject="s", audience=CLIENT, issued_at=ISSUED, claims={claim: future})
    with pytest.raises(InvalidIdentityTokenError, match=claim):
        verify(idp, token)


def test_g2_tampered_payload_is_rejected(idp: TestIdentityProvider) -> None:
    token = idp.mint(subject="alice", audience=CLIENT, issued_at=ISSUED)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "admin"
    with pytest.raises(InvalidIdentityTokenError, match="signature"):
        verify(idp, f"{header}.{b64(claims)}.{signature}")


def test_g2_token_signed_by_another_provider_is_rejected(idp: TestIdentityProvider) -> None:
    impostor = TestIdentityProvider(ISSUER)
    token = impostor.mint(subject="s", audience=CLIENT, issued_at=ISSUED)
    with pytest.raises(InvalidIdentityTokenError, match="signature"):
        verify(idp, token)


def test_g2_unknown_kid_is_rejected(idp: TestIdentityProvider) -> None:
    other = TestIdentityProvider(ISSUER, key_id="rotated-2")
    token = other.mint(subject="s", audience=CLIENT, issued_at=ISSUED)
    with pytest.raises(InvalidIdentityTokenError, match="Couldn't retrieve verification key"):
        verify(idp, token)


def test_g2_any_key_in_the_jwks_can_verify(idp: TestIdentityProvider) -> None:
    other = TestIdentityProvider(ISSUER, key_id="rotated-2")
    jwks = {"keys": idp.jwks()["keys"] + other.jwks()["keys"]}
    token = other.mint(subject="s", audience=CLIENT, issued_at=ISSUED)
    assert verify(idp, token, jwks=jwks)["sub"] == "s"


@pytest.mark.parametrize("alg", ["none", "HS256", "RS512", None])
def test_g2_algorithms_other_than_rs256_are_rejected(idp: TestIdentityProvider, alg: str | None) -> None:
    payload = {"iss": ISSUER, "sub": "s", "aud": CLIENT, "iat": int(ISSUED.timestamp()), "exp": 2**40}
    token = idp.sign({"alg": alg, "kid": idp.key_id}, payload)
    with pytest.raises(InvalidIdentityTokenError, match="algorithm"):
        verify(idp, token)


def test_g2_unsigned_alg_none_token_is_rejected(idp: TestIdentityProvider) -> None:
    payload = {"iss": ISSUER, "sub": "s", "aud": CLIENT, "exp": 2**40}
    with pytest.raises(InvalidIdentityTokenError):
        verify(idp, f"{b64({'alg': 'none'})}.{b64(payload)}.")


def test_g2_wrong_issuer_is_rejected(idp: TestIdentityProvider) -> None:
    token = idp.mint(subject="s", audience=CLIENT, issued_at=ISSUED, claims={"iss": "https://evil.example.com"})
    with pytest.raises(
        InvalidIdentityTokenError, match="No OpenIDConnect provider found in your account for https://evil"
    ):
        verify(idp, token)


def test_g2_issuer_may_be_given_without_scheme(idp: TestIdentityProvider) -> None:
    token = idp.mint(subject="s", audience=CLIENT, issued_at=ISSUED)
    assert verify(idp, token, issuer="oidc.example.com/")["sub"] == "s"


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.b.c.d", "!!!.e30.", "e30.e30", "W10.e30.", "e30.W10.", "bm90IGpzb24.e30.", "e30.e30.***"],
)
def test_g2_malformed_tokens_are_invalid(idp: TestIdentityProvider, token: str) -> None:
    with pytest.raises(InvalidIdentityTokenError, match="not a valid JWT"):
        verify(idp, token)


@pytest.mark.parametrize("missing", ["exp", "sub"])
def test_g2_required_claims_must_be_present(idp: TestIdentityProvider, missing: str) -> None:
    payload = {"iss": ISSUER, "sub": "s", "aud": CLIENT, "iat": int(ISSUED.timestamp()), "exp": 2**40}
    del payload[missing]
    token = idp.sign({"alg": "RS256", "kid": idp.key_id}, payload)
    with pytest.raises(InvalidIdentityTokenError, match=missing):
        verify(idp, token)


def test_g2_malformed_jwks_means_no_verification_key(idp: TestIdentityProvider) -> None:
    token = idp.mint(subject="s", audience=CLIENT, issued_at=ISSUED)
    for jwks in ({}, {"keys": "x"}, {"keys": [{"kty": "RSA", "kid": "iamsim-1", "n": 5, "e": "AQAB"}]}):
        with pytest.raises(InvalidIdentityTokenError, match="Couldn't retrieve verification key"):
            verify(idp, token, jwks=jwks)
