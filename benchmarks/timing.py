"""Measuring decisions: per-call wall time, batched throughput, CPU time, compile time and memory.

The machine is noisy (two cores shared with other work), so every figure is
a median over repeated passes, the garbage collector is paused while a pass
is timed (as :mod:`timeit` does), and each per-call time has the cost of
reading the clock subtracted.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Timing", "clock_overhead_ns", "measure_compile", "measure_memory", "time_decisions"]


def clock_overhead_ns(samples: int = 20_000) -> float:
    """The median cost of one ``perf_counter_ns`` pair with nothing between them."""
    clock = time.perf_counter_ns
    costs = []
    for _ in range(samples):
        start = clock()
        costs.append(clock() - start)
    return float(statistics.median(costs))


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return float(ordered[index])


@dataclass(frozen=True, slots=True)
class Timing:
    """Per-decision figures (ns), each the median over the repeated passes."""

    median_ns: float
    p99_ns: float
    per_second: float
    cpu_ns: float
    timed: int


def time_decisions(
    decide: Callable[[Any], Any],
    requests: Sequence[Any],
    *,
    repeats: int,
    overhead_ns: float,
    reset: Callable[[], None] | None = None,
    batch: int = 100,
    stream: Callable[[int], Sequence[Any]] | None = None,
) -> Timing:
    """Time ``decide`` on every request, ``repeats`` passes.

    Each pass times every call with ``perf_counter_ns`` (median and p99), then
    runs the requests again in batches of ``batch`` without per-call clocks
    (decisions per second from wall time, CPU ns per decision from
    ``thread_time_ns``, which load from other processes does not inflate).
    With ``reset`` (the cold path) it is called, untimed, before every call.
    With ``stream`` (requests never seen before) pass ``n`` times ``stream(2n + 1)`` call by call and
    ``stream(2n + 2)`` in batches, built before the clock starts; ``requests`` is then unused.
    """
    clock = time.perf_counter_ns
    cpu = time.thread_time_ns
    medians: list[float] = []
    p99s: list[float] = []
    rates: list[float] = []
    cpus: list[float] = []
    enabled = gc.isenabled()
    try:
        for index in range(repeats):
            if stream is not None:
                requests = stream(2 * index + 1)
                batched = stream(2 * index + 2)
            else:
                batched = requests
            gc.collect()
            gc.disable()
            costs = []
            for request in requests:
                if reset is not None:
                    reset()
                start = clock()
                decide(request)
                costs.append(clock() - start - overhead_ns)
            medians.append(statistics.median(costs))
            p99s.append(_percentile(costs, 0.99))
            wall = 0
            cpu_total = 0
            for first in range(0, len(batched), batch):
                chunk = batched[first : first + batch]
                if reset is None:
                    wall_start, cpu_start = clock(), cpu()
                    for request in chunk:
                        decide(request)
                    cpu_total += cpu() - cpu_start
                    wall += clock() - wall_start
                else:
                    for request in chunk:
                        reset()
                        wall_start, cpu_start = clock(), cpu()
                        decide(request)
                        cpu_total += cpu() - cpu_start
                        wall += clock() - wall_start
            rates.append(len(batched) / (wall / 1e9) if wall else float("inf"))
            cpus.append(cpu_total / len(batched))
            gc.enable()
    finally:
        if enabled:
            gc.enable()
        else:
            gc.disable()
    return Timing(
        statistics.median(medians), statistics.median(p99s), statistics.median(rates), statistics.median(cpus),
        len(requests),
    )  # fmt: skip


def measure_compile(build: Callable[[], Any], *, repeats: int) -> tuple[float, Any]:
    """Median wall time (ms) of ``build()`` over ``repeats`` runs, and the last object built."""
    times = []
    built: Any = None
    for _ in range(repeats):
        built = None  # the previous build is freed here, not inside the timed region
        gc.collect()
        start = time.perf_counter_ns()
        built = build()
        times.append((time.perf_counter_ns() - start) / 1e6)
    return statistics.median(times), built


def measure_memory(build: Callable[[], Any]) -> int:
    """Bytes ``build()`` allocates and keeps (tracemalloc; the object built stays alive while measured)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        built = build()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del built
    return max(0, after - before)
