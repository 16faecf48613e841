"""Rules AWS applies whatever the policies say (docs/evaluation.md "Standing rules").

Two kinds, both decided from the action and the resource alone, before any
policy is read:

* an action that needs no permission: ``sts:GetCallerIdentity`` is allowed
  even under an explicit deny (spec §G.6, STS:API_GetCallerIdentity.html);
* protections: resources that AWS owns and customers cannot change, whatever
  their policies grant (the :data:`PROTECTIONS` table, one row per resource
  kind). The account store raises each row's error for the matching IAM
  operation; the evaluators deny the request and name the row.

:func:`standing_rule` is one dictionary lookup on the lowercased action, so
requests for any other action pay a constant check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from iamsim._engine.result import Decision, StandingRule
from iamsim.errors import AccessDeniedError, ServiceError, UnmodifiableEntityError

__all__ = [
    "NO_PERMISSION_NEEDED",
    "PROTECTIONS",
    "RULED_ACTIONS",
    "Protection",
    "protection_error",
    "standing_rule",
]


def _resource_part(arn: str, service: str) -> tuple[str, str] | None:
    """``(account, resource)`` of an ARN of ``service``, or ``None`` for anything else."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != service:
        return None
    return parts[4], parts[5]


def _is_aws_managed_policy(arn: str) -> bool:
    found = _resource_part(arn, "iam")
    return found is not None and found[0] == "aws" and found[1].startswith("policy/")


def _is_identity_center_role(arn: str) -> bool:
    found = _resource_part(arn, "iam")
    if found is None or not found[1].startswith("role/"):
        return False
    # The role's name is the last path segment; IAM Identity Center names its roles AWSReservedSSO_<set>_<id>.
    return found[1].rsplit("/", 1)[-1].startswith("AWSReservedSSO_")


def _is_service_linked_role(arn: str) -> bool:
    found = _resource_part(arn, "iam")
    # A service-linked role's path is /aws-service-role/<service principal>/ (§H.6).
    return found is not None and found[1].startswith("role/aws-service-role/")


def _is_aws_alias(arn: str) -> bool:
    found = _resource_part(arn, "kms")
    return found is not None and found[1].startswith("alias/aws/")


@dataclass(frozen=True, slots=True)
class Protection:
    """One row of the protections table: these actions on these resources are refused.

    ``error`` is the error class the service answers with and ``messages``
    maps a lowercased action to its message (which may name the resource as
    ``{name}``); ``error`` is ``None`` where iamsim serves no API for the
    resource (KMS). ``rule`` is what an evaluation reports.
    """

    rule: StandingRule
    actions: frozenset[str]
    applies_to: Callable[[str], bool]
    error: type[ServiceError] | None
    messages: Mapping[str, str]


_AWS_MANAGED_POLICY_ACTIONS = {
    # AccessDenied messages as IAM returns them for AWS managed policy ARNs.
    "iam:createpolicyversion": "Cannot create versions for policies outside your own account.",
    "iam:deletepolicy": "Cannot delete policies outside your own account.",
    "iam:deletepolicyversion": "Cannot delete policy versions for policies outside your own account.",
    "iam:setdefaultpolicyversion": "Cannot update policies outside your own account.",
    "iam:tagpolicy": "Cannot tag policies outside your own account.",
    "iam:untagpolicy": "Cannot untag policies outside your own account.",
}

_PROTECTED_ROLE_MESSAGE = (
    "Cannot perform the operation on the protected role '{name}' - this role is only modifiable by AWS"
)
# What nobody but AWS may change on a role AWS owns: its trust, its permissions, its existence.
_ROLE_OWNERSHIP_ACTIONS = (
    "iam:updateassumerolepolicy",
    "iam:deleterole",
    "iam:putrolepolicy",
    "iam:deleterolepolicy",
    "iam:attachrolepolicy",
    "iam:detachrolepolicy",
    "iam:putrolepermissionsboundary",
    "iam:deleterolepermissionsboundary",
)
_IDENTITY_CENTER_ROLE_ACTIONS = dict.fromkeys(
    (*_ROLE_OWNERSHIP_ACTIONS, "iam:updaterole", "iam:updateroledescription", "iam:tagrole", "iam:untagrole"),
    _PROTECTED_ROLE_MESSAGE,
)
# Customers may still edit a service-linked role's description (UG:id_roles_update-service-linked-role.html)
# and tags; the service alone decides where the role is used, instance profiles included.
_SERVICE_LINKED_ROLE_ACTIONS = dict.fromkeys(
    (*_ROLE_OWNERSHIP_ACTIONS, "iam:addroletoinstanceprofile"), _PROTECTED_ROLE_MESSAGE
)

