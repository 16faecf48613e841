"""Service-linked roles through boto3: created for the service named, protected from everyone else (§H.6).

AWS pages: IAMAPI:API_CreateServiceLinkedRole.html, API_DeleteServiceLinkedRole.html,
API_GetServiceLinkedRoleDeletionStatus.html; UG:id_roles_update-service-linked-role.html.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

import iamsim.boto3
from iamsim import Simulator
from iamsim.errors import UnmodifiableEntityError

from .conftest import ACCOUNT, error_of

ASG = "AWSServiceRoleForAutoScaling"
ASG_POLICY = "arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy"
PROTECTED = "Cannot perform the operation on the protected role '{}' - this role is only modifiable by AWS"


def test_create_names_role_path_trust_and_policy_as_the_service_does_H6(iam: Any) -> None:
    """§H.6: name and path as AWS gives them, a trust policy naming the service, its managed policy attached."""
    role = iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com", Description="for ECS")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForECS"
    assert role["Path"] == "/aws-service-role/ecs.amazonaws.com/"
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
    assert role["Description"] == "for ECS"
    statement = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"Service": ["ecs.amazonaws.com"]}
    assert statement["Action"] == ["sts:AssumeRole"]
    attached = iam.list_attached_role_policies(RoleName="AWSServiceRoleForECS")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == ["arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy"]
    assert iam.get_role(RoleName="AWSServiceRoleForECS")["Role"]["RoleId"] == role["RoleId"]


def test_custom_suffix_is_appended_where_the_service_allows_it_H6(iam: Any) -> None:
    """§H.6: Auto Scaling takes a CustomSuffix (AWSServiceRoleForAutoScaling_<suffix>), so several roles may exist."""
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    role = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="web")["Role"]
    assert role["RoleName"] == f"{ASG}_web"
    names = {r["RoleName"] for r in iam.list_roles(PathPrefix="/aws-service-role/")["Roles"]}
    assert names == {ASG, f"{ASG}_web"}


def test_custom_suffix_refused_where_the_service_does_not_take_one_H6(iam: Any) -> None:
    """§H.6 (observed): "Custom suffix is not allowed for es.amazonaws.com", InvalidInput, nothing created."""
    error = error_of(iam.create_service_linked_role, AWSServiceName="es.amazonaws.com", CustomSuffix="two")
    assert (error["Code"], error["Message"]) == ("InvalidInput", "Custom suffix is not allowed for es.amazonaws.com")
    assert iam.list_roles()["Roles"] == []


def test_second_role_of_the_same_name_is_refused_H6(iam: Any) -> None:
    """§H.6 (observed): the second call answers InvalidInput "Service role name X has been taken..."."""
    iam.create_service_linked_role(AWSServiceName="spot.amazonaws.com")
    error = error_of(iam.create_service_linked_role, AWSServiceName="spot.amazonaws.com")
    assert error["Code"] == "InvalidInput"
    assert error["Message"] == (
        "Service role name AWSServiceRoleForEC2Spot has been taken in this account, please try a different suffix."
    )


def test_unknown_service_and_bad_members_are_refused_H6(iam: Any) -> None:
    """§H.6: a service iamsim does not know is InvalidInput; a member breaking its pattern is ValidationError."""
    assert error_of(iam.create_service_linked_role, AWSServiceName="nope.amazonaws.com")["Code"] == "InvalidInput"
    error = error_of(iam.create_service_linked_role, AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="a b")
    assert error["Code"] == "ValidationError"
    assert "customSuffix" in error["Message"]
    long_suffix = "x" * 40  # AWSServiceRoleForAutoScaling_ + 40 characters is longer than a role name may be
    error = error_of(
        iam.create_service_linked_role, AWSServiceName="autoscaling.amazonaws.com", CustomSuffix=long_suffix
    )
    assert error["Code"] == "ValidationError"
    assert iam.list_roles()["Roles"] == []


def test_customer_cannot_change_or_delete_a_service_linked_role_H6(iam: Any) -> None:
    """§H.6: trust, inline and attached policies, boundary and deletion answer UnmodifiableEntity; nothing changes."""
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    )
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}],
        }
    )
    calls: list[tuple[Any, dict[str, Any]]] = [
        (iam.delete_role, {}),
        (iam.update_assume_role_policy, {"PolicyDocument": trust}),
        (iam.put_role_policy, {"PolicyName": "extra", "PolicyDocument": policy}),
        (iam.attach_role_policy, {"PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        (iam.detach_role_policy, {"PolicyArn": ASG_POLICY}),
        (iam.put_role_permissions_boundary, {"PermissionsBoundary": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
    ]
    for call, params in calls:
        error = error_of(call, RoleName=ASG, **params)
        assert (error["Code"], error["Message"]) == ("UnmodifiableEntity", PROTECTED.format(ASG)), call
    iam.create_instance_profile(InstanceProfileName="web")
    error = error_of(iam.add_role_to_instance_profile, InstanceProfileName="web", RoleName=ASG)
    assert error["Code"] == "UnmodifiableEntity"
    role = iam.get_role(RoleName=ASG)["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": ["autoscaling.amazonaws.com"]}
    assert iam.list_role_policies(RoleName=ASG)["PolicyNames"] == []
    assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=ASG)["AttachedPolicies"]] == [ASG_POLICY]


def test_description_stays_editable_H6(iam: Any) -> None:
    """§H.6 (UG:id_roles_update-service-linked-role.html): the description of any role can be edited."""
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    iam.update_role_description(RoleName=ASG, Description="scaling")
    assert iam.get_role(RoleName=ASG)["Role"]["Description"] == "scaling"


def test_delete_answers_a_task_whose_status_is_reported_H6(iam: Any) -> None:
    """§H.6: DeleteServiceLinkedRole answers task/aws-service-role/<service>/<role>/<uuid>; the role is gone."""
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    task = iam.delete_service_linked_role(RoleName=ASG)["DeletionTaskId"]
    prefix = f"task/aws-service-role/autoscaling.amazonaws.com/{ASG}/"
    assert task.startswith(prefix)
    assert len(task) == len(prefix) + 36
    assert iam.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"] == "SUCCEEDED"
    assert error_of(iam.get_role, RoleName=ASG)["Code"] == "NoSuchEntity"
    # The name is free again: the service may create its role anew.
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")


def test_delete_of_missing_or_ordinary_role_is_no_such_entity_H6(iam: Any) -> None:
    """§H.6: NoSuchEntity (the operation's documented error) for a missing role and for a role no service owns."""
    assert error_of(iam.delete_service_linked_role, RoleName=ASG)["Code"] == "NoSuchEntity"
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=trust)
    assert error_of(iam.delete_service_linked_role, RoleName="app")["Code"] == "NoSuchEntity"
    assert iam.get_role(RoleName="app")["Role"]["RoleName"] == "app"


