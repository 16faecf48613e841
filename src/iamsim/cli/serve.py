"""``iamsim serve``: the simulator over HTTP for the AWS CLI, SDKs and unmodified applications."""

from __future__ import annotations

import secrets
import signal
from pathlib import Path
from typing import Any

import click

from iamsim._serve import OffsetClock, Server
from iamsim._simulator import Simulator
from iamsim._simulator.snapshot import read_snapshot

__all__ = ["serve_command"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=4566, show_default=True, help="Port; 0 picks a free one."
)
@click.option(
    "--world",
    "world_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start from this world file (YAML or JSON) instead of an empty world.",
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Load the world from this snapshot if it exists; save it there atomically on shutdown and on request.",
)
@click.option("--seed", type=int, help="Fix ids and the session-token key (reproducible, forgeable: tests only).")
@click.option("--token", "admin_token", help="The admin token (default: a random one, printed at start).")
@click.option("--imds-v1", is_flag=True, help="Also answer metadata reads without an IMDSv2 token.")
@click.option("--threads", type=click.IntRange(1, 256), default=8, show_default=True, help="Worker threads.")
@click.option(
    "--allow-unmapped",
    is_flag=True,
    help="Forward calls to operations iamsim has no authorization mapping for (each one logged); refused by default.",
)
def serve_command(
    host: str,
    port: int,
    world_file: Path | None,
    state_file: Path | None,
    seed: int | None,
    admin_token: str | None,
    imds_v1: bool,
    threads: int,
    allow_unmapped: bool,
) -> None:
    """Serve IAM, STS, instance metadata (IMDSv2) and container credentials over HTTP.

    \b
    Examples:
      iamsim serve                              # empty world on http://127.0.0.1:4566
      iamsim serve --port 0 --state world.json  # a free port; the world kept in world.json
      eval "$(iamsim env --url URL --token TOKEN)"   # in another shell

    Stop with Ctrl-C (or SIGTERM): the state file, if any, is saved first.
    """
    clock = OffsetClock()
    # A server is not a test fixture: without --seed its ids and root keys are drawn afresh, so
    # no other local process can predict the keys of a server it did not start.
    seed = secrets.randbits(64) if seed is None else seed
    if state_file is not None and state_file.exists():
        text = read_snapshot(state_file)
        simulator = Simulator.from_json(text, clock=clock)
        clock.resume(text)
    elif world_file is not None:
        simulator = Simulator.from_world_file(world_file, seed=seed, clock=clock)
    else:
        simulator = Simulator(seed=seed, clock=clock)
    server = Server(
        simulator, clock, host=host, port=port, admin_token=admin_token, state_path=state_file,
        imds_v1=imds_v1, threads=threads, allow_unmapped=allow_unmapped,
    )  # fmt: skip
    click.echo(f"iamsim serve: listening on {server.url}")
    click.echo(f"admin token: {server.admin_token}")
    click.echo(f'in another shell: eval "$(iamsim env --url {server.url} --token {server.admin_token})"', nl=True)

    def interrupt(_signum: int, _frame: Any) -> None:
        # Leave waitress's loop the way Ctrl-C does; the server is stopped (and saved) below.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    if state_file is not None:
        click.echo(f"world saved to {state_file}")
