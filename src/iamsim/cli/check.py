"""``iamsim check``: Access Analyzer's three questions, answered for every request, offline (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import yaml

from iamsim._policy.model import PolicyKind
from iamsim._prover import RESOURCE_TYPES, Budget, CheckResult, Verdict, Witness
from iamsim._prover import check_access_not_granted as prove_not_granted
from iamsim._prover import check_no_new_access as prove_no_new_access
from iamsim._prover import check_no_public_access as prove_no_public_access
from iamsim._sources import DEFAULT_ACCOUNT, load_target
from iamsim._sources.policy_files import load_policy_file
from iamsim.cli.exit_codes import EXIT_DENIED, EXIT_OK, EXIT_UNKNOWN, ToolFailure
from iamsim.cli.options import format_option
from iamsim.cli.output import echo_json

__all__ = ["check_command"]

EXAMPLES = """
\b
Examples:
  iamsim check no-new-access policies/old.json policies/new.json --witnesses found.yaml
  iamsim check access-not-granted policy.json --action s3:PutBucketPolicy --action iam:PassRole
  iamsim check no-public-access bucket-policy.json --resource-type AWS::S3::Bucket

\b
Answers PASS (proved for every principal, action, resource and context
value), FAIL with witness requests (each re-decided by both evaluators), or
UNKNOWN naming the construct not encoded or the budget exceeded.
Exit codes: 0 PASS, 2 FAIL, 4 UNKNOWN, 3 invalid input, 1 tool failure.
"""

_budget = click.option(
    "--budget", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds one check may take."
)
_account = click.option(
    "--account", default=DEFAULT_ACCOUNT, show_default=True, help="The account the policies belong to."
)
_witnesses = click.option(
    "--witnesses",
    "witnesses_path",
    metavar="FILE.yaml",
    help="Write the witnesses of a FAIL as a policy test suite (a regression test).",
)


@click.group("check", epilog=EXAMPLES)
def check_command() -> None:
    """Prove properties of policies for every possible request (PASS / FAIL with witnesses / UNKNOWN)."""


def _finish(
    ctx: click.Context, result: CheckResult, output_format: str, suite: dict[str, Any] | None, path: str | None
) -> None:
    if path is not None and result.verdict is Verdict.FAIL and suite is not None:
        _write_suite(Path(path), suite, result.witnesses)
    if output_format == "json":
        echo_json(result.to_dict())
    else:
        colour = {Verdict.PASS: "green", Verdict.FAIL: "red", Verdict.UNKNOWN: "yellow"}[result.verdict]
        click.echo(
            f"{click.style(result.verdict.value, fg=colour, bold=True)}  {result.question} ({result.elapsed:.2f} s)"
        )
        if result.reason:
            click.echo(f"    {result.reason}")
        for witness in result.witnesses:
            click.echo(f"    witness: {witness.principal} {witness.action} on {witness.resource}")
            for key, value in witness.context.items():
                click.echo(f"        {key} = {list(value) if isinstance(value, tuple) else value!r}")
            click.echo("        " + ", ".join(f"{label}: {decision}" for label, decision in witness.decisions.items()))
        if path is not None and result.verdict is Verdict.FAIL:
            click.echo(f"witnesses written to {path}")
    code = {Verdict.PASS: EXIT_OK, Verdict.FAIL: EXIT_DENIED, Verdict.UNKNOWN: EXIT_UNKNOWN}[result.verdict]
    ctx.exit(code)


def _policies_section(target: str, path: str | None, kind: str) -> dict[str, Any] | None:
    """The suite's ``policies:`` for a witness file: the policy file, relative to the suite."""
    if path is None:
        return None
    source = Path(target)
    if not source.is_file():
        return {"name": f"witnesses against {target}", "policies": {}}
    relative = Path(_relative(source.resolve(), Path(path).resolve().parent))
    entry: Any = [str(relative)] if kind == "identity" else str(relative)
    return {"name": f"witnesses against {target}", "policies": {kind: entry}}


def _relative(target: Path, base: Path) -> str:
    import os

    return os.path.relpath(target, base)