def test_deletion_status_of_bad_or_unknown_task_H6(iam: Any) -> None:
    """§H.6: a malformed task id is InvalidInput; a well-formed one no deletion answered is NoSuchEntity."""
    assert error_of(iam.get_service_linked_role_deletion_status, DeletionTaskId="task/x")["Code"] == "InvalidInput"
    unknown = f"task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/{'0' * 8}-0000-4000-8000-{'0' * 12}"
    assert error_of(iam.get_service_linked_role_deletion_status, DeletionTaskId=unknown)["Code"] == "NoSuchEntity"


def test_create_is_authorized_on_the_role_it_creates_H6(iam: Any, session: boto3.Session, sim: Simulator) -> None:
    """§H.6: iam:CreateServiceLinkedRole is authorized on the new role's ARN, so a policy scoped to
    role/aws-service-role/<service>/* allows it and denies another service."""
    iam.create_user(UserName="ops")
    scoped = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iam:CreateServiceLinkedRole",
                "Resource": "arn:aws:iam::*:role/aws-service-role/ecs.amazonaws.com/*",
            }
        ],
    }
    iam.put_user_policy(UserName="ops", PolicyName="slr", PolicyDocument=json.dumps(scoped))
    key = iam.create_access_key(UserName="ops")["AccessKey"]
    ops_session = boto3.Session(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1"
    )
    with iamsim.boto3.attach(sim, ops_session):
        ops = ops_session.client("iam")
        ops.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
        assert error_of(ops.create_service_linked_role, AWSServiceName="rds.amazonaws.com")["Code"] == "AccessDenied"


def test_snapshot_keeps_roles_and_deletion_tasks_H6(iam: Any, sim: Simulator) -> None:
    """§H.6: a restored world still protects the role and still reports the task."""
    iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    task = iam.delete_service_linked_role(RoleName=ASG)["DeletionTaskId"]
    restored = Simulator.from_json(sim.to_json())
    assert restored.iam.get_service_linked_role_deletion_status(task).status == "SUCCEEDED"
    role = restored.iam.get_role("AWSServiceRoleForECS")
    assert role.path == "/aws-service-role/ecs.amazonaws.com/"
    with pytest.raises(UnmodifiableEntityError):
        restored.iam.delete_role("AWSServiceRoleForECS")
