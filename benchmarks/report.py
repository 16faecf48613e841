"""The report: one Markdown table (also printed), the JSON record, and the log-log plot of cost against S."""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.compile_speed import compile_targets
from benchmarks.hook_speed import hook_targets
from benchmarks.run import CaseResult, Row
from benchmarks.sts_speed import sts_targets

__all__ = ["render_markdown", "write_json", "write_plot"]

#: Issue 7's targets, checked against the iamsim rows.
TARGETS = {
    "decision_median_ns": 2_000,
    "cold_median_ns_at_1000": 10_000,
    "compile_ms_per_1000": 15.0,
    "bytes_per_statement": 3 * 1024,
    "authorize_on_top_ns": 5_000,
    "assume_role_per_second": 20_000,
}


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| case | S | engine | median ns | p99 ns | decisions/s | CPU ns | compile ms | B/statement | × iamsim "
        "| note |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        ratio = "–" if row.ratio is None else f"{row.ratio:,.1f}×"
        lines.append(
            f"| {row.case} | {row.statements:,} | {row.engine} | {_number(row.median_ns)} | {_number(row.p99_ns)} | "
            f"{_number(row.per_second)} | {_number(row.cpu_ns)} | {_number(row.compile_ms, 2)} | "
            f"{_number(row.bytes_per_statement)} | {ratio} | {row.note} |"
        )
    return lines


def _targets(cases: Sequence[CaseResult], extra: Sequence[Row]) -> list[str]:
    lines = ["| target | measured | met |", "|---|---|---|"]
    mix = [case for case in cases if case.case == "mix"]
    warm = [row for case in mix for row in case.rows if row.engine == "iamsim" and row.median_ns is not None]
    if warm:
        worst = max(warm, key=lambda row: row.median_ns or 0)
        ok = (worst.median_ns or 0) <= TARGETS["decision_median_ns"]
        lines.append(
            f"| decision ≤ 2 µs median at every S | worst {worst.median_ns:,.0f} ns (S={worst.statements:,}) "
            f"| {'yes' if ok else 'no'} |"
        )
    cold = [row for case in mix for row in case.rows if row.engine == "iamsim cold" and row.statements == 1000]
    if cold and cold[0].median_ns is not None:
        ok = cold[0].median_ns <= TARGETS["cold_median_ns_at_1000"]
        lines.append(f"| cold ≤ 10 µs at S=1,000 | {cold[0].median_ns:,.0f} ns | {'yes' if ok else 'no'} |")
    big = [row for row in warm if row.statements >= 1000 and row.compile_ms is not None]
    for row in big:
        per_1000 = (row.compile_ms or 0) * 1000 / row.statements
        ok = per_1000 <= TARGETS["compile_ms_per_1000"]
        lines.append(
            f"| compile ≤ 15 ms / 1,000 statements (S={row.statements:,}) | {per_1000:,.1f} ms "
            f"| {'yes' if ok else 'no'} |"
        )
    for row in big:
        ok = (row.bytes_per_statement or 0) <= TARGETS["bytes_per_statement"]
        lines.append(
            f"| ≤ 3 KiB per compiled statement (S={row.statements:,}) | {row.bytes_per_statement:,.0f} B "
            f"| {'yes' if ok else 'no'} |"
        )
    for row in extra:
        if row.engine == "AssumeRole" and row.per_second is not None:
            ok = row.per_second >= TARGETS["assume_role_per_second"]
            by_cpu = f" ({1e9 / row.cpu_ns:,.0f}/s by CPU time)" if row.cpu_ns else ""
            lines.append(
                f"| AssumeRole ≥ 20,000/s in-process | {row.per_second:,.0f}/s wall{by_cpu} | {'yes' if ok else 'no'} |"
            )
        if row.engine == "Simulator.authorize" and row.on_top_ns is not None:
            ok = row.on_top_ns <= TARGETS["authorize_on_top_ns"]
            lines.append(f"| authorize ≤ 5 µs on top of the decision | {row.note} | {'yes' if ok else 'no'} |")
        if row.engine == "AssumeRole via boto3 hook" and row.per_second is not None:
            lines.append(
                f"| AssumeRole via the boto3 hook (no target; Stubber is the floor) | {row.per_second:,.0f}/s | – |"
            )
    checked = [case.fast_path for case in cases if case.fast_path is not None]
    total = sum(check.checked for check in checked)
    lines.append(f"| fast path == reference | {total:,} requests checked, 0 differ | yes |")
    return lines


def _median(cases: Sequence[CaseResult], engine: str, size: int) -> float | None:
    for case in cases:
        if case.case == "mix" and case.statements == size:
            for row in case.rows:
                if row.engine == engine:
                    return row.median_ns
    return None


def _met(ok: bool) -> str:
    return "yes" if ok else "no"


