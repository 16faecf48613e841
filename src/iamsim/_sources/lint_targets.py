"""What ``iamsim validate`` lints in one file: each policy document, its place, and findings at file positions.

A plain policy file is one document whose findings already carry its lines.
A CloudFormation template or a Terraform plan holds many; each is linted on
its own and every finding is moved to where its value stands in the file
(:mod:`iamsim._sources.positions`), so a reader, an editor or a code-scanning
service lands on the line. The document's place in the file (a logical id and
property, a Terraform address and attribute) travels with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from iamsim._policy.findings import Finding, ValidationReport
from iamsim._policy.lint_rules import UNRESOLVED_VALUE
from iamsim._policy.model import PolicyKind
from iamsim._policy.validate import validate_policy
from iamsim._sources.cloudformation import CloudFormationTemplate, template_documents
from iamsim._sources.positions import FilePositions, file_positions
from iamsim._sources.terraform import TerraformPlan, plan_documents

__all__ = ["LintTarget", "plan_targets", "template_targets"]

Relocate = Callable[[Finding], Finding]


@dataclass(frozen=True, slots=True)
class LintTarget:
    """One policy document to lint and how to report it."""

    file: Path
    #: The document's place inside the file (``Bucket.PolicyDocument``); ``None`` for a plain policy file.
    place: str | None
    kind: PolicyKind
    #: JSON text or a mapping; ``None`` when the document could not be read (``problem`` says why).
    document: str | Mapping[str, Any] | None
    #: The finding that stands for a document that could not be read.
    problem: Finding | None = None
    #: Moves a finding of the document to its position in the file.
    relocate: Relocate | None = None

    @property
    def label(self) -> str:
        """The file, and the place in it when there is one (``template.yaml#Bucket.PolicyDocument``)."""
        return str(self.file) if self.place is None else f"{self.file}#{self.place}"

    def lint(self) -> ValidationReport:
        """The findings of the document, at their positions in the file."""
        if self.document is None:
            return ValidationReport(self.kind, (self.problem,) if self.problem is not None else ())
        report = validate_policy(self.document, self.kind)
        if self.relocate is None:
            return report
        return ValidationReport(report.kind, tuple(self.relocate(finding) for finding in report.findings))


def _at(finding: Finding, where: tuple[int, int] | None) -> Finding:
    if where is None:
        return replace(finding, line=None, column=None)
    return replace(finding, line=where[0], column=where[1])


def template_targets(template: CloudFormationTemplate, text: str) -> list[LintTarget]:
    """Every policy document of ``template`` (whose file's text is ``text``)."""
    positions = file_positions(str(template.path), text)
    targets: list[LintTarget] = []
    for found in template_documents(template):

        def relocate(finding: Finding, pointer: str = found.pointer) -> Finding:
            return _at(finding, positions.locate(pointer + finding.pointer) if positions else None)

        problem = None
        if found.unresolved is not None:
            where, reason = found.unresolved
            problem = _at(
                UNRESOLVED_VALUE.finding(f"The policy was not checked: {reason}", where.removeprefix(found.pointer)),
                positions.locate(where) if positions else None,
            )
        targets.append(LintTarget(template.path, found.place, found.kind, found.document, problem, relocate))
    return targets


def _into_string(positions: FilePositions | None, pointer: str) -> Relocate:
    def relocate(finding: Finding) -> Finding:
        if positions is None:
            return _at(finding, None)
        inside = None
        if finding.line is not None and finding.column is not None:
            inside = positions.locate_in_string(pointer, finding.line, finding.column)
        return _at(finding, inside or positions.locate(pointer))

    return relocate


def plan_targets(plan: TerraformPlan, text: str) -> list[LintTarget]:
    """Every policy document of ``plan`` (whose file's text is ``text``).

    Plans keep policies as JSON strings: a finding is placed on the character
    of the string literal it is about, or at the literal when that is unclear.
    """
    documents = plan_documents(plan)
    # Reading positions costs a second pass over a large file: only when something is linted.
    positions = file_positions(str(plan.path), text) if documents else None
    return [
        LintTarget(plan.path, found.place, found.kind, found.text, None, _into_string(positions, found.pointer))
        for found in documents
    ]
