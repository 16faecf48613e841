"""Running matrix jobs: in this process, across local processes, or on a Dask cluster.

A :class:`MatrixJob` is one principal against one group of resources (those
that share a resource policy): its :class:`~iamsim._engine.policy_set.PolicySet`,
principal and full context are plain picklable values, so a worker
compiles the set itself and runs :func:`~iamsim._engine.matrix.decide_block`.
Work is split by principal: jobs of one principal stay together, and chunks
go to workers in order, so the result does not depend on how it was split.
"""

from __future__ import annotations

import math
import multiprocessing
import pickle
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from iamsim._engine.compiled import CompiledPolicy, CompiledPolicySet, compile_policy, compile_policy_set
from iamsim._engine.matrix import ActionMasks, decide_block
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import ContextValue, Principal
from iamsim._policy.model import Policy
from iamsim._shown import shown
from iamsim.errors import UsageError

__all__ = ["MatrixJob", "run_jobs"]

#: Below this many cells a matrix is decided in this process: starting worker processes costs more.
LOCAL_CELLS = 400_000


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


def _shipped(job: MatrixJob) -> MatrixJob:
    """``job`` without its compiled set: workers compile their own (compiled sets hold closures)."""
    if job.compiled is None:
        return job
    return MatrixJob(
        job.principal_index, job.principal, job.context, job.policies, job.resource_indices, job.resource_account
    )


def _chunks(jobs: Sequence[MatrixJob], parts: int) -> list[list[MatrixJob]]:
    """``jobs`` cut into about ``parts`` chunks, a principal's jobs never split across two."""
    by_principal: dict[int, list[MatrixJob]] = {}
    for job in jobs:
        by_principal.setdefault(job.principal_index, []).append(_shipped(job))
    groups = list(by_principal.values())
    size = max(1, math.ceil(len(groups) / max(1, parts)))
    return [[job for group in groups[start : start + size] for job in group] for start in range(0, len(groups), size)]


def _local(jobs: Sequence[MatrixJob], actions: Sequence[str], resources: Sequence[str], _: int) -> list[JobResult]:
    return run_chunk(jobs, actions, resources)


def _processes(
    jobs: Sequence[MatrixJob], actions: Sequence[str], resources: Sequence[str], workers: int
) -> list[JobResult]:
    # One chunk per worker: each chunk compiles its policies and matches their actions afresh, so more
    # chunks cost more than they even out. ``spawn``: a fork of a process that runs threads (a test
    # runner, a Dask client) may inherit a held lock.
    chunks = _chunks(jobs, workers)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        answers = pool.map(run_chunk, chunks, [actions] * len(chunks), [resources] * len(chunks))
        return [result for answer in answers for result in answer]


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
        payloads = [pickle.dumps((chunk, tuple(actions), tuple(resources))) for chunk in chunks]
        futures = client.map(run_payload, payloads, pure=False)
        answers = client.gather(futures)
        return [result for answer in answers for result in answer]
    finally:
        if own:
            client.close()


def run_jobs(
    jobs: Sequence[MatrixJob],
    actions: Sequence[str],
    resources: Sequence[str],
    *,
    workers: int | None = None,
    cluster: Any = None,
) -> list[JobResult]:
    """Run every job and return their answers (in no particular order).

    ``cluster``: a ``distributed.Client`` or a scheduler address; the jobs
    go to its workers. Otherwise ``workers`` local processes (``None``: one
    per CPU when the matrix has at least :data:`LOCAL_CELLS` cells, else this
    process; ``1``: this process).
    """
    if cluster is not None:
        return _dask(jobs, actions, resources, cluster)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise UsageError(f"workers must be a positive whole number, not {shown(workers)}")
    cells = len(actions) * sum(len(job.resource_indices) for job in jobs)
    if workers is None:
        workers = (multiprocessing.cpu_count() or 1) if cells >= LOCAL_CELLS else 1
    principals = len({job.principal_index for job in jobs})
    workers = min(workers, max(1, principals))
    runner: Callable[[Sequence[MatrixJob], Sequence[str], Sequence[str], int], list[JobResult]] = (
        _local if workers == 1 else _processes
    )
    return runner(jobs, actions, resources, workers)
