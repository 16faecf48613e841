"""Who signed a call to another service: the SigV4 claims authenticated, with what repeats remembered.

An app makes many calls with the same credentials, and authenticating them (finding the
issued key or unsealing the session token, re-checking the key's status and the session's
expiry, the signing region's partition) is the same work every time while the world does
not change. :class:`Signers` keeps, per access key id, session token and signing region,
the issued secret and the caller they authenticated as, together with the world's
generation (``WorldState.generation``: it moves on every change to any store, so deleting
or deactivating a key, or anything else the caller depends on, drops the entry) and the
world it was read from.

What is never remembered, because it changes with each request: the signing time is
checked against the resolver's clock, the signature is recomputed over this request with
the issued secret, and a session's expiry is checked against the simulator's clock, on
every call. A first sighting, or one after any change, goes through the
:class:`~iamsim._handlers.CallerResolver` whole (§G.9), so a cache hit can only repeat
what the resolver answered for the same world; the opt-in root fallback for keys the
simulator never issued has no secret to check and is never remembered.
"""

from __future__ import annotations

from datetime import datetime

from iamsim._clock import SystemClock
from iamsim._simulator.core import core_of
from iamsim._simulator.signed import CallerResolver
from iamsim._sts.caller import Caller
from iamsim._wire.sigv4 import SigV4Credentials
from iamsim.errors import ExpiredTokenError

__all__ = ["Signers"]

#: Entries kept before the cache starts over (one per access key id and session token in use).
_LIMIT = 1024


class Signers:
    """Authenticate SigV4 claims with ``resolver``, remembering the secret and caller per credentials."""

    def __init__(self, resolver: CallerResolver) -> None:
        self.resolver = resolver
        self._core = core_of(resolver.simulator)
        #: (access key id, session token, region) -> (world state, generation, issued secret, caller). The region
        #: passed the resolver's partition check for that world (whose partition never changes) when remembered.
        self._known: dict[tuple[str, str | None, str], tuple[object, int, str, Caller]] = {}

    def caller(self, claims: SigV4Credentials, now: datetime | None = None) -> Caller:
        """The caller behind ``claims``; raises AWS's authentication errors (as the resolver does).

        ``now``: the simulator's clock as the transport read it for this request (read here if not given).
        """
        key = (claims.access_key_id, claims.session_token, claims.region)
        state = self._core.state
        generation = state.generation()
        known = self._known.get(key)
        if known is None or known[0] is not state or known[1] != generation:
            return self._first(claims, key, state, generation)
        _, _, secret, caller = known
        resolver = self.resolver
        if now is None:
            now = state.clock.now()
        signing_clock = resolver.clock
        # The signing window is checked against the resolver's clock (botocore's: the wall clock). When the
        # simulator runs on the wall clock too, ``now`` was just read from it: the same reading, not read again.
        if signing_clock is not None and not (type(signing_clock) is SystemClock and type(state.clock) is SystemClock):
            claims.require_current(signing_clock.now())
        else:
            claims.require_current(now)
        claims.require_valid_signature(secret)
        expires_at = caller.expires_at
        # The decisions' memo of the second: the remembered decision reads the same ``now`` next.
        if expires_at is not None and self._core.decisions.second(now) >= expires_at:
            raise ExpiredTokenError()
        return caller

    def _first(
        self, claims: SigV4Credentials, key: tuple[str, str | None, str], state: object, generation: int
    ) -> Caller:
        caller = self.resolver(claims)
        secret = self.resolver.simulator.issued_secret(claims.access_key_id, claims.session_token)
        if secret is not None:
            if len(self._known) >= _LIMIT:
                self._known.clear()
            self._known[key] = (state, generation, secret, caller)
        return caller
