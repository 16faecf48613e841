"""The suite loader and runner, as the CLI and the pytest plugin use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamsim._engine.result import Decision
from iamsim.errors import InvalidInputError
from iamsim.policytests import (
    Expectation,
    failure_text,
    is_suite_file,
    junit_xml,
    load_suite,
    run_case,
    run_suite,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "policy-tests"


@pytest.mark.parametrize(
    ("expectation", "decision", "met"),
    [
        (Expectation.DENIED, Decision.EXPLICIT_DENY, True),
        (Expectation.DENIED, Decision.IMPLICIT_DENY, True),
        (Expectation.DENIED, Decision.ALLOWED, False),
        (Expectation.IMPLICIT_DENY, Decision.EXPLICIT_DENY, False),
        (Expectation.ALLOWED, Decision.ALLOWED, True),
    ],
)
def test_expectations(expectation: Expectation, decision: Decision, met: bool) -> None:
    assert expectation.met_by(decision) is met


def test_load_suite_reads_policies_and_cases() -> None:
    suite = load_suite(EXAMPLES / "s3-access-role.yaml")
    assert suite.name == "S3AccessRole (AmazonS3ReadOnlyAccess)"
    assert suite.policies.identity[0].name == "AmazonS3ReadOnlyAccess"
    case = suite.case("reads objects in any bucket")
    assert case.actions == ("s3:GetObject", "s3:GetObjectVersion")
    assert len(case.resources) == 2
    assert run_case(suite, case).passed
    assert len(run_case(suite, case).requests) == 4


def test_run_suite_reports_each_case_to_a_callback() -> None:
    suite = load_suite(EXAMPLES / "company1-logs-role.yaml")
    seen: list[str] = []
    outcome = run_suite(suite, on_case=lambda c: seen.append(c.case.name))
    assert outcome.passed
    assert seen == [c.name for c in suite.cases]


def test_failure_text_explains(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "policies: {identity: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]}\n"
        "cases:\n  - {name: put, principal: 'arn:aws:iam::111122223333:role/r', action: s3:PutObject,"
        " resource: 'arn:aws:s3:::b/k',"
        " expect: allowed}\n"
    )
    suite = load_suite(tmp_path / "s.yaml")
    outcome = run_case(suite, suite.cases[0])
    assert not outcome.passed
    assert "expected allowed, got" in failure_text(outcome)
    assert "<failure " in junit_xml([run_suite(suite)])


def test_context_is_normalised(tmp_path: Path) -> None:
    """§C.3: lists become multivalued keys; keys are lowercased."""
    (tmp_path / "s.yaml").write_text(
        "policies: {identity: [arn:aws:iam::aws:policy/ReadOnlyAccess]}\n"
        "cases:\n  - {principal: '111122223333', action: s3:GetObject, expect: allowed,"
        " context: {aws:TagKeys: [a, b], aws:SecureTransport: true}}\n"
    )
    case = load_suite(tmp_path / "s.yaml").cases[0]
    assert case.context == {"aws:tagkeys": ("a", "b"), "aws:securetransport": "true"}
    assert case.name == "case 1"


def test_duplicate_case_names_are_rejected(tmp_path: Path) -> None:
    case = "{name: a, principal: '111122223333', action: s3:GetObject, expect: allowed}"
    (tmp_path / "s.yaml").write_text(
        f"policies: {{identity: [arn:aws:iam::aws:policy/ReadOnlyAccess]}}\ncases: [{case}, {case}]\n"
    )
    with pytest.raises(InvalidInputError, match="two cases are named 'a'"):
        load_suite(tmp_path / "s.yaml")


def test_is_suite_file_never_raises(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("a: [")
    (tmp_path / "plan.json").write_text("{}")
    assert not is_suite_file(tmp_path / "bad.yaml")
    assert not is_suite_file(tmp_path / "plan.json")
    assert is_suite_file(EXAMPLES / "s3-access-role.yaml")
