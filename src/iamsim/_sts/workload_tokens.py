"""GetWebIdentityToken: JWTs STS signs for external services, and the key set that verifies them (§G.11).

The account's outbound federation (``store.outbound_federation``) holds the
issuer and two keys; this module turns a checked request into a signed token
(RS256 with the RSA key, ES384 with the P-384 key, JWS's fixed-width ``r || s``
signature for ECDSA) and publishes the public halves as a JSON Web Key Set, as
the issuer's ``/.well-known/jwks.json`` does at AWS. Built on ``cryptography``
alone, like the inbound side (:mod:`iamsim._sts.oidc`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from iamsim._clock import epoch_second
from iamsim._store.validation import validation_error
from iamsim._store.workload_identity_outbound import OutboundFederation
from iamsim._sts.oidc import _b64url_encode, _int_to_b64url
from iamsim._sts.params import SessionTagsInput, check_duration, check_session_tags
from iamsim.errors import ValidationError

__all__ = [
    "CLAIMS_NAMESPACE",
    "WebIdentityToken",
    "WebIdentityTokenRequest",
    "check_token_request",
    "outbound_jwks",
    "p384_jwk",
    "sign_web_identity_token",
]

#: Where AWS nests its own claims in the token (IAM User Guide, "Understanding token claims").
CLAIMS_NAMESPACE: Final = "https://sts.amazonaws.com/"
_ALGORITHMS: Final = ("RS256", "ES384")
_DEFAULT_DURATION: Final = 300
_P384_BYTES: Final = 48
# The model's pattern for Scope: space-separated OAuth 2.0 scope tokens (RFC 6749 §3.3).
_SCOPE: Final = r"[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+( [\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+)*"
_SCOPE_RE: Final = re.compile(r"[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+(?: [\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+)*")


@dataclass(frozen=True, slots=True)
class WebIdentityToken:
    """GetWebIdentityToken's answer: the signed JWT and when it expires."""

    web_identity_token: str
    expiration: datetime


@dataclass(frozen=True, slots=True)
class WebIdentityTokenRequest:
    """A checked GetWebIdentityToken request."""

    audiences: tuple[str, ...]
    algorithm: str
    duration: int
    scope: str | None
    tags: tuple[tuple[str, str], ...]


def check_token_request(
    audience: Sequence[str],
    signing_algorithm: str,
    *,
    duration_seconds: int | None,
    scope: str | None,
    subject_mode: str | None,
    tags: SessionTagsInput,
    token_type: str | None,
) -> WebIdentityTokenRequest:
    """GetWebIdentityToken's parameters with the STS model's constraints and the operation's documented rules."""
    if isinstance(audience, str) or not isinstance(audience, Sequence):
        raise validation_error(audience, "audience", "Member must be a list")
    audiences = tuple(audience)
    if not 1 <= len(audiences) <= 10:
        raise validation_error(
            list(audiences), "audience", "Member must have length less than or equal to 10 and greater than 0"
        )
    for value in audiences:
        if not isinstance(value, str) or not 1 <= len(value) <= 1000:
            raise validation_error(
                value, "audience.member", "Member must have length less than or equal to 1000 and greater than 0"
            )
    if signing_algorithm not in _ALGORITHMS:
        raise validation_error(
            signing_algorithm, "signingAlgorithm", "Member must satisfy enum value set: [RS256, ES384]"
        )
    if subject_mode not in (None, "AWSIdentity", "OriginIdentity"):
        raise validation_error(
            subject_mode, "subjectMode", "Member must satisfy enum value set: [AWSIdentity, OriginIdentity]"
        )
    if token_type not in (None, "AWSIdentity", "JWT_SVID"):
        raise validation_error(token_type, "tokenType", "Member must satisfy enum value set: [AWSIdentity, JWT_SVID]")
    if token_type is not None and (subject_mode is not None or scope is not None):
        # The model: "TokenType is mutually exclusive with SubjectMode and Scope."
        raise ValidationError("TokenType can't be specified together with SubjectMode or Scope.")
    if token_type == "JWT_SVID":
        # A JWT-SVID names a session's workload identity; iamsim's sessions have none (IssueWorkloadIdentityContext
        # needs an AWS service's own credentials), so no caller can ask for one.
        raise ValidationError("A JWT_SVID token requires a role session that has a workload identity.")
    if scope is not None:
        if not isinstance(scope, str) or not 1 <= len(scope) <= 256:
            raise validation_error(
                scope, "scope", "Member must have length less than or equal to 256 and greater than 0"
            )
        if not _SCOPE_RE.fullmatch(scope):
            raise validation_error(scope, "scope", f"Member must satisfy regular expression pattern: {_SCOPE}")
    duration = check_duration(_DEFAULT_DURATION if duration_seconds is None else duration_seconds, 60, 3600)
    return WebIdentityTokenRequest(audiences, signing_algorithm, duration, scope, check_session_tags(tags))


