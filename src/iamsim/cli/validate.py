"""``iamsim validate``: lint policies the way IAM Access Analyzer's policy validation does."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from iamsim._policy.findings import Finding, Severity, ValidationReport
from iamsim._policy.model import PolicyKind
from iamsim._sources import load_cloudformation, load_terraform_plan, read_text
from iamsim._sources.documents import is_yaml_path, parse_json_text, parse_yaml_text
from iamsim._sources.lint_targets import LintTarget, plan_targets, template_targets
from iamsim.cli.app import iamsim_version
from iamsim.cli.exit_codes import EXIT_DENIED, EXIT_OK
from iamsim.cli.options import format_option
from iamsim.cli.output import echo_json
from iamsim.errors import InvalidInputError

__all__ = ["guess_kind", "validate_command"]

EXAMPLES = """
\b
Examples:
  iamsim validate read-logs.json
  iamsim validate --kind trust trust-policy.json
  iamsim validate policies/ --format sarif > iamsim.sarif
  iamsim validate template.yaml plan.json --fail-on security_warning

\b
FILE is a policy (JSON or YAML), a CloudFormation template (every role trust
policy, inline policy, AWS::IAM::Policy and ManagedPolicy, and the policies
of buckets, queues, topics, KMS keys, secrets and ECR repositories in it) or
a Terraform plan JSON (every IAM and resource policy document in it).
Findings in templates and plans point at the line and column in that file. A directory stands
for every .json, .yaml and .yml file below it that holds a policy, a
template or a plan (hidden files and directories are passed over).

