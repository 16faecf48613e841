"""Policies of one account: inline and customer managed policies, versions, attachments (§H.3).

Also the policies each user and role is evaluated with, parsed once per text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from iamsim._arn import Arn
from iamsim._policy.aws_managed import aws_managed_policy
from iamsim._policy.iam_answers import check_stored_identity_policy
from iamsim._policy.model import Policy, PolicyKind
from iamsim._store.account_data import (
    ATTACH_LIMITS,
    AWS_MANAGED_PREFIX,
    INLINE_LIMITS,
    MAX_VERSIONS,
    Document,
    StoreFamily,
    document_text,
)
from iamsim._store.ids import IdPrefix
from iamsim._store.messages import delete_conflict, no_such_entity, quota
from iamsim._store.records import Group, InlinePolicy, ManagedPolicy, PolicyVersion, Role, User
from iamsim._store.validation import Tags, check_length, check_name, check_policy_path, normalise_tags
from iamsim.errors import InvalidInputError, LimitExceededError, NoSuchEntityError

__all__ = ["Policies"]


def _unspaced_length(text: str) -> int:
    # Quotas on inline and managed policies do not count whitespace (§H.3).
    return sum(1 for ch in text if not ch.isspace())


class Policies(StoreFamily):
    """The inline and managed policies of one account."""

    def _changed_entity(self, kind: str, name: str, action: str) -> User | Group | Role:
        """The entity ``action`` (``iam:PutRolePolicy``...; ``Role`` stands for ``kind``) is about to change."""
        entity = self._entity(kind, name)
        if isinstance(entity, Role):
            self._data.guard(action, entity.arn, entity.name)
        return entity

    def _entity(self, kind: str, name: str) -> User | Group | Role:
        if kind == "user":
            return self._store.users.get_user(name)
        if kind == "group":
            return self._store.groups.get_group(name)
        return self._store.roles.get_role(name)

    def _store_entity(self, kind: str, entity: User | Group | Role) -> None:
        if isinstance(entity, User):
            self._data.users[entity.name.lower()] = entity
        elif isinstance(entity, Group):
            self._data.groups[entity.name.lower()] = entity
        else:
            self._data.roles[entity.name.lower()] = entity

    def put_inline_policy(self, kind: str, entity_name: str, policy_name: str, document: Document) -> None:
        """PutUserPolicy / PutGroupPolicy / PutRolePolicy: add or replace (aggregate size §H.3)."""
        entity = self._changed_entity(kind, entity_name, "iam:PutRolePolicy")
        check_name(policy_name, "policyName", 128)
        text = document_text(document)
        check_stored_identity_policy(text, managed=False)
        others = [p for p in entity.inline_policies if p.name != policy_name]
        total = sum(_unspaced_length(p.document) for p in others) + _unspaced_length(text)
        limit = INLINE_LIMITS[kind]
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
        self._data.bump()

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
        self._data.bump()

    def _customer_policy(self, arn: str) -> ManagedPolicy:
        parsed = Arn.try_parse(arn) if isinstance(arn, str) else None
        if parsed is None or parsed.service != "iam" or not parsed.resource.startswith("policy/"):
            raise InvalidInputError(f"ARN {arn} is not valid.")
        policy = self._data.policies.get(parsed.resource_name.lower())
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
        check_stored_identity_policy(text, managed=True)
        self._data.check_new(self._data.policies, "policy", name)
        now = self._data.now()
        policy = ManagedPolicy(
            name,
            self._data.ids.unique_id(IdPrefix.POLICY),
            self._data.arn("policy", path, name),
            path,
            now,
            now,
            "v1",
            (PolicyVersion("v1", text, now),),
            2,
            description,
            tag_list,
        )
        return self._data.add(self._data.policies, policy)

    def get_policy(self, arn: str) -> ManagedPolicy:
        """GetPolicy (customer managed policies of this account)."""
        return self._customer_policy(arn)

    def list_policies(self) -> tuple[ManagedPolicy, ...]:
        """ListPolicies with Scope=Local, sorted by name."""
        return tuple(sorted(self._data.policies.values(), key=lambda p: p.name.lower()))

    def attachment_count(self, arn: str) -> int:
        """How many users, groups and roles have ``arn`` attached."""
        entities: Iterable[User | Group | Role] = [
            *self._data.users.values(),
            *self._data.groups.values(),
            *self._data.roles.values(),
        ]
        return sum(1 for e in entities if arn in e.attached_policies)

    def _used_as_boundary(self, arn: str) -> bool:
        entities: Iterable[User | Role] = [*self._data.users.values(), *self._data.roles.values()]
        return any(e.permissions_boundary == arn for e in entities)

    def delete_policy(self, arn: str) -> None:
        """DeletePolicy: refuses while attached, used as a boundary, or with extra versions (§H.5)."""
        self._data.guard("iam:DeletePolicy", arn, arn)
        policy = self._customer_policy(arn)
        if self.attachment_count(arn) or self._used_as_boundary(arn):
            raise delete_conflict("policy-attached")
        if len(policy.versions) > 1:
            raise delete_conflict("policy-versions")
        del self._data.policies[policy.name.lower()]
        self._data.bump()

    def create_policy_version(self, arn: str, document: Document, *, set_as_default: bool = False) -> PolicyVersion:
        """CreatePolicyVersion: at most 5 versions; ids are never reused (§H.5)."""
        self._data.guard("iam:CreatePolicyVersion", arn, arn)
        policy = self._customer_policy(arn)
        text = document_text(document)
        check_stored_identity_policy(text, managed=True)
        if len(policy.versions) >= MAX_VERSIONS:
            raise LimitExceededError(
                "A managed policy can have up to 5 versions. Before you create a new version, you must delete an "
                "existing version."
            )
        now = self._data.now()
        version = PolicyVersion(f"v{policy.next_version}", text, now)
        self._data.policies[policy.name.lower()] = replace(
            policy,
            versions=(*policy.versions, version),
            next_version=policy.next_version + 1,
            default_version_id=version.version_id if set_as_default else policy.default_version_id,
            update_date=now if set_as_default else policy.update_date,
        )
        self._data.bump()
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
        self._data.guard("iam:SetDefaultPolicyVersion", arn, arn)
        policy = self._customer_policy(arn)
        self.get_policy_version(arn, version_id)
        self._data.policies[policy.name.lower()] = replace(
            policy, default_version_id=version_id, update_date=self._data.now()
        )
        self._data.bump()

    def delete_policy_version(self, arn: str, version_id: str) -> None:
        """DeletePolicyVersion: the default version cannot be deleted (§H.5)."""
        self._data.guard("iam:DeletePolicyVersion", arn, arn)
        policy = self._customer_policy(arn)
        self.get_policy_version(arn, version_id)
        if version_id == policy.default_version_id:
            raise delete_conflict("default-version")
        versions = tuple(v for v in policy.versions if v.version_id != version_id)
        self._data.put(self._data.policies, policy.name.lower(), replace(policy, versions=versions))

    def managed_policy_document(self, arn: str) -> tuple[str, str]:
        """``(name, default version text)`` of a customer or AWS managed policy ARN."""
        if AWS_MANAGED_PREFIX in arn:
            managed = aws_managed_policy(arn, self._data.partition)
            return managed.name, managed.document
        policy = self._customer_policy(arn)
        return policy.name, policy.default_document

    def _attachable(self, arn: str) -> str:
        if not isinstance(arn, str) or Arn.try_parse(arn) is None:
            raise InvalidInputError(f"ARN {arn} is not valid.")
        if AWS_MANAGED_PREFIX in arn:
            try:
                # Only this partition's copy: arn:aws:iam::aws:policy/X is not attachable in aws-cn.
                aws_managed_policy(arn, self._data.partition)
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
        quota_name, limit = ATTACH_LIMITS[kind]
        if len(entity.attached_policies) >= limit:
            raise quota(quota_name, limit)
        self._store_entity(kind, replace(entity, attached_policies=(*entity.attached_policies, arn)))
        self._data.bump()

    def detach_policy(self, kind: str, entity_name: str, policy_arn: str) -> None:
        """DetachUserPolicy / DetachGroupPolicy / DetachRolePolicy."""
        entity = self._changed_entity(kind, entity_name, "iam:DetachRolePolicy")
        if policy_arn not in entity.attached_policies:
            raise no_such_entity("policy", policy_arn)
        attached = tuple(a for a in entity.attached_policies if a != policy_arn)
        self._store_entity(kind, replace(entity, attached_policies=attached))
        self._data.bump()

    def list_attached_policies(self, kind: str, entity_name: str, path_prefix: str = "/") -> tuple[str, ...]:
        """ListAttachedUserPolicies / ...GroupPolicies / ...RolePolicies (ARNs, in attach order), those whose
        policy path begins with ``path_prefix``."""
        return tuple(a for a in self._entity(kind, entity_name).attached_policies if _path(a).startswith(path_prefix))

    def tag_policy(self, arn: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()) -> None:
        """TagPolicy / UntagPolicy (``tags`` empty and ``remove`` given)."""
        self._data.guard("iam:TagPolicy" if tags else "iam:UntagPolicy", arn, arn)
        policy = self._customer_policy(arn)
        self._data.retag(self._data.policies, policy.name.lower(), policy, tags, remove)

    def _managed(self, arns: Iterable[str]) -> list[Policy]:
        out = []
        for arn in arns:
            name, text = self.managed_policy_document(arn)
            out.append(self._data.parsed(text, PolicyKind.IDENTITY, name, check_size=False))
        return out

    def _inline(self, policies: Iterable[InlinePolicy]) -> list[Policy]:
        return [self._data.parsed(p.document, PolicyKind.IDENTITY, p.name, check_size=False) for p in policies]

    def user_identity_policies(self, name: str) -> tuple[Policy, ...]:
        """The user's inline and attached policies, then each group's (spec §F.1 step 4)."""
        user = self._store.users.get_user(name)
        policies = self._inline(user.inline_policies) + self._managed(user.attached_policies)
        for group_name in user.groups:
            group = self._data.groups[group_name.lower()]
            policies += self._inline(group.inline_policies) + self._managed(group.attached_policies)
        return tuple(policies)

    def role_identity_policies(self, name: str) -> tuple[Policy, ...]:
        """The role's inline and attached policies."""
        role = self._store.roles.get_role(name)
        return tuple(self._inline(role.inline_policies) + self._managed(role.attached_policies))

    def boundary_policy(self, arn: str | None) -> Policy | None:
        """The parsed permissions boundary ``arn`` (``None`` for no boundary)."""
        if arn is None:
            return None
        name, text = self.managed_policy_document(arn)
        return self._data.parsed(text, PolicyKind.BOUNDARY, name, check_size=False)


def _path(arn: str) -> str:
    """The path of a managed policy ARN (``arn:aws:iam::aws:policy/service-role/X`` -> ``/service-role/``)."""
    resource = arn.split(":", 5)[-1].removeprefix("policy")
    return resource[: resource.rfind("/") + 1] or "/"
