"""IAM's organization features through boto3: centralized root access and organization-level resources (§H.9).

AWS pages: IAMAPI:API_ListOrganizationsFeatures.html, API_EnableOrganizationsRootCredentialsManagement.html,
API_EnableOrganizationsRootSessions.html, API_EnableOrganizationLevelResources.html and their Disable pairs;
UG:id_root-enable-root-access.html.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest

import iamsim.boto3
from iamsim._simulator import Simulator

from .conftest import ACCOUNT, ADMIN, IAM, MEMBER, error_of

NO_ORG = "The request was rejected because no organization is associated with your account."


def client_of(sim: Simulator, account: str) -> Any:
    """An IAM client signed as ``account``'s root user (kept attached for the test's life)."""
    root = sim.root_credentials(account)
    session = boto3.Session(
        aws_access_key_id=root.access_key_id, aws_secret_access_key=root.secret_access_key, region_name="us-east-1"
    )
    attached = iamsim.boto3.attach(sim, session)
    attached.__enter__()
    return session.client("iam")


def test_enable_and_list_root_access_features_h10(org: Simulator, iam: Any) -> None:
    """§H.9: each Enable answers the organization and every feature now enabled, in the model's order."""
    org_id = org.organization.id  # type: ignore[union-attr]
    assert iam.list_organizations_features()["EnabledFeatures"] == []
    iam.enable_organizations_root_sessions()
    answer = iam.enable_organizations_root_credentials_management()
    assert answer["OrganizationId"] == org_id
    assert answer["EnabledFeatures"] == ["RootCredentialsManagement", "RootSessions"]
    assert iam.enable_organizations_root_sessions()["EnabledFeatures"] == answer["EnabledFeatures"]  # idempotent
    assert iam.disable_organizations_root_sessions()["EnabledFeatures"] == ["RootCredentialsManagement"]
    assert iam.enable_organization_level_resources()["EnabledFeatures"] == [
        "RootCredentialsManagement",
        "OrganizationIamResources",
    ]
    assert iam.disable_organization_level_resources()["EnabledFeatures"] == ["RootCredentialsManagement"]


def test_features_survive_a_snapshot_h10(org: Simulator, iam: Any) -> None:
    """§H.9: trusted access, the delegated administrator and the features are part of the snapshot."""
    iam.enable_organizations_root_sessions()
    again = Simulator.from_json(org.to_json())
    assert again.iam.list_organizations_features(account_id=ADMIN).enabled_features == ("RootSessions",)


def test_no_organization_h10(iam: Any) -> None:
    """§H.9: an account outside any organization gets OrganizationNotFoundException."""
    error = error_of(iam.list_organizations_features)
    assert (error["Code"], error["Message"]) == ("OrganizationNotFoundException", NO_ORG)


def test_account_outside_the_organization_h10(org: Simulator) -> None:
    """§H.9: an account of another simulator (no organization) gets OrganizationNotFoundException."""
    loner = Simulator(account_id="444444444444", seed=1)
    error = error_of(client_of(loner, "444444444444").enable_organizations_root_sessions)
    assert (error["Code"], error["Message"]) == ("OrganizationNotFoundException", NO_ORG)


def test_trusted_access_is_required_h10(org: Simulator, iam: Any) -> None:
    """§H.9 (UG:id_root-enable-root-access.html): IAM's trusted access comes first."""
    org.organizations.disable_aws_service_access(IAM)
    error = error_of(iam.enable_organizations_root_credentials_management)
    assert error["Code"] == "ServiceAccessNotEnabledException"
    assert "trusted access is not enabled for IAM" in error["Message"]


@pytest.mark.parametrize(
    "operation",
    [
        "enable_organizations_root_credentials_management",
        "enable_organizations_root_sessions",
        "enable_organization_level_resources",
        "disable_organization_level_resources",
    ],
)
def test_management_only_operations_refuse_the_delegated_administrator_h10(org: Simulator, operation: str) -> None:
    """§H.9: enabling root access and both organization-level resource operations are the management account's."""
    error = error_of(getattr(client_of(org, ADMIN), operation))
    assert (error["Code"], error["Message"]) == (
        "CallerIsNotManagementAccountException",
        "The request was rejected because the account making the request is not the management account for the "
        "organization.",
    )


@pytest.mark.parametrize(
    "operation",
    [
        "list_organizations_features",
        "disable_organizations_root_credentials_management",
        "disable_organizations_root_sessions",
    ],
)
def test_delegated_administrator_may_list_and_disable_member_may_not_h10(org: Simulator, operation: str) -> None:
    """§H.9: IAM's delegated administrator may list and disable root access; another member may not."""
    assert getattr(client_of(org, ADMIN), operation)()["EnabledFeatures"] == []
    error = error_of(getattr(client_of(org, MEMBER), operation))
    assert error["Code"] == "AccountNotManagementOrDelegatedAdministratorException"
    assert "delegated administrator account for centralized root access" in error["Message"]


def test_operation_is_authorized_as_iam_action_h10(org: Simulator, iam: Any) -> None:
    """§H.9: a user of the management account needs iam:EnableOrganizationsRootSessions."""
    from .conftest import user_client

    deny_all = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    with user_client(iam, org, "alice", deny_all) as alice:
        assert error_of(alice.enable_organizations_root_sessions)["Code"] == "AccessDenied"
    assert org.iam.list_organizations_features(account_id=ACCOUNT).enabled_features == ()


def test_delegated_administrator_registration_rules_h10(org: Simulator) -> None:
    """§H.9: the management account is never a delegated administrator; one registration per account."""
    from iamsim.errors import EntityAlreadyExistsError, InvalidInputError, NoSuchEntityError

    with pytest.raises(InvalidInputError):
        org.organizations.register_delegated_administrator(ACCOUNT, IAM)
    with pytest.raises(EntityAlreadyExistsError):
        org.organizations.register_delegated_administrator(ADMIN, IAM)
    with pytest.raises(NoSuchEntityError):
        org.organizations.register_delegated_administrator("999999999999", IAM)
    org.organizations.deregister_delegated_administrator(ADMIN, IAM)
    with pytest.raises(NoSuchEntityError):
        org.organizations.deregister_delegated_administrator(ADMIN, IAM)
