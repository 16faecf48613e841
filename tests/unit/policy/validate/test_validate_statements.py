"""Statement-level findings: redundant statements, and Allows an unconditional Deny overrides (§F.1)."""

from __future__ import annotations

from iamsim._policy.findings import Severity
from iamsim._policy.model import PolicyKind
from iamsim._policy.validate import PolicyValidator

from .builders import allow, codes, deny, only, policy

OBJECTS = "arn:aws:s3:::b/*"


def test_a_statement_covered_by_an_unconditional_one_of_the_same_effect_is_redundant(
    validator: PolicyValidator,
) -> None:
    report = validator.validate(
        policy(
            allow(["s3:GetObject", "s3:PutObject"], OBJECTS),
            {"Sid": "Narrow", **allow("s3:GetObject", "arn:aws:s3:::b/reports/*")},
        )
    )
    finding = only(report, "REDUNDANT_STATEMENT")
    assert finding.severity is Severity.SUGGESTION
    assert finding.pointer == "/Statement/1"
    assert finding.statement_index == 1
    assert "'Narrow'" in finding.message


def test_of_two_identical_statements_only_the_later_is_redundant(validator: PolicyValidator) -> None:
    report = validator.validate(policy(allow("s3:GetObject", OBJECTS), allow("s3:GetObject", OBJECTS)))
    assert only(report, "REDUNDANT_STATEMENT").statement_index == 1


def test_a_conditional_statement_covers_nothing(validator: PolicyValidator) -> None:
    conditional = allow("s3:*", "*", Condition={"Bool": {"aws:SecureTransport": "true"}})
    report = validator.validate(policy(conditional, allow("s3:GetObject", OBJECTS)))
    assert "REDUNDANT_STATEMENT" not in codes(report)


def test_a_conditional_statement_is_still_covered(validator: PolicyValidator) -> None:
    conditional = allow("s3:GetObject", OBJECTS, Condition={"Bool": {"aws:SecureTransport": "true"}})
    assert only(validator.validate(policy(allow("s3:*", "*"), conditional)), "REDUNDANT_STATEMENT").statement_index == 1


def test_statements_on_other_resources_are_not_redundant(validator: PolicyValidator) -> None:
    report = validator.validate(policy(allow("s3:GetObject", OBJECTS), allow("s3:GetObject", "arn:aws:s3:::c/*")))
    assert report.findings == ()


def test_notaction_covers_what_it_does_not_exclude(validator: PolicyValidator) -> None:
    broad = {"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}
    report = validator.validate(policy(broad, deny("s3:DeleteBucket", "arn:aws:s3:::b")))
    assert only(report, "REDUNDANT_STATEMENT").statement_index == 1
    overlapping = validator.validate(policy(broad, deny("iam:DeleteRole", "*")))
    assert "REDUNDANT_STATEMENT" not in codes(overlapping)


def test_notresource_covers_what_it_does_not_exclude(validator: PolicyValidator) -> None:
    broad = {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::mine/*"}
    report = validator.validate(policy(broad, deny("s3:GetObject", "arn:aws:s3:::theirs/*")))
    assert only(report, "REDUNDANT_STATEMENT").statement_index == 1
    inside = validator.validate(policy(broad, deny("s3:GetObject", "arn:aws:s3:::mine/x")))
    assert "REDUNDANT_STATEMENT" not in codes(inside)


def test_f1_an_allow_an_unconditional_deny_covers_is_unreachable(validator: PolicyValidator) -> None:
    report = validator.validate(policy(allow("s3:GetObject", OBJECTS), deny("s3:*", "*")))
    finding = only(report, "UNREACHABLE_ALLOW")
    assert finding.severity is Severity.WARNING
    assert finding.pointer == "/Statement/0"


def test_f1_a_conditional_deny_or_a_partial_deny_leaves_the_allow_reachable(validator: PolicyValidator) -> None:
    conditional = deny("s3:*", "*", Condition={"Bool": {"aws:SecureTransport": "false"}})
    assert validator.validate(policy(allow("s3:GetObject", OBJECTS), conditional)).findings == ()
    partial = deny("s3:GetObject", "arn:aws:s3:::b/secret/*")
    assert validator.validate(policy(allow("s3:GetObject", OBJECTS), partial)).findings == ()


def test_principals_take_part_in_coverage(validator: PolicyValidator) -> None:
    def statement(principal: object, effect: str = "Allow") -> dict[str, object]:
        return {"Effect": effect, "Principal": principal, "Action": "s3:GetObject", "Resource": OBJECTS}

    one, other = {"AWS": "arn:aws:iam::111122223333:root"}, {"AWS": "arn:aws:iam::444455556666:root"}
    assert validator.validate(policy(statement(one), statement(other)), PolicyKind.RESOURCE).findings == ()
    report = validator.validate(policy(statement(one), statement(other, "Deny")), PolicyKind.RESOURCE)
    assert "UNREACHABLE_ALLOW" not in codes(report)
    everyone = validator.validate(policy(statement(one), statement("*", "Deny")), PolicyKind.RESOURCE)
    assert only(everyone, "UNREACHABLE_ALLOW").statement_index == 0
