"""Reports of suite runs: failure text, JSON-ready data and JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from iamsim._prover.describe import check_failure_text
from iamsim.policytests.explain import explain_lines, result_to_dict
from iamsim.policytests.model import CaseOutcome, Expectation, SuiteOutcome

__all__ = ["check_failure_text", "failure_text", "junit_xml", "outcome_to_dict", "suite_to_dict"]


def _expected(expect: Expectation | None) -> str:
    return "anything" if expect is None else expect.value


def failure_text(outcome: CaseOutcome) -> str:
    """Why ``outcome`` failed: for each failing request, expected vs got and the explanation.

    A ``check:`` case's text is the prover's answer with its witnesses (:func:`check_failure_text`).
    """
    if outcome.check is not None:
        return check_failure_text(outcome.check)
    blocks = []
    for request in outcome.failures:
        head = (
            f"{request.action} on {request.resource}: expected {_expected(outcome.case.expect)}, "
            f"got {request.result.decision.value}"
        )
        blocks.append("\n".join([head, *("  " + line for line in explain_lines(request.result))]))
    return "\n".join(blocks)


def outcome_to_dict(outcome: CaseOutcome) -> dict[str, Any]:
    """One case's outcome as JSON-ready data (failing requests carry their explanation)."""
    case = outcome.case
    if outcome.check is not None:
        return {
            "name": case.name,
            "passed": outcome.passed,
            "principal": case.principal,
            "expect": None,
            "requests": [],
            "check": outcome.check.to_dict(),
        }
    return {
        "name": case.name,
        "passed": outcome.passed,
        "principal": case.principal,
        "expect": None if case.expect is None else case.expect.value,
        "requests": [
            {**result_to_dict(r.result), "passed": r.passed}
            if not r.passed
            else {"action": r.action, "resource": r.resource, "decision": r.result.decision.value, "passed": True}
            for r in outcome.requests
        ],
    }


def suite_to_dict(outcome: SuiteOutcome) -> dict[str, Any]:
    """One suite's outcome as JSON-ready data."""
    return {
        "suite": outcome.suite.name,
        "path": str(outcome.suite.path),
        "passed": outcome.passed,
        "total": len(outcome.cases),
        "failed": len(outcome.failed),
        "cases": [outcome_to_dict(c) for c in outcome.cases],
    }


def junit_xml(outcomes: Sequence[SuiteOutcome]) -> str:
    """A JUnit XML report: one ``<testsuite>`` per suite, one ``<testcase>`` per case."""
    root = ET.Element(
        "testsuites",
        name="iamsim",
        tests=str(sum(len(o.cases) for o in outcomes)),
        failures=str(sum(len(o.failed) for o in outcomes)),
    )
    for outcome in outcomes:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=outcome.suite.name,
            file=str(outcome.suite.path),
            tests=str(len(outcome.cases)),
            failures=str(len(outcome.failed)),
            errors="0",
        )
        for case in outcome.cases:
            element = ET.SubElement(suite, "testcase", classname=outcome.suite.name, name=case.case.name)
            if not case.passed:
                if case.check is not None:
                    message = f"{case.check.question}: {case.check.verdict.value}"
                else:
                    first = case.failures[0]
                    message = f"expected {_expected(case.case.expect)}, got {first.result.decision.value}"
                failure = ET.SubElement(element, "failure", message=message, type="PolicyTestFailure")
                failure.text = failure_text(case)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
