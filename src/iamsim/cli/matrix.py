"""``iamsim matrix``: every principal × action × resource of a world file, decided in bulk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from iamsim._engine.request import Principal
from iamsim._matrix.render import render_html, write_png
from iamsim._matrix.result import AccessMatrix
from iamsim._simulator import Simulator
from iamsim._sources import read_data
from iamsim.cli.options import parse_context, parse_principal
from iamsim.errors import InvalidInputError
from iamsim.policytests.explain import explain_lines

__all__ = ["matrix_command"]

EXAMPLES = """
\b
Examples:
  iamsim matrix world.yaml --action s3:GetObject --action s3:PutObject \\
      --resource arn:aws:s3:::company1-logs/app.log --resource arn:aws:s3:::company1-data/x
  iamsim matrix world.yaml --principal arn:aws:iam::111122223333:role/app --action 's3:*' \\
      --resource arn:aws:s3:::b/k --format csv --output matrix.csv --png matrix.png --html matrix.html
  iamsim matrix world.yaml --actions-file actions.txt --resources-file resources.txt --workers 8
  iamsim matrix world.yaml --actions-file actions.txt --resources-file resources.txt --dask tcp://10.0.0.5:8786

\b
Without --principal, every user and role of every account in the world is a row.
Exit codes: 0 done, 3 invalid input, 1 tool failure.
"""


def _lines(path: str | None, what: str) -> list[str]:
    if path is None:
        return []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInputError(f"--{what}s-file {path}: {error.strerror or error}") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _world_principals(sim: Simulator) -> list[str]:
    arns: list[str] = []
    for account in sim.accounts():
        arns.extend(user.arn for user in sim.list_users(account_id=account))
        arns.extend(role.arn for role in sim.list_roles(account_id=account))
    if not arns:
        raise InvalidInputError("the world has no users or roles: give --principal")
    return arns


def _resource_policies(specs: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        arn, sep, path = spec.rpartition("=")
        if not sep or not arn or not path:
            raise InvalidInputError(f"--resource-policy {spec!r}: expected RESOURCE_ARN=FILE")
        out[arn] = read_data(Path(path))
    return out


@click.command("matrix", epilog=EXAMPLES)
@click.argument("world", type=click.Path(dir_okay=False))
@click.option("--principal", "principals", multiple=True, metavar="ARN", help="A row (repeatable; default: all).")
@click.option("--action", "actions", multiple=True, metavar="SERVICE:ACTION", help="A column (repeatable).")
@click.option("--actions-file", metavar="FILE", help="Actions, one a line.")
@click.option("--resource", "resources", multiple=True, metavar="ARN", help="A resource (repeatable; default: *).")
@click.option("--resources-file", metavar="FILE", help="Resources, one a line.")
@click.option(
    "--resource-policy", "resource_policy", multiple=True, metavar="ARN=FILE", help="A resource's resource policy."
)
@click.option("--context", "context", multiple=True, metavar="KEY=VALUE", help="A context entry for every request.")
@click.option("--context-file", metavar="FILE", help="A JSON or YAML mapping of context keys to values.")
@click.option("--format", "output_format", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--output", metavar="FILE", help="Write the JSON or CSV here instead of standard output.")
@click.option("--png", metavar="FILE", help="Also draw the principal × action heatmap (needs iamsim[plot]).")
@click.option("--html", "html_path", metavar="FILE", help="Also write a page with each cell's explanation on click.")
@click.option("--workers", type=click.IntRange(min=1), help="Local processes (default: one per CPU when large).")
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Run on this Dask scheduler (needs iamsim[cluster]).")
def matrix_command(
    world: str,
    principals: tuple[str, ...],
    actions: tuple[str, ...],
    actions_file: str | None,
    resources: tuple[str, ...],
    resources_file: str | None,
    resource_policy: tuple[str, ...],
    context: tuple[str, ...],
    context_file: str | None,
    output_format: str,
    output: str | None,
    png: str | None,
    html_path: str | None,
    workers: int | None,
    dask_address: str | None,
) -> None:
    """Decide what each principal of a world file may do: every action on every resource.

    Each cell is the decision one-by-one evaluation gives (SCPs, RCPs,
    boundaries, resource policies, conditions with the given context). The
    work is split by principal over local processes, or over a Dask cluster.
    """
    sim = Simulator.from_world_file(world)
    action_list = list(actions) + _lines(actions_file, "action")
    if not action_list:
        raise InvalidInputError("give at least one --action or an --actions-file")
    resource_list = list(resources) + _lines(resources_file, "resource") or ["*"]
    rows: list[Principal | str] = [parse_principal(arn) for arn in principals] or list(_world_principals(sim))
    extra = parse_context(context, context_file)
    policies = _resource_policies(resource_policy)
    matrix = sim.access_matrix(
        rows, action_list, resource_list, context=extra, resource_policies=policies, workers=workers,
        cluster=dask_address,
    )  # fmt: skip
    text = matrix.to_csv() if output_format == "csv" else _json(matrix)
    if output is None:
        click.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")
    if png is not None:
        write_png(matrix, Path(png))
    if html_path is not None:

        def explain(p: int, a: int, r: int) -> list[str]:
            caller = rows[p]
            who = caller if isinstance(caller, Principal) else Principal.from_arn(caller)
            resource = matrix.resources[r]
            result = sim.explain(
                who, matrix.actions[a], resource, context=extra, resource_policy=policies.get(resource)
            )
            return explain_lines(result)

        Path(html_path).write_text(render_html(matrix, explain), encoding="utf-8")


def _json(matrix: AccessMatrix) -> str:
    return json.dumps(matrix.to_dict(), indent=2) + "\n"
