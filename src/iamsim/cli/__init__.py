"""The ``iamsim`` command line: validate, evaluate, explain and test policies offline.

One module per command; each is registered here on the :data:`cli` group, so a
new command (``walkthrough``...) is one module and one line below. Exit codes
and their mapping live in :mod:`iamsim.cli.exit_codes`.
"""

from __future__ import annotations

import click

from iamsim.cli.admin_commands import clock_group, events_command, instance_group, snapshot_command, task_group
from iamsim.cli.app import IamsimGroup, version_text
from iamsim.cli.check import check_command
from iamsim.cli.diff import diff_command
from iamsim.cli.env import credential_process_command, env_command
from iamsim.cli.evaluate import evaluate_command
from iamsim.cli.explain import explain_command
from iamsim.cli.matrix import matrix_command
from iamsim.cli.serve import serve_command
from iamsim.cli.test import test_command
from iamsim.cli.validate import validate_command
from iamsim.cli.walkthrough import walkthrough_command

__all__ = ["cli", "main"]


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_text())
        ctx.exit(0)


@click.group(cls=IamsimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and the bundled AWS data (source and date), then exit.",
)
def cli() -> None:
    """Dry-run AWS IAM policies offline: lint them, decide requests, explain why, and test them in CI.

    \b
    Examples:
      iamsim validate policy.json
      iamsim evaluate --identity policy.json --principal arn:aws:iam::111122223333:user/alice \\
          --action s3:GetObject --resource arn:aws:s3:::bucket/key
      iamsim explain --trust-policy trust.json --principal ec2.amazonaws.com \\
          --action sts:AssumeRole --resource arn:aws:iam::111122223333:role/S3AccessRole
      iamsim test examples/policy-tests/ --junit-xml reports/iam.xml
      iamsim diff old.json new.json --cases cases.yaml

    \b
    Exit codes: 0 success/allowed, 1 tool failure, 2 denied/failed/findings/new access,
    3 invalid input. Colour on a terminal only; set NO_COLOR to turn it off.
    """


cli.add_command(validate_command)
cli.add_command(evaluate_command)
cli.add_command(explain_command)
cli.add_command(test_command)
cli.add_command(diff_command)
cli.add_command(walkthrough_command)
cli.add_command(check_command)
cli.add_command(matrix_command)
cli.add_command(serve_command)
cli.add_command(env_command)
cli.add_command(credential_process_command)
cli.add_command(clock_group)
cli.add_command(events_command)
cli.add_command(snapshot_command)
cli.add_command(instance_group)
cli.add_command(task_group)


def main() -> None:
    """Console entry point (``iamsim``)."""
    cli()
