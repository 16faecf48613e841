"""The simulated world's state: accounts, organization, seeded ids, identity-provider keys, instances.

:class:`WorldState` is one of the simulator's parts (see ``docs/architecture.md``):
it owns what a snapshot writes and nothing else (no lock, no caches, no
evaluation). Its attributes are package-internal accessors: the operations,
the evaluator and :mod:`iamsim._simulator.snapshot` read and replace them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from iamsim._arn import check_partition
from iamsim._clock import Clock
from iamsim._engine.standing_rules import protection_error
from iamsim._simulator.resources import ResourceRecords
from iamsim._store.account import AccountStore
from iamsim._store.changes import ChangeCounter
from iamsim._store.ids import IdGenerator
from iamsim._store.organization import Organization
from iamsim._store.records import AccessKey
from iamsim._sts.credentials import Credentials
from iamsim.errors import NoSuchEntityError

if TYPE_CHECKING:
    from iamsim._simulator.ec2 import Instance

__all__ = ["WorldState"]


class WorldState:
    """Everything a simulator simulates, keyed for lookup; mutated only by the simulator's operations."""

    def __init__(self, *, seed: int, clock: Clock, account_id: str, partition: str) -> None:
        self.seed = seed
        self.clock = clock
        self.rng = random.Random(seed)
        self.ids = IdGenerator(self.rng)
        # Every ARN the world builds carries this partition, so an unknown one is refused up front.
        self.partition = check_partition(partition)
        self.default_account = account_id
        self.stores: dict[str, AccountStore] = {}
        #: Bumped by every store and the organization on any change; the evaluator's caches are keyed by it.
        self.changes = ChangeCounter()
        self.org: Organization | None = None
        #: Signing keys of identity providers, by issuer without a trailing slash.
        self.jwks: dict[str, dict[str, Any]] = {}
        self.instances: dict[str, Instance] = {}

        #: The metadata service's current credentials per instance, with the role id they were issued for.
        self.instance_credentials: dict[str, tuple[str, Credentials]] = {}
        #: Other services' resources as authorization sees them (policies, tags, owners).
        self.resources = ResourceRecords()
        self.new_store(account_id)

    def new_store(self, account_id: str) -> AccountStore:
        """A new, empty account in this world."""
        store = AccountStore(
            account_id,
            ids=self.ids,
            clock=self.clock,
            partition=self.partition,
            changes=self.changes,
            protections=protection_error,
        )
        store.set_resolver(self.resolve_principal)
        self.stores[account_id] = store
        self.changes.bump()
        return store

    def resolve_principal(self, arn: str) -> str | None:
        """The unique id of the principal ``arn`` names in any account (``""`` when none has it)."""
        for store in self.stores.values():
            found = store.resolve_own_principal(arn)
            if found != "":
                return found
        return ""

    def generation(self) -> int:
        """A number that changes whenever any store or the organization changes (and never repeats)."""
        return self.changes.value

    def account(self, account_id: str | None) -> str:
        """``account_id``, or the default account for ``None``."""
        return self.default_account if account_id is None else account_id

    def store(self, account_id: str) -> AccountStore:
        """The store of ``account_id``; ``NoSuchEntityError`` when the world has no such account."""
        store = self.stores.get(account_id)
        if store is None:
            raise NoSuchEntityError(f"The account {account_id} does not exist in this simulator.")
        return store

    def find_access_key(self, access_key_id: str) -> tuple[str, AccessKey] | None:
        """The long-term key with that id and its account, or ``None``."""
        for account, store in self.stores.items():
            key = store.keys.find_access_key(access_key_id)
            if key is not None:
                return account, key
        return None

    def issued_access_key(self, access_key_id: str) -> bool:
        """Whether this world issued a long-term key with that id, even one deleted since (§G.9)."""
        return any(
            store.keys.find_access_key(access_key_id) is not None or store.keys.is_retired_key(access_key_id)
            for store in self.stores.values()
        )

    def issuer_keys(self, issuer: str) -> Mapping[str, Any] | None:
        """The keys registered for the identity provider at ``issuer``."""
        return self.jwks.get(issuer.rstrip("/"))
