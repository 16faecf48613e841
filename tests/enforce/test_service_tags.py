"""Service resource-tag keys (``ec2:ResourceTag/*``, ``secretsmanager:ResourceTag/*``) beside ``aws:ResourceTag/*``.

§F.7. Filled from the same tags, for the actions whose entry in the bundled service reference lists
the key: "Actions, resources, and condition keys for Amazon EC2" (SAR:list_amazonec2.html), "... for
AWS Secrets Manager" (SAR:list_awssecretsmanager.html). The reference lists no ``ecr:ResourceTag/*``
for any ECR action (SAR:list_amazonelasticcontainerregistry.html), so ECR requests carry none.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from iamsim._enforce.governing import service_tag_prefix

from .world import ACCOUNT, REGION, allow, deny, error_of, moto_world


def _image(client: object) -> str:
    return str(client.describe_images()["Images"][0]["ImageId"])  # type: ignore[attr-defined]


def test_ec2_resource_tag_key_from_the_instance_tags_F7_E() -> None:
    """ec2:ResourceTag/team on StopInstances holds the instance's tag, as aws:ResourceTag/team does; an
    identity Deny on it applies; UnauthorizedOperation is the error."""
    with moto_world() as world:
        root = world.root.client("ec2")
        instances = [
            root.run_instances(
                ImageId=_image(root),
                MinCount=1,
                MaxCount=1,
                TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": team}]}],
            )["Instances"][0]["InstanceId"]
            for team in ("ops", "dev")
        ]
        ops, dev = instances
        ec2 = world.role(
            "Operator",
            allow("ec2:StopInstances", "*", Condition={"StringEquals": {"ec2:ResourceTag/team": ["ops", "dev"]}}),
            deny("ec2:StopInstances", "*", Condition={"StringEquals": {"ec2:ResourceTag/team": "dev"}}),
        ).client("ec2")
        ec2.stop_instances(InstanceIds=[ops])
        with pytest.raises(ClientError) as caught:
            ec2.stop_instances(InstanceIds=[dev])
        code, message, status = error_of(caught)
        assert (code, status) == ("UnauthorizedOperation", 403)
        assert "with an explicit deny in an identity-based policy" in message


def test_secrets_manager_resource_tag_key_and_resource_policy_deny_F7_E() -> None:
    """secretsmanager:ResourceTag/team on GetSecretValue from the secret's tags; the secret's resource
    policy can deny on it too; the error is the JSON AccessDeniedException."""
    with moto_world() as world:
        root = world.root.client("secretsmanager")
        root.create_secret(Name="ops-db", SecretString="pw", Tags=[{"Key": "team", "Value": "ops"}])
        root.create_secret(Name="dev-db", SecretString="pw", Tags=[{"Key": "team", "Value": "dev"}])
        own_team = {"StringEquals": {"secretsmanager:ResourceTag/team": "ops"}}
        client = world.role("Ops", allow("secretsmanager:GetSecretValue", "*", Condition=own_team)).client(
            "secretsmanager"
        )
        assert client.get_secret_value(SecretId="ops-db")["SecretString"] == "pw"
        with pytest.raises(ClientError) as caught:
            client.get_secret_value(SecretId="dev-db")
        assert error_of(caught)[0] == "AccessDeniedException"
        root.put_resource_policy(
            SecretId="ops-db",
            ResourcePolicy=(
                '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",'
                '"Action":"secretsmanager:GetSecretValue","Resource":"*",'
                '"Condition":{"StringEquals":{"secretsmanager:ResourceTag/team":"ops"}}}]}'
            ),
        )
        with pytest.raises(ClientError) as caught:
            client.get_secret_value(SecretId="ops-db")
        assert error_of(caught)[1].endswith("with an explicit deny in a resource-based policy")


def test_service_tag_key_only_where_the_reference_lists_it_E() -> None:
    """The service key is set only for actions that document it: none for Describe* or any ECR action."""
    assert service_tag_prefix("ec2:StopInstances") == "ec2:ResourceTag/"
    assert service_tag_prefix("secretsmanager:GetSecretValue") == "secretsmanager:ResourceTag/"
    assert service_tag_prefix("ec2:DescribeInstances") is None
    assert service_tag_prefix("ecr:BatchGetImage") is None
    assert service_tag_prefix("s3:GetObject") is None


def test_ecr_request_carries_no_ecr_resource_tag_key_F7() -> None:
    """An ECR repository's tags are aws:ResourceTag/* only: a policy on ecr:ResourceTag/* finds no key."""
    with moto_world() as world:
        world.root.client("ecr").create_repository(repositoryName="app", tags=[{"Key": "team", "Value": "ops"}])
        repository = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/app"
        by_aws = world.role(
            "ByAws",
            allow("ecr:DescribeImages", repository, Condition={"StringEquals": {"aws:ResourceTag/team": "ops"}}),
        ).client("ecr")
        by_aws.describe_images(repositoryName="app")
        by_ecr = world.role(
            "ByEcr",
            allow("ecr:DescribeImages", repository, Condition={"StringEquals": {"ecr:ResourceTag/team": "ops"}}),
        ).client("ecr")
        with pytest.raises(ClientError) as caught:
            by_ecr.describe_images(repositoryName="app")
        assert error_of(caught)[0] == "AccessDeniedException"
