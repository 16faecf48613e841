"""A seconds-long run of the benchmark harness, so it cannot rot (issue 7). No timing is asserted.

The agreement checks it exercises are the harness's guard on §F.1 (the
evaluation order): the fast path, memo and cold path must reproduce the
reference evaluator's result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from benchmarks.agreement import AgreementError, check_fast_path
from benchmarks.engines import IAMSIM, REFERENCE, parse_workload
from benchmarks.report import render_markdown, write_json
from benchmarks.run import Settings, run_case
from benchmarks.workload import make_workload


def _quiet(_line: str) -> None:
    return None


def test_workload_is_deterministic_per_seed() -> None:
    """The same seed gives the same documents and requests; another seed does not."""
    first = make_workload(20, 50, seed=3)
    again = make_workload(20, 50, seed=3)
    other = make_workload(20, 50, seed=4)
    assert first.documents == again.documents
    assert first.requests == again.requests
    assert first.documents != other.documents


def test_workload_has_every_action_shape() -> None:
    """Exact, prefix-wildcard, service-wildcard and ``*`` actions all occur, and some Denies and conditions."""
    workload = make_workload(400, 10, seed=7)
    statements = [s for document in workload.documents for s in document["Statement"]]
    actions = [s["Action"] for s in statements]
    assert "*" in actions
    assert any(a.endswith(":*") for a in actions)
    assert any(a.endswith("*") and not a.endswith(":*") and a != "*" for a in actions)
    assert any("*" not in a for a in actions)
    assert any(s["Effect"] == "Deny" for s in statements)
    assert any("Condition" in s for s in statements)


def test_smoke_run_agrees_and_reports(tmp_path: Path) -> None:
    """A tiny case runs end to end: rows for every engine, a mix, the reference check, JSON and Markdown."""
    settings = Settings(
        sizes=(10,), requests=60, repeats=1, budget_s=0.05, reference_budget_s=0.5, cold_sample=20, log=_quiet
    )
    workload = make_workload(10, 60, seed=11)
    case = run_case(workload, settings, 0.0, ("iamsim", "lean", "cold", "moto"))
    engines = {row.engine for row in case.rows}
    assert {"iamsim", "iamsim is_allowed", "iamsim cold", "moto"} <= engines
    assert case.fast_path is not None
    assert case.fast_path.checked > 0
    assert abs(sum(case.mix.values()) - 1.0) < 1e-9
    assert case.peers["moto"].compared > 0
    markdown = render_markdown(
        [case],
        [],
        {
            "seed": 11,
            "requests": 60,
            "repeats": 1,
            "python": "3",
            "machine": "m",
            "clock_overhead_ns": 0.0,
            "load": "0",
        },
    )
    assert "| mix | 10 | iamsim |" in markdown
    write_json(tmp_path / "latest.json", [case], [], {"seed": 11})
    record = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert record["cases"][0]["statements"] == 10


def test_without_a_reference_budget_every_request_is_checked() -> None:
    """The default run checks the fast path against the reference on every request of the workload."""
    settings = Settings(sizes=(10,), requests=40, repeats=1, budget_s=0.05, cold_sample=10, log=_quiet)
    assert settings.reference_budget_s is None
    case = run_case(make_workload(10, 40, seed=3), settings, 0.0, ("iamsim",))
    assert case.fast_path is not None
    assert (case.fast_path.checked, case.fast_path.total) == (40, 40)


def test_disagreement_with_the_reference_fails_loudly() -> None:
    """A reference that answers differently stops the run with :class:`AgreementError`."""
    workload = make_workload(10, 20, seed=5)
    workload.notes["parsed"] = parse_workload(workload)
    compiled = IAMSIM.compile(workload)
    requests = IAMSIM.prepare(workload, compiled).requests
    reference = REFERENCE.prepare(workload, REFERENCE.compile(workload))

    def wrong(request: Any) -> Any:
        result = reference.decide(request)
        return type(result)(result.decision, request, (), result.denied_by, ("aws:bogus",))

    with pytest.raises(AgreementError, match="disagrees"):
        check_fast_path(compiled, wrong, requests, range(len(requests)))


def test_boto3_rows_measure_the_hook_and_the_stubber_floor() -> None:
    """The boto3 rows run AssumeRole through iamsim's hook and through botocore's Stubber (§G.1); no timing asserted."""
    from benchmarks.hook_speed import hook_rows, hook_targets

    rows = hook_rows(Settings(sizes=(10,), requests=60, repeats=1, log=_quiet))
    assert [row.engine for row in rows] == ["AssumeRole via boto3 hook", "botocore Stubber"]
    assert all(row.timed > 0 and row.per_second for row in rows)
    # The split: iamsim's handlers took some of the call's CPU time, the AssumeRole operation part of that.
    hook = rows[0]
    assert hook.on_top_ns is not None
    assert hook.cpu_ns is not None
    assert 0 < hook.on_top_ns < hook.cpu_ns
    assert len(hook_targets(rows)) == 1


def test_sts_rows_time_assume_role_in_process() -> None:
    """The AssumeRole row issues real sessions (§G.1); no timing asserted."""
    from benchmarks.sts_speed import sts_rows, sts_targets

    rows = sts_rows(Settings(sizes=(10,), repeats=1, log=_quiet), count=50)
    assert [row.engine for row in rows] == ["AssumeRole"]
    assert rows[0].per_second
    assert rows[0].cpu_ns
    assert len(sts_targets(rows)) == 1


def test_compile_rows_read_text_and_split_parse_from_compile() -> None:
    """The compile rows parse every document (§A.1) and compile the set; no timing asserted."""
    from benchmarks.compile_speed import compile_rows, compile_targets

    rows = compile_rows(Settings(sizes=(10,), repeats=1, log=_quiet), size=30)
    assert [row.engine for row in rows] == ["parse + compile (iamsim)", "json.loads + grouping"]
    assert all(row.compile_ms for row in rows)
    assert "parsing alone" in rows[0].note
    assert len(compile_targets(rows)) == 1
