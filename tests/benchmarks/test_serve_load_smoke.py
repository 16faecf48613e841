"""Smoke test of ``benchmarks/serve_load.py`` (issue 14): a small load on ``iamsim serve``, no timing assertion."""

from __future__ import annotations

from pathlib import Path

from benchmarks.serve_load import run_iamsim


def test_small_load_has_no_error_and_no_lost_write(tmp_path: Path) -> None:
    """4 clients, 150 calls (AssumeRole, CreateUser/DeleteUser, IMDSv2 reads): all answered, every write saved."""
    result = run_iamsim(4, 150, state_dir=tmp_path, live_users=5)
    assert result.errors == []
    assert result.calls == 150
    assert result.acknowledged_writes == 50  # past 5 users a client deletes its oldest
    assert result.lost_writes == []
