"""More of IAM through real boto3 clients: renames, login profiles, the password policy, tags on every
taggable resource, MFA listing, SAML providers, GetAccountSummary and context keys (§H, §I)."""

from __future__ import annotations

import datetime
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from role_world import ACCOUNT, client_for, document
from shape_check import assert_shape

from iamsim import TestSamlIdentityProvider
from iamsim._simulator import Simulator

READ = document({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
TRUST = document({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
THUMBPRINT = "a" * 40
STRONG = "Corr3ct-Horse!"


_CERTIFICATE = "".join(TestSamlIdentityProvider("https://idp.example.com").certificate_pem.splitlines()[1:-1])


def saml_metadata(entity: str = "https://idp.example.com/saml", valid_until: str | None = None) -> str:
    """SAML IdP metadata as an IdP would publish it (over IAM's 1,000-character minimum)."""
    until = f' validUntil="{valid_until}"' if valid_until else ""
    # IAM refuses metadata without a usable signing certificate (§G.3): a real self-signed one.
    certificate = _CERTIFICATE
    return (
        f'<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"'
        f' xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity}"{until}>'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>'
        f"{certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"'
        f' Location="{entity}/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>'
    )


@pytest.fixture
def iam(session: boto3.Session) -> Any:
    """An IAM client signing as the default account's root user."""
    return session.client("iam")


def call(iam: Any, operation: str, **params: Any) -> Any:
    """Call ``operation`` and check the response against its output shape."""
    return assert_shape("iam", operation, getattr(iam, xform_name(operation))(**params))


def error_of(call_it: Any) -> dict[str, Any]:
    """The AWS error (code, message, status) a call fails with."""
    with pytest.raises(ClientError) as caught:
        call_it()
    response = caught.value.response
    return {**response["Error"], "Status": response["ResponseMetadata"]["HTTPStatusCode"]}


# ------------------------------------------------------------------ renames


def test_update_user_renames_and_moves_keeping_every_reference_H5(iam: Any, session: boto3.Session) -> None:
    """§H.5/§A.3: UpdateUser keeps the id, groups, policies and keys; trust policies follow the new ARN."""
    user = call(iam, "CreateUser", UserName="ann")["User"]
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="ann")
    policy = iam.create_policy(
        PolicyName="self-read",
        PolicyDocument=document({"Effect": "Allow", "Action": ["iam:GetUser", "sts:AssumeRole"], "Resource": "*"}),
    )["Policy"]["Arn"]
    iam.attach_user_policy(UserName="ann", PolicyArn=policy)
    key = iam.create_access_key(UserName="ann")["AccessKey"]
    trust = document({"Effect": "Allow", "Principal": {"AWS": user["Arn"]}, "Action": "sts:AssumeRole"})
    role_arn = iam.create_role(RoleName="ops", AssumeRolePolicyDocument=trust)["Role"]["Arn"]

    call(iam, "UpdateUser", UserName="ann", NewUserName="anne", NewPath="/staff/")

    renamed = iam.get_user(UserName="anne")["User"]
    assert renamed["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/staff/anne"
    assert renamed["UserId"] == user["UserId"]
    assert error_of(lambda: iam.get_user(UserName="ann"))["Code"] == "NoSuchEntity"
    assert [u["UserName"] for u in iam.get_group(GroupName="devs")["Users"]] == ["anne"]
    assert [p["PolicyArn"] for p in iam.list_attached_user_policies(UserName="anne")["AttachedPolicies"]] == [policy]
    assert [r["UserName"] for r in iam.list_entities_for_policy(PolicyArn=policy)["PolicyUsers"]] == ["anne"]
    assert iam.list_access_keys(UserName="anne")["AccessKeyMetadata"][0]["AccessKeyId"] == key["AccessKeyId"]
    # The key still signs as the user, under the new name, and the role still trusts them.
    assert client_for(session, "iam", key).get_user()["User"]["UserName"] == "anne"
    statement = iam.get_role(RoleName="ops")["Role"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"AWS": renamed["Arn"]}
    assumed = client_for(session, "sts", key).assume_role(RoleArn=role_arn, RoleSessionName="s1")
    assert assumed["AssumedRoleUser"]["Arn"].endswith(":assumed-role/ops/s1")


def test_update_user_errors_change_nothing_H4(iam: Any) -> None:
    """§H.4: renaming onto another user (case-insensitively) is EntityAlreadyExists; a missing user NoSuchEntity."""
    iam.create_user(UserName="a")
    iam.create_user(UserName="b")
    clash = error_of(lambda: iam.update_user(UserName="a", NewUserName="B"))
    assert (clash["Code"], clash["Message"], clash["Status"]) == (
        "EntityAlreadyExists",
        "User with name B already exists.",
        409,
    )
    assert error_of(lambda: iam.update_user(UserName="ghost", NewUserName="c"))["Code"] == "NoSuchEntity"
    assert sorted(u["UserName"] for u in iam.list_users()["Users"]) == ["a", "b"]
    call(iam, "UpdateUser", UserName="a", NewUserName="A")
    assert iam.get_user(UserName="a")["User"]["UserName"] == "A"


def test_update_group_renames_and_members_follow_H5(iam: Any) -> None:
    """§H.5: UpdateGroup moves and renames; membership and attachments follow the group."""
    group = iam.create_group(GroupName="eng")["Group"]
    iam.create_user(UserName="cy")
    iam.add_user_to_group(GroupName="eng", UserName="cy")
    iam.attach_group_policy(GroupName="eng", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    call(iam, "UpdateGroup", GroupName="eng", NewGroupName="engineering", NewPath="/org/")
    got = iam.get_group(GroupName="engineering")
    assert got["Group"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/org/engineering"
    assert got["Group"]["GroupId"] == group["GroupId"]
    assert [u["UserName"] for u in got["Users"]] == ["cy"]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="cy")["Groups"]] == ["engineering"]
    assert len(iam.list_attached_group_policies(GroupName="engineering")["AttachedPolicies"]) == 1
    with pytest.raises(ClientError):
        iam.delete_group(GroupName="engineering")


# ----------------------------------------------------------- login profiles


def test_login_profile_lifecycle_and_delete_user_conflict_H5(iam: Any) -> None:
    """§H.5: Create/Get/Update/DeleteLoginProfile; DeleteUser refuses while the login profile exists."""
    iam.create_user(UserName="dee")
    profile = call(iam, "CreateLoginProfile", UserName="dee", Password=STRONG, PasswordResetRequired=True)
    assert profile["LoginProfile"]["UserName"] == "dee"
    assert profile["LoginProfile"]["PasswordResetRequired"] is True
    again = error_of(lambda: iam.create_login_profile(UserName="dee", Password=STRONG))
    assert (again["Code"], again["Message"]) == ("EntityAlreadyExists", "Login Profile for user dee already exists.")
    conflict = error_of(lambda: iam.delete_user(UserName="dee"))
    assert (conflict["Code"], conflict["Message"], conflict["Status"]) == (
        "DeleteConflict",
        "Cannot delete entity, must delete login profile first.",
        409,
    )
    call(iam, "UpdateLoginProfile", UserName="dee", PasswordResetRequired=False)
    assert call(iam, "GetLoginProfile", UserName="dee")["LoginProfile"]["PasswordResetRequired"] is False
    call(iam, "DeleteLoginProfile", UserName="dee")
    missing = error_of(lambda: iam.get_login_profile(UserName="dee"))
    assert (missing["Code"], missing["Message"], missing["Status"]) == (
        "NoSuchEntity",
        "Login Profile for User dee cannot be found.",
        404,
    )
    iam.delete_user(UserName="dee")


def test_passwords_follow_the_default_then_the_custom_policy_H5(iam: Any) -> None:
    """Without a custom policy IAM's default applies (8+ chars, 3 of 4 classes); a custom one replaces it."""
    iam.create_user(UserName="eve")
    weak = error_of(lambda: iam.create_login_profile(UserName="eve", Password="password"))
    assert (weak["Code"], weak["Message"], weak["Status"]) == (
        "PasswordPolicyViolation",
        "Password does not conform to the account password policy.",
        400,
    )
    none = error_of(lambda: iam.get_account_password_policy())
    assert (none["Code"], none["Message"]) == (
        "NoSuchEntity",
        f"The Password Policy with domain name {ACCOUNT} cannot be found.",
    )
    call(iam, "UpdateAccountPasswordPolicy", MinimumPasswordLength=20, RequireSymbols=True, MaxPasswordAge=90)
    policy = call(iam, "GetAccountPasswordPolicy")["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 20
    assert (policy["RequireSymbols"], policy["RequireNumbers"]) == (True, False)
    assert (policy["ExpirePasswords"], policy["MaxPasswordAge"]) == (True, 90)
    assert error_of(lambda: iam.create_login_profile(UserName="eve", Password=STRONG))["Code"] == (
        "PasswordPolicyViolation"
    )
    call(iam, "CreateLoginProfile", UserName="eve", Password="long-enough-with-symbol!")
    call(iam, "UpdateAccountPasswordPolicy")
    assert call(iam, "GetAccountPasswordPolicy")["PasswordPolicy"]["MinimumPasswordLength"] == 6
    call(iam, "DeleteAccountPasswordPolicy")
    assert error_of(lambda: iam.delete_account_password_policy())["Code"] == "NoSuchEntity"


# --------------------------------------------------------------------- tags


def test_tags_on_policies_profiles_providers_and_mfa_devices_H2(iam: Any) -> None:
    """§H.2: Tag/Untag/List*Tags on every taggable resource; a new value overwrites a key."""
    policy = iam.create_policy(PolicyName="p", PolicyDocument=READ)["Policy"]["Arn"]
    iam.create_instance_profile(InstanceProfileName="ip")
    oidc = iam.create_open_id_connect_provider(Url="https://id.example.com", ClientIDList=["a"])[
        "OpenIDConnectProviderArn"
    ]
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]["SerialNumber"]
    saml = iam.create_saml_provider(Name="corp", SAMLMetadataDocument=saml_metadata())["SAMLProviderArn"]
    resources = [
        ("Policy", {"PolicyArn": policy}),
        ("InstanceProfile", {"InstanceProfileName": "ip"}),
        ("OpenIDConnectProvider", {"OpenIDConnectProviderArn": oidc}),
        ("MFADevice", {"SerialNumber": serial}),
        ("SAMLProvider", {"SAMLProviderArn": saml}),
    ]
    for suffix, key in resources:
        call(iam, f"Tag{suffix}", Tags=[{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "dev"}], **key)
        call(iam, f"Tag{suffix}", Tags=[{"Key": "Team", "Value": "b"}], **key)
        call(iam, f"Untag{suffix}", TagKeys=["env"], **key)
        assert call(iam, f"List{suffix}Tags", **key)["Tags"] == [{"Key": "Team", "Value": "b"}], suffix
    assert iam.get_policy(PolicyArn=policy)["Policy"]["Tags"] == [{"Key": "Team", "Value": "b"}]
    too_many = [{"Key": f"k{n}", "Value": "v"} for n in range(50)]
    assert error_of(lambda: iam.tag_policy(PolicyArn=policy, Tags=too_many))["Code"] == "LimitExceeded"
    assert len(iam.list_policy_tags(PolicyArn=policy)["Tags"]) == 1
    ghost = error_of(lambda: iam.tag_instance_profile(InstanceProfileName="ghost", Tags=[{"Key": "k", "Value": ""}]))
    assert (ghost["Code"], ghost["Message"]) == ("NoSuchEntity", "Instance Profile ghost cannot be found.")


# ---------------------------------------------------------------------- MFA


def test_virtual_mfa_listing_get_resync_and_removal_H5(iam: Any, sim: Simulator) -> None:
    """ListVirtualMFADevices by assignment, GetMFADevice, ResyncMFADevice, then deactivate and delete."""
    iam.create_user(UserName="fay")
    used = iam.create_virtual_mfa_device(VirtualMFADeviceName="used")["VirtualMFADevice"]["SerialNumber"]
    spare = iam.create_virtual_mfa_device(VirtualMFADeviceName="spare")["VirtualMFADevice"]["SerialNumber"]
    now = sim.clock.now()
    step = datetime.timedelta(seconds=30)
    codes = (sim.mfa_code(used, at=now), sim.mfa_code(used, at=now + step))
    iam.enable_mfa_device(UserName="fay", SerialNumber=used, AuthenticationCode1=codes[0], AuthenticationCode2=codes[1])
    assigned = call(iam, "ListVirtualMFADevices", AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert [(d["SerialNumber"], d["User"]["UserName"]) for d in assigned] == [(used, "fay")]
    assert "Base32StringSeed" not in assigned[0]
    unassigned = call(iam, "ListVirtualMFADevices", AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in unassigned] == [spare]
    assert len(call(iam, "ListVirtualMFADevices")["VirtualMFADevices"]) == 2
    assert call(iam, "GetMFADevice", SerialNumber=used)["UserName"] == "fay"
    call(
        iam,
        "ResyncMFADevice",
        UserName="fay",
        SerialNumber=used,
        AuthenticationCode1=codes[0],
        AuthenticationCode2=codes[1],
    )
    wrong = error_of(
        lambda: iam.resync_mfa_device(
            UserName="fay", SerialNumber=used, AuthenticationCode1=codes[1], AuthenticationCode2=codes[0]
        )
    )
    assert (wrong["Code"], wrong["Status"]) == ("InvalidAuthenticationCode", 403)
    in_use = error_of(lambda: iam.delete_virtual_mfa_device(SerialNumber=used))
    assert in_use["Code"] == "DeleteConflict"
    call(iam, "DeactivateMFADevice", UserName="fay", SerialNumber=used)
    call(iam, "DeleteVirtualMFADevice", SerialNumber=used)
    assert [d["SerialNumber"] for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]] == [spare]


# ---------------------------------------------------------- SAML and OIDC


def test_saml_provider_lifecycle_stores_the_metadata_H5(iam: Any) -> None:
    """Create/Get/Update/List/DeleteSAMLProvider keep the metadata document as uploaded."""
    first = saml_metadata()
    arn = call(iam, "CreateSAMLProvider", Name="corp", SAMLMetadataDocument=first)["SAMLProviderArn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:saml-provider/corp"
    got = call(iam, "GetSAMLProvider", SAMLProviderArn=arn)
    assert got["SAMLMetadataDocument"] == first
    assert got["ValidUntil"].year == got["CreateDate"].year + 100
    dated = saml_metadata(valid_until="2030-06-01T00:00:00Z")
    assert call(iam, "UpdateSAMLProvider", SAMLProviderArn=arn, SAMLMetadataDocument=dated)["SAMLProviderArn"] == arn
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert (got["SAMLMetadataDocument"], got["ValidUntil"].year) == (dated, 2030)
    assert [p["Arn"] for p in call(iam, "ListSAMLProviders")["SAMLProviderList"]] == [arn]
    assert error_of(lambda: iam.create_saml_provider(Name="corp", SAMLMetadataDocument=first))["Code"] == (
        "EntityAlreadyExists"
    )
    bad = error_of(lambda: iam.create_saml_provider(Name="bad", SAMLMetadataDocument="<x>" + " " * 1000 + "</x>"))
    assert (bad["Code"], bad["Message"]) == ("InvalidInput", "Could not parse metadata")
    call(iam, "DeleteSAMLProvider", SAMLProviderArn=arn)
    missing = error_of(lambda: iam.get_saml_provider(SAMLProviderArn=arn))
    assert (missing["Code"], missing["Message"]) == ("NoSuchEntity", f"Manifest not found for arn {arn}")


def test_oidc_client_ids_and_thumbprints_H5(iam: Any) -> None:
    """Add/RemoveClientID and UpdateOpenIDConnectProviderThumbprint change the provider in place."""
    arn = iam.create_open_id_connect_provider(Url="https://id.example.com", ClientIDList=["a"])[
        "OpenIDConnectProviderArn"
    ]
    call(iam, "AddClientIDToOpenIDConnectProvider", OpenIDConnectProviderArn=arn, ClientID="b")
    call(iam, "RemoveClientIDFromOpenIDConnectProvider", OpenIDConnectProviderArn=arn, ClientID="a")
    call(iam, "UpdateOpenIDConnectProviderThumbprint", OpenIDConnectProviderArn=arn, ThumbprintList=[THUMBPRINT])
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert (got["ClientIDList"], got["ThumbprintList"]) == (["b"], [THUMBPRINT])


# ------------------------------------------------------ summary and policies


def test_account_summary_counts_what_exists_H3(iam: Any) -> None:
    """§H.3: GetAccountSummary reports real counts beside the quotas iamsim enforces."""
    iam.create_user(UserName="u1")
    iam.create_user(UserName="u2")
    iam.create_group(GroupName="g")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    arn = iam.create_policy(PolicyName="p", PolicyDocument=READ)["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=READ)
    iam.create_open_id_connect_provider(Url="https://id.example.com", ClientIDList=["a"])
    summary = call(iam, "GetAccountSummary")["SummaryMap"]
    assert (summary["Users"], summary["Groups"], summary["Roles"], summary["Policies"]) == (2, 1, 1, 1)
    assert (summary["PolicyVersionsInUse"], summary["Providers"], summary["MFADevices"]) == (2, 1, 0)
    assert (summary["RolesQuota"], summary["PoliciesQuota"], summary["VersionsPerPolicyQuota"]) == (1000, 1500, 5)


def test_list_policies_and_entities_filters_H5(iam: Any) -> None:
    """ListPolicies by Scope/OnlyAttached/PathPrefix; ListEntitiesForPolicy by EntityFilter and usage."""
    local = iam.create_policy(PolicyName="a", Path="/team/", PolicyDocument=READ)["Policy"]["Arn"]
    iam.create_policy(PolicyName="b", PolicyDocument=READ)
    iam.create_user(UserName="u")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST, PermissionsBoundary=local)
    iam.attach_user_policy(UserName="u", PolicyArn=local)
    names = [p["PolicyName"] for p in call(iam, "ListPolicies", Scope="Local", PathPrefix="/team/")["Policies"]]
    assert names == ["a"]
    attached = call(iam, "ListPolicies", Scope="Local", OnlyAttached=True)["Policies"]
    assert [p["PolicyName"] for p in attached] == ["a"]
    assert all(p["Arn"].startswith("arn:aws:iam::aws:") for p in iam.list_policies(Scope="AWS", MaxItems=5)["Policies"])
    boundary = call(iam, "ListEntitiesForPolicy", PolicyArn=local, PolicyUsageFilter="PermissionsBoundary")
    assert ([r["RoleName"] for r in boundary["PolicyRoles"]], boundary["PolicyUsers"]) == (["r"], [])
    users = call(iam, "ListEntitiesForPolicy", PolicyArn=local, EntityFilter="User")
    assert ([u["UserName"] for u in users["PolicyUsers"]], users["PolicyRoles"]) == (["u"], [])


def test_context_keys_for_custom_and_principal_policies_I(iam: Any) -> None:
    """§I: the condition keys and policy variables the policies use, once each, as written."""
    conditional = document(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/${aws:username}/*",
            "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}},
        },
        {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"AWS:SourceIP": "x"}}},
    )
    keys = call(iam, "GetContextKeysForCustomPolicy", PolicyInputList=[conditional])["ContextKeyNames"]
    assert keys == ["aws:username", "aws:SourceIp", "aws:MultiFactorAuthPresent"]
    user = iam.create_user(UserName="gil")["User"]
    iam.create_group(GroupName="tagged")
    iam.add_user_to_group(GroupName="tagged", UserName="gil")
    group_policy = document(
        {"Effect": "Allow", "Action": "ec2:*", "Resource": "*", "Condition": {"StringEquals": {"ec2:Region": "x"}}}
    )
    iam.put_group_policy(GroupName="tagged", PolicyName="g", PolicyDocument=group_policy)
    keys = call(iam, "GetContextKeysForPrincipalPolicy", PolicySourceArn=user["Arn"])["ContextKeyNames"]
    assert keys == ["ec2:Region"]
    keys = iam.get_context_keys_for_principal_policy(PolicySourceArn=user["Arn"], PolicyInputList=[conditional])
    assert keys["ContextKeyNames"][0] == "ec2:Region"
    assert len(keys["ContextKeyNames"]) == 4


# ------------------------------------------------- authorization of the new calls


def test_new_operations_are_authorized_with_issued_credentials_H5(iam: Any, session: boto3.Session) -> None:
    """Every call with issued credentials is authorized: iam:TagPolicy, iam:UpdateUser, ... need permission."""
    iam.create_user(UserName="reader")
    iam.put_user_policy(
        UserName="reader",
        PolicyName="read",
        PolicyDocument=document({"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}),
    )
    reader = client_for(session, "iam", iam.create_access_key(UserName="reader")["AccessKey"])
    policy = iam.create_policy(PolicyName="p", PolicyDocument=READ)["Policy"]["Arn"]
    assert reader.list_policy_tags(PolicyArn=policy)["Tags"] == []
    assert reader.get_account_summary()["SummaryMap"]["Users"] == 1
    denied = error_of(lambda: reader.tag_policy(PolicyArn=policy, Tags=[{"Key": "k", "Value": "v"}]))
    assert (denied["Code"], denied["Status"]) == ("AccessDenied", 403)
    assert denied["Message"].startswith(
        f"User: arn:aws:iam::{ACCOUNT}:user/reader is not authorized to perform: iam:TagPolicy on resource: {policy}"
    )
    denied = error_of(lambda: reader.update_user(UserName="reader", NewUserName="boss"))
    assert "iam:UpdateUser" in denied["Message"]
    assert iam.list_policy_tags(PolicyArn=policy)["Tags"] == []
    assert iam.get_user(UserName="reader")["User"]["UserName"] == "reader"


def test_rename_needs_permission_on_the_new_name_too_H5(iam: Any, session: boto3.Session) -> None:
    """A rename is authorized on the old and on the new ARN."""
    iam.create_user(UserName="hal")
    iam.put_user_policy(
        UserName="hal",
        PolicyName="rename-self",
        PolicyDocument=document(
            {"Effect": "Allow", "Action": "iam:UpdateUser", "Resource": f"arn:aws:iam::{ACCOUNT}:user/hal"}
        ),
    )
    hal = client_for(session, "iam", iam.create_access_key(UserName="hal")["AccessKey"])
    denied = error_of(lambda: hal.update_user(UserName="hal", NewUserName="hal2"))
    assert f"on resource: arn:aws:iam::{ACCOUNT}:user/hal2" in denied["Message"]
    assert iam.get_user(UserName="hal")["User"]["UserName"] == "hal"


def test_add_role_to_instance_profile_needs_pass_role_H5(iam: Any, session: boto3.Session) -> None:
    """§H.5: AddRoleToInstanceProfile also needs iam:PassRole on the role."""
    role = iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    iam.create_instance_profile(InstanceProfileName="app")
    iam.create_user(UserName="ops")
    iam.put_user_policy(
        UserName="ops",
        PolicyName="profiles",
        PolicyDocument=document({"Effect": "Allow", "Action": "iam:AddRoleToInstanceProfile", "Resource": "*"}),
    )
    ops = client_for(session, "iam", iam.create_access_key(UserName="ops")["AccessKey"])
    denied = error_of(lambda: ops.add_role_to_instance_profile(InstanceProfileName="app", RoleName="app"))
    assert denied["Code"] == "AccessDenied"
    assert f"iam:PassRole on resource: {role}" in denied["Message"]
    assert iam.get_instance_profile(InstanceProfileName="app")["InstanceProfile"]["Roles"] == []
    iam.put_user_policy(
        UserName="ops",
        PolicyName="pass",
        PolicyDocument=document({"Effect": "Allow", "Action": "iam:PassRole", "Resource": role}),
    )
    ops.add_role_to_instance_profile(InstanceProfileName="app", RoleName="app")
    roles = iam.get_instance_profile(InstanceProfileName="app")["InstanceProfile"]["Roles"]
    assert [r["RoleName"] for r in roles] == ["app"]


def test_a_member_botocore_lets_a_client_omit_but_the_operation_needs_is_a_validation_error_H4(iam: Any) -> None:
    """§H.4: UpdateSAMLProvider without its metadata document and CreateLoginProfile without a password (both
    optional in botocore's model) get AWS's ValidationError, never a raw Python error, and change nothing."""
    arn = iam.create_saml_provider(Name="idp", SAMLMetadataDocument=saml_metadata())["SAMLProviderArn"]
    error = error_of(lambda: iam.update_saml_provider(SAMLProviderArn=arn))
    assert (error["Code"], error["Message"]) == (
        "ValidationError",
        "1 validation error detected: Value null at 'sAMLMetadataDocument' failed to satisfy constraint: "
        "Member must not be null",
    )
    iam.create_user(UserName="u")
    error = error_of(lambda: iam.create_login_profile(UserName="u"))
    assert (error["Code"], error["Message"]) == (
        "ValidationError",
        "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
    )
    assert error_of(lambda: iam.get_login_profile(UserName="u"))["Code"] == "NoSuchEntity"