_AWS_ALIAS_MESSAGE = "The alias/aws/ prefix is reserved for AWS managed keys."
_AWS_ALIAS_ACTIONS = dict.fromkeys(("kms:createalias", "kms:updatealias", "kms:deletealias"), _AWS_ALIAS_MESSAGE)

#: The protections, one row per kind of AWS-owned resource (spec §F.1 step 0 "whatever the policies say").
PROTECTIONS: tuple[Protection, ...] = (
    Protection(
        StandingRule(
            "aws-managed-policy",
            Decision.EXPLICIT_DENY,
            "AWS managed policies cannot be changed or deleted by customers",
            "§H.5; UG:access_policies_managed-vs-inline.html (AWS managed policies: you cannot change them)",
        ),
        frozenset(_AWS_MANAGED_POLICY_ACTIONS),
        _is_aws_managed_policy,
        AccessDeniedError,
        _AWS_MANAGED_POLICY_ACTIONS,
    ),
    Protection(
        StandingRule(
            "identity-center-role",
            Decision.EXPLICIT_DENY,
            "roles that IAM Identity Center created (AWSReservedSSO_*) are only modifiable by AWS",
            "§H.5 (UnmodifiableEntity, the message IAM returns for these roles)",
        ),
        frozenset(_IDENTITY_CENTER_ROLE_ACTIONS),
        _is_identity_center_role,
        UnmodifiableEntityError,
        _IDENTITY_CENTER_ROLE_ACTIONS,
    ),
    Protection(
        StandingRule(
            "service-linked-role",
            Decision.EXPLICIT_DENY,
            "service-linked roles (path /aws-service-role/) are changed and deleted only by their service",
            "§H.6 (UnmodifiableEntity, the message IAM returns for these roles)",
        ),
        frozenset(_SERVICE_LINKED_ROLE_ACTIONS),
        _is_service_linked_role,
        UnmodifiableEntityError,
        _SERVICE_LINKED_ROLE_ACTIONS,
    ),
    Protection(
        StandingRule(
            "aws-kms-alias",
            Decision.EXPLICIT_DENY,
            "aliases that begin with alias/aws/ are reserved for AWS managed keys",
            "§F.1; KMS:alias-create.html (the alias/aws/ prefix is reserved for AWS managed keys)",
        ),
        frozenset(_AWS_ALIAS_ACTIONS),
        _is_aws_alias,
        None,
        _AWS_ALIAS_ACTIONS,
    ),
)

#: ``sts:GetCallerIdentity`` needs no permission (spec §G.6).
NO_PERMISSION_NEEDED = StandingRule(
    "no-permission-needed",
    Decision.ALLOWED,
    "sts:GetCallerIdentity needs no permission: it is allowed even when a policy denies it",
    "§G.6; STS:API_GetCallerIdentity.html (no permissions are required to perform this operation)",
)

_BY_ACTION: dict[str, tuple[Protection, ...]] = {}
for _protection in PROTECTIONS:
    for _action in _protection.actions:
        _BY_ACTION[_action] = (*_BY_ACTION.get(_action, ()), _protection)
del _protection, _action

#: Every lowercased action some standing rule may decide: for any other, :func:`standing_rule` is ``None``
#: (the fast path tests membership instead of calling it on every request).
RULED_ACTIONS = frozenset({"sts:getcalleridentity", *_BY_ACTION})


def standing_rule(action: str, resource: str) -> StandingRule | None:
    """The standing rule that decides ``action`` (lowercased) on ``resource``, if any."""
    if action == "sts:getcalleridentity":
        return NO_PERMISSION_NEEDED
    rows = _BY_ACTION.get(action)
    if rows is None:
        return None
    for row in rows:
        if row.applies_to(resource):
            return row.rule
    return None


def protection_error(action: str, arn: str, name: str) -> ServiceError | None:
    """The error the service answers when a customer calls ``action`` on the protected ``arn``, if it is.

    ``name`` is the resource's friendly name, used in the message.
    """
    lowered = action.lower()
    for row in _BY_ACTION.get(lowered, ()):
        if row.error is not None and row.applies_to(arn):
            return row.error(row.messages[lowered].format(name=name))
    return None
