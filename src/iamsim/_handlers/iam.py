"""IAM operation handlers: boto3-shaped input, a Simulator call, boto3-shaped output (§H).

Every call is first authorized by the engine as ``iam:<Operation>`` on the resource the
operation acts on (the entity's ARN, or ``*`` for account-wide calls), with the caller's
own credentials, so ``iam:CreateRole`` needs permission exactly as at AWS. The caller's
account is the account the call acts on.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from iamsim._arn import account_root_arn, iam_arn, iam_entity_arn
from iamsim._engine.result import Decision
from iamsim._engine.standing_rules import protection_error
from iamsim._handlers.iam_account import AccountBodies, Body, Output, Params, Target
from iamsim._handlers.targets import calling_user, own_user, target_kind
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._simulator.iam_delegation import delegation_request_owner
from iamsim._store.account import AWS_MANAGED_PREFIX, AccountStore
from iamsim._store.service_linked import deletion_task_role, service_linked_role_name
from iamsim._sts.caller import Caller
from iamsim._wire.convention import conventional, input_members, input_shape, service_models, snake_case
from iamsim._wire.dispatch import CallContext, Handler
from iamsim._wire.paging import page
from iamsim._wire.render import ATTRIBUTES, Resolve, answer, output_shape, render, shape
from iamsim.errors import AccessDeniedError, NoSuchEntityError

__all__ = ["IamHandlers"]

#: Members a Simulator method names otherwise than by the convention: their snake_case, else the record
#: attribute the answer reads (:data:`~iamsim._wire.render.ATTRIBUTES`), else ``arn`` for the ARN it acts on.
_RENAMES: dict[str, dict[str, str]] = {
    "PutUserPermissionsBoundary": {"PermissionsBoundary": "policy_arn"},
    "PutRolePermissionsBoundary": {"PermissionsBoundary": "policy_arn"},
    "CreateVirtualMFADevice": {"VirtualMFADeviceName": "name"},
}

_KINDS = ("User", "Group", "Role")

#: Request members AWS's authorization context carries as IAM condition keys (§H.5: the Service Authorization
#: Reference's IAM table names iam:AWSServiceName, iam:PolicyARN and iam:PermissionsBoundary for these actions).
_REQUEST_KEYS: dict[str, dict[str, str]] = {
    "CreateServiceLinkedRole": {"AWSServiceName": "iam:AWSServiceName"},
    **{f"{verb}{kind}Policy": {"PolicyArn": "iam:PolicyARN"} for verb in ("Attach", "Detach") for kind in _KINDS},
    **{op: {"PermissionsBoundary": "iam:PermissionsBoundary"} for op in ("CreateUser", "CreateRole")},
    # The Service Authorization Reference's keys of the delegation request actions (§H.11).
    "CreateDelegationRequest": {
        "NotificationChannel": "iam:NotificationChannel",
        "SessionDuration": "iam:DelegationDuration",
        "Permissions.PolicyTemplateArn": "iam:TemplateArn",
    },
    "ListDelegationRequests": {"OwnerId": "iam:DelegationRequestOwner"},
    **{
        f"Put{kind}PermissionsBoundary": {"PermissionsBoundary": "iam:PermissionsBoundary"} for kind in ("User", "Role")
    },
}


#: Records another holds by name, by the structure they render as, and how the store finds them.
_REFERENCES: dict[str, Callable[[AccountStore, str], object]] = {"Role": lambda s, name: s.roles.get_role(name)}


def _keyword(member: str, accepted: Mapping[str, object]) -> str:
    """The keyword a method takes ``member`` as when not its snake_case: the record's attribute, else ``arn``."""
    attribute = ATTRIBUTES.get(member)
    if attribute in accepted:
        return str(attribute)
    return "arn" if member.endswith("Arn") and "arn" in accepted else snake_case(member)


def _member_value(params: dict[str, Any], path: str) -> str | None:
    """The request's value at ``path`` (``Permissions.PolicyTemplateArn``) as a condition value, or ``None``."""
    value: Any = params
    for member in path.split("."):
        if not isinstance(value, dict) or member not in value:
            return None
        value = value[member]
    # Context values are strings: a number is written as IAM's numeric condition operators read it.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


#: Calls a delegation request's owner may make without a policy granting them (§H.11).
_OWNERS_DEFAULT = frozenset({"GetDelegationRequest", "UpdateDelegationRequest"})

#: Operations served by a Simulator method of another name (UpdateRoleDescription is UpdateRole's description).
_METHODS: dict[str, str] = {"UpdateRoleDescription": "update_role"}

