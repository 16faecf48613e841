"""AWS managed policies, which AWS itself accepts, give no grammar errors; common ones give no error at all."""

from __future__ import annotations

import pytest

from iamsim._policy.aws_managed import AWS_MANAGED_ARN_PREFIX, aws_managed_policy, load_aws_managed_policies
from iamsim._policy.findings import Severity
from iamsim._policy.validate import PolicyValidator

COMMON = [
    "AmazonS3ReadOnlyAccess",
    "AmazonS3FullAccess",
    "AdministratorAccess",
    "PowerUserAccess",
    "IAMReadOnlyAccess",
    "AmazonEC2ReadOnlyAccess",
    "AmazonDynamoDBReadOnlyAccess",
    "service-role/AWSLambdaBasicExecutionRole",
]


@pytest.mark.parametrize("name", COMMON)
def test_common_managed_policies_have_no_error(validator: PolicyValidator, name: str) -> None:
    document = aws_managed_policy(AWS_MANAGED_ARN_PREFIX + name).document_json()
    report = validator.validate(document)
    assert report.errors == ()


def test_amazon_s3_read_only_access_has_no_finding_at_all(validator: PolicyValidator) -> None:
    document = aws_managed_policy(AWS_MANAGED_ARN_PREFIX + "AmazonS3ReadOnlyAccess").document_json()
    assert validator.validate(document).findings == ()


def test_no_managed_policy_is_malformed(validator: PolicyValidator) -> None:
    """Every bundled policy passes the grammar; names AWS has since retired may still be reported."""
    grammar = {"INVALID_JSON", "MALFORMED_POLICY"}
    for arn, managed in load_aws_managed_policies().items():
        report = validator.validate(managed.document_json())
        assert not grammar & {f.code for f in report.findings if f.severity is Severity.ERROR}, arn
