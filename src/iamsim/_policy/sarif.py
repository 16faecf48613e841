"""Validation reports as SARIF 2.1.0, the format code-scanning services read.

One run, whose tool publishes every finding code as a rule; each finding
becomes a result pointing at its file (a plain file URI, never a fragment)
and, when known, its line and column. The place of the policy in the file (a
template's logical id and property, a plan's resource address) and the JSON
pointer of the finding travel as logical locations, so a reader without line
numbers can still find the value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from iamsim._policy.findings import Finding, Severity, ValidationReport
from iamsim._policy.lint_rules import RULES, Rule

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "report_to_sarif"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_TOOL_NAME = "iamsim"
_LEVELS = {
    Severity.ERROR: "error",
    Severity.SECURITY_WARNING: "warning",
    Severity.WARNING: "warning",
    Severity.SUGGESTION: "note",
}
# GitHub code scanning ranks security results by this 0.0-10.0 score ("high" from 7.0).
_SECURITY_SEVERITY = {Severity.SECURITY_WARNING: "7.5"}


#: One linted policy: its file, its report and, for a policy inside a template or plan, its place there.
Entry = tuple[str, ValidationReport] | tuple[str, ValidationReport, str | None]


def report_to_sarif(reports: Sequence[Entry], tool_version: str) -> dict[str, Any]:
    """Render ``(path, report)`` or ``(path, report, place)`` entries as one SARIF 2.1.0 log (a JSON-ready dict).

    ``path`` is the file the policy came from, as the results should name it
    (relative to the repository root for code scanning); ``place`` names the
    policy inside it (``Bucket.PolicyDocument``) and becomes a logical location.
    """
    rule_index = {code: index for index, code in enumerate(RULES)}
    artifacts: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for entry in reports:
        path, report = entry[0], entry[1]
        place = entry[2] if len(entry) == 3 else None
        uri = path.replace("\\", "/")
        artifacts.setdefault(uri, len(artifacts))
        results.extend(_result(finding, uri, artifacts[uri], rule_index, place) for finding in report.findings)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": _TOOL_NAME,
                        "version": tool_version,
                        "rules": [_rule(rule) for rule in RULES.values()],
                    }
                },
                "artifacts": [{"location": {"uri": uri}} for uri in artifacts],
                "results": results,
            }
        ],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    properties: dict[str, Any] = {"tags": ["iam", "policy", *(["security"] if rule.severity.rank <= 1 else [])]}
    if rule.severity in _SECURITY_SEVERITY:
        properties["security-severity"] = _SECURITY_SEVERITY[rule.severity]
    return {
        "id": rule.code,
        "name": "".join(part.capitalize() for part in rule.code.split("_")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title} ({rule.severity.value})."},
        "helpUri": rule.learn_more,
        "help": {"text": f"{rule.title}. See {rule.learn_more}"},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": properties,
    }


def _result(finding: Finding, uri: str, artifact: int, rule_index: dict[str, int], place: str | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": artifact}}
    if finding.line is not None:
        region: dict[str, int] = {"startLine": finding.line}
        if finding.column is not None:
            region["startColumn"] = finding.column
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    logical: list[dict[str, str]] = []
    if place:
        logical.append({"fullyQualifiedName": place, "kind": "resource"})
    if finding.pointer:
        logical.append({"fullyQualifiedName": f"{place or ''}{finding.pointer}", "kind": "object"})
    if logical:
        location["logicalLocations"] = logical
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "properties": {"severity": finding.severity.value, "pointer": finding.pointer},
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    if finding.statement_index is not None:
        result["properties"]["statementIndex"] = finding.statement_index
    return result