def _json_segment(value: dict[str, Any]) -> str:
    return _b64url_encode(json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def sign_web_identity_token(
    federation: OutboundFederation,
    request: WebIdentityTokenRequest,
    *,
    subject: str,
    account: str,
    now: datetime,
    token_id: str,
) -> WebIdentityToken:
    """The signed JWT for ``subject`` (the caller's ARN; a role session's role) and its expiry."""
    issued = epoch_second(now)
    expires = issued + request.duration
    namespaced: dict[str, Any] = {"aws_account": account, "principal_id": subject}
    if request.tags:
        namespaced["request_tags"] = dict(request.tags)
    claims: dict[str, Any] = {
        "iss": federation.issuer_identifier,
        "sub": subject,
        "aud": request.audiences[0] if len(request.audiences) == 1 else list(request.audiences),
        "iat": issued,
        "nbf": issued,
        "exp": expires,
        "jti": token_id,
        CLAIMS_NAMESPACE: namespaced,
    }
    if request.scope is not None:
        claims["scope"] = request.scope
    key_id = federation.rsa_key_id if request.algorithm == "RS256" else federation.ec_key_id
    signing_input = _json_segment({"alg": request.algorithm, "kid": key_id, "typ": "JWT"}) + "." + _json_segment(claims)
    data = signing_input.encode("ascii")
    if request.algorithm == "RS256":
        signature = federation.rsa_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    else:
        r, s = decode_dss_signature(federation.ec_key.sign(data, ec.ECDSA(hashes.SHA384())))
        signature = r.to_bytes(_P384_BYTES, "big") + s.to_bytes(_P384_BYTES, "big")
    return WebIdentityToken(signing_input + "." + _b64url_encode(signature), now + timedelta(seconds=request.duration))


def _coordinate(value: int) -> str:
    return _b64url_encode(value.to_bytes(_P384_BYTES, "big"))


def p384_jwk(key_id: str, public_key: ec.EllipticCurvePublicKey, use: str) -> dict[str, Any]:
    """An ES384 public key as a JSON Web Key (RFC 7517/7518): outbound federation's ``sig`` key, a ``jwt-svid`` one."""
    numbers = public_key.public_numbers()
    return {
        "kty": "EC",
        "kid": key_id,
        "use": use,
        "alg": "ES384",
        "crv": "P-384",
        "x": _coordinate(numbers.x),
        "y": _coordinate(numbers.y),
    }


def outbound_jwks(federation: OutboundFederation) -> dict[str, Any]:
    """The issuer's public keys as a JSON Web Key Set (RFC 7517), one key per signing algorithm."""
    rsa_numbers = federation.rsa_key.public_key().public_numbers()
    return {
        "keys": [
            {
                "kty": "RSA",
                "kid": federation.rsa_key_id,
                "use": "sig",
                "alg": "RS256",
                "n": _int_to_b64url(rsa_numbers.n),
                "e": _int_to_b64url(rsa_numbers.e),
            },
            p384_jwk(federation.ec_key_id, federation.ec_key.public_key(), "sig"),
        ]
    }
