"""AWS Secrets Manager calls through boto3 are authorized before moto answers (§F, §F.7; issue 13).

AWS source: "Actions, resources, and condition keys for AWS Secrets Manager"
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, allow, deny, document, error_of, moto_world

SECRETS = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:"


def test_secrets_get_value_allowed_put_value_refused_json_error_F7() -> None:
    """§F.7: GetSecretValue on the secret's full ARN (suffix learnt from CreateSecret); JSON AccessDeniedException."""
    with moto_world() as world:
        arn = world.root.client("secretsmanager").create_secret(Name="db", SecretString="pw")["ARN"]
        assert arn.startswith(SECRETS + "db-")
        client = world.role("Reader", allow("secretsmanager:GetSecretValue", SECRETS + "db-??????")).client(
            "secretsmanager"
        )
        assert client.get_secret_value(SecretId="db")["SecretString"] == "pw"
        with pytest.raises(ClientError) as caught:
            client.put_secret_value(SecretId="db", SecretString="new")
        assert error_of(caught) == (
            "AccessDeniedException",
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Reader/app is not authorized to perform:"
            f" secretsmanager:PutSecretValue on resource: {arn} because no identity-based policy allows the"
            " secretsmanager:PutSecretValue action",
            400,
        )


def test_secrets_resource_policy_from_put_resource_policy_denies_F7() -> None:
    """The secret's resource policy set with PutResourcePolicy is observed; its explicit deny wins (§F.1)."""
    with moto_world() as world:
        root = world.root.client("secretsmanager")
        arn = root.create_secret(Name="db", SecretString="pw")["ARN"]
        client = world.role("Reader", allow("secretsmanager:GetSecretValue", "*")).client("secretsmanager")
        client.get_secret_value(SecretId=arn)
        root.put_resource_policy(
            SecretId="db", ResourcePolicy=document(deny("secretsmanager:GetSecretValue", "*", Principal="*"))
        )
        with pytest.raises(ClientError) as caught:
            client.get_secret_value(SecretId="db")
        assert error_of(caught)[1].endswith("with an explicit deny in a resource-based policy")
        root.delete_resource_policy(SecretId="db")
        client.get_secret_value(SecretId="db")


def test_secrets_version_stage_condition_and_unknown_name_refused_F7() -> None:
    """secretsmanager:VersionStage on GetSecretValue; a name iamsim never saw created is refused, not guessed."""
    with moto_world() as world:
        world.root.client("secretsmanager").create_secret(Name="db", SecretString="pw")
        current_only = allow(
            "secretsmanager:GetSecretValue",
            "*",
            Condition={"StringEquals": {"secretsmanager:VersionStage": "AWSCURRENT"}},
        )
        client = world.role("Reader", current_only).client("secretsmanager")
        client.get_secret_value(SecretId="db", VersionStage="AWSCURRENT")
        with pytest.raises(ClientError) as caught:
            client.get_secret_value(SecretId="db", VersionStage="AWSPREVIOUS")
        assert error_of(caught)[0] == "AccessDeniedException"
        with pytest.raises(ClientError) as caught:
            client.get_secret_value(SecretId="never-created", VersionStage="AWSCURRENT")
        assert "does not know the ARN of secret 'never-created'" in error_of(caught)[1]


def test_secrets_batch_get_needs_get_secret_value_on_each_secret_F7() -> None:
    """BatchGetSecretValue needs secretsmanager:GetSecretValue on every secret it names (service reference)."""
    with moto_world() as world:
        root = world.root.client("secretsmanager")
        root.create_secret(Name="a", SecretString="1")
        root.create_secret(Name="b", SecretString="2")
        client = world.role(
            "Batch",
            allow("secretsmanager:BatchGetSecretValue"),
            allow("secretsmanager:GetSecretValue", SECRETS + "a-*"),
        ).client("secretsmanager")
        client.batch_get_secret_value(SecretIdList=["a"])
        with pytest.raises(ClientError) as caught:
            client.batch_get_secret_value(SecretIdList=["a", "b"])
        assert f"secretsmanager:GetSecretValue on resource: {SECRETS}b-" in error_of(caught)[1]
