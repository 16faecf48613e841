"""Running the cases: the S sweep on the mixed workload, and the cases beyond the mix (issue 7)."""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from benchmarks.agreement import (
    AgreementError,
    FastPathCheck,
    PeerAgreement,
    check_fast_path,
    check_stream,
    compare_peer,
)
from benchmarks.engines import (
    IAMSIM,
    REFERENCE,
    Engine,
    Prepared,
    available_engines,
    parse_workload,
)
from benchmarks.timing import measure_compile, measure_memory, time_decisions
from benchmarks.workload import ACCOUNT, ROLE_NAME, Workload, make_workload

__all__ = ["DEFAULT_ENGINES", "CaseResult", "Row", "Settings", "run_all"]


#: Every row, the public API first after the floor (issue 16's headline), then the compiled set, then the peers.
DEFAULT_ENGINES = (
    "floor", "api-new", "api-new-principal", "api-new-bool", "api-repeated", "api-repeated-principal", "one-shot",
    "iamsim", "lean", "cold", "moto", "moto-request", "pmapper",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Settings:
    """What to run. ``budget_s`` caps the seconds one slow engine spends deciding per pass (it then
    times an evenly spaced sample); ``reference_budget_s``, when set, likewise caps the reference check
    (``None``: every request of every workload is checked)."""

    seed: int = 7
    sizes: tuple[int, ...] = (10, 100, 1000, 10_000)
    requests: int = 10_000
    repeats: int = 5
    engines: tuple[str, ...] = DEFAULT_ENGINES
    budget_s: float = 10.0
    reference_budget_s: float | None = None
    cold_sample: int = 2_000
    extras: bool = True
    log: Callable[[str], None] = print


@dataclass(slots=True)
class Row:
    """One engine on one case at one size; times in ns per decision, ``ratio`` = this median / iamsim's."""

    case: str
    statements: int
    engine: str
    median_ns: float | None = None
    p99_ns: float | None = None
    per_second: float | None = None
    cpu_ns: float | None = None
    compile_ms: float | None = None
    bytes_per_statement: float | None = None
    timed: int = 0
    ratio: float | None = None
    note: str = ""
    #: ``Simulator.authorize`` only: its median minus the decision's median on the same requests.
    on_top_ns: float | None = None


@dataclass(slots=True)
class CaseResult:
    """The rows of one case at one size, its measured decision mix and its agreement figures."""

    case: str
    statements: int
    rows: list[Row]
    mix: dict[str, float] = field(default_factory=dict)
    fast_path: FastPathCheck | None = None
    peers: dict[str, PeerAgreement] = field(default_factory=dict)
    #: Public-API decisions compared with the (reference-checked) fast path's.
    api_checked: int = 0

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "case": self.case,
            "statements": self.statements,
            "mix": self.mix,
            "fast_path_vs_reference": None if self.fast_path is None else asdict(self.fast_path),
            "peers": {name: asdict(agreement) for name, agreement in self.peers.items()},
            "api_checked_against_fast_path": self.api_checked,
            "rows": [asdict(row) for row in self.rows],
        }


def _sample(total: int, wanted: int) -> list[int]:
    """``wanted`` evenly spaced indices of ``range(total)`` (all when ``wanted >= total``)."""
    if wanted >= total:
        return list(range(total))
    step = total / wanted
    return sorted({int(i * step) for i in range(wanted)})


def _estimate_s(decide: Callable[[Any], Any], requests: Sequence[Any], probes: int = 20) -> float:
    chosen = [requests[i] for i in _sample(len(requests), probes)]
    start = time.perf_counter()
    for request in chosen:
        decide(request)
    return (time.perf_counter() - start) / max(1, len(chosen))


