"""Protections AWS applies whatever the policies say, in the account store (spec §H.5, §H.4).

The table lives in ``_engine/standing_rules.py``; the store raises each row's
error, AWS's code and words, and leaves state as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from iamsim._clock import ManualClock
from iamsim._simulator import Simulator
from iamsim.errors import AccessDeniedError, UnmodifiableEntityError

ACCOUNT = "123456789012"
SSO_ROLE = "AWSReservedSSO_AdministratorAccess_0123456789abcdef"
SSO_PATH = "/aws-reserved/sso.amazonaws.com/"
ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


@pytest.fixture
def sim() -> Simulator:
    simulator = Simulator(seed=5, clock=ManualClock(), account_id=ACCOUNT)
    # Seeded as IAM Identity Center provisions it: the protection is on changing it, not on its existence.
    simulator.create_role(SSO_ROLE, TRUST, path=SSO_PATH)
    return simulator


def _state(sim: Simulator) -> str:
    role = sim.get_role(SSO_ROLE)
    return json.dumps(
        [
            role.trust_policy,
            role.description,
            role.max_session_duration,
            role.permissions_boundary,
            role.tags,
            role.inline_policies,
            role.attached_policies,
        ],
        default=str,
    )


SSO_CHANGES: dict[str, Callable[[Simulator], object]] = {
    "UpdateRole": lambda sim: sim.update_role(SSO_ROLE, description="mine now"),
    "UpdateAssumeRolePolicy": lambda sim: sim.update_assume_role_policy(SSO_ROLE, TRUST),
    "TagRole": lambda sim: sim.tag_role(SSO_ROLE, {"team": "a"}),
    "UntagRole": lambda sim: sim.untag_role(SSO_ROLE, ["team"]),
    "PutRolePermissionsBoundary": lambda sim: sim.put_role_permissions_boundary(SSO_ROLE, ADMIN_ACCESS),
    "DeleteRolePermissionsBoundary": lambda sim: sim.delete_role_permissions_boundary(SSO_ROLE),
    "PutRolePolicy": lambda sim: sim.put_role_policy(SSO_ROLE, "extra", READ),
    "DeleteRolePolicy": lambda sim: sim.delete_role_policy(SSO_ROLE, "extra"),
    "AttachRolePolicy": lambda sim: sim.attach_role_policy(SSO_ROLE, ADMIN_ACCESS),
    "DetachRolePolicy": lambda sim: sim.detach_role_policy(SSO_ROLE, ADMIN_ACCESS),
    "DeleteRole": lambda sim: sim.delete_role(SSO_ROLE),
}


@pytest.mark.parametrize("operation", sorted(SSO_CHANGES))
def test_identity_center_role_is_unmodifiable_H5(sim: Simulator, operation: str) -> None:
    """§H.5/§H.4: every change to an AWSReservedSSO_* role is UnmodifiableEntity, in IAM's words; state is kept."""
    before = _state(sim)
    with pytest.raises(UnmodifiableEntityError) as caught:
        SSO_CHANGES[operation](sim)
    assert caught.value.message == (
        f"Cannot perform the operation on the protected role '{SSO_ROLE}' - this role is only modifiable by AWS"
    )
    assert _state(sim) == before


def test_identity_center_role_can_still_be_read_H5(sim: Simulator) -> None:
    """§H.5: the protection is on changes only; reading the role works."""
    assert sim.get_role(SSO_ROLE).arn == f"arn:aws:iam::{ACCOUNT}:role{SSO_PATH}{SSO_ROLE}"
    assert sim.list_role_policies(SSO_ROLE) == ()


def test_other_roles_change_as_usual_H5(sim: Simulator) -> None:
    """§H.5: a customer role whose name merely contains AWSReservedSSO is not protected."""
    sim.create_role("MyAWSReservedSSO_copy", TRUST)
    sim.update_role("MyAWSReservedSSO_copy", description="fine")
    assert sim.get_role("MyAWSReservedSSO_copy").description == "fine"


MANAGED_CHANGES: dict[str, tuple[Callable[[Simulator], object], str]] = {
    "DeletePolicy": (lambda sim: sim.delete_policy(ADMIN_ACCESS), "Cannot delete policies outside your own account."),
    "CreatePolicyVersion": (
        lambda sim: sim.create_policy_version(ADMIN_ACCESS, READ, set_as_default=True),
        "Cannot create versions for policies outside your own account.",
    ),
    "SetDefaultPolicyVersion": (
        lambda sim: sim.set_default_policy_version(ADMIN_ACCESS, "v1"),
        "Cannot update policies outside your own account.",
    ),
    "DeletePolicyVersion": (
        lambda sim: sim.delete_policy_version(ADMIN_ACCESS, "v1"),
        "Cannot delete policy versions for policies outside your own account.",
    ),
}


@pytest.mark.parametrize("operation", sorted(MANAGED_CHANGES))
def test_aws_managed_policy_cannot_be_changed_H5(sim: Simulator, operation: str) -> None:
    """§H.5: AWS managed policies cannot be changed or deleted: AccessDenied in IAM's words, not NoSuchEntity."""
    change, message = MANAGED_CHANGES[operation]
    with pytest.raises(AccessDeniedError) as caught:
        change(sim)
    assert caught.value.message == message
    assert caught.value.result is None


def test_customer_policy_of_same_name_is_deletable_H5(sim: Simulator) -> None:
    """§H.5: only account "aws" is protected; a customer policy named AdministratorAccess is the customer's."""
    mine = sim.create_policy("AdministratorAccess", READ)
    sim.delete_policy(mine.arn)
    assert sim.list_policies(scope="Local") == ()
