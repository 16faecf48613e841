"""``iamsim evaluate``: decide requests against policy files, as a matrix of actions × resources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from iamsim._arn import Arn
from iamsim._engine.request import Principal, Request
from iamsim._engine.result import EvaluationResult
from iamsim._policy.catalog import ServiceCatalog
from iamsim._policy.catalog_lookups import CatalogLookups
from iamsim._sources import PolicyBundle
from iamsim.cli.exit_codes import EXIT_DENIED, EXIT_OK
from iamsim.cli.options import (
    format_option,
    load_bundle,
    parse_context,
    parse_principal,
    policy_options,
    request_context_options,
)
from iamsim.cli.output import decision_label, echo_json
from iamsim.errors import InvalidInputError
from iamsim.policytests.explain import assumption_lines, explain_lines, result_to_dict

__all__ = [
    "DEFAULT_CONTEXT",
    "check_request_names",
    "evaluate_command",
    "evaluate_matrix",
    "report_results",
    "with_default_context",
]

#: Keys every request made through the Simulator carries (``_simulator/context.py``): it is called over
#: TLS in its default region. The CLI assumes the same, so the CLI and the library answer a request alike;
#: ``--context`` overrides either (§E, aws:SecureTransport and aws:RequestedRegion in
#: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
DEFAULT_CONTEXT: dict[str, object] = {"aws:SecureTransport": "true", "aws:RequestedRegion": "us-east-1"}
_WILDCARDS = ("*", "?")


def with_default_context(context: dict[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    """``context`` with :data:`DEFAULT_CONTEXT` for every key it lacks (keys compare without case), and those added."""
    given = {key.lower() for key in context}
    assumed = {key: value for key, value in DEFAULT_CONTEXT.items() if key.lower() not in given}
    return {**assumed, **context}, assumed


def check_request_names(actions: Sequence[str], resources: Sequence[str]) -> None:
    """Refuse what no request can name: an action pattern, a resource that is neither ``*`` nor an ARN.

    A request is for one action on one resource; wildcards belong in policies.
    Raises :class:`~iamsim.errors.InvalidInputError` (exit 3).
    """
    for action in actions:
        service, sep, name = action.partition(":")
        if not sep or not service or not name:
            raise InvalidInputError(f"--action {action!r}: expected SERVICE:ACTION, such as s3:GetObject")
        if any(char in action for char in _WILDCARDS):
            raise InvalidInputError(
                f"--action {action!r}: a request names one action, not a pattern (wildcards belong in policies); "
                "give each action, such as s3:GetObject"
            )
    for resource in resources:
        if resource != "*" and Arn.try_parse(resource) is None:
            raise InvalidInputError(
                f"--resource {resource!r}: not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) or *"
            )


EXAMPLES = """
\b
Examples:
  iamsim evaluate --identity read-logs.json \\
      --principal arn:aws:iam::111122223333:role/Company1-Logs-Role \\
      --action s3:GetObject --action s3:PutObject \\
      --resource arn:aws:s3:::company1-logs/app.log
  iamsim evaluate --identity arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess \\
      --principal arn:aws:iam::111122223333:role/S3AccessRole --action s3:ListBucket \\
      --resource arn:aws:s3:::company1-logs --format json
  iamsim evaluate --trust-policy trust-policy.json --principal ec2.amazonaws.com \\
      --action sts:AssumeRole --resource arn:aws:iam::111122223333:role/S3AccessRole
  iamsim evaluate --source template.yaml --role LogsRole --principal arn:aws:iam::123456789012:role/LogsRole \\
      --action s3:GetObject --resource arn:aws:s3:::company1-logs/a --context aws:SourceIp=10.0.0.1 --explain