def _time_engine(
    engine: Engine, workload: Workload, settings: Settings, overhead_ns: float, *, compiled: Any = None
) -> tuple[Row, Prepared, list[int]]:
    """Compile (timed, and measured for memory), prepare and time one engine; returns the sample it timed."""
    slow = engine.peer or engine.slow
    repeats = 3 if slow else max(1, settings.repeats // 2)
    compile_ms, built = measure_compile(lambda: engine.compile(workload), repeats=repeats)
    memory = measure_memory(lambda: engine.compile(workload))
    prepared = engine.prepare(workload, built if compiled is None else compiled)
    requests = prepared.requests
    reset = prepared.reset if engine.cold else None
    if engine.cold:
        sample = _sample(len(requests), settings.cold_sample)
    elif slow:
        per_request = _estimate_s(prepared.decide, requests)
        sample = _sample(len(requests), max(30, int(settings.budget_s / max(per_request, 1e-9))))
    else:
        sample = list(range(len(requests)))
    chosen = [requests[i] for i in sample]
    stream = prepared.stream
    if not slow and not engine.cold:
        # One untimed pass: iamsim's caches are warm from here on, as in any long-running use. A stream of
        # new requests warms on requests of its own, so every timed request is still one never seen.
        for request in chosen if stream is None else stream(10_000):
            prepared.decide(request)
    pass_s = _estimate_s(prepared.decide, chosen) * len(chosen)
    timing = time_decisions(
        prepared.decide,
        chosen,
        repeats=settings.repeats if pass_s < 2.0 else (2 if pass_s < 8.0 else 1),
        overhead_ns=overhead_ns,
        reset=reset,
        stream=stream,
    )
    note = "" if len(chosen) == len(requests) else f"timed on {len(chosen)} of {len(requests)} requests"
    row = Row(
        workload.name,
        workload.statements,
        engine.name,
        timing.median_ns,
        timing.p99_ns,
        timing.per_second,
        timing.cpu_ns,
        compile_ms,
        memory / max(1, workload.statements),
        len(chosen),
        note=note,
    )
    return row, prepared, sample


def run_case(workload: Workload, settings: Settings, overhead_ns: float, engine_names: Sequence[str]) -> CaseResult:
    """Every engine on ``workload``: timings, the decision mix, fast path vs reference, peer agreement."""
    log = settings.log
    parse_ms, parsed = measure_compile(lambda: parse_workload(workload), repeats=1)
    workload.notes["parsed"] = parsed
    engines, missing = available_engines(engine_names)
    result = CaseResult(workload.name, workload.statements, [])
    # iamsim first: its decisions are the yardstick for the mix and for the peers.
    compiled = IAMSIM.compile(workload)
    yardstick = IAMSIM.prepare(workload, compiled)
    decisions = [yardstick.decision(yardstick.decide(r)) for r in yardstick.requests]
    counts = collections.Counter(decisions)
    result.mix = {name: counts[name] / len(decisions) for name in ("allowed", "explicitDeny", "implicitDeny")}
    log(
        f"  [{workload.name} S={workload.statements}] mix: "
        + ", ".join(f"{name} {share:.1%}" for name, share in result.mix.items())
        + f" (parse {parse_ms:.1f} ms)"
    )
    for engine in engines:
        row, prepared, timed = _time_engine(engine, workload, settings, overhead_ns)
        result.rows.append(row)
        log(
            f"  {engine.name:18} median {row.median_ns or 0:>12,.0f} ns  p99 {row.p99_ns or 0:>12,.0f} ns  "
            f"compile {row.compile_ms or 0:,.1f} ms  {row.note}"
        )
        if engine.peer:
            peer_decisions = {index: prepared.decision(prepared.decide(prepared.requests[index])) for index in timed}
            result.peers[engine.name] = compare_peer(decisions, peer_decisions, workload.requests)
        elif engine.name.startswith("api ") or engine.slow:
            # The public API decides as the checked fast path does, on the exact requests it was timed on.
            answers = [prepared.decision(prepared.decide(prepared.requests[index])) for index in timed]
            result.api_checked += check_stream(engine.name, answers, [decisions[index] for index in timed])
    for name, why in missing.items():
        result.rows.append(Row(workload.name, workload.statements, name, note=why))
    # Fast path == reference, after the timings so that its objects do not weigh on them: every request,
    # unless a budget caps it (then an evenly spaced sample).
    reference = REFERENCE.prepare(workload, REFERENCE.compile(workload))
    sample = list(range(len(decisions)))
    if settings.reference_budget_s is not None:
        per_reference = _estimate_s(reference.decide, reference.requests, probes=5)
        sample = _sample(len(decisions), max(50, int(settings.reference_budget_s / max(per_reference, 1e-9))))
    fresh = IAMSIM.compile(workload)
    result.fast_path = check_fast_path(fresh, reference.decide, yardstick.requests, sample)
    log(f"  fast path == reference on {result.fast_path.checked:,} of {result.fast_path.total:,} requests")
    base = next((row.median_ns for row in result.rows if row.engine == IAMSIM.name), None)
    for row in result.rows:
        if base and row.median_ns is not None:
            row.ratio = row.median_ns / base
    return result


def _simulator_rows(settings: Settings, overhead_ns: float) -> list[Row]:
    """``Simulator.authorize`` from credentials (AssumeRole per second is ``benchmarks.sts_speed``)."""
    log = settings.log
    try:
        from iamsim._engine.request import Principal, Request
        from iamsim.errors import AccessDeniedError
    except ImportError as error:
        note = f"not available ({error})"
        return [Row("simulator", 10, "Simulator.authorize", note=note)]
    # Imported here: benchmarks.sts_speed imports this module (its Row and Settings).
    from benchmarks.sts_speed import assume_role_world

    workload = make_workload(10, min(settings.requests, 2_000), seed=settings.seed, name="simulator")
    sim, role_arn, key = assume_role_world(settings.seed)
    for index, document in enumerate(workload.documents):
        sim.put_role_policy(ROLE_NAME, f"bench-{index}", document)
    credentials = sim.assume_role(key, role_arn, "bench").credentials

    def authorize(request: Any) -> bool:
        try:
            sim.authorize(credentials, request.action, request.resource, context=request.context)
        except AccessDeniedError:
            return False
        return True

    requests = list(workload.requests)
    for request in requests:
        authorize(request)  # warm the simulator's compiled-set cache and the memo
    timing = time_decisions(authorize, requests, repeats=settings.repeats, overhead_ns=overhead_ns)
    # The decision alone, on the same requests, for "on top of the decision".
    workload.notes["parsed"] = parse_workload(workload)
    compiled = IAMSIM.compile(workload)
    principal = Principal.from_arn(role_arn, session_name="bench")
    native = [Request.create(principal, r.action, r.resource, r.context) for r in requests]
    for native_request in native:
        compiled.evaluate(native_request)
    decision = time_decisions(compiled.evaluate, native, repeats=settings.repeats, overhead_ns=overhead_ns)
    on_top = timing.median_ns - decision.median_ns
    rows = [
        Row(
            "simulator", 10, "Simulator.authorize", timing.median_ns, timing.p99_ns, timing.per_second, timing.cpu_ns,
            timed=len(requests), note=f"{on_top:,.0f} ns on top of the decision ({decision.median_ns:,.0f} ns)",
            on_top_ns=on_top,
        )
    ]  # fmt: skip
    log(f"  Simulator.authorize median {timing.median_ns:,.0f} ns ({on_top:,.0f} ns on top of the decision)")
    return rows


def _matrix_world(size: int, principals: int, seed: int) -> tuple[Any, list[str], list[str], list[str], Any]:
    """A world of ``principals`` roles sharing S statements (managed policies of 30), and the matrix's axes."""
    from iamsim._simulator import Simulator

    workload = make_workload(size, 4_000, seed=seed, name="matrix")
    sim = Simulator(seed=seed, account_id=ACCOUNT)
    statements = [statement for document in workload.documents for statement in document["Statement"]]
    arns = [
        sim.create_policy(f"m{start}", {"Version": "2012-10-17", "Statement": statements[start : start + 30]}).arn
        for start in range(0, len(statements), 30)
    ]
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                       "Action": "sts:AssumeRole"}],
    }  # fmt: skip
    names = []
    for index in range(principals):
        if index >= 1_000:
            # An account holds at most 1,000 roles (RolesPerAccount); the rest are users with the same policies.
            sim.create_user(f"u{index}")
            for arn in arns:
                sim.attach_user_policy(f"u{index}", arn)
            names.append(f"arn:aws:iam::{ACCOUNT}:user/u{index}")
            continue
        sim.create_role(f"r{index}", trust)
        for arn in arns:
            sim.attach_role_policy(f"r{index}", arn)
        names.append(f"arn:aws:iam::{ACCOUNT}:role/r{index}")
    actions = list(dict.fromkeys(request.action for request in workload.requests))[:200]
    resources = list(dict.fromkeys(request.resource for request in workload.requests))[:100]
    return sim, names, actions, resources, workload.requests[0].context


