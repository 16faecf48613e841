"""Managed policies as IAM describes them: with their use in the account and their default version (§H.5).

A stored :class:`~.records.ManagedPolicy` holds what the policy is; IAM's answers add
what the account does with it (``AttachmentCount``, ``PermissionsBoundaryUsageCount``)
and which version is the default (``IsDefaultVersion``). Those change whenever another
entity attaches the policy, so they are computed here when asked, never stored.
Customer and AWS managed policies are described alike: an AWS managed policy is its one
default version, dated as AWS dated it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from iamsim._policy.aws_managed import AwsManagedPolicy, aws_managed_policy, load_aws_managed_policies
from iamsim._store.account_data import AWS_MANAGED_PREFIX, StoreFamily
from iamsim._store.records import Group, ManagedPolicy, PolicyVersion, Role, User
from iamsim._store.validation import Tags
from iamsim.errors import NoSuchEntityError

__all__ = ["ManagedPolicyDetail", "PolicyEntities", "PolicyUsage", "PolicyVersionDetail"]

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True, slots=True)
class PolicyVersionDetail:
    """One version of a managed policy, and whether it is the policy's default (GetPolicyVersion)."""

    version_id: str
    document: str
    create_date: str
    is_default_version: bool


@dataclass(frozen=True, slots=True)
class ManagedPolicyDetail:
    """A customer or AWS managed policy with its use in the account (GetPolicy, ListPolicies).

    ``attachment_count`` counts the users, groups and roles it is attached to;
    ``permissions_boundary_usage_count`` the users and roles it bounds.
    """

    name: str
    policy_id: str
    arn: str
    path: str
    default_version_id: str
    create_date: str
    update_date: str
    attachment_count: int
    permissions_boundary_usage_count: int
    versions: tuple[PolicyVersionDetail, ...]
    description: str = ""
    tags: Tags = ()
    is_attachable: bool = True


@dataclass(frozen=True, slots=True)
class PolicyEntities:
    """The groups, users and roles that use a managed policy (ListEntitiesForPolicy)."""

    policy_groups: tuple[Group, ...]
    policy_users: tuple[User, ...]
    policy_roles: tuple[Role, ...]


def _versions(versions: Iterable[PolicyVersion], default: str) -> tuple[PolicyVersionDetail, ...]:
    return tuple(
        PolicyVersionDetail(v.version_id, v.document, v.create_date, v.version_id == default) for v in versions
    )


def _aws_policy_id(arn: str) -> str:
    # The bundled snapshot carries no policy ids; derive a stable ANPA-style id from the ARN.
    digest = hashlib.sha256(arn.encode()).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return "ANPA" + "".join(alphabet[b % 32] for b in digest[:17])