#: Members the simulator accepts and does not model (the old handlers ignored them too).
_IGNORED: dict[str, tuple[str, ...]] = {
    "UpdateRole": ("MaxSigninSessionDuration", "ResetMaxSigninSessionDuration"),
    "CreateRole": ("MaxSigninSessionDuration",),
    "CreateVirtualMFADevice": ("Tags",),
    "CreateLoginProfile": ("MaxSigninSessionDuration",),
    "UpdateLoginProfile": ("MaxSigninSessionDuration", "ResetMaxSigninSessionDuration"),
    "SimulatePrincipalPolicy": ("ResourceHandlingOption",),
    "SimulateCustomPolicy": ("ResourceHandlingOption", "OrderedOrganizationPolicyInputList"),
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


#: Kinds named by one input member: the member, the ARN's resource type, how the store finds the entity.
_NAMED: dict[str, tuple[str, str, Callable[[AccountStore, str], Any]]] = {
    "user": ("UserName", "user", lambda s, name: s.users.get_user(name)),
    "group": ("GroupName", "group", lambda s, name: s.groups.get_group(name)),
    "role": ("RoleName", "role", lambda s, name: s.roles.get_role(name)),
    "profile": (
        "InstanceProfileName",
        "instance-profile",
        lambda s, name: s.instance_profiles.get_instance_profile(name),
    ),
    "server-certificate": (
        "ServerCertificateName",
        "server-certificate",
        lambda s, name: s.server_certificates.get_server_certificate(name),
    ),
}


class IamHandlers:
    """The IAM operations iamsim serves, bound to one simulator."""

    def __init__(self, simulator: Simulator) -> None:
        self._sim = simulator

    # ----------------------------------------------------------------- plumbing

    def handlers(self) -> dict[tuple[str, str], Handler]:
        """Every implemented IAM operation, keyed ``("iam", Operation)``."""
        targets = self._targets()
        return {
            ("iam", name): self._authorized(name, body, target_kind("iam", name), targets)
            for name, body in self._bodies().items()
        }

    def _authorized(self, operation: str, body: Body, kind: str, targets: dict[str, Target]) -> Handler:
        action, target = f"iam:{operation}", targets[kind]
        keys = _REQUEST_KEYS.get(operation, {})

        def handle(context: CallContext, params: dict[str, Any]) -> Output:
            caller: Caller = context.caller
            account = caller.account or self._sim.default_account
            # IAM acts on the caller's own account; AWS managed policy ARNs (account "aws") are no exception.
            resource = target(caller, account, params)
            # The policy simulator's calls name no resource of the caller's account (§I).
            owner = None if kind in ("source", "custom") else account
            try:
                values = {key: _member_value(params, member) for member, key in keys.items()}
                request = {key: value for key, value in values.items() if value is not None}
                self._sim.authorize(caller, action, resource, context=request or None, resource_account=owner)
            except AccessDeniedError as denied:
                # A protected AWS resource (standing rule): IAM answers with the protection's own error, the
                # one the store raises too (UnmodifiableEntity for Identity Center roles...).
                if denied.result is not None and denied.result.rule is not None:
                    error = protection_error(action, resource, resource.rsplit("/", 1)[-1])
                    if error is not None:
                        raise error from None
                if not self._owners_default(operation, caller, params, denied):
                    raise
            return body(caller, account, params)

        return handle

    def _owners_default(self, operation: str, caller: Caller, params: Params, denied: AccessDeniedError) -> bool:
        """Whether a delegation request's owner may make this call without a policy granting it (§H.11: "the
        owner of the request gets a default permission" to get and update it); an explicit Deny still holds."""
        if operation not in _OWNERS_DEFAULT or denied.result is None:
            return False
        if denied.result.decision is not Decision.IMPLICIT_DENY:
            return False
        return delegation_request_owner(core_of(self._sim), str(params["DelegationRequestId"])) == caller.principal.arn

    def _conventional(self, operation: str) -> Body:
        """The body of an operation the convention derives whole: the Simulator method of its name (:mod:`.convention`),
        its result rendered into the operation's output shape (:mod:`.render`).

        Where botocore's model lets ``UserName`` be left out, a request without it acts on the caller's own user
        (``None``: the root user), as AWS documents for IAM's credential operations."""
        method = getattr(self._sim.iam, _METHODS.get(operation, snake_case(operation)))
        members = input_members("iam", operation)
        shape = input_shape("iam", operation)
        accepted = inspect.signature(method).parameters
        renames = {m: _keyword(m, accepted) for m in members if snake_case(m) not in accepted}
        body = conventional(
            operation,
            method,
            shape,
            renames={**renames, **_RENAMES.get(operation, {})},
            ignored=_IGNORED.get(operation, ()),
            respond=answer(output_shape("iam", operation)),
            # A method that acts as its signer (a delegation request's owner or approver) is given the caller.
            implicit=("account_id", "who") if "who" in accepted else ("account_id",),
            resolver=self._resolver,
        )
        if "UserName" not in members or "UserName" in shape.required_members or "user_name" not in accepted:
            return body

        def callers_own(caller: Caller, account: str, params: Params) -> Output:
            if params.get("UserName") is None:
                params = {**params, "UserName": own_user(caller, params)}
            return body(caller, account, params)

        return callers_own

    def _store(self, account: str) -> AccountStore:
        return core_of(self._sim).store(account)

    def _resolver(self, account: str) -> Resolve:
        """How an answer finds the records a record holds by name: an instance profile's roles."""
        store = self._store(account)
        return lambda structure, name: _REFERENCES[structure](store, name)

    # ------------------------------------------------------------ target ARNs

    def _arn(self, account: str, kind: str, path: str, name: str) -> str:
        # The simulator's partition, never a literal one: a GovCloud world authorizes on arn:aws-us-gov:... ARNs.
        return iam_entity_arn(self._sim.partition, account, kind, path, name)

    def _named_target(self, kind: str) -> Target:
        """The entity's ARN as the store holds it, else the one a new entity of that name and path would have."""
        member, arn_kind, get = _NAMED[kind]

        def target(caller: Caller, account: str, params: Params) -> str:
            name = own_user(caller, params) if member == "UserName" else params[member]
            if name is None:
                return account_root_arn(account, self._sim.partition)
            try:
                return str(get(self._store(account), name).arn)
            except NoSuchEntityError:
                return self._arn(account, arn_kind, params.get("Path", "/"), name)

        return target

    def _arn_target(self, member: str, build: Callable[[str, Params], str]) -> Target:
        """The ARN the request names in ``member``, else the one ``build`` makes for a new resource."""

        def target(caller: Caller, account: str, params: Params) -> str:
            return str(params[member]) if member in params else build(account, params)

        return target

    def _service_linked_role_target(self, caller: Caller, account: str, params: Params) -> str:
        # The role the call creates, or the one its deletion task names (``*`` for a service iamsim does not know).
        found = service_linked_role_name(params.get("AWSServiceName"), params.get("CustomSuffix"))
        found = found or deletion_task_role(params.get("DeletionTaskId"))
        return "*" if found is None else self._arn(account, "role", *found)

    @staticmethod
    def _anything(caller: Caller, account: str, params: Params) -> str:
        return "*"

    # -------------------------------------------------------------------- users

    def get_user(self, caller: Caller, account: str, p: Params) -> Output:
        name = own_user(caller, p)
        if name is None:
            root = {
                "Path": "/",
                "UserId": account,
                "Arn": account_root_arn(account, self._sim.partition),
                "CreateDate": core_of(self._sim).now(),
            }
            return {"User": root}
        return {"User": render(shape("iam", "User"), self._sim.get_user(name, account_id=account))}

    def change_password(self, caller: Caller, account: str, p: Params) -> Output:
        self._sim.iam.change_password(
            p["OldPassword"], p["NewPassword"], user_name=calling_user(caller), account_id=account
        )
        return {}

    # ------------------------------------------------------------------- groups

    def get_group(self, caller: Caller, account: str, p: Params) -> Output:
        group, users = self._sim.get_group(p["GroupName"], account_id=account)
        selected, paging = page(users, p)
        users_out = [render(shape("iam", "User"), u, nested=True) for u in selected]
        return {"Group": render(shape("iam", "Group"), group), "Users": users_out, **paging}

    # -------------------------------------------------------- instance profiles

    # AddRoleToInstanceProfile differs from its Simulator method: AWS also authorizes iam:PassRole on the role.
    def add_role_to_instance_profile(self, caller: Caller, account: str, p: Params) -> Output:
        # Putting a role in a profile passes it to whatever runs with the profile: iam:PassRole on the role (§H.5).
        role = self._sim.get_role(p["RoleName"], account_id=account)
        self._sim.authorize(caller, "iam:PassRole", role.arn, resource_account=account)
        self._sim.add_role_to_instance_profile(p["InstanceProfileName"], role.name, account_id=account)
        return {}

    # ------------------------------------------------ authorization details

    def get_account_authorization_details(self, caller: Caller, account: str, p: Params) -> Output:
        """Every entity and managed policy in use, paged as one list; AWS managed ones only when used, by ARN."""
        store, resolve = self._store(account), self._resolver(account)
        wanted = set(p.get("Filter") or ("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"))
        entries: list[tuple[str, Output]] = []
        if "User" in wanted:
            entries += [("UserDetailList", render(shape("iam", "UserDetail"), u)) for u in store.users.list_users()]
        if "Group" in wanted:
            entries += [("GroupDetailList", render(shape("iam", "GroupDetail"), g)) for g in store.groups.list_groups()]
        if "Role" in wanted:
            for role in store.roles.list_roles():
                listed = {"InstanceProfileList": store.instance_profiles.list_instance_profiles_for_role(role.name)}
                entries.append(("RoleDetailList", render(shape("iam", "RoleDetail"), role, listed, resolve=resolve)))
        policies = store.policy_usage.describe_policies(scope="Local" if "AWSManagedPolicy" not in wanted else "All")
        used = sorted(
            (x for x in policies if x.attachment_count or x.permissions_boundary_usage_count), key=lambda x: x.arn
        )
        local = [x for x in policies if AWS_MANAGED_PREFIX not in x.arn] if "LocalManagedPolicy" in wanted else []
        aws = [x for x in used if AWS_MANAGED_PREFIX in x.arn]
        entries += [("Policies", render(shape("iam", "ManagedPolicyDetail"), x)) for x in [*local, *aws]]
        selected, paging = page(entries, p)
        output: Output = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
        for key, item in selected:
            output[key].append(item)
        return {**output, **paging}

    # -------------------------------------------------------------------- table

    def _targets(self) -> dict[str, Target]:
        partition = self._sim.partition

        def provider(prefix: str, name: str) -> Callable[[str, Params], str]:
            # Without the name (a template in definition mode, refused by the store), the kind's every resource.
            return lambda account, p: iam_arn(
                partition, account, f"{prefix}/{str(p.get(name, '*')).removeprefix('https://').rstrip('/')}"
            )

        return {
            **{kind: self._named_target(kind) for kind in _NAMED},
            "policy": self._arn_target(
                "PolicyArn", lambda a, p: self._arn(a, "policy", p.get("Path", "/"), p["PolicyName"])
            ),
            "mfa": self._arn_target(
                "SerialNumber", lambda a, p: self._arn(a, "mfa", p.get("Path", "/"), p["VirtualMFADeviceName"])
            ),
            "oidc": self._arn_target("OpenIDConnectProviderArn", provider("oidc-provider", "Url")),
            "saml": self._arn_target("SAMLProviderArn", provider("saml-provider", "Name")),
            "workload-identity-provider": self._arn_target(
                "WorkloadIdentityProviderArn", provider("workload-identity-provider", "ProviderName")
            ),
            "workload-identity-template": self._arn_target(
                "WorkloadIdentityTemplateArn", provider("workload-identity-template", "Name")
            ),
            "service-linked-role": self._service_linked_role_target,
            "source": lambda caller, account, params: str(params["PolicySourceArn"]),
            # The entity a last-accessed report is about (GenerateServiceLastAccessedDetails' Arn).
            "named": lambda caller, account, params: str(params["Arn"]),
            # A delegation request as the caller's account names it (the service reference's delegation-request).
            "delegation-request": lambda caller, account, params: iam_arn(
                partition, account, f"delegation-request/{params['DelegationRequestId']}"
            ),
            "custom": self._anything,
            "account": self._anything,
            # Only an IAM user acts on itself (ChangePassword); anyone else is InvalidUserType before authorization.
            "self": lambda caller, account, params: self._store(account).users.get_user(calling_user(caller)).arn,
        }

    def _bodies(self) -> dict[str, Body]:
        bodies: dict[str, Body] = AccountBodies(self._sim).bodies()
        bodies.update(
            {
                "GetUser": self.get_user,
                "ChangePassword": self.change_password,
                "GetGroup": self.get_group,
                "AddRoleToInstanceProfile": self.add_role_to_instance_profile,
                "GetAccountAuthorizationDetails": self.get_account_authorization_details,
            }
        )
        # Every other IAM operation whose Simulator method exists is served by the convention alone.
        for name in service_models()["iam"].operation_names:
            if name not in bodies and hasattr(self._sim.iam, _METHODS.get(name, snake_case(name))):
                bodies[name] = self._conventional(name)
        return bodies
