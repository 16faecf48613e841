"""Container credentials (§G.10; SDK reference, feature-container-credentials.html) and the admin API."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import boto3
import pytest

from iamsim import Credentials, Simulator
from iamsim._serve.clock import OffsetClock
from iamsim.errors import ExpiredTokenError, UsageError
from serve.conftest import EC2_TRUST, ECS_TRUST, Served, start_served


def _task_role(served: Served, trust: dict[str, object] = ECS_TRUST) -> dict[str, str]:
    served.client("iam").create_role(RoleName="TaskRole", AssumeRolePolicyDocument=json.dumps(trust))
    status, task = served.admin("POST", "containers", {"role_name": "TaskRole"})
    assert status == 200, task
    return dict(task)


def test_container_endpoint_checks_the_authorization_token_g10(served: Served) -> None:
    """§G.10: the endpoint answers only with the task's AWS_CONTAINER_AUTHORIZATION_TOKEN."""
    task = _task_role(served)
    path = f"/_iamsim/containers/{task['task_id']}"
    assert served.request("GET", path)[0] == 401
    assert served.request("GET", path, headers={"Authorization": "wrong"})[0] == 401
    assert served.request("GET", "/_iamsim/containers/unknown", headers={"Authorization": "x"})[0] == 404
    status, _, body = served.request("GET", path, headers={"Authorization": task["authorization_token"]})
    credentials = json.loads(body)
    assert status == 200
    assert set(credentials) == {"RoleArn", "AccessKeyId", "SecretAccessKey", "Token", "Expiration"}
    assert credentials["RoleArn"] == "arn:aws:iam::123456789012:role/TaskRole"


def test_task_role_must_trust_ecs_tasks_g10(served: Served) -> None:
    """§G.10, §G.1: a role that does not trust ecs-tasks.amazonaws.com gives AccessDenied, no credentials."""
    task = _task_role(served, EC2_TRUST)
    status, _, body = served.request(
        "GET", f"/_iamsim/containers/{task['task_id']}", headers={"Authorization": task["authorization_token"]}
    )
    assert status == 403
    assert json.loads(body)["code"] == "AccessDenied"


