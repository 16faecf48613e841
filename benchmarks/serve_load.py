"""Load on ``iamsim serve`` over loopback: many clients, mixed calls, no error, no lost write (issue 14).

``python -m benchmarks.serve_load`` starts ``iamsim serve --state FILE`` in a child process
(so the clients in this process do not share its interpreter lock) and runs ``clients``
threads, each on its own keep-alive connections, that together make ``requests`` calls,
in turn:

* ``AssumeRole`` of a role by a user (botocore client, SigV4 checked by the server);
* an IAM write: ``CreateUser`` of a fresh name, or ``DeleteUser`` of the client's oldest
  once it keeps 100 (IAM allows 5,000 users per account);
* an IMDSv2 read of the instance's role credentials (``PUT`` token once, then ``GET``
  with it, as the SDKs do).

Every call must succeed. The server is then stopped with SIGTERM (as a user's Ctrl-C), and
the ``--state`` file it saved must hold every user whose ``CreateUser`` was acknowledged
and none whose ``DeleteUser`` was. For comparison the same ``AssumeRole`` and IAM write calls (moto has no per-instance
metadata service) run against moto's own server (``moto.server.ThreadedMotoServer``, in a
child process too), and against iamsim with that same two-call mix.

Latencies are client-side (signing, HTTP, server, parsing) per call; requests/s is calls
over the wall time of the whole run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["LoadResult", "main", "run_iamsim", "run_moto", "serve_rows"]

ACCOUNT = "123456789012"
ROLE = "LoadRole"
#: Users one client keeps before it deletes its oldest: 16 clients stay far below IAM's 5,000-user quota.
_LIVE_USERS = 100
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
    ],
}
_LOADER = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["sts:AssumeRole", "iam:CreateUser", "iam:DeleteUser"], "Resource": "*"}
    ],
}


@dataclass
class LoadResult:
    """One run: per-call latencies (ns), errors, wall time, and what the state file lost."""

    target: str
    mix: str
    clients: int
    latencies_ns: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    acknowledged_writes: int = 0
    lost_writes: list[str] = field(default_factory=list)

    @property
    def calls(self) -> int:
        """Calls answered successfully."""
        return len(self.latencies_ns)

    def percentile_ms(self, fraction: float) -> float:
        """The latency at ``fraction`` (0.5: the median), in milliseconds."""
        ordered = sorted(self.latencies_ns)
        return ordered[int(fraction * (len(ordered) - 1))] / 1e6 if ordered else float("nan")

    @property
    def per_second(self) -> float:
        """Successful calls per second of wall time."""
        return self.calls / self.wall_s if self.wall_s else 0.0

    def line(self) -> str:
        """One Markdown table row."""
        lost = "n/a (no state file)" if self.target == "moto" else str(len(self.lost_writes))
        return (
            f"| {self.target} | {self.mix} | {self.clients} | {self.calls:,} | {len(self.errors)} | {lost} "
            f"| {self.percentile_ms(0.5):.1f} | {self.percentile_ms(0.99):.1f} | {self.per_second:,.0f} |"
        )


HEADER = (
    "| server | mix | clients | calls | errors | lost writes | p50 ms | p99 ms | requests/s |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


# --------------------------------------------------------------------- servers


def _iamsim_command() -> list[str]:
    script = Path(sys.executable).parent / "iamsim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "iamsim.cli"]


def _start(command: Sequence[str], marker: str) -> tuple[subprocess.Popen[str], list[str]]:
    """A child process and its first stdout lines, up to and including the one containing ``marker``."""
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if marker in line:
            # Keep draining, so the child never blocks on a full pipe.
            threading.Thread(target=child.stdout.read, daemon=True).start()
            return child, lines
    child.kill()
    raise RuntimeError(f"{command[0]} did not start: {lines}")


def _admin(url: str, token: str, method: str, path: str, body: dict[str, Any]) -> Any:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        connection.request(method, f"/_iamsim/admin/{path}", json.dumps(body), headers)
        response = connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 200:
            raise RuntimeError(f"admin {path}: {answer}")
        return answer
    finally:
        connection.close()


def _session(key_id: str, secret: str, token: str | None = None) -> Any:
    import boto3

    return boto3.Session(
        aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token, region_name="us-east-1"
    )


def _world(url: str, admin: Any) -> tuple[str, str]:
    """The role, a user allowed to assume it; the user's key id and secret."""
    iam = admin.client("iam", endpoint_url=url)
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(_TRUST))
    iam.create_user(UserName="loader")
    iam.put_user_policy(UserName="loader", PolicyName="load", PolicyDocument=json.dumps(_LOADER))
    key = iam.create_access_key(UserName="loader")["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


# --------------------------------------------------------------------- clients


class _Client:
    """One load client: its own botocore clients and metadata connection."""

    def __init__(
        self, url: str, user: tuple[str, str], number: int, imds_path: str | None, live_users: int = _LIVE_USERS
    ) -> None:
        self.live_users = live_users
        session = _session(*user)
        self.iam = session.client("iam", endpoint_url=url)
        self.sts = session.client("sts", endpoint_url=url)
        self.number = number
        #: Users this client created and has not deleted, oldest first; and those it deleted.
        self.live: list[str] = []
        self.deleted: list[str] = []
        self._created = 0
        self.imds_path = imds_path
        parts = urlsplit(url)
        self._connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self._token = ""

    def assume(self) -> None:
        self.sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/{ROLE}", RoleSessionName=f"load-{self.number}")

    def write(self) -> None:
        """``CreateUser`` of a fresh name; ``DeleteUser`` of the oldest once this client keeps ``live_users``."""
        if len(self.live) >= self.live_users:
            name = self.live[0]
            self.iam.delete_user(UserName=name)
            self.live.pop(0)
            self.deleted.append(name)
        else:
            name = f"load-{self.number}-{self._created}"
            self._created += 1
            self.iam.create_user(UserName=name)
            self.live.append(name)

    def metadata(self) -> None:
        assert self.imds_path is not None
        if not self._token:
            self._token = self._http("PUT", "latest/api/token", {"X-aws-ec2-metadata-token-ttl-seconds": "21600"})
        path = f"latest/meta-data/iam/security-credentials/{ROLE}"
        credentials = json.loads(self._http("GET", path, {"X-aws-ec2-metadata-token": self._token}))
        if credentials.get("Code") != "Success":
            raise RuntimeError(f"metadata answered {credentials}")

    def _http(self, method: str, path: str, headers: dict[str, str]) -> str:
        self._connection.request(method, f"{self.imds_path}{path}", headers=headers)
        response = self._connection.getresponse()
        body = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status} {body}")
        return body


