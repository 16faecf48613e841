"""Answers shaped as AWS shapes them: CreatePolicy's tags, DeleteOpenIDConnectProvider's idempotence (§H.5).

AWS pages: IAMAPI:API_CreatePolicy.html, API_Policy.html, API_DeleteOpenIDConnectProvider.html.
"""

from __future__ import annotations

import json
from typing import Any

from .conftest import ACCOUNT

DOCUMENT = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


def test_create_policy_returns_its_tags_and_get_policy_too_H5(iam: Any) -> None:
    """§H.5 [IAMAPI:API_CreatePolicy.html]: the tags given are in CreatePolicy's and GetPolicy's Policy."""
    tags = [{"Key": "team", "Value": "red"}]
    created = iam.create_policy(PolicyName="p", PolicyDocument=DOCUMENT, Tags=tags)["Policy"]
    assert created["Tags"] == tags
    assert iam.get_policy(PolicyArn=created["Arn"])["Policy"]["Tags"] == tags
    untagged = iam.create_policy(PolicyName="q", PolicyDocument=DOCUMENT)["Policy"]
    assert "Tags" not in untagged


def test_get_policy_sends_tags_even_empty_H5(iam: Any) -> None:
    """§H.5 (observed, moto's aws_verified test_policy_resource_returns_subset_of_available_attributes):
    GetPolicy of a policy created without tags returns an empty Tags list; CreatePolicy leaves it out."""
    arn = iam.create_policy(PolicyName="q", PolicyDocument=DOCUMENT)["Policy"]["Arn"]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Tags"] == []
    assert "Tags" not in iam.list_policies(Scope="Local")["Policies"][0]


def test_delete_missing_oidc_provider_is_idempotent_H5(iam: Any) -> None:
    """§H.5 [IAMAPI:API_DeleteOpenIDConnectProvider.html]: a provider already gone is no error."""
    arn = iam.create_open_id_connect_provider(Url="https://issuer.example.com", ClientIDList=["a"])[
        "OpenIDConnectProviderArn"
    ]
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    iam.delete_open_id_connect_provider(
        OpenIDConnectProviderArn=f"arn:aws:iam::{ACCOUNT}:oidc-provider/never.example.com"
    )
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