def test_boto3_container_provider_acts_as_the_task_role_g10(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    """§G.10: botocore's container provider reads FULL_URI and the token and signs as the task role's session."""
    task = _task_role(served)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", task["full_uri"])
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", task["authorization_token"])
    session = boto3.Session(region_name="us-east-1")
    assert session.get_credentials().method == "container-role"
    arn = session.client("sts", endpoint_url=served.url).get_caller_identity()["Arn"]
    assert arn == f"arn:aws:sts::123456789012:assumed-role/TaskRole/{task['task_id']}"


def test_admin_api_needs_the_token(served: Served) -> None:
    """The admin API refuses a request without the printed token (401), and names unknown endpoints (404)."""
    assert served.request("GET", "/_iamsim/admin/clock")[0] == 401
    assert served.request("GET", "/_iamsim/admin/clock", headers={"Authorization": "Bearer nope"})[0] == 401
    assert served.admin("GET", "no-such-endpoint")[0] == 404


def test_admin_clock_moves_forward_only(served: Served) -> None:
    """The admin clock advances and jumps ahead, never back (a clock moving back would revive sessions)."""
    before = served.clock.now()
    status, answer = served.admin("POST", "clock/advance", {"seconds": 7 * 3600})
    assert status == 200
    assert served.clock.now() - before >= timedelta(hours=7)
    assert answer["offset_seconds"] >= 7 * 3600
    assert served.admin("POST", "clock/advance", {"seconds": -1})[0] == 400
    assert served.admin("POST", "clock/set", {"time": "2001-01-01T00:00:00Z"})[0] == 400
    assert served.admin("POST", "clock/set", {"time": "not a time"})[0] == 400
    assert served.admin("POST", "clock/set", {"time": "2999-01-01T00:00:00Z"})[0] == 200
    assert served.clock.now().year == 2999


def test_admin_events_as_json_and_mermaid(served: Served) -> None:
    """The event log through the admin API, as JSON and as a Mermaid sequence diagram."""
    served.client("iam").create_user(UserName="alice")
    status, answer = served.admin("GET", "events")
    assert status == 200
    assert any(event["action"] == "CreateUser" and event["subject"] == "alice" for event in answer["events"])
    status, diagram = served.admin("GET", "events?format=mermaid")
    assert status == 200
    assert diagram.startswith("sequenceDiagram")
    assert served.admin("GET", "events?since=x")[0] == 400


def test_admin_snapshot_saves_the_state_file_atomically(served: Served) -> None:
    """POST snapshot writes --state (temporary file, then os.replace) and the file restores the world."""
    served.client("iam").create_user(UserName="bob")
    status, answer = served.admin("POST", "snapshot")
    assert status == 200
    saved = Path(answer["saved"])
    assert not list(saved.parent.glob("*.tmp*"))
    assert Simulator.restore(saved).get_user("bob").name == "bob"


def test_state_file_written_on_shutdown_holds_every_acknowledged_write(tmp_path: Path) -> None:
    """Stopping the server saves the world: every write the server acknowledged is in the file."""
    from serve.conftest import start_served

    running = start_served(tmp_path / "world.json")
    iam = running.client("iam")
    for index in range(20):
        iam.create_user(UserName=f"user{index}")
    running.server.stop()
    restored = Simulator.restore(tmp_path / "world.json")
    assert {user.name for user in restored.list_users()} == {f"user{index}" for index in range(20)}


def test_admin_snapshot_without_state_file_is_400() -> None:
    """A server started without --state has no file to save to: a clear 400."""
    from serve.conftest import start_served

    running = start_served(None)
    try:
        status, answer = running.admin("POST", "snapshot")
        assert status == 400
        assert "--state" in answer["message"]
    finally:
        running.server.stop()


def test_admin_credentials_for_users_roles_and_root(served: Served) -> None:
    """credential_process JSON (Version 1) for the root user, a user's key and a role the user assumes (§G.1)."""
    iam = served.client("iam")
    iam.create_user(UserName="carol")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:user/carol"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam.create_role(RoleName="Admin", AssumeRolePolicyDocument=json.dumps(trust))
    root = served.admin("POST", "credentials", {})[1]
    assert root["Version"] == 1
    assert "SessionToken" not in root
    user = served.admin("POST", "credentials", {"user_name": "carol"})[1]
    assert served.admin("POST", "credentials", {"user_name": "carol"})[1]["AccessKeyId"] == user["AccessKeyId"]
    arn = "arn:aws:iam::123456789012:role/Admin"
    role = served.admin("POST", "credentials", {"role_arn": arn, "user_name": "carol"})[1]
    assert {"Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"} <= set(role)
    status, denied = served.admin("POST", "credentials", {"role_arn": arn})
    assert (status, denied["code"]) == (403, "AccessDenied")  # no root user may assume a role
    assert served.admin("POST", "credentials", {"user_name": 5})[0] == 400


def test_a_restarted_server_resumes_its_simulated_clock_and_expired_sessions_stay_expired_g10(tmp_path: Path) -> None:
    """§G.9/§G.10: the state file keeps the simulated time; a restart never moves the world back.

    Without it the server would run on the wall clock again and a session that had expired
    before the stop would open once more.
    """
    running = start_served(tmp_path / "world.json")
    try:
        iam = running.client("iam")
        iam.create_user(UserName="ops")
        key = iam.create_access_key(UserName="ops")["AccessKey"]
        sts = boto3.Session(
            aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1"
        ).client("sts", endpoint_url=running.url)
        session = sts.get_session_token(DurationSeconds=900)["Credentials"]
        running.clock.advance(timedelta(hours=2))
        saved_at = running.clock.now()
    finally:
        running.server.stop()

    text = (tmp_path / "world.json").read_text()
    clock = OffsetClock()
    restored = Simulator.from_json(text, clock=clock)
    clock.resume(text)
    assert clock.now() >= saved_at
    with pytest.raises(ExpiredTokenError):
        restored.get_caller_identity(
            Credentials(session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"])
        )


def test_a_server_without_seed_has_root_keys_no_other_server_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server is not a test fixture: without ``--seed`` its ids and root keys are drawn afresh each start.

    Two servers started the same way must not hand out the same root keys (anyone who can reach
    one would otherwise act as root on the other without its admin token).
    """
    from click.testing import CliRunner

    import iamsim.cli.serve as serve_cli
    from iamsim.cli import cli

    started: list[Simulator] = []

    class NotListening:
        def __init__(self, simulator: Simulator, clock: OffsetClock, **_: object) -> None:
            started.append(simulator)
            self.url, self.admin_token = "http://127.0.0.1:1", "token"

        def serve_forever(self) -> None:
            raise KeyboardInterrupt

        def stop(self) -> None:
            """Nothing was started."""

    monkeypatch.setattr(serve_cli, "Server", NotListening)
    for _ in range(2):
        assert CliRunner().invoke(cli, ["serve"]).exit_code == 0
    first, second = (sim.root_credentials().access_key_id for sim in started)
    assert first != second


def test_a_state_file_with_a_damaged_clock_is_a_clear_error() -> None:
    """A state file whose saved time is not a time is the library's UsageError naming the key, not a traceback."""
    clock = OffsetClock()
    with pytest.raises(UsageError, match="serve_clock"):
        clock.resume('{"serve_clock": "yesterday"}')
    before = clock.now()
    clock.resume("{}")  # a snapshot written by the library itself has no clock: the wall clock stands
    assert clock.now() - before < timedelta(seconds=5)
