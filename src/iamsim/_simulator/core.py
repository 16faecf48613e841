"""The simulator's parts, wired together once: state, evaluation, STS, authentication, event log, lock.

:class:`Core` is what every operation family (:mod:`.iam`, :mod:`.sts_api`,
:mod:`.ec2`, :mod:`.organizations`) and the snapshot code are given. It has no
state of its own beyond its parts; its few methods are the seams between them:
an operation run under the lock and logged, and the view STS needs of the world
(:class:`iamsim._sts.world.World`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from iamsim._clock import Clock
from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import Policy
from iamsim._simulator.auth import Authenticator
from iamsim._simulator.decisions import Decisions
from iamsim._simulator.events import EventLog
from iamsim._simulator.state import WorldState
from iamsim._store.account import AccountStore
from iamsim._store.records import AccessKey
from iamsim._sts.caller import Caller
from iamsim._sts.service import StsService
from iamsim._sts.tokens import KEY_SIZE, TokenSealer
from iamsim.errors import ServiceError, UsageError

if TYPE_CHECKING:
    from iamsim._simulator import Simulator

__all__ = ["Core", "core_of"]

T = TypeVar("T")


def token_material(seed: int | None) -> bytes:
    """What the session-token key derives from: the seed when one was asked for, else fresh randomness.

    A seed makes a simulator's tokens reproducible (the same sessions give the same token
    text), and then anyone who knows the seed can seal tokens it accepts. Without one, the
    key is random per simulator, so no other simulator and no reader of this code can forge
    its tokens (§G.9); snapshots carry the material, so a restored world still opens them.
    """
    return f"iamsim-simulator-seed:{seed}".encode() if seed is not None else os.urandom(KEY_SIZE)


class Core:
    """The parts of one simulator and the one lock that makes each operation a consistent step."""

    def __init__(self, *, seed: int | None, clock: Clock, account_id: str, partition: str, event_limit: int) -> None:
        self.lock = threading.RLock()
        # Ids are drawn from seed 0 when none was asked for: reproducible ids, but a random token key.
        self.state = WorldState(
            seed=0 if seed is None else seed, clock=clock, account_id=account_id, partition=partition
        )
        self.decisions = Decisions(self.state)
        self.token_material = token_material(seed)
        self.sts = StsService(self, TokenSealer.from_seed(self.token_material), self.state.rng, partition=partition)
        self.auth = Authenticator(self.state, self.sts, self.decisions)
        self.events = EventLog(event_limit)
        # Per thread: concurrent wire calls on one simulator each credit their own caller.
        self._acting = threading.local()

    def use_token_material(self, material: bytes) -> None:
        """Seal and open session tokens with a key derived from ``material`` (a snapshot's, on restore)."""
        self.token_material = material
        self.sts.use_sealer(TokenSealer.from_seed(material))

    # ------------------------------------------------------------ operations

    @contextmanager
    def acting_as(self, actor: str) -> Iterator[None]:
        """Credit the operations this thread runs inside the block to ``actor`` (a wire call's caller ARN).

        The Simulator's IAM methods log as the administrator who calls them; the same method reached
        through a signed request was made by the request's caller, and the log must say so.
        """
        previous = self.swap_actor(actor)
        try:
            yield
        finally:
            self.swap_actor(previous)

    def swap_actor(self, actor: str | None) -> str | None:
        """Credit this thread's operations to ``actor`` from now on; return whom they were credited to.

        :meth:`acting_as` without the generator, for the per-call wrappers of wire handlers, which
        restore the previous actor in their own ``finally``.
        """
        acting = self._acting
        previous: str | None = getattr(acting, "actor", None)
        acting.actor = actor
        return previous

    def call(self, actor: str, target: str, action: str, subject: str, fn: Callable[[], T]) -> T:
        """Run ``fn`` under the lock and log it with its outcome (an error's code on failure)."""
        if actor == "admin":
            # Only the administrator's default credit moves: STS and EC2 already name who acted.
            actor = getattr(self._acting, "actor", None) or actor
        with self.lock:
            try:
                value = fn()
            except ServiceError as error:
                self.events.record(self.state.clock.now(), actor, target, action, subject, error.code)
                raise
            self.events.record(self.state.clock.now(), actor, target, action, subject, "ok")
            return value

    def iam(self, operation: str, subject: str, account_id: str | None, fn: Callable[[AccountStore], T]) -> T:
        """``fn`` applied to the account's store as the IAM operation ``operation``: locked, logged (a change).

        Logged as the administrator's, or as the caller of the wire request it runs in (:meth:`acting_as`).
        """
        account = self.state.account(account_id)
        return self.call("admin", "IAM", operation, subject, lambda: fn(self.state.store(account)))

    def read(self, account_id: str | None, fn: Callable[[AccountStore], T]) -> T:
        """``fn`` applied to the account's store under the lock (a read: not logged)."""
        with self.lock:
            return fn(self.state.store(self.state.account(account_id)))

    # ------------------------------------------- the world as STS sees it

    def now(self) -> datetime:
        """The current time from the simulator's clock."""
        return self.state.clock.now()

    def store(self, account_id: str) -> AccountStore:
        """The store of ``account_id`` (mutate it only inside an operation)."""
        return self.state.store(account_id)

    def find_access_key(self, access_key_id: str) -> tuple[str, AccessKey] | None:
        """The long-term key with that id and its account, or ``None``."""
        with self.lock:
            return self.state.find_access_key(access_key_id)

    def issued_access_key(self, access_key_id: str) -> bool:
        """Whether this simulator issued a long-term key with that id, even one deleted since (§G.9)."""
        with self.lock:
            return self.state.issued_access_key(access_key_id)

    def trust_policy(self, account_id: str, role_name: str) -> Policy:
        """The role's trust policy as AWS evaluates it now (principals rebound to unique ids, §A.3)."""
        with self.lock:
            return self.decisions.trust_policy(account_id, role_name)

    def jwks(self, issuer: str) -> Mapping[str, Any] | None:
        """The keys registered for the identity provider at ``issuer``."""
        with self.lock:
            return self.state.issuer_keys(issuer)

    def evaluate(
        self,
        caller: Caller,
        action: str,
        resource: str,
        *,
        context: Mapping[str, object],
        resource_policy: Policy | None,
        resource_account: str | None,
        explain: bool = False,
        now: datetime | None = None,
    ) -> EvaluationResult:
        """Evaluate one request of ``caller`` with every policy that applies (§F), at ``now`` (default: the clock)."""
        _require_action(action)
        with self.lock:
            return self.decisions.evaluate_checked(
                caller,
                action,
                resource,
                context,
                resource_policy,
                resource_account,
                explain,
                self.state.clock.now() if now is None else now,
            )

    def allowed(
        self,
        caller: Caller,
        action: str,
        resource: str,
        *,
        context: Mapping[str, object],
        resource_policy: Policy | None,
        resource_account: str | None,
    ) -> bool:
        """Whether :meth:`evaluate` at the clock's time allows the request (its decision, no result built)."""
        _require_action(action)
        with self.lock:
            return self.decisions.allowed_checked(
                caller, action, resource, context, resource_policy, resource_account, self.state.clock.now()
            )


def core_of(simulator: Simulator) -> Core:
    """The parts of ``simulator``, for the package's own layers (wire handlers, walkthrough, policy tests)."""
    core: Core = simulator._core
    return core


def _require_action(action: object) -> None:
    """Refuse an ``action`` that is not a ``service:ActionName`` text (library misuse, not an AWS error)."""
    if not isinstance(action, str) or ":" not in action:
        raise UsageError(f"action {action!r} is not of the form service:ActionName")
