"""Virtual MFA devices: RFC 6238 time-based one-time passwords (spec §G.1 ``TokenCode``).

AWS virtual MFA devices use TOTP with HMAC-SHA1, 6 digits and a 30-second step,
and hand out the seed as base32 (``Base32StringSeed``) or as an ``otpauth://``
QR code. Time comes in as an argument, never from the wall clock.
"""

from __future__ import annotations

import base64
import random
from datetime import datetime, timedelta
from typing import Final

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from iamsim._clock import epoch_second
from iamsim.errors import UsageError

__all__ = [
    "CODE_DIGITS",
    "SEED_SIZE",
    "TIME_STEP",
    "consecutive_codes",
    "generate_seed",
    "otpauth_uri",
    "seed_base32",
    "seed_bytes",
    "totp_code",
    "verify_totp",
]

#: Digits in a code (``TokenCode`` is exactly 6 digits).
CODE_DIGITS: Final = 6
#: Seconds per time step.
TIME_STEP: Final = 30
#: Bytes in a generated seed (160 bits, the HMAC-SHA1 block RFC 4226 recommends).
SEED_SIZE: Final = 20


def _totp(seed: bytes) -> TOTP:
    # enforce_key_length=False: cryptography wants >= 16-byte keys, but a seed
    # loaded from elsewhere may be shorter and is still a valid RFC 6238 key.
    return TOTP(seed, CODE_DIGITS, SHA1(), TIME_STEP, enforce_key_length=False)


def generate_seed(rng: random.Random) -> bytes:
    """Return a new 20-byte seed drawn from ``rng`` (deterministic for a seeded rng)."""
    return rng.randbytes(SEED_SIZE)


def seed_base32(seed: bytes) -> str:
    """Return ``seed`` as base32 text, the form AWS returns as ``Base32StringSeed``."""
    return base64.b32encode(seed).decode("ascii")


def seed_bytes(text: str) -> bytes:
    """The seed behind its ``Base32StringSeed`` text (AWS writes it without ``=`` padding)."""
    return base64.b32decode(text + "=" * (-len(text) % 8))


def totp_code(seed: bytes, at: datetime) -> str:
    """Return the 6-digit code for ``seed`` at time ``at`` (naive means UTC)."""
    return _totp(seed).generate(epoch_second(at)).decode("ascii")


def verify_totp(seed: bytes, code: str, at: datetime, *, window: int = 1) -> bool:
    """Tell whether ``code`` is valid for ``seed`` at ``at``, within ``window`` steps either side.

    The window tolerates clock drift between the device and the service. A code
    that is not exactly 6 ASCII digits is simply not valid.
    """
    if window < 0:
        raise UsageError("a verification window cannot be negative")
    if not isinstance(code, str) or len(code) != CODE_DIGITS or not (code.isascii() and code.isdigit()):
        return False
    totp = _totp(seed)
    now = epoch_second(at)
    for offset in range(-window, window + 1):
        try:
            totp.verify(code.encode("ascii"), now + offset * TIME_STEP)
        except InvalidToken:
            continue
        return True
    return False


def consecutive_codes(seed: bytes, first: str, second: str, at: datetime, *, window: int) -> bool:
    """Whether ``first`` then ``second`` are consecutive codes of ``seed`` within ``window`` steps of ``at``.

    What EnableMFADevice (window 1) and ResyncMFADevice (a wider window) require of
    the two ``AuthenticationCode`` values.
    """
    step = timedelta(seconds=TIME_STEP)
    return any(
        totp_code(seed, at + (k - 1) * step) == first and totp_code(seed, at + k * step) == second
        for k in range(-window, window + 1)
    )


def otpauth_uri(seed: bytes, account_name: str, issuer: str) -> str:
    """Return the ``otpauth://totp/...`` provisioning URI an authenticator app reads from a QR code."""
    return _totp(seed).get_provisioning_uri(account_name, issuer)
