"""``iamsim walkthrough --live``: the seed tutorial's commands run with the real AWS CLI on a temporary server.

The narration (:mod:`iamsim._walkthrough`) plays the tutorial in its own simulated
account; beside each step, :class:`LivePlay` runs that step's commands, unchanged apart
from environment variables, with the installed AWS CLI against a temporary ``iamsim serve``
on a free loopback port, and hands back what the CLI printed. Two shells are modelled as
environments: the administrator's (the account's root keys, ``AWS_ENDPOINT_URL``) and the
instance's (no keys, only ``AWS_EC2_METADATA_SERVICE_ENDPOINT``, so the CLI fetches the
role's credentials through IMDSv2 as on EC2).

iamsim serves no EC2 API, so the instance is launched as ``iamsim instance run`` does
(the simulator's ``ec2.run_instance``); the bucket and its log object, which the tutorial
takes as given, are made by the administrator's CLI before the first step. EC2's own
``AssumeRole`` (step 6) happens when the instance first asks the metadata service.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from iamsim._serve.clock import OffsetClock
from iamsim._serve.server import Server
from iamsim._simulator import Simulator
from iamsim.errors import UsageError

__all__ = ["LivePlay", "LiveRun", "find_aws_cli"]

ROLE = "S3AccessRole"
BUCKET = "company1-logs"
LOG_KEY = "app/2026-01-01.log"
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
#: How far the clock moves at the expiry step: past the six-hour life of instance credentials.
EXPIRY_ADVANCE = timedelta(hours=7)
NO_AWS_CLI = (
    "--live runs the tutorial with the real AWS CLI, and no `aws` command was found on PATH"
    " (or beside this Python). Install it (`pip install awscli`, part of iamsim's dev extra) or run"
    " `iamsim walkthrough` without --live."
)


def find_aws_cli() -> str | None:
    """The AWS CLI beside this Python (a virtual environment's) or on ``PATH``; ``None`` when absent."""
    return shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")


@dataclass(frozen=True, slots=True)
class LiveRun:
    """One command as typed and what it printed (``status`` 0: success)."""

    command: str
    status: int
    output: str


class LivePlay:
    """A temporary server and the two shells; :meth:`step` runs one narrated step's commands."""

    def __init__(self, aws: str) -> None:
        self.aws = aws
        self._directory = tempfile.TemporaryDirectory(prefix="iamsim-live-")
        self.cwd = Path(self._directory.name)
        self.clock = OffsetClock()
        self.simulator = Simulator(clock=self.clock)
        self.server = Server(self.simulator, self.clock, port=0).start()
        root = self.simulator.root_credentials()
        base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        base |= {
            "AWS_CONFIG_FILE": str(self.cwd / "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.cwd / "no-credentials"),
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.server.url,
            "AWS_PAGER": "",
        }
        self.admin = base | {"AWS_ACCESS_KEY_ID": root.access_key_id, "AWS_SECRET_ACCESS_KEY": root.secret_access_key}
        self.instance_env = dict(base)
        self.instance_id = ""
        self._old_credentials: dict[str, str] = {}
        self._steps: dict[str, Callable[[], list[LiveRun]]] = {
            "trust-policy": self._trust_policy,
            "create-role": lambda: [self._aws(self.admin, "iam", "create-role", "--role-name", ROLE,
                                              "--assume-role-policy-document", "file://trust-policy.json")],
            "attach-policy": lambda: [self._aws(self.admin, "iam", "attach-role-policy", "--role-name", ROLE,
                                                "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")],
            "instance-profile": lambda: [
                self._aws(self.admin, "iam", "create-instance-profile", "--instance-profile-name", ROLE),
                self._aws(self.admin, "iam", "add-role-to-instance-profile", "--instance-profile-name", ROLE,
                          "--role-name", ROLE),
            ],
            "launch-instance": self._launch,
            "ec2-assumes-role": list,
            "credentials": lambda: [self._metadata(keep=True)],
            "caller-identity": lambda: [self._aws(self.instance_env, "sts", "get-caller-identity")],
            "list-bucket": lambda: [self._aws(self.instance_env, "s3", "ls", f"s3://{BUCKET}")],
            "read-object": lambda: [self._aws(self.instance_env, "s3", "cp", f"s3://{BUCKET}/{LOG_KEY}", "-")],
            "write-object": self._write,
            "expire": self._expire,
            "refresh": lambda: [self._metadata(), self._aws(self.instance_env, "sts", "get-caller-identity")],
        }  # fmt: skip

    def setup(self) -> list[LiveRun]:
        """What the tutorial takes as given: the bucket and one log object, made by the administrator."""
        (self.cwd / "app.log").write_text("2026-01-01T00:00:00Z app started\n", encoding="utf-8")
        return [
            self._aws(self.admin, "s3api", "create-bucket", "--bucket", BUCKET),
            self._aws(self.admin, "s3api", "put-object", "--bucket", BUCKET, "--key", LOG_KEY, "--body", "app.log"),
        ]

    def step(self, key: str) -> list[LiveRun]:
        """Run the commands of the narrated step ``key`` (``[]`` for a step with no live counterpart)."""
        runner = self._steps.get(key)
        if runner is None:
            raise UsageError(f"--live has no commands for the walkthrough step {key!r}")
        return runner()

    def close(self) -> None:
        """Stop the server and remove the temporary directory."""
        self.server.stop()
        self._directory.cleanup()

    def __enter__(self) -> LivePlay:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ----------------------------------------------------------------- steps

    def _aws(self, env: dict[str, str], *args: str) -> LiveRun:
        done = subprocess.run(
            [self.aws, *args], env=env, cwd=self.cwd, capture_output=True, text=True, timeout=120, check=False
        )
        output = (done.stdout + done.stderr).strip()
        return LiveRun("aws " + " ".join(args), done.returncode, output)

    def _trust_policy(self) -> list[LiveRun]:
        text = json.dumps(_TRUST, indent=2)
        (self.cwd / "trust-policy.json").write_text(text, encoding="utf-8")
        return [LiveRun("cat trust-policy.json", 0, text)]

    def _launch(self) -> list[LiveRun]:
        self.instance_id = self.simulator.ec2.run_instance(instance_profile=ROLE)
        self.instance_env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = self.server.metadata_endpoint(self.instance_id)
        command = f"iamsim instance run --instance-profile {ROLE}   # iamsim serves no EC2 API"
        return [LiveRun(command, 0, self.instance_id)]

    def _metadata(self, *, keep: bool = False) -> LiveRun:
        """IMDSv2 as the SDK (or curl) does it: a token by PUT, then the role's credentials with it."""
        parts = urlsplit(self.server.metadata_endpoint(self.instance_id))
        base = parts.path
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        try:
            ttl = {"X-aws-ec2-metadata-token-ttl-seconds": "21600"}
            connection.request("PUT", f"{base}latest/api/token", headers=ttl)
            token = connection.getresponse().read().decode()
            path = f"latest/meta-data/iam/security-credentials/{ROLE}"
            connection.request("GET", base + path, headers={"X-aws-ec2-metadata-token": token})
            answer = connection.getresponse()
            status, body = answer.status, answer.read().decode()
        finally:
            connection.close()
        if keep and status == 200:
            credentials = json.loads(body)
            self._old_credentials = {
                "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
                "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
                "AWS_SESSION_TOKEN": credentials["Token"],
            }
        # The requests just made, as a shell on the instance would make them (the endpoint is in its environment).
        endpoint = '"$AWS_EC2_METADATA_SERVICE_ENDPOINT"'
        command = (
            f'TOKEN=$(curl -s -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 21600" {endpoint}latest/api/token); '
            f'curl -s -H "X-aws-ec2-metadata-token: $TOKEN" {endpoint}{path}'
        )
        return LiveRun(command, 0 if status == 200 else 1, body)

    def _write(self) -> list[LiveRun]:
        (self.cwd / "report.txt").write_text("daily report\n", encoding="utf-8")
        return [self._aws(self.instance_env, "s3", "cp", "report.txt", f"s3://{BUCKET}/report.txt")]

    def _expire(self) -> list[LiveRun]:
        # Through the admin API, as `iamsim clock advance 7h` does; its answer is what that command prints.
        parts = urlsplit(self.server.url)
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        try:
            body = json.dumps({"seconds": int(EXPIRY_ADVANCE.total_seconds())})
            headers = {"Authorization": f"Bearer {self.server.admin_token}", "Content-Type": "application/json"}
            connection.request("POST", "/_iamsim/admin/clock/advance", body=body, headers=headers)
            answer = connection.getresponse()
            status, now = answer.status, json.loads(answer.read()).get("now", "")
        finally:
            connection.close()
        advanced = LiveRun("iamsim clock advance 7h", 0 if status == 200 else 1, str(now))
        with_old = self.instance_env | self._old_credentials
        return [advanced, self._aws(with_old, "sts", "get-caller-identity")]
