"""OpenID Connect tokens for AssumeRoleWithWebIdentity (spec §G.2).

:class:`TestIdentityProvider` is a tiny identity provider for tests: it holds an
RSA-2048 key, publishes it as a JWKS and mints RS256 ID tokens.
:func:`verify_web_identity_token` is what STS does with a token: check its form,
its issuer, its signature against the provider's JWKS, its audience against the
provider's client IDs, and its validity window.

Both are built on ``cryptography`` alone; no JWT library is involved. Only RS256
is accepted, so ``alg: none`` and HMAC confusion attacks are rejected up front.

Messages marked *observed* are AWS's words as seen in the wild; the others are
iamsim's own, in the same style, where AWS's exact words are not known.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from iamsim._clock import epoch_second
from iamsim._sts.params import check_session_tags, check_transitive_keys
from iamsim.errors import ExpiredWebIdentityTokenError, InvalidIdentityTokenError

__all__ = [
    "TestIdentityProvider",
    "token_session_tags",
    "unverified_issuer",
    "verify_web_identity_token",
    "web_identity_context",
]

_ALGORITHM: Final = "RS256"
_B64URL: Final = re.compile(r"[A-Za-z0-9_-]*")

# Observed AWS messages.
_NOT_A_JWT: Final = "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"
_NO_KEY: Final = (
    "Couldn't retrieve verification key from your identity provider,  "
    "please reference AssumeRoleWithWebIdentity documentation for requirements"
)
_BAD_AUDIENCE: Final = "Incorrect token audience"
# iamsim's own wording.
_BAD_SIGNATURE: Final = "The signature of the web identity token could not be verified"


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url, raising InvalidIdentityTokenError on anything else."""
    if not _B64URL.fullmatch(text):
        raise InvalidIdentityTokenError(_NOT_A_JWT)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidIdentityTokenError(_NOT_A_JWT) from None


def _json_object(segment: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64url_decode(segment).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidIdentityTokenError(_NOT_A_JWT) from None
    if not isinstance(value, dict):
        raise InvalidIdentityTokenError(_NOT_A_JWT)
    return value


def _int_to_b64url(value: int) -> str:
    return _b64url_encode(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))


def _same_issuer(token_issuer: str, provider_issuer: str) -> bool:
    # IAM names an OIDC provider by its URL without the scheme (oidc-provider/host/path),
    # while tokens carry the full https URL; compare the two forms alike.
    def normal(url: str) -> str:
        return url.removeprefix("https://").rstrip("/")

    return normal(token_issuer) == normal(provider_issuer)


class TestIdentityProvider:
    """An OIDC identity provider for tests: one RSA-2048 signing key, RS256 tokens."""

    # Its name starts with "Test"; tell pytest it is not a test class.
    __test__ = False

    def __init__(self, issuer: str, *, key_id: str = "iamsim-1") -> None:
        #: The issuer URL that tokens carry in ``iss``, e.g. ``https://oidc.example.com``.
        self.issuer = issuer
        #: The ``kid`` of the signing key, in the JWKS and in every token header.
        self.key_id = key_id
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        """Return the provider's public keys as a JSON Web Key Set."""
        numbers = self._key.public_key().public_numbers()
        key = {
            "kty": "RSA",
            "kid": self.key_id,
            "use": "sig",
            "alg": _ALGORITHM,
            "n": _int_to_b64url(numbers.n),
            "e": _int_to_b64url(numbers.e),
        }
        return {"keys": [key]}

    def mint(
        self,
        *,
        subject: str,
        audience: str,
        issued_at: datetime,
        expires_in: int = 3600,
        claims: Mapping[str, Any] | None = None,
    ) -> str:
        """Return a signed ID token for ``subject``; ``claims`` are added last and may override the standard ones."""
        iat = epoch_second(issued_at)
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "sub": subject,
            "aud": audience,
            "iat": iat,
            "exp": iat + expires_in,
        }
        payload.update(claims or {})
        header = {"alg": _ALGORITHM, "typ": "JWT", "kid": self.key_id}
        return self.sign(header, payload)

    def sign(self, header: Mapping[str, Any], payload: Mapping[str, Any]) -> str:
        """Return ``header.payload.signature`` with an RS256 signature, whatever the header says.

        For building deliberately odd tokens in tests; :meth:`mint` is the normal way.
        """
        signing_input = (
            _b64url_encode(json.dumps(dict(header), separators=(",", ":")).encode("utf-8"))
            + "."
            + _b64url_encode(json.dumps(dict(payload), separators=(",", ":")).encode("utf-8"))
        )
        signature = self._key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + _b64url_encode(signature)


def _verification_key(header: Mapping[str, Any], jwks: Mapping[str, Any]) -> rsa.RSAPublicKey:
    keys = jwks.get("keys")
    if not isinstance(keys, list):
        raise InvalidIdentityTokenError(_NO_KEY)
    rsa_keys = [k for k in keys if isinstance(k, Mapping) and k.get("kty") == "RSA"]
    kid = header.get("kid")
    candidates = rsa_keys if kid is None and len(rsa_keys) == 1 else [k for k in rsa_keys if k.get("kid") == kid]
    if len(candidates) != 1:
        raise InvalidIdentityTokenError(_NO_KEY)
    jwk = candidates[0]
    n, e = jwk.get("n"), jwk.get("e")
    if not isinstance(n, str) or not isinstance(e, str):
        raise InvalidIdentityTokenError(_NO_KEY)
    try:
        return rsa.RSAPublicNumbers(
            int.from_bytes(_b64url_decode(e), "big"), int.from_bytes(_b64url_decode(n), "big")
        ).public_key()
    except (InvalidIdentityTokenError, ValueError):
        raise InvalidIdentityTokenError(_NO_KEY) from None


