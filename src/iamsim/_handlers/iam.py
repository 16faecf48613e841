"""IAM operation handlers: boto3-shaped input, a Simulator call, boto3-shaped output (§H).

Every call is first authorized by the engine as ``iam:<Operation>`` on the resource the
operation acts on (the entity's ARN, or ``*`` for account-wide calls), with the caller's
own credentials, so ``iam:CreateRole`` needs permission exactly as at AWS. The caller's
account is the account the call acts on.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from iamsim._arn import account_root_arn, iam_arn, iam_entity_arn
from iamsim._engine.standing_rules import protection_error
from iamsim._handlers.iam_account import AccountBodies
from iamsim._handlers.iam_policies import PolicyBodies
from iamsim._handlers.records import (
    access_key_output,
    instance_profile_output,
    record_output,
)
from iamsim._handlers.targets import calling_user, own_user, target_kind
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._store.account import AccountStore
from iamsim._store.service_linked import deletion_task_role, service_linked_role_name
from iamsim._sts.caller import Caller
from iamsim._wire.convention import conventional, input_members, input_shape, service_models, snake_case, tag_pairs
from iamsim._wire.dispatch import CallContext, Handler
from iamsim._wire.paging import page
from iamsim._wire.render import answer, output_shape, render
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

        def handle(context: CallContext, params: dict[str, Any]) -> Output:
            caller: Caller = context.caller
            account = caller.account or self._sim.default_account
            # IAM acts on the caller's own account; AWS managed policy ARNs (account "aws") are no exception.
            resource = target(caller, account, params)
            # The policy simulator's calls name no resource of the caller's account (§I).
            owner = None if kind in ("source", "custom") else account
            try:
                self._sim.authorize(caller, action, resource, resource_account=owner)
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
        its result rendered into the operation's output shape (:mod:`.render`).

        Where the method's ``user_name`` is optional, a request without ``UserName`` acts on the caller's own
        user (``None``: the root user), as IAM's credential operations do."""
        method = getattr(self._sim.iam, _METHODS.get(operation, snake_case(operation)))
        members = input_members("iam", operation)
        body = conventional(
            operation,
            method,
            input_shape("iam", operation),
            renames=_RENAMES.get(operation),
            ignored=_IGNORED.get(operation, ()),
            respond=answer(output_shape("iam", operation)),
        )
        user_name = inspect.signature(method).parameters.get("user_name")
        if "UserName" not in members or user_name is None or user_name.default is inspect.Parameter.empty:
            return body

        def callers_own(caller: Caller, account: str, params: Params) -> Output:
            if params.get("UserName") is None:
                params = {**params, "UserName": own_user(caller, params)}
            return body(caller, account, params)

        return callers_own

    def _store(self, account: str) -> AccountStore:
        return core_of(self._sim).store(account)

    # ------------------------------------------------------------ target ARNs

    def _arn(self, account: str, kind: str, path: str, name: str) -> str:
        # The simulator's partition, never a literal one: a GovCloud world authorizes on arn:aws-us-gov:... ARNs.
        return iam_entity_arn(self._sim.partition, account, kind, path, name)

    def _user_target(self, caller: Caller, account: str, params: Params) -> str:
        name = own_user(caller, params)
        if name is None:
            return account_root_arn(account, self._sim.partition)
        try:
            return self._store(account).users.get_user(name).arn
        except NoSuchEntityError:
            return self._arn(account, "user", params.get("Path", "/"), name)

    def _group_target(self, caller: Caller, account: str, params: Params) -> str:
        name = params["GroupName"]
        try:
            return self._store(account).groups.get_group(name).arn
        except NoSuchEntityError:
            return self._arn(account, "group", params.get("Path", "/"), name)

    def _role_target(self, caller: Caller, account: str, params: Params) -> str:
        name = params["RoleName"]
        try:
            return self._store(account).roles.get_role(name).arn
        except NoSuchEntityError:
            return self._arn(account, "role", params.get("Path", "/"), name)

    def _policy_target(self, caller: Caller, account: str, params: Params) -> str:
        if "PolicyArn" in params:
            return str(params["PolicyArn"])
        return self._arn(account, "policy", params.get("Path", "/"), params["PolicyName"])

    def _profile_target(self, caller: Caller, account: str, params: Params) -> str:
        name = params["InstanceProfileName"]
        try:
            return self._store(account).instance_profiles.get_instance_profile(name).arn
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

    def _saml_target(self, caller: Caller, account: str, params: Params) -> str:
        if "SAMLProviderArn" in params:
            return str(params["SAMLProviderArn"])
        return iam_arn(self._sim.partition, account, f"saml-provider/{params['Name']}")

    def _service_linked_role_target(self, caller: Caller, account: str, params: Params) -> str:
        # The role the call creates, or the one its deletion task names (``*`` for a service iamsim does not know).
        found = service_linked_role_name(params.get("AWSServiceName"), params.get("CustomSuffix"))
        found = found or deletion_task_role(params.get("DeletionTaskId"))
        return "*" if found is None else self._arn(account, "role", *found)

    def _server_certificate_target(self, caller: Caller, account: str, params: Params) -> str:
        name = params["ServerCertificateName"]
        try:
            return self._store(account).server_certificates.get_server_certificate(name).arn
        except NoSuchEntityError:
            return self._arn(account, "server-certificate", params.get("Path", "/"), name)

    def _self_target(self, caller: Caller, account: str, params: Params) -> str:
        # Only an IAM user acts on itself this way; anyone else is InvalidUserType before any authorization.
        name = calling_user(caller)
        return self._store(account).users.get_user(name).arn

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
        return {"User": record_output("User", self._sim.get_user(name, account_id=account))}

    def change_password(self, caller: Caller, account: str, p: Params) -> Output:
        self._sim.iam.change_password(
            p["OldPassword"], p["NewPassword"], user_name=calling_user(caller), account_id=account
        )
        return {}

    # ------------------------------------------------------------------- groups

    def get_group(self, caller: Caller, account: str, p: Params) -> Output:
        group, users = self._sim.get_group(p["GroupName"], account_id=account)
        selected, paging = page(users, p)
        users_out = [record_output("User", u, nested=True) for u in selected]
        return {"Group": record_output("Group", group), "Users": users_out, **paging}

    # -------------------------------------------------------------------- roles

    # --------------------------------------------------------- inline policies

    # ------------------------------------------------------------- access keys

    def create_access_key(self, caller: Caller, account: str, p: Params) -> Output:
        name = own_user(caller, p)
        if name is None:
            # Root's own keys: the dispatcher holds the simulator's lock around every handler.
            key = self._store(account).keys.create_access_key(None)
            return {"AccessKey": access_key_output(key, "root")}
        key = self._sim.create_access_key(name, account_id=account)
        return {"AccessKey": access_key_output(key, name)}

    def update_access_key(self, caller: Caller, account: str, p: Params) -> Output:
        name = own_user(caller, p)
        if name is None:
            self._store(account).keys.update_access_key(None, p["AccessKeyId"], p["Status"])
            return {}
        self._sim.update_access_key(name, p["AccessKeyId"], p["Status"], account_id=account)
        return {}

    def delete_access_key(self, caller: Caller, account: str, p: Params) -> Output:
        name = own_user(caller, p)
        if name is None:
            self._store(account).keys.delete_access_key(None, p["AccessKeyId"])
            return {}
        self._sim.delete_access_key(name, p["AccessKeyId"], account_id=account)
        return {}

    def list_access_keys(self, caller: Caller, account: str, p: Params) -> Output:
        name = own_user(caller, p)
        if name is None:
            keys = self._store(account).keys.list_access_keys(None)
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
        profiles = [
            x for x in self._store(account).instance_profiles.list_instance_profiles() if x.path.startswith(prefix)
        ]
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
        provider = self._store(account).providers.get_open_id_connect_provider(p["OpenIDConnectProviderArn"])
        return render(output_shape("iam", "GetOpenIDConnectProvider"), provider)

    # -------------------------------------------------------------- MFA devices

    def deactivate_mfa_device(self, caller: Caller, account: str, p: Params) -> Output:
        name = own_user(caller, p)
        if name is None:
            raise InvalidInputError("Must specify userName when calling with non-User credentials")
        self._sim.deactivate_mfa_device(name, p["SerialNumber"], account_id=account)
        return {}

    def list_mfa_devices(self, caller: Caller, account: str, p: Params) -> Output:
        name = own_user(caller, p)
        devices = () if name is None else self._store(account).keys.list_mfa_devices(name)
        selected, paging = page(devices, p)
        devices_out = [
            record_output("MFADevice", d, {"UserName": name or "root", "EnableDate": d.enable_date or d.create_date})
            for d in selected
        ]
        return {"MFADevices": devices_out, **paging}

    # -------------------------------------------------------------------- table

    def _targets(self) -> dict[str, Target]:
        return {
            "user": self._user_target,
            "group": self._group_target,
            "role": self._role_target,
            "policy": self._policy_target,
            "profile": self._profile_target,
            "mfa": self._mfa_target,
            "oidc": self._oidc_target,
            "saml": self._saml_target,
            "service-linked-role": self._service_linked_role_target,
            "source": lambda caller, account, params: str(params["PolicySourceArn"]),
            # The entity a last-accessed report is about (GenerateServiceLastAccessedDetails' Arn).
            "named": lambda caller, account, params: str(params["Arn"]),
            "custom": self._anything,
            "server-certificate": self._server_certificate_target,
            "account": self._anything,
            "self": self._self_target,
        }

    def _bodies(self) -> dict[str, Body]:
        bodies: dict[str, Body] = {**AccountBodies(self._sim).bodies(), **PolicyBodies(self._sim).bodies()}
        bodies.update(
            {
                "GetUser": self.get_user,
                "ChangePassword": self.change_password,
                "GetGroup": self.get_group,
                "CreateAccessKey": self.create_access_key,
                "UpdateAccessKey": self.update_access_key,
                "DeleteAccessKey": self.delete_access_key,
                "ListAccessKeys": self.list_access_keys,
                "GetAccessKeyLastUsed": self.get_access_key_last_used,
                "GetInstanceProfile": self.get_instance_profile,
                "ListInstanceProfiles": self.list_instance_profiles,
                "ListInstanceProfilesForRole": self.list_instance_profiles_for_role,
                "AddRoleToInstanceProfile": self.add_role_to_instance_profile,
                "CreateOpenIDConnectProvider": self.create_open_id_connect_provider,
                "GetOpenIDConnectProvider": self.get_open_id_connect_provider,
                "DeactivateMFADevice": self.deactivate_mfa_device,
                "ListMFADevices": self.list_mfa_devices,
            }
        )
        # Every other IAM operation whose Simulator method exists is served by the convention alone.
        for name in service_models()["iam"].operation_names:
            if name not in bodies and hasattr(self._sim.iam, _METHODS.get(name, snake_case(name))):
                bodies[name] = self._conventional(name)
        return bodies
