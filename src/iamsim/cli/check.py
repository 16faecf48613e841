"""``iamsim check``: Access Analyzer's three questions, answered for every request, offline (issue 15)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from iamsim._bundle import PolicyBundle
from iamsim._policy.model import PolicyKind
from iamsim._prover import RESOURCE_TYPES, Budget, CheckResult, Verdict, Witness, own_policies
from iamsim._prover import check_access_not_granted as prove_not_granted
from iamsim._prover import check_no_new_access as prove_no_new_access
from iamsim._prover import check_no_public_access as prove_no_public_access
from iamsim._sources import DEFAULT_ACCOUNT, load_target
from iamsim._sources.policy_files import load_policy_file
from iamsim.cli.exit_codes import EXIT_DENIED, EXIT_OK, EXIT_UNKNOWN
from iamsim.cli.options import format_option
from iamsim.cli.output import echo_json
from iamsim.cli.witness_suite import policies_section, write_witness_suite

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
    ctx: click.Context, result: CheckResult, output_format: str, suite: _WitnessSuite | None, path: str | None
) -> None:
    if path is not None and result.verdict is Verdict.FAIL and suite is not None:
        suite(Path(path), result.witnesses)
    if output_format == "json":
        echo_json(result.to_dict())
    else:
        colour = {Verdict.PASS: "green", Verdict.FAIL: "red", Verdict.UNKNOWN: "yellow"}[result.verdict]
        click.echo(
            f"{click.style(result.verdict.value, fg=colour, bold=True)}  {result.question} ({result.elapsed:.2f} s)"
        )
        if result.reason:
            click.echo(f"    {result.reason}")
        for label in result.details.get("set_aside", ()):
            click.echo(f"    note: the {label} is left to no-public-access (it says who else gets in)")
        for witness in result.witnesses:
            click.echo(f"    witness: {witness.principal} {witness.action} on {witness.resource}")
            for key, value in witness.context.items():
                click.echo(f"        {key} = {list(value) if isinstance(value, tuple) else value!r}")
            click.echo("        " + ", ".join(f"{label}: {decision}" for label, decision in witness.decisions.items()))
        if path is not None and result.verdict is Verdict.FAIL:
            click.echo(f"witnesses written to {path}")
    code = {Verdict.PASS: EXIT_OK, Verdict.FAIL: EXIT_DENIED, Verdict.UNKNOWN: EXIT_UNKNOWN}[result.verdict]
    ctx.exit(code)


def _identity_question(
    ctx: click.Context,
    subject: str,
    role: str | None,
    account: str,
    witnesses_path: str | None,
    output_format: str,
    ask: Callable[[Callable[[str], PolicyBundle]], CheckResult],
) -> None:
    """Answer an identity-side question: ``ask`` is given how to read a target's own policies, and the answer
    names what they set aside (``set_aside`` in JSON); a FAIL's witnesses are a suite against ``subject``."""
    suite = _witness_suite(subject, witnesses_path, "identity", role=role, account=account)
    set_aside: list[str] = []

    def own(target: str) -> PolicyBundle:
        bundle, left = own_policies(load_target(target, role=role, account=account))
        set_aside.extend(label for label in left if label not in set_aside)
        return bundle

    result = ask(own)
    if set_aside:
        result = replace(result, details={**result.details, "set_aside": set_aside})
    _finish(ctx, result, output_format, suite, witnesses_path)


#: Writes a FAIL's witnesses to a path as a suite.
_WitnessSuite = Callable[[Path, tuple[Witness, ...]], None]


def _witness_suite(
    target: str, path: str | None, kind: str, *, role: str | None = None, account: str = DEFAULT_ACCOUNT
) -> _WitnessSuite | None:
    """How to write the witnesses against the policies ``target`` names (``None``: no ``--witnesses``)."""
    if path is None:
        return None
    section = policies_section(target, path, kind, role=role, account=account)
    name = f"witnesses against {target}"
    return lambda suite_path, witnesses: write_witness_suite(suite_path, name, section, witnesses)


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
    _identity_question(
        ctx,
        new,
        role,
        account,
        witnesses_path,
        output_format,
        lambda own: prove_no_new_access(own(old), own(new), account=account, budget=Budget(seconds=budget)),
    )


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
    _identity_question(
        ctx,
        policy,
        role,
        account,
        witnesses_path,
        output_format,
        lambda own: prove_not_granted(own(policy), actions, resources, account=account, budget=Budget(seconds=budget)),
    )


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
    suite: _WitnessSuite | None = None
    if witnesses_path is not None:
        section = policies_section(policy, witnesses_path, "trust" if trust else "resource", role=None, account=account)
        # The prover assumes an outside caller's own account allows it everything; the suite says so with
        # AdministratorAccess as the callers' identity policy (an anonymous caller has none: §A.3).
        described = "outside callers whose own account allows them everything (AdministratorAccess)"
        section["identity"] = ["arn:aws:iam::aws:policy/AdministratorAccess"]

        def write(path: Path, witnesses: tuple[Witness, ...]) -> None:
            write_witness_suite(path, f"witnesses against {policy}", section, witnesses, described)

        suite = write

    result = prove_no_public_access(parsed, resource_type=resource_type, account=account, budget=Budget(seconds=budget))
    _finish(ctx, result, output_format, suite, witnesses_path)
