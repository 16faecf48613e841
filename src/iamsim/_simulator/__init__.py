"""The composition root: a simulated AWS world with IAM, STS, Organizations and EC2 instance roles.

A :class:`Simulator` owns everything it simulates (no global state): its
accounts, an optional organization, a clock, a seeded random source for every
id, the STS, an event log and a cache of compiled policy sets keyed by caller
and store generation. Every public method holds one re-entrant lock, so
concurrent callers see a consistent world.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from iamsim._clock import Clock
from iamsim._engine.request import Principal
from iamsim._matrix.result import AccessMatrix
from iamsim._policy.model import Policy
from iamsim._simulator.ec2 import Ec2Operations, Instance
from iamsim._simulator.events import Event, render_mermaid
from iamsim._simulator.iam import IamOperations
from iamsim._simulator.matrix import access_matrix
from iamsim._simulator.options import check_simulator_options
from iamsim._simulator.organizations import OrganizationOperations
from iamsim._simulator.snapshot import dump_world, load_world, read_snapshot, snapshot_identity, write_atomically
from iamsim._simulator.sts_api import StsOperations
from iamsim._simulator.world_file import apply_world, default_account_of, read_world_data
from iamsim._store.account import Document
from iamsim._store.codec import SnapshotFormatError
from iamsim._sts.credentials import Credentials
from iamsim.errors import UsageError

__all__ = ["Event", "Instance", "Simulator"]


class Simulator(IamOperations, StsOperations, Ec2Operations, OrganizationOperations):
    """A simulated AWS world.

    ``seed`` fixes every id the simulator draws; ``clock`` defaults to the
    wall clock read at each call (so freezegun and time-machine move it);
    ``account_id`` is the account methods use when given no ``account_id``;
    ``partition`` (``aws``, ``aws-cn`` or ``aws-us-gov``; anything else is a
    ``ValueError``) is in every ARN the simulator builds, AWS managed policy
    ARNs included.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        account_id: str = "123456789012",
        partition: str = "aws",
        event_limit: int = 10_000,
    ) -> None:
        check_simulator_options(
            seed=seed, clock=clock, account_id=account_id, partition=partition, event_limit=event_limit
        )
        self._instances = {}
        self._instance_credentials: dict[str, tuple[str, Credentials]] = {}
        super().__init__(seed=seed, clock=clock, account_id=account_id, partition=partition, event_limit=event_limit)

    @property
    def clock(self) -> Clock:
        """The simulator's clock."""
        return self._clock

    @property
    def seed(self) -> int:
        """The seed the simulator was created with."""
        return self._seed

    def locked(self) -> AbstractContextManager[bool]:
        """Hold the simulator's (re-entrant) lock for a compound operation.

        Every public method takes it already; integrations that read several
        things at once (a wire handler listing keys, say) hold it around the
        whole operation so concurrent writers cannot interleave.
        """
        return self._lock

    def access_matrix(
        self,
        principals: Iterable[Principal | str],
        actions: Iterable[str],
        resources: Iterable[str],
        *,
        context: Mapping[str, object] | None = None,
        resource_policies: Mapping[str, Document | Policy] | None = None,
        workers: int | None = None,
        cluster: Any = None,
    ) -> AccessMatrix:
        """Decide every principal × action × resource at once; each cell equals :meth:`is_allowed`'s decision.

        ``context`` is added to every request; ``resource_policies`` maps a
        resource ARN to its resource-based policy. The work is split by
        principal over ``workers`` local processes (``None``: one per CPU for
        large matrices, else this process) or over a Dask ``cluster`` (a
        ``distributed.Client`` or scheduler address; the ``cluster`` extra).
        No event is logged per cell. See docs/performance.md "Access matrix".
        """
        return access_matrix(
            self, principals, actions, resources, context=context,
            resource_policies=resource_policies, workers=workers, cluster=cluster,
        )  # fmt: skip

    # -------------------------------------------------------------- event log

    def events(self) -> tuple[Event, ...]:
        """Every logged call and decision, oldest first."""
        with self._lock:
            return tuple(self._events)

    def clear_events(self) -> None:
        """Forget the logged events."""
        with self._lock:
            self._events.clear()

    def mermaid(self, *, title: str | None = None, since: int = 0) -> str:
        """The event log (events numbered above ``since``) as a Mermaid sequence diagram."""
        if isinstance(since, bool) or not isinstance(since, int):
            raise UsageError(f"since must be an event number, not {since!r}")
        with self._lock:
            return render_mermaid(self._events.since(since), title=title)

    # --------------------------------------------------------------- snapshot

    def to_json(self) -> str:
        """The whole world as canonical, versioned JSON."""
        with self._lock:
            return dump_world(self)

    def snapshot(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_json` to ``path`` atomically (temporary file, then ``os.replace``)."""
        with self._lock:
            write_atomically(path, dump_world(self))

    @classmethod
    def from_json(cls, text: str, *, clock: Clock | None = None) -> Simulator:
        """A simulator holding the world in ``text`` (from :meth:`to_json`).

        The seed comes from the snapshot, so session tokens issued before the
        snapshot still open (the token key derives from the seed).
        """
        seed, partition, event_limit = snapshot_identity(text)
        try:
            sim = cls(seed=seed, clock=clock, partition=partition, event_limit=event_limit)
        except UsageError as error:
            # The arguments came from the file, not from the caller.
            raise SnapshotFormatError(f"malformed snapshot: {error}") from None
        load_world(sim, text)
        return sim

    @classmethod
    def restore(cls, path: str | os.PathLike[str], *, clock: Clock | None = None) -> Simulator:
        """A simulator holding the world snapshotted at ``path``."""
        return cls.from_json(read_snapshot(path), clock=clock)

    @classmethod
    def from_world(
        cls,
        data: Any,
        *,
        base_dir: str | os.PathLike[str] = ".",
        origin: str = "world",
        seed: int = 0,
        clock: Clock | None = None,
    ) -> Simulator:
        """A simulator holding the world a decoded world file describes (see :mod:`iamsim._simulator.world_file`).

        Policy file names in ``data`` are relative to ``base_dir``; errors are
        :class:`~iamsim.errors.InvalidInputError` naming ``origin`` and the place.
        """
        account = default_account_of(data)
        sim = cls(seed=seed, clock=clock) if account is None else cls(seed=seed, clock=clock, account_id=account)
        apply_world(sim, data, base_dir=Path(base_dir), origin=origin)
        return sim

    @classmethod
    def from_world_file(cls, path: str | os.PathLike[str], *, seed: int = 0, clock: Clock | None = None) -> Simulator:
        """A simulator holding the world described by the YAML or JSON world file at ``path``."""
        file = Path(path)
        return cls.from_world(read_world_data(file), base_dir=file.parent, origin=str(file), seed=seed, clock=clock)
