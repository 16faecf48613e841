"""Session credentials: sealed session tokens and generated access keys (spec §G.1).

A session token is an opaque envelope: the session's claims as JSON, compressed,
then encrypted and authenticated with AES-256-GCM. Because the envelope is
authenticated, a token that was altered by one bit, forged without the key, or
sealed under another key is rejected with ``InvalidClientTokenId`` (§G.9).

The claims are a JSON object or, for sessions, a JSON array (positional
claims are a third of the cost of encoding the same values under their
names). Token layout (then standard base64, as AWS's own tokens are)::

    version (1 byte) | nonce (12 bytes) | ciphertext + GCM tag (16 bytes)

Version 1 encrypts zlib-compressed JSON; version 2 encrypts the JSON as is,
which :meth:`TokenSealer.seal` uses for small claims (compressing a few hundred
bytes costs more than it saves). The version byte is also the GCM associated
data, so it cannot be swapped.

Nonces are synthetic, as in SIV modes: the first 12 bytes of an HMAC-SHA256,
under a key derived from the sealer's, of the version byte and the plaintext.
So a seeded simulator that issues the same sessions issues the same token text
(reproducible test output), and a (key, nonce) pair repeats only for the very
same plaintext, which then encrypts to the very same token: GCM's one rule,
never two messages under one (key, nonce), holds even for two simulators built
from the same seed. All an observer learns is whether two tokens are equal.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import json.encoder
import random
import zlib
from collections.abc import Callable, Mapping
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from iamsim._store.ids import draw_chars
from iamsim.errors import InvalidClientTokenIdError, UsageError

__all__ = [
    "KEY_SIZE",
    "TokenSealer",
    "encode_claims",
    "generate_access_key_id",
    "generate_secret_access_key",
]

#: Size in bytes of a sealer key (AES-256).
KEY_SIZE: Final = 32

_VERSION: Final = b"\x01"
_VERSION_PLAIN: Final = b"\x02"
#: Claims of at most this many bytes are sealed uncompressed (version 2).
_COMPRESS_ABOVE: Final = 1024
_NONCE_SIZE: Final = 12
_TAG_SIZE: Final = 16
_HKDF_SALT: Final = b"iamsim/sts/session-token"
_HKDF_INFO: Final = b"AES-256-GCM key v1"
_NONCE_KEY_LABEL: Final = b"iamsim/sts/session-token synthetic nonce key"
# zlib's default 32 KiB window makes compressing a ~1 KiB token cost ~80 us (the
# window and hash tables are allocated and cleared per call); a 4 KiB window
# compresses claims just as well at a tenth of the cost. Any window decompresses
# with zlib.decompress, so tokens sealed either way stay readable.
_ZLIB_LEVEL: Final = 6
_ZLIB_WBITS: Final = 12
_ZLIB_MEMLEVEL: Final = 4

# Access key IDs use an uppercase base32 alphabet, as AWS's do (AKIAIOSFODNN7EXAMPLE).
_KEY_ID_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_KEY_ID_BODY_LENGTH: Final = 16
_SECRET_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_SECRET_LENGTH: Final = 40


#: HMAC's block size for SHA-256 and its inner and outer pads, as byte translations (RFC 2104).
_SHA256_BLOCK: Final = 64
_IPAD: Final = bytes(b ^ 0x36 for b in range(256))
_OPAD: Final = bytes(b ^ 0x5C for b in range(256))

#: ``json.dumps(..., separators=(",", ":"))`` without building an encoder per call. Only the
#: package's own claims are sealed, built fresh and acyclic, so the cycle check is skipped.
_COMPACT_JSON: Final = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def _compact_encoder() -> Callable[[Any], str]:
    """``_COMPACT_JSON.encode`` with its C encoder made once, not per call (a quarter of encoding the claims)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without the C accelerator
        return _COMPACT_JSON.encode
    # The arguments JSONEncoder.iterencode passes for _COMPACT_JSON (no cycle markers, ASCII output, NaN allowed).
    iterencode = make(
        None, _COMPACT_JSON.default, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, True
    )
    return lambda claims: "".join(iterencode(claims, 0))


#: Compact JSON of the sealed claims, exactly as :meth:`TokenSealer.seal` writes it.
encode_claims: Final = _compact_encoder()


