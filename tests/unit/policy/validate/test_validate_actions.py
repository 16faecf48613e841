"""Action and NotAction findings (§B.1): names against the service reference, repeats, broad grants."""

from __future__ import annotations

import json

import pytest

from iamsim._policy.findings import Severity
from iamsim._policy.model import PolicyKind
from iamsim._policy.validate import PolicyValidator

from .builders import allow, codes, deny, only, policy


def test_b1_an_unknown_service_prefix_is_an_error_naming_it(validator: PolicyValidator) -> None:
    finding = only(validator.validate(policy(deny(["s3:GetObject", "lamda:InvokeFunction"]))), "UNKNOWN_SERVICE")
    assert finding.severity is Severity.ERROR
    assert finding.pointer == "/Statement/0/Action/1"
    assert "'lamda'" in finding.message
    assert "did you mean 'lambda'" in finding.message


def test_b1_an_unknown_action_is_an_error_with_a_suggestion(validator: PolicyValidator) -> None:
    text = json.dumps(policy(allow("s3:GetObjekt", "arn:aws:s3:::b/*")), indent=2)
    finding = only(validator.validate(text), "UNKNOWN_ACTION")
    assert finding.severity is Severity.ERROR
    assert finding.pointer == "/Statement/0/Action"
    assert (finding.line, finding.column) == (6, 17)
    assert "'GetObjekt'" in finding.message
    assert "did you mean 's3:GetObject'" in finding.message


def test_b1_an_unknown_action_far_from_any_name_has_no_suggestion(validator: PolicyValidator) -> None:
    finding = only(validator.validate(policy(allow("s3:Zzzzzzzzzzzz"))), "UNKNOWN_ACTION")
    assert "did you mean" not in finding.message


@pytest.mark.parametrize("action", ["S3:GETOBJECT", "iam:passrole", "sts:AssumeRole"])
def test_b1_action_names_are_case_insensitive(validator: PolicyValidator, action: str) -> None:
    report = validator.validate(policy(deny(action)))
    assert not {"UNKNOWN_ACTION", "UNKNOWN_SERVICE"} & set(codes(report))


@pytest.mark.parametrize("pattern", ["s3:Get*", "s3:*Object", "s3:Get?bject", "ec2:Describe*", "*:GetObject"])
def test_b1_a_wildcard_that_matches_actions_is_fine(validator: PolicyValidator, pattern: str) -> None:
    assert "ACTION_WILDCARD_MATCHES_NOTHING" not in codes(validator.validate(policy(deny(pattern))))


@pytest.mark.parametrize("pattern", ["s3:Gett*", "s3:Get?", "*:NoSuchActionAnywhere*"])
def test_b1_a_wildcard_that_matches_no_action_is_an_error(validator: PolicyValidator, pattern: str) -> None:
    finding = only(validator.validate(policy(deny(pattern))), "ACTION_WILDCARD_MATCHES_NOTHING")
    assert repr(pattern) in finding.message


def test_b1_notaction_names_are_checked_too(validator: PolicyValidator) -> None:
    statement = {"Effect": "Deny", "NotAction": ["iam:GetUser", "iam:GetUsr"], "Resource": "*"}
    finding = only(validator.validate(policy(statement)), "UNKNOWN_ACTION")
    assert finding.pointer == "/Statement/0/NotAction/1"


def test_a_repeated_action_is_a_suggestion_ignoring_case(validator: PolicyValidator) -> None:
    report = validator.validate(policy(allow(["s3:GetObject", "s3:PutObject", "S3:getobject"], "arn:aws:s3:::b/*")))
    finding = only(report, "DUPLICATE_ACTION")
    assert finding.severity is Severity.SUGGESTION
    assert finding.pointer == "/Statement/0/Action/2"


def test_distinct_actions_are_no_repeat(validator: PolicyValidator) -> None:
    report = validator.validate(policy(allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::b/*")))
    assert report.findings == ()


def test_an_action_a_wildcard_of_the_same_list_covers_is_redundant(validator: PolicyValidator) -> None:
    report = validator.validate(policy(deny(["s3:Get*", "s3:GetObject", "s3:PutObject"])))
    finding = only(report, "REDUNDANT_ACTION")
    assert finding.pointer == "/Statement/0/Action/1"
    assert "'s3:Get*'" in finding.message


def test_of_two_equivalent_wildcards_only_the_later_is_redundant(validator: PolicyValidator) -> None:
    report = validator.validate(policy(deny(["s3:Get*", "s3:Get**"])))
    assert only(report, "REDUNDANT_ACTION").pointer == "/Statement/0/Action/1"


def test_b1_allow_with_notaction_is_a_security_warning(validator: PolicyValidator) -> None:
    statement = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    finding = only(validator.validate(policy(statement)), "ALLOW_WITH_NOT_ACTION")
    assert finding.severity is Severity.SECURITY_WARNING
    assert finding.pointer == "/Statement/0/NotAction"


def test_b1_deny_with_notaction_is_fine(validator: PolicyValidator) -> None:
    statement = {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}
    assert "ALLOW_WITH_NOT_ACTION" not in codes(validator.validate(policy(statement)))


def test_allow_of_every_action_is_a_suggestion(validator: PolicyValidator) -> None:
    finding = only(validator.validate(policy(allow(["s3:GetObject", "*"]))), "FULL_WILDCARD_ACTION")
    assert finding.severity is Severity.SUGGESTION
    assert finding.pointer == "/Statement/0/Action/1"


@pytest.mark.parametrize("kind", [PolicyKind.BOUNDARY, PolicyKind.SESSION, PolicyKind.SCP])
def test_allow_of_every_action_in_a_limiting_kind_is_fine(validator: PolicyValidator, kind: PolicyKind) -> None:
    assert "FULL_WILDCARD_ACTION" not in codes(validator.validate(policy(allow("*")), kind))


def test_deny_of_every_action_is_fine(validator: PolicyValidator) -> None:
    assert validator.validate(policy(deny("*"))).findings == ()
