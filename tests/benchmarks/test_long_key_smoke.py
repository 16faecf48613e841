"""Smoke test of ``python -m benchmarks.long_key`` (issue 11): it runs and decides as documented."""

from __future__ import annotations

from benchmarks.long_key import main, run


def test_long_key_benchmark_decides_each_case() -> None:
    """§B.2: the ten-``*`` pattern denies the near miss and allows the ``.csv`` key, in both evaluators."""
    rows = run(requests=10, repeats=1)
    decisions = {(row.engine, row.case): row.decision for row in rows}
    assert decisions == {
        ("compiled", "ten * near miss"): "implicitDeny",
        ("reference", "ten * near miss"): "implicitDeny",
        ("compiled", "ten * match"): "allowed",
        ("reference", "ten * match"): "allowed",
        ("compiled", "floor: bucket/*"): "allowed",
        ("reference", "floor: bucket/*"): "allowed",
    }
    assert all(row.p99_us >= row.median_us > 0 for row in rows)


def test_long_key_benchmark_command_prints_a_table(capsys) -> None:  # type: ignore[no-untyped-def]
    """The documented command runs alone."""
    assert main(["--requests", "5", "--repeats", "1"]) == 0
    assert "ten * near miss" in capsys.readouterr().out
