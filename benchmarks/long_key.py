"""Issue 11: a 1,024-character S3 key against a Resource with ten ``*``, through the public API.

Run alone: ``.venv/bin/python -m benchmarks.long_key`` (``--requests``, ``--repeats``).

For each evaluator (the compiled ``PolicyEvaluator`` and ``iamsim.evaluate(...,
reference=True)``) it times decisions of ``s3:GetObject`` on 1,024-character
keys of ``aaa/aaa/...`` against ``arn:aws:s3:::*/*/*/*/*/*/*/*/*/*.csv`` (no
``.csv``: the near miss that made Python's ``re`` backtrack) and against keys
ending ``.csv`` (a match), and, as the floor measured in the same run, the
same keys against ``arn:aws:s3:::bucket/*`` (a prefix test). Every request has
its own key, so the compiled evaluator's decision memo never answers.
Per-call times with ``perf_counter_ns``; median and p99 over all calls.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import iamsim
from iamsim import PolicyEvaluator

__all__ = ["LongKeyRow", "main", "run"]

PRINCIPAL = "arn:aws:iam::111122223333:user/alice"
ACTION = "s3:GetObject"
KEY_LENGTH = 1024
TEN_STARS = "arn:aws:s3:::*/*/*/*/*/*/*/*/*/*.csv"
FLOOR = "arn:aws:s3:::bucket/*"


@dataclass(frozen=True, slots=True)
class LongKeyRow:
    """One evaluator on one pattern/key shape: per-decision median and p99 in microseconds."""

    engine: str
    case: str
    decision: str
    median_us: float
    p99_us: float


def _keys(count: int, suffix: str, salt: int) -> list[str]:
    """``count`` distinct 1,024-character keys of ``aaa/...`` ending with ``suffix``."""
    keys = []
    for index in range(count):
        stamp = f"{salt}-{index}/"
        body = ("aaa/" * (KEY_LENGTH // 4 + 1))[: KEY_LENGTH - len(stamp) - len(suffix)]
        keys.append(f"arn:aws:s3:::bucket/{stamp}{body}{suffix}")
    return keys


def _policy(resource: str) -> dict[str, object]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ACTION, "Resource": resource}]}


def _time(decide: Callable[[str], str], resources: Sequence[str]) -> tuple[str, list[int]]:
    clock = time.perf_counter_ns
    costs: list[int] = []
    decisions = set()
    gc.collect()
    gc.disable()
    try:
        for resource in resources:
            start = clock()
            decision = decide(resource)
            costs.append(clock() - start)
            decisions.add(decision)
    finally:
        gc.enable()
    if len(decisions) != 1:
        raise AssertionError(f"mixed decisions {decisions}")
    return decisions.pop(), costs


def _deciders(resource_pattern: str) -> dict[str, Callable[[str], str]]:
    evaluator = PolicyEvaluator.from_policies(identity=[_policy(resource_pattern)])
    policy = _policy(resource_pattern)

    def compiled(resource: str) -> str:
        return evaluator.evaluate(PRINCIPAL, ACTION, resource).decision.value

    def reference(resource: str) -> str:
        return iamsim.evaluate(PRINCIPAL, ACTION, resource, identity=[policy], reference=True).decision.value

    return {"compiled": compiled, "reference": reference}


def run(requests: int = 2_000, repeats: int = 3) -> list[LongKeyRow]:
    """Time every evaluator on the three cases; ``requests`` keys per pass, ``repeats`` passes."""
    cases = [
        ("ten * near miss", TEN_STARS, ""),
        ("ten * match", TEN_STARS, ".csv"),
        ("floor: bucket/*", FLOOR, ".csv"),
    ]
    rows: list[LongKeyRow] = []
    for name, pattern, suffix in cases:
        for engine, decide in _deciders(pattern).items():
            count = requests if engine == "compiled" else max(1, requests // 10)
            costs: list[int] = []
            decision = ""
            for repeat in range(repeats):
                decision, pass_costs = _time(decide, _keys(count, suffix, repeat))
                costs.extend(pass_costs)
            ordered = sorted(costs)
            p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
            rows.append(LongKeyRow(engine, name, decision, statistics.median(costs) / 1000, p99 / 1000))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.long_key", description=__doc__)
    parser.add_argument("--requests", type=int, default=2_000, help="keys per pass (the reference gets a tenth)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'engine':<10} {'case':<18} {'decision':<13} {'median µs':>10} {'p99 µs':>10}")
    for row in run(args.requests, args.repeats):
        print(f"{row.engine:<10} {row.case:<18} {row.decision:<13} {row.median_us:>10.1f} {row.p99_us:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
