"""examples/seed_scenarios_boto3.py, the seed tutorial through real boto3 clients, runs and asserts its outcomes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seed_scenarios_boto3.py"


def test_seed_scenarios_boto3_example_runs_G6_G9() -> None:
    """§G.6/§G.9: the assumed-role identity, AWS's AccessDenied for an untrusted user and ExpiredToken all hold.

    Run as a user would (a fresh interpreter), so no pytest plugin or fixture helps it along;
    the script asserts every outcome itself and exits non-zero on the first difference.
    """
    completed = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    assert "instance identity: arn:aws:sts::123456789012:assumed-role/S3AccessRole/i-" in out
    assert "assume_role refused as expected: User: arn:aws:iam::123456789012:user/intern is not authorized" in out
    assert "expired as expected: The security token included in the request is expired" in out
    assert out.rstrip().endswith("both scenarios behave as in AWS, through boto3")
