"""One account's IAM entities, kept consistent on every write (spec §H).

Every mutating method validates everything first and changes state only
after all checks passed, so a failed call changes nothing. Names are unique
per account case-insensitively (the dictionaries are keyed by the lowercased
name); records are frozen and replaced on update. ``generation`` increases on
every successful write so callers can cache what they derived from the store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from iamsim._arn import Arn, iam_entity_arn
from iamsim._clock import Clock, iso8601
from iamsim._policy.aws_managed import aws_managed_policy
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._store.changes import ChangeCounter
from iamsim._store.ids import IdGenerator, IdPrefix
from iamsim._store.messages import already_exists, delete_conflict, no_such_entity, quota
from iamsim._store.passwords import check_password, hash_password
from iamsim._store.records import (
    AccessKey,
    Group,
    InlinePolicy,
    InstanceProfile,
    LoginProfile,
    ManagedPolicy,
    MfaDevice,
    OidcProvider,
    PasswordPolicy,
    PolicyVersion,
    Role,
    SamlProvider,
    User,
)
from iamsim._store.saml import check_saml_name, metadata_valid_until
from iamsim._store.trust import PrincipalResolver, bind_trust_principals
from iamsim._store.validation import (
    Tags,
    check_length,
    check_name,
    check_path,
    check_pattern,
    check_policy_path,
    normalise_tags,
    tag_keys_to_drop,
)
from iamsim.errors import (
    EntityAlreadyExistsError,
    InvalidInputError,
    LimitExceededError,
    NoSuchEntityError,
    ServiceError,
    ValidationError,
)

__all__ = ["AWS_MANAGED_PREFIX", "AccountStore", "Document", "Protections", "document_text"]

#: The protections AWS applies whatever the policies say: the error for ``(action, arn, name)``, or ``None``.
Protections = Callable[[str, str, str], ServiceError | None]

#: A policy document as callers pass it: JSON text or an already decoded mapping.
Document = str | bytes | Mapping[str, Any]

AWS_MANAGED_PREFIX = ":iam::aws:policy/"

_INLINE_LIMITS = {"user": 2048, "role": 10240, "group": 5120}
_ATTACH_LIMITS = {"user": ("PoliciesPerUser", 10), "role": ("PoliciesPerRole", 10), "group": ("PoliciesPerGroup", 10)}
_ACCOUNT_LIMITS = {
    "user": ("UsersPerAccount", 5000),
    "role": ("RolesPerAccount", 1000),
    "group": ("GroupsPerAccount", 300),
    "policy": ("PoliciesPerAccount", 1500),
    "instance-profile": ("InstanceProfilesPerAccount", 1000),
}
_MAX_VERSIONS = 5
_SAML_PROVIDERS_PER_ACCOUNT = 100
_ALIAS_RE = re.compile(r"[a-z0-9](([a-z0-9]|-(?!-)){1,61})[a-z0-9]")
_OIDC_URL_RE = re.compile(r"https://[^\s/?#]+(/[^\s?#]*)?")


def document_text(document: Document) -> str:
    """The text IAM stores for a document (a mapping is serialised as compact-ish JSON)."""
    if isinstance(document, bytes):
        return document.decode("utf-8", errors="replace")
    if isinstance(document, str):
        return document
    return json.dumps(document)


def _unspaced_length(text: str) -> int:
    # Quotas on inline and managed policies do not count whitespace (§H.3).
    return sum(1 for ch in text if not ch.isspace())


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


def _retagged(existing: Tags, tags: Tags | Mapping[str, str], remove: Iterable[str]) -> Tags:
    """``existing`` with ``tags`` merged in (validated, §H.2) and the keys in ``remove`` dropped."""
    merged = normalise_tags(tags, existing)
    drop = tag_keys_to_drop(remove)
    return tuple((k, v) for k, v in merged if k.lower() not in drop)


class AccountStore:
    """The IAM entities of one account."""

    def __init__(
        self,
        account_id: str,
        *,
        ids: IdGenerator,
        clock: Clock,
        resolver: PrincipalResolver | None = None,
        partition: str = "aws",
        changes: ChangeCounter | None = None,
        protections: Protections | None = None,
    ) -> None:
        self.account_id = account_id
        #: AWS's protections (the world's standing rules); a store standing alone has none.
        self._protections = protections
        self.partition = partition
        self.generation = 0
        #: Shared with the other stores of the world (its own when the store stands alone).
        self._changes = changes if changes is not None else ChangeCounter()
        self._ids = ids
        self._clock = clock
        self._resolver: PrincipalResolver = resolver or self.resolve_own_principal
        self._users: dict[str, User] = {}
        self._groups: dict[str, Group] = {}
        self._roles: dict[str, Role] = {}
        self._policies: dict[str, ManagedPolicy] = {}
        self._profiles: dict[str, InstanceProfile] = {}
        self._keys: dict[str, AccessKey] = {}
        #: Ids of keys this store issued and no longer holds: they must never pass for unknown keys (§G.9).
        self._retired_keys: set[str] = set()
        self._mfa: dict[str, MfaDevice] = {}
        self._oidc: dict[str, OidcProvider] = {}
        self._saml: dict[str, SamlProvider] = {}
        self._password_policy: PasswordPolicy | None = None
        self._aliases: list[str] = []
        self._parsed: dict[tuple[PolicyKind, str, str], Policy] = {}

    # ------------------------------------------------------------------ helpers

    def set_resolver(self, resolver: PrincipalResolver) -> None:
        """Use ``resolver`` to check trust-policy principals (the simulator's, spanning accounts)."""
        self._resolver = resolver

    def _now(self) -> str:
        return iso8601(self._clock.now())

    def _arn(self, kind: str, path: str, name: str) -> str:
        return iam_entity_arn(self.partition, self.account_id, kind, path, name)

    def _guard(self, action: str, arn: str, name: str) -> None:
        """Refuse a change AWS never lets customers make, with AWS's error (the protections the world
        gives the store: the standing rules' table, AWS managed policies, IAM Identity Center roles)."""
        error = None if self._protections is None else self._protections(action, arn, name)
        if error is not None:
            raise error

    def _bump(self) -> None:
        self.generation += 1
        self._changes.bump()

    def _check_account_quota(self, kind: str, current: int) -> None:
        name, limit = _ACCOUNT_LIMITS[kind]
        if current >= limit:
            raise quota(name, limit)

    def parsed(self, document: str, kind: PolicyKind, name: str, *, check_size: bool = True) -> Policy:
        """Parse ``document`` as a policy of ``kind`` named ``name`` (cached by text)."""
        key = (kind, name, document)
        policy = self._parsed.get(key)
        if policy is None:
            policy = parse_policy(document, kind, name=name, check_size=check_size)
            if len(self._parsed) > 4096:
                self._parsed.clear()
            self._parsed[key] = policy
        return policy

    def resolve_own_principal(self, arn: str) -> str | None:
        """The unique id of the user or role ``arn`` names in this account (``None`` if absent)."""
        parsed = Arn.try_parse(arn)
        if parsed is None or parsed.account != self.account_id:
            return ""
        name = parsed.resource_name
        if parsed.resource.startswith("user/"):
            user = self._users.get(name.lower())
            return user.user_id if user is not None and user.arn == arn else None
        if parsed.resource.startswith("role/"):
            role = self._roles.get(name.lower())
            return role.role_id if role is not None and role.arn == arn else None
        return ""

    # -------------------------------------------------------------------- users

    def create_user(
        self, name: str, *, path: str = "/", permissions_boundary: str | None = None, tags: Tags | None = None
    ) -> User:
        """CreateUser."""
        check_name(name, "userName", 64)
        check_path(path)
        tag_list = normalise_tags(tags)
        boundary = self._boundary_arn(permissions_boundary) if permissions_boundary else None
        if name.lower() in self._users:
            raise already_exists("user", name)
        self._check_account_quota("user", len(self._users))
        user = User(
            name,
            self._ids.unique_id(IdPrefix.USER),
            self._arn("user", path, name),
            path,
            self._now(),
            tag_list,
            boundary,
        )
        self._users[name.lower()] = user
        self._bump()
        return user

    def get_user(self, name: str) -> User:
        """GetUser."""
        user = self._users.get(name.lower()) if isinstance(name, str) else None
        if user is None:
            raise no_such_entity("user", str(name))
        return user

    def list_users(self, path_prefix: str = "/") -> tuple[User, ...]:
        """ListUsers, sorted by name."""
        return tuple(
            sorted((u for u in self._users.values() if u.path.startswith(path_prefix)), key=lambda u: u.name.lower())
        )

    def delete_user(self, name: str) -> None:
        """DeleteUser: refuses while the user has keys, MFA devices, policies or groups (§H.5)."""
        user = self.get_user(name)
        if user.login_profile is not None:
            raise delete_conflict("login-profile")
        if any(k.user_name == user.name for k in self._keys.values()):
            raise delete_conflict("access-keys")
        if user.mfa_devices:
            raise delete_conflict("mfa")
        if user.inline_policies:
            raise delete_conflict("inline")
        if user.attached_policies:
            raise delete_conflict("attached")
        if user.groups:
            raise delete_conflict("groups")
        del self._users[user.name.lower()]
        self._bump()

    def tag_user(self, name: str, tags: Tags | Mapping[str, str]) -> None:
        """TagUser (an existing key's value is overwritten)."""
        user = self.get_user(name)
        self._users[user.name.lower()] = replace(user, tags=normalise_tags(tags, user.tags))
        self._bump()

    def untag_user(self, name: str, keys: Iterable[str]) -> None:
        """UntagUser."""
        user = self.get_user(name)
        drop = tag_keys_to_drop(keys)
        self._users[user.name.lower()] = replace(
            user, tags=tuple((k, v) for k, v in user.tags if k.lower() not in drop)
        )
        self._bump()

    def put_user_permissions_boundary(self, name: str, policy_arn: str) -> None:
        """PutUserPermissionsBoundary."""
        user = self.get_user(name)
        boundary = self._boundary_arn(policy_arn)
        self._users[user.name.lower()] = replace(user, permissions_boundary=boundary)
        self._bump()

    def delete_user_permissions_boundary(self, name: str) -> None:
        """DeleteUserPermissionsBoundary."""
        user = self.get_user(name)
        if user.permissions_boundary is None:
            raise NoSuchEntityError(f"The user with name {user.name} does not have a permissions boundary.")
        self._users[user.name.lower()] = replace(user, permissions_boundary=None)
        self._bump()

    # ------------------------------------------------------------------- groups

    def create_group(self, name: str, *, path: str = "/") -> Group:
        """CreateGroup."""
        check_name(name, "groupName", 128)
        check_path(path)
        if name.lower() in self._groups:
            raise already_exists("group", name)
        self._check_account_quota("group", len(self._groups))
        group = Group(name, self._ids.unique_id(IdPrefix.GROUP), self._arn("group", path, name), path, self._now())
        self._groups[name.lower()] = group
        self._bump()
        return group

    def get_group(self, name: str) -> Group:
        """GetGroup (the group record; see :meth:`group_members`)."""
        group = self._groups.get(name.lower()) if isinstance(name, str) else None
        if group is None:
            raise no_such_entity("group", str(name))
        return group

    def group_members(self, name: str) -> tuple[User, ...]:
        """The users in group ``name``, sorted by name."""
        group = self.get_group(name)
        return tuple(u for u in self.list_users() if group.name in u.groups)

    def list_groups(self, path_prefix: str = "/") -> tuple[Group, ...]:
        """ListGroups, sorted by name."""
        return tuple(
            sorted((g for g in self._groups.values() if g.path.startswith(path_prefix)), key=lambda g: g.name.lower())
        )

    def list_groups_for_user(self, user_name: str) -> tuple[Group, ...]:
        """ListGroupsForUser."""
        user = self.get_user(user_name)
        return tuple(self._groups[g.lower()] for g in user.groups)

    def add_user_to_group(self, group_name: str, user_name: str) -> None:
        """AddUserToGroup (idempotent; at most 10 groups per user)."""
        group = self.get_group(group_name)
        user = self.get_user(user_name)
        if group.name in user.groups:
            return
        if len(user.groups) >= 10:
            raise quota("GroupsPerUser", 10)
        self._users[user.name.lower()] = replace(user, groups=(*user.groups, group.name))
        self._bump()

    def remove_user_from_group(self, group_name: str, user_name: str) -> None:
        """RemoveUserFromGroup."""
        group = self.get_group(group_name)
        user = self.get_user(user_name)
        if group.name not in user.groups:
            raise NoSuchEntityError(f"The user with name {user.name} cannot be found in group {group.name}.")
        self._users[user.name.lower()] = replace(user, groups=tuple(g for g in user.groups if g != group.name))
        self._bump()

    def delete_group(self, name: str) -> None:
        """DeleteGroup: the group must have no members and no policies (§H.5)."""
        group = self.get_group(name)
        if any(group.name in u.groups for u in self._users.values()):
            raise delete_conflict("members")
        if group.inline_policies:
            raise delete_conflict("inline")
        if group.attached_policies:
            raise delete_conflict("attached")
        del self._groups[group.name.lower()]
        self._bump()

    # -------------------------------------------------------------------- roles

    def _trust(self, document: Document) -> tuple[str, Policy, tuple[Any, ...]]:
        text = document_text(document)
        policy = parse_policy(text, PolicyKind.TRUST, name="trust policy")
        bindings = bind_trust_principals(policy, self._resolver)
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
        boundary = self._boundary_arn(permissions_boundary) if permissions_boundary else None
        if name.lower() in self._roles:
            raise already_exists("role", name)
        self._check_account_quota("role", len(self._roles))
        text, _, bindings = self._trust(assume_role_policy_document)
        role = Role(
            name,
            self._ids.unique_id(IdPrefix.ROLE),
            self._arn("role", path, name),
            path,
            self._now(),
            text,
            bindings,
            description,
            max_session_duration,
            boundary,
            tag_list,
        )
        self._roles[name.lower()] = role
        self._bump()
        return role

    def get_role(self, name: str) -> Role:
        """GetRole."""
        role = self._roles.get(name.lower()) if isinstance(name, str) else None
        if role is None:
            raise no_such_entity("role", str(name))
        return role

    def list_roles(self, path_prefix: str = "/") -> tuple[Role, ...]:
        """ListRoles, sorted by name."""
        return tuple(
            sorted((r for r in self._roles.values() if r.path.startswith(path_prefix)), key=lambda r: r.name.lower())
        )

    def update_role(
        self, name: str, *, description: str | None = None, max_session_duration: int | None = None
    ) -> Role:
        """UpdateRole: description and/or MaxSessionDuration."""
        role = self.get_role(name)
        self._guard("iam:UpdateRole", role.arn, role.name)
        changes: dict[str, Any] = {}
        if description is not None:
            check_length(description, "description", 0, 1000)
            changes["description"] = description
        if max_session_duration is not None:
            changes["max_session_duration"] = _check_max_session_duration(max_session_duration)
        role = replace(role, **changes)
        self._roles[role.name.lower()] = role
        self._bump()
        return role

    def update_assume_role_policy(self, name: str, policy_document: Document) -> Role:
        """UpdateAssumeRolePolicy: validated exactly like CreateRole (§H.5)."""
        role = self.get_role(name)
        self._guard("iam:UpdateAssumeRolePolicy", role.arn, role.name)
        text, _, bindings = self._trust(policy_document)
        role = replace(role, trust_policy=text, trust_bindings=bindings)
        self._roles[role.name.lower()] = role
        self._bump()
        return role

    def tag_role(self, name: str, tags: Tags | Mapping[str, str]) -> None:
        """TagRole (an existing key's value is overwritten, §H.5)."""
        role = self.get_role(name)
        self._guard("iam:TagRole", role.arn, role.name)
        self._roles[role.name.lower()] = replace(role, tags=normalise_tags(tags, role.tags))
        self._bump()

    def untag_role(self, name: str, keys: Iterable[str]) -> None:
        """UntagRole."""
        role = self.get_role(name)
        self._guard("iam:UntagRole", role.arn, role.name)
        drop = tag_keys_to_drop(keys)
        self._roles[role.name.lower()] = replace(
            role, tags=tuple((k, v) for k, v in role.tags if k.lower() not in drop)
        )
        self._bump()

    def put_role_permissions_boundary(self, name: str, policy_arn: str) -> None:
        """PutRolePermissionsBoundary."""
        role = self.get_role(name)
        self._guard("iam:PutRolePermissionsBoundary", role.arn, role.name)
        boundary = self._boundary_arn(policy_arn)
        self._roles[role.name.lower()] = replace(role, permissions_boundary=boundary)
        self._bump()

    def delete_role_permissions_boundary(self, name: str) -> None:
        """DeleteRolePermissionsBoundary."""
        role = self.get_role(name)
        self._guard("iam:DeleteRolePermissionsBoundary", role.arn, role.name)
        if role.permissions_boundary is None:
            raise NoSuchEntityError(f"The role with name {role.name} does not have a permissions boundary.")
        self._roles[role.name.lower()] = replace(role, permissions_boundary=None)
        self._bump()

    def delete_role(self, name: str) -> None:
        """DeleteRole: refuses while policies or instance profiles remain (§H.5)."""
        role = self.get_role(name)
        self._guard("iam:DeleteRole", role.arn, role.name)
        if role.attached_policies:
            raise delete_conflict("attached")
        if role.inline_policies:
            raise delete_conflict("inline")
        if any(role.name in p.roles for p in self._profiles.values()):
            raise delete_conflict("instance-profiles")
        del self._roles[role.name.lower()]
        self._bump()

    # ---------------------------------------------------------- inline policies

    def _changed_entity(self, kind: str, name: str, action: str) -> User | Group | Role:
        """The entity ``action`` (``iam:PutRolePolicy``...; ``Role`` stands for ``kind``) is about to change."""
        entity = self._entity(kind, name)
        if isinstance(entity, Role):
            self._guard(action, entity.arn, entity.name)
        return entity

    def _entity(self, kind: str, name: str) -> User | Group | Role:
        if kind == "user":
            return self.get_user(name)
        if kind == "group":
            return self.get_group(name)
        return self.get_role(name)

    def _store_entity(self, kind: str, entity: User | Group | Role) -> None:
        if isinstance(entity, User):
            self._users[entity.name.lower()] = entity
        elif isinstance(entity, Group):
            self._groups[entity.name.lower()] = entity
        else:
            self._roles[entity.name.lower()] = entity

    def put_inline_policy(self, kind: str, entity_name: str, policy_name: str, document: Document) -> None:
        """PutUserPolicy / PutGroupPolicy / PutRolePolicy: add or replace (aggregate size §H.3)."""
        entity = self._changed_entity(kind, entity_name, "iam:PutRolePolicy")
        check_name(policy_name, "policyName", 128)
        text = document_text(document)
        self.parsed(text, PolicyKind.IDENTITY, policy_name, check_size=False)
        others = [p for p in entity.inline_policies if p.name != policy_name]
        total = sum(_unspaced_length(p.document) for p in others) + _unspaced_length(text)
        limit = _INLINE_LIMITS[kind]
        if total > limit:
            raise LimitExceededError(f"Maximum policy size of {limit} bytes exceeded for {kind} {entity.name}")
        existing = [p.name for p in entity.inline_policies]
        if policy_name in existing:
            policies = tuple(
                InlinePolicy(policy_name, text) if p.name == policy_name else p for p in entity.inline_policies
            )
        else:
            policies = (*entity.inline_policies, InlinePolicy(policy_name, text))
        self._store_entity(kind, replace(entity, inline_policies=policies))
        self._bump()

    def get_inline_policy(self, kind: str, entity_name: str, policy_name: str) -> InlinePolicy:
        """GetUserPolicy / GetGroupPolicy / GetRolePolicy."""
        entity = self._entity(kind, entity_name)
        for policy in entity.inline_policies:
            if policy.name == policy_name:
                return policy
        raise no_such_entity(f"{kind} policy", policy_name)

    def list_inline_policies(self, kind: str, entity_name: str) -> tuple[str, ...]:
        """ListUserPolicies / ListGroupPolicies / ListRolePolicies (names, sorted)."""
        return tuple(sorted(p.name for p in self._entity(kind, entity_name).inline_policies))

    def delete_inline_policy(self, kind: str, entity_name: str, policy_name: str) -> None:
        """DeleteUserPolicy / DeleteGroupPolicy / DeleteRolePolicy."""
        entity = self._changed_entity(kind, entity_name, "iam:DeleteRolePolicy")
        self.get_inline_policy(kind, entity_name, policy_name)
        policies = tuple(p for p in entity.inline_policies if p.name != policy_name)
        self._store_entity(kind, replace(entity, inline_policies=policies))
        self._bump()

    # --------------------------------------------------------- managed policies

    def _customer_policy(self, arn: str) -> ManagedPolicy:
        parsed = Arn.try_parse(arn) if isinstance(arn, str) else None
        if parsed is None or parsed.service != "iam" or not parsed.resource.startswith("policy/"):
            raise InvalidInputError(f"ARN {arn} is not valid.")
        policy = self._policies.get(parsed.resource_name.lower())
        if policy is None or policy.arn != arn:
            raise no_such_entity("policy", arn)
        return policy

    def create_policy(
        self,
        name: str,
        document: Document,
        *,
        path: str = "/",
        description: str = "",
        tags: Tags | Mapping[str, str] | None = None,
    ) -> ManagedPolicy:
        """CreatePolicy: version ``v1``, the default (§H.5)."""
        check_name(name, "policyName", 128)
        check_policy_path(path)
        check_length(description, "description", 0, 1000)
        tag_list = normalise_tags(tags)
        text = document_text(document)
        self.parsed(text, PolicyKind.IDENTITY, name)
        if name.lower() in self._policies:
            raise already_exists("policy", name)
        self._check_account_quota("policy", len(self._policies))
        now = self._now()
        policy = ManagedPolicy(
            name,
            self._ids.unique_id(IdPrefix.POLICY),
            self._arn("policy", path, name),
            path,
            now,
            now,
            "v1",
            (PolicyVersion("v1", text, now),),
            2,
            description,
            tag_list,
        )
        self._policies[name.lower()] = policy
        self._bump()
        return policy

    def get_policy(self, arn: str) -> ManagedPolicy:
        """GetPolicy (customer managed policies of this account)."""
        return self._customer_policy(arn)

    def list_policies(self) -> tuple[ManagedPolicy, ...]:
        """ListPolicies with Scope=Local, sorted by name."""
        return tuple(sorted(self._policies.values(), key=lambda p: p.name.lower()))

    def attachment_count(self, arn: str) -> int:
        """How many users, groups and roles have ``arn`` attached."""
        entities: Iterable[User | Group | Role] = [*self._users.values(), *self._groups.values(), *self._roles.values()]
        return sum(1 for e in entities if arn in e.attached_policies)

    def _used_as_boundary(self, arn: str) -> bool:
        entities: Iterable[User | Role] = [*self._users.values(), *self._roles.values()]
        return any(e.permissions_boundary == arn for e in entities)

    def delete_policy(self, arn: str) -> None:
        """DeletePolicy: refuses while attached, used as a boundary, or with extra versions (§H.5)."""
        self._guard("iam:DeletePolicy", arn, arn)
        policy = self._customer_policy(arn)
        if self.attachment_count(arn) or self._used_as_boundary(arn):
            raise delete_conflict("policy-attached")
        if len(policy.versions) > 1:
            raise delete_conflict("policy-versions")
        del self._policies[policy.name.lower()]
        self._bump()

    def create_policy_version(self, arn: str, document: Document, *, set_as_default: bool = False) -> PolicyVersion:
        """CreatePolicyVersion: at most 5 versions; ids are never reused (§H.5)."""
        self._guard("iam:CreatePolicyVersion", arn, arn)
        policy = self._customer_policy(arn)
        text = document_text(document)
        self.parsed(text, PolicyKind.IDENTITY, policy.name)
        if len(policy.versions) >= _MAX_VERSIONS:
            raise LimitExceededError(
                "A managed policy can have up to 5 versions. Before you create a new version, you must delete an "
                "existing version."
            )
        now = self._now()
        version = PolicyVersion(f"v{policy.next_version}", text, now)
        self._policies[policy.name.lower()] = replace(
            policy,
            versions=(*policy.versions, version),
            next_version=policy.next_version + 1,
            default_version_id=version.version_id if set_as_default else policy.default_version_id,
            update_date=now if set_as_default else policy.update_date,
        )
        self._bump()
        return version

    def get_policy_version(self, arn: str, version_id: str) -> PolicyVersion:
        """GetPolicyVersion."""
        policy = self._customer_policy(arn)
        for version in policy.versions:
            if version.version_id == version_id:
                return version
        raise NoSuchEntityError(f"Policy {arn} version {version_id} does not exist.")

    def set_default_policy_version(self, arn: str, version_id: str) -> None:
        """SetDefaultPolicyVersion: every entity the policy is attached to sees the new version."""
        self._guard("iam:SetDefaultPolicyVersion", arn, arn)
        policy = self._customer_policy(arn)
        self.get_policy_version(arn, version_id)
        self._policies[policy.name.lower()] = replace(policy, default_version_id=version_id, update_date=self._now())
        self._bump()

    def delete_policy_version(self, arn: str, version_id: str) -> None:
        """DeletePolicyVersion: the default version cannot be deleted (§H.5)."""
        self._guard("iam:DeletePolicyVersion", arn, arn)
        policy = self._customer_policy(arn)
        self.get_policy_version(arn, version_id)
        if version_id == policy.default_version_id:
            raise delete_conflict("default-version")
        versions = tuple(v for v in policy.versions if v.version_id != version_id)
        self._policies[policy.name.lower()] = replace(policy, versions=versions)
        self._bump()

    def managed_policy_document(self, arn: str) -> tuple[str, str]:
        """``(name, default version text)`` of a customer or AWS managed policy ARN."""
        if AWS_MANAGED_PREFIX in arn:
            managed = aws_managed_policy(arn, self.partition)
            return managed.name, managed.document
        policy = self._customer_policy(arn)
        return policy.name, policy.default_document

    def _attachable(self, arn: str) -> str:
        if not isinstance(arn, str) or Arn.try_parse(arn) is None:
            raise InvalidInputError(f"ARN {arn} is not valid.")
        if AWS_MANAGED_PREFIX in arn:
            try:
                # Only this partition's copy: arn:aws:iam::aws:policy/X is not attachable in aws-cn.
                aws_managed_policy(arn, self.partition)
            except NoSuchEntityError:
                raise NoSuchEntityError(f"Policy {arn} does not exist or is not attachable.") from None
            return arn
        try:
            return self._customer_policy(arn).arn
        except NoSuchEntityError:
            raise NoSuchEntityError(f"Policy {arn} does not exist or is not attachable.") from None

    def _boundary_arn(self, arn: str) -> str:
        try:
            return self._attachable(arn)
        except NoSuchEntityError:
            raise NoSuchEntityError(f"Scope ARN: {arn} does not exist or is not attachable.") from None

    def attach_policy(self, kind: str, entity_name: str, policy_arn: str) -> None:
        """AttachUserPolicy / AttachGroupPolicy / AttachRolePolicy (idempotent, quota §H.3)."""
        entity = self._changed_entity(kind, entity_name, "iam:AttachRolePolicy")
        arn = self._attachable(policy_arn)
        if arn in entity.attached_policies:
            return
        quota_name, limit = _ATTACH_LIMITS[kind]
        if len(entity.attached_policies) >= limit:
            raise quota(quota_name, limit)
        self._store_entity(kind, replace(entity, attached_policies=(*entity.attached_policies, arn)))
        self._bump()

    def detach_policy(self, kind: str, entity_name: str, policy_arn: str) -> None:
        """DetachUserPolicy / DetachGroupPolicy / DetachRolePolicy."""
        entity = self._changed_entity(kind, entity_name, "iam:DetachRolePolicy")
        if policy_arn not in entity.attached_policies:
            raise no_such_entity("policy", policy_arn)
        attached = tuple(a for a in entity.attached_policies if a != policy_arn)
        self._store_entity(kind, replace(entity, attached_policies=attached))
        self._bump()

    def list_attached_policies(self, kind: str, entity_name: str) -> tuple[str, ...]:
        """ListAttachedUserPolicies / ...GroupPolicies / ...RolePolicies (ARNs, in attach order)."""
        return self._entity(kind, entity_name).attached_policies

    # -------------------------------------------------------------- access keys

    def create_access_key(self, user_name: str | None) -> AccessKey:
        """CreateAccessKey for a user (or the root user when ``user_name`` is ``None``); at most 2."""
        owner = self.get_user(user_name).name if user_name is not None else None
        if sum(1 for k in self._keys.values() if k.user_name == owner) >= 2:
            raise quota("AccessKeysPerUser", 2)
        key = AccessKey(
            self._ids.access_key_id(IdPrefix.ACCESS_KEY), self._ids.secret_access_key(), owner, "Active", self._now()
        )
        self._keys[key.access_key_id] = key
        self._bump()
        return key

    def _key_of(self, user_name: str | None, access_key_id: str) -> AccessKey:
        owner = self.get_user(user_name).name if user_name is not None else None
        key = self._keys.get(access_key_id)
        if key is None or key.user_name != owner:
            raise no_such_entity("access-key", access_key_id)
        return key

    def update_access_key(self, user_name: str | None, access_key_id: str, status: str) -> None:
        """UpdateAccessKey: ``Active`` or ``Inactive`` (an inactive key stops working at once)."""
        if status not in ("Active", "Inactive"):
            raise ValidationError(
                f"1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: "
                "Member must satisfy enum value set: [Active, Inactive]"
            )
        key = self._key_of(user_name, access_key_id)
        self._keys[key.access_key_id] = replace(key, status=status)
        self._bump()

    def delete_access_key(self, user_name: str | None, access_key_id: str) -> None:
        """DeleteAccessKey."""
        key = self._key_of(user_name, access_key_id)
        del self._keys[key.access_key_id]
        self._retired_keys.add(key.access_key_id)
        self._bump()

    def list_access_keys(self, user_name: str | None) -> tuple[AccessKey, ...]:
        """ListAccessKeys."""
        owner = self.get_user(user_name).name if user_name is not None else None
        return tuple(k for k in self._keys.values() if k.user_name == owner)

    def find_access_key(self, access_key_id: str) -> AccessKey | None:
        """The access key with that id, or ``None``."""
        return self._keys.get(access_key_id)

    def is_retired_key(self, access_key_id: str) -> bool:
        """Whether this store once held a key with that id (deleted, or dropped by :meth:`load_state`)."""
        return access_key_id in self._retired_keys

    # -------------------------------------------------------- instance profiles

    def create_instance_profile(
        self, name: str, *, path: str = "/", tags: Tags | Mapping[str, str] | None = None
    ) -> InstanceProfile:
        """CreateInstanceProfile."""
        check_name(name, "instanceProfileName", 128)
        check_path(path)
        tag_list = normalise_tags(tags)
        if name.lower() in self._profiles:
            raise already_exists("instance-profile", name)
        self._check_account_quota("instance-profile", len(self._profiles))
        profile = InstanceProfile(
            name,
            self._ids.unique_id(IdPrefix.INSTANCE_PROFILE),
            self._arn("instance-profile", path, name),
            path,
            self._now(),
            (),
            tag_list,
        )
        self._profiles[name.lower()] = profile
        self._bump()
        return profile

    def get_instance_profile(self, name: str) -> InstanceProfile:
        """GetInstanceProfile."""
        profile = self._profiles.get(name.lower()) if isinstance(name, str) else None
        if profile is None:
            raise no_such_entity("instance-profile", str(name))
        return profile

    def list_instance_profiles(self) -> tuple[InstanceProfile, ...]:
        """ListInstanceProfiles, sorted by name."""
        return tuple(sorted(self._profiles.values(), key=lambda p: p.name.lower()))

    def list_instance_profiles_for_role(self, role_name: str) -> tuple[InstanceProfile, ...]:
        """ListInstanceProfilesForRole."""
        role = self.get_role(role_name)
        return tuple(p for p in self.list_instance_profiles() if role.name in p.roles)

    def add_role_to_instance_profile(self, profile_name: str, role_name: str) -> None:
        """AddRoleToInstanceProfile: one role per profile, fixed (§H.5)."""
        profile = self.get_instance_profile(profile_name)
        role = self.get_role(role_name)
        if profile.roles:
            raise quota("InstanceSessionsPerInstanceProfile", 1)
        self._profiles[profile.name.lower()] = replace(profile, roles=(role.name,))
        self._bump()

    def remove_role_from_instance_profile(self, profile_name: str, role_name: str) -> None:
        """RemoveRoleFromInstanceProfile."""
        profile = self.get_instance_profile(profile_name)
        role = self.get_role(role_name)
        if role.name not in profile.roles:
            raise no_such_entity("role", role_name)
        self._profiles[profile.name.lower()] = replace(profile, roles=())
        self._bump()

    def delete_instance_profile(self, name: str) -> None:
        """DeleteInstanceProfile: the profile must hold no role (§H.5)."""
        profile = self.get_instance_profile(name)
        if profile.roles:
            raise delete_conflict("instance-profiles")
        del self._profiles[profile.name.lower()]
        self._bump()

    # ------------------------------------------------------------------ aliases

    def create_account_alias(self, alias: str, is_taken: Callable[[str], bool]) -> None:
        """CreateAccountAlias: one alias per account; a new one replaces the old."""
        check_length(alias, "accountAlias", 3, 63)
        check_pattern(alias, "accountAlias", r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", _ALIAS_RE)
        if alias in self._aliases:
            return
        if is_taken(alias):
            raise EntityAlreadyExistsError(f"The account alias {alias} already exists.")
        self._aliases[:] = [alias]
        self._bump()

    def delete_account_alias(self, alias: str) -> None:
        """DeleteAccountAlias."""
        if alias not in self._aliases:
            raise NoSuchEntityError(f"The account alias {alias} cannot be found.")
        self._aliases.remove(alias)
        self._bump()

    def list_account_aliases(self) -> tuple[str, ...]:
        """ListAccountAliases."""
        return tuple(self._aliases)

    # -------------------------------------------------------------- MFA devices

    def create_virtual_mfa_device(
        self, name: str, seed_base32: str | Callable[[], str], *, path: str = "/"
    ) -> MfaDevice:
        """CreateVirtualMFADevice with the seed the caller supplies.

        ``seed_base32`` may be a function drawing the seed: it is called only
        once every check passed, so a failed call draws nothing from the
        simulator's random source (a failed call changes nothing).
        """
        check_name(name, "virtualMFADeviceName", 226)
        check_path(path)
        serial = self._arn("mfa", path, name)
        if serial in self._mfa:
            raise EntityAlreadyExistsError("MFADevice entity at the same path and name already exists.")
        seed = seed_base32 if isinstance(seed_base32, str) else seed_base32()
        device = MfaDevice(serial, seed, self._now())
        self._mfa[serial] = device
        self._bump()
        return device

    def get_mfa_device(self, serial_number: str) -> MfaDevice:
        """The virtual MFA device with that serial number."""
        device = self._mfa.get(serial_number)
        if device is None:
            raise NoSuchEntityError(f"VirtualMFADevice with serial number {serial_number} doesn't exist.")
        return device

    def enable_mfa_device(self, user_name: str, serial_number: str) -> None:
        """EnableMFADevice (the caller has checked the two codes)."""
        user = self.get_user(user_name)
        device = self.get_mfa_device(serial_number)
        if device.user_name is not None:
            raise EntityAlreadyExistsError("MFA Device is already in use.")
        if len(user.mfa_devices) >= 8:
            raise quota("MFADevicesPerUser", 8)
        self._mfa[serial_number] = replace(device, user_name=user.name, enable_date=self._now())
        self._users[user.name.lower()] = replace(user, mfa_devices=(*user.mfa_devices, serial_number))
        self._bump()

    def deactivate_mfa_device(self, user_name: str, serial_number: str) -> None:
        """DeactivateMFADevice."""
        user = self.get_user(user_name)
        device = self.get_mfa_device(serial_number)
        if device.user_name != user.name:
            raise NoSuchEntityError(f"MFA Device with serial number {serial_number} does not exist.")
        self._mfa[serial_number] = replace(device, user_name=None, enable_date=None)
        self._users[user.name.lower()] = replace(
            user, mfa_devices=tuple(s for s in user.mfa_devices if s != serial_number)
        )
        self._bump()

    def delete_virtual_mfa_device(self, serial_number: str) -> None:
        """DeleteVirtualMFADevice: it must be deactivated first."""
        device = self.get_mfa_device(serial_number)
        if device.user_name is not None:
            raise delete_conflict("mfa-enabled")
        del self._mfa[serial_number]
        self._bump()

    def list_mfa_devices(self, user_name: str) -> tuple[MfaDevice, ...]:
        """ListMFADevices."""
        user = self.get_user(user_name)
        return tuple(self._mfa[s] for s in user.mfa_devices)

    # ----------------------------------------------------------- OIDC providers

    def create_open_id_connect_provider(
        self,
        url: str,
        client_ids: Iterable[str],
        thumbprints: Iterable[str] = (),
        *,
        tags: Tags | Mapping[str, str] | None = None,
    ) -> OidcProvider:
        """CreateOpenIDConnectProvider: ``url`` must be ``https://host[/path]``."""
        if not isinstance(url, str) or _OIDC_URL_RE.fullmatch(url) is None:
            raise InvalidInputError(f"Invalid URL: {url}")
        check_length(url, "url", 1, 255)
        ids = tuple(client_ids)
        for client_id in ids:
            check_length(client_id, "clientIDList.member", 1, 255)
        prints = tuple(thumbprints)
        for thumbprint in prints:
            check_length(thumbprint, "thumbprintList.member", 40, 40)
        tag_list = normalise_tags(tags)
        host = url.removeprefix("https://").rstrip("/")
        arn = self._arn("oidc-provider", "/", host)
        if arn in self._oidc:
            raise EntityAlreadyExistsError(f"Provider with url {url} already exists.")
        provider = OidcProvider(arn, host, ids, prints, self._now(), tag_list)
        self._oidc[arn] = provider
        self._bump()
        return provider

    def get_open_id_connect_provider(self, arn: str) -> OidcProvider:
        """GetOpenIDConnectProvider."""
        provider = self._oidc.get(arn)
        if provider is None:
            raise NoSuchEntityError(f"OpenIDConnect Provider not found for arn {arn}")
        return provider

    def list_open_id_connect_providers(self) -> tuple[OidcProvider, ...]:
        """ListOpenIDConnectProviders."""
        return tuple(sorted(self._oidc.values(), key=lambda p: p.arn))

    def delete_open_id_connect_provider(self, arn: str) -> None:
        """DeleteOpenIDConnectProvider."""
        self.get_open_id_connect_provider(arn)
        del self._oidc[arn]
        self._bump()

    # ------------------------------------------------------- renames (§H.5)

    def update_user(self, name: str, *, new_name: str | None = None, new_path: str | None = None) -> User:
        """UpdateUser: rename and/or move a user; its id, keys, groups, MFA and policies follow it.

        Returns the updated user; call :meth:`retarget_trust_principal` on every
        store (the caller's job: trust policies may sit in other accounts) to
        keep trust policies naming the user pointing at it, as IAM does.
        """
        user = self.get_user(name)
        target = user.name if new_name is None else check_name(new_name, "newUserName", 64)
        path = user.path if new_path is None else check_path(new_path, "newPath")
        clash = self._users.get(target.lower())
        if clash is not None and clash.user_id != user.user_id:
            raise already_exists("user", target)
        renamed = replace(user, name=target, path=path, arn=self._arn("user", path, target))
        del self._users[user.name.lower()]
        self._users[target.lower()] = renamed
        for key in [k for k in self._keys.values() if k.user_name == user.name]:
            self._keys[key.access_key_id] = replace(key, user_name=target)
        for device in [d for d in self._mfa.values() if d.user_name == user.name]:
            self._mfa[device.serial_number] = replace(device, user_name=target)
        self._bump()
        return renamed

    def update_group(self, name: str, *, new_name: str | None = None, new_path: str | None = None) -> Group:
        """UpdateGroup: rename and/or move a group; its members and policies follow it."""
        group = self.get_group(name)
        target = group.name if new_name is None else check_name(new_name, "newGroupName", 128)
        path = group.path if new_path is None else check_path(new_path, "newPath")
        clash = self._groups.get(target.lower())
        if clash is not None and clash.group_id != group.group_id:
            raise already_exists("group", target)
        renamed = replace(group, name=target, path=path, arn=self._arn("group", path, target))
        del self._groups[group.name.lower()]
        self._groups[target.lower()] = renamed
        for user in [u for u in self._users.values() if group.name in u.groups]:
            groups = tuple(target if g == group.name else g for g in user.groups)
            self._users[user.name.lower()] = replace(user, groups=groups)
        self._bump()
        return renamed

    def retarget_trust_principal(self, old_arn: str, new_arn: str, unique_id: str) -> None:
        """Make trust policies that name the entity ``unique_id`` as ``old_arn`` name ``new_arn``.

        IAM keeps trust principals by unique id, so a renamed user or role stays
        trusted and the policy shows its new ARN (a deleted-and-recreated one does not).
        """
        if old_arn == new_arn:
            return
        changed = False
        for role in list(self._roles.values()):
            if not any(b.arn == old_arn and b.unique_id == unique_id for b in role.trust_bindings):
                continue
            bindings = tuple(
                replace(b, arn=new_arn) if b.arn == old_arn and b.unique_id == unique_id else b
                for b in role.trust_bindings
            )
            text = role.trust_policy.replace(json.dumps(old_arn), json.dumps(new_arn))
            self._roles[role.name.lower()] = replace(role, trust_policy=text, trust_bindings=bindings)
            changed = True
        if changed:
            self._bump()

    # ----------------------------------------------------------- login profiles

    def create_login_profile(self, user_name: str, password: str, *, password_reset_required: bool = False) -> User:
        """CreateLoginProfile: the password must satisfy the account password policy."""
        user = self.get_user(user_name)
        if user.login_profile is not None:
            raise EntityAlreadyExistsError(f"Login Profile for user {user.name} already exists.")
        check_password(password, self._password_policy, user.name)
        profile = LoginProfile(self._now(), hash_password(user.user_id, password), bool(password_reset_required))
        user = replace(user, login_profile=profile)
        self._users[user.name.lower()] = user
        self._bump()
        return user

    def get_login_profile(self, user_name: str) -> tuple[User, LoginProfile]:
        """GetLoginProfile: the user and their login profile."""
        user = self.get_user(user_name)
        if user.login_profile is None:
            raise NoSuchEntityError(f"Login Profile for User {user.name} cannot be found.")
        return user, user.login_profile

    def update_login_profile(
        self, user_name: str, *, password: str | None = None, password_reset_required: bool | None = None
    ) -> None:
        """UpdateLoginProfile: a new password (checked by the policy) and/or the reset flag."""
        user, profile = self.get_login_profile(user_name)
        if password is not None:
            check_password(password, self._password_policy, user.name)
            profile = replace(profile, password_hash=hash_password(user.user_id, password))
        if password_reset_required is not None:
            profile = replace(profile, password_reset_required=bool(password_reset_required))
        self._users[user.name.lower()] = replace(user, login_profile=profile)
        self._bump()

    def delete_login_profile(self, user_name: str) -> None:
        """DeleteLoginProfile."""
        user, _ = self.get_login_profile(user_name)
        self._users[user.name.lower()] = replace(user, login_profile=None)
        self._bump()

    def password_matches(self, user_name: str, password: str) -> bool:
        """Whether ``password`` is the user's console password."""
        user, profile = self.get_login_profile(user_name)
        return profile.password_hash == hash_password(user.user_id, password)

    # ------------------------------------------------------ password policy

    def get_account_password_policy(self) -> PasswordPolicy:
        """GetAccountPasswordPolicy (``NoSuchEntity`` while the account uses IAM's default)."""
        if self._password_policy is None:
            raise NoSuchEntityError(f"The Password Policy with domain name {self.account_id} cannot be found.")
        return self._password_policy

    def update_account_password_policy(self, policy: PasswordPolicy) -> None:
        """UpdateAccountPasswordPolicy: replaces the whole policy."""
        self._password_policy = policy
        self._bump()

    def delete_account_password_policy(self) -> None:
        """DeleteAccountPasswordPolicy."""
        self.get_account_password_policy()
        self._password_policy = None
        self._bump()

    # ---------------------------------------------------------- resource tags

    def tag_policy(self, arn: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()) -> None:
        """TagPolicy / UntagPolicy (``tags`` empty and ``remove`` given)."""
        self._guard("iam:TagPolicy" if tags else "iam:UntagPolicy", arn, arn)
        policy = self._customer_policy(arn)
        self._policies[policy.name.lower()] = replace(policy, tags=_retagged(policy.tags, tags, remove))
        self._bump()

    def tag_instance_profile(self, name: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()) -> None:
        """TagInstanceProfile / UntagInstanceProfile."""
        profile = self.get_instance_profile(name)
        self._profiles[profile.name.lower()] = replace(profile, tags=_retagged(profile.tags, tags, remove))
        self._bump()

    def tag_open_id_connect_provider(
        self, arn: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()
    ) -> None:
        """TagOpenIDConnectProvider / UntagOpenIDConnectProvider."""
        provider = self.get_open_id_connect_provider(arn)
        self._oidc[arn] = replace(provider, tags=_retagged(provider.tags, tags, remove))
        self._bump()

    def tag_mfa_device(self, serial_number: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()) -> None:
        """TagMFADevice / UntagMFADevice."""
        device = self.get_mfa_device(serial_number)
        self._mfa[serial_number] = replace(device, tags=_retagged(device.tags, tags, remove))
        self._bump()

    def tag_saml_provider(self, arn: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()) -> None:
        """TagSAMLProvider / UntagSAMLProvider."""
        provider = self.get_saml_provider(arn)
        self._saml[arn] = replace(provider, tags=_retagged(provider.tags, tags, remove))
        self._bump()

    # --------------------------------------------------- more MFA and OIDC

    def list_virtual_mfa_devices(self, assignment_status: str = "Any") -> tuple[MfaDevice, ...]:
        """ListVirtualMFADevices: ``Assigned``, ``Unassigned`` or ``Any``, by serial number."""
        if assignment_status not in ("Assigned", "Unassigned", "Any"):
            raise ValidationError(
                f"1 validation error detected: Value '{assignment_status}' at 'assignmentStatus' failed to satisfy "
                "constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]"
            )
        devices = [self._mfa[s] for s in sorted(self._mfa)]
        if assignment_status == "Assigned":
            return tuple(d for d in devices if d.user_name is not None)
        if assignment_status == "Unassigned":
            return tuple(d for d in devices if d.user_name is None)
        return tuple(devices)

    def user_mfa_device(self, user_name: str, serial_number: str) -> MfaDevice:
        """The MFA device ``serial_number`` enabled for ``user_name`` (``NoSuchEntity`` otherwise)."""
        user = self.get_user(user_name)
        device = self._mfa.get(serial_number)
        if device is None or device.user_name != user.name:
            raise NoSuchEntityError(f"MFA Device with serial number {serial_number} does not exist.")
        return device

    def update_open_id_connect_provider(
        self,
        arn: str,
        *,
        add_client_id: str | None = None,
        remove_client_id: str | None = None,
        thumbprints: Iterable[str] | None = None,
    ) -> None:
        """AddClientIDToOpenIDConnectProvider / RemoveClientIDFromOpenIDConnectProvider / ...Thumbprint."""
        provider = self.get_open_id_connect_provider(arn)
        ids = provider.client_ids
        if add_client_id is not None:
            check_length(add_client_id, "clientID", 1, 255)
            if add_client_id not in ids:
                if len(ids) >= 100:
                    raise quota("ClientIdsPerOpenIdConnectProvider", 100)
                ids = (*ids, add_client_id)
        if remove_client_id is not None:
            check_length(remove_client_id, "clientID", 1, 255)
            ids = tuple(i for i in ids if i != remove_client_id)
        prints = provider.thumbprints
        if thumbprints is not None:
            prints = tuple(thumbprints)
            for thumbprint in prints:
                check_length(thumbprint, "thumbprintList.member", 40, 40)
            if len(prints) > 5:
                raise quota("ThumbprintsPerOpenIdConnectProvider", 5)
        self._oidc[arn] = replace(provider, client_ids=ids, thumbprints=prints)
        self._bump()

    # ----------------------------------------------------------- SAML providers

    def create_saml_provider(
        self, name: str, metadata_document: str, *, tags: Tags | Mapping[str, str] | None = None
    ) -> SamlProvider:
        """CreateSAMLProvider: the metadata must parse as a SAML ``EntityDescriptor``."""
        check_saml_name(name)
        valid_until = metadata_valid_until(metadata_document, self._clock.now())
        tag_list = normalise_tags(tags)
        arn = self._arn("saml-provider", "/", name)
        if arn in self._saml:
            raise EntityAlreadyExistsError(f"SAMLProvider {name} already exists.")
        if len(self._saml) >= _SAML_PROVIDERS_PER_ACCOUNT:
            raise quota("SAMLProvidersPerAccount", _SAML_PROVIDERS_PER_ACCOUNT)
        provider = SamlProvider(arn, name, metadata_document, self._now(), valid_until, tag_list)
        self._saml[arn] = provider
        self._bump()
        return provider

    def get_saml_provider(self, arn: str) -> SamlProvider:
        """GetSAMLProvider."""
        provider = self._saml.get(arn) if isinstance(arn, str) else None
        if provider is None:
            raise NoSuchEntityError(f"Manifest not found for arn {arn}")
        return provider

    def list_saml_providers(self) -> tuple[SamlProvider, ...]:
        """ListSAMLProviders, by ARN."""
        return tuple(self._saml[k] for k in sorted(self._saml))

    def update_saml_provider(self, arn: str, metadata_document: str) -> SamlProvider:
        """UpdateSAMLProvider: replaces the metadata document."""
        provider = self.get_saml_provider(arn)
        valid_until = metadata_valid_until(metadata_document, self._clock.now())
        provider = replace(provider, metadata_document=metadata_document, valid_until=valid_until)
        self._saml[arn] = provider
        self._bump()
        return provider

    def delete_saml_provider(self, arn: str) -> None:
        """DeleteSAMLProvider."""
        self.get_saml_provider(arn)
        del self._saml[arn]
        self._bump()

    # ------------------------------------------------------------ account summary

    def account_summary(self) -> dict[str, int]:
        """GetAccountSummary's SummaryMap: real counts next to the quotas iamsim enforces (§H.3)."""
        users = list(self._users.values())
        policies = list(self._policies.values())
        return {
            "Users": len(users),
            "UsersQuota": _ACCOUNT_LIMITS["user"][1],
            "Groups": len(self._groups),
            "GroupsQuota": _ACCOUNT_LIMITS["group"][1],
            "Roles": len(self._roles),
            "RolesQuota": _ACCOUNT_LIMITS["role"][1],
            "InstanceProfiles": len(self._profiles),
            "InstanceProfilesQuota": _ACCOUNT_LIMITS["instance-profile"][1],
            "Policies": len(policies),
            "PoliciesQuota": _ACCOUNT_LIMITS["policy"][1],
            "PolicyVersionsInUse": sum(len(p.versions) for p in policies),
            "PolicyVersionsInUseQuota": 10000,
            "VersionsPerPolicyQuota": _MAX_VERSIONS,
            "PolicySizeQuota": 6144,
            "UserPolicySizeQuota": _INLINE_LIMITS["user"],
            "GroupPolicySizeQuota": _INLINE_LIMITS["group"],
            "RolePolicySizeQuota": _INLINE_LIMITS["role"],
            "AssumeRolePolicySizeQuota": 2048,
            "GroupsPerUserQuota": 10,
            "AccessKeysPerUserQuota": 2,
            "SigningCertificatesPerUserQuota": 2,
            "AttachedPoliciesPerUserQuota": _ATTACH_LIMITS["user"][1],
            "AttachedPoliciesPerGroupQuota": _ATTACH_LIMITS["group"][1],
            "AttachedPoliciesPerRoleQuota": _ATTACH_LIMITS["role"][1],
            "ServerCertificates": 0,
            "ServerCertificatesQuota": 20,
            "MFADevices": len(self._mfa),
            "MFADevicesInUse": sum(1 for d in self._mfa.values() if d.user_name is not None),
            "AccountMFAEnabled": 0,
            "AccountAccessKeysPresent": int(any(k.user_name is None for k in self._keys.values())),
            "AccountPasswordPresent": 0,
            "AccountSigningCertificatesPresent": 0,
            "Providers": len(self._oidc) + len(self._saml),
            "GlobalEndpointTokenVersion": 1,
        }

    # ----------------------------------------------------- policies to evaluate

    def _managed(self, arns: Iterable[str]) -> list[Policy]:
        out = []
        for arn in arns:
            name, text = self.managed_policy_document(arn)
            out.append(self.parsed(text, PolicyKind.IDENTITY, name, check_size=False))
        return out

    def _inline(self, policies: Iterable[InlinePolicy]) -> list[Policy]:
        return [self.parsed(p.document, PolicyKind.IDENTITY, p.name, check_size=False) for p in policies]

    def user_identity_policies(self, name: str) -> tuple[Policy, ...]:
        """The user's inline and attached policies, then each group's (spec §F.1 step 4)."""
        user = self.get_user(name)
        policies = self._inline(user.inline_policies) + self._managed(user.attached_policies)
        for group_name in user.groups:
            group = self._groups[group_name.lower()]
            policies += self._inline(group.inline_policies) + self._managed(group.attached_policies)
        return tuple(policies)

    def role_identity_policies(self, name: str) -> tuple[Policy, ...]:
        """The role's inline and attached policies."""
        role = self.get_role(name)
        return tuple(self._inline(role.inline_policies) + self._managed(role.attached_policies))

    def boundary_policy(self, arn: str | None) -> Policy | None:
        """The parsed permissions boundary ``arn`` (``None`` for no boundary)."""
        if arn is None:
            return None
        name, text = self.managed_policy_document(arn)
        return self.parsed(text, PolicyKind.BOUNDARY, name, check_size=False)

    def role_trust_policy(self, name: str) -> Policy:
        """The role's trust policy as parsed (before rebinding, see :mod:`iamsim._store.trust`)."""
        role = self.get_role(name)
        return self.parsed(role.trust_policy, PolicyKind.TRUST, f"{role.name} trust policy", check_size=False)

    # ----------------------------------------------------------------- snapshot

    def state(self) -> dict[str, Any]:
        """Every record of the account, in a stable order (for snapshots)."""
        return {
            "account_id": self.account_id,
            "partition": self.partition,
            "generation": self.generation,
            "users": [self._users[k] for k in sorted(self._users)],
            "groups": [self._groups[k] for k in sorted(self._groups)],
            "roles": [self._roles[k] for k in sorted(self._roles)],
            "policies": [self._policies[k] for k in sorted(self._policies)],
            "instance_profiles": [self._profiles[k] for k in sorted(self._profiles)],
            "access_keys": [self._keys[k] for k in sorted(self._keys)],
            "mfa_devices": [self._mfa[k] for k in sorted(self._mfa)],
            "oidc_providers": [self._oidc[k] for k in sorted(self._oidc)],
            "saml_providers": [self._saml[k] for k in sorted(self._saml)],
            "password_policy": [] if self._password_policy is None else [self._password_policy],
            "aliases": list(self._aliases),
            # Deleted keys stay refused after a restore, even where unknown keys may act as root (§G.9).
            "retired_access_keys": sorted(self._retired_keys),
        }

    def load_state(self, state: Mapping[str, Any]) -> None:
        """Replace every record with those of ``state`` (decoded records, as :meth:`state` returns)."""
        self.generation = int(state["generation"])
        self._changes.bump()
        self._users = {u.name.lower(): u for u in state["users"]}
        self._groups = {g.name.lower(): g for g in state["groups"]}
        self._roles = {r.name.lower(): r for r in state["roles"]}
        self._policies = {p.name.lower(): p for p in state["policies"]}
        self._profiles = {p.name.lower(): p for p in state["instance_profiles"]}
        keys = {k.access_key_id: k for k in state["access_keys"]}
        self._retired_keys.update(state.get("retired_access_keys", ()))
        self._retired_keys.update(self._keys.keys() - keys.keys())
        self._retired_keys.difference_update(keys)
        self._keys = keys
        self._mfa = {m.serial_number: m for m in state["mfa_devices"]}
        self._oidc = {o.arn: o for o in state["oidc_providers"]}
        self._saml = {p.arn: p for p in state.get("saml_providers", ())}
        policies = list(state.get("password_policy", ()))
        self._password_policy = policies[0] if policies else None
        self._aliases = list(state["aliases"])
        self._parsed.clear()
