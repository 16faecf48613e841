"""What STS needs from the simulator that owns it: the seam between :mod:`iamsim._sts` and the simulator."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import Policy
from iamsim._store.account import AccountStore
from iamsim._store.records import AccessKey
from iamsim._sts.caller import Caller

__all__ = ["World"]


class World(Protocol):
    """What STS needs from the simulator that owns it."""

    def now(self) -> datetime:
        """The current time (the simulator's clock)."""
        ...

    def store(self, account_id: str) -> AccountStore:
        """The store of ``account_id``; ``NoSuchEntityError`` if the simulator has no such account."""
        ...

    def find_access_key(self, access_key_id: str) -> tuple[str, AccessKey] | None:
        """The long-term key with that id and its account, or ``None``."""
        ...

    def trust_policy(self, account_id: str, role_name: str) -> Policy:
        """The role's trust policy as AWS would evaluate it now (principals rebound, §A.3)."""
        ...

    def evaluate(
        self,
        caller: Caller,
        action: str,
        resource: str,
        *,
        context: Mapping[str, object],
        resource_policy: Policy | None,
        resource_account: str | None,
    ) -> EvaluationResult:
        """Evaluate one request of ``caller`` with everything that applies (§F)."""
        ...

    def jwks(self, issuer: str) -> Mapping[str, Any] | None:
        """The signing keys of the identity provider at ``issuer``, if the simulator knows them."""
        ...
