"""Resource findings (§B.1, §B.2): ARNs against the actions' resource types, PassRole, NotResource, broad "*"."""

from __future__ import annotations

import pytest

from iamsim._policy.findings import Severity
from iamsim._policy.model import PolicyKind
from iamsim._policy.validate import PolicyValidator, validate_policy

from .builders import allow, codes, deny, only, policy


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("s3:GetObject", "arn:aws:s3:::bucket/key"),
        ("s3:GetObject", "arn:aws:s3:::bucket/*"),
        ("s3:GetObject", "arn:aws:s3:::*"),
        ("s3:ListBucket", "arn:aws:s3:::bucket"),
        ("s3:ListBucket", "arn:aws:s3:::bucket*"),
        ("s3:GetObject", "arn:aws:s3:::bucket/${aws:username}/*"),
        ("iam:GetRole", "arn:aws:iam::111122223333:role/path/to/name"),
        ("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111122223333:function:f:live"),
        ("logs:PutLogEvents", "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f:log-stream:*"),
        ("sqs:SendMessage", "arn:aws:sqs"),
        ("s3:GetObject", "arn:aws:*:::bucket/key"),
    ],
)
def test_b2_resources_that_fit_a_resource_type_of_the_action_are_fine(
    validator: PolicyValidator, action: str, resource: str
) -> None:
    report = validator.validate(policy(deny(action, resource)))
    assert report.findings == ()


def test_b2_a_resource_of_no_listed_action_is_a_warning_at_the_resource(validator: PolicyValidator) -> None:
    report = validator.validate(
        policy(deny(["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::b/*", "arn:aws:sqs:us-east-1:111122223333:q"]))
    )
    finding = only(report, "RESOURCE_MATCHES_NO_ACTION")
    assert finding.severity is Severity.WARNING
    assert finding.pointer == "/Statement/0/Resource/1"
    assert "arn:aws:sqs:us-east-1:111122223333:q" in finding.message
    assert "s3:GetObject" in finding.message


def test_b2_an_object_arn_for_a_bucket_action_is_reported_at_the_action(validator: PolicyValidator) -> None:
    report = validator.validate(policy(deny(["s3:GetObject", "s3:ListBucket"], "arn:aws:s3:::b/*")))
    finding = only(report, "ACTION_MATCHES_NO_RESOURCE")
    assert finding.pointer == "/Statement/0/Action/1"
    assert "s3:ListBucket" in finding.message
    assert "RESOURCE_MATCHES_NO_ACTION" not in codes(report)


def test_b1_a_resource_less_action_with_an_arn_never_applies(validator: PolicyValidator) -> None:
    report = validator.validate(policy(deny(["s3:ListAllMyBuckets", "s3:GetObject"], "arn:aws:s3:::b/*")))
    finding = only(report, "ACTION_MATCHES_NO_RESOURCE")
    assert finding.pointer == "/Statement/0/Action/0"
    assert 'Resource "*"' in finding.message


def test_b1_a_resource_less_action_alone_with_an_arn_is_reported_at_both(validator: PolicyValidator) -> None:
    report = validator.validate(policy(deny("s3:ListAllMyBuckets", "arn:aws:s3:::b")))
    assert sorted(codes(report)) == ["ACTION_MATCHES_NO_RESOURCE", "RESOURCE_MATCHES_NO_ACTION"]


def test_wildcard_actions_and_unknown_actions_are_not_judged_by_resource(validator: PolicyValidator) -> None:
    assert validator.validate(policy(deny("s3:*", "arn:aws:s3:::b"))).findings == ()
    report = validator.validate(policy(deny(["s3:GetObject", "s3:NoSuch"], "arn:aws:sqs:us-east-1:1:q")))
    assert "RESOURCE_MATCHES_NO_ACTION" not in codes(report)


