"""IAM roles of one account: trust policies bound to principals' unique ids, renames of those principals (§H, §A.3)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._store.account_data import Document, StoreFamily, document_text, find, under_path
from iamsim._store.ids import IdPrefix
from iamsim._store.records import Role
from iamsim._store.trust import bind_trust_principals
from iamsim._store.validation import Tags, check_length, check_name, check_path, normalise_tags
from iamsim.errors import NoSuchEntityError, ValidationError

__all__ = ["Roles"]


def _check_max_session_duration(value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(f"1 validation error detected: Value '{value}' at 'maxSessionDuration' must be a number")
    if value < 3600:
        raise ValidationError(
            f"1 validation error detected: Value '{value}' at 'maxSessionDuration' failed to satisfy constraint: "
            "Member must have value greater than or equal to 3600"
        )
    if value > 43200:
        raise ValidationError(
            f"1 validation error detected: Value '{value}' at 'maxSessionDuration' failed to satisfy constraint: "
            "Member must have value less than or equal to 43200"
        )
    return value


class Roles(StoreFamily):
    """The roles of one account."""

    def _trust(self, document: Document) -> tuple[str, Policy, tuple[Any, ...]]:
        text = document_text(document)
        policy = parse_policy(text, PolicyKind.TRUST, name="trust policy")
        bindings = bind_trust_principals(policy, self._data.resolver)
        return text, policy, bindings

    def create_role(
        self,
        name: str,
        assume_role_policy_document: Document,
        *,
        path: str = "/",
        description: str = "",
        max_session_duration: int = 3600,
        permissions_boundary: str | None = None,
        tags: Tags | Mapping[str, str] | None = None,
    ) -> Role:
        """CreateRole: the trust policy is validated as IAM does, principals must exist (§H.5, §A.3)."""
        check_name(name, "roleName", 64)
        check_path(path)
        check_length(description, "description", 0, 1000)
        _check_max_session_duration(max_session_duration)
        tag_list = normalise_tags(tags)
        boundary = self._store.policies._boundary_arn(permissions_boundary) if permissions_boundary else None
        self._data.check_new(self._data.roles, "role", name)
        text, _, bindings = self._trust(assume_role_policy_document)
        role = Role(
            *self._data.new_entity("role", IdPrefix.ROLE, name, path),
            text,
            bindings,
            description,
            max_session_duration,
            boundary,
            tag_list,
        )
        return self._data.add(self._data.roles, role)

    def get_role(self, name: str) -> Role:
        """GetRole."""
        return find(self._data.roles, "role", name)

    def list_roles(self, path_prefix: str = "/") -> tuple[Role, ...]:
        """ListRoles, sorted by name."""
        return under_path(self._data.roles, path_prefix)

    def update_role(
        self, name: str, *, description: str | None = None, max_session_duration: int | None = None
    ) -> Role:
        """UpdateRole: description and/or MaxSessionDuration."""
        role = self.get_role(name)
        self._data.guard("iam:UpdateRole", role.arn, role.name)
        changes: dict[str, Any] = {}
        if description is not None:
            check_length(description, "description", 0, 1000)
            changes["description"] = description
        if max_session_duration is not None:
            changes["max_session_duration"] = _check_max_session_duration(max_session_duration)
        role = replace(role, **changes)
        return self._data.add(self._data.roles, role)

    def update_assume_role_policy(self, name: str, policy_document: Document) -> Role:
        """UpdateAssumeRolePolicy: validated exactly like CreateRole (§H.5)."""
        role = self.get_role(name)
        self._data.guard("iam:UpdateAssumeRolePolicy", role.arn, role.name)
        text, _, bindings = self._trust(policy_document)
        role = replace(role, trust_policy=text, trust_bindings=bindings)
        return self._data.add(self._data.roles, role)

    def tag_role(self, name: str, tags: Tags | Mapping[str, str]) -> None:
        """TagRole (an existing key's value is overwritten, §H.5)."""
        role = self.get_role(name)
        self._data.guard("iam:TagRole", role.arn, role.name)
        self._data.retag(self._data.roles, role.name.lower(), role, tags, ())

    def untag_role(self, name: str, keys: Iterable[str]) -> None:
        """UntagRole."""
        role = self.get_role(name)
        self._data.guard("iam:UntagRole", role.arn, role.name)
        self._data.retag(self._data.roles, role.name.lower(), role, (), keys)

    def put_role_permissions_boundary(self, name: str, policy_arn: str) -> None:
        """PutRolePermissionsBoundary."""
        role = self.get_role(name)
        self._data.guard("iam:PutRolePermissionsBoundary", role.arn, role.name)
        boundary = self._store.policies._boundary_arn(policy_arn)
        self._data.put(self._data.roles, role.name.lower(), replace(role, permissions_boundary=boundary))

    def delete_role_permissions_boundary(self, name: str) -> None:
        """DeleteRolePermissionsBoundary."""
        role = self.get_role(name)
        self._data.guard("iam:DeleteRolePermissionsBoundary", role.arn, role.name)
        if role.permissions_boundary is None:
            raise NoSuchEntityError(f"The role with name {role.name} does not have a permissions boundary.")
        self._data.put(self._data.roles, role.name.lower(), replace(role, permissions_boundary=None))

    def delete_role(self, name: str) -> None:
        """DeleteRole: refuses while policies or instance profiles remain (§H.5)."""
        role = self.get_role(name)
        self._data.guard("iam:DeleteRole", role.arn, role.name)
        held = {
            "attached": bool(role.attached_policies),
            "inline": bool(role.inline_policies),
            "instance-profiles": any(role.name in p.roles for p in self._data.profiles.values()),
        }
        self._data.remove(self._data.roles, role, held)

    def retarget_trust_principal(self, old_arn: str, new_arn: str, unique_id: str) -> None:
        """Make trust policies that name the entity ``unique_id`` as ``old_arn`` name ``new_arn``.

        IAM keeps trust principals by unique id, so a renamed user or role stays
        trusted and the policy shows its new ARN (a deleted-and-recreated one does not).
        """
        if old_arn == new_arn:
            return
        changed = False
        for role in list(self._data.roles.values()):
            if not any(b.arn == old_arn and b.unique_id == unique_id for b in role.trust_bindings):
                continue
            bindings = tuple(
                replace(b, arn=new_arn) if b.arn == old_arn and b.unique_id == unique_id else b
                for b in role.trust_bindings
            )
            text = role.trust_policy.replace(json.dumps(old_arn), json.dumps(new_arn))
            self._data.roles[role.name.lower()] = replace(role, trust_policy=text, trust_bindings=bindings)
            changed = True
        if changed:
            self._data.bump()

    def role_trust_policy(self, name: str) -> Policy:
        """The role's trust policy as parsed (before rebinding, see :mod:`iamsim._store.trust`)."""
        role = self.get_role(name)
        return self._data.parsed(role.trust_policy, PolicyKind.TRUST, f"{role.name} trust policy", check_size=False)
