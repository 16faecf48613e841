"""Commands that drive a running ``iamsim serve`` through its admin API.

``iamsim clock`` (show, advance, set), ``iamsim events``, ``iamsim snapshot``,
``iamsim instance`` (run, set-profile, terminate) and ``iamsim task`` (register).
"""

from __future__ import annotations

import re
from typing import Any

import click

from iamsim.cli.exit_codes import InvalidUsage
from iamsim.cli.output import echo_json
from iamsim.cli.remote import AdminClient, server_options

__all__ = [
    "clock_group",
    "events_command",
    "instance_group",
    "parse_duration",
    "snapshot_command",
    "task_group",
]

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"(?:[0-9]+[dhms])+", re.ASCII)
_PART = re.compile(r"([0-9]+)([dhms])", re.ASCII)


def parse_duration(text: str) -> int:
    """Seconds in ``7h``, ``90m``, ``1h30m``, ``2d`` or a plain number of seconds."""
    cleaned = text.strip().lower()
    if cleaned.isascii() and cleaned.isdigit():
        return int(cleaned)
    if not _DURATION.fullmatch(cleaned):
        raise InvalidUsage(f"not a duration: {text!r} (examples: 7h, 90m, 1h30m, 2d, 3600)")
    return sum(int(amount) * _UNITS[unit] for amount, unit in _PART.findall(cleaned))


def _show(data: Any, output_format: str, text: str) -> None:
    if output_format == "json":
        echo_json(data)
    else:
        click.echo(text)


_format = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="Output format; use json for machines.",
)  # fmt: skip


@click.group("clock")
def clock_group() -> None:
    """Read or move the clock of a running server (credentials expire on it)."""


@clock_group.command("show")
@server_options
@_format
def clock_show(url: str, token: str, output_format: str) -> None:
    """Print the server's current time."""
    answer = AdminClient(url, token).get("clock")
    _show(answer, output_format, answer["now"])


@clock_group.command("advance")
@click.argument("duration")
@server_options
@_format
def clock_advance(duration: str, url: str, token: str, output_format: str) -> None:
    """Move the clock DURATION ahead (7h, 90m, 1h30m, 2d or seconds).

    Credentials handed to SDKs carry their expiry on the client's wall clock, so an SDK
    sees them expired after an advance past their end and fetches new ones by itself.
    """
    answer = AdminClient(url, token).post("clock/advance", {"seconds": parse_duration(duration)})
    _show(answer, output_format, answer["now"])


@clock_group.command("set")
@click.argument("time")
@server_options
@_format
def clock_set(time: str, url: str, token: str, output_format: str) -> None:
    """Jump the clock ahead to TIME (ISO 8601, later than `iamsim clock show`); it never moves back."""
    answer = AdminClient(url, token).post("clock/set", {"time": time})
    _show(answer, output_format, answer["now"])


@click.command("events")
@server_options
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "mermaid"]), default="text",
    show_default=True, help="text, json, or a Mermaid sequence diagram.",
)  # fmt: skip
@click.option("--since", type=click.IntRange(0), default=0, help="Only events numbered above this.")
def events_command(url: str, token: str, output_format: str, since: int) -> None:
    """Print a running server's event log: every call and decision, in order."""
    client = AdminClient(url, token)
    if output_format == "mermaid":
        click.echo(client.get(f"events?format=mermaid&since={since}"), nl=False)
        return
    answer = client.get(f"events?since={since}")
    if output_format == "json":
        echo_json(answer)
        return
    for event in answer["events"]:
        subject = f" {event['subject']}" if event["subject"] else ""
        click.echo(
            f"{event['seq']:>5} {event['time']} {event['actor']} -> {event['target']}: "
            f"{event['action']}{subject} [{event['outcome']}]"
        )


@click.command("snapshot")
@server_options
@_format
def snapshot_command(url: str, token: str, output_format: str) -> None:
    """Save a running server's world to its --state file now (atomically)."""
    answer = AdminClient(url, token).post("snapshot")
    _show(answer, output_format, f"saved to {answer['saved']}")


@click.group("instance")
def instance_group() -> None:
    """Launch simulated EC2 instances on a running server and manage their instance profiles."""


def _instance_text(answer: dict[str, Any]) -> str:
    return (
        f"{answer['instance_id']} (profile {answer['instance_profile'] or 'none'})\n"
        f"export AWS_EC2_METADATA_SERVICE_ENDPOINT={answer['metadata_endpoint']}"
    )


@instance_group.command("run")
@click.option("--instance-profile", help="The instance profile (by name) to launch the instance with.")
@click.option("--account-id", help="The account to launch in (default: the server's default account).")
@server_options
@_format
def instance_run(
    instance_profile: str | None, account_id: str | None, url: str, token: str, output_format: str
) -> None:
    """Launch an instance (EC2 RunInstances) and print its id and metadata endpoint."""
    body = {"instance_profile": instance_profile, "account_id": account_id}
    answer = AdminClient(url, token).post("instances", {k: v for k, v in body.items() if v is not None})
    _show(answer, output_format, _instance_text(answer))


@instance_group.command("set-profile")
@click.argument("instance_id")
@click.argument("instance_profile")
@server_options
@_format
def instance_set_profile(instance_id: str, instance_profile: str, url: str, token: str, output_format: str) -> None:
    """Associate INSTANCE_PROFILE with INSTANCE_ID, replacing its profile if it has one ("Modify IAM role")."""
    answer = AdminClient(url, token).post(f"instances/{instance_id}/profile", {"instance_profile": instance_profile})
    _show(answer, output_format, _instance_text(answer))


@instance_group.command("terminate")
@click.argument("instance_id")
@server_options
@_format
def instance_terminate(instance_id: str, url: str, token: str, output_format: str) -> None:
    """Terminate INSTANCE_ID (its metadata service stops answering)."""
    answer = AdminClient(url, token).delete(f"instances/{instance_id}")
    _show(answer, output_format, f"{instance_id} terminated")


@click.group("task")
def task_group() -> None:
    """Container tasks with a task role, served by the container credentials endpoint."""


@task_group.command("register")
@click.option(
    "--role", "role_name", required=True, help="The task role (by name); it must trust ecs-tasks.amazonaws.com."
)
@click.option("--account-id", help="The role's account (default: the server's default account).")
@server_options
@_format
def task_register(role_name: str, account_id: str | None, url: str, token: str, output_format: str) -> None:
    """Register a task and print the exports its code needs to get the role's credentials."""
    body = {"role_name": role_name, **({"account_id": account_id} if account_id else {})}
    answer = AdminClient(url, token).post("containers", body)
    text = (
        f"export AWS_CONTAINER_CREDENTIALS_FULL_URI={answer['full_uri']}\n"
        f"export AWS_CONTAINER_AUTHORIZATION_TOKEN={answer['authorization_token']}"
    )
    _show(answer, output_format, text)