def targets_16(cases: Sequence[CaseResult], extra: Sequence[Row]) -> list[str]:
    """Issue 16's targets, as ratios measured in this run, each with whether it is met."""
    lines = ["| target | measured | met |", "|---|---|---|"]
    sizes = sorted({case.statements for case in cases if case.case == "mix"})
    for size in sizes:
        floor = _median(cases, "floor (dict lookup + call)", size)
        if not floor:
            continue
        for engine in ("api evaluate, ARN, repeated", "api evaluate, Principal, repeated"):
            median = _median(cases, engine, size)
            if median is not None:
                lines.append(
                    f"| {engine} ≤ 10 floors (S={size:,}) | {median:,.0f} ns = {median / floor:,.1f} floors "
                    f"| {_met(median <= 10 * floor)} |"
                )
        bound = 150 if size >= 10_000 else 50
        for engine in ("api evaluate, ARN, new", "api evaluate, Principal, new", "api is_allowed, ARN, new"):
            median = _median(cases, engine, size)
            if median is not None:
                lines.append(
                    f"| {engine} ≤ {bound} floors (S={size:,}) | {median:,.0f} ns = {median / floor:,.1f} floors "
                    f"| {_met(median <= bound * floor)} |"
                )
    for size, factor in ((10, 10), (1_000, 100)):
        new = _median(cases, "api evaluate, ARN, new", size)
        # The target is against moto's request path (what a moto request costs); its evaluator alone is shown too.
        for engine, label in (("moto request path", "moto"), ("moto", "moto's evaluator alone, policies pre-parsed")):
            moto = _median(cases, engine, size)
            if moto and new:
                met = _met(moto >= factor * new) if engine == "moto request path" else "–"
                lines.append(
                    f"| new requests ≥ {factor}× faster than {label} (S={size:,}) | {moto / new:,.1f}× | {met} |"
                )
    # Each of these rows' own module words its target (issue 16: compile, STS, the boto3 hook).
    lines += compile_targets(extra) + sts_targets(extra) + hook_targets(extra)
    for row in extra:
        if row.case == "matrix" and row.per_second is not None:
            ok = row.statements < 100 or row.per_second >= 2_000_000
            target = "≥ 2,000,000 cells/s per core" if row.statements >= 100 else "(no target at this S)"
            lines.append(
                f"| access matrix {target} (S={row.statements:,}) | {row.per_second:,.0f} cells per CPU second "
                f"| {_met(ok) if row.statements >= 100 else '–'} |"
            )
    checked = sum(case.api_checked for case in cases)
    if checked:
        lines.append(f"| public API == fast path (== reference) | {checked:,} decisions compared, 0 differ | yes |")
    return lines


def render_markdown(cases: Sequence[CaseResult], extra: Sequence[Row], meta: dict[str, Any]) -> str:
    """The whole report as Markdown."""
    out = [
        "# iamsim benchmark",
        "",
        f"seed {meta['seed']}, {meta['requests']:,} requests per case, {meta['repeats']} repeats; "
        f"Python {meta['python']}, {meta['machine']}; clock overhead {meta['clock_overhead_ns']:.0f} ns subtracted; "
        f"load average at start {meta['load']}.",
        "",
        "Times are ns per decision (median and p99 of per-call `perf_counter_ns`, median over repeats); "
        "decisions/s from batched wall time; CPU ns from `thread_time_ns` (not inflated by other processes). "
        "`iamsim` is the warm path (memo filled), `iamsim cold` clears every cache before each request.",
        "",
        *_table([row for case in cases for row in case.rows] + list(extra)),
        "",
        "## Decision mix (iamsim)",
        "",
        "| case | S | allowed | explicit deny | implicit deny | fast path == reference |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for case in cases:
        check = case.fast_path
        checked = "–" if check is None else f"{check.checked:,} of {check.total:,} checked, all equal"
        out.append(
            f"| {case.case} | {case.statements:,} | {case.mix.get('allowed', 0):.1%} | "
            f"{case.mix.get('explicitDeny', 0):.1%} | {case.mix.get('implicitDeny', 0):.1%} | {checked} |"
        )
    out += [
        "",
        "## Peer agreement with iamsim (allowed vs denied)",
        "",
        "| case | S | peer | compared | differ | examples |",
        "|---|---:|---|---:|---:|---|",
    ]
    for case in cases:
        for name, agreement in case.peers.items():
            examples = "<br>".join(agreement.examples) or "–"
            out.append(
                f"| {case.case} | {case.statements:,} | {name} | {agreement.compared:,} | {agreement.differing:,} "
                f"| {examples} |"
            )
    out += ["", "## Targets (issue 16: the public API, compile, STS, matrix)", "", *targets_16(cases, extra), ""]
    out += ["", "## Targets (issue 7)", "", *_targets(cases, extra), ""]
    return "\n".join(out)


def write_json(path: Path, cases: Sequence[CaseResult], extra: Sequence[Row], meta: dict[str, Any]) -> None:
    """Everything measured, as JSON."""
    from dataclasses import asdict

    record = {"meta": meta, "cases": [case.as_json() for case in cases], "extra": [asdict(row) for row in extra]}
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def write_plot(path: Path, cases: Sequence[CaseResult]) -> bool:
    """Median ns per decision against S, log-log, one line per engine (mix case); False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    series: dict[str, list[tuple[int, float]]] = {}
    for case in cases:
        if case.case != "mix":
            continue
        for row in case.rows:
            if row.median_ns is not None:
                series.setdefault(row.engine, []).append((row.statements, row.median_ns))
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for engine, points in sorted(series.items()):
        points.sort()
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=engine)
    axes.axhline(2_000, color="grey", linestyle="--", linewidth=0.8, label="target 2 µs")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("statements in the role's policies (S)")
    axes.set_ylabel("median ns per decision")
    axes.set_title("Cost per decision against S")
    axes.grid(True, which="both", linewidth=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True


def machine() -> str:
    """A short description of the interpreter and machine."""
    return f"{platform.system()} {platform.machine()}, {platform.python_implementation()} {sys.version.split()[0]}"
