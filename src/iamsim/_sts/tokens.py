"""Session credentials: sealed session tokens and generated access keys (spec §G.1).

A session token is an opaque envelope: the session's claims as JSON, compressed,
then encrypted and authenticated with AES-256-GCM. Because the envelope is
authenticated, a token that was altered by one bit, forged without the key, or
sealed under another key is rejected with ``InvalidClientTokenId`` (§G.9).

Token layout (then standard base64, as AWS's own tokens are)::

    version (1 byte) | nonce (12 bytes) | ciphertext + GCM tag (16 bytes)

The version byte is also the GCM associated data, so it cannot be swapped.

Nonces come from ``os.urandom``. A counter would make token text reproducible
for a seeded simulator, but two simulators built from the same seed share a key,
and their counters would then repeat a (key, nonce) pair, which breaks GCM. A
random 96-bit nonce stays safe for far more tokens than a simulator issues
(NIST SP 800-38D allows 2**32 random nonces per key).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import random
import zlib
from collections.abc import Mapping
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from iamsim.errors import InvalidClientTokenIdError

__all__ = [
    "KEY_SIZE",
    "TokenSealer",
    "generate_access_key_id",
    "generate_secret_access_key",
]

#: Size in bytes of a sealer key (AES-256).
KEY_SIZE: Final = 32

_VERSION: Final = b"\x01"
_NONCE_SIZE: Final = 12
_TAG_SIZE: Final = 16
_HKDF_SALT: Final = b"iamsim/sts/session-token"
_HKDF_INFO: Final = b"AES-256-GCM key v1"

# Access key IDs use an uppercase base32 alphabet, as AWS's do (AKIAIOSFODNN7EXAMPLE).
_KEY_ID_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_KEY_ID_BODY_LENGTH: Final = 16
_SECRET_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_SECRET_LENGTH: Final = 40


class TokenSealer:
    """Seals session claims into an opaque token and opens them again.

    The sealer is stateless apart from its key: every :meth:`seal` draws a fresh
    random nonce, so one sealer can be shared by every session it issues.
    """

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes) or len(key) != KEY_SIZE:
            raise ValueError(f"a token key must be {KEY_SIZE} bytes")
        self._aead = AESGCM(key)

    @classmethod
    def from_seed(cls, seed: bytes) -> TokenSealer:
        """Derive the key from ``seed`` with HKDF-SHA256, so a seeded simulator can reopen its own tokens."""
        if not isinstance(seed, bytes):
            raise ValueError("a token seed must be bytes")
        key = HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=_HKDF_SALT, info=_HKDF_INFO).derive(seed)
        return cls(key)

    def seal(self, claims: Mapping[str, Any]) -> str:
        """Return ``claims`` (JSON-serialisable) as an authenticated, encrypted base64 token."""
        plaintext = zlib.compress(json.dumps(dict(claims), separators=(",", ":"), sort_keys=True).encode("utf-8"))
        nonce = os.urandom(_NONCE_SIZE)
        sealed = self._aead.encrypt(nonce, plaintext, _VERSION)
        return base64.b64encode(_VERSION + nonce + sealed).decode("ascii")

    def unseal(self, token: str) -> dict[str, Any]:
        """Return the claims sealed in ``token``.

        Raises :class:`~iamsim.errors.InvalidClientTokenIdError` for anything that
        is not a token this sealer's key produced: garbage, truncation, tampering,
        another key.
        """
        if not isinstance(token, str):
            raise InvalidClientTokenIdError()
        try:
            raw = base64.b64decode(token.encode("ascii"), validate=True)
        except (UnicodeEncodeError, binascii.Error):
            raise InvalidClientTokenIdError() from None
        if len(raw) < 1 + _NONCE_SIZE + _TAG_SIZE or raw[:1] != _VERSION:
            raise InvalidClientTokenIdError()
        nonce, sealed = raw[1 : 1 + _NONCE_SIZE], raw[1 + _NONCE_SIZE :]
        try:
            plaintext = self._aead.decrypt(nonce, sealed, _VERSION)
        except InvalidTag:
            raise InvalidClientTokenIdError() from None
        # Authentic plaintext was written by seal(), so these only fail if the format changes.
        try:
            claims = json.loads(zlib.decompress(plaintext).decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, ValueError):
            raise InvalidClientTokenIdError() from None
        if not isinstance(claims, dict):
            raise InvalidClientTokenIdError()
        return claims


def generate_access_key_id(prefix: str, rng: random.Random) -> str:
    """Return a 20-character access key ID: ``prefix`` (``AKIA`` or ``ASIA``) and 16 base32 characters (§H.1)."""
    if len(prefix) != 4 or not (prefix.isascii() and prefix.isalpha() and prefix.isupper()):
        raise ValueError("an access key id prefix is 4 uppercase letters, such as AKIA or ASIA")
    return prefix + "".join(rng.choice(_KEY_ID_ALPHABET) for _ in range(_KEY_ID_BODY_LENGTH))


def generate_secret_access_key(rng: random.Random) -> str:
    """Return a 40-character secret access key drawn from the base64 alphabet."""
    return "".join(rng.choice(_SECRET_ALPHABET) for _ in range(_SECRET_LENGTH))
