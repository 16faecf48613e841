"""Issue 15's benchmark: ``check no-new-access`` on pairs of the bundled AWS managed policies.

Run ``python -m benchmarks.prover [--pairs 500] [--budget 10]``; ``--pairs 60``
gives a smaller sample that runs in minutes. The pairs are fixed (seeded),
the first few have known answers (``ReadOnlyAccess`` vs
``AdministratorAccess``...). Prints the median and p99 time per check, both
wall-clock and CPU (``time.process_time``: on a shared machine the wall
clock also counts other processes' turns, the CPU time does not), and the
PASS / FAIL / UNKNOWN counts (with the UNKNOWN reasons) for
``docs/performance.md``, every ``--every`` pairs as it goes and at the end.
A check that outlasts its in-process slice runs in the prover's worker
process, whose CPU time ``time.process_time`` does not count: the CPU column
is this process's share only. The check's own budget stays wall-clock, as a
user's would.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections import Counter

from iamsim._policy.aws_managed import load_aws_managed_policies
from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._prover import Budget, Verdict, check_no_new_access

#: ``(old, new, expected verdict)``: answers known without a solver.
KNOWN = (
    ("ReadOnlyAccess", "AdministratorAccess", Verdict.FAIL),
    ("AdministratorAccess", "ReadOnlyAccess", Verdict.PASS),
    ("AmazonS3ReadOnlyAccess", "AmazonS3FullAccess", Verdict.FAIL),
    ("AmazonS3ReadOnlyAccess", "AdministratorAccess", Verdict.FAIL),
)


def main() -> None:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--budget", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--every", type=int, default=50, help="print the statistics so far every N pairs")
    args = parser.parse_args()
    managed = load_aws_managed_policies()
    by_name = {policy.name: policy for policy in managed.values()}
    names = sorted(by_name)
    rng = random.Random(args.seed)
    pairs = [(old, new) for old, new, _ in KNOWN]
    while len(pairs) < args.pairs:
        pairs.append((rng.choice(names), rng.choice(names)))
    parsed = {}
    for name in {n for pair in pairs for n in pair}:
        parsed[name] = parse_policy(by_name[name].document_json(), PolicyKind.IDENTITY, name=name, check_size=False)
    times: list[float] = []
    cpu_times: list[float] = []
    verdicts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    budget = Budget(seconds=args.budget, witnesses=1)
    for index, (old, new) in enumerate(pairs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = check_no_new_access(parsed[old], parsed[new], budget=budget)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
        verdicts[result.verdict.value] += 1
        if result.verdict is Verdict.UNKNOWN:
            reasons[(result.reason or "").split(" for ")[0][:80]] += 1
        if index < len(KNOWN):
            expected = KNOWN[index][2]
            mark = "ok" if result.verdict is expected else f"MISMATCH (expected {expected.value})"
            print(
                f"{old} -> {new}: {result.verdict.value} {mark} ({times[-1]:.2f} s, CPU {cpu_times[-1]:.2f} s)",
                flush=True,
            )
        if (index + 1) % args.every == 0 and index + 1 < len(pairs):
            _report(index + 1, args.budget, times, cpu_times, verdicts, reasons)
    _report(len(pairs), args.budget, times, cpu_times, verdicts, reasons)


def _report(
    done: int, budget: float, times: list[float], cpu_times: list[float], verdicts: Counter[str], reasons: Counter[str]
) -> None:
    """Print the statistics of the first ``done`` pairs (flushed: a long run reports as it goes)."""
    print(f"pairs: {done}, budget {budget:g} s, load average {os.getloadavg()[0]:.1f}")
    for label, measured in (("wall", sorted(times)), ("CPU", sorted(cpu_times))):
        p99 = measured[min(len(measured) - 1, int(len(measured) * 0.99))]
        print(f"{label}: median {statistics.median(measured):.3f} s, p99 {p99:.3f} s, max {measured[-1]:.3f} s")
    print(", ".join(f"{verdict} {count}" for verdict, count in sorted(verdicts.items())))
    print(f"UNKNOWN rate {verdicts[Verdict.UNKNOWN.value] / done:.1%}")
    for reason, count in reasons.most_common(8):
        print(f"  {count:4d}  {reason}")
    print(flush=True)


if __name__ == "__main__":
    main()
