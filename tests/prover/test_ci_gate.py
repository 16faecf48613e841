"""examples/policy-tests/check/ci-gate.sh does what issue 15 asks of a CI gate (docs/dry-run.md, `iamsim check`).

The script's own command line is run: a change that grants new access fails
the gate (exit 2), and the witnesses it writes are a suite that fails while
the change stands. Spec §B.1 (actions) decides the new access.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from click.testing import CliRunner

from iamsim.cli import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "policy-tests"
GATE = EXAMPLE / "check" / "ci-gate.sh"


def _gate_arguments() -> list[str]:
    """The arguments the script gives ``iamsim`` (its one command, continuation lines joined)."""
    command = GATE.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line for line in command.splitlines() if line.strip().startswith("iamsim ")]
    assert len(lines) == 1, "the gate runs one iamsim command"
    return shlex.split(lines[0])[1:]


def test_the_gate_fails_a_change_granting_new_access_and_writes_a_failing_suite(tmp_path: Path) -> None:
    """Issue 15: exit 2 on new access; the witness suite it writes fails (exit 2) while the change stands."""
    arguments = _gate_arguments()
    written = arguments[arguments.index("--witnesses") + 1]
    arguments[arguments.index("--witnesses") + 1] = str(tmp_path / "witnesses.yaml")
    # The script's answer in 0.4 s on a quiet machine; a cold process on a loaded one needs more than the default.
    arguments += ["--budget", "60"]
    runner = CliRunner()
    cwd = Path.cwd()
    os.chdir(EXAMPLE)
    try:
        gate = runner.invoke(cli, arguments)
        assert written == "check/new-access-witnesses.yaml"
        assert gate.exit_code == 2, gate.output
        assert "FAIL" in gate.output
        suite = tmp_path / "witnesses.yaml"
        assert suite.is_file()
        regression = runner.invoke(cli, ["test", str(suite)])
        assert regression.exit_code == 2, regression.output
        assert "FAIL" in regression.output
    finally:
        os.chdir(cwd)


def test_the_gate_runs_from_any_directory(tmp_path: Path) -> None:
    """The script's relative paths are the example's: run from elsewhere (as CI does), it still finds them.

    A stand-in ``iamsim`` on PATH records the directory it was started in, so the
    test does not depend on the prover's speed.
    """
    fake = tmp_path / "bin" / "iamsim"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\npwd > "$IAMSIM_GATE_CWD"\n', encoding="utf-8")
    fake.chmod(0o755)
    record = tmp_path / "cwd.txt"
    environment = {
        **os.environ,
        "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}",
        "IAMSIM_GATE_CWD": str(record),
    }
    finished = subprocess.run(["sh", str(GATE)], cwd=tmp_path, env=environment, check=False)
    assert finished.returncode == 0
    assert Path(record.read_text(encoding="utf-8").strip()).resolve() == EXAMPLE
