"""``iamsim test``: run policy test suites, report pass/fail with explanations, JUnit XML for CI."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from iamsim.cli.exit_codes import EXIT_DENIED, EXIT_OK, InvalidInput, ToolFailure
from iamsim.cli.options import format_option
from iamsim.cli.output import echo_json, fail_label, pass_label
from iamsim.policytests import (
    Suite,
    SuiteOutcome,
    failure_text,
    is_suite_file,
    junit_xml,
    load_suite,
    run_suite,
    suite_to_dict,
)

__all__ = ["PROGRESS_THRESHOLD", "find_suites", "test_command"]

#: Runs with more cases than this show a progress bar (on a terminal only).
PROGRESS_THRESHOLD = 50

EXAMPLES = """
\b
Examples:
  iamsim test examples/policy-tests/
  iamsim test s3-access-role.yaml logs-role.yaml --junit-xml reports/iam.xml
  iamsim test policy-tests/ --format json > results.json

\b
Exit codes: 0 every case passed, 2 any case failed, 3 invalid suite or policy, 1 tool failure.
"""


def find_suites(paths: tuple[str, ...]) -> list[Path]:
    """Suite files named by ``paths``; a directory contributes every suite file under it, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            suites = sorted(p for p in path.rglob("*") if p.is_file() and is_suite_file(p))
            if not suites:
                raise InvalidInput(f"{path}: no suite files (YAML/JSON with cases:) found")
            found.extend(suites)
        else:
            found.append(path)
    return found


def _run(suites: list[Suite], show_progress: bool) -> list[SuiteOutcome]:
    total = sum(len(s.cases) for s in suites)
    if not show_progress:
        return [run_suite(s) for s in suites]
    with click.progressbar(length=total, label="running cases", file=sys.stderr) as bar:
        return [run_suite(s, on_case=lambda _outcome: bar.update(1)) for s in suites]


def _report_text(outcomes: list[SuiteOutcome]) -> None:
    for outcome in outcomes:
        click.echo(click.style(f"{outcome.suite.path}", bold=True) + f"  ({outcome.suite.name})")
        for case in outcome.cases:
            click.echo(f"  {pass_label() if case.passed else fail_label()}  {case.case.name}")
            if not case.passed:
                for line in failure_text(case).splitlines():
                    click.echo(f"        {line}")
    cases = [c for o in outcomes for c in o.cases]
    failed = sum(1 for c in cases if not c.passed)
    summary = f"{len(outcomes)} suite(s), {len(cases)} case(s): {len(cases) - failed} passed, {failed} failed"
    click.echo(click.style(summary, fg="red" if failed else "green", bold=True))


@click.command("test", epilog=EXAMPLES)
@click.argument("suites", nargs=-1, required=True, metavar="SUITE_OR_DIR...")
@click.option("--junit-xml", "junit_path", metavar="PATH", help="Also write a JUnit XML report to PATH (for CI).")
@format_option()
@click.pass_context
def test_command(ctx: click.Context, suites: tuple[str, ...], junit_path: str | None, output_format: str) -> None:
    """Run policy test suites (YAML or JSON) and report each case.

    A suite names its policies (files, AWS managed policy ARNs, a role from a
    CloudFormation template or a Terraform plan) and lists cases: principal,
    action(s), resource(s), context and the expected decision (allowed,
    denied, explicitDeny or implicitDeny). A failing case shows what was
    expected, what was decided, and why. Directories are searched for suite
    files. See docs/dry-run.md for the format.
    """
    loaded = [load_suite(path) for path in find_suites(suites)]
    total = sum(len(s.cases) for s in loaded)
    show_progress = output_format == "text" and total > PROGRESS_THRESHOLD and sys.stderr.isatty()
    outcomes = _run(loaded, show_progress)
    if junit_path is not None:
        try:
            Path(junit_path).parent.mkdir(parents=True, exist_ok=True)
            Path(junit_path).write_text(junit_xml(outcomes), encoding="utf-8")
        except OSError as error:
            raise ToolFailure(f"cannot write {junit_path}: {error.strerror or error}") from None
    if output_format == "json":
        echo_json(
            {
                "passed": all(o.passed for o in outcomes),
                "suites": [suite_to_dict(o) for o in outcomes],
            }
        )
    else:
        _report_text(outcomes)
    ctx.exit(EXIT_OK if all(o.passed for o in outcomes) else EXIT_DENIED)
