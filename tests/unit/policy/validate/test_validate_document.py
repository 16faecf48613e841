"""Grammar, size and Version findings, and where they point (§A.1, §A.2, §D, §H.3)."""

from __future__ import annotations

import json

import pytest

from iamsim._policy.findings import Severity
from iamsim._policy.model import PolicyKind
from iamsim._policy.validate import PolicyValidator, validate_policy
from iamsim.errors import UsageError

from .builders import allow, codes, only, policy

CLEAN = policy(allow("s3:GetObject", "arn:aws:s3:::bucket/*"))


def test_a1_a_clean_policy_has_no_findings(validator: PolicyValidator) -> None:
    report = validator.validate(CLEAN)
    assert report.findings == ()
    assert report.ok
    assert report.worst is None


def test_a1_clean_text_policy_has_no_findings(validator: PolicyValidator) -> None:
    assert validator.validate(json.dumps(CLEAN, indent=2)).findings == ()


def test_a1_text_that_is_not_json_is_an_error_with_its_position(validator: PolicyValidator) -> None:
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [ }\n}'
    finding = only(validator.validate(text), "INVALID_JSON")
    assert finding.severity is Severity.ERROR
    assert (finding.line, finding.column) == (3, 18)
    assert "Syntax errors in policy." in finding.message


@pytest.mark.parametrize("document", [b"\xff\xfe{}", "", "null", "[1, 2]", '"text"', "42"])
def test_a1_non_policy_input_is_one_error_never_an_exception(validator: PolicyValidator, document: str | bytes) -> None:
    report = validator.validate(document)
    assert len(report.errors) == 1
    assert report.errors[0].code in {"INVALID_JSON", "MALFORMED_POLICY"}
    assert not report.ok


def test_a1_a_json_string_holding_a_policy_is_not_read_as_the_policy(validator: PolicyValidator) -> None:
    report = validator.validate(json.dumps(json.dumps(CLEAN)))
    assert codes(report) == ["MALFORMED_POLICY"]


def test_a1_a_value_that_is_neither_text_nor_mapping_is_an_error(validator: PolicyValidator) -> None:
    report = validator.validate(42)  # type: ignore[arg-type]
    assert codes(report) == ["INVALID_JSON"]


def test_a1_a_duplicate_key_is_reported_where_it_stands(validator: PolicyValidator) -> None:
    text = '{"Version": "2012-10-17",\n "Statement": {"Effect": "Allow", "Effect": "Deny"}}'
    finding = only(validator.validate(text), "INVALID_JSON")
    assert (finding.line, finding.column) == (2, 35)
    assert finding.pointer == "/Statement/Effect"


def test_a2_a_malformed_policy_is_an_error_with_pointer_line_column_and_statement(validator: PolicyValidator) -> None:
    text = (
        '{"Version": "2012-10-17", "Statement": [\n'
        '  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},\n'
        '  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "bucket"}\n'
        "]}"
    )
    finding = only(validator.validate(text), "MALFORMED_POLICY")
    assert finding.pointer == "/Statement/1/Resource"
    assert finding.statement_index == 1
    assert (finding.line, finding.column) == (3, 61)
    assert 'Resource bucket must be in ARN format or "*".' in finding.message


def test_a2_a_malformed_mapping_has_a_pointer_but_no_position(validator: PolicyValidator) -> None:
    finding = only(
        validator.validate(policy({"Effect": "allow", "Action": "s3:*", "Resource": "*"})), "MALFORMED_POLICY"
    )
    assert finding.pointer == "/Statement/0/Effect"
    assert (finding.line, finding.column) == (None, None)


def test_a4_each_kind_applies_its_own_grammar(validator: PolicyValidator) -> None:
    trust = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    assert validator.validate(trust, PolicyKind.TRUST).ok
    assert codes(validator.validate(trust, "identity")) == ["MALFORMED_POLICY"]


def test_an_unknown_kind_is_the_callers_mistake_and_raises(validator: PolicyValidator) -> None:
    with pytest.raises(UsageError):
        validator.validate(CLEAN, "no-such-kind")


def test_h3_a_policy_over_its_size_quota_is_an_error_and_still_linted(validator: PolicyValidator) -> None:
    actions = [f"s3:GetObject{'x' * 40}{n}" for n in range(200)]
    report = validator.validate(policy(allow(actions, "arn:aws:s3:::b/*")))
    assert "POLICY_TOO_LARGE" in codes(report)
    assert "UNKNOWN_ACTION" in codes(report)


