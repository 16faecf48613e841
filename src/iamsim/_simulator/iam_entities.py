"""IAM operations on identities and their policies: users, groups, roles, inline and managed policies (§H)."""

from __future__ import annotations

from collections.abc import Sequence

from iamsim._simulator.iam_calls import IamCalls, tag_pairs
from iamsim._store.account import AccountStore, Document
from iamsim._store.policy_usage import ManagedPolicyDetail, PolicyEntities, PolicyVersionDetail
from iamsim._store.records import Group, InlinePolicy, Role, User
from iamsim._store.validation import TagsInput

__all__ = ["IamEntityOperations"]


class IamEntityOperations(IamCalls):
    """Users, groups, roles, their inline policies, managed policies and attachments, and renames."""

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
        return self._core.iam(
            "CreateUser",
            user_name,
            account_id,
            lambda s: s.users.create_user(
                user_name, path=path, permissions_boundary=permissions_boundary, tags=tag_pairs(tags)
            ),
        )

    def get_user(self, user_name: str, *, account_id: str | None = None) -> User:
        """GetUser."""
        return self._core.read(account_id, lambda s: s.users.get_user(user_name))

    def list_users(self, *, path_prefix: str = "/", account_id: str | None = None) -> tuple[User, ...]:
        """ListUsers."""
        return self._core.read(account_id, lambda s: s.users.list_users(path_prefix))

    def delete_user(self, user_name: str, *, account_id: str | None = None) -> None:
        """DeleteUser (DeleteConflict while keys, MFA, policies or groups remain)."""
        self._core.iam("DeleteUser", user_name, account_id, lambda s: s.users.delete_user(user_name))

    def tag_user(self, user_name: str, tags: TagsInput, *, account_id: str | None = None) -> None:
        """TagUser."""
        self._core.iam("TagUser", user_name, account_id, lambda s: s.users.tag_user(user_name, tag_pairs(tags) or ()))

    def untag_user(self, user_name: str, tag_keys: Sequence[str], *, account_id: str | None = None) -> None:
        """UntagUser."""
        self._core.iam("UntagUser", user_name, account_id, lambda s: s.users.untag_user(user_name, tag_keys))

    def put_user_permissions_boundary(self, user_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """PutUserPermissionsBoundary."""
        self._core.iam(
            "PutUserPermissionsBoundary",
            user_name,
            account_id,
            lambda s: s.users.put_user_permissions_boundary(user_name, policy_arn),
        )

    def delete_user_permissions_boundary(self, user_name: str, *, account_id: str | None = None) -> None:
        """DeleteUserPermissionsBoundary."""
        self._core.iam(
            "DeleteUserPermissionsBoundary",
            user_name,
            account_id,
            lambda s: s.users.delete_user_permissions_boundary(user_name),
        )

    # groups
    def create_group(self, group_name: str, *, path: str = "/", account_id: str | None = None) -> Group:
        """CreateGroup."""
        return self._core.iam(
            "CreateGroup", group_name, account_id, lambda s: s.groups.create_group(group_name, path=path)
        )

    def get_group(self, group_name: str, *, account_id: str | None = None) -> tuple[Group, tuple[User, ...]]:
        """GetGroup: the group and its users."""
        return self._core.read(
            account_id, lambda s: (s.groups.get_group(group_name), s.groups.group_members(group_name))
        )

    def list_groups(self, *, path_prefix: str = "/", account_id: str | None = None) -> tuple[Group, ...]:
        """ListGroups."""
        return self._core.read(account_id, lambda s: s.groups.list_groups(path_prefix))

    def list_groups_for_user(self, user_name: str, *, account_id: str | None = None) -> tuple[Group, ...]:
        """ListGroupsForUser."""
        return self._core.read(account_id, lambda s: s.groups.list_groups_for_user(user_name))

    def add_user_to_group(self, group_name: str, user_name: str, *, account_id: str | None = None) -> None:
        """AddUserToGroup."""
        self._core.iam(
            "AddUserToGroup",
            f"{user_name} -> {group_name}",
            account_id,
            lambda s: s.groups.add_user_to_group(group_name, user_name),
        )

    def remove_user_from_group(self, group_name: str, user_name: str, *, account_id: str | None = None) -> None:
        """RemoveUserFromGroup."""
        self._core.iam(
            "RemoveUserFromGroup",
            f"{user_name} -> {group_name}",
            account_id,
            lambda s: s.groups.remove_user_from_group(group_name, user_name),
        )

    def delete_group(self, group_name: str, *, account_id: str | None = None) -> None:
        """DeleteGroup."""
        self._core.iam("DeleteGroup", group_name, account_id, lambda s: s.groups.delete_group(group_name))

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
        return self._core.iam(
            "CreateRole",
            role_name,
            account_id,
            lambda s: s.roles.create_role(
                role_name,
                assume_role_policy_document,
                path=path,
                description=description,
                max_session_duration=max_session_duration,
                permissions_boundary=permissions_boundary,
                tags=tag_pairs(tags),
            ),
        )

    def get_role(self, role_name: str, *, account_id: str | None = None) -> Role:
        """GetRole."""
        return self._core.read(account_id, lambda s: s.roles.get_role(role_name))

    def list_roles(self, *, path_prefix: str = "/", account_id: str | None = None) -> tuple[Role, ...]:
        """ListRoles."""
        return self._core.read(account_id, lambda s: s.roles.list_roles(path_prefix))

    def update_role(
        self,
        role_name: str,
        *,
        description: str | None = None,
        max_session_duration: int | None = None,
        account_id: str | None = None,
    ) -> Role:
        """UpdateRole."""
        return self._core.iam(
            "UpdateRole",
            role_name,
            account_id,
            lambda s: s.roles.update_role(
                role_name, description=description, max_session_duration=max_session_duration
            ),
        )

    def update_assume_role_policy(
        self, role_name: str, policy_document: Document, *, account_id: str | None = None
    ) -> Role:
        """UpdateAssumeRolePolicy (validated like CreateRole)."""
        return self._core.iam(
            "UpdateAssumeRolePolicy",
            role_name,
            account_id,
            lambda s: s.roles.update_assume_role_policy(role_name, policy_document),
        )

    def tag_role(self, role_name: str, tags: TagsInput, *, account_id: str | None = None) -> None:
        """TagRole."""
        self._core.iam("TagRole", role_name, account_id, lambda s: s.roles.tag_role(role_name, tag_pairs(tags) or ()))

    def untag_role(self, role_name: str, tag_keys: Sequence[str], *, account_id: str | None = None) -> None:
        """UntagRole."""
        self._core.iam("UntagRole", role_name, account_id, lambda s: s.roles.untag_role(role_name, tag_keys))

    def put_role_permissions_boundary(self, role_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """PutRolePermissionsBoundary."""
        self._core.iam(
            "PutRolePermissionsBoundary",
            role_name,
            account_id,
            lambda s: s.roles.put_role_permissions_boundary(role_name, policy_arn),
        )

    def delete_role_permissions_boundary(self, role_name: str, *, account_id: str | None = None) -> None:
        """DeleteRolePermissionsBoundary."""
        self._core.iam(
            "DeleteRolePermissionsBoundary",
            role_name,
            account_id,
            lambda s: s.roles.delete_role_permissions_boundary(role_name),
        )

    def delete_role(self, role_name: str, *, account_id: str | None = None) -> None:
        """DeleteRole (DeleteConflict while policies or instance profiles remain)."""
        self._core.iam("DeleteRole", role_name, account_id, lambda s: s.roles.delete_role(role_name))

    # inline policies
    def put_user_policy(
        self, user_name: str, policy_name: str, policy_document: Document, *, account_id: str | None = None
    ) -> None:
        """PutUserPolicy (aggregate inline size 2,048)."""
        self._core.iam(
            "PutUserPolicy",
            f"{user_name}/{policy_name}",
            account_id,
            lambda s: s.policies.put_inline_policy("user", user_name, policy_name, policy_document),
        )

    def put_group_policy(
        self, group_name: str, policy_name: str, policy_document: Document, *, account_id: str | None = None
    ) -> None:
        """PutGroupPolicy (aggregate inline size 5,120)."""
        self._core.iam(
            "PutGroupPolicy",
            f"{group_name}/{policy_name}",
            account_id,
            lambda s: s.policies.put_inline_policy("group", group_name, policy_name, policy_document),
        )

    def put_role_policy(
        self, role_name: str, policy_name: str, policy_document: Document, *, account_id: str | None = None
    ) -> None:
        """PutRolePolicy (aggregate inline size 10,240)."""
        self._core.iam(
            "PutRolePolicy",
            f"{role_name}/{policy_name}",
            account_id,
            lambda s: s.policies.put_inline_policy("role", role_name, policy_name, policy_document),
        )

    def get_user_policy(self, user_name: str, policy_name: str, *, account_id: str | None = None) -> InlinePolicy:
        """GetUserPolicy."""
        return self._core.read(account_id, lambda s: s.policies.get_inline_policy("user", user_name, policy_name))

    def get_group_policy(self, group_name: str, policy_name: str, *, account_id: str | None = None) -> InlinePolicy:
        """GetGroupPolicy."""
        return self._core.read(account_id, lambda s: s.policies.get_inline_policy("group", group_name, policy_name))

    def get_role_policy(self, role_name: str, policy_name: str, *, account_id: str | None = None) -> InlinePolicy:
        """GetRolePolicy."""
        return self._core.read(account_id, lambda s: s.policies.get_inline_policy("role", role_name, policy_name))

    def list_user_policies(self, user_name: str, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListUserPolicies."""
        return self._core.read(account_id, lambda s: s.policies.list_inline_policies("user", user_name))

    def list_group_policies(self, group_name: str, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListGroupPolicies."""
        return self._core.read(account_id, lambda s: s.policies.list_inline_policies("group", group_name))

    def list_role_policies(self, role_name: str, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListRolePolicies."""
        return self._core.read(account_id, lambda s: s.policies.list_inline_policies("role", role_name))

    def delete_user_policy(self, user_name: str, policy_name: str, *, account_id: str | None = None) -> None:
        """DeleteUserPolicy."""
        self._core.iam(
            "DeleteUserPolicy",
            f"{user_name}/{policy_name}",
            account_id,
            lambda s: s.policies.delete_inline_policy("user", user_name, policy_name),
        )

    def delete_group_policy(self, group_name: str, policy_name: str, *, account_id: str | None = None) -> None:
        """DeleteGroupPolicy."""
        self._core.iam(
            "DeleteGroupPolicy",
            f"{group_name}/{policy_name}",
            account_id,
            lambda s: s.policies.delete_inline_policy("group", group_name, policy_name),
        )

    def delete_role_policy(self, role_name: str, policy_name: str, *, account_id: str | None = None) -> None:
        """DeleteRolePolicy."""
        self._core.iam(
            "DeleteRolePolicy",
            f"{role_name}/{policy_name}",
            account_id,
            lambda s: s.policies.delete_inline_policy("role", role_name, policy_name),
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
    ) -> ManagedPolicyDetail:
        """CreatePolicy (version v1, the default; 6,144 characters without whitespace)."""

        def run(s: AccountStore) -> ManagedPolicyDetail:
            created = s.policies.create_policy(
                policy_name, policy_document, path=path, description=description, tags=tag_pairs(tags)
            )
            return s.policy_usage.describe_policy(created.arn)

        return self._core.iam("CreatePolicy", policy_name, account_id, run)

    def get_policy(self, policy_arn: str, *, account_id: str | None = None) -> ManagedPolicyDetail:
        """GetPolicy of a customer or AWS managed policy, with its attachment and boundary counts in the account."""
        return self._core.read(account_id, lambda s: s.policy_usage.describe_policy(policy_arn))

    def list_policies(
        self,
        *,
        scope: str = "All",
        only_attached: bool = False,
        path_prefix: str = "/",
        policy_usage_filter: str | None = None,
        account_id: str | None = None,
    ) -> tuple[ManagedPolicyDetail, ...]:
        """ListPolicies: ``scope`` ``"All"`` (AWS managed, then the account's), ``"AWS"`` or ``"Local"``.

        ``only_attached`` keeps the attached ones; ``policy_usage_filter`` (``"PermissionsPolicy"`` or
        ``"PermissionsBoundary"``) those used that way.
        """
        return self._core.read(
            account_id,
            lambda s: s.policy_usage.describe_policies(
                scope=scope,
                only_attached=only_attached,
                path_prefix=path_prefix,
                policy_usage_filter=policy_usage_filter,
            ),
        )

    def list_entities_for_policy(
        self,
        policy_arn: str,
        *,
        entity_filter: str | None = None,
        path_prefix: str = "/",
        policy_usage_filter: str | None = None,
        account_id: str | None = None,
    ) -> PolicyEntities:
        """ListEntitiesForPolicy: the groups, users and roles that attach ``policy_arn`` or use it as a boundary."""
        return self._core.read(
            account_id,
            lambda s: s.policy_usage.entities_for_policy(
                policy_arn,
                entity_filter=entity_filter,
                path_prefix=path_prefix,
                policy_usage_filter=policy_usage_filter,
            ),
        )

    def delete_policy(self, policy_arn: str, *, account_id: str | None = None) -> None:
        """DeletePolicy."""
        self._core.iam("DeletePolicy", policy_arn, account_id, lambda s: s.policies.delete_policy(policy_arn))

    def create_policy_version(
        self, policy_arn: str, policy_document: Document, *, set_as_default: bool = False, account_id: str | None = None
    ) -> PolicyVersionDetail:
        """CreatePolicyVersion (at most 5 versions)."""

        def run(s: AccountStore) -> PolicyVersionDetail:
            created = s.policies.create_policy_version(policy_arn, policy_document, set_as_default=set_as_default)
            return s.policy_usage.describe_policy_version(policy_arn, created.version_id)

        return self._core.iam("CreatePolicyVersion", policy_arn, account_id, run)

    def get_policy_version(
        self, policy_arn: str, version_id: str, *, account_id: str | None = None
    ) -> PolicyVersionDetail:
        """GetPolicyVersion of a customer or AWS managed policy (an AWS one has only its default version)."""
        return self._core.read(account_id, lambda s: s.policy_usage.describe_policy_version(policy_arn, version_id))

    def list_policy_versions(
        self, policy_arn: str, *, account_id: str | None = None
    ) -> tuple[PolicyVersionDetail, ...]:
        """ListPolicyVersions: the newest first."""
        return self._core.read(account_id, lambda s: s.policy_usage.describe_policy_versions(policy_arn))

    def set_default_policy_version(self, policy_arn: str, version_id: str, *, account_id: str | None = None) -> None:
        """SetDefaultPolicyVersion."""
        self._core.iam(
            "SetDefaultPolicyVersion",
            f"{policy_arn} {version_id}",
            account_id,
            lambda s: s.policies.set_default_policy_version(policy_arn, version_id),
        )

    def delete_policy_version(self, policy_arn: str, version_id: str, *, account_id: str | None = None) -> None:
        """DeletePolicyVersion."""
        self._core.iam(
            "DeletePolicyVersion",
            f"{policy_arn} {version_id}",
            account_id,
            lambda s: s.policies.delete_policy_version(policy_arn, version_id),
        )

    # attachments
    def attach_user_policy(self, user_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """AttachUserPolicy."""
        self._core.iam(
            "AttachUserPolicy",
            f"{policy_arn} -> {user_name}",
            account_id,
            lambda s: s.policies.attach_policy("user", user_name, policy_arn),
        )

    def attach_group_policy(self, group_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """AttachGroupPolicy."""
        self._core.iam(
            "AttachGroupPolicy",
            f"{policy_arn} -> {group_name}",
            account_id,
            lambda s: s.policies.attach_policy("group", group_name, policy_arn),
        )

    def attach_role_policy(self, role_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """AttachRolePolicy."""
        self._core.iam(
            "AttachRolePolicy",
            f"{policy_arn} -> {role_name}",
            account_id,
            lambda s: s.policies.attach_policy("role", role_name, policy_arn),
        )

    def detach_user_policy(self, user_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """DetachUserPolicy."""
        self._core.iam(
            "DetachUserPolicy",
            f"{policy_arn} -> {user_name}",
            account_id,
            lambda s: s.policies.detach_policy("user", user_name, policy_arn),
        )

    def detach_group_policy(self, group_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """DetachGroupPolicy."""
        self._core.iam(
            "DetachGroupPolicy",
            f"{policy_arn} -> {group_name}",
            account_id,
            lambda s: s.policies.detach_policy("group", group_name, policy_arn),
        )

    def detach_role_policy(self, role_name: str, policy_arn: str, *, account_id: str | None = None) -> None:
        """DetachRolePolicy."""
        self._core.iam(
            "DetachRolePolicy",
            f"{policy_arn} -> {role_name}",
            account_id,
            lambda s: s.policies.detach_policy("role", role_name, policy_arn),
        )

    def list_attached_user_policies(
        self, user_name: str, *, path_prefix: str = "/", account_id: str | None = None
    ) -> tuple[str, ...]:
        """ListAttachedUserPolicies (ARNs; those under ``path_prefix``)."""
        return self._core.read(account_id, lambda s: s.policies.list_attached_policies("user", user_name, path_prefix))

    def list_attached_group_policies(
        self, group_name: str, *, path_prefix: str = "/", account_id: str | None = None
    ) -> tuple[str, ...]:
        """ListAttachedGroupPolicies (ARNs; those under ``path_prefix``)."""
        return self._core.read(
            account_id, lambda s: s.policies.list_attached_policies("group", group_name, path_prefix)
        )

    def list_attached_role_policies(
        self, role_name: str, *, path_prefix: str = "/", account_id: str | None = None
    ) -> tuple[str, ...]:
        """ListAttachedRolePolicies (ARNs; those under ``path_prefix``)."""
        return self._core.read(account_id, lambda s: s.policies.list_attached_policies("role", role_name, path_prefix))

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
            old = store.users.get_user(user_name)
            user = store.users.update_user(user_name, new_name=new_user_name, new_path=new_path)
            for other in self._core.state.stores.values():
                other.roles.retarget_trust_principal(old.arn, user.arn, user.user_id)
            return user

        return self._core.iam("UpdateUser", user_name, account_id, run)

    def update_group(
        self,
        group_name: str,
        *,
        new_group_name: str | None = None,
        new_path: str | None = None,
        account_id: str | None = None,
    ) -> Group:
        """UpdateGroup: rename and/or move; members and policies follow."""
        return self._core.iam(
            "UpdateGroup",
            group_name,
            account_id,
            lambda s: s.groups.update_group(group_name, new_name=new_group_name, new_path=new_path),
        )
