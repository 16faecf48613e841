"""Amazon ECR calls through boto3 are authorized before moto answers (§F, §F.7; issue 13).

AWS source: "Actions, resources, and condition keys for Amazon Elastic Container Registry"
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, allow, deny, document, error_of, moto_world

REPOSITORY = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/app"


def test_ecr_token_on_star_and_list_images_allowed_delete_refused_F7() -> None:
    """§F.7: GetAuthorizationToken acts on *; a refusal is AccessDeniedException (400) in AWS's words."""
    with moto_world() as world:
        world.root.client("ecr").create_repository(repositoryName="app")
        ecr = world.role(
            "Puller", allow("ecr:GetAuthorizationToken"), allow(["ecr:ListImages", "ecr:BatchGetImage"], REPOSITORY)
        ).client("ecr")
        ecr.get_authorization_token()
        ecr.list_images(repositoryName="app")
        with pytest.raises(ClientError) as caught:
            ecr.delete_repository(repositoryName="app")
        assert error_of(caught) == (
            "AccessDeniedException",
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Puller/app is not authorized to perform: ecr:DeleteRepository"
            f" on resource: {REPOSITORY} because no identity-based policy allows the ecr:DeleteRepository action",
            400,
        )


def test_ecr_identity_deny_and_repository_policy_deny_F1_F7() -> None:
    """§F.1: a Deny in the identity policy or the repository policy (SetRepositoryPolicy) refuses the call."""
    with moto_world() as world:
        root = world.root.client("ecr")
        root.create_repository(repositoryName="app")
        ecr = world.role("Dev", allow("ecr:*", "*"), deny("ecr:PutImageTagMutability", REPOSITORY)).client("ecr")
        ecr.describe_images(repositoryName="app")
        with pytest.raises(ClientError) as caught:
            ecr.put_image_tag_mutability(repositoryName="app", imageTagMutability="IMMUTABLE")
        assert "with an explicit deny in an identity-based policy" in error_of(caught)[1]
        root.set_repository_policy(
            repositoryName="app", policyText=document(deny("ecr:ListImages", REPOSITORY, Principal="*"))
        )
        with pytest.raises(ClientError) as caught:
            ecr.list_images(repositoryName="app")
        assert error_of(caught)[1].endswith("with an explicit deny in a resource-based policy")
        root.delete_repository_policy(repositoryName="app")
        ecr.list_images(repositoryName="app")


def test_ecr_resource_tag_condition_and_describe_repositories_per_name_F7() -> None:
    """ecr:ResourceTag-style conditions (aws:ResourceTag/*) from CreateRepository's tags; one request per name."""
    with moto_world() as world:
        root = world.root.client("ecr")
        root.create_repository(repositoryName="app", tags=[{"Key": "team", "Value": "ops"}])
        root.create_repository(repositoryName="other", tags=[{"Key": "team", "Value": "dev"}])
        ecr = world.role(
            "Ops", allow("ecr:DescribeRepositories", "*", Condition={"StringEquals": {"aws:ResourceTag/team": "ops"}})
        ).client("ecr")
        ecr.describe_repositories(repositoryNames=["app"])
        with pytest.raises(ClientError):
            ecr.describe_repositories(repositoryNames=["app", "other"])
