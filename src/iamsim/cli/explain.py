"""``iamsim explain``: one request, decided and explained."""

from __future__ import annotations

from typing import Any

import click

from iamsim.cli.evaluate import evaluate_command
from iamsim.cli.options import format_option, policy_options, request_context_options

__all__ = ["explain_command"]

EXAMPLES = """
\b
Examples:
  iamsim explain --identity read-logs.json \\
      --principal arn:aws:iam::111122223333:role/Company1-Logs-Role \\
      --action s3:PutObject --resource arn:aws:s3:::company1-logs/app.log
  iamsim explain --identity policy.json --principal arn:aws:iam::111122223333:user/alice \\
      --action s3:GetObject --resource arn:aws:s3:::b/k --context aws:SourceIp=203.0.113.7 --format json

\b
Exit codes: 0 allowed, 2 denied, 3 invalid input, 1 tool failure.
"""


@click.command("explain", epilog=EXAMPLES)
@policy_options
@click.option("--principal", required=True, metavar="ARN", help="Who asks (an ARN, account id or service name).")
@click.option(
    "--action", "actions", required=True, multiple=True, metavar="SERVICE:ACTION", help="The action asked for."
)
@click.option("--resource", "resources", multiple=True, metavar="ARN", help="The resource ARN (default: *).")
@request_context_options
@format_option()
@click.pass_context
def explain_command(
    ctx: click.Context, /, actions: tuple[str, ...], resources: tuple[str, ...], **options: Any
) -> None:
    """Decide one request and explain why (like evaluate --explain, for one action and one resource).

    Shows AWS's AccessDenied message, the statements that decided, every
    condition that did not hold with the values the request carried, the
    context keys the request lacked and the decision steps.
    """
    if len(actions) > 1 or len(resources) > 1:
        raise click.UsageError(
            "explain decides one request: give one --action and at most one --resource "
            "(use 'iamsim evaluate --explain' for a matrix)"
        )
    ctx.invoke(evaluate_command, actions=actions, resources=resources, explain=True, **options)
