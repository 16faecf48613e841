"""``iamsim diff``: which requests change decision between two versions of a policy set."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import PolicyKind
from iamsim._sources import (
    DEFAULT_ACCOUNT,
    PolicyBundle,
    load_policies_section,
    load_policy_file,
    load_target,
    read_data,
)
from iamsim.cli.exit_codes import EXIT_DENIED, EXIT_OK, InvalidInput
from iamsim.cli.options import format_option
from iamsim.cli.output import decision_label, echo_json
from iamsim.policytests import Case, evaluate_request, load_cases
from iamsim.policytests.explain import ref_to_dict

__all__ = ["Change", "compare", "diff_command"]

EXAMPLES = """
\b
Examples:
  iamsim diff old/read-logs.json new/read-logs.json --cases cases.yaml
  iamsim diff policies-main/ policies-branch/ --cases logs-role.yaml --format json
  iamsim diff main-plan.json branch-plan.json --role aws_iam_role.logs --cases cases.yaml

\b
OLD and NEW are each a policy file (an identity policy), a directory of
policy files (NAME.trust.json, NAME.boundary.json... play those parts, other
*.json files are identity policies), a suite (its policies: section), or a
CloudFormation template / Terraform plan with --role. The --cases file is a
suite or any YAML/JSON file with cases: (expect: is optional and ignored).
When OLD and NEW are single policy files and the --cases suite has a
policies: section, each side is that section with OLD (or NEW) in place of
the suite's identity policies of those files: the suite's boundary, resource,
trust, session and SCP policies still apply, so the OLD side is what
iamsim test reports.

