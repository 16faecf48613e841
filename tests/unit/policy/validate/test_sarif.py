"""The SARIF 2.1.0 rendering of validation reports: required structure, rules, regions."""

from __future__ import annotations

import json
from typing import Any

from iamsim._policy.lint_rules import RULES
from iamsim._policy.sarif import SARIF_VERSION, report_to_sarif
from iamsim._policy.validate import PolicyValidator

from .builders import allow, policy

TEXT = json.dumps(policy(allow(["s3:GetObjekt", "iam:PassRole"])), indent=2)


def _log(validator: PolicyValidator) -> dict[str, Any]:
    reports = [
        ("policies/app.json", validator.validate(TEXT)),
        ("policies\\clean.json", validator.validate(policy(allow("s3:GetObject", "arn:aws:s3:::b/*")))),
    ]
    return report_to_sarif(reports, tool_version="1.2.3")


def test_sarif_log_has_the_required_top_level_structure(validator: PolicyValidator) -> None:
    log = _log(validator)
    assert json.loads(json.dumps(log)) == log
    assert log["version"] == SARIF_VERSION == "2.1.0"
    assert isinstance(log["$schema"], str)
    runs = log["runs"]
    assert isinstance(runs, list)
    assert len(runs) == 1
    driver = runs[0]["tool"]["driver"]
    assert driver["name"] == "iamsim"
    assert driver["version"] == "1.2.3"
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"]
        assert rule["helpUri"].startswith("https://docs.aws.amazon.com/")
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}


def test_sarif_results_point_at_file_line_and_column(validator: PolicyValidator) -> None:
    log = _log(validator)
    run = log["runs"][0]
    results = run["results"]
    report = validator.validate(TEXT)
    assert len(results) == len(report.findings)
    rules = run["tool"]["driver"]["rules"]
    for result, finding in zip(results, report.findings, strict=True):
        assert result["ruleId"] == finding.code
        assert rules[result["ruleIndex"]]["id"] == finding.code
        assert result["message"]["text"] == finding.message
        assert result["level"] in {"error", "warning", "note"}
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "policies/app.json"
        assert location["region"] == {"startLine": finding.line, "startColumn": finding.column}
    unknown = next(r for r in results if r["ruleId"] == "UNKNOWN_ACTION")
    assert unknown["level"] == "error"
    assert unknown["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/Statement/0/Action/0"
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["policies/app.json", "policies/clean.json"]


def test_sarif_result_without_position_has_no_region(validator: PolicyValidator) -> None:
    log = report_to_sarif([("p.json", validator.validate(policy(allow("s3:GetObjekt"))))], tool_version="0")
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert "region" not in location


def test_sarif_of_no_reports_is_an_empty_run() -> None:
    log = report_to_sarif([], tool_version="0")
    assert log["runs"][0]["results"] == []