\b
Exit codes: 0 all allowed, 2 any denied, 3 invalid input, 1 tool failure.
"""


def evaluate_matrix(
    bundle: PolicyBundle,
    principal: Principal,
    actions: Sequence[str],
    resources: Sequence[str],
    context: dict[str, object],
    resource_account: str | None,
    explain: bool,
) -> list[EvaluationResult]:
    """Decide every action on every resource (actions outer, resources inner)."""
    warn_unknown_actions(actions)
    results = []
    for action in actions:
        evaluator = bundle.evaluator_for(action)
        for resource in resources:
            request = Request.create(principal, action, resource, context, resource_account=resource_account)
            results.append(evaluator.evaluate_request(request, explain=explain))
    return results


def warn_unknown_actions(actions: Sequence[str]) -> None:
    """Warn on stderr about actions the bundled service reference does not know.

    A typo'd action is still evaluated (iamsim never guesses), but a silent
    implicit deny would hide the mistake.
    """
    lookups = CatalogLookups(ServiceCatalog.load())
    for action in actions:
        if ":" not in action or lookups.expand(action):
            continue
        prefix, name = action.split(":", 1)
        if not lookups.has_service(prefix):
            hint = lookups.similar_services(prefix)
            suggestion = f" (did you mean {' or '.join(hint)}?)" if hint else ""
            what = f"{prefix} is not a service prefix{suggestion}"
        else:
            hint = lookups.similar_actions(prefix, name)
            suggestion = f" (did you mean {' or '.join(hint)}?)" if hint else ""
            what = f"{action} is not an action of {prefix}{suggestion}"
        click.echo(f"warning: {what}; evaluating it as given", err=True)


def report_results(
    results: Sequence[EvaluationResult],
    output_format: str,
    explain: bool,
    assumed_context: dict[str, object] | None = None,
) -> int:
    """Print ``results`` and return the exit code (0 when all are allowed, else 2).

    ``assumed_context`` are the context keys the command added by default (shown in JSON and with --explain).
    """
    allowed = sum(1 for r in results if r.allowed)
    assumed = assumed_context or {}
    if output_format == "json":
        data: dict[str, Any] = {
            "principal": results[0].request.principal.arn if results else None,
            "assumed_context": assumed,
            "results": [result_to_dict(r) for r in results],
            "summary": {"allowed": allowed, "denied": len(results) - allowed},
        }
        echo_json(data)
    else:
        if results:
            click.echo(f"principal: {results[0].request.principal.arn}")
        if explain and assumed:
            entries = ", ".join(f"{key}={value}" for key, value in assumed.items())
            click.echo(f"assumed context (override with --context): {entries}")
        action_width = max((len(r.request.action) for r in results), default=0)
        for result in results:
            click.echo(
                f"{decision_label(result.decision)}  {result.request.action.ljust(action_width)}  "
                f"{result.request.resource}"
            )
            if explain or not result.allowed:
                lines = explain_lines(result) if explain else [result.message(), *assumption_lines(result)]
            else:
                # An allowed answer still says what it assumed (AWS's default key policy) or which rule decided.
                lines = assumption_lines(result)
            for line in lines:
                click.echo(f"    {line}")
        click.echo(f"{allowed} allowed, {len(results) - allowed} denied")
    return EXIT_OK if allowed == len(results) else EXIT_DENIED


@click.command("evaluate", epilog=EXAMPLES)
@policy_options
@click.option(
    "--principal",
    required=True,
    metavar="ARN",
    help="Who asks: a user, role, assumed-role session, federated-user or root ARN, an account id, "
    "or a service principal such as ec2.amazonaws.com.",
)
@click.option(
    "--action",
    "actions",
    multiple=True,
    required=True,
    metavar="SERVICE:ACTION",
    help="The action asked for. Repeatable: every action is tried on every resource.",
)
@click.option("--resource", "resources", multiple=True, metavar="ARN", help="The resource ARN (default *). Repeatable.")
@request_context_options
@click.option(
    "--explain",
    is_flag=True,
    help="Say why: determining statements, failed conditions with the values seen, missing context keys.",
)
@format_option()
@click.pass_context
def evaluate_command(
    ctx: click.Context,
    identity: tuple[str, ...],
    resource_policy: str | None,
    trust_policy: str | None,
    boundary: str | None,
    session: tuple[str, ...],
    scp: tuple[str, ...],
    rcp: tuple[str, ...],
    source: str | None,
    role: str | None,
    principal: str,
    actions: tuple[str, ...],
    resources: tuple[str, ...],
    context: tuple[str, ...],
    context_file: str | None,
    resource_account: str | None,
    explain: bool,
    output_format: str,
) -> None:
    """Decide whether a principal may perform actions on resources, offline.

    Every --action is tried on every --resource; each line gives the decision
    (ALLOWED, EXPLICIT DENY or IMPLICIT DENY). Denials show AWS's AccessDenied
    message; --explain shows why. As the Simulator does, requests carry
    aws:SecureTransport=true and aws:RequestedRegion=us-east-1 unless --context
    says otherwise.
    """
    bundle = load_bundle(
        identity=identity,
        resource_policy=resource_policy,
        trust_policy=trust_policy,
        boundary=boundary,
        session=session,
        scp=scp,
        rcp=rcp,
        source=source,
        role=role,
    )
    caller = parse_principal(principal)
    check_request_names(actions, resources)
    request_context, assumed = with_default_context(parse_context(context, context_file))
    results = evaluate_matrix(bundle, caller, actions, resources or ("*",), request_context, resource_account, explain)
    ctx.exit(report_results(results, output_format, explain, assumed))
