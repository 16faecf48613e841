"""Running matrix jobs: in this process, across local processes, or on a Dask cluster.

A :class:`MatrixJob` is one principal against one group of resources (those
that share a resource policy): its :class:`~iamsim._engine.policy_set.PolicySet`,
principal and full context are plain picklable values, so a worker
compiles the set itself and runs :func:`~iamsim._engine.matrix.decide_block`.
Work is split by principal: jobs of one principal stay together, and chunks
go to workers in order, so the result does not depend on how it was split.
With ``workers=N`` this process decides chunks itself while N - 1 worker
processes (a :class:`LocalPool`, started once and kept) decide the others.
"""

from __future__ import annotations

import math
import multiprocessing
import pickle
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from iamsim._engine.compiled import CompiledPolicy, CompiledPolicySet, compile_policy, compile_policy_set
from iamsim._engine.matrix import ActionMasks, decide_block
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import ContextValue, Principal
from iamsim._policy.model import Policy
from iamsim._shown import shown
from iamsim.errors import UsageError

__all__ = ["LocalPool", "MatrixJob", "run_jobs", "worker_count"]

#: Below this many cells a matrix is decided in this process: starting worker processes costs more.
LOCAL_CELLS = 400_000
#: Chunks per process when the work is split locally: enough for this process to take back what a late
#: worker has not started, few enough that compiling each chunk's policies afresh stays cheap.
_CHUNKS_PER_PROCESS = 4


@dataclass(frozen=True, slots=True)
class MatrixJob:
    """One principal (row ``principal_index`` of the matrix) on the resources at ``resource_indices``."""

    principal_index: int
    principal: Principal
    context: Mapping[str, ContextValue]
    policies: PolicySet
    resource_indices: tuple[int, ...]
    resource_account: str | None = None
    #: The compiled set when the job runs in the process that built it (not sent to workers).
    compiled: CompiledPolicySet | None = field(default=None, compare=False)


#: A job's answer: its principal index, its resource indices and per action the masks of the resources
#: allowed and explicitly denied. Plain integers: pickling them back from a worker costs a tenth of
#: pickling :class:`~iamsim._engine.matrix.BlockRow` objects.
JobResult = tuple[int, tuple[int, ...], list[tuple[int, int]]]


def _run_one(
    job: MatrixJob,
    actions: Sequence[str],
    resources: Sequence[str],
    masks: ActionMasks,
    compiler: Callable[[Policy], CompiledPolicy],
) -> JobResult:
    compiled = job.compiled if job.compiled is not None else compile_policy_set(job.policies, compiler=compiler)
    chosen = [resources[index] for index in job.resource_indices]
    rows = decide_block(
        compiled, job.principal, job.context, actions, chosen, resource_account=job.resource_account, masks=masks
    )
    return job.principal_index, job.resource_indices, [(row.allowed, row.explicit_deny) for row in rows]


def run_chunk(jobs: Sequence[MatrixJob], actions: Sequence[str], resources: Sequence[str]) -> list[JobResult]:
    """Run ``jobs`` one after another (what one worker does with its chunk).

    Jobs of one chunk arrive in one pickle, so principals sharing a policy share one ``Policy`` object here
    too: it is compiled once, and each of its statements matched against the actions once.
    """
    masks = ActionMasks(actions)
    compiled: dict[int, tuple[Policy, CompiledPolicy]] = {}

    def compiler(policy: Policy) -> CompiledPolicy:
        found = compiled.get(id(policy))
        if found is None or found[0] is not policy:
            found = compiled[id(policy)] = (policy, compile_policy(policy))
        return found[1]

    return [_run_one(job, actions, resources, masks, compiler) for job in jobs]


def run_payload(payload: bytes) -> list[JobResult]:
    """:func:`run_chunk` on a pickled ``(jobs, actions, resources)`` (what a Dask worker runs).

    The payload comes from this module in the process that asked for the matrix, never from outside.
    """
    jobs, actions, resources = pickle.loads(payload)
    return run_chunk(jobs, actions, resources)


def _shipped(chunk: Sequence[MatrixJob]) -> list[MatrixJob]:
    """``chunk`` without compiled sets, to send to a worker: it compiles its own (compiled sets hold closures)."""
    return [
        job
        if job.compiled is None
        else MatrixJob(
            job.principal_index, job.principal, job.context, job.policies, job.resource_indices, job.resource_account
        )
        for job in chunk
    ]


def _chunks(jobs: Sequence[MatrixJob], parts: int) -> list[list[MatrixJob]]:
    """``jobs`` cut into about ``parts`` chunks, a principal's jobs never split across two."""
    by_principal: dict[int, list[MatrixJob]] = {}
    for job in jobs:
        by_principal.setdefault(job.principal_index, []).append(job)
    groups = list(by_principal.values())
    size = max(1, math.ceil(len(groups) / max(1, parts)))
    return [[job for group in groups[start : start + size] for job in group] for start in range(0, len(groups), size)]


def _stop(executor: ProcessPoolExecutor) -> None:
    """Stop ``executor``'s processes without waiting (a pool garbage collected, or the interpreter exiting)."""
    executor.shutdown(wait=False, cancel_futures=True)


