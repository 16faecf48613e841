"""``iamsim walkthrough``: the seed tutorial played in a simulated account, narrated step by step."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from iamsim._serve import live as live_play
from iamsim._walkthrough import (
    DEFAULT_SCENARIO,
    SCENARIOS,
    VARIATION_NAMES,
    WalkthroughRun,
    render_closing,
    render_heading,
    render_step,
    walkthrough_json,
)
from iamsim.cli.options import format_option
from iamsim.cli.output import echo_json

__all__ = ["walkthrough_command"]

EXAMPLES = """
\b
Examples:
  iamsim walkthrough
  iamsim walkthrough --scenario company1-logs --step
  iamsim walkthrough --variation boundary-deny
  iamsim walkthrough --format json > steps.json
  iamsim walkthrough --diagram flow.mmd
  iamsim walkthrough --live      # the real AWS CLI against a temporary iamsim serve

\b
Exit codes: 0 the walkthrough ran to the end (its denials are part of the story),
1 tool failure, 3 invalid input.
"""

_STYLES: dict[str, Callable[[str], str]] = {
    "title": lambda text: click.style(text, fg="cyan", bold=True),
    "heading": lambda text: click.style(text, fg="cyan", bold=True),
    "command": lambda text: click.style(text, fg="yellow"),
    "allowed": lambda text: click.style(text, fg="green", bold=True),
    "ok": lambda text: click.style(text, fg="green", bold=True),
    "denied": lambda text: click.style(text, fg="red", bold=True),
    "error": lambda text: click.style(text, fg="red", bold=True),
    "label": lambda text: click.style(text, bold=True),
    "muted": lambda text: click.style(text, dim=True),
}


def _style(text: str, role: str) -> str:
    # click.echo drops these codes when the output is not a terminal.
    paint = _STYLES.get(role)
    return text if paint is None else paint(text)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@click.command("walkthrough", epilog=EXAMPLES)
@click.option(
    "--scenario",
    type=click.Choice(list(SCENARIOS)),
    default=DEFAULT_SCENARIO,
    show_default=True,
    help="s3-readonly: S3AccessRole with AmazonS3ReadOnlyAccess; company1-logs: Company1-Logs-Role, one bucket.",
)
@click.option(
    "--variation",
    type=click.Choice(list(VARIATION_NAMES)),
    default=None,
    help="Add steps: an untrusted caller tries the role; a permissions boundary with a Deny; the role replaced.",
)
@click.option("--step", "pause", is_flag=True, help="Pause after each step until Enter (on a terminal only).")
@click.option(
    "--diagram",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    metavar="PATH",
    help="Also write the flow as a Mermaid sequence diagram, drawn from the simulator's event log.",
)
@click.option(
    "--live",
    is_flag=True,
    help="Also run each step's commands with the real AWS CLI against a temporary iamsim serve, output beside.",
)
@format_option()
def walkthrough_command(
    scenario: str, variation: str | None, pause: bool, diagram: Path | None, live: bool, output_format: str
) -> None:
    """Play the IAM role tutorial in a simulated AWS account and explain every step.

    An EC2 instance gets an IAM role, receives temporary credentials, reads
    from S3, is refused a write, and sees its credentials expire. Each step
    shows the equivalent AWS CLI command, what AWS answers, and which policy
    statement decided. Nothing touches a real AWS account.
    """
    if diagram is not None and not diagram.parent.is_dir():
        # Checked before the run, so a long narration is not followed by a failure.
        raise click.BadParameter(f"directory {diagram.parent} does not exist", param_hint="--diagram")
    if live:
        _check_live(scenario, variation, output_format)
    run = WalkthroughRun(scenario, variation)
    if output_format == "json":
        echo_json(walkthrough_json(run.finish()))
    elif live:
        aws = live_play.find_aws_cli()
        if aws is None:
            raise click.ClickException(live_play.NO_AWS_CLI)
        with live_play.LivePlay(aws) as player:
            _narrate(run, pause and _interactive(), player)
    else:
        _narrate(run, pause and _interactive())
    if diagram is not None:
        diagram.write_text(run.mermaid(), encoding="utf-8")
        if output_format != "json":
            click.echo(f"\nMermaid sequence diagram written to {diagram}")


_LONG_LINE = 400


def _check_live(scenario: str, variation: str | None, output_format: str) -> None:
    if scenario != DEFAULT_SCENARIO or variation is not None:
        message = f"--live plays the {DEFAULT_SCENARIO} scenario without variations"
        raise click.BadParameter(message, param_hint="--live")
    if output_format != "text":
        raise click.BadParameter("--live shows the AWS CLI's output as text", param_hint="--format")


def _echo_live(runs: list[live_play.LiveRun], url: str) -> None:
    click.echo()
    click.echo(_style(f"  Live, with the AWS CLI against iamsim serve at {url}:", "label"))
    if not runs:
        click.echo(_style("    (nothing to type: EC2 does this when the instance first asks for credentials)", "muted"))
    for ran in runs:
        click.echo(_style(f"    $ {ran.command}", "command"))
        for line in ran.output.splitlines():
            # A session token is a thousand characters of base64: shown by its length, not in full.
            shown = line if len(line) <= _LONG_LINE else f"{line[:60]}... ({len(line):,} characters)"
            click.echo(f"      {shown}")
        if ran.status != 0:
            click.echo(_style(f"      (exit status {ran.status})", "denied"))


def _narrate(run: WalkthroughRun, pause: bool, player: live_play.LivePlay | None = None) -> None:
    scenario = run.scenario
    click.echo(
        render_heading(
            scenario.title,
            scenario.introduction,
            scenario.name,
            run.variation,
            account=run.stage.account,
            started=run.started,
            total=run.total,
            style=_style,
        )
    )
    if player is not None:
        click.echo()
        click.echo(_style("Before step 1, the administrator makes the bucket the tutorial reads:", "heading"))
        _echo_live(player.setup(), player.server.url)
    for step in run:
        click.echo()
        click.echo(render_step(step, run.total, _style))
        if player is not None:
            _echo_live(player.step(step.key), player.server.url)
        if pause and step.number < run.total:
            click.prompt(
                click.style("\nPress Enter for the next step", dim=True),
                default="",
                show_default=False,
                prompt_suffix="",
            )
    click.echo()
    click.echo(render_closing(scenario.name, run.variation, VARIATION_NAMES, _style))
