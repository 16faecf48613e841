"""Seeded generators for the identifiers IAM hands out (spec §H.1).

Unique ids are a four-letter prefix plus 17 characters (21 in all, like
``AIDAJQABLZS4A3QDU576Q``); access key ids are a prefix plus 16 characters (20
in all, like ``AKIAIOSFODNN7EXAMPLE``). Every character comes from the one
seeded ``random.Random`` the simulator owns, so a seed fixes every id.
"""

from __future__ import annotations

import functools
import random
import string
import uuid

__all__ = ["ID_ALPHABET", "IdGenerator", "IdPrefix", "draw_chars"]

#: Upper-case letters and the digits 2-7 (base32), the alphabet of AWS's ids.
ID_ALPHABET = string.ascii_uppercase + "234567"
_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"


def draw_chars(rng: random.Random, alphabet: str, count: int) -> str:
    """``count`` characters of ``alphabet``: exactly ``"".join(rng.choice(alphabet) for _ in range(count))``.

    ``random.choice`` over ``n`` items draws ``getrandbits(n.bit_length())``
    and retries values ``>= n``; each such draw (``k <= 32`` bits) takes one
    32-bit word from the Mersenne Twister and keeps its top ``k`` bits. One
    ``getrandbits(32 * m)`` takes the same ``m`` words, least significant
    first, so the top byte of each 4-byte group is the top of one draw.
    ``bytes.translate`` then maps accepted draws to characters and drops the
    rejected ones in C. Each round asks for as many words as characters are
    still missing, never more, so the string and the generator's state after
    it are identical to ``random.choice``'s and seeded ids do not change; a
    test pins the equivalence. Alphabets over 256 characters or not ASCII take
    the plain loop.
    """
    tables = _translation(alphabet)
    if tables is None:
        return _draw_slowly(rng, alphabet, count)
    table, rejected = tables
    getrandbits = rng.getrandbits
    parts = []
    missing = count
    while missing > 0:
        tops = getrandbits(32 * missing).to_bytes(4 * missing, "little")[3::4]
        accepted = tops.translate(table, rejected)
        parts.append(accepted)
        missing -= len(accepted)
    return b"".join(parts).decode("ascii")


@functools.lru_cache(maxsize=16)
def _translation(alphabet: str) -> tuple[bytes, bytes] | None:
    """For a draw's top byte: the table to its character, and the bytes whose draw ``random.choice`` retries."""
    size = len(alphabet)
    bits = size.bit_length()
    if not alphabet.isascii() or bits > 8 or size == 0:
        return None
    shift = 8 - bits
    table = bytes(ord(alphabet[byte >> shift]) if byte >> shift < size else 0 for byte in range(256))
    rejected = bytes(byte for byte in range(256) if byte >> shift >= size)
    return table, rejected


def _draw_slowly(rng: random.Random, alphabet: str, count: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(count))


class IdPrefix:
    """The prefixes of spec §H.1, by what they identify."""

    USER = "AIDA"
    ROLE = "AROA"
    POLICY = "ANPA"
    GROUP = "AGPA"
    INSTANCE_PROFILE = "AIPA"
    ACCESS_KEY = "AKIA"
    TEMPORARY_ACCESS_KEY = "ASIA"


class IdGenerator:
    """Draws ids from a seeded ``random.Random`` (never the global one)."""

    __slots__ = ("_rng",)

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    @property
    def rng(self) -> random.Random:
        """The generator's random source (shared with the rest of the simulator)."""
        return self._rng

    def _chars(self, count: int, alphabet: str = ID_ALPHABET) -> str:
        return draw_chars(self._rng, alphabet, count)

    def unique_id(self, prefix: str) -> str:
        """A 21-character unique id: ``prefix`` plus 17 base32 characters."""
        return prefix + self._chars(17)

    def access_key_id(self, prefix: str = IdPrefix.ACCESS_KEY) -> str:
        """A 20-character access key id: ``prefix`` plus 16 base32 characters."""
        return prefix + self._chars(16)

    def secret_access_key(self) -> str:
        """A 40-character secret access key."""
        return self._chars(40, _SECRET_ALPHABET)

    def lowercase(self, count: int) -> str:
        """``count`` lowercase letters and digits (Organizations ids: ``o-``, ``ou-``, ``p-``)."""
        return self._chars(count, string.ascii_lowercase + string.digits)

    def uuid4(self) -> str:
        """A version-4 UUID drawn from the seeded source (deletion tasks, report job ids)."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def digits(self, count: int) -> str:
        """``count`` decimal digits (account ids)."""
        return self._chars(count, string.digits)
