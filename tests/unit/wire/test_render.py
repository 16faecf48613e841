"""Responses derived by convention: records rendered into botocore's output shapes (issue 12, §H).

The member rules are IAM's API reference shapes (https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html,
API_Role.html, API_GetUserPolicy.html): optional members without a value are absent, a nested user or role
leaves out its boundary and tags (API_ListUsers.html, API_ListRoles.html).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from iamsim._store.records import InlinePolicy, MfaDevice, Role, User
from iamsim._wire.render import answer, output_shape, render, shape
from iamsim.errors import InvalidInputError

USER = User(
    name="alice",
    user_id="AIDAEXAMPLE",
    arn="arn:aws:iam::123456789012:user/alice",
    path="/",
    create_date="2026-01-01T00:00:00Z",
    tags=(("team", "a"),),
    permissions_boundary="arn:aws:iam::123456789012:policy/b",
)
ROLE = Role(
    name="r",
    role_id="AROAEXAMPLE",
    arn="arn:aws:iam::123456789012:role/r",
    path="/",
    create_date="2026-01-01T00:00:00Z",
    trust_policy="{}",
)


def test_a_user_renders_member_by_member_H() -> None:
    """API_User: UserName is the record's name, dates are datetimes, tags and boundary take their shapes."""
    assert render(shape("iam", "User"), USER) == {
        "Path": "/",
        "UserName": "alice",
        "UserId": "AIDAEXAMPLE",
        "Arn": "arn:aws:iam::123456789012:user/alice",
        "CreateDate": datetime(2026, 1, 1, tzinfo=UTC),
        "PermissionsBoundary": {
            "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
            "PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/b",
        },
        "Tags": [{"Key": "team", "Value": "a"}],
    }


def test_a_nested_user_leaves_out_boundary_and_tags_H() -> None:
    """API_ListUsers: listed users carry neither permissions boundary nor tags."""
    assert set(render(shape("iam", "User"), USER, nested=True)) == {"Path", "UserName", "UserId", "Arn", "CreateDate"}


def test_a_role_has_its_trust_policy_and_never_used_marker_but_no_empty_description_H() -> None:
    """API_Role: AssumeRolePolicyDocument is the trust policy; an empty optional Description is absent."""
    output = render(shape("iam", "Role"), ROLE)
    assert output["AssumeRolePolicyDocument"] == "{}"
    assert output["RoleLastUsed"] == {}
    assert "Description" not in output
    assert "RoleLastUsed" not in render(shape("iam", "Role"), ROLE, nested=True)


def test_a_name_member_falls_back_only_to_its_own_kind_of_record_H() -> None:
    """API_GetUserPolicy: UserName is not the inline policy's name; it echoes the request."""
    respond = answer(output_shape("iam", "GetUserPolicy"))
    output = respond(InlinePolicy("p", "{}"), {"UserName": "alice", "PolicyName": "p"})
    assert output == {"UserName": "alice", "PolicyName": "p", "PolicyDocument": "{}"}


def test_a_sequence_fills_the_list_member_and_is_paged_H() -> None:
    """API_ListUsers: Marker/MaxItems page the listed users; IsTruncated and Marker say what is left."""
    respond = answer(output_shape("iam", "ListUsers"))
    second = User("bob", "AIDB", "arn:aws:iam::123456789012:user/bob", "/", "2026-01-01T00:00:00Z")
    output = respond((USER, second), {"MaxItems": 1})
    assert [u["UserName"] for u in output["Users"]] == ["alice"]
    assert output["IsTruncated"] is True
    rest = respond((USER, second), {"MaxItems": 1, "Marker": output["Marker"]})
    assert ([u["UserName"] for u in rest["Users"]], rest["IsTruncated"]) == (["bob"], False)


@pytest.mark.parametrize("marker", ["100", "1", "not a marker", ""])
def test_a_marker_iamsim_did_not_issue_is_invalid_H4(marker: str) -> None:
    """§H.4: IAM's markers are opaque; one it did not issue is InvalidInput "Invalid Marker."."""
    with pytest.raises(InvalidInputError) as caught:
        answer(output_shape("iam", "ListUsers"))((USER,), {"Marker": marker})
    assert caught.value.message == "Invalid Marker."


def test_a_record_fills_the_single_structure_member_and_a_seed_becomes_a_blob_H() -> None:
    """API_CreateVirtualMFADevice: the device's base32 seed is sent as Base32StringSeed bytes."""
    device = MfaDevice("arn:aws:iam::123456789012:mfa/d", "JBSWY3DP", "2026-01-01T00:00:00Z")
    output = answer(output_shape("iam", "CreateVirtualMFADevice"))(device, {"VirtualMFADeviceName": "d"})
    assert output == {
        "VirtualMFADevice": {
            "SerialNumber": device.serial_number,
            "Base32StringSeed": b"JBSWY3DP",
            "QRCodePNG": device.qr_code_png,
        }
    }


def test_an_operation_without_output_answers_nothing() -> None:
    assert answer(output_shape("iam", "DeleteUser"))(None, {}) == {}


@pytest.mark.parametrize("given", [[], ""])
def test_a_value_the_caller_gives_is_kept_even_empty(given: object) -> None:
    """API_GetAccountAuthorizationDetails lists (GroupList...) are sent even when empty."""
    output = render(output_shape("iam", "GetAccountAuthorizationDetails"), object(), {"Marker": given})
    assert output == {"Marker": given}
