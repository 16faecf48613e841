"""IAM operation handlers: boto3-shaped input, a Simulator call, boto3-shaped output (§H).

Every call is first authorized by the engine as ``iam:<Operation>`` on the resource the
operation acts on (the entity's ARN, or ``*`` for account-wide calls), with the caller's
own credentials, so ``iam:CreateRole`` needs permission exactly as at AWS. The caller's
account is the account the call acts on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from iamsim._arn import account_root_arn, iam_arn, iam_entity_arn
from iamsim._engine.standing_rules import protection_error
from iamsim._handlers.convention import conventional, input_members, snake_case, tag_pairs
from iamsim._handlers.iam_account import AccountBodies
from iamsim._handlers.paging import page
from iamsim._handlers.records import (
    access_key_output,
    aws_managed_policy_output,
    instance_profile_output,
    managed_policy_output,
    policy_version_output,
    record_output,
)
from iamsim._handlers.render import answer, output_shape, render
from iamsim._policy.aws_managed import load_aws_managed_policies
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._store.account import AWS_MANAGED_PREFIX, AccountStore
from iamsim._store.records import Group, ManagedPolicy, Role, User
from iamsim._sts.caller import Caller, CallerKind
from iamsim._wire.dispatch import CallContext, Handler
from iamsim.errors import AccessDeniedError, InvalidInputError, NoSuchEntityError

__all__ = ["IamHandlers"]

Output = dict[str, Any]
Params = dict[str, Any]
#: An operation body: the caller, the account acted on, the decoded input.
Body = Callable[[Caller, str, Params], Output]
#: Where an operation acts: the resource ARN it is authorized on.
Target = Callable[[Caller, str, Params], str]


#: Members a Simulator method names differently from their snake_case (AWS's shape differs from the record's).
_RENAMES: dict[str, dict[str, str]] = {
    "PutUserPermissionsBoundary": {"PermissionsBoundary": "policy_arn"},
    "PutRolePermissionsBoundary": {"PermissionsBoundary": "policy_arn"},
    "DeleteOpenIDConnectProvider": {"OpenIDConnectProviderArn": "arn"},
    "AddClientIDToOpenIDConnectProvider": {"OpenIDConnectProviderArn": "arn", "ClientID": "client_id"},
    "RemoveClientIDFromOpenIDConnectProvider": {"OpenIDConnectProviderArn": "arn", "ClientID": "client_id"},
    "UpdateOpenIDConnectProviderThumbprint": {"OpenIDConnectProviderArn": "arn", "ThumbprintList": "thumbprints"},
    "CreateSAMLProvider": {"SAMLMetadataDocument": "metadata_document"},
    "UpdateSAMLProvider": {"SAMLProviderArn": "arn", "SAMLMetadataDocument": "metadata_document"},
    "GetSAMLProvider": {"SAMLProviderArn": "arn"},
    "DeleteSAMLProvider": {"SAMLProviderArn": "arn"},
    "CreateVirtualMFADevice": {"VirtualMFADeviceName": "name"},
}

#: Operations served by a Simulator method of another name (UpdateRoleDescription is UpdateRole's description).
_METHODS: dict[str, str] = {"UpdateRoleDescription": "update_role"}

#: Members the simulator accepts and does not model (the old handlers ignored them too).
_IGNORED: dict[str, tuple[str, ...]] = {
    "UpdateRole": ("MaxSigninSessionDuration", "ResetMaxSigninSessionDuration"),
    "CreateRole": ("MaxSigninSessionDuration",),
    "CreateVirtualMFADevice": ("Tags",),
    "CreateSAMLProvider": ("AssertionEncryptionMode", "AddPrivateKey", "ContextProvider", "IdentityCenterInstanceArn"),
    "UpdateSAMLProvider": (
        "AssertionEncryptionMode",
        "AddPrivateKey",
        "RemovePrivateKey",
        "ContextProvider",
        "IdentityCenterInstanceArn",
        "RemoveContextProvider",
        "RemoveIdentityCenterInstance",
    ),
}


def _policy_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _is_aws_managed(arn: str) -> bool:
    return AWS_MANAGED_PREFIX in arn


class IamHandlers(AccountBodies):
    """The IAM operations iamsim serves, bound to one simulator."""

    def __init__(self, simulator: Simulator) -> None:
        self._sim = simulator

    # ----------------------------------------------------------------- plumbing

    def handlers(self) -> dict[tuple[str, str], Handler]:
        """Every implemented IAM operation, keyed ``("iam", Operation)``."""
        return {("iam", name): self._authorized(name, body, target) for name, (body, target) in self._table().items()}

    def _authorized(self, operation: str, body: Body, target: Target) -> Handler:
        action = f"iam:{operation}"

        def handle(context: CallContext, params: dict[str, Any]) -> Output:
            caller: Caller = context.caller
            account = caller.account or self._sim.default_account
            # IAM acts on the caller's own account; AWS managed policy ARNs (account "aws") are no exception.
            resource = target(caller, account, params)
            try:
                self._sim.authorize(caller, action, resource, resource_account=account)
            except AccessDeniedError as denied:
                # A protected AWS resource (standing rule): IAM answers with the protection's own error, the
                # one the store raises too (UnmodifiableEntity for Identity Center roles...).
                if denied.result is not None and denied.result.rule is not None:
                    error = protection_error(action, resource, resource.rsplit("/", 1)[-1])
                    if error is not None:
                        raise error from None
                raise
            return body(caller, account, params)

        return handle

    def _conventional(self, operation: str) -> Body:
        """The body of an operation the convention derives whole: the Simulator method of its name (:mod:`.convention`),
        its result rendered into the operation's output shape (:mod:`.render`)."""
        return conventional(
            operation,
            getattr(self._sim, _METHODS.get(operation, snake_case(operation))),
            input_members("iam", operation),
            renames=_RENAMES.get(operation),
            ignored=_IGNORED.get(operation, ()),
            respond=answer(output_shape("iam", operation)),
        )

    def _store(self, account: str) -> AccountStore:
        return core_of(self._sim).store(account)

    # ------------------------------------------------------------ target ARNs

    def _arn(self, account: str, kind: str, path: str, name: str) -> str:
        # The simulator's partition, never a literal one: a GovCloud world authorizes on arn:aws-us-gov:... ARNs.
        return iam_entity_arn(self._sim.partition, account, kind, path, name)

    def _own_user(self, caller: Caller, params: Params) -> str | None:
        """The ``UserName`` of the request, else the calling user's (``None`` for root)."""
        name = params.get("UserName")
        if isinstance(name, str):
            return name
        if caller.kind in (CallerKind.USER, CallerKind.SESSION_TOKEN) and caller.entity_name is not None:
            return caller.entity_name
        if caller.kind is CallerKind.ROOT:
            return None
        raise InvalidInputError("Must specify userName when calling with non-User credentials")

    def _user_target(self, caller: Caller, account: str, params: Params) -> str:
        name = self._own_user(caller, params)
        if name is None:
            return account_root_arn(account, self._sim.partition)
        try:
            return self._store(account).get_user(name).arn
        except NoSuchEntityError:
            return self._arn(account, "user", params.get("Path", "/"), name)

    def _group_target(self, caller: Caller, account: str, params: Params) -> str:
        name = params["GroupName"]
        try:
            return self._store(account).get_group(name).arn
        except NoSuchEntityError:
            return self._arn(account, "group", params.get("Path", "/"), name)

    def _role_target(self, caller: Caller, account: str, params: Params) -> str:
        name = params["RoleName"]
        try:
            return self._store(account).get_role(name).arn
        except NoSuchEntityError:
            return self._arn(account, "role", params.get("Path", "/"), name)

    def _policy_target(self, caller: Caller, account: str, params: Params) -> str:
        if "PolicyArn" in params:
            return str(params["PolicyArn"])
        return self._arn(account, "policy", params.get("Path", "/"), params["PolicyName"])

    def _profile_target(self, caller: Caller, account: str, params: Params) -> str:
        name = params["InstanceProfileName"]
        try:
            return self._store(account).get_instance_profile(name).arn
        except NoSuchEntityError:
            return self._arn(account, "instance-profile", params.get("Path", "/"), name)

    def _mfa_target(self, caller: Caller, account: str, params: Params) -> str:
        if "SerialNumber" in params:
            return str(params["SerialNumber"])
        return self._arn(account, "mfa", params.get("Path", "/"), params["VirtualMFADeviceName"])

    def _oidc_target(self, caller: Caller, account: str, params: Params) -> str:
        if "OpenIDConnectProviderArn" in params:
            return str(params["OpenIDConnectProviderArn"])
        host = str(params["Url"]).removeprefix("https://").rstrip("/")
        return iam_arn(self._sim.partition, account, f"oidc-provider/{host}")

    def _simulation_target(self, caller: Caller, account: str, params: Params) -> str:
        return str(params["PolicySourceArn"])

    @staticmethod
    def _anything(caller: Caller, account: str, params: Params) -> str:
        return "*"

    # -------------------------------------------------------------------- users

    def get_user(self, caller: Caller, account: str, p: Params) -> Output:
        name = self._own_user(caller, p)
        if name is None:
            root = {
                "Path": "/",
                "UserId": account,
                "Arn": account_root_arn(account, self._sim.partition),
                "CreateDate": core_of(self._sim).now(),
            }
            return {"User": root}
        return {"User": record_output("User", self._sim.get_user(name, account_id=account))}

    # ------------------------------------------------------------------- groups

    def get_group(self, caller: Caller, account: str, p: Params) -> Output:
        group, users = self._sim.get_group(p["GroupName"], account_id=account)
        selected, paging = page(users, p)
        users_out = [record_output("User", u, nested=True) for u in selected]
        return {"Group": record_output("Group", group), "Users": users_out, **paging}

    # -------------------------------------------------------------------- roles

    # --------------------------------------------------------- inline policies

    # -------------------------------------------------------- managed policies

    def _usage(self, account: str) -> tuple[Counter[str], Counter[str]]:
        """How many entities attach each policy ARN, and use it as a boundary."""
        store = self._store(account)
        users, groups, roles = store.list_users(), store.list_groups(), store.list_roles()
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
        return {"Policy": self._customer_policy_output(policy, account, detailed=False)}

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
                for g in store.list_groups(prefix)
                if uses(g)
            ]
        if wanted in (None, "User", "LocalManagedPolicy", "AWSManagedPolicy"):
            entries += [
                ("PolicyUsers", {"UserName": u.name, "UserId": u.user_id}) for u in store.list_users(prefix) if uses(u)
            ]
        if wanted in (None, "Role", "LocalManagedPolicy", "AWSManagedPolicy"):
            entries += [
                ("PolicyRoles", {"RoleName": r.name, "RoleId": r.role_id}) for r in store.list_roles(prefix) if uses(r)
            ]
        selected, paging = page(entries, p)
        output: Output = {"PolicyGroups": [], "PolicyUsers": [], "PolicyRoles": []}
        for key, item in selected:
            output[key].append(item)
        return {**output, **paging}

    # ------------------------------------------------------------- attachments

    def _list_attached(self, kind: str) -> Body:
        list_arns = {
            "user": self._sim.list_attached_user_policies,
            "group": self._sim.list_attached_group_policies,
            "role": self._sim.list_attached_role_policies,
        }[kind]
        key = f"{kind.capitalize()}Name"

        def body(caller: Caller, account: str, p: Params) -> Output:
            prefix = p.get("PathPrefix", "/")
            arns = [a for a in list_arns(p[key], account_id=account) if _policy_path(a).startswith(prefix)]
            selected, paging = page(arns, p)
            return {
                "AttachedPolicies": [{"PolicyName": _policy_name(a), "PolicyArn": a} for a in selected],
                **paging,
            }

        return body

    # ------------------------------------------------------------- access keys

    def create_access_key(self, caller: Caller, account: str, p: Params) -> Output:
        name = self._own_user(caller, p)
        if name is None:
            # Root's own keys: the dispatcher holds the simulator's lock around every handler.
            key = self._store(account).create_access_key(None)
            return {"AccessKey": access_key_output(key, "root")}
        key = self._sim.create_access_key(name, account_id=account)
        return {"AccessKey": access_key_output(key, name)}

    def update_access_key(self, caller: Caller, account: str, p: Params) -> Output:
        name = self._own_user(caller, p)
        if name is None:
            self._store(account).update_access_key(None, p["AccessKeyId"], p["Status"])
            return {}
        self._sim.update_access_key(name, p["AccessKeyId"], p["Status"], account_id=account)
        return {}

    def delete_access_key(self, caller: Caller, account: str, p: Params) -> Output:
        name = self._own_user(caller, p)
        if name is None:
            self._store(account).delete_access_key(None, p["AccessKeyId"])
            return {}
        self._sim.delete_access_key(name, p["AccessKeyId"], account_id=account)
        return {}

    def list_access_keys(self, caller: Caller, account: str, p: Params) -> Output:
        name = self._own_user(caller, p)
        if name is None:
            keys = self._store(account).list_access_keys(None)
        else:
            keys = self._sim.list_access_keys(name, account_id=account)
        selected, paging = page(keys, p)
        metadata = [access_key_output(k, name or "root", name="AccessKeyMetadata") for k in selected]
        return {"AccessKeyMetadata": metadata, **paging}

    def get_access_key_last_used(self, caller: Caller, account: str, p: Params) -> Output:
        found = core_of(self._sim).find_access_key(p["AccessKeyId"])
        if found is None or found[0] != account:
            raise NoSuchEntityError(f"The Access Key with id {p['AccessKeyId']} cannot be found")
        # iamsim does not track key use; AWS reports never-used keys this way.
        return {"UserName": found[1].user_name or "root", "AccessKeyLastUsed": {"ServiceName": "N/A", "Region": "N/A"}}

    # -------------------------------------------------------- instance profiles

    def _profile_output(self, account: str, name: str) -> Output:
        profile = self._sim.get_instance_profile(name, account_id=account)
        roles = [self._sim.get_role(r, account_id=account) for r in profile.roles]
        return instance_profile_output(profile, roles)

    def get_instance_profile(self, caller: Caller, account: str, p: Params) -> Output:
        return {"InstanceProfile": self._profile_output(account, p["InstanceProfileName"])}

    def list_instance_profiles(self, caller: Caller, account: str, p: Params) -> Output:
        prefix = p.get("PathPrefix", "/")
        profiles = [x for x in self._store(account).list_instance_profiles() if x.path.startswith(prefix)]
        selected, paging = page(profiles, p)
        return {"InstanceProfiles": [self._profile_output(account, x.name) for x in selected], **paging}

    def list_instance_profiles_for_role(self, caller: Caller, account: str, p: Params) -> Output:
        profiles = self._sim.list_instance_profiles_for_role(p["RoleName"], account_id=account)
        selected, paging = page(profiles, p)
        return {"InstanceProfiles": [self._profile_output(account, x.name) for x in selected], **paging}

    def add_role_to_instance_profile(self, caller: Caller, account: str, p: Params) -> Output:
        # Putting a role in a profile passes it to whatever runs with the profile: iam:PassRole on the role (§H.5).
        role = self._sim.get_role(p["RoleName"], account_id=account)
        self._sim.authorize(caller, "iam:PassRole", role.arn, resource_account=account)
        self._sim.add_role_to_instance_profile(p["InstanceProfileName"], role.name, account_id=account)
        return {}

    # ---------------------------------------------------------- account aliases

    # ----------------------------------------------------------- OIDC providers

    def create_open_id_connect_provider(self, caller: Caller, account: str, p: Params) -> Output:
        provider = self._sim.create_open_id_connect_provider(
            p["Url"],
            p.get("ClientIDList", []),
            p.get("ThumbprintList", []),
            tags=tag_pairs(p.get("Tags")),
            account_id=account,
        )
        # AWS answers with the Tags member even when there are none.
        return render(output_shape("iam", "CreateOpenIDConnectProvider"), provider, {"Tags": list(provider.tags)})

    def get_open_id_connect_provider(self, caller: Caller, account: str, p: Params) -> Output:
        provider = self._store(account).get_open_id_connect_provider(p["OpenIDConnectProviderArn"])
        return render(output_shape("iam", "GetOpenIDConnectProvider"), provider)

    # -------------------------------------------------------------- MFA devices

    def deactivate_mfa_device(self, caller: Caller, account: str, p: Params) -> Output:
        name = self._own_user(caller, p)
        if name is None:
            raise InvalidInputError("Must specify userName when calling with non-User credentials")
        self._sim.deactivate_mfa_device(name, p["SerialNumber"], account_id=account)
        return {}

    def list_mfa_devices(self, caller: Caller, account: str, p: Params) -> Output:
        name = self._own_user(caller, p)
        devices = () if name is None else self._store(account).list_mfa_devices(name)
        selected, paging = page(devices, p)
        devices_out = [
            record_output("MFADevice", d, {"UserName": name or "root", "EnableDate": d.enable_date or d.create_date})
            for d in selected
        ]
        return {"MFADevices": devices_out, **paging}

    # ------------------------------------------------ authorization details

    def get_account_authorization_details(self, caller: Caller, account: str, p: Params) -> Output:
        store = self._store(account)
        wanted = set(p.get("Filter") or ("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"))
        attached, boundaries = self._usage(account)
        entries: list[tuple[str, Output]] = []
        if "User" in wanted:
            entries += [("UserDetailList", self._user_detail(u)) for u in store.list_users()]
        if "Group" in wanted:
            entries += [("GroupDetailList", self._group_detail(g)) for g in store.list_groups()]
        if "Role" in wanted:
            entries += [("RoleDetailList", self._role_detail(account, r)) for r in store.list_roles()]
        if "LocalManagedPolicy" in wanted:
            entries += [
                ("Policies", self._policy_detail(x, attached[x.arn], boundaries[x.arn])) for x in store.list_policies()
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
        profiles = self._store(account).list_instance_profiles_for_role(role.name)
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

    # -------------------------------------------------------------------- table

    def _table(self) -> dict[str, tuple[Body, Target]]:
        user, group, role = self._user_target, self._group_target, self._role_target
        policy, profile, anything = self._policy_target, self._profile_target, self._anything
        table: dict[str, tuple[Body, Target]] = {
            "CreateUser": (self._conventional("CreateUser"), user),
            "GetUser": (self.get_user, user),
            "ListUsers": (self._conventional("ListUsers"), anything),
            "DeleteUser": (self._conventional("DeleteUser"), user),
            "TagUser": (self._conventional("TagUser"), user),
            "UntagUser": (self._conventional("UntagUser"), user),
            "PutUserPermissionsBoundary": (self._conventional("PutUserPermissionsBoundary"), user),
            "DeleteUserPermissionsBoundary": (self._conventional("DeleteUserPermissionsBoundary"), user),
            "CreateGroup": (self._conventional("CreateGroup"), group),
            "GetGroup": (self.get_group, group),
            "ListGroups": (self._conventional("ListGroups"), anything),
            "ListGroupsForUser": (self._conventional("ListGroupsForUser"), user),
            "AddUserToGroup": (self._conventional("AddUserToGroup"), group),
            "RemoveUserFromGroup": (self._conventional("RemoveUserFromGroup"), group),
            "DeleteGroup": (self._conventional("DeleteGroup"), group),
            "CreateRole": (self._conventional("CreateRole"), role),
            "GetRole": (self._conventional("GetRole"), role),
            "ListRoles": (self._conventional("ListRoles"), anything),
            "UpdateRole": (self._conventional("UpdateRole"), role),
            "UpdateRoleDescription": (self._conventional("UpdateRoleDescription"), role),
            "UpdateAssumeRolePolicy": (self._conventional("UpdateAssumeRolePolicy"), role),
            "TagRole": (self._conventional("TagRole"), role),
            "UntagRole": (self._conventional("UntagRole"), role),
            "PutRolePermissionsBoundary": (self._conventional("PutRolePermissionsBoundary"), role),
            "DeleteRolePermissionsBoundary": (self._conventional("DeleteRolePermissionsBoundary"), role),
            "DeleteRole": (self._conventional("DeleteRole"), role),
            "CreatePolicy": (self.create_policy, policy),
            "GetPolicy": (self.get_policy, policy),
            "ListPolicies": (self.list_policies, anything),
            "DeletePolicy": (self._conventional("DeletePolicy"), policy),
            "CreatePolicyVersion": (self.create_policy_version, policy),
            "GetPolicyVersion": (self.get_policy_version, policy),
            "ListPolicyVersions": (self.list_policy_versions, policy),
            "SetDefaultPolicyVersion": (self._conventional("SetDefaultPolicyVersion"), policy),
            "DeletePolicyVersion": (self._conventional("DeletePolicyVersion"), policy),
            "ListEntitiesForPolicy": (self.list_entities_for_policy, policy),
            "CreateAccessKey": (self.create_access_key, user),
            "UpdateAccessKey": (self.update_access_key, user),
            "DeleteAccessKey": (self.delete_access_key, user),
            "ListAccessKeys": (self.list_access_keys, user),
            "GetAccessKeyLastUsed": (self.get_access_key_last_used, user),
            "CreateInstanceProfile": (self._conventional("CreateInstanceProfile"), profile),
            "GetInstanceProfile": (self.get_instance_profile, profile),
            "ListInstanceProfiles": (self.list_instance_profiles, anything),
            "ListInstanceProfilesForRole": (self.list_instance_profiles_for_role, role),
            "AddRoleToInstanceProfile": (self.add_role_to_instance_profile, profile),
            "RemoveRoleFromInstanceProfile": (self._conventional("RemoveRoleFromInstanceProfile"), profile),
            "DeleteInstanceProfile": (self._conventional("DeleteInstanceProfile"), profile),
            "CreateAccountAlias": (self._conventional("CreateAccountAlias"), anything),
            "DeleteAccountAlias": (self._conventional("DeleteAccountAlias"), anything),
            "ListAccountAliases": (self._conventional("ListAccountAliases"), anything),
            "CreateOpenIDConnectProvider": (self.create_open_id_connect_provider, self._oidc_target),
            "GetOpenIDConnectProvider": (self.get_open_id_connect_provider, self._oidc_target),
            "ListOpenIDConnectProviders": (self._conventional("ListOpenIDConnectProviders"), anything),
            "DeleteOpenIDConnectProvider": (self._conventional("DeleteOpenIDConnectProvider"), self._oidc_target),
            "CreateVirtualMFADevice": (self._conventional("CreateVirtualMFADevice"), self._mfa_target),
            "EnableMFADevice": (self._conventional("EnableMFADevice"), user),
            "DeactivateMFADevice": (self.deactivate_mfa_device, user),
            "DeleteVirtualMFADevice": (self._conventional("DeleteVirtualMFADevice"), self._mfa_target),
            "ListMFADevices": (self.list_mfa_devices, user),
            "GetAccountAuthorizationDetails": (self.get_account_authorization_details, anything),
        }
        for kind, target in (("User", user), ("Group", group), ("Role", role)):
            lower = kind.lower()
            for operation in (f"{verb}{kind}Policy" for verb in ("Put", "Get", "Delete", "Attach", "Detach")):
                table[operation] = (self._conventional(operation), target)
            table[f"List{kind}Policies"] = (self._conventional(f"List{kind}Policies"), target)
            table[f"ListAttached{kind}Policies"] = (self._list_attached(lower), target)
        targets: dict[str, Target] = {
            "user": user,
            "group": group,
            "anything": anything,
            "role": role,
            "policy": policy,
            "instance-profile": profile,
            "oidc-provider": self._oidc_target,
            "mfa": self._mfa_target,
        }
        for name, entry in self._account_table(targets).items():
            table.setdefault(name, entry)
        return table


def _policy_path(arn: str) -> str:
    resource = arn.split(":", 5)[-1]
    path = resource.removeprefix("policy")
    return path[: path.rfind("/") + 1] or "/"