def _matrix_rows(settings: Settings) -> list[Row]:
    """``Simulator.access_matrix`` at S=20 and S=100 (cells per CPU second), its scale-out, and a cell check."""
    import os
    import random

    from iamsim._engine.request import Principal

    rows: list[Row] = []
    principals = 20 if settings.requests < 1_000 else 100
    for size in (20, 100):
        sim, names, actions, resources, context = _matrix_world(size, principals, settings.seed)
        start, cpu = time.perf_counter(), time.process_time()
        matrix = sim.access_matrix(names, actions, resources, context=context, workers=1)
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        # Identical to one-by-one evaluation: a sample of cells checked against Simulator.is_allowed.
        rng = random.Random(settings.seed)
        callers = {name: Principal.from_arn(name) for name in names}
        checked = 0
        for _ in range(2_000 if settings.requests >= 1_000 else 200):
            p, a, r = rng.randrange(len(names)), rng.randrange(len(actions)), rng.randrange(len(resources))
            one = sim.is_allowed(callers[names[p]], actions[a], resources[r], context=context)
            if one != (matrix.decision(p, a, r).value == "allowed"):
                raise AgreementError(f"matrix cell {names[p]} {actions[a]} {resources[r]} differs from is_allowed")
            checked += 1
        rows.append(
            Row(
                "matrix", size, "access_matrix, 1 process", per_second=matrix.cells / used,
                cpu_ns=used * 1e9 / matrix.cells, median_ns=wall * 1e9 / matrix.cells, timed=matrix.cells,
                note=f"{len(names)}×{len(actions)}×{len(resources)} cells; {matrix.cells / wall:,.0f} cells/s wall; "
                f"{checked:,} cells checked against is_allowed, all equal",
            )
        )  # fmt: skip
        rate = matrix.cells / used
        settings.log(f"  matrix S={size}: {rate:,.0f} cells per CPU second ({matrix.cells / wall:,.0f} wall)")
    # Scale-out: the same matrix split by principal over 1, 2 and N processes (wall time). Each is asked twice
    # of one simulator: the first call starts the worker processes, the second reuses them (and, in one
    # process, the simulator's compiled policies).
    sim, names, actions, resources, context = _matrix_world(100, principals * 4, settings.seed)
    base = None
    for workers in sorted({1, 2, max(2, os.cpu_count() or 1), 4}):
        walls = []
        for _ in range(2):
            start = time.perf_counter()
            matrix = sim.access_matrix(names, actions, resources, context=context, workers=workers)
            walls.append(time.perf_counter() - start)
        first, wall = walls
        base = base or wall
        rows.append(_scale_row(matrix.cells, workers, wall, base, f"first call {first:,.2f} s (start-up included)"))
        settings.log(f"  matrix with {workers} workers: {first:,.2f} s, then {wall:,.2f} s ({base / wall:,.2f}×)")
    if settings.requests < 1_000:
        return rows
    # A matrix large enough for a second core to pay for starting a process: each asked once of a new
    # simulator, so the processes' start-up is in the 2-process figure.
    sim, names, actions, resources, context = _matrix_world(100, 2_000, settings.seed)
    base = None
    for workers in (1, 2):
        start = time.perf_counter()
        matrix = sim.access_matrix(names, actions, resources, context=context, workers=workers)
        wall = time.perf_counter() - start
        base = base or wall
        rows.append(_scale_row(matrix.cells, workers, wall, base, "one call, start-up included"))
        settings.log(f"  {matrix.cells:,}-cell matrix with {workers} workers: {wall:,.2f} s ({base / wall:,.2f}×)")
    return rows


