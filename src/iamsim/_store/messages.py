"""AWS's exact error messages for IAM operations (spec §H.4), in one place."""

from __future__ import annotations

from iamsim.errors import (
    DeleteConflictError,
    EntityAlreadyExistsError,
    LimitExceededError,
    NoSuchEntityError,
)

__all__ = [
    "already_exists",
    "delete_conflict",
    "no_such_entity",
    "quota",
]


_KIND_WORDS = {"user": "user", "role": "role", "group": "group"}


def no_such_entity(kind: str, name: str) -> NoSuchEntityError:
    """``NoSuchEntity`` for a user, role or group (``The role with name X cannot be found.``)."""
    if kind in _KIND_WORDS:
        return NoSuchEntityError(f"The {kind} with name {name} cannot be found.")
    if kind == "instance-profile":
        return NoSuchEntityError(f"Instance Profile {name} cannot be found.")
    if kind == "policy":
        return NoSuchEntityError(f"Policy {name} was not found.")
    if kind == "access-key":
        return NoSuchEntityError(f"The Access Key with id {name} cannot be found.")
    if kind.endswith(" policy"):
        return NoSuchEntityError(f"The {kind} with name {name} cannot be found.")
    return NoSuchEntityError(f"{kind} {name} cannot be found.")


def already_exists(kind: str, name: str) -> EntityAlreadyExistsError:
    """``EntityAlreadyExists`` (``Role with name X already exists.``)."""
    if kind == "policy":
        return EntityAlreadyExistsError(f"A policy called {name} already exists. Duplicate names are not allowed.")
    if kind == "instance-profile":
        return EntityAlreadyExistsError(f"Instance Profile {name} already exists.")
    return EntityAlreadyExistsError(f"{kind.capitalize()} with name {name} already exists.")


def quota(name: str, value: int) -> LimitExceededError:
    """``LimitExceeded: Cannot exceed quota for <Name>: <value>``."""
    return LimitExceededError(f"Cannot exceed quota for {name}: {value}")


def delete_conflict(reason: str) -> DeleteConflictError:
    """``DeleteConflict`` with one of AWS's reasons."""
    return DeleteConflictError(_CONFLICTS[reason])


_CONFLICTS = {
    "attached": "Cannot delete entity, must detach all policies first.",
    "inline": "Cannot delete entity, must delete policies first.",
    "instance-profiles": "Cannot delete entity, must remove roles from instance profile first.",
    "access-keys": "Cannot delete entity, must delete access keys first.",
    "groups": "Cannot delete entity, must remove users from group first.",
    "mfa": "Cannot delete entity, must delete MFA device first.",
    "signing-certificates": "Cannot delete entity, must delete signing certificates first.",
    "ssh-public-keys": "Cannot delete entity, must delete SSH public keys first.",
    "service-specific-credentials": "Cannot delete entity, must delete service specific credentials first.",
    "login-profile": "Cannot delete entity, must delete login profile first.",
    "members": "Cannot delete entity, must remove users from group first.",
    "policy-attached": "Cannot delete a policy attached to entities.",
    "policy-versions": (
        "This policy has more than one version. Before you delete a policy, you must delete the policy's "
        "versions. The default version is deleted with the policy."
    ),
    "default-version": "Cannot delete the default version of a policy.",
    "mfa-enabled": "MFA Device is in use by a user. Deactivate the device first.",
}
