"""The pytest plugin collects policy test suites named by the ``iamsim_policy_suites`` ini option.

Expectations in these suites follow the evaluation logic of the spec: an identity
policy's Allow grants the request (§C.3: no statement matching gives an implicit deny).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policy-tests"
#: Cases in examples/policy-tests/*.yaml (company1-logs-role and s3-access-role).
EXAMPLE_CASES = 15
ROLE = "arn:aws:iam::111122223333:role/LogsReader"
READ_LOGS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::company1-logs/*"}],
}
INI = "[pytest]\niamsim_policy_suites = policy-tests/*.yaml\n"


def _suite(cases: str) -> str:
    return f"name: logs reader\npolicies:\n  identity: [read-logs.json]\ncases:\n{cases}"


PASSING_CASES = f"""\
  - name: reads log objects
    principal: {ROLE}
    action: s3:GetObject
    resource: arn:aws:s3:::company1-logs/app.log
    expect: allowed
  - name: cannot write log objects
    principal: {ROLE}
    action: s3:PutObject
    resource: arn:aws:s3:::company1-logs/app.log
    expect: implicitDeny
"""

FAILING_CASE = f"""\
  - name: reads other buckets
    principal: {ROLE}
    action: s3:GetObject
    resource: arn:aws:s3:::company2-logs/app.log
    expect: allowed
"""


def _write_suite(pytester: pytest.Pytester, text: str, name: str = "logs.yaml") -> Path:
    directory = pytester.path / "policy-tests"
    directory.mkdir(exist_ok=True)
    (directory / "read-logs.json").write_text(json.dumps(READ_LOGS))
    suite = directory / name
    suite.write_text(text)
    return suite


def test_passing_suite_gives_one_passed_item_per_case(pytester: pytest.Pytester) -> None:
    """§C.3: a matched Allow passes, an unmatched action is an implicit deny; each case is its own item."""
    pytester.makeini(INI)
    _write_suite(pytester, _suite(PASSING_CASES))
    result = pytester.runpytest("-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*policy-tests/logs.yaml::reads log objects PASSED*",
            "*policy-tests/logs.yaml::cannot write log objects PASSED*",
        ]
    )


def test_failing_case_reports_the_explanation_without_a_traceback(pytester: pytest.Pytester) -> None:
    """§C.3: no statement matches another bucket; the report says so and shows no Python code."""
    pytester.makeini(INI)
    _write_suite(pytester, _suite(PASSING_CASES + FAILING_CASE))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*s3:GetObject on arn:aws:s3:::company2-logs/app.log: expected allowed, got implicitDeny*",
            "*no statement allows this request*",
            "FAILED policy-tests/logs.yaml::reads other buckets*",
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")
    result.stdout.no_fnmatch_line("*runtest*")
    result.stdout.no_fnmatch_line("*pytest_plugin.py*")


def test_failing_case_location_is_the_suite_file(pytester: pytest.Pytester) -> None:
    """reportinfo points at the suite file and names the case."""
    pytester.makeini(INI)
    suite = _write_suite(pytester, _suite(FAILING_CASE))
    items, _ = pytester.inline_genitems("-p", "no:cacheprovider")
    assert [item.name for item in items] == ["reads other buckets"]
    path, line, description = items[0].reportinfo()
    assert Path(path) == suite
    assert line is None
    assert description == "policy case: reads other buckets"


def test_suites_are_not_collected_without_the_ini_option(pytester: pytest.Pytester) -> None:
    """Collection is opt-in: without iamsim_policy_suites no YAML file becomes a test."""
    _write_suite(pytester, _suite(PASSING_CASES + FAILING_CASE))
    result = pytester.runpytest("-p", "no:cacheprovider", "policy-tests")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.assert_outcomes()


def test_unrelated_yaml_matching_the_glob_is_not_collected(pytester: pytest.Pytester) -> None:
    """A matching file without cases: is not a suite and is left alone."""
    pytester.makeini(INI)
    _write_suite(pytester, "name: not a suite\nsteps: [build, deploy]\n", name="workflow.yaml")
    _write_suite(pytester, _suite(PASSING_CASES))
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_suites_outside_the_glob_are_not_collected(pytester: pytest.Pytester) -> None:
    """Only files the globs match are collected, even when they look like suites."""
    pytester.makeini("[pytest]\niamsim_policy_suites = policy-tests/prod-*.yaml\n")
    _write_suite(pytester, _suite(PASSING_CASES), name="prod-logs.yaml")
    _write_suite(pytester, _suite(FAILING_CASE), name="staging-logs.yaml")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_broken_suite_is_one_collection_error_with_the_loader_message(pytester: pytest.Pytester) -> None:
    """A suite the loader rejects is a collection error naming the problem, without a traceback."""
    pytester.makeini(INI)
    _write_suite(pytester, _suite(PASSING_CASES.replace("expect: allowed", "expect: permitted")))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR collecting policy-tests/logs.yaml*",
            "*cases[[]0[]] (reads log objects).expect (line *): must be one of*not 'permitted'*",
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")


def test_repository_example_suites_pass(pytester: pytest.Pytester) -> None:
    """The suites shipped in examples/policy-tests run green as pytest items."""
    shutil.copytree(EXAMPLES, pytester.path / "policy-tests")
    pytester.makeini(INI)
    result = pytester.runpytest("-v", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*company1-logs-role.yaml::reads log objects PASSED*"])
    result.stdout.fnmatch_lines(["*s3-access-role.yaml::lists the buckets PASSED*"])
    result.assert_outcomes(passed=EXAMPLE_CASES)


def test_unreadable_file_matching_the_glob_is_a_collection_error(pytester: pytest.Pytester) -> None:
    """A suite with broken YAML must not vanish from CI: it is one collection error."""
    pytester.makeini("[pytest]\niamsim_policy_suites = policy-tests/*.yaml\n")
    pytester.mkdir("policy-tests")
    (pytester.path / "policy-tests" / "typo.yaml").write_text("cases: [\n  - name: x\n", encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*iamsim policy suite:*"])


def test_check_case_failure_reports_the_witnesses(pytester: pytest.Pytester) -> None:
    """Issue 15: a check: case is an item; its FAIL lists witness requests (§F.1: s3:PutObject is new access)."""
    pytester.makeini(INI)
    directory = pytester.path / "policy-tests"
    directory.mkdir()
    write = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*Object", "Resource": "arn:aws:s3:::company1-logs/*"}],
    }
    (directory / "write-logs.json").write_text(json.dumps(write))
    _write_suite(
        pytester,
        "name: logs writer\npolicies:\n  identity: [write-logs.json]\ncases:\n"
        "  - {name: within the read policy, check: no-new-access, baseline: read-logs.json, seconds: 120}\n"
        "  - {name: never deletes buckets, check: access-not-granted, action: 's3:DeleteBucket', seconds: 120}\n",
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*no-new-access: FAIL: the policies allow requests the baseline does not; witnesses:*",
            "*old: implicitDeny, new: allowed*",
            "FAILED policy-tests/logs.yaml::within the read policy*",
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")