\b
Exit codes: 0 no finding at the --fail-on level (default: error), 2 some
finding at that level or worse, 3 a file that cannot be read, 1 tool failure.
"""

_KINDS = ["auto", *(kind.value for kind in PolicyKind)]
_SEVERITY_COLOURS = {
    Severity.ERROR: "red",
    Severity.SECURITY_WARNING: "magenta",
    Severity.WARNING: "yellow",
    Severity.SUGGESTION: "cyan",
}
_TRUST_ACTION_PREFIX = "sts:"


def guess_kind(document: Any) -> PolicyKind:
    """The kind a policy most likely is: trust or resource when it names principals, else identity.

    A statement with ``Principal``/``NotPrincipal`` whose actions are all STS
    actions makes a trust policy; other principals make a resource policy.
    """
    statements = document.get("Statement") if isinstance(document, Mapping) else None
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        return PolicyKind.IDENTITY
    with_principal = [s for s in statements if isinstance(s, Mapping) and ("Principal" in s or "NotPrincipal" in s)]
    if not with_principal:
        return PolicyKind.IDENTITY
    actions: list[Any] = []
    for statement in with_principal:
        value = statement.get("Action", [])
        actions.extend(value if isinstance(value, list) else [value])
    if actions and all(isinstance(a, str) and a.lower().startswith(_TRUST_ACTION_PREFIX) for a in actions):
        return PolicyKind.TRUST
    return PolicyKind.RESOURCE


_SCANNED_SUFFIXES = (".json", ".yaml", ".yml")
#: Top-level keys that make a file found in a directory worth linting: a policy, a template or a plan.
_DOCUMENT_KEYS = ("Statement", "Version", "Resources", "planned_values")


class _NotAPolicy(Exception):
    """A file found by scanning a directory that holds no policy, template or plan (the reason, if any)."""


def _files(argument: str) -> tuple[list[Path], bool]:
    """The files one FILE argument stands for, and whether they were found by scanning a directory."""
    path = Path(argument)
    if not path.is_dir():
        return [path], False
    found = sorted(
        candidate
        for candidate in path.rglob("*")
        if candidate.suffix.lower() in _SCANNED_SUFFIXES
        and candidate.is_file()
        and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
    )
    if not found:
        raise InvalidInputError(f"{path}: a directory with no .json, .yaml or .yml file in it")
    return found, True


def _looks_like_a_policy(text: str) -> bool:
    # A file that does not parse is still worth reporting when it was meant to be a policy.
    return '"Statement"' in text or "Statement:" in text


def _documents(path: Path, kind: str, *, scanned: bool = False) -> list[LintTarget]:
    """The policy documents in one file, each with its place and the kind to lint it as.

    A file ``scanned`` from a directory raises :class:`_NotAPolicy` unless it holds
    a policy, a template or a plan, or is a broken file that was meant to be a
    policy (a directory of policies may also hold test suites and other data).
    """
    try:
        text = read_text(path)
    except InvalidInputError as error:
        if scanned:
            raise _NotAPolicy(error.message.removeprefix(f"{path}: ")) from None
        raise
    data: Any
    if is_yaml_path(path):
        try:
            data = parse_yaml_text(text, str(path))
        except InvalidInputError as error:
            if scanned and not _looks_like_a_policy(text):
                raise _NotAPolicy(error.message.removeprefix(f"{path}: ")) from None
            raise
    else:
        try:
            data = parse_json_text(text, str(path))
        except InvalidInputError as error:
            if scanned and not _looks_like_a_policy(text):
                raise _NotAPolicy(error.message.removeprefix(f"{path}: ")) from None
            # Not JSON: the linter reports the syntax error with its line and column.
            return [LintTarget(path, None, PolicyKind.IDENTITY if kind == "auto" else PolicyKind(kind), text)]
    if scanned and not (isinstance(data, Mapping) and any(key in data for key in _DOCUMENT_KEYS)):
        raise _NotAPolicy()
    if isinstance(data, Mapping) and "Resources" in data:
        return template_targets(load_cloudformation(path), text)
    if isinstance(data, Mapping) and "planned_values" in data:
        return plan_targets(load_terraform_plan(path), text)
    chosen = guess_kind(data) if kind == "auto" else PolicyKind(kind)
    # Plain JSON is linted as text so findings carry lines and columns.
    document: str | Mapping[str, Any] = data if is_yaml_path(path) and isinstance(data, Mapping) else text
    return [LintTarget(path, None, chosen, document)]


def _finding_line(target: LintTarget, finding: Finding) -> str:
    # file:line:column first, as compilers write it, so editors and terminals can jump to it.
    where = str(target.file)
    if finding.line is not None:
        where += f":{finding.line}:{finding.column}"
    severity = click.style(finding.severity.value, fg=_SEVERITY_COLOURS[finding.severity], bold=True)
    inside = f" in {target.place}" if target.place else ""
    pointer = f" (at {finding.pointer or '/'}{inside})" if finding.pointer or inside else ""
    return f"{where}: {severity} {finding.code}: {finding.message}{pointer}"


@click.command("validate", epilog=EXAMPLES)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--kind",
    type=click.Choice(_KINDS),
    default="auto",
    show_default=True,
    help="The kind of policy in plain policy files; auto guesses trust/resource/identity from Principal.",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.value.lower() for s in Severity]),
    default="error",
    show_default=True,
    help="Exit 2 when a finding is at least this severe.",
)
@format_option(("text", "json", "sarif"))
@click.pass_context
def validate_command(ctx: click.Context, files: tuple[str, ...], kind: str, fail_on: str, output_format: str) -> None:
    """Lint policies: grammar, unknown actions and condition keys, risky patterns.

    Each finding has a severity (ERROR, SECURITY_WARNING, WARNING,
    SUGGESTION), a stable code, a message and its place (file, line, column
    and JSON pointer). Service data comes from the bundled snapshot of AWS's
    service reference (see iamsim --version).
    """
    reports: list[tuple[LintTarget, ValidationReport]] = []
    for argument in files:
        paths, scanned = _files(argument)
        found = len(reports)
        for path in paths:
            try:
                documents = _documents(path, kind, scanned=scanned)
            except _NotAPolicy as skipped:
                # Said only for files that could not be read as data: a suite or a world file is expected here.
                if skipped.args:
                    click.echo(f"skipped {path}: {skipped.args[0]}", err=True)
                continue
            reports.extend((target, target.lint()) for target in documents)
        if scanned and len(reports) == found:
            # A gate pointed at the wrong directory must not pass having checked nothing.
            raise InvalidInputError(f"{argument}: no policy, CloudFormation template or Terraform plan in it")
    threshold = Severity(fail_on.upper())
    failed = any(report.fails_at(threshold) for _, report in reports)
    if output_format == "sarif":
        # Imported here so the other commands work while the SARIF writer is absent.
        from iamsim._policy.sarif import report_to_sarif

        echo_json(report_to_sarif([(str(t.file), report, t.place) for t, report in reports], iamsim_version()))
    elif output_format == "json":
        echo_json(
            {
                "passed": not failed,
                "fail_on": threshold.value,
                "policies": [
                    {"path": target.label, "file": str(target.file), "place": target.place, **report.to_dict()}
                    for target, report in reports
                ],
            }
        )
    else:
        total = 0
        for target, report in reports:
            total += len(report.findings)
            for finding in report.findings:
                click.echo(_finding_line(target, finding))
        verdict = click.style("FAIL" if failed else "OK", fg="red" if failed else "green", bold=True)
        click.echo(f"{verdict}: {len(reports)} polic{'y' if len(reports) == 1 else 'ies'}, {total} finding(s)")
    ctx.exit(EXIT_DENIED if failed else EXIT_OK)
