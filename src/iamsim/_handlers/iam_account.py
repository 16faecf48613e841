"""IAM operations on account settings, credentials, providers and resource tags (§H).

Renames (UpdateUser, UpdateGroup), login profiles, the account password policy,
GetAccountSummary, SAML providers, the OIDC client-id and thumbprint updates, the
virtual MFA listing, resync and tags, and tags on managed policies, instance profiles
and identity providers. :class:`IamHandlers` serves these bodies and authorizes each
call exactly as its own: ``iam:<Operation>`` on the entity's ARN.

Where the spec is silent: a rename is authorized on both the old and the new ARN
(AWS's documented rule for renames); the root user has no login profile (GetLoginProfile
answers ``NoSuchEntity``); GetMFADevice answers for virtual devices once enabled.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from iamsim._arn import iam_entity_arn
from iamsim._handlers.targets import own_user
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._store.account import AccountStore
from iamsim._sts.caller import Caller
from iamsim._wire.convention import Output, Params, conventional, input_shape
from iamsim._wire.paging import page
from iamsim._wire.render import answer, output_shape, parse_date, render, shape
from iamsim.errors import NoSuchEntityError

__all__ = ["AccountBodies", "Body", "Output", "Params", "Target"]

#: An operation body: the caller, the account acted on, the decoded input.
Body = Callable[[Caller, str, Params], Output]
#: Where an operation acts: the resource ARN it is authorized on.
Target = Callable[[Caller, str, Params], str]


#: How the store finds a taggable resource of each kind by its name or ARN.
_TAGGED: dict[str, Callable[[AccountStore, str], Any]] = {
    "user": lambda s, key: s.users.get_user(key),
    "role": lambda s, key: s.roles.get_role(key),
    "policy": lambda s, key: s.policies.get_policy(key),
    "instance-profile": lambda s, key: s.instance_profiles.get_instance_profile(key),
    "oidc-provider": lambda s, key: s.providers.get_open_id_connect_provider(key),
    "mfa": lambda s, key: s.keys.get_mfa_device(key),
    "saml-provider": lambda s, key: s.providers.get_saml_provider(key),
    "workload-identity-provider": lambda s, key: s.workload_providers.get_workload_identity_provider(key),
    "workload-identity-template": lambda s, key: s.workload_templates.get_workload_identity_template(key),
}

#: Taggable kinds: the operation suffix, the input member naming the resource, the simulator's kind.
_TAGGABLE = (
    ("Policy", "PolicyArn", "policy"),
    ("InstanceProfile", "InstanceProfileName", "instance-profile"),
    ("OpenIDConnectProvider", "OpenIDConnectProviderArn", "oidc-provider"),
    ("MFADevice", "SerialNumber", "mfa"),
    ("SAMLProvider", "SAMLProviderArn", "saml-provider"),
    ("WorkloadIdentityProvider", "WorkloadIdentityProviderArn", "workload-identity-provider"),
    ("WorkloadIdentityTemplate", "WorkloadIdentityTemplateArn", "workload-identity-template"),
)


class AccountBodies:
    """The hand-written account, credential and provider bodies of one simulator."""

    def __init__(self, simulator: Simulator) -> None:
        self._sim = simulator

    # ---------------------------------------------------------------- renames

    def _rename(self, kind: str) -> Body:
        """UpdateUser or UpdateGroup: also authorized on the new ARN, as AWS's documented rule for renames says."""
        title = kind.capitalize()
        get, update = getattr(self._sim, f"get_{kind}"), getattr(self._sim, f"update_{kind}")

        def body(caller: Caller, account: str, p: Params) -> Output:
            found = get(p[f"{title}Name"], account_id=account)
            current = found[0] if isinstance(found, tuple) else found  # GetGroup answers with its members too
            new_name, new_path = p.get(f"New{title}Name"), p.get("NewPath")
            path, name = new_path or current.path, new_name or current.name
            new_arn = iam_entity_arn(self._sim.partition, account, kind, path, name)
            self._sim.authorize(caller, f"iam:Update{title}", new_arn, resource_account=account)
            update(current.name, **{f"new_{kind}_name": new_name}, new_path=new_path, account_id=account)
            return {}

        return body

    # --------------------------------------------------------- login profiles

    def get_login_profile(self, caller: Caller, account: str, p: Params) -> Output:
        user, profile = self._sim.get_login_profile(own_user(caller, p), account_id=account)
        return {"LoginProfile": render(shape("iam", "LoginProfile"), profile, {"UserName": user.name})}

    # ----------------------------------------------------------- resource tags

    def _tagger(self, kind: str, member: str, suffix: str) -> tuple[Body, Body, Body]:
        """Tag and Untag are the derived ``tag_resource``/``untag_resource`` of ``kind`` (the member is their key);
        List<Kind>Tags reads the tags of the record the store finds."""
        listed = answer(output_shape("iam", f"List{suffix}Tags"))
        tag, untag = (
            conventional(
                f"{verb}{suffix}", partial(method, kind), input_shape("iam", f"{verb}{suffix}"), renames={member: "key"}
            )
            for verb, method in (("Tag", self._sim.iam.tag_resource), ("Untag", self._sim.iam.untag_resource))
        )

        def list_tags(caller: Caller, account: str, p: Params) -> Output:
            store = core_of(self._sim).store(account)
            return listed(_TAGGED[kind](store, p[member]).tags, p)

        return tag, untag, list_tags

    # ------------------------------------------------------------ MFA devices

    def list_virtual_mfa_devices(self, caller: Caller, account: str, p: Params) -> Output:
        devices = self._sim.list_virtual_mfa_devices(
            assignment_status=p.get("AssignmentStatus", "Any"), account_id=account
        )
        selected, paging = page(devices, p)
        store = core_of(self._sim).store(account)
        listed = []
        for device in selected:
            user = None if device.user_name is None else store.users.get_user(device.user_name)
            listed.append(
                render(shape("iam", "VirtualMFADevice"), device, {"User": user}, omit=("Base32StringSeed", "QRCodePNG"))
            )
        return {"VirtualMFADevices": listed, **paging}

    def get_mfa_device(self, caller: Caller, account: str, p: Params) -> Output:
        serial = p["SerialNumber"]
        store = core_of(self._sim).store(account)
        device = store.keys.get_mfa_device(serial)
        if device.user_name is None or device.enable_date is None:
            raise NoSuchEntityError(f"MFA Device with serial number {serial} does not exist.")
        if "UserName" in p:
            store.keys.user_mfa_device(p["UserName"], serial)
        return {"UserName": device.user_name, "SerialNumber": serial, "EnableDate": parse_date(device.enable_date)}

    # ------------------------------------------------------------------ table

    def bodies(self) -> dict[str, Body]:
        """The hand-written bodies of these operations (their targets follow from their input members)."""
        bodies: dict[str, Body] = {
            "UpdateUser": self._rename("user"),
            "UpdateGroup": self._rename("group"),
            "GetLoginProfile": self.get_login_profile,
            "ListVirtualMFADevices": self.list_virtual_mfa_devices,
            "GetMFADevice": self.get_mfa_device,
        }
        for suffix, member, kind in _TAGGABLE:
            tag, untag, list_tags = self._tagger(kind, member, suffix)
            bodies.update({f"Tag{suffix}": tag, f"Untag{suffix}": untag, f"List{suffix}Tags": list_tags})
        for kind in ("user", "role"):
            title = kind.capitalize()
            bodies[f"List{title}Tags"] = self._tagger(kind, f"{title}Name", title)[2]
        return bodies
