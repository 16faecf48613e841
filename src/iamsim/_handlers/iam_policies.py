"""IAM bodies about managed policies: their usage counts, versions, attachments and the account's details.

Customer and AWS managed policies answer alike; what no record holds (how many
entities attach a policy or use it as a boundary, which version is the default)
is computed here and passed to the convention of :mod:`.render` through
:mod:`.records`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from iamsim._handlers.iam_account import Body, Output, Params
from iamsim._handlers.records import (
    aws_managed_policy_output,
    instance_profile_output,
    managed_policy_output,
    policy_version_output,
    record_output,
)
from iamsim._policy.aws_managed import load_aws_managed_policies
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._store.account import AWS_MANAGED_PREFIX, AccountStore
from iamsim._store.records import Group, ManagedPolicy, Role, User
from iamsim._sts.caller import Caller
from iamsim._wire.convention import tag_pairs
from iamsim._wire.paging import page
from iamsim.errors import NoSuchEntityError

__all__ = ["PolicyBodies"]


def _policy_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _is_aws_managed(arn: str) -> bool:
    return AWS_MANAGED_PREFIX in arn


class PolicyBodies:
    """The hand-written managed-policy bodies of one simulator."""

    def __init__(self, simulator: Simulator) -> None:
        self._sim = simulator

    def bodies(self) -> dict[str, Body]:
        """These bodies by operation name (their targets follow from their input members)."""
        bodies: dict[str, Body] = {
            "CreatePolicy": self.create_policy,
            "GetPolicy": self.get_policy,
            "ListPolicies": self.list_policies,
            "CreatePolicyVersion": self.create_policy_version,
            "GetPolicyVersion": self.get_policy_version,
            "ListPolicyVersions": self.list_policy_versions,
            "ListEntitiesForPolicy": self.list_entities_for_policy,
            "GetAccountAuthorizationDetails": self.get_account_authorization_details,
        }
        return bodies

    def _store(self, account: str) -> AccountStore:
        return core_of(self._sim).store(account)

    # -------------------------------------------------------- managed policies

    def _usage(self, account: str) -> tuple[Counter[str], Counter[str]]:
        """How many entities attach each policy ARN, and use it as a boundary."""
        store = self._store(account)
        users, groups, roles = store.users.list_users(), store.groups.list_groups(), store.roles.list_roles()
        entities: list[User | Group | Role] = [*users, *groups, *roles]
        attached: Counter[str] = Counter(arn for entity in entities for arn in entity.attached_policies)
        bounded: list[User | Role] = [*users, *roles]
        boundaries: Counter[str] = Counter(
            e.permissions_boundary for e in bounded if e.permissions_boundary is not None
        )
        return attached, boundaries

    def _customer_policy_output(self, policy: ManagedPolicy, account: str, *, detailed: bool) -> Output:
        attached, boundaries = self._usage(account)
        return managed_policy_output(
            policy, attachment_count=attached[policy.arn], boundary_count=boundaries[policy.arn], detailed=detailed
        )

    def create_policy(self, caller: Caller, account: str, p: Params) -> Output:
        policy = self._sim.create_policy(
            p["PolicyName"],
            p["PolicyDocument"],
            path=p.get("Path", "/"),
            description=p.get("Description", ""),
            tags=tag_pairs(p.get("Tags")),
            account_id=account,
        )
        output = self._customer_policy_output(policy, account, detailed=False)
        if policy.tags:
            # CreatePolicy answers with the tags it was given (§H.5); its other omissions stay.
            output["Tags"] = [{"Key": key, "Value": value} for key, value in policy.tags]
        return {"Policy": output}

    def get_policy(self, caller: Caller, account: str, p: Params) -> Output:
        arn = p["PolicyArn"]
        if _is_aws_managed(arn):
            managed = load_aws_managed_policies(self._sim.partition).get(arn)
            if managed is None:
                raise NoSuchEntityError(f"Policy {arn} does not exist or is not attachable.")
            attached, boundaries = self._usage(account)
            return {
                "Policy": aws_managed_policy_output(
                    managed, attachment_count=attached[arn], boundary_count=boundaries[arn]
                )
            }
        policy = self._sim.get_policy(arn, account_id=account)
        return {"Policy": self._customer_policy_output(policy, account, detailed=True)}

    def list_policies(self, caller: Caller, account: str, p: Params) -> Output:
        scope = p.get("Scope", "All")
        prefix = p.get("PathPrefix", "/")
        usage_filter = p.get("PolicyUsageFilter")
        attached, boundaries = self._usage(account)
        listed: list[Output] = []
        if scope in ("All", "AWS"):
            for managed in sorted(
                load_aws_managed_policies(self._sim.partition).values(), key=lambda m: m.name.lower()
            ):
                listed.append(
                    aws_managed_policy_output(
                        managed, attachment_count=attached[managed.arn], boundary_count=boundaries[managed.arn]
                    )
                )
        if scope in ("All", "Local"):
            for policy in self._sim.list_policies(account_id=account):
                listed.append(
                    managed_policy_output(
                        policy,
                        attachment_count=attached[policy.arn],
                        boundary_count=boundaries[policy.arn],
                        detailed=False,
                    )
                )
        chosen = [
            item
            for item in listed
            if str(item["Path"]).startswith(prefix)
            and (not p.get("OnlyAttached") or item["AttachmentCount"] > 0)
            and (usage_filter != "PermissionsPolicy" or item["AttachmentCount"] > 0)
            and (usage_filter != "PermissionsBoundary" or item["PermissionsBoundaryUsageCount"] > 0)
        ]
        selected, paging = page(chosen, p)
        return {"Policies": list(selected), **paging}

    def create_policy_version(self, caller: Caller, account: str, p: Params) -> Output:
        version = self._sim.create_policy_version(
            p["PolicyArn"], p["PolicyDocument"], set_as_default=p.get("SetAsDefault", False), account_id=account
        )
        default = self._sim.get_policy(p["PolicyArn"], account_id=account).default_version_id
        return {"PolicyVersion": policy_version_output(version, default, with_document=False)}

    def get_policy_version(self, caller: Caller, account: str, p: Params) -> Output:
        arn, version_id = p["PolicyArn"], p["VersionId"]
        if _is_aws_managed(arn):
            managed = load_aws_managed_policies(self._sim.partition).get(arn)
            if managed is None or managed.default_version_id != version_id:
                raise NoSuchEntityError(f"Policy {arn} version {version_id} does not exist.")
            return {
                "PolicyVersion": {
                    "Document": managed.document,
                    "VersionId": version_id,
                    "IsDefaultVersion": True,
                    "CreateDate": managed.update_date,
                }
            }
        version = self._sim.get_policy_version(arn, version_id, account_id=account)
        default = self._sim.get_policy(arn, account_id=account).default_version_id
        return {"PolicyVersion": policy_version_output(version, default, with_document=True)}

    def list_policy_versions(self, caller: Caller, account: str, p: Params) -> Output:
        policy = self._sim.get_policy(p["PolicyArn"], account_id=account)
        versions = sorted(policy.versions, key=lambda v: int(v.version_id[1:].split(".")[0]), reverse=True)
        selected, paging = page(versions, p)
        return {
            "Versions": [policy_version_output(v, policy.default_version_id, with_document=False) for v in selected],
            **paging,
        }

    def list_entities_for_policy(self, caller: Caller, account: str, p: Params) -> Output:
        arn = p["PolicyArn"]
        if not _is_aws_managed(arn):
            self._sim.get_policy(arn, account_id=account)
        store = self._store(account)
        prefix = p.get("PathPrefix", "/")
        wanted = p.get("EntityFilter")
        usage = p.get("PolicyUsageFilter")

        def uses(entity: User | Group | Role) -> bool:
            attached = arn in entity.attached_policies
            boundary = not isinstance(entity, Group) and entity.permissions_boundary == arn
            if usage == "PermissionsPolicy":
                return attached
            if usage == "PermissionsBoundary":
                return boundary
            return attached or boundary

        entries: list[tuple[str, Output]] = []
        if wanted in (None, "Group", "LocalManagedPolicy", "AWSManagedPolicy"):
            entries += [
                ("PolicyGroups", {"GroupName": g.name, "GroupId": g.group_id})
                for g in store.groups.list_groups(prefix)
                if uses(g)
            ]
        if wanted in (None, "User", "LocalManagedPolicy", "AWSManagedPolicy"):
            entries += [
                ("PolicyUsers", {"UserName": u.name, "UserId": u.user_id})
                for u in store.users.list_users(prefix)
                if uses(u)
            ]
        if wanted in (None, "Role", "LocalManagedPolicy", "AWSManagedPolicy"):
            entries += [
                ("PolicyRoles", {"RoleName": r.name, "RoleId": r.role_id})
                for r in store.roles.list_roles(prefix)
                if uses(r)
            ]
        selected, paging = page(entries, p)
        output: Output = {"PolicyGroups": [], "PolicyUsers": [], "PolicyRoles": []}
        for key, item in selected:
            output[key].append(item)
        return {**output, **paging}

    # ------------------------------------------------ authorization details

    def get_account_authorization_details(self, caller: Caller, account: str, p: Params) -> Output:
        store = self._store(account)
        wanted = set(p.get("Filter") or ("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"))
        attached, boundaries = self._usage(account)
        entries: list[tuple[str, Output]] = []
        if "User" in wanted:
            entries += [("UserDetailList", self._user_detail(u)) for u in store.users.list_users()]
        if "Group" in wanted:
            entries += [("GroupDetailList", self._group_detail(g)) for g in store.groups.list_groups()]
        if "Role" in wanted:
            entries += [("RoleDetailList", self._role_detail(account, r)) for r in store.roles.list_roles()]
        if "LocalManagedPolicy" in wanted:
            entries += [
                ("Policies", self._policy_detail(x, attached[x.arn], boundaries[x.arn]))
                for x in store.policies.list_policies()
            ]
        if "AWSManagedPolicy" in wanted:
            managed = load_aws_managed_policies(self._sim.partition)
            for arn in sorted(a for a in {*attached, *boundaries} if a in managed):
                policy = managed[arn]
                detail = aws_managed_policy_output(
                    policy, attachment_count=attached[arn], boundary_count=boundaries[arn]
                )
                detail["PolicyVersionList"] = [
                    {
                        "Document": policy.document,
                        "VersionId": policy.default_version_id,
                        "IsDefaultVersion": True,
                        "CreateDate": policy.update_date,
                    }
                ]
                entries.append(("Policies", detail))
        selected, paging = page(entries, p)
        output: Output = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
        for key, item in selected:
            output[key].append(item)
        return {**output, **paging}

    @staticmethod
    def _attached(arns: Iterable[str]) -> list[Output]:
        return [{"PolicyName": _policy_name(a), "PolicyArn": a} for a in arns]

    def _user_detail(self, user: User) -> Output:
        lists = {"UserPolicyList": user.inline_policies, "GroupList": user.groups}
        return record_output(
            "UserDetail", user, {**lists, "AttachedManagedPolicies": self._attached(user.attached_policies)}
        )

    def _group_detail(self, group: Group) -> Output:
        values = {
            "GroupPolicyList": group.inline_policies,
            "AttachedManagedPolicies": self._attached(group.attached_policies),
        }
        return record_output("GroupDetail", group, values)

    def _role_detail(self, account: str, role: Role) -> Output:
        profiles = self._store(account).instance_profiles.list_instance_profiles_for_role(role.name)
        values = {
            "InstanceProfileList": [instance_profile_output(x, [role]) for x in profiles],
            "RolePolicyList": role.inline_policies,
            "AttachedManagedPolicies": self._attached(role.attached_policies),
        }
        return record_output("RoleDetail", role, values)

    @staticmethod
    def _policy_detail(policy: ManagedPolicy, attachment_count: int, boundary_count: int) -> Output:
        detail = managed_policy_output(
            policy, attachment_count=attachment_count, boundary_count=boundary_count, as_name="ManagedPolicyDetail"
        )
        detail["PolicyVersionList"] = [
            policy_version_output(v, policy.default_version_id, with_document=True) for v in policy.versions
        ]
        return detail
