"""Who is calling: the SigV4 claims of a request resolved to a simulator caller (§G.9).

The access key id (and ``X-Amz-Security-Token``) name the credentials. Keys the
simulator issued always resolve to their principal, and expired or deactivated ones
fail as AWS fails them. What happens to keys the simulator never issued depends on
the mode: strict mode rejects them with ``InvalidClientTokenId``; the default mode
treats them as the default account's root user, so tests that sign with dummy
credentials keep working. Only strict mode verifies the signature itself
(``SignatureDoesNotMatch``), because only there is the secret part of the contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamsim._engine.request import Principal
from iamsim._simulator import Simulator
from iamsim._sts.caller import Caller, CallerKind
from iamsim._sts.credentials import Credentials
from iamsim._wire.sigv4 import SigV4Credentials
from iamsim.errors import InvalidClientTokenIdError

__all__ = ["CallerResolver"]


@dataclass(frozen=True, slots=True)
class CallerResolver:
    """Turns the SigV4 claims of a request into the :class:`Caller` the handlers act as."""

    simulator: Simulator
    strict: bool = False

    def __call__(self, claims: SigV4Credentials) -> Caller:
        """The caller behind ``claims``; raises AWS's authentication errors."""
        secret = self._issued_secret(claims.access_key_id, claims.session_token)
        if secret is None:
            if self.strict:
                raise InvalidClientTokenIdError()
            account = self.simulator.default_account
            return Caller(
                CallerKind.ROOT, Principal.root(account, self.simulator.partition), access_key_id=claims.access_key_id
            )
        if self.strict:
            claims.require_valid_signature(secret)
        credentials = Credentials(claims.access_key_id, secret, claims.session_token)
        # The simulator re-checks what it issued: expiry, key status, a deleted user.
        return self.simulator.authenticate(credentials)

    def _issued_secret(self, access_key_id: str, session_token: str | None) -> str | None:
        """The secret the simulator issued with these credentials, or ``None`` if it issued none."""
        return self.simulator.issued_secret(access_key_id, session_token)