def _scale_row(cells: int, workers: int, wall: float, base: float, how: str) -> Row:
    """A ``matrix scale-out`` row: ``cells`` decided by ``workers`` processes in ``wall`` seconds."""
    return Row(
        "matrix scale-out", 100, f"access_matrix, {workers} process{'es' if workers > 1 else ''}",
        per_second=cells / wall, median_ns=wall * 1e9 / cells, timed=cells, ratio=wall / base,
        note=f"{cells:,} cells in {wall:,.2f} s wall ({how}); speed-up {base / wall:,.2f}×",
    )  # fmt: skip


def run_all(settings: Settings, overhead_ns: float) -> tuple[list[CaseResult], list[Row]]:
    """The S sweep, then (with ``extras``) the heavy-condition and many-principal cases and the simulator rows."""
    log = settings.log
    cases: list[CaseResult] = []
    for size in settings.sizes:
        log(f"mix, S={size}")
        workload = make_workload(size, settings.requests, seed=settings.seed)
        cases.append(run_case(workload, settings, overhead_ns, settings.engines))
    extra_rows: list[Row] = []
    if settings.extras:
        size = 1_000 if 1_000 in settings.sizes or max(settings.sizes) >= 1_000 else max(settings.sizes)
        log(f"heavy conditions, S={size}")
        heavy = make_workload(
            size, settings.requests, seed=settings.seed, name="heavy-conditions", conditions_per_statement=(3, 5)
        )
        cases.append(run_case(heavy, settings, overhead_ns, settings.engines))
        log(f"many principals, S={size}")
        many = make_workload(size, settings.requests, seed=settings.seed, name="many-principals", principals=200)
        cases.append(run_case(many, settings, overhead_ns, settings.engines))
        log("simulator")
        # Imported here: these modules import this one (its Row and Settings).
        from benchmarks.compile_speed import compile_rows
        from benchmarks.hook_speed import hook_rows
        from benchmarks.sts_speed import sts_rows

        extra_rows = _simulator_rows(settings, overhead_ns)
        extra_rows.extend(sts_rows(settings))
        log("boto3 hook")
        extra_rows.extend(hook_rows(settings))
        log("authorization on top of moto")
        from benchmarks.enforce import enforce_rows

        extra_rows.extend(enforce_rows(settings))
        log("iamsim serve under load")
        from benchmarks.serve_load import serve_rows

        extra_rows.extend(serve_rows(settings))
        log("compile from text")
        extra_rows.extend(compile_rows(settings))
        log("access matrix")
        extra_rows.extend(_matrix_rows(settings))
    return cases, extra_rows