class PolicyUsage(StoreFamily):
    """How the account uses managed policies, and the policies described with it."""

    def _counts(self) -> tuple[Counter[str], Counter[str]]:
        """How many entities attach each policy ARN, and how many use it as their boundary."""
        data = self._data
        entities: list[User | Group | Role] = [*data.users.values(), *data.groups.values(), *data.roles.values()]
        attached = Counter(arn for entity in entities for arn in entity.attached_policies)
        bounded: list[User | Role] = [*data.users.values(), *data.roles.values()]
        boundaries = Counter(e.permissions_boundary for e in bounded if e.permissions_boundary is not None)
        return attached, boundaries

    def _customer(self, policy: ManagedPolicy, attached: Counter[str], boundaries: Counter[str]) -> ManagedPolicyDetail:
        return ManagedPolicyDetail(
            policy.name,
            policy.policy_id,
            policy.arn,
            policy.path,
            policy.default_version_id,
            policy.create_date,
            policy.update_date,
            attached[policy.arn],
            boundaries[policy.arn],
            _versions(policy.versions, policy.default_version_id),
            policy.description,
            policy.tags,
        )

    @staticmethod
    def _aws(policy: AwsManagedPolicy, attached: Counter[str], boundaries: Counter[str]) -> ManagedPolicyDetail:
        updated = policy.update_date.strftime(_DATE_FORMAT)
        version = PolicyVersionDetail(policy.default_version_id, policy.document, updated, True)
        return ManagedPolicyDetail(
            policy.name,
            _aws_policy_id(policy.arn),
            policy.arn,
            policy.path,
            policy.default_version_id,
            policy.create_date.strftime(_DATE_FORMAT),
            updated,
            attached[policy.arn],
            boundaries[policy.arn],
            (version,),
        )

    def describe_policy(self, arn: str) -> ManagedPolicyDetail:
        """GetPolicy of a customer or AWS managed policy, with its use in this account."""
        attached, boundaries = self._counts()
        if AWS_MANAGED_PREFIX in arn:
            return self._aws(aws_managed_policy(arn, self._data.partition), attached, boundaries)
        return self._customer(self._store.policies.get_policy(arn), attached, boundaries)

    def describe_policy_version(self, arn: str, version_id: str) -> PolicyVersionDetail:
        """GetPolicyVersion of a customer or AWS managed policy (an AWS one has only its default version)."""
        if AWS_MANAGED_PREFIX in arn:
            managed = load_aws_managed_policies(self._data.partition).get(arn)
            if managed is None or managed.default_version_id != version_id:
                raise NoSuchEntityError(f"Policy {arn} version {version_id} does not exist.")
            return self._aws(managed, Counter(), Counter()).versions[0]
        version = self._store.policies.get_policy_version(arn, version_id)
        default = self._store.policies.get_policy(arn).default_version_id
        return _versions((version,), default)[0]

    def describe_policy_versions(self, arn: str) -> tuple[PolicyVersionDetail, ...]:
        """ListPolicyVersions: a customer policy's versions, the newest first."""
        policy = self._store.policies.get_policy(arn)
        newest_first = sorted(policy.versions, key=lambda v: int(v.version_id[1:].split(".")[0]), reverse=True)
        return _versions(newest_first, policy.default_version_id)

    def describe_policies(
        self,
        *,
        scope: str = "All",
        only_attached: bool = False,
        path_prefix: str = "/",
        policy_usage_filter: str | None = None,
    ) -> tuple[ManagedPolicyDetail, ...]:
        """ListPolicies: AWS managed policies (by name), then the account's, filtered as the request asks."""
        attached, boundaries = self._counts()
        described: list[ManagedPolicyDetail] = []
        if scope in ("All", "AWS"):
            aws = sorted(load_aws_managed_policies(self._data.partition).values(), key=lambda m: m.name.lower())
            described += [self._aws(m, attached, boundaries) for m in aws if m.path.startswith(path_prefix)]
        if scope in ("All", "Local"):
            local = self._store.policies.list_policies()
            described += [self._customer(p, attached, boundaries) for p in local if p.path.startswith(path_prefix)]
        return tuple(
            d
            for d in described
            if (not only_attached or d.attachment_count > 0)
            and (policy_usage_filter != "PermissionsPolicy" or d.attachment_count > 0)
            and (policy_usage_filter != "PermissionsBoundary" or d.permissions_boundary_usage_count > 0)
        )

    def entities_for_policy(
        self,
        arn: str,
        *,
        entity_filter: str | None = None,
        path_prefix: str = "/",
        policy_usage_filter: str | None = None,
    ) -> PolicyEntities:
        """ListEntitiesForPolicy: who attaches ``arn`` or uses it as a boundary (a customer policy must exist)."""
        if AWS_MANAGED_PREFIX not in arn:
            self._store.policies.get_policy(arn)

        def uses(entity: User | Group | Role) -> bool:
            attached = arn in entity.attached_policies
            boundary = not isinstance(entity, Group) and entity.permissions_boundary == arn
            if policy_usage_filter == "PermissionsPolicy":
                return attached
            if policy_usage_filter == "PermissionsBoundary":
                return boundary
            return attached or boundary

        def wanted(kind: str) -> bool:
            # The policy kinds name every entity kind; only User, Group and Role narrow the answer.
            return entity_filter in (None, kind, "LocalManagedPolicy", "AWSManagedPolicy")

        store = self._store
        return PolicyEntities(
            tuple(g for g in store.groups.list_groups(path_prefix) if uses(g)) if wanted("Group") else (),
            tuple(u for u in store.users.list_users(path_prefix) if uses(u)) if wanted("User") else (),
            tuple(r for r in store.roles.list_roles(path_prefix) if uses(r)) if wanted("Role") else (),
        )