def _numeric_claim(payload: Mapping[str, Any], name: str, *, required: bool) -> int | None:
    value = payload.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidIdentityTokenError(f"The ID Token provided has an invalid or missing '{name}' claim")
    return int(value)


def verify_web_identity_token(
    token: str,
    *,
    jwks: Mapping[str, Any],
    issuer: str,
    client_ids: Sequence[str],
    now: datetime,
) -> dict[str, Any]:
    """Verify an OIDC ID token as STS does for AssumeRoleWithWebIdentity and return its claims (§G.2).

    Checks, in order: JWT form; ``alg`` is RS256; ``iss`` is ``issuer``; a key in
    ``jwks`` matches ``kid`` and verifies the signature; ``aud`` (a string or a
    list) names one of ``client_ids``; the token has not expired; ``nbf`` and
    ``iat`` are not in the future. No clock-skew leeway is allowed.

    Raises :class:`~iamsim.errors.InvalidIdentityTokenError` for every failure
    except expiry, which raises :class:`~iamsim.errors.ExpiredWebIdentityTokenError`.
    """
    if not isinstance(token, str) or token.count(".") != 2:
        raise InvalidIdentityTokenError(_NOT_A_JWT)
    header_part, payload_part, signature_part = token.split(".")
    header = _json_object(header_part)
    payload = _json_object(payload_part)
    signature = _b64url_decode(signature_part)

    algorithm = header.get("alg")
    if algorithm != _ALGORITHM:
        raise InvalidIdentityTokenError(f"Unsupported token signing algorithm: {algorithm}")

    token_issuer = payload.get("iss")
    if not isinstance(token_issuer, str) or not _same_issuer(token_issuer, issuer):
        raise InvalidIdentityTokenError(f"No OpenIDConnect provider found in your account for {token_issuer}")

    key = _verification_key(header, jwks)
    try:
        key.verify(signature, f"{header_part}.{payload_part}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise InvalidIdentityTokenError(_BAD_SIGNATURE) from None

    audience = payload.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or not any(isinstance(a, str) and a in client_ids for a in audiences):
        raise InvalidIdentityTokenError(_BAD_AUDIENCE)

    current = epoch_second(now)
    expires = _numeric_claim(payload, "exp", required=True)
    if expires is not None and current >= expires:
        raise ExpiredWebIdentityTokenError(
            f"Token expired: current date/time {current} must be before the expiration date/time{expires}"
        )
    for name in ("nbf", "iat"):
        starts = _numeric_claim(payload, name, required=False)
        if starts is not None and current < starts:
            raise InvalidIdentityTokenError(
                f"Token used too early: current date/time {current} must be at or after the '{name}' date/time {starts}"
            )

    subject = payload.get("sub")
    if not isinstance(subject, str) or not subject:
        raise InvalidIdentityTokenError("The ID Token provided has an invalid or missing 'sub' claim")
    return payload


_TAGS_CLAIM = "https://aws.amazon.com/tags"


def unverified_issuer(token: str) -> str:
    """The ``iss`` claim of a JWT, read before its signature is checked (to find the provider and its keys)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidIdentityTokenError(
            "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"
        )
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        raise InvalidIdentityTokenError(
            "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"
        ) from None
    issuer = payload.get("iss") if isinstance(payload, dict) else None
    if not isinstance(issuer, str) or not issuer:
        raise InvalidIdentityTokenError("The ID Token provided has an invalid or missing 'iss' claim")
    return issuer


def token_session_tags(claims: Mapping[str, Any]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The session tags and transitive keys a verified token carries in its ``https://aws.amazon.com/tags`` claim."""
    raw = claims.get(_TAGS_CLAIM)
    if not isinstance(raw, dict):
        return (), ()
    principal_tags = raw.get("principal_tags")
    tags: list[tuple[str, str]] = []
    if isinstance(principal_tags, dict):
        for key, values in principal_tags.items():
            # STS does not support multi-valued session tags; the first value is the tag (§G.1).
            value = values[0] if isinstance(values, list) and values else values
            tags.append((str(key), str(value)))
    checked = check_session_tags(tags)
    keys = raw.get("transitive_tag_keys")
    transitive = tuple(str(k) for k in keys) if isinstance(keys, list) else ()
    return checked, check_transitive_keys(transitive, checked)


def web_identity_context(
    host: str,
    claims: Mapping[str, Any],
    audience: str,
    session_name: str,
    session_tags: tuple[tuple[str, str], ...],
) -> dict[str, object]:
    """The request context of AssumeRoleWithWebIdentity: the provider's ``aud``/``sub``/``amr`` keys and the tags."""
    context: dict[str, object] = {
        "sts:RoleSessionName": session_name,
        f"{host}:aud": audience,
        f"{host}:sub": str(claims["sub"]),
    }
    if isinstance(claims.get("amr"), (str, list)):
        amr = claims["amr"]
        context[f"{host}:amr"] = tuple(amr) if isinstance(amr, list) else amr
    if session_tags:
        for key, value in session_tags:
            context[f"aws:RequestTag/{key}"] = value
        context["aws:TagKeys"] = tuple(k for k, _ in session_tags)
    return context
