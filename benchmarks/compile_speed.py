"""Issue 16: compiling from policy text, against ``json.loads`` plus grouping statements by action.

Run alone: ``.venv/bin/python -m benchmarks.compile_speed`` (``--size``, ``--repeats``, ``--seed``).

The workload's S statements (documents of 500, as the harness generates them)
are read from their JSON text and compiled into one policy set:
``parse_policy`` on each document, then ``compile_policy_set``. The floor does
the least any compiler must: ``json.loads`` each text and group its statements
by lowercase action. Each figure is the median wall time of several runs with
the previous build freed outside the timed region (``benchmarks.timing``);
the note splits iamsim's time into parsing (text to the frozen model, every
check of the language) and compiling (matchers, index keys), each timed alone.
The target is iamsim within 3× of the floor.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from benchmarks.run import Row, Settings
from benchmarks.timing import measure_compile
from benchmarks.workload import make_workload

__all__ = ["compile_rows", "compile_targets", "main"]

#: The issue's bound: compiling from text costs at most this many floors.
TARGET_RATIO = 3.0


def compile_rows(settings: Settings, size: int | None = None) -> list[Row]:
    """Rows: parse + compile from text (iamsim) and ``json.loads`` + grouping (the floor), at S = ``size``."""
    from iamsim._engine.compiled import compile_policy_set
    from iamsim._engine.policy_set import PolicySet
    from iamsim._policy.model import PolicyKind
    from iamsim._policy.parse import parse_policy

    if size is None:
        size = 1_000 if 1_000 in settings.sizes or max(settings.sizes) >= 1_000 else max(settings.sizes)
    texts = make_workload(size, 10, seed=settings.seed).texts
    repeats = max(3, settings.repeats)

    def parse() -> tuple[Any, ...]:
        return tuple(
            parse_policy(text, PolicyKind.IDENTITY, name=f"bench-{index}", check_size=False)
            for index, text in enumerate(texts)
        )

    def iamsim_compile() -> Any:
        return compile_policy_set(PolicySet(identity=parse()))

    def floor() -> Any:
        groups: dict[str, list[Any]] = {}
        for text in texts:
            for statement in json.loads(text)["Statement"]:
                actions = statement.get("Action", "*")
                for action in [actions] if isinstance(actions, str) else actions:
                    groups.setdefault(action.lower(), []).append(statement)
        return groups

    ours, _ = measure_compile(iamsim_compile, repeats=repeats)
    base, _ = measure_compile(floor, repeats=repeats)
    parse_ms, parsed = measure_compile(parse, repeats=repeats)
    compile_ms, _ = measure_compile(lambda: compile_policy_set(PolicySet(identity=parsed)), repeats=repeats)
    settings.log(f"  compile from text {ours:,.1f} ms, json.loads + grouping {base:,.1f} ms ({ours / base:,.1f}×)")
    return [
        Row(
            "compile", size, "parse + compile (iamsim)", compile_ms=ours, ratio=ours / base,
            note=f"from JSON text; parsing alone {parse_ms:,.1f} ms, compiling the parsed set {compile_ms:,.1f} ms",
        ),
        Row("compile", size, "json.loads + grouping", compile_ms=base, ratio=1.0, note="the floor"),
    ]  # fmt: skip


def compile_targets(rows: Sequence[Row]) -> list[str]:
    """The target line for the compile rows among ``rows``."""
    by_engine = {row.engine: row for row in rows}
    ours, base = by_engine.get("parse + compile (iamsim)"), by_engine.get("json.loads + grouping")
    if ours is None or base is None or not ours.compile_ms or not base.compile_ms:
        return []
    ratio = ours.compile_ms / base.compile_ms
    return [
        f"| compile ≤ 3× json.loads + grouping (S={ours.statements:,}) | {ours.compile_ms:,.1f} ms against "
        f"{base.compile_ms:,.1f} ms = {ratio:,.1f}× | {'yes' if ratio <= TARGET_RATIO else 'no'} |"
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the rows and the target."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compile_speed", description=__doc__)
    parser.add_argument("--size", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rows = compile_rows(Settings(seed=args.seed, repeats=args.repeats), size=args.size)
    for row in rows:
        print(f"{row.engine}: {row.compile_ms:,.1f} ms; {row.note}")
    print("| target | measured | met |\n|---|---|---|")
    print("\n".join(compile_targets(rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
