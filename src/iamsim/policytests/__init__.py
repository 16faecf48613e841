"""Policy test suites: a file format, a loader and a runner, for the CLI and the pytest plugin.

A pytest plugin collects suite files with :func:`is_suite_file`, loads them
with :func:`load_suite` and runs each case with :func:`run_case`; a failing
case's :func:`failure_text` says why::

    suite = load_suite("examples/policy-tests/s3-access-role.yaml")
    for case in suite.cases:
        outcome = run_case(suite, case)
        assert outcome.passed, failure_text(outcome)
"""

from __future__ import annotations

from iamsim.policytests.explain import explain_lines, result_to_dict
from iamsim.policytests.loader import is_suite_file, load_cases, load_suite
from iamsim.policytests.model import Case, CaseOutcome, Expectation, RequestOutcome, Suite, SuiteOutcome
from iamsim.policytests.report import failure_text, junit_xml, outcome_to_dict, suite_to_dict
from iamsim.policytests.runner import evaluate_request, run_case, run_suite

__all__ = [
    "Case",
    "CaseOutcome",
    "Expectation",
    "RequestOutcome",
    "Suite",
    "SuiteOutcome",
    "evaluate_request",
    "explain_lines",
    "failure_text",
    "is_suite_file",
    "junit_xml",
    "load_cases",
    "load_suite",
    "outcome_to_dict",
    "result_to_dict",
    "run_case",
    "run_suite",
    "suite_to_dict",
]
