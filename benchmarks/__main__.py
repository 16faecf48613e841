"""``python -m benchmarks``: run the benchmark, print the table, save JSON, Markdown and the plot."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from benchmarks.agreement import AgreementError
from benchmarks.report import machine, render_markdown, write_json, write_plot
from benchmarks.run import DEFAULT_ENGINES, Settings, run_all
from benchmarks.timing import clock_overhead_ns

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, report; exit status 1 when the fast path disagrees with the reference."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sizes", type=_sizes, default=(10, 100, 1000, 10_000), help="comma-separated S values")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--engines", default=",".join(DEFAULT_ENGINES), help="comma-separated rows (default: all)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per pass a slow engine may spend")
    parser.add_argument(
        "--reference-budget",
        type=float,
        default=None,
        help="cap the reference check at about this many seconds per case (default: check every request)",
    )
    parser.add_argument("--no-extras", action="store_true", help="only the S sweep")
    parser.add_argument("--quick", action="store_true", help="a seconds-long smoke run (S 10,100; 300 requests)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    settings = Settings(
        seed=args.seed,
        sizes=(10, 100) if args.quick else args.sizes,
        requests=300 if args.quick else args.requests,
        repeats=2 if args.quick else args.repeats,
        engines=tuple(name for name in args.engines.split(",") if name),
        budget_s=0.5 if args.quick else args.budget,
        reference_budget_s=2.0 if args.quick else args.reference_budget,
        cold_sample=100 if args.quick else 2_000,
        extras=not args.no_extras,
    )
    overhead = clock_overhead_ns()
    meta = {
        "seed": settings.seed,
        "requests": settings.requests,
        "repeats": settings.repeats,
        "sizes": list(settings.sizes),
        "python": sys.version.split()[0],
        "machine": f"{machine()}, {os.cpu_count()} CPUs",
        "clock_overhead_ns": overhead,
        "load": " ".join(f"{value:.1f}" for value in os.getloadavg()),
    }
    try:
        cases, extra = run_all(settings, overhead)
    except AgreementError as error:
        print(f"FAIL: {error}", file=sys.stderr)
        return 1
    markdown = render_markdown(cases, extra, meta)
    print()
    print(markdown)
    args.out.mkdir(parents=True, exist_ok=True)
    write_json(args.out / "latest.json", cases, extra, meta)
    (args.out / "latest.md").write_text(markdown, encoding="utf-8")
    if write_plot(args.out / "latest.png", cases):
        print(f"\nsaved {args.out / 'latest.json'}, latest.md and latest.png")
    else:
        print(f"\nsaved {args.out / 'latest.json'} and latest.md (matplotlib missing: no plot)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