def test_resource_policies_without_resource_are_not_judged(validator: PolicyValidator) -> None:
    document = policy({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:ListBucket"})
    assert validator.validate(document, PolicyKind.RESOURCE).findings == ()


def test_passrole_on_every_role_is_a_security_warning(validator: PolicyValidator) -> None:
    for resource in ("*", "arn:aws:iam::*:role/*", "arn:aws:iam::*:*"):
        finding = only(
            validator.validate(policy(allow(["iam:PassRole", "iam:GetRole"], resource))),
            "PASS_ROLE_WITH_WILDCARD_RESOURCE",
        )
        assert finding.severity is Severity.SECURITY_WARNING
        assert resource in finding.message


@pytest.mark.parametrize("action", ["iam:Pass*", "iam:*", "IAM:PASSROLE"])
def test_passrole_through_an_iam_wildcard_is_reported_too(validator: PolicyValidator, action: str) -> None:
    assert "PASS_ROLE_WITH_WILDCARD_RESOURCE" in codes(validator.validate(policy(allow(action))))


def test_passrole_on_named_roles_or_denied_is_fine(validator: PolicyValidator) -> None:
    named = policy(allow("iam:PassRole", "arn:aws:iam::111122223333:role/app-*"))
    assert validator.validate(named).findings == ()
    assert "PASS_ROLE_WITH_WILDCARD_RESOURCE" not in codes(validator.validate(policy(deny("iam:PassRole"))))


def test_b1_allow_with_notresource_is_a_warning(validator: PolicyValidator) -> None:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}
    finding = only(validator.validate(policy(statement)), "ALLOW_WITH_NOT_RESOURCE")
    assert finding.severity is Severity.WARNING
    assert finding.pointer == "/Statement/0/NotResource"


def test_b1_deny_with_notresource_is_fine(validator: PolicyValidator) -> None:
    statement = {"Effect": "Deny", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::mine/*"}
    assert validator.validate(policy(statement)).findings == ()


def test_a_repeated_resource_is_a_suggestion(validator: PolicyValidator) -> None:
    report = validator.validate(
        policy(deny("s3:GetObject", ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*", "arn:aws:s3:::b/*"]))
    )
    assert only(report, "DUPLICATE_RESOURCE").pointer == "/Statement/0/Resource/2"


def test_resource_star_where_every_action_has_resource_types_is_a_suggestion(validator: PolicyValidator) -> None:
    finding = only(validator.validate(policy(allow(["s3:GetObject", "s3:PutObject"]))), "NARROWABLE_WILDCARD_RESOURCE")
    assert finding.severity is Severity.SUGGESTION
    assert finding.pointer == "/Statement/0/Resource"
    assert "object" in finding.message


def test_resource_star_is_needed_by_a_resource_less_action(validator: PolicyValidator) -> None:
    report = validator.validate(policy(allow(["s3:ListAllMyBuckets", "s3:GetObject"])))
    assert "NARROWABLE_WILDCARD_RESOURCE" not in codes(report)


@pytest.mark.parametrize("kind", [PolicyKind.BOUNDARY, PolicyKind.SCP])
def test_resource_star_in_limiting_kinds_is_fine(validator: PolicyValidator, kind: PolicyKind) -> None:
    assert "NARROWABLE_WILDCARD_RESOURCE" not in codes(validator.validate(policy(allow("s3:GetObject")), kind))


def test_b2_a_five_field_s3_arn_is_a_warning_with_the_fix(validator: PolicyValidator) -> None:
    """§B.2: IAM completes a short ARN with '*' fields; 'arn:aws:s3::b/*' is almost always a missing colon."""
    report = validator.validate(policy(allow("s3:GetObject", "arn:aws:s3::company1-logs/*")))
    finding = only(report, "INCOMPLETE_RESOURCE_ARN")
    assert finding.severity is Severity.WARNING
    assert "arn:aws:s3::company1-logs/*:*" in finding.message
    assert "did you mean 'arn:aws:s3:::company1-logs/*'" in finding.message
    assert finding.pointer == "/Statement/0/Resource"


@pytest.mark.parametrize("resource", ["arn:aws:sqs", "arn:aws:sqs:*", "arn:aws:ec2:us-east-1:*"])
def test_b2_documented_short_arn_forms_are_not_reported(validator: PolicyValidator, resource: str) -> None:
    """§B.2: the documented shorthand ('arn:aws:sqs' = 'arn:aws:sqs:*:*:*') is not a mistake."""
    report = validator.validate(policy(deny("sqs:SendMessage", resource)))
    assert "INCOMPLETE_RESOURCE_ARN" not in codes(report)


@pytest.mark.parametrize(
    ("resource", "words"),
    [
        ("arn:aws:iam::111122223333:u*", "'user'"),
        ("arn:aws:iam::111122223333:*/alice", "such as 'user/'"),
        ("arn:aws:iam::111122223333:ro*/x", "'role'"),
        # A wildcard account field leaves the service, and so its words, known.
        ("arn:aws:iam::*:u*", "'user'"),
        # The account "*" may run past colons: it is what stands for the type word of a bare name.
        ("arn:aws:iam::*:alice", "the account field's trailing '*'"),
    ],
)
def test_wildcard_for_resource_type_word_is_an_error(resource: str, words: str) -> None:
    """§B.2 (UG: reference_identifiers.html): a wildcard cannot replace the resource-type portion of an IAM ARN."""
    report = validate_policy(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": resource}]}, "identity"
    )
    finding = only(report, "RESOURCE_TYPE_WILDCARD")
    assert finding.severity is Severity.ERROR
    assert resource in finding.message
    assert words in finding.message


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:ec2:*:*:*",
        "arn:aws:iam::111122223333:*",
        "arn:aws:ec2:us-east-1:111122223333:instance/*",
        "arn:aws:s3:::*/*",
        "arn:aws:execute-api:us-east-1:111122223333:*/*/GET/*",
        "arn:aws:logs:us-east-1:111122223333:log-group:*",
        "arn:aws:logs:*:*:log-group:*",
        "arn:aws:iam::*:*",
        "arn:aws:iam::*:role/*",
        "arn:aws:iam::*:root",
        "arn:aws:execute-api:*:*:*/*/GET/*",
        "arn:aws:s3:*:*:bucket",
        "arn:aws:sts::*:assumed-role/app/*",
        "arn:aws:*:*:*:u*",
        # Other services' ARNs are outside the rule: AWS's own managed policies write these.
        "arn:aws:ec2:*:*:*/*",
        "arn:aws:ec2:us-east-1:111122223333:*/12345",
        "arn:aws:sagemaker:*:*:*/*",
        "arn:aws:logs:*:*:mystream",
    ],
)
def test_common_patterns_are_not_resource_type_wildcards(resource: str) -> None:
    """§B.2: only-``*`` resource parts, spelled words, bare parts a format names (``root``), name-first
    services (S3 buckets), and a wildcard service field (it leaves the words unknown) are not reported."""
    report = validate_policy(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": resource}]}, "identity"
    )
    assert "RESOURCE_TYPE_WILDCARD" not in codes(report)
