"""Principal findings in resource and trust policies (§A.3, §F.4): open to everyone, unknown services."""

from __future__ import annotations

from typing import Any

import pytest

from iamsim._policy.findings import Severity
from iamsim._policy.model import PolicyKind
from iamsim._policy.validate import PolicyValidator

from .builders import codes, only, policy

BUCKET_READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
ASSUME = {"Effect": "Allow", "Action": "sts:AssumeRole"}


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["111122223333", "*"]}])
def test_a3_an_allow_to_everyone_without_condition_is_a_security_warning(
    validator: PolicyValidator, principal: Any
) -> None:
    report = validator.validate(policy({**BUCKET_READ, "Principal": principal}), PolicyKind.RESOURCE)
    finding = only(report, "PUBLIC_ACCESS")
    assert finding.severity is Severity.SECURITY_WARNING
    assert finding.pointer == "/Statement/0/Principal"


def test_f4_a_trust_policy_open_to_everyone_is_a_security_warning(validator: PolicyValidator) -> None:
    report = validator.validate(policy({**ASSUME, "Principal": {"AWS": "*"}}), PolicyKind.TRUST)
    assert codes(report) == ["PUBLIC_ACCESS"]


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        {"StringEquals": {"aws:SourceAccount": "111122223333"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic"}},
        {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/r"}},
        {"StringEquals": {"sts:ExternalId": "secret-id"}},
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
    ],
)
def test_a3_a_restricting_condition_closes_a_wildcard_principal(
    validator: PolicyValidator, condition: dict[str, Any]
) -> None:
    report = validator.validate(policy({**BUCKET_READ, "Principal": "*", "Condition": condition}), PolicyKind.RESOURCE)
    assert "PUBLIC_ACCESS" not in codes(report)


@pytest.mark.parametrize(
    "condition",
    [
        {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        {"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}},
        {"StringLike": {"aws:PrincipalArn": "*"}},
        {"Null": {"aws:PrincipalOrgID": "false"}},
        {"Bool": {"aws:SecureTransport": "true"}},
    ],
)
def test_a3_conditions_that_do_not_name_callers_leave_it_open(
    validator: PolicyValidator, condition: dict[str, Any]
) -> None:
    report = validator.validate(policy({**BUCKET_READ, "Principal": "*", "Condition": condition}), PolicyKind.RESOURCE)
    assert "PUBLIC_ACCESS" in codes(report)


def test_a3_named_principals_and_deny_to_everyone_are_fine(validator: PolicyValidator) -> None:
    named = policy({**BUCKET_READ, "Principal": {"AWS": "arn:aws:iam::111122223333:root"}})
    assert validator.validate(named, PolicyKind.RESOURCE).findings == ()
    deny_all = policy({**BUCKET_READ, "Effect": "Deny", "Principal": "*"})
    assert validator.validate(deny_all, PolicyKind.RESOURCE).findings == ()


@pytest.mark.parametrize(
    "service",
    [
        "ec2.amazonaws.com",
        "lambda.amazonaws.com",
        "ecs-tasks.amazonaws.com",
        "edgelambda.amazonaws.com",
        "states.amazonaws.com",
        "delivery.logs.amazonaws.com",
        "elasticmapreduce.amazonaws.com.cn",
    ],
)
def test_a3_known_service_principals_are_fine(validator: PolicyValidator, service: str) -> None:
    assert validator.validate(policy({**ASSUME, "Principal": {"Service": service}}), PolicyKind.TRUST).findings == ()


@pytest.mark.parametrize("service", ["ec2.amazon.co", "lamda.amazonaws.com", "example.com"])
def test_a3_an_unknown_service_principal_is_a_warning_at_its_value(validator: PolicyValidator, service: str) -> None:
    principal = {"Service": ["ec2.amazonaws.com", service]}
    finding = only(
        validator.validate(policy({**ASSUME, "Principal": principal}), PolicyKind.TRUST), "UNKNOWN_SERVICE_PRINCIPAL"
    )
    assert finding.severity is Severity.WARNING
    assert finding.pointer == "/Statement/0/Principal/Service/1"
    assert repr(service) in finding.message
