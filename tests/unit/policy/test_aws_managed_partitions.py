"""AWS managed policies in each partition (spec §B.2; AWS: reference-arns.html).

AWS publishes its managed policies in each partition under that partition's ARN
(``arn:aws-cn:iam::aws:policy/...`` in the China Regions). iamsim's snapshot comes from
``aws``; asked for another partition it serves the same policies under that partition's ARNs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iamsim._policy.aws_managed import aws_managed_policy, is_aws_managed_policy_arn, load_aws_managed_policies
from iamsim._sources.cloudformation import load_cloudformation
from iamsim._sources.policy_files import load_policy_file
from iamsim.errors import NoSuchEntityError

NAME = "AmazonS3ReadOnlyAccess"


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
def test_each_partition_serves_every_policy_under_its_own_arn_B2(partition: str) -> None:
    """§B.2: the same snapshot, keyed and named by the partition's ARNs; the documents are the bundled ones."""
    policies = load_aws_managed_policies(partition)
    assert len(policies) == len(load_aws_managed_policies())
    assert all(arn.startswith(f"arn:{partition}:iam::aws:policy/") and p.arn == arn for arn, p in policies.items())
    arn = f"arn:{partition}:iam::aws:policy/{NAME}"
    assert policies[arn].document == load_aws_managed_policies()[f"arn:aws:iam::aws:policy/{NAME}"].document
    assert aws_managed_policy(arn, partition).name == NAME
    assert aws_managed_policy(arn).arn == arn  # outside a simulator, the ARN's own partition


def test_a_simulator_partition_does_not_find_another_partitions_arn_B2() -> None:
    """§B.2 / §F.3: partitions are separate; IAM's wording for an ARN it does not know."""
    with pytest.raises(NoSuchEntityError) as missing:
        aws_managed_policy(f"arn:aws:iam::aws:policy/{NAME}", "aws-cn")
    assert missing.value.message == f"Policy arn:aws:iam::aws:policy/{NAME} does not exist or is not attachable."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"arn:aws:iam::aws:policy/{NAME}", True),
        (f"arn:aws-cn:iam::aws:policy/{NAME}", True),
        (f"arn:aws-us-gov:iam::aws:policy/service-role/{NAME}", True),
        (f"arn:aws-iso:iam::aws:policy/{NAME}", False),  # not a partition iamsim knows (§B.2)
        (f"arn:aws:iam::111122223333:policy/{NAME}", False),  # a customer managed policy
        (f"arn:aws:iam:us-east-1:aws:policy/{NAME}", False),  # IAM ARNs have no region
        ("policy.json", False),
        (None, False),
    ],
)
def test_the_shape_of_an_aws_managed_policy_arn_B2(text: object, expected: bool) -> None:
    """§B.2: ``arn:PARTITION:iam::aws:policy/...`` in a known partition."""
    assert is_aws_managed_policy_arn(text) is expected


def test_policy_sources_read_another_partitions_managed_policy_B2() -> None:
    """§B.2: a policy file argument may name the managed policy in any partition."""
    policy = load_policy_file(f"arn:aws-us-gov:iam::aws:policy/{NAME}")
    assert policy.name == NAME


def test_cloudformation_url_suffix_and_managed_arns_follow_the_partition_B2(tmp_path: Path) -> None:
    """CloudFormation pseudo parameters: ``AWS::URLSuffix`` is amazonaws.com.cn in the China Regions (AWS
    CloudFormation User Guide, "Pseudo parameters reference"); ``${AWS::Partition}`` managed ARNs resolve there."""
    template = tmp_path / "template.yaml"
    template.write_text(
        """
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: Reader
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: !Sub "ec2.${AWS::URLSuffix}"}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub "arn:${AWS::Partition}:iam::aws:policy/AmazonS3ReadOnlyAccess"
""",
        encoding="utf-8",
    )
    loaded = load_cloudformation(template, partition="aws-cn", region="cn-north-1")
    assert loaded.resolver.pseudo["AWS::URLSuffix"] == "amazonaws.com.cn"
    bundle = loaded.role("Role")
    assert [p.name for p in bundle.identity] == [NAME]