class LocalPool:
    """Local worker processes, started when a matrix first needs them and kept for the next ones.

    Starting a process and importing iamsim in it costs about half a second,
    as much as deciding millions of cells, so one simulator's matrices share
    the processes. Workers keep nothing between chunks (each chunk carries its
    jobs, actions and resources), so a reused worker answers as a fresh one
    would. :meth:`close` (or the pool being garbage collected, or the
    interpreter exiting) stops them.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._size = 0
        self._finalizer: weakref.finalize[[ProcessPoolExecutor], LocalPool] | None = None

    def _processes(self, size: int) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None or self._size < size:
                old, self._executor, self._size = self._executor, self._start(size), size
                if old is not None:
                    # Chunks already given to the old processes still finish: shutdown(wait=False) only stops
                    # it taking new ones.
                    old.shutdown(wait=False)
            return self._executor

    def _start(self, size: int) -> ProcessPoolExecutor:
        # ``spawn``: a fork of a process that runs threads (a test runner, a Dask client) may inherit a held lock.
        executor = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"))
        if self._finalizer is not None:
            self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _stop, executor)
        return executor

    def run(
        self, jobs: Sequence[MatrixJob], actions: Sequence[str], resources: Sequence[str], workers: int
    ) -> list[JobResult]:
        """Decide ``jobs`` in ``workers`` processes, this one included.

        The work is cut into a few chunks per process, all offered to the
        worker processes. This process decides the first, then takes back
        from the end those no worker has started (while workers start up,
        that is most of them), so nobody waits for a slow or late process.
        Each chunk compiles its policies afresh: a few chunks per process
        cost some 5 % more CPU than one.
        """
        first, *others = _chunks(jobs, _CHUNKS_PER_PROCESS * workers)
        pending: list[Future[list[JobResult]]] = []
        if others:
            executor = self._processes(workers - 1)
            pending = [executor.submit(run_chunk, _shipped(chunk), actions, resources) for chunk in others]
        try:
            answers = [run_chunk(first, actions, resources)]
            for future, chunk in zip(reversed(pending), reversed(others), strict=True):
                if not future.cancel():
                    break
                answers.append(run_chunk(chunk, actions, resources))
            answers.extend(future.result() for future in pending if not future.cancelled())
        except BrokenProcessPool:
            # A worker died (killed, out of memory): the next matrix starts new ones.
            self.close()
            raise
        finally:
            for future in pending:
                future.cancel()
        return [result for answer in answers for result in answer]

    def close(self) -> None:
        """Stop the worker processes (a later matrix starts new ones)."""
        with self._lock:
            executor, self._executor, self._size = self._executor, None, 0
            if self._finalizer is not None:
                self._finalizer.detach()
                self._finalizer = None
        if executor is not None:
            _stop(executor)


def _dask(jobs: Sequence[MatrixJob], actions: Sequence[str], resources: Sequence[str], cluster: Any) -> list[JobResult]:
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "a Dask cluster needs the 'cluster' extra: pip install 'iamsim[cluster]' (dask[distributed])"
        ) from None
    own = not isinstance(cluster, Client)
    if own and not isinstance(cluster, str):
        raise UsageError(f"cluster must be a distributed.Client or a scheduler address, not {shown(cluster)}")
    try:
        client = Client(cluster, timeout=10) if own else cluster  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {shown(cluster)}: {error}") from None
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunks = _chunks(jobs, workers * 4)
        # Each chunk travels as one pickled payload: Dask would otherwise walk the jobs' dataclasses and
        # mappings looking for tasks inside them.
        payloads = [pickle.dumps((_shipped(chunk), tuple(actions), tuple(resources))) for chunk in chunks]
        futures = client.map(run_payload, payloads, pure=False)
        answers = client.gather(futures)
        return [result for answer in answers for result in answer]
    finally:
        if own:
            client.close()


def worker_count(workers: object, cells: int, principals: int) -> int:
    """How many processes decide a matrix of ``cells`` cells over ``principals`` principals.

    ``None``: one per CPU when the matrix has at least :data:`LOCAL_CELLS`
    cells, else 1 (this process). Never more than one per principal.
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise UsageError(f"workers must be a positive whole number, not {shown(workers)}")
    count = workers if workers is not None else (multiprocessing.cpu_count() or 1) if cells >= LOCAL_CELLS else 1
    return min(count, max(1, principals))


def run_jobs(
    jobs: Sequence[MatrixJob],
    actions: Sequence[str],
    resources: Sequence[str],
    *,
    workers: int | None = None,
    cluster: Any = None,
    pool: LocalPool | None = None,
) -> list[JobResult]:
    """Run every job and return their answers (in no particular order).

    ``cluster``: a ``distributed.Client`` or a scheduler address; the jobs
    go to its workers. Otherwise ``workers`` processes, this one included
    (see :func:`worker_count`); the others come from ``pool`` (a pool
    started for this call and stopped after it when ``None``).
    """
    if cluster is not None:
        return _dask(jobs, actions, resources, cluster)
    cells = len(actions) * sum(len(job.resource_indices) for job in jobs)
    count = worker_count(workers, cells, len({job.principal_index for job in jobs}))
    if count == 1:
        return run_chunk(jobs, actions, resources)
    if pool is not None:
        return pool.run(jobs, actions, resources, count)
    own = LocalPool()
    try:
        return own.run(jobs, actions, resources, count)
    finally:
        own.close()
