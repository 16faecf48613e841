"""What each IAM operation is authorized on, read from its input members (§H: ``iam:<Operation>`` on the entity).

AWS's IAM resource table (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html)
gives each action its resource type; these pin the rows where an operation names two entities.
"""

from __future__ import annotations

import pytest

from iamsim._handlers.targets import target_kind


@pytest.mark.parametrize(
    ("operation", "kind"),
    [
        ("AddUserToGroup", "group"),
        ("AddRoleToInstanceProfile", "profile"),
        ("ListInstanceProfilesForRole", "role"),
        ("AttachRolePolicy", "role"),
        ("PutUserPolicy", "user"),
        ("DeactivateMFADevice", "user"),
        ("GetMFADevice", "mfa"),
        ("TagMFADevice", "mfa"),
        ("GetAccessKeyLastUsed", "user"),
        ("CreateOpenIDConnectProvider", "oidc"),
        ("CreateSAMLProvider", "saml"),
        ("ListEntitiesForPolicy", "policy"),
        ("ListUsers", "account"),
        ("GetAccountSummary", "account"),
    ],
)
def test_the_target_kind_follows_the_input_members(operation: str, kind: str) -> None:
    assert target_kind("iam", operation) == kind