def test_h3_whitespace_does_not_count_toward_the_identity_quota(validator: PolicyValidator) -> None:
    text = json.dumps(CLEAN, indent=4) + " " * 7000
    assert "POLICY_TOO_LARGE" not in codes(validator.validate(text))


def test_a1_a_missing_version_is_a_suggestion_at_the_document(validator: PolicyValidator) -> None:
    finding = only(
        validator.validate(policy(allow("s3:GetObject", "arn:aws:s3:::b/*"), version=None)), "MISSING_VERSION"
    )
    assert finding.severity is Severity.SUGGESTION
    assert finding.pointer == ""
    assert finding.statement_index is None


def test_a1_the_legacy_version_is_a_suggestion_at_version(validator: PolicyValidator) -> None:
    report = validator.validate(policy(allow("s3:GetObject", "arn:aws:s3:::b/*"), version="2008-10-17"))
    assert only(report, "LEGACY_VERSION").pointer == "/Version"
    assert "MISSING_VERSION" not in codes(report)


@pytest.mark.parametrize("version", [None, "2008-10-17"])
def test_d_variables_without_version_2012_are_literal(validator: PolicyValidator, version: str | None) -> None:
    statement = allow(
        "s3:GetObject",
        ["arn:aws:s3:::b/public/*", "arn:aws:s3:::b/${aws:username}/*"],
        Condition={"StringEquals": {"aws:PrincipalTag/team": ["x", "${aws:username}"]}},
    )
    report = validator.validate(policy(statement, version=version))
    found = [f for f in report.findings if f.code == "POLICY_VARIABLE_WITHOUT_VERSION"]
    assert [f.pointer for f in found] == [
        "/Statement/0/Resource/1",
        "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1team/1",
    ]
    assert all(f.severity is Severity.WARNING for f in found)


def test_d_variables_with_version_2012_are_fine(validator: PolicyValidator) -> None:
    report = validator.validate(policy(allow("s3:GetObject", "arn:aws:s3:::b/${aws:username}/*")))
    assert report.findings == ()


def test_a2_a_missing_sid_is_fine(validator: PolicyValidator) -> None:
    with_sid = policy({"Sid": "Read", **allow("s3:GetObject", "arn:aws:s3:::b/*")})
    assert validator.validate(with_sid).findings == validator.validate(CLEAN).findings == ()


def test_a1_a_lone_statement_object_is_pointed_at_as_statement(validator: PolicyValidator) -> None:
    document = {"Version": "2012-10-17", "Statement": allow(["s3:GetObject", "s3:GetObject"], "arn:aws:s3:::b/*")}
    finding = only(validator.validate(document), "DUPLICATE_ACTION")
    assert finding.pointer == "/Statement/Action/1"
    assert finding.statement_index == 0


def test_validate_policy_function_uses_the_bundled_catalog() -> None:
    assert codes(validate_policy(policy(allow("s3:GetObjekt")), "identity")) == ["UNKNOWN_ACTION"]


def test_findings_are_in_document_order(validator: PolicyValidator) -> None:
    text = json.dumps(
        policy(allow(["s3:NoSuch", "s3:GetObject", "s3:GetObject"], "arn:aws:s3:::b/*"), allow("nosuch:Thing")),
        indent=1,
    )
    report = validator.validate(text)
    positions = [(f.statement_index, f.line, f.column) for f in report.findings]
    assert positions == sorted(positions)
    assert codes(report) == ["UNKNOWN_ACTION", "DUPLICATE_ACTION", "UNKNOWN_SERVICE"]


def test_report_counts_and_thresholds(validator: PolicyValidator) -> None:
    report = validator.validate(policy(allow("s3:GetObjekt"), allow("iam:PassRole"), version=None))
    assert report.worst is Severity.ERROR
    assert report.fails_at(Severity.ERROR)
    assert len(report.errors) == 1
    assert len(report.security_warnings) == 1
    assert len(report.suggestions) >= 1
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["kind"] == "identity"
    assert data["ok"] is False
    assert data["counts"]["ERROR"] == 1
    assert data["findings"][0].keys() == {
        "severity",
        "code",
        "message",
        "pointer",
        "line",
        "column",
        "statement_index",
        "learn_more",
    }


def test_a_suggestion_only_report_passes_an_error_threshold(validator: PolicyValidator) -> None:
    report = validator.validate(policy(allow("s3:GetObject", "arn:aws:s3:::b/*"), version=None))
    assert report.ok
    assert not report.fails_at(Severity.WARNING)
    assert report.fails_at(Severity.SUGGESTION)