\b
Exit codes: 0 nothing newly allowed, 2 some request newly allowed (the change
grants new access), 3 invalid input, 1 tool failure.
"""

NEWLY_ALLOWED = "newly allowed"
NEWLY_DENIED = "newly denied"
DENIAL_CHANGED = "denial changed"
UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Change:
    """One request decided under the old and the new policies."""

    case: Case
    old: EvaluationResult
    new: EvaluationResult

    @property
    def kind(self) -> str:
        """``newly allowed``, ``newly denied``, ``denial changed`` (explicit ↔ implicit) or ``unchanged``."""
        if self.old.decision is self.new.decision:
            return UNCHANGED
        if self.new.allowed:
            return NEWLY_ALLOWED
        if self.old.allowed:
            return NEWLY_DENIED
        return DENIAL_CHANGED

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "case": self.case.name,
            "principal": self.case.principal,
            "action": self.new.request.action,
            "resource": self.new.request.resource,
            "old": self.old.decision.value,
            "new": self.new.decision.value,
            "change": self.kind,
            "new_determining": [ref_to_dict(ref) for ref in self.new.determining],
        }


def compare(old: PolicyBundle, new: PolicyBundle, cases: tuple[Case, ...]) -> list[Change]:
    """Decide every request of ``cases`` under ``old`` and ``new``."""
    changes = []
    for case in cases:
        for action in case.actions:
            for resource in case.resources:
                changes.append(
                    Change(
                        case,
                        evaluate_request(old, case, action, resource, explain=False),
                        evaluate_request(new, case, action, resource, explain=False),
                    )
                )
    return changes


def _load_cases(path: str) -> tuple[Mapping[str, Any], tuple[Case, ...]]:
    data = read_data(Path(path))
    if not isinstance(data, Mapping) or "cases" not in data:
        raise InvalidInput(f"{path}: expected a suite or a file with cases:")
    return data, load_cases(data, path, expect_required=False)


def _is_policy_file(path: str) -> bool:
    target = Path(path)
    if target.is_dir():
        return False
    data = read_data(target)
    return isinstance(data, Mapping) and "Statement" in data


def _in_suite(
    suite: Mapping[str, Any], suite_path: str, old: str, new: str
) -> tuple[PolicyBundle, PolicyBundle] | None:
    """OLD and NEW each in the place of the suite's identity policy, the suite's other policies kept.

    ``None`` unless OLD and NEW are single policy files and the suite has a
    ``policies:`` section: otherwise each side is just what its path names.
    """
    section = suite.get("policies")
    if not isinstance(section, Mapping) or not (_is_policy_file(old) and _is_policy_file(new)):
        return None
    base = Path(suite_path).parent
    replaced = {Path(old).resolve(), Path(new).resolve()}
    refs = section.get("identity")
    refs = refs if isinstance(refs, list) else [] if refs is None else [refs]
    # The suite's own entries for OLD/NEW are what the two sides replace; any other identity policy stays.
    kept = [ref for ref in refs if not (isinstance(ref, str) and (base / ref).resolve() in replaced)]
    shared = load_policies_section({**section, "identity": kept}, base, f"{suite_path}: policies")
    sides = []
    for path in (old, new):
        policy = load_policy_file(Path(path), PolicyKind.IDENTITY)
        sides.append(shared.merge(PolicyBundle(identity=(policy,), sources=(path,))))
    return sides[0], sides[1]


@click.command("diff", epilog=EXAMPLES)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--cases", "cases_path", required=True, metavar="FILE", help="The requests to compare (a suite file).")
@click.option("--role", metavar="NAME", help="The role to read when OLD/NEW are templates or plans.")
@click.option(
    "--account",
    default=DEFAULT_ACCOUNT,
    show_default=True,
    help="What AWS::AccountId stands for in CloudFormation templates.",
)
@click.option("--all", "show_all", is_flag=True, help="Also list the requests whose decision did not change.")
@format_option()
@click.pass_context
def diff_command(
    ctx: click.Context,
    old: str,
    new: str,
    cases_path: str,
    role: str | None,
    account: str,
    show_all: bool,
    output_format: str,
) -> None:
    """Show which requests change decision between OLD and NEW policies.

    Answers "does this change grant new access?" offline: each request of the
    --cases file is decided under both versions; requests that become allowed
    are marked NEWLY ALLOWED, those that become denied NEWLY DENIED.
    """
    suite, cases = _load_cases(cases_path)
    in_suite = _in_suite(suite, cases_path, old, new) if role is None else None
    if in_suite is not None:
        old_bundle, new_bundle = in_suite
    else:
        old_bundle = load_target(old, role=role, account=account)
        new_bundle = load_target(new, role=role, account=account)
    changes = compare(old_bundle, new_bundle, cases)
    counts = {
        kind: sum(1 for c in changes if c.kind == kind)
        for kind in (NEWLY_ALLOWED, NEWLY_DENIED, DENIAL_CHANGED, UNCHANGED)
    }
    if output_format == "json":
        echo_json(
            {
                "grants_new_access": counts[NEWLY_ALLOWED] > 0,
                "summary": counts,
                "changes": [c.to_dict() for c in changes if show_all or c.kind != UNCHANGED],
            }
        )
    else:
        for change in changes:
            if change.kind == UNCHANGED and not show_all:
                continue
            marker = {
                NEWLY_ALLOWED: click.style("NEWLY ALLOWED", fg="red", bold=True),
                NEWLY_DENIED: click.style("NEWLY DENIED ", fg="yellow", bold=True),
                DENIAL_CHANGED: click.style("CHANGED      ", fg="cyan"),
                UNCHANGED: "unchanged    ",
            }[change.kind]
            click.echo(f"{marker}  {change.case.name}: {change.new.request.action} on {change.new.request.resource}")
            old_label = decision_label(change.old.decision, pad=False)
            click.echo(f"    {old_label} -> {decision_label(change.new.decision, pad=False)}")
        click.echo(", ".join(f"{n} {kind}" for kind, n in counts.items()))
    ctx.exit(EXIT_DENIED if counts[NEWLY_ALLOWED] else EXIT_OK)
