"""The bundled snapshot of AWS managed policies (spec §H.5 attach/GetPolicy of arn:aws:iam::aws:policy/...)."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from iamsim._policy import aws_managed
from iamsim._policy.aws_managed import (
    AWS_MANAGED_ARN_PREFIX,
    AwsManagedSource,
    aws_managed_policy,
    aws_managed_source,
    load_aws_managed_policies,
)
from iamsim._policy.parse import parse_policy
from iamsim.errors import IamSimError, NoSuchEntityError

# The one AWS managed policy longer than the IAM API's 131,072-character document
# limit, which binds customers, not AWS: it must parse with check_size=False.
OVERSIZED = "arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy"


def test_oversized_aws_managed_policy_parses_without_size_checks() -> None:
    """§A.1: the 131,072 limit is the API's; AWS's own oversized policy still parses."""
    policy = aws_managed_policy(OVERSIZED)
    assert len(policy.document) > 131_072
    assert parse_policy(policy.document, "identity", name=policy.name, check_size=False).statements


@pytest.mark.parametrize(
    ("arn", "path"),
    [
        ("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "/"),
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", "/"),
        ("arn:aws:iam::aws:policy/AdministratorAccess", "/"),
        ("arn:aws:iam::aws:policy/PowerUserAccess", "/"),
        ("arn:aws:iam::aws:policy/IAMFullAccess", "/"),
        ("arn:aws:iam::aws:policy/AmazonEC2FullAccess", "/"),
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "/service-role/"),
        ("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "/job-function/"),
    ],
)
def test_commonly_used_policies_are_bundled(arn: str, path: str) -> None:
    policy = aws_managed_policy(arn)
    assert policy.arn == arn
    assert policy.path == path
    assert arn == f"{AWS_MANAGED_ARN_PREFIX}{path.lstrip('/')}{policy.name}"
    assert re.fullmatch(r"v\d+", policy.default_version_id)
    assert policy.document_json()["Version"] == "2012-10-17"


def test_administrator_access_allows_everything() -> None:
    policy = aws_managed_policy("arn:aws:iam::aws:policy/AdministratorAccess")
    assert policy.document_json() == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }


def test_s3_read_only_access_grants_get_and_list() -> None:
    (statement,) = aws_managed_policy("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess").document_json()["Statement"]
    assert statement["Effect"] == "Allow"
    assert {"s3:Get*", "s3:List*"} <= set(statement["Action"])
    assert statement["Resource"] == "*"


def test_h4_unknown_policy_is_no_such_entity_with_iam_wording() -> None:
    arn = "arn:aws:iam::aws:policy/NoSuchPolicyAnywhere"
    with pytest.raises(NoSuchEntityError) as caught:
        aws_managed_policy(arn)
    assert caught.value.message == f"Policy {arn} does not exist or is not attachable."
    assert caught.value.status == 404


def test_h4_non_string_arn_is_no_such_entity() -> None:
    with pytest.raises(NoSuchEntityError):
        aws_managed_policy(["arn:aws:iam::aws:policy/ReadOnlyAccess"])  # type: ignore[arg-type]


def test_lookup_is_by_exact_arn() -> None:
    with pytest.raises(NoSuchEntityError):
        aws_managed_policy("arn:aws:iam::aws:policy/amazons3readonlyaccess")
    with pytest.raises(NoSuchEntityError):
        aws_managed_policy("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole")


def test_snapshot_is_keyed_by_arn_and_read_only() -> None:
    policies = load_aws_managed_policies()
    assert len(policies) > 1000
    assert all(arn == p.arn and arn.startswith(AWS_MANAGED_ARN_PREFIX) for arn, p in policies.items())
    assert all(p.arn.endswith(p.path + p.name) for p in policies.values())
    with pytest.raises(TypeError):
        policies["x"] = policies["arn:aws:iam::aws:policy/ReadOnlyAccess"]  # type: ignore[index]
    assert load_aws_managed_policies() is policies


def test_documents_are_canonical_json_text() -> None:
    for policy in load_aws_managed_policies().values():
        assert policy.document == json.dumps(policy.document_json(), sort_keys=True, separators=(",", ":"))


def test_dates_are_aware_and_ordered() -> None:
    for policy in load_aws_managed_policies().values():
        assert isinstance(policy.create_date, datetime)
        assert policy.create_date.tzinfo is not None
        assert policy.create_date <= policy.update_date


def test_source_records_package_version_and_dates() -> None:
    source = aws_managed_source()
    assert isinstance(source, AwsManagedSource)
    assert source.package == "moto"
    assert source.registry == "PyPI"
    assert re.fullmatch(r"\d+\.\d+\.\d+", source.version)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source.retrieved)
    assert source.latest_policy_update == max(p.update_date for p in load_aws_managed_policies().values()).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert source.policy_count == len(load_aws_managed_policies())
    assert source == aws_managed.AWS_MANAGED_SOURCE


def test_unknown_module_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = aws_managed.NO_SUCH_NAME


def test_every_aws_managed_policy_parses_as_an_identity_policy() -> None:
    failures = {}
    for arn, policy in load_aws_managed_policies().items():
        try:
            parse_policy(policy.document, "identity", name=policy.name, check_size=False)
        except IamSimError as error:
            failures[arn] = str(error)
    assert failures == {}
