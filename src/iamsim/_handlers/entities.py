"""IAM records as boto3 shapes them: the output dicts the wire layer renders.

Policy documents stay text: the wire layer URL-encodes them as IAM does and
botocore decodes them back into dicts for the caller.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from iamsim._policy.aws_managed import AwsManagedPolicy
from iamsim._store.records import (
    AccessKey,
    Group,
    InstanceProfile,
    ManagedPolicy,
    MfaDevice,
    OidcProvider,
    PolicyVersion,
    Role,
    User,
)
from iamsim._store.validation import Tags

__all__ = [
    "access_key_metadata",
    "access_key_output",
    "aws_managed_policy_output",
    "group_output",
    "instance_profile_output",
    "managed_policy_output",
    "mfa_device_output",
    "oidc_provider_output",
    "parse_date",
    "policy_version_output",
    "role_output",
    "tags_output",
    "user_output",
    "virtual_mfa_device_output",
]

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def parse_date(text: str) -> datetime:
    """A store date (``2026-01-01T00:00:00Z``) as an aware UTC datetime."""
    return datetime.strptime(text, _DATE_FORMAT).replace(tzinfo=UTC)


def tags_output(tags: Tags) -> list[dict[str, str]]:
    """``[{"Key": ..., "Value": ...}]``."""
    return [{"Key": key, "Value": value} for key, value in tags]


def _boundary(arn: str | None) -> dict[str, str] | None:
    if arn is None:
        return None
    return {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": arn}


def _drop_empty(output: dict[str, Any]) -> dict[str, Any]:
    # AWS omits optional members that have no value rather than sending them empty.
    return {key: value for key, value in output.items() if value not in (None, [], "")}


def user_output(user: User, *, detailed: bool = True) -> dict[str, Any]:
    """A ``User``; ListUsers omits the boundary and tags, as AWS does."""
    output: dict[str, Any] = {
        "Path": user.path,
        "UserName": user.name,
        "UserId": user.user_id,
        "Arn": user.arn,
        "CreateDate": parse_date(user.create_date),
    }
    if detailed:
        output["PermissionsBoundary"] = _boundary(user.permissions_boundary)
        output["Tags"] = tags_output(user.tags)
    return _drop_empty(output)


def group_output(group: Group) -> dict[str, Any]:
    """A ``Group``."""
    return {
        "Path": group.path,
        "GroupName": group.name,
        "GroupId": group.group_id,
        "Arn": group.arn,
        "CreateDate": parse_date(group.create_date),
    }


def role_output(role: Role, *, detailed: bool = True) -> dict[str, Any]:
    """A ``Role`` with its trust policy; ListRoles omits the boundary and tags, as AWS does."""
    output: dict[str, Any] = {
        "Path": role.path,
        "RoleName": role.name,
        "RoleId": role.role_id,
        "Arn": role.arn,
        "CreateDate": parse_date(role.create_date),
        "AssumeRolePolicyDocument": role.trust_policy,
        "Description": role.description,
        "MaxSessionDuration": role.max_session_duration,
    }
    if detailed:
        output["PermissionsBoundary"] = _boundary(role.permissions_boundary)
        output["Tags"] = tags_output(role.tags)
        output["RoleLastUsed"] = {}
    return _drop_empty(output)


def managed_policy_output(
    policy: ManagedPolicy, *, attachment_count: int, boundary_count: int, detailed: bool = True
) -> dict[str, Any]:
    """A customer managed ``Policy``; only GetPolicy carries the description and tags."""
    output: dict[str, Any] = {
        "PolicyName": policy.name,
        "PolicyId": policy.policy_id,
        "Arn": policy.arn,
        "Path": policy.path,
        "DefaultVersionId": policy.default_version_id,
        "AttachmentCount": attachment_count,
        "PermissionsBoundaryUsageCount": boundary_count,
        "IsAttachable": True,
        "CreateDate": parse_date(policy.create_date),
        "UpdateDate": parse_date(policy.update_date),
    }
    if detailed:
        output["Description"] = policy.description
        output["Tags"] = tags_output(policy.tags)
    return _drop_empty(output)


def aws_managed_policy_output(
    policy: AwsManagedPolicy, *, attachment_count: int, boundary_count: int
) -> dict[str, Any]:
    """An AWS managed ``Policy``."""
    return {
        "PolicyName": policy.name,
        "PolicyId": _aws_policy_id(policy.arn),
        "Arn": policy.arn,
        "Path": policy.path,
        "DefaultVersionId": policy.default_version_id,
        "AttachmentCount": attachment_count,
        "PermissionsBoundaryUsageCount": boundary_count,
        "IsAttachable": True,
        "CreateDate": policy.create_date,
        "UpdateDate": policy.update_date,
    }


def _aws_policy_id(arn: str) -> str:
    # The snapshot carries no policy ids; derive a stable ANPA-style id from the ARN.
    digest = hashlib.sha256(arn.encode()).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return "ANPA" + "".join(alphabet[b % 32] for b in digest[:17])


def policy_version_output(version: PolicyVersion, default_version_id: str, *, with_document: bool) -> dict[str, Any]:
    """A ``PolicyVersion``; ListPolicyVersions leaves out the document, as AWS does."""
    output: dict[str, Any] = {
        "VersionId": version.version_id,
        "IsDefaultVersion": version.version_id == default_version_id,
        "CreateDate": parse_date(version.create_date),
    }
    if with_document:
        output["Document"] = version.document
    return output


def instance_profile_output(profile: InstanceProfile, roles: list[Role]) -> dict[str, Any]:
    """An ``InstanceProfile`` with its (at most one) role."""
    output: dict[str, Any] = {
        "Path": profile.path,
        "InstanceProfileName": profile.name,
        "InstanceProfileId": profile.instance_profile_id,
        "Arn": profile.arn,
        "CreateDate": parse_date(profile.create_date),
        "Roles": [role_output(role, detailed=False) for role in roles],
    }
    if profile.tags:
        output["Tags"] = tags_output(profile.tags)
    return output


def access_key_output(key: AccessKey, user_name: str) -> dict[str, Any]:
    """The ``AccessKey`` of CreateAccessKey, with its secret."""
    return {
        "UserName": user_name,
        "AccessKeyId": key.access_key_id,
        "Status": key.status,
        "SecretAccessKey": key.secret_access_key,
        "CreateDate": parse_date(key.create_date),
    }


def access_key_metadata(key: AccessKey, user_name: str) -> dict[str, Any]:
    """An ``AccessKeyMetadata`` of ListAccessKeys."""
    return {
        "UserName": user_name,
        "AccessKeyId": key.access_key_id,
        "Status": key.status,
        "CreateDate": parse_date(key.create_date),
    }


def virtual_mfa_device_output(device: MfaDevice, *, with_seed: bool, user: User | None = None) -> dict[str, Any]:
    """A ``VirtualMFADevice``; only CreateVirtualMFADevice reveals the seed."""
    output: dict[str, Any] = {"SerialNumber": device.serial_number}
    if with_seed:
        output["Base32StringSeed"] = device.seed_base32.encode("ascii")
    if user is not None:
        output["User"] = user_output(user, detailed=False)
    if device.enable_date is not None:
        output["EnableDate"] = parse_date(device.enable_date)
    return output


def mfa_device_output(device: MfaDevice, user_name: str) -> dict[str, Any]:
    """An ``MFADevice`` of ListMFADevices."""
    return {
        "UserName": user_name,
        "SerialNumber": device.serial_number,
        "EnableDate": parse_date(device.enable_date or device.create_date),
    }


def oidc_provider_output(provider: OidcProvider) -> dict[str, Any]:
    """The output of GetOpenIDConnectProvider."""
    return _drop_empty(
        {
            "Url": provider.url,
            "ClientIDList": list(provider.client_ids),
            "ThumbprintList": list(provider.thumbprints),
            "CreateDate": parse_date(provider.create_date),
            "Tags": tags_output(provider.tags),
        }
    )