class TokenSealer:
    """Seals session claims into an opaque token and opens them again.

    The sealer is stateless apart from its keys: every :meth:`seal` derives its
    nonce from what it seals, so one sealer can be shared by every session it issues.
    """

    __slots__ = ("_aead", "_nonce_inner", "_nonce_key", "_nonce_outer")

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes) or len(key) != KEY_SIZE:
            raise UsageError(f"a token key must be {KEY_SIZE} bytes")
        self._aead = AESGCM(key)
        # The nonce key is derived from the sealing key with HMAC-SHA256 under a fixed label (HMAC as a
        # pseudo-random function, as HKDF-Expand uses it), so the nonces are keyed apart from the sealing.
        self._nonce_key = hmac.digest(key, _NONCE_KEY_LABEL, "sha256")
        # HMAC-SHA256 of RFC 2104 with its two padded-key blocks hashed once, here: each nonce then
        # copies the two hash states instead of fetching the digest and expanding the key again
        # (``hmac.digest`` costs about twice as much per call; a test holds the two equal).
        padded = self._nonce_key.ljust(_SHA256_BLOCK, b"\0")
        self._nonce_inner = hashlib.sha256(padded.translate(_IPAD))
        self._nonce_outer = hashlib.sha256(padded.translate(_OPAD))

    @classmethod
    def from_seed(cls, seed: bytes) -> TokenSealer:
        """Derive the key from ``seed`` with HKDF-SHA256, so a seeded simulator can reopen its own tokens."""
        if not isinstance(seed, bytes):
            raise UsageError("a token seed must be bytes")
        key = HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=_HKDF_SALT, info=_HKDF_INFO).derive(seed)
        return cls(key)

    def seal(self, claims: Mapping[str, Any] | list[Any] | tuple[Any, ...]) -> str:
        """Return ``claims`` (a JSON-serialisable object or array) as an authenticated, encrypted base64 token."""
        return self.seal_text(encode_claims(claims if isinstance(claims, dict | list | tuple) else dict(claims)))

    def seal_text(self, claims_json: str) -> str:
        """:meth:`seal` of claims already written as :func:`encode_claims` writes them (ASCII JSON)."""
        plaintext = claims_json.encode()
        version = _VERSION_PLAIN
        if len(plaintext) > _COMPRESS_ABOVE:
            packer = zlib.compressobj(_ZLIB_LEVEL, zlib.DEFLATED, _ZLIB_WBITS, _ZLIB_MEMLEVEL)
            plaintext = packer.compress(plaintext) + packer.flush()
            version = _VERSION
        nonce = self._nonce(version + plaintext)
        sealed = self._aead.encrypt(nonce, plaintext, version)
        return binascii.b2a_base64(version + nonce + sealed, newline=False).decode("ascii")

    def _nonce(self, message: bytes) -> bytes:
        """The synthetic nonce of ``message``: the first bytes of its HMAC-SHA256 under the nonce key."""
        inner = self._nonce_inner.copy()
        inner.update(message)
        outer = self._nonce_outer.copy()
        outer.update(inner.digest())
        return outer.digest()[:_NONCE_SIZE]

    def unseal(self, token: str) -> dict[str, Any] | list[Any]:
        """Return the claims sealed in ``token`` (a JSON object or array, as sealed).

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
        version = raw[:1]
        if len(raw) < 1 + _NONCE_SIZE + _TAG_SIZE or version not in (_VERSION, _VERSION_PLAIN):
            raise InvalidClientTokenIdError()
        nonce, sealed = raw[1 : 1 + _NONCE_SIZE], raw[1 + _NONCE_SIZE :]
        try:
            plaintext = self._aead.decrypt(nonce, sealed, version)
        except InvalidTag:
            raise InvalidClientTokenIdError() from None
        # Authentic plaintext was written by seal(), so these only fail if the format changes.
        try:
            if version == _VERSION:
                plaintext = zlib.decompress(plaintext)
            claims = json.loads(plaintext.decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, ValueError):
            raise InvalidClientTokenIdError() from None
        if not isinstance(claims, dict | list):
            raise InvalidClientTokenIdError()
        return claims


def generate_access_key_id(prefix: str, rng: random.Random) -> str:
    """Return a 20-character access key ID: ``prefix`` (``AKIA`` or ``ASIA``) and 16 base32 characters (§H.1)."""
    if len(prefix) != 4 or not (prefix.isascii() and prefix.isalpha() and prefix.isupper()):
        raise UsageError("an access key id prefix is 4 uppercase letters, such as AKIA or ASIA")
    return prefix + draw_chars(rng, _KEY_ID_ALPHABET, _KEY_ID_BODY_LENGTH)


def generate_secret_access_key(rng: random.Random) -> str:
    """Return a 40-character secret access key drawn from the base64 alphabet."""
    return draw_chars(rng, _SECRET_ALPHABET, _SECRET_LENGTH)
