"""Run moto's own IAM and STS tests with iamsim's HTTP server answering IAM and STS.

moto's tests have a server mode: with ``TEST_SERVER_MODE=true`` every boto3 client they make
points at ``TEST_SERVER_MODE_ENDPOINT``, and each ``mock_aws`` start asks that server to reset
(``POST /moto-api/reset``). This script answers them with iamsim's server (the ``Server`` that
``iamsim serve`` runs, forwarding the other services to moto as ``iamsim serve`` does):

* the tests come from the sdist of the locked moto version (``pip download``; not part of
  ``make test``, because it downloads);
* each reset of moto's server mode becomes a fresh world: a new simulator served on the same port
  (the reset endpoint is moto's, not AWS's, so it is honoured here rather than in the server);
* moto signs with ``FOOBARKEY``, a key AWS never issued; here the tests sign with the fresh world's
  root credentials instead, so every call is authenticated as AWS authenticates it.

The summary counts passes and failures per test file and groups the failures by their first error
line; ``--junit`` keeps pytest's XML report. Usage::

    .venv/bin/python scripts/run_moto_suite.py                 # download, run, print the summary
    .venv/bin/python scripts/run_moto_suite.py --tests DIR     # an unpacked moto sdist already here
    .venv/bin/python scripts/run_moto_suite.py -- -k assume    # extra pytest arguments
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUITES = ("tests/test_iam", "tests/test_sts")
PORT_ENV = "IAMSIM_MOTO_SUITE_PORT"


def locked_moto_version() -> str:
    """The moto version ``constraints.txt`` pins."""
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.startswith("moto=="):
            return line.split("==", 1)[1].strip()
    raise SystemExit("constraints.txt pins no moto version")


def fetch_sdist(version: str, into: Path) -> Path:
    """Download and unpack moto's sdist (which carries its tests); the unpacked directory."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-binary",
            ":all:",
            "--no-deps",
            f"moto=={version}",
            "-d",
            str(into),
        ],
        check=True,
    )
    archive = into / f"moto-{version}.tar.gz"
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(f"moto-{version}/tests/")]
        tar.extractall(into, members=members, filter="data")
    return into / f"moto-{version}"


def run_suite(source: Path, port: int, junit: Path, extra: list[str]) -> int:
    """Run moto's IAM and STS tests from ``source`` against iamsim; pytest's exit code."""
    env = dict(os.environ)
    env.update(
        TEST_SERVER_MODE="true",
        TEST_SERVER_MODE_ENDPOINT=f"http://127.0.0.1:{port}",
        PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parent), str(source)]),
        **{PORT_ENV: str(port)},
    )
    # moto's tests import ``moto`` from the installed, locked version; only its test tree is used.
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "moto_suite_plugin"]
    paths = [] if any(not arg.startswith("-") for arg in extra) else list(SUITES)
    command += ["-p", "no:iamsim", f"--junitxml={junit}", "--rootdir", str(source), *paths, *extra]
    return subprocess.run(command, cwd=source, env=env, check=False).returncode


def summarize(junit: Path) -> str:
    """The result table (per file) and the failures grouped by their first error line."""
    per_file: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    for case in ET.parse(junit).iter("testcase"):
        parts = (case.get("classname") or "?").split(".")
        if parts[-1].startswith("Test"):  # a test class: the module is the rest
            parts = parts[:-1]
        file = "/".join(parts) + ".py"
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed"
                reasons[_first_line(child.get("message") or child.text or "")] += 1
            elif child.tag == "skipped":
                outcome = "skipped"
        per_file[file][outcome] += 1
    lines = ["| file | passed | failed | skipped |", "|---|---:|---:|---:|"]
    total: Counter[str] = Counter()
    for file in sorted(per_file):
        counts = per_file[file]
        total.update(counts)
        lines.append(f"| `{file}` | {counts['passed']} | {counts['failed']} | {counts['skipped']} |")
    lines.append(f"| **total** | {total['passed']} | {total['failed']} | {total['skipped']} |")
    lines += ["", "Failures by first error line:", ""]
    lines += [f"{count:4d}  {reason}" for reason, count in reasons.most_common()]
    return "\n".join(lines)


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "(no message)"
    # Request ids and generated names differ on every run; the grouping should not.
    return re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|[A-Z0-9]{21}", "<id>", line)[:160]


def main() -> int:
    """Parse the arguments, run the suite, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tests", type=Path, help="an unpacked moto sdist (default: download the locked version)")
    parser.add_argument("--port", type=int, default=5123, help="the port iamsim listens on (default 5123)")
    parser.add_argument("--junit", type=Path, help="keep pytest's JUnit XML here")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="iamsim-moto-") as tmp:
        source = args.tests or fetch_sdist(locked_moto_version(), Path(tmp))
        junit = args.junit or Path(tmp) / "junit.xml"
        code = run_suite(source.resolve(), args.port, junit.resolve(), args.pytest_args)
        if not junit.exists():
            return code or 1
        print(summarize(junit))
    return 0 if code in (0, 1) else code


if __name__ == "__main__":
    raise SystemExit(main())
