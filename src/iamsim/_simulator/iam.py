"""IAM operations of the simulator, ``sim.iam``: locked, logged calls into the account stores (the rules, §H)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from iamsim._simulator.core import Core
from iamsim._store.account import AccountStore, Document
from iamsim._store.passwords import password_policy
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
from iamsim._store.validation import Tags, TagsInput
from iamsim._sts.totp import consecutive_codes, generate_seed, seed_base32, seed_bytes
from iamsim.errors import InvalidAuthenticationCodeError, UsageError

__all__ = ["TAGGABLE", "IamOperations", "TagsInput"]

T = TypeVar("T")


def _tags(tags: TagsInput) -> Tags | None:
    """Tags as ``(key, value)`` pairs; the store checks each pair (§H.2)."""
    if tags is None:
        return None
    if isinstance(tags, Mapping):
        return tuple(tags.items())
    if isinstance(tags, (str, bytes)) or not isinstance(tags, Iterable):
        raise UsageError("Tags must be a mapping of keys to values or a list of (key, value) pairs.")
    return tuple(tags)


class IamOperations:
    """Every IAM operation, in snake_case (``sim.iam.create_role(...)``, also ``sim.create_role(...)``).

    ``account_id`` defaults to the simulator's account.
    """

    def __init__(self, core: Core) -> None:
        self._core = core

    def _iam(self, operation: str, subject: str, account_id: str | None, fn: Callable[[AccountStore], T]) -> T:
        account = self._core.state.account(account_id)
        return self._core.call("admin", "IAM", operation, subject, lambda: fn(self._core.store(account)))

    def _read(self, account_id: str | None, fn: Callable[[AccountStore], T]) -> T:
        with self._core.lock:
            return fn(self._core.store(self._core.state.account(account_id)))

    # users
    def create_user(
        self,
        user_name: str,
        *,
        path: str = "/",
        permissions_boundary: str | None = None,
        tags: TagsInput = None,
        account_id: str | None = None,
    ) -> User:
        """CreateUser."""
        return self._iam(
            "CreateUser",
            user_name,
            account_id,
            lambda s: s.create_user(user_name, path=path, permissions_boundary=permissions_boundary, tags=_tags(tags)),
        )

    def get_user(self, user_name: str, *, account_id: str | None = None) -> User:
        """GetUser."""
        return self._core.read(account_id, lambda s: s.get_user(user_name))

    def list_users(self, *, path_prefix: str = "/", account_id: str | None = None) -> tuple[User, ...]:
        """ListUsers."""
        return self._core.read(account_id, lambda s: s.list_users(path_prefix))

    def delete_user(self, user_name: str, *, account_id: str | None = None) -> None:
        """DeleteUser (DeleteConflict while keys, MFA, policies or groups remain)."""
        self._iam("DeleteUser", user_name, account_id, lambda s: s.delete_user(user_name))

    def tag_user(self, user_name: str, tags: TagsInput, *, account_id: str | None = None) -> None:
        """TagUser."""
        self._iam("TagUser", user_name, account_id, lambda s: s.tag_user(user_name, _tags(tags) or ()))

    def untag_user(self, user_name: str, tag_keys: Sequence[str], *, account_id: str | None = None) -> None:
        """UntagUser."""
        self._iam("UntagUser", user_name, account_id, lambda s: s.untag_user(user_name, tag_keys))

    def put_user_permissions_boundary(self, user_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """PutUserPermissionsBoundary."""
        self._iam(
            "PutUserPermissionsBoundary",
            user_name,
            account_id,
            lambda s: s.put_user_permissions_boundary(user_name, policy_arn),
        )

    def delete_user_permissions_boundary(self, user_name: str, *, account_id: str | None = None) -> None:
        """DeleteUserPermissionsBoundary."""
        self._iam(
            "DeleteUserPermissionsBoundary",
            user_name,
            account_id,
            lambda s: s.delete_user_permissions_boundary(user_name),
        )

    # groups
    def create_group(self, group_name: str, *, path: str = "/", account_id: str | None = None) -> Group:
        """CreateGroup."""
        return self._iam("CreateGroup", group_name, account_id, lambda s: s.create_group(group_name, path=path))

    def get_group(self, group_name: str, *, account_id: str | None = None) -> tuple[Group, tuple[User, ...]]:
        """GetGroup: the group and its users."""
        return self._core.read(account_id, lambda s: (s.get_group(group_name), s.group_members(group_name)))

    def list_groups(self, *, path_prefix: str = "/", account_id: str | None = None) -> tuple[Group, ...]:
        """ListGroups."""
        return self._core.read(account_id, lambda s: s.list_groups(path_prefix))

    def list_groups_for_user(self, user_name: str, *, account_id: str | None = None) -> tuple[Group, ...]:
        """ListGroupsForUser."""
        return self._core.read(account_id, lambda s: s.list_groups_for_user(user_name))

    def add_user_to_group(self, group_name: str, user_name: str, *, account_id: str | None = None) -> None:
        """AddUserToGroup."""
        self._iam(
            "AddUserToGroup",
            f"{user_name} -> {group_name}",
            account_id,
            lambda s: s.add_user_to_group(group_name, user_name),
        )

    def remove_user_from_group(self, group_name: str, user_name: str, *, account_id: str | None = None) -> None:
        """RemoveUserFromGroup."""
        self._iam(
            "RemoveUserFromGroup",
            f"{user_name} -> {group_name}",
            account_id,
            lambda s: s.remove_user_from_group(group_name, user_name),
        )

    def delete_group(self, group_name: str, *, account_id: str | None = None) -> None:
        """DeleteGroup."""
        self._iam("DeleteGroup", group_name, account_id, lambda s: s.delete_group(group_name))

    # roles
    def create_role(
        self,
        role_name: str,
        assume_role_policy_document: Document,
        *,
        path: str = "/",
        description: str = "",
        max_session_duration: int = 3600,
        permissions_boundary: str | None = None,
        tags: TagsInput = None,
        account_id: str | None = None,
    ) -> Role:
        """CreateRole: the trust policy is validated and its principals bound to unique ids (§H.5, §A.3)."""
        return self._iam(
            "CreateRole",
            role_name,
            account_id,
            lambda s: s.create_role(
                role_name,
                assume_role_policy_document,
                path=path,
                description=description,
                max_session_duration=max_session_duration,
                permissions_boundary=permissions_boundary,
                tags=_tags(tags),
            ),
        )

    def get_role(self, role_name: str, *, account_id: str | None = None) -> Role:
        """GetRole."""
        return self._core.read(account_id, lambda s: s.get_role(role_name))

    def list_roles(self, *, path_prefix: str = "/", account_id: str | None = None) -> tuple[Role, ...]:
        """ListRoles."""
        return self._core.read(account_id, lambda s: s.list_roles(path_prefix))

    def update_role(
        self,
        role_name: str,
        *,
        description: str | None = None,
        max_session_duration: int | None = None,
        account_id: str | None = None,
    ) -> Role:
        """UpdateRole."""
        return self._iam(
            "UpdateRole",
            role_name,
            account_id,
            lambda s: s.update_role(role_name, description=description, max_session_duration=max_session_duration),
        )

    def update_assume_role_policy(
        self, role_name: str, policy_document: Document, *, account_id: str | None = None
    ) -> Role:
        """UpdateAssumeRolePolicy (validated like CreateRole)."""
        return self._iam(
            "UpdateAssumeRolePolicy",
            role_name,
            account_id,
            lambda s: s.update_assume_role_policy(role_name, policy_document),
        )

    def tag_role(self, role_name: str, tags: TagsInput, *, account_id: str | None = None) -> None:
        """TagRole."""
        self._iam("TagRole", role_name, account_id, lambda s: s.tag_role(role_name, _tags(tags) or ()))

    def untag_role(self, role_name: str, tag_keys: Sequence[str], *, account_id: str | None = None) -> None:
        """UntagRole."""
        self._iam("UntagRole", role_name, account_id, lambda s: s.untag_role(role_name, tag_keys))

    def put_role_permissions_boundary(self, role_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """PutRolePermissionsBoundary."""
        self._iam(
            "PutRolePermissionsBoundary",
            role_name,
            account_id,
            lambda s: s.put_role_permissions_boundary(role_name, policy_arn),
        )

    def delete_role_permissions_boundary(self, role_name: str, *, account_id: str | None = None) -> None:
        """DeleteRolePermissionsBoundary."""
        self._iam(
            "DeleteRolePermissionsBoundary",
            role_name,
            account_id,
            lambda s: s.delete_role_permissions_boundary(role_name),
        )

    def delete_role(self, role_name: str, *, account_id: str | None = None) -> None:
        """DeleteRole (DeleteConflict while policies or instance profiles remain)."""
        self._iam("DeleteRole", role_name, account_id, lambda s: s.delete_role(role_name))

    # inline policies
    def put_user_policy(
        self, user_name: str, policy_name: str, policy_document: Document, *, account_id: str | None = None
    ) -> None:
        """PutUserPolicy (aggregate inline size 2,048)."""
        self._iam(
            "PutUserPolicy",
            f"{user_name}/{policy_name}",
            account_id,
            lambda s: s.put_inline_policy("user", user_name, policy_name, policy_document),
        )

    def put_group_policy(
        self, group_name: str, policy_name: str, policy_document: Document, *, account_id: str | None = None
    ) -> None:
        """PutGroupPolicy (aggregate inline size 5,120)."""
        self._iam(
            "PutGroupPolicy",
            f"{group_name}/{policy_name}",
            account_id,
            lambda s: s.put_inline_policy("group", group_name, policy_name, policy_document),
        )

    def put_role_policy(
        self, role_name: str, policy_name: str, policy_document: Document, *, account_id: str | None = None
    ) -> None:
        """PutRolePolicy (aggregate inline size 10,240)."""
        self._iam(
            "PutRolePolicy",
            f"{role_name}/{policy_name}",
            account_id,
            lambda s: s.put_inline_policy("role", role_name, policy_name, policy_document),
        )

    def get_user_policy(self, user_name: str, policy_name: str, *, account_id: str | None = None) -> InlinePolicy:
        """GetUserPolicy."""
        return self._core.read(account_id, lambda s: s.get_inline_policy("user", user_name, policy_name))

    def get_group_policy(self, group_name: str, policy_name: str, *, account_id: str | None = None) -> InlinePolicy:
        """GetGroupPolicy."""
        return self._core.read(account_id, lambda s: s.get_inline_policy("group", group_name, policy_name))

    def get_role_policy(self, role_name: str, policy_name: str, *, account_id: str | None = None) -> InlinePolicy:
        """GetRolePolicy."""
        return self._core.read(account_id, lambda s: s.get_inline_policy("role", role_name, policy_name))

    def list_user_policies(self, user_name: str, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListUserPolicies."""
        return self._core.read(account_id, lambda s: s.list_inline_policies("user", user_name))

    def list_group_policies(self, group_name: str, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListGroupPolicies."""
        return self._core.read(account_id, lambda s: s.list_inline_policies("group", group_name))

    def list_role_policies(self, role_name: str, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListRolePolicies."""
        return self._core.read(account_id, lambda s: s.list_inline_policies("role", role_name))

    def delete_user_policy(self, user_name: str, policy_name: str, *, account_id: str | None = None) -> None:
        """DeleteUserPolicy."""
        self._iam(
            "DeleteUserPolicy",
            f"{user_name}/{policy_name}",
            account_id,
            lambda s: s.delete_inline_policy("user", user_name, policy_name),
        )

    def delete_group_policy(self, group_name: str, policy_name: str, *, account_id: str | None = None) -> None:
        """DeleteGroupPolicy."""
        self._iam(
            "DeleteGroupPolicy",
            f"{group_name}/{policy_name}",
            account_id,
            lambda s: s.delete_inline_policy("group", group_name, policy_name),
        )

    def delete_role_policy(self, role_name: str, policy_name: str, *, account_id: str | None = None) -> None:
        """DeleteRolePolicy."""
        self._iam(
            "DeleteRolePolicy",
            f"{role_name}/{policy_name}",
            account_id,
            lambda s: s.delete_inline_policy("role", role_name, policy_name),
        )

    # managed policies
    def create_policy(
        self,
        policy_name: str,
        policy_document: Document,
        *,
        path: str = "/",
        description: str = "",
        tags: TagsInput = None,
        account_id: str | None = None,
    ) -> ManagedPolicy:
        """CreatePolicy (version v1, the default; 6,144 characters without whitespace)."""
        return self._iam(
            "CreatePolicy",
            policy_name,
            account_id,
            lambda s: s.create_policy(
                policy_name, policy_document, path=path, description=description, tags=_tags(tags)
            ),
        )

    def get_policy(self, policy_arn: str, *, account_id: str | None = None) -> ManagedPolicy:
        """GetPolicy."""
        return self._core.read(account_id, lambda s: s.get_policy(policy_arn))

    def list_policies(self, *, account_id: str | None = None) -> tuple[ManagedPolicy, ...]:
        """ListPolicies (Scope=Local)."""
        return self._core.read(account_id, lambda s: s.list_policies())

    def delete_policy(self, policy_arn: str, *, account_id: str | None = None) -> None:
        """DeletePolicy."""
        self._iam("DeletePolicy", policy_arn, account_id, lambda s: s.delete_policy(policy_arn))

    def create_policy_version(
        self, policy_arn: str, policy_document: Document, *, set_as_default: bool = False, account_id: str | None = None
    ) -> PolicyVersion:
        """CreatePolicyVersion (at most 5 versions)."""
        return self._iam(
            "CreatePolicyVersion",
            policy_arn,
            account_id,
            lambda s: s.create_policy_version(policy_arn, policy_document, set_as_default=set_as_default),
        )

    def get_policy_version(self, policy_arn: str, version_id: str, *, account_id: str | None = None) -> PolicyVersion:
        """GetPolicyVersion."""
        return self._core.read(account_id, lambda s: s.get_policy_version(policy_arn, version_id))

    def list_policy_versions(self, policy_arn: str, *, account_id: str | None = None) -> tuple[PolicyVersion, ...]:
        """ListPolicyVersions."""
        return self._core.read(account_id, lambda s: s.get_policy(policy_arn).versions)

    def set_default_policy_version(self, policy_arn: str, version_id: str, *, account_id: str | None = None) -> None:
        """SetDefaultPolicyVersion."""
        self._iam(
            "SetDefaultPolicyVersion",
            f"{policy_arn} {version_id}",
            account_id,
            lambda s: s.set_default_policy_version(policy_arn, version_id),
        )

    def delete_policy_version(self, policy_arn: str, version_id: str, *, account_id: str | None = None) -> None:
        """DeletePolicyVersion."""
        self._iam(
            "DeletePolicyVersion",
            f"{policy_arn} {version_id}",
            account_id,
            lambda s: s.delete_policy_version(policy_arn, version_id),
        )

    # attachments
    def attach_user_policy(self, user_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """AttachUserPolicy."""
        self._iam(
            "AttachUserPolicy",
            f"{policy_arn} -> {user_name}",
            account_id,
            lambda s: s.attach_policy("user", user_name, policy_arn),
        )

    def attach_group_policy(self, group_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """AttachGroupPolicy."""
        self._iam(
            "AttachGroupPolicy",
            f"{policy_arn} -> {group_name}",
            account_id,
            lambda s: s.attach_policy("group", group_name, policy_arn),
        )

    def attach_role_policy(self, role_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """AttachRolePolicy."""
        self._iam(
            "AttachRolePolicy",
            f"{policy_arn} -> {role_name}",
            account_id,
            lambda s: s.attach_policy("role", role_name, policy_arn),
        )

    def detach_user_policy(self, user_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """DetachUserPolicy."""
        self._iam(
            "DetachUserPolicy",
            f"{policy_arn} -> {user_name}",
            account_id,
            lambda s: s.detach_policy("user", user_name, policy_arn),
        )

    def detach_group_policy(self, group_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """DetachGroupPolicy."""
        self._iam(
            "DetachGroupPolicy",
            f"{policy_arn} -> {group_name}",
            account_id,
            lambda s: s.detach_policy("group", group_name, policy_arn),
        )

    def detach_role_policy(self, role_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """DetachRolePolicy."""
        self._iam(
            "DetachRolePolicy",
            f"{policy_arn} -> {role_name}",
            account_id,
            lambda s: s.detach_policy("role", role_name, policy_arn),
        )

    def list_attached_user_policies(self, user_name: str, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListAttachedUserPolicies (ARNs)."""
        return self._core.read(account_id, lambda s: s.list_attached_policies("user", user_name))

    def list_attached_group_policies(self, group_name: str, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListAttachedGroupPolicies (ARNs)."""
        return self._core.read(account_id, lambda s: s.list_attached_policies("group", group_name))

    def list_attached_role_policies(self, role_name: str, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListAttachedRolePolicies (ARNs)."""
        return self._core.read(account_id, lambda s: s.list_attached_policies("role", role_name))

    # access keys
    def create_access_key(self, user_name: str, *, account_id: str | None = None) -> AccessKey:
        """CreateAccessKey (at most 2 per user); the record carries the secret."""
        return self._iam("CreateAccessKey", user_name, account_id, lambda s: s.create_access_key(user_name))

    def update_access_key(
        self, user_name: str, access_key_id: str, status: str, *, account_id: str | None = None
    ) -> None:
        """UpdateAccessKey: ``Active`` or ``Inactive`` (an inactive key stops working at once)."""
        self._iam(
            "UpdateAccessKey",
            f"{access_key_id} {status}",
            account_id,
            lambda s: s.update_access_key(user_name, access_key_id, status),
        )

    def delete_access_key(self, user_name: str, access_key_id: str, *, account_id: str | None = None) -> None:
        """DeleteAccessKey."""
        self._iam("DeleteAccessKey", access_key_id, account_id, lambda s: s.delete_access_key(user_name, access_key_id))

    def list_access_keys(self, user_name: str, *, account_id: str | None = None) -> tuple[AccessKey, ...]:
        """ListAccessKeys."""
        return self._core.read(account_id, lambda s: s.list_access_keys(user_name))

    # instance profiles
    def create_instance_profile(
        self, instance_profile_name: str, *, path: str = "/", tags: TagsInput = None, account_id: str | None = None
    ) -> InstanceProfile:
        """CreateInstanceProfile."""
        return self._iam(
            "CreateInstanceProfile",
            instance_profile_name,
            account_id,
            lambda s: s.create_instance_profile(instance_profile_name, path=path, tags=_tags(tags)),
        )

    def get_instance_profile(self, instance_profile_name: str, *, account_id: str | None = None) -> InstanceProfile:
        """GetInstanceProfile."""
        return self._core.read(account_id, lambda s: s.get_instance_profile(instance_profile_name))

    def list_instance_profiles_for_role(
        self, role_name: str, *, account_id: str | None = None
    ) -> tuple[InstanceProfile, ...]:
        """ListInstanceProfilesForRole."""
        return self._core.read(account_id, lambda s: s.list_instance_profiles_for_role(role_name))

    def add_role_to_instance_profile(
        self, instance_profile_name: str, role_name: str, *, account_id: str | None = None
    ) -> None:
        """AddRoleToInstanceProfile (one role per profile)."""
        self._iam(
            "AddRoleToInstanceProfile",
            f"{role_name} -> {instance_profile_name}",
            account_id,
            lambda s: s.add_role_to_instance_profile(instance_profile_name, role_name),
        )

    def remove_role_from_instance_profile(
        self, instance_profile_name: str, role_name: str, *, account_id: str | None = None
    ) -> None:
        """RemoveRoleFromInstanceProfile."""
        self._iam(
            "RemoveRoleFromInstanceProfile",
            f"{role_name} -> {instance_profile_name}",
            account_id,
            lambda s: s.remove_role_from_instance_profile(instance_profile_name, role_name),
        )

    def delete_instance_profile(self, instance_profile_name: str, *, account_id: str | None = None) -> None:
        """DeleteInstanceProfile."""
        self._iam(
            "DeleteInstanceProfile",
            instance_profile_name,
            account_id,
            lambda s: s.delete_instance_profile(instance_profile_name),
        )

    # account aliases
    def create_account_alias(self, account_alias: str, *, account_id: str | None = None) -> None:
        """CreateAccountAlias (aliases are unique across the simulator)."""

        def taken(alias: str) -> bool:
            return any(alias in s.list_account_aliases() for s in self._core.state.stores.values())

        self._iam(
            "CreateAccountAlias", account_alias, account_id, lambda s: s.create_account_alias(account_alias, taken)
        )

    def delete_account_alias(self, account_alias: str, *, account_id: str | None = None) -> None:
        """DeleteAccountAlias."""
        self._iam("DeleteAccountAlias", account_alias, account_id, lambda s: s.delete_account_alias(account_alias))

    def list_account_aliases(self, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListAccountAliases."""
        return self._core.read(account_id, lambda s: s.list_account_aliases())

    # OIDC providers
    def create_open_id_connect_provider(
        self,
        url: str,
        client_ids: Sequence[str],
        thumbprints: Sequence[str] = (),
        *,
        tags: TagsInput = None,
        account_id: str | None = None,
    ) -> OidcProvider:
        """CreateOpenIDConnectProvider."""
        return self._iam(
            "CreateOpenIDConnectProvider",
            url,
            account_id,
            lambda s: s.create_open_id_connect_provider(url, client_ids, thumbprints, tags=_tags(tags)),
        )

    def list_open_id_connect_providers(self, *, account_id: str | None = None) -> tuple[OidcProvider, ...]:
        """ListOpenIDConnectProviders."""
        return self._core.read(account_id, lambda s: s.list_open_id_connect_providers())

    def delete_open_id_connect_provider(self, arn: str, *, account_id: str | None = None) -> None:
        """DeleteOpenIDConnectProvider."""
        self._iam("DeleteOpenIDConnectProvider", arn, account_id, lambda s: s.delete_open_id_connect_provider(arn))

    def add_client_id_to_open_id_connect_provider(
        self, arn: str, client_id: str, *, account_id: str | None = None
    ) -> None:
        """AddClientIDToOpenIDConnectProvider (adding a present id changes nothing)."""
        self._iam(
            "AddClientIDToOpenIDConnectProvider",
            arn,
            account_id,
            lambda s: s.update_open_id_connect_provider(arn, add_client_id=client_id),
        )

    def remove_client_id_from_open_id_connect_provider(
        self, arn: str, client_id: str, *, account_id: str | None = None
    ) -> None:
        """RemoveClientIDFromOpenIDConnectProvider (removing an absent id changes nothing)."""
        self._iam(
            "RemoveClientIDFromOpenIDConnectProvider",
            arn,
            account_id,
            lambda s: s.update_open_id_connect_provider(arn, remove_client_id=client_id),
        )

    def update_open_id_connect_provider_thumbprint(
        self, arn: str, thumbprints: Sequence[str], *, account_id: str | None = None
    ) -> None:
        """UpdateOpenIDConnectProviderThumbprint: replaces the thumbprint list (at most 5)."""
        self._iam(
            "UpdateOpenIDConnectProviderThumbprint",
            arn,
            account_id,
            lambda s: s.update_open_id_connect_provider(arn, thumbprints=thumbprints),
        )

    # renames
    def update_user(
        self,
        user_name: str,
        *,
        new_user_name: str | None = None,
        new_path: str | None = None,
        account_id: str | None = None,
    ) -> User:
        """UpdateUser: rename and/or move; keys, groups, MFA, policies and trust policies naming it follow."""

        def run(store: AccountStore) -> User:
            old = store.get_user(user_name)
            user = store.update_user(user_name, new_name=new_user_name, new_path=new_path)
            for other in self._core.state.stores.values():
                other.retarget_trust_principal(old.arn, user.arn, user.user_id)
            return user

        return self._iam("UpdateUser", user_name, account_id, run)

    def update_group(
        self,
        group_name: str,
        *,
        new_group_name: str | None = None,
        new_path: str | None = None,
        account_id: str | None = None,
    ) -> Group:
        """UpdateGroup: rename and/or move; members and policies follow."""
        return self._iam(
            "UpdateGroup",
            group_name,
            account_id,
            lambda s: s.update_group(group_name, new_name=new_group_name, new_path=new_path),
        )

    # login profiles and the password policy
    def create_login_profile(
        self, user_name: str, password: str, *, password_reset_required: bool = False, account_id: str | None = None
    ) -> LoginProfile:
        """CreateLoginProfile (the password must satisfy the account password policy)."""

        def run(store: AccountStore) -> LoginProfile:
            user = store.create_login_profile(user_name, password, password_reset_required=password_reset_required)
            return store.get_login_profile(user.name)[1]

        return self._iam("CreateLoginProfile", user_name, account_id, run)

    def get_login_profile(self, user_name: str, *, account_id: str | None = None) -> tuple[User, LoginProfile]:
        """GetLoginProfile: the user and their login profile."""
        return self._core.read(account_id, lambda s: s.get_login_profile(user_name))

    def update_login_profile(
        self,
        user_name: str,
        *,
        password: str | None = None,
        password_reset_required: bool | None = None,
        account_id: str | None = None,
    ) -> None:
        """UpdateLoginProfile."""
        self._iam(
            "UpdateLoginProfile",
            user_name,
            account_id,
            lambda s: s.update_login_profile(
                user_name, password=password, password_reset_required=password_reset_required
            ),
        )

    def delete_login_profile(self, user_name: str, *, account_id: str | None = None) -> None:
        """DeleteLoginProfile."""
        self._iam("DeleteLoginProfile", user_name, account_id, lambda s: s.delete_login_profile(user_name))

    def update_account_password_policy(self, /, *, account_id: str | None = None, **members: Any) -> PasswordPolicy:
        """UpdateAccountPasswordPolicy (snake_case members; omitted ones revert to IAM's defaults)."""
        policy = password_policy(**members)

        def run(store: AccountStore) -> PasswordPolicy:
            store.update_account_password_policy(policy)
            return policy

        return self._iam("UpdateAccountPasswordPolicy", "", account_id, run)

    def get_account_password_policy(self, *, account_id: str | None = None) -> PasswordPolicy:
        """GetAccountPasswordPolicy."""
        return self._core.read(account_id, lambda s: s.get_account_password_policy())

    def delete_account_password_policy(self, *, account_id: str | None = None) -> None:
        """DeleteAccountPasswordPolicy."""
        self._iam("DeleteAccountPasswordPolicy", "", account_id, lambda s: s.delete_account_password_policy())

    # tags on policies, instance profiles, providers and MFA devices
    def tag_resource(self, kind: str, key: str, tags: TagsInput, *, account_id: str | None = None) -> None:
        """Tag<Kind> for ``kind`` in :data:`TAGGABLE` (a managed policy ARN, a profile name, a provider ARN
        or an MFA serial number); an existing key's value is overwritten."""
        method, suffix = TAGGABLE[kind]
        self._iam(f"Tag{suffix}", key, account_id, lambda s: getattr(s, method)(key, _tags(tags) or ()))

    def untag_resource(self, kind: str, key: str, tag_keys: Sequence[str], *, account_id: str | None = None) -> None:
        """Untag<Kind> for ``kind`` in :data:`TAGGABLE`: drops ``tag_keys`` (compared case-insensitively)."""
        method, suffix = TAGGABLE[kind]
        self._iam(f"Untag{suffix}", key, account_id, lambda s: getattr(s, method)(key, (), remove=tag_keys))

    # SAML providers
    def create_saml_provider(
        self, name: str, metadata_document: str, *, tags: TagsInput = None, account_id: str | None = None
    ) -> SamlProvider:
        """CreateSAMLProvider."""
        return self._iam(
            "CreateSAMLProvider",
            name,
            account_id,
            lambda s: s.create_saml_provider(name, metadata_document, tags=_tags(tags)),
        )

    def get_saml_provider(self, arn: str, *, account_id: str | None = None) -> SamlProvider:
        """GetSAMLProvider."""
        return self._core.read(account_id, lambda s: s.get_saml_provider(arn))

    def list_saml_providers(self, *, account_id: str | None = None) -> tuple[SamlProvider, ...]:
        """ListSAMLProviders."""
        return self._core.read(account_id, lambda s: s.list_saml_providers())

    def update_saml_provider(self, arn: str, metadata_document: str, *, account_id: str | None = None) -> SamlProvider:
        """UpdateSAMLProvider."""
        return self._iam(
            "UpdateSAMLProvider", arn, account_id, lambda s: s.update_saml_provider(arn, metadata_document)
        )

    def delete_saml_provider(self, arn: str, *, account_id: str | None = None) -> None:
        """DeleteSAMLProvider."""
        self._iam("DeleteSAMLProvider", arn, account_id, lambda s: s.delete_saml_provider(arn))

    # MFA listing and resync
    def list_virtual_mfa_devices(
        self, *, assignment_status: str = "Any", account_id: str | None = None
    ) -> tuple[MfaDevice, ...]:
        """ListVirtualMFADevices."""
        return self._core.read(account_id, lambda s: s.list_virtual_mfa_devices(assignment_status))

    def resync_mfa_device(
        self,
        user_name: str,
        serial_number: str,
        authentication_code_1: str,
        authentication_code_2: str,
        *,
        account_id: str | None = None,
    ) -> None:
        """ResyncMFADevice: two consecutive codes of the user's device, within a wider window than enabling.

        A virtual device never drifts from the simulator's clock, so a successful
        resync changes nothing; wrong codes get ``InvalidAuthenticationCode``.
        """

        def run(store: AccountStore) -> None:
            device = store.user_mfa_device(user_name, serial_number)
            seed = seed_bytes(device.seed_base32)
            if not consecutive_codes(seed, authentication_code_1, authentication_code_2, self._core.now(), window=10):
                raise InvalidAuthenticationCodeError("Authentication code for device is not valid.")

        self._iam("ResyncMFADevice", serial_number, account_id, run)

    # MFA devices
    def create_virtual_mfa_device(self, name: str, *, path: str = "/", account_id: str | None = None) -> MfaDevice:
        """CreateVirtualMFADevice: a TOTP seed drawn from the simulator's seeded random source."""

        def run() -> MfaDevice:
            store = self._core.store(self._core.state.account(account_id))
            return store.create_virtual_mfa_device(
                name, lambda: seed_base32(generate_seed(self._core.state.rng)), path=path
            )

        return self._core.call("admin", "IAM", "CreateVirtualMFADevice", name, run)

    def enable_mfa_device(
        self,
        user_name: str,
        serial_number: str,
        authentication_code_1: str,
        authentication_code_2: str,
        *,
        account_id: str | None = None,
    ) -> None:
        """EnableMFADevice: the two codes must be consecutive codes of the device."""

        def run() -> None:
            store = self._core.store(self._core.state.account(account_id))
            seed = seed_bytes(store.get_mfa_device(serial_number).seed_base32)
            ok = consecutive_codes(seed, authentication_code_1, authentication_code_2, self._core.now(), window=1)
            if not ok:
                raise InvalidAuthenticationCodeError("Authentication code for device is not valid.")
            store.enable_mfa_device(user_name, serial_number)

        self._core.call("admin", "IAM", "EnableMFADevice", f"{serial_number} -> {user_name}", run)

    def deactivate_mfa_device(self, user_name: str, serial_number: str, *, account_id: str | None = None) -> None:
        """DeactivateMFADevice."""
        self._core.call(
            "admin",
            "IAM",
            "DeactivateMFADevice",
            serial_number,
            lambda: self._core.store(self._core.state.account(account_id)).deactivate_mfa_device(
                user_name, serial_number
            ),
        )

    def delete_virtual_mfa_device(self, serial_number: str, *, account_id: str | None = None) -> None:
        """DeleteVirtualMFADevice."""
        self._core.call(
            "admin",
            "IAM",
            "DeleteVirtualMFADevice",
            serial_number,
            lambda: self._core.store(self._core.state.account(account_id)).delete_virtual_mfa_device(serial_number),
        )

    # account summary
    def get_account_summary(self, *, account_id: str | None = None) -> dict[str, int]:
        """GetAccountSummary: entity counts and quotas of the account."""
        return self._core.read(account_id, lambda s: s.account_summary())


#: The taggable kinds beyond users and roles: the store method and the operation name's suffix.
TAGGABLE: dict[str, tuple[str, str]] = {
    "policy": ("tag_policy", "Policy"),
    "instance-profile": ("tag_instance_profile", "InstanceProfile"),
    "oidc-provider": ("tag_open_id_connect_provider", "OpenIDConnectProvider"),
    "mfa": ("tag_mfa_device", "MFADevice"),
    "saml-provider": ("tag_saml_provider", "SAMLProvider"),
}
