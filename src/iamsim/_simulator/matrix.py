"""``Simulator.access_matrix``: a world's principals × actions × resources, decided in bulk.

Each principal is resolved and its policy sets built exactly as one-by-one
evaluation does (:meth:`Decisions.evaluate <iamsim._simulator.decisions.Decisions>`): same caller, same context
(its own keys at the current second, plus the given ``context``), same
resource policy and RCP owner per resource. The cells are then decided by
the bulk kernel, in this process or spread by principal over local processes
or a Dask cluster (:mod:`iamsim._matrix.scale`). No event is logged per cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from iamsim._engine.matrix import BlockRow
from iamsim._engine.request import Principal, build_request, make_context
from iamsim._matrix.result import AccessMatrix
from iamsim._matrix.scale import LocalPool, MatrixJob, run_jobs, worker_count
from iamsim._policy.model import Policy
from iamsim._shown import shown
from iamsim._store.account import Document
from iamsim.errors import UsageError

if TYPE_CHECKING:
    from iamsim._simulator.core import Core

__all__ = ["Matrices"]


def _names(values: Iterable[Any], what: str) -> tuple[str, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise UsageError(f"{what}s must be a list of {what}s, not one {type(values).__name__}")
    out = tuple(values)
    if not out:
        raise UsageError(f"an access matrix needs at least one {what}")
    for value in out:
        if what == "action" and isinstance(value, str) and ("*" in value or "?" in value):
            # As in iamsim evaluate: a request names one action; a pattern would read as a literal name.
            raise UsageError(f"action {shown(value)} is a pattern; a matrix decides named actions")
        if what == "resource" and isinstance(value, str) and value != "*" and not value.startswith("arn:"):
            raise UsageError(f"resource {shown(value)} is not an ARN or '*'")
        if what == "action" and (not isinstance(value, str) or ":" not in value):
            raise UsageError(f"action {shown(value)} is not of the form service:ActionName")
        if what == "resource" and (not isinstance(value, str) or not value):
            raise UsageError(f"resource {shown(value)} is not an ARN or '*'")
    if len(set(out)) != len(out):
        duplicate = next(value for index, value in enumerate(out) if value in out[:index])
        raise UsageError(f"{what} {shown(duplicate)} is listed twice")
    return out


def _principal(value: object) -> Principal:
    if isinstance(value, Principal):
        return value
    if isinstance(value, str):
        return Principal.from_arn(value)
    raise UsageError(f"principal {shown(value)} is not an ARN or a Principal")


class Matrices:
    """The simulator's bulk decisions: ``sim.access_matrix``."""

    def __init__(self, core: Core) -> None:
        self._core = core
        # Worker processes for matrices split locally: started by the first such matrix, kept for the next.
        self._pool = LocalPool()

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
        principal over ``workers`` local processes, this one included
        (``None``: one per CPU for large matrices, else this process alone;
        the simulator keeps the other processes for its later matrices) or over a Dask ``cluster`` (a
        ``distributed.Client`` or scheduler address; the ``cluster`` extra).
        No event is logged per cell. See docs/performance.md "Access matrix".
        """
        core = self._core
        if isinstance(principals, (str, Principal)):
            given: tuple[Principal | str, ...] = (principals,)
        elif isinstance(principals, Iterable) and not isinstance(principals, (bytes, Mapping)):
            given = tuple(principals)
        else:
            raise UsageError(f"principals must be a list of ARNs or Principals, not {shown(principals)}")
        if not given:
            raise UsageError("an access matrix needs at least one principal")
        resolved = [_principal(value) for value in given]
        action_names = _names(actions, "action")
        resource_names = _names(resources, "resource")
        extra = make_context(context)
        policies = dict(resource_policies or {})
        for arn in policies:
            if arn not in resource_names:
                raise UsageError(f"resource_policies names {shown(arn)}, which is not one of the matrix's resources")
        count = worker_count(workers, len(resolved) * len(action_names) * len(resource_names), len(resolved))
        # Sets are compiled here only when this process decides every cell: otherwise each process compiles
        # the sets of its own chunk, and compiling them here too would only delay sending the work.
        compile_here = cluster is None and count == 1
        jobs: list[MatrixJob] = []
        decisions = core.decisions
        with core.lock:
            now = core.state.clock.now()
            generation = core.state.generation()
            parsed = {arn: decisions.resource_policy(document) for arn, document in policies.items()}
            for index, principal in enumerate(resolved):
                caller = core.auth.caller(principal, now)
                full = dict(decisions.caller_context(caller, now, generation))
                full.update(extra)
                # Resources that share a resource policy and an RCP owner share a policy set.
                groups: dict[tuple[int, str | None], tuple[Policy | None, list[int]]] = {}
                for position, resource in enumerate(resource_names):
                    policy = parsed.get(resource)
                    owner = None
                    if core.state.org is not None:
                        owner = build_request(caller.principal, "x:y", resource, full, None).owning_account
                    groups.setdefault((id(policy), owner), (policy, []))[1].append(position)
                for (_, owner), (policy, positions) in groups.items():
                    if not compile_here:
                        plain = decisions.plain_policy_set(caller, policy, owner)
                        jobs.append(MatrixJob(index, caller.principal, full, plain, tuple(positions)))
                        continue
                    compiled = decisions.policy_set(caller, policy, owner, generation)
                    jobs.append(
                        MatrixJob(index, caller.principal, full, compiled.policies, tuple(positions), compiled=compiled)
                    )
        answers = run_jobs(jobs, action_names, resource_names, workers=count, cluster=cluster, pool=self._pool)
        labels = tuple(value if isinstance(value, str) else value.arn for value in given)
        rows = _assemble(answers, len(given), len(action_names))
        return AccessMatrix(labels, action_names, resource_names, rows)


def _assemble(
    answers: Sequence[tuple[int, tuple[int, ...], list[tuple[int, int]]]], principals: int, actions: int
) -> tuple[tuple[BlockRow, ...], ...]:
    """Merge the jobs' rows (each over its own resources) into one row per principal and action."""
    whole: dict[int, tuple[BlockRow, ...]] = {}
    every = tuple(range(max((len(positions) for _, positions, _ in answers), default=0)))
    if len({principal for principal, _, _ in answers}) == len(answers) == principals:
        # One job per principal over every resource in order (no resource policies, no RCP owners): its rows
        # are the matrix's rows as they are.
        for principal, positions, rows in answers:
            if positions != every:
                break
            whole[principal] = tuple(BlockRow(allowed_mask, denied_mask) for allowed_mask, denied_mask in rows)
        else:
            return tuple(whole[p] for p in range(principals))
    allowed = [[0] * actions for _ in range(principals)]
    denied = [[0] * actions for _ in range(principals)]
    for principal, positions, rows in answers:
        identity = positions == tuple(range(len(positions)))
        for action, (allowed_mask, denied_mask) in enumerate(rows):
            if identity:
                allowed[principal][action] |= allowed_mask
                denied[principal][action] |= denied_mask
                continue
            allowed[principal][action] |= _spread(allowed_mask, positions)
            denied[principal][action] |= _spread(denied_mask, positions)
    return tuple(tuple(BlockRow(allowed[p][a], denied[p][a]) for a in range(actions)) for p in range(principals))


def _spread(mask: int, positions: tuple[int, ...]) -> int:
    """``mask`` over a job's resources, moved to their places in the matrix."""
    out = 0
    while mask:
        low = mask & -mask
        out |= 1 << positions[low.bit_length() - 1]
        mask ^= low
    return out
