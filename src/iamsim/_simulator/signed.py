"""Who is calling: the SigV4 claims of a wire request resolved to a simulator caller (§G.9).

Authentication, like :mod:`.auth`, for requests that arrive signed (the boto3 hook, ``iamsim serve``,
the enforcement of other services' calls); the wire layer parses the claims and checks the signature.

Every request is authenticated as AWS authenticates it, in this order:

1. the signing time must be within five minutes of the clock the resolver checks it
   against (the simulator's by default), else ``SignatureDoesNotMatch`` "Signature
   expired" / "Signature not yet current";
2. the credentials must be ones the simulator issued and still honours: a long-term
   key it holds, or a session token it sealed for exactly this access key id. Anything
   else is ``InvalidClientTokenId``: an unknown key, a deleted key, an ``ASIA`` key
   without its token, a tampered or foreign token;
3. the signature must be made with the issued secret, over the body that is served
   (``SignatureDoesNotMatch``);
4. the simulator re-checks what it issued: ``InvalidClientTokenId`` for an inactive or
   deleted long-term key, ``ExpiredToken`` from a session's expiration second on.

``unknown_keys_act_as_root=True`` is the one opt-in: a long-term key id the simulator
never issued (not one it deleted: it remembers those) then acts as the default
account's root user, without any signature check, since there is no secret to check
against. Everything else in the list above is rejected exactly as without the opt-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from iamsim._arn import region_partition
from iamsim._clock import Clock
from iamsim._engine.request import Principal
from iamsim._simulator.core import core_of
from iamsim._sts.caller import Caller, CallerKind
from iamsim.errors import InvalidClientTokenIdError

if TYPE_CHECKING:
    # Only the claims' type: the wire layer parses and checks signatures, this module decides who signed.
    from iamsim._simulator import Simulator
    from iamsim._wire.sigv4 import SigV4Credentials

__all__ = ["TEMPORARY_KEY_PREFIX", "UNKNOWN_KEY_MESSAGE", "CallerResolver"]

#: The prefix of temporary (STS) access key ids (§H.1): such a key never works without its token.
TEMPORARY_KEY_PREFIX = "ASIA"

#: AWS's words for an unknown key, and how to sign with credentials the simulator issued.
UNKNOWN_KEY_MESSAGE = (
    "The security token included in the request is invalid."
    " (iamsim: this access key was not issued by the simulator. Sign with credentials it issued,"
    " such as sim.root_credentials(), a user's CreateAccessKey keys or the iamsim_boto3 pytest fixture's"
    " session, or opt in with unknown_keys_act_as_root=True to act as the account's root user.)"
)


@dataclass(frozen=True, slots=True)
class CallerResolver:
    """Turns the SigV4 claims of a request into the :class:`Caller` the handlers act as.

    ``clock`` is the server clock signing times are checked against (the simulator's
    when ``None``). ``unknown_keys_act_as_root`` lets long-term keys the simulator never
    issued act as the default account's root user.
    """

    simulator: Simulator
    unknown_keys_act_as_root: bool = False
    clock: Clock | None = None

    def require_partition(self, claims: SigV4Credentials) -> None:
        """Refuse a request signed for another partition's region: no key exists in two partitions (§G.9)."""
        partition = region_partition(claims.region)
        if partition != self.simulator.partition:
            raise InvalidClientTokenIdError(
                "The security token included in the request is invalid."
                f" (iamsim: the request is signed for region {claims.region}, in partition {partition}; this"
                f" simulator's world is in partition {self.simulator.partition}. A world has one partition:"
                f' create it with Simulator(partition="{partition}") to call {partition} endpoints.)'
            )

    def __call__(self, claims: SigV4Credentials) -> Caller:
        """The caller behind ``claims``; raises AWS's authentication errors."""
        claims.require_current((self.clock or self.simulator.clock).now())
        self.require_partition(claims)
        access_key_id, session_token = claims.access_key_id, claims.session_token
        simulator = self.simulator
        core = core_of(simulator)
        with core.lock:
            # One lookup of what was issued: the token (InvalidClientTokenId unless sealed for this key id) or
            # the long-term key; the signature checked with its secret; then the key's status or the expiry.
            caller = core.sts.signed_caller(access_key_id, session_token, claims.require_valid_signature)
        if caller is not None:
            return caller
        if access_key_id.startswith(TEMPORARY_KEY_PREFIX) or core.issued_access_key(access_key_id):
            # Temporary keys without their token, and keys deleted since: no fallback, ever.
            raise InvalidClientTokenIdError()
        if self.unknown_keys_act_as_root:
            account = simulator.default_account
            return Caller(CallerKind.ROOT, Principal.root(account, simulator.partition), access_key_id=access_key_id)
        raise InvalidClientTokenIdError(UNKNOWN_KEY_MESSAGE)