def _drive(clients: list[_Client], requests: int, with_metadata: bool, result: LoadResult) -> None:
    """Run ``requests`` calls spread over ``clients`` threads, recording latencies and errors."""
    lock = threading.Lock()

    def work(client: _Client, count: int) -> None:
        calls: list[Callable[[], None]] = [client.assume, client.write]
        if with_metadata:
            calls.append(client.metadata)
        latencies: list[int] = []
        errors: list[str] = []
        for index in range(count):
            call = calls[(index + client.number) % len(calls)]
            start = time.perf_counter_ns()
            try:
                call()
            except Exception as error:  # a load test counts failures; it does not stop at the first
                errors.append(f"{call.__name__}: {error}")
                continue
            latencies.append(time.perf_counter_ns() - start)
        with lock:
            result.latencies_ns.extend(latencies)
            result.errors.extend(errors)

    share, extra = divmod(requests, len(clients))
    threads = [
        threading.Thread(target=work, args=(client, share + (1 if index < extra else 0)))
        for index, client in enumerate(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall_s = time.perf_counter() - started
    result.acknowledged_writes = sum(client._created + len(client.deleted) for client in clients)


def run_iamsim(
    clients: int,
    requests: int,
    *,
    with_metadata: bool = True,
    state_dir: Path | None = None,
    threads: int = 16,
    live_users: int = _LIVE_USERS,
) -> LoadResult:
    """The load against ``iamsim serve --state`` in a child process; lost writes checked after SIGTERM."""
    from iamsim import Simulator

    mix = "AssumeRole + IAM writes + IMDSv2 reads" if with_metadata else "AssumeRole + IAM writes"
    result = LoadResult("iamsim serve", mix, clients)
    with tempfile.TemporaryDirectory(dir=state_dir) as directory:
        state = Path(directory) / "state.json"
        command = [*_iamsim_command(), "serve", "--port", "0", "--state", str(state), "--threads", str(threads)]
        child, lines = _start(command, "admin token:")
        try:
            url = next(line.split()[-1] for line in lines if "listening on" in line)
            token = next(line.split()[-1] for line in lines if line.startswith("admin token:"))
            root = _admin(url, token, "POST", "credentials", {})
            user = _world(url, _session(root["AccessKeyId"], root["SecretAccessKey"]))
            admin = _session(root["AccessKeyId"], root["SecretAccessKey"]).client("iam", endpoint_url=url)
            admin.create_instance_profile(InstanceProfileName=ROLE)
            admin.add_role_to_instance_profile(InstanceProfileName=ROLE, RoleName=ROLE)
            instance = _admin(url, token, "POST", "instances", {"instance_profile": ROLE})["instance_id"]
            imds = f"/_iamsim/imds/{instance}/"
            workers = [_Client(url, user, number, imds, live_users) for number in range(clients)]
            _drive(workers, requests, with_metadata, result)
        finally:
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=120)
        saved = {user.name for user in Simulator.restore(state).list_users()}
        result.lost_writes = [f"created {name}" for w in workers for name in w.live if name not in saved]
        result.lost_writes += [f"deleted {name}" for w in workers for name in w.deleted if name in saved]
    return result


_MOTO_CHILD = """
import sys, time
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print("moto listening on http://127.0.0.1:%d" % server._server.server_port, flush=True)
while True:
    time.sleep(3600)
"""


def run_moto(clients: int, requests: int) -> LoadResult:
    """The same AssumeRole and IAM write calls against moto's server in a child process."""
    result = LoadResult("moto ThreadedMotoServer", "AssumeRole + IAM writes", clients)
    child, lines = _start([sys.executable, "-c", _MOTO_CHILD], "moto listening on")
    try:
        url = lines[-1].split()[-1]
        fake = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        user = _world(url, _session(*fake))
        workers = [_Client(url, user, number, None) for number in range(clients)]
        _drive(workers, requests, False, result)
    finally:
        child.kill()
        child.wait(timeout=60)
    return result


def serve_rows(settings: Any) -> list[Any]:
    """The three loads as benchmark rows (``python -m benchmarks``): 16 clients, twice ``settings.requests`` calls."""
    from benchmarks.run import Row

    requests = 2 * settings.requests
    results = [run_iamsim(16, requests), run_iamsim(16, requests, with_metadata=False), run_moto(16, requests)]
    rows = []
    for result in results:
        median = result.percentile_ms(0.5) * 1e6
        note = f"16 clients over loopback; {len(result.errors)} errors"
        if result.target != "moto ThreadedMotoServer":
            note += f", {len(result.lost_writes)} of {result.acknowledged_writes} acknowledged writes lost"
        name = f"{result.target}: {result.mix}"
        p99 = result.percentile_ms(0.99) * 1e6
        rows.append(Row("serve load", 0, name, median, p99, result.per_second, timed=result.calls, note=note))
        settings.log(f"  {result.line()}")
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the three loads and print the table; exit status 1 on any error or lost write."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve_load", description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--no-moto", action="store_true", help="skip moto's server")
    args = parser.parse_args(argv)
    results = [run_iamsim(args.clients, args.requests), run_iamsim(args.clients, args.requests, with_metadata=False)]
    if not args.no_moto:
        results.append(run_moto(args.clients, args.requests))
    print(HEADER)
    for result in results:
        print(result.line())
    print(f"\nmachine: {os.cpu_count()} CPUs, load {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    failed = False
    for result in results:
        for error in result.errors[:5]:
            print(f"{result.target}: {error}", file=sys.stderr)
        if result.errors or result.lost_writes:
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
