"""The IAM answers whose shape holds what no record holds: usage counts, the default version, a user's name.

Everything else about them is the convention of :mod:`.render`; these name only
the members AWS computes (``AttachmentCount``, ``IsDefaultVersion``...).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from iamsim._policy.aws_managed import AwsManagedPolicy
from iamsim._store.records import AccessKey, InstanceProfile, ManagedPolicy, PolicyVersion, Role
from iamsim._wire.render import render, shape

__all__ = [
    "access_key_output",
    "aws_managed_policy_output",
    "instance_profile_output",
    "managed_policy_output",
    "policy_version_output",
    "record_output",
]

Output = dict[str, Any]


def record_output(
    name: str,
    record: object,
    values: Mapping[str, Any] | None = None,
    *,
    omit: Iterable[str] = (),
    nested: bool = False,
) -> Output:
    """``record`` as IAM's structure ``name`` (``record_output("User", user)``), by the convention of :mod:`.render`."""
    return render(shape("iam", name), record, values, omit=omit, nested=nested)


def managed_policy_output(
    policy: ManagedPolicy, *, attachment_count: int, boundary_count: int, detailed: bool = True, as_name: str = "Policy"
) -> Output:
    """A customer managed ``Policy`` with its usage; only GetPolicy carries the description and tags."""
    counts = {
        "AttachmentCount": attachment_count,
        "PermissionsBoundaryUsageCount": boundary_count,
        "IsAttachable": True,
    }
    return record_output(as_name, policy, counts, omit=() if detailed else ("Description", "Tags"))


def aws_managed_policy_output(
    policy: AwsManagedPolicy, *, attachment_count: int, boundary_count: int, as_name: str = "Policy"
) -> Output:
    """An AWS managed ``Policy`` with its usage in this account."""
    values = {
        "PolicyId": _aws_policy_id(policy.arn),
        "AttachmentCount": attachment_count,
        "PermissionsBoundaryUsageCount": boundary_count,
        "IsAttachable": True,
    }
    return record_output(as_name, policy, values, omit=("Description", "Tags"))


def _aws_policy_id(arn: str) -> str:
    # The snapshot carries no policy ids; derive a stable ANPA-style id from the ARN.
    digest = hashlib.sha256(arn.encode()).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return "ANPA" + "".join(alphabet[b % 32] for b in digest[:17])


def policy_version_output(version: PolicyVersion, default_version_id: str, *, with_document: bool) -> Output:
    """A ``PolicyVersion``; ListPolicyVersions leaves out the document, as AWS does."""
    is_default = {"IsDefaultVersion": version.version_id == default_version_id}
    return record_output("PolicyVersion", version, is_default, omit=() if with_document else ("Document",))


def instance_profile_output(profile: InstanceProfile, roles: list[Role]) -> Output:
    """An ``InstanceProfile`` with its (at most one) role record."""
    return record_output("InstanceProfile", profile, {"Roles": roles})


def access_key_output(key: AccessKey, user_name: str, *, name: str = "AccessKey") -> Output:
    """An ``AccessKey`` (with its secret) or ``AccessKeyMetadata``; the root user's keys name ``root``."""
    return record_output(name, key, {"UserName": user_name})