def _write_suite(path: Path, suite: dict[str, Any], witnesses: tuple[Witness, ...]) -> None:
    cases = []
    for index, witness in enumerate(witnesses, start=1):
        case: dict[str, Any] = {
            "name": f"witness {index}: {witness.action} on {witness.resource}",
            "principal": witness.principal,
            "action": witness.action,
            "resource": witness.resource,
            "expect": "denied",
        }
        if witness.context:
            case["context"] = {k: list(v) if isinstance(v, tuple) else v for k, v in witness.context.items()}
        if witness.resource_account is not None:
            case["resource_account"] = witness.resource_account
        cases.append(case)
    document = {**suite, "cases": cases}
    header = "# Written by `iamsim check`: each case is a request the policies must deny once the finding is fixed.\n"
    try:
        path.write_text(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    except OSError as error:
        raise ToolFailure(f"cannot write {path}: {error.strerror}") from None


@check_command.command("no-new-access")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--role", metavar="NAME", help="The role to read when OLD/NEW are templates or plans.")
@_account
@_budget
@_witnesses
@format_option()
@click.pass_context
def no_new_access(
    ctx: click.Context,
    old: str,
    new: str,
    role: str | None,
    account: str,
    budget: float,
    witnesses_path: str | None,
    output_format: str,
) -> None:
    """Does NEW allow any request OLD does not? (OLD/NEW as for `iamsim diff`)"""
    result = prove_no_new_access(
        load_target(old, role=role, account=account),
        load_target(new, role=role, account=account),
        account=account,
        budget=Budget(seconds=budget),
    )
    _finish(ctx, result, output_format, _policies_section(new, witnesses_path, "identity"), witnesses_path)


@check_command.command("access-not-granted")
@click.argument("policy", metavar="POLICY")
@click.option("--action", "actions", multiple=True, required=True, help="An action (wildcards allowed); repeatable.")
@click.option("--resource", "resources", multiple=True, help="A resource (wildcards allowed); repeatable.")
@click.option("--role", metavar="NAME", help="The role to read when POLICY is a template or plan.")
@_account
@_budget
@_witnesses
@format_option()
@click.pass_context
def access_not_granted(
    ctx: click.Context,
    policy: str,
    actions: tuple[str, ...],
    resources: tuple[str, ...],
    role: str | None,
    account: str,
    budget: float,
    witnesses_path: str | None,
    output_format: str,
) -> None:
    """Can POLICY allow any of these actions (on these resources)?"""
    result = prove_not_granted(
        load_target(policy, role=role, account=account),
        actions,
        resources,
        account=account,
        budget=Budget(seconds=budget),
    )
    _finish(ctx, result, output_format, _policies_section(policy, witnesses_path, "identity"), witnesses_path)


@check_command.command("no-public-access")
@click.argument("policy", metavar="POLICY")
@click.option(
    "--resource-type",
    type=click.Choice(sorted(RESOURCE_TYPES)),
    help="The kind of resource the policy is attached to (limits the actions to its service).",
)
@_account
@_budget
@_witnesses
@format_option()
@click.pass_context
def no_public_access(
    ctx: click.Context,
    policy: str,
    resource_type: str | None,
    account: str,
    budget: float,
    witnesses_path: str | None,
    output_format: str,
) -> None:
    """Can anyone outside the account reach the resource POLICY protects?"""
    trust = resource_type is not None and RESOURCE_TYPES[resource_type][1]
    parsed = load_policy_file(policy, PolicyKind.TRUST if trust else PolicyKind.RESOURCE)
    result = prove_no_public_access(parsed, resource_type=resource_type, account=account, budget=Budget(seconds=budget))
    suite = _policies_section(policy, witnesses_path, "trust" if trust else "resource")
    if suite is not None:
        # The prover assumes an outside caller's own account allows it everything; the suite says so with
        # AdministratorAccess as the callers' identity policy (an anonymous caller has none: §A.3).
        described = "outside callers whose own account allows them everything (AdministratorAccess)"
        admin = ["arn:aws:iam::aws:policy/AdministratorAccess"]
        suite = {"name": suite["name"], "description": described, "policies": {**suite["policies"], "identity": admin}}
    _finish(ctx, result, output_format, suite, witnesses_path)
