"""Seeded generators for the identifiers IAM hands out (spec §H.1).

Unique ids are a four-letter prefix plus 17 characters (21 in all, like
``AIDAJQABLZS4A3QDU576Q``); access key ids are a prefix plus 16 characters (20
in all, like ``AKIAIOSFODNN7EXAMPLE``). Every character comes from the one
seeded ``random.Random`` the simulator owns, so a seed fixes every id.
"""

from __future__ import annotations

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
    and retries values ``>= n``. Doing the same inline skips two Python calls
    per character (a third of the cost of issuing credentials) while yielding
    the identical string and leaving the generator in the identical state, so
    seeded ids do not change; a test pins the equivalence.
    """
    size = len(alphabet)
    bits = size.bit_length()
    getrandbits = rng.getrandbits
    out = []
    for _ in range(count):
        r = getrandbits(bits)
        while r >= size:
            r = getrandbits(bits)
        out.append(alphabet[r])
    return "".join(out)


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
