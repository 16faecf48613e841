"""STS rule by rule, beyond the basics: AWS's exact codes and messages (spec §G, §F.1, §F.4, §E)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

from iamsim._engine.request import Principal
from iamsim._simulator.core import core_of
from iamsim._sts.credentials import Credentials
from iamsim._sts.oidc import TestIdentityProvider
from iamsim.errors import (
    AccessDeniedError,
    ExpiredWebIdentityTokenError,
    InvalidClientTokenIdError,
    InvalidIdentityTokenError,
    PackedPolicyTooLargeError,
    ValidationError,
)

from .conftest import ACCOUNT, OTHER, READ_S3, World, trust

DENY_ASSUME = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": "*"}]}
ALLOW_ASSUME = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}]}


def assume_denied_message(world: World, role: str) -> str:
    return f"User: {world.user_arn} is not authorized to perform: sts:AssumeRole on resource: {world.role_arn(role)}"


# ------------------------------------------------------------------- who may assume


def test_untrusted_caller_gets_awss_message_g9(world: World) -> None:
    """§G.9 (observed): ``User: <caller> is not authorized to perform: sts:AssumeRole on resource: <role>`` (403)."""
    world.sim.create_role("Other", trust({"Service": "ec2.amazonaws.com"}))
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.key, world.role_arn("Other"), "sess")
    assert (err.value.code, err.value.status, err.value.message) == (
        "AccessDenied",
        403,
        assume_denied_message(world, "Other"),
    )


def test_explicit_deny_in_caller_policy_beats_a_trust_naming_it_f1(world: World) -> None:
    """§F.1 step 1: an explicit Deny on sts:AssumeRole in the caller's policies wins over the trust policy."""
    world.sim.put_user_policy("alice", "deny", DENY_ASSUME)
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess")
    assert err.value.message == assume_denied_message(world, "Reader")
    assert err.value.result is not None
    assert err.value.result.decision.value == "explicitDeny"


def test_named_caller_needs_no_identity_policy_f4(world: World) -> None:
    """§F.4: a trust policy naming the user directly is enough in the same account."""
    world.sim.delete_user_policy("alice", "sts")
    assert world.sim.assume_role(world.key, world.role_arn("Reader"), "sess")


def test_cross_account_needs_trust_on_the_role_side_f4(world: World) -> None:
    """§F.4/§F.3: cross-account, the caller's Allow alone is not enough."""
    world.sim.add_account(OTHER)
    world.sim.create_role("X", trust({"Service": "ec2.amazonaws.com"}), account_id=OTHER)
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.key, world.role_arn("X", OTHER), "sess")
    assert err.value.message == (
        f"User: {world.user_arn} is not authorized to perform: sts:AssumeRole on resource: {world.role_arn('X', OTHER)}"
    )


def test_cross_account_trust_naming_the_user_still_needs_its_account_f4(world: World) -> None:
    """§F.4: even when the other account's trust names the user, the user's own account must allow."""
    world.sim.add_account(OTHER)
    world.sim.create_role("X", trust({"AWS": world.user_arn}), account_id=OTHER)
    assert world.sim.assume_role(world.key, world.role_arn("X", OTHER), "sess")
    world.sim.delete_user_policy("alice", "sts")
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(world.key, world.role_arn("X", OTHER), "sess")


def test_service_principal_assumes_through_ec2_only_f4(world: World) -> None:
    """§F.4: a role trusting ec2.amazonaws.com gives EC2 its credentials; a user is not EC2."""
    world.sim.create_role("Ec2", trust({"Service": "ec2.amazonaws.com"}))
    world.sim.create_instance_profile("ec2")
    world.sim.add_role_to_instance_profile("ec2", "Ec2")
    instance = world.sim.run_instance(instance_profile="ec2")
    creds = world.sim.instance_credentials(instance)
    assert world.sim.get_caller_identity(creds).arn == f"arn:aws:sts::{ACCOUNT}:assumed-role/Ec2/{instance}"
    service = Principal.for_service("ec2.amazonaws.com")
    assert world.sim.is_allowed(
        service,
        "sts:AssumeRole",
        world.role_arn("Ec2"),
        resource_policy=core_of(world.sim).trust_policy(ACCOUNT, "Ec2"),
    )
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(world.key, world.role_arn("Ec2"), "sess")


def test_lambda_is_not_ec2_f4(world: World) -> None:
    """§F.4: service principals are matched exactly."""
    world.sim.create_role("Ec2", trust({"Service": "ec2.amazonaws.com"}))
    service = Principal.for_service("lambda.amazonaws.com")
    assert not world.sim.is_allowed(
        service,
        "sts:AssumeRole",
        world.role_arn("Ec2"),
        resource_policy=core_of(world.sim).trust_policy(ACCOUNT, "Ec2"),
    )


def test_caller_boundary_allowing_assume_lets_it_through_f4(world: World) -> None:
    """§F.4: with a boundary that allows sts:AssumeRole, the named caller may assume."""
    boundary = world.sim.create_policy("b", ALLOW_ASSUME)
    world.sim.put_user_permissions_boundary("alice", boundary.arn)
    assert world.sim.assume_role(world.key, world.role_arn("Reader"), "sess")


def test_root_cannot_assume_even_when_trusted_f4(world: World) -> None:
    """§F.4 (observed): ``Roles may not be assumed by root accounts.`` even with an account trust."""
    world.sim.create_role("AccountTrust", trust({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}))
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.sim.root_credentials(), world.role_arn("AccountTrust"), "sess")
    assert err.value.message == "Roles may not be assumed by root accounts."


def test_role_arn_must_match_the_role_including_path_g1(world: World) -> None:
    """§G.1: the RoleArn names the role exactly; a wrong path is a role that does not exist."""
    world.sim.create_role("Pathed", trust({"AWS": world.user_arn}), path="/team/")
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(world.key, world.role_arn("Pathed"), "sess")
    result = world.sim.assume_role(world.key, f"arn:aws:iam::{ACCOUNT}:role/team/Pathed", "sess")
    assert result.assumed_role_user.arn == f"arn:aws:sts::{ACCOUNT}:assumed-role/Pathed/sess"  # no path (§B.2)


# -------------------------------------------------------------------- parameters


@pytest.mark.parametrize("name", ["ab", "x" * 64, "a+b=c,d.e@f_g-h"])
def test_session_name_bounds_accepted_g1(world: World, name: str) -> None:
    """§G.1: 2..64 characters of ``[\\w+=,.@-]`` are accepted."""
    assert world.sim.assume_role(world.key, world.role_arn("Reader"), name).assumed_role_user.arn.endswith(name)


@pytest.mark.parametrize(
    ("value", "constraint"),
    [
        (899, "Member must have value greater than or equal to 900"),
        (43201, "Member must have value less than or equal to 43200"),
    ],
)
def test_duration_model_range_message_g1(world: World, value: int, constraint: str) -> None:
    """§G.1: DurationSeconds outside 900..43200 is the model's ValidationError."""
    with pytest.raises(ValidationError) as err:
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", duration_seconds=value)
    assert err.value.message == (
        f"1 validation error detected: Value '{value}' at 'durationSeconds' failed to satisfy constraint: {constraint}"
    )


def test_default_duration_is_one_hour_and_900_is_allowed_g1(world: World) -> None:
    """§G.1: default 3600 seconds; 900 is the minimum."""
    now = world.clock.now()
    default = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess").credentials
    short = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", duration_seconds=900).credentials
    assert default.expiration == now + timedelta(seconds=3600)
    assert short.expiration == now + timedelta(seconds=900)


def test_session_token_credentials_are_capped_at_one_hour_g1(world: World) -> None:
    """§G.1 (observed): AssumeRole with GetSessionToken credentials is capped at one hour."""
    token = world.sim.get_session_token(world.key)
    with pytest.raises(ValidationError) as err:
        world.sim.assume_role(token, world.role_arn("Reader"), "sess", duration_seconds=3601)
    assert err.value.message == (
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    )
    assert world.sim.assume_role(token, world.role_arn("Reader"), "sess", duration_seconds=3600)


@pytest.mark.parametrize("value", ["x", "has space", "y" * 1225])
def test_external_id_constraints_g1(world: World, value: str) -> None:
    """§G.1: ExternalId is 2..1224 of ``[\\w+=,.@:/-]``."""
    with pytest.raises(ValidationError, match="at 'externalId' failed to satisfy constraint"):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", external_id=value)


def test_external_id_mismatch_is_access_denied_with_the_message_g1(world: World) -> None:
    """§G.1/§E: an ExternalId condition that does not match is the usual AccessDenied."""
    world.sim.create_role(
        "Vendor", trust({"AWS": world.user_arn}, condition={"StringEquals": {"sts:ExternalId": "Expected-1"}})
    )
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.key, world.role_arn("Vendor"), "sess", external_id="expected-1")
    assert err.value.message == assume_denied_message(world, "Vendor")


def _mfa_device(world: World, user: str = "alice") -> str:
    device = world.sim.create_virtual_mfa_device(f"{user}-phone")
    first = world.sim.mfa_code(device.serial_number)
    world.clock.advance(30)
    world.sim.enable_mfa_device(user, device.serial_number, first, world.sim.mfa_code(device.serial_number))
    world.clock.advance(30)
    return device.serial_number


def test_mfa_parameters_g1(world: World) -> None:
    """§G.1: TokenCode is exactly 6 digits; SerialNumber and TokenCode go together."""
    serial = _mfa_device(world)
    with pytest.raises(ValidationError, match="at 'tokenCode' failed to satisfy constraint"):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", serial_number=serial, token_code="12345")
    with pytest.raises(ValidationError, match="at 'tokenCode' failed to satisfy constraint"):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", serial_number=serial, token_code="12345a")
    with pytest.raises(ValidationError):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", serial_number=serial)


def test_mfa_required_by_condition_g1(world: World) -> None:
    """§G.1: a trust requiring MFA denies without it and with a stale code; a fresh TOTP code passes."""
    serial = _mfa_device(world)
    world.sim.create_role(
        "Mfa", trust({"AWS": world.user_arn}, condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.key, world.role_arn("Mfa"), "sess")
    assert err.value.message == assume_denied_message(world, "Mfa")
    stale = world.sim.mfa_code(serial, at=world.clock.now() - timedelta(minutes=10))
    if stale != world.sim.mfa_code(serial):
        with pytest.raises(AccessDeniedError) as err:
            world.sim.assume_role(world.key, world.role_arn("Mfa"), "sess", serial_number=serial, token_code=stale)
        assert err.value.message == "MultiFactorAuthentication failed with invalid MFA one time pass code."
    code = world.sim.mfa_code(serial)
    session = world.sim.assume_role(world.key, world.role_arn("Mfa"), "sess", serial_number=serial, token_code=code)
    world.clock.advance(120)
    context = world.sim.explain(session.credentials, "s3:GetObject").request.context
    assert context["aws:multifactorauthpresent"] == "true"
    assert context["aws:multifactorauthage"] == "120"


def test_another_users_mfa_device_fails_g1(world: World) -> None:
    """§G.1: the device must belong to the caller."""
    world.sim.create_user("bob")
    serial = _mfa_device(world, "bob")
    with pytest.raises(AccessDeniedError, match="MultiFactorAuthentication failed"):
        world.sim.assume_role(
            world.key, world.role_arn("Reader"), "sess", serial_number=serial, token_code=world.sim.mfa_code(serial)
        )


def test_session_policy_never_expands_g1(world: World) -> None:
    """§G.1: a session policy allowing more than the role grants nothing extra."""
    everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    session = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", policy=everything).credentials
    assert world.sim.is_allowed(session, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not world.sim.is_allowed(session, "s3:PutObject", "arn:aws:s3:::b/k")
    assert not world.sim.is_allowed(session, "iam:CreateUser", "*")


def test_session_policy_arns_intersect_g1(world: World) -> None:
    """§G.1: managed session policies intersect like the inline one."""
    narrow = world.sim.create_policy(
        "narrow",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}],
        },
    )
    session = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", policy_arns=[narrow.arn])
    assert world.sim.is_allowed(session.credentials, "s3:GetObject", "arn:aws:s3:::logs/a")
    assert not world.sim.is_allowed(session.credentials, "s3:GetObject", "arn:aws:s3:::data/a")


def test_policy_arns_must_be_in_the_roles_account_g1(world: World) -> None:
    """§G.1: PolicyArns must be managed policies of the role's account (or AWS managed)."""
    world.sim.add_account(OTHER)
    foreign = world.sim.create_policy("foreign", READ_S3, account_id=OTHER)
    with pytest.raises(ValidationError) as err:
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", policy_arns=[foreign.arn])
    assert err.value.message == f"Policy {foreign.arn} does not exist or is not attachable."


def test_packed_policy_size_boundary_g1(world: World) -> None:
    """§G.1 SHOULD: exactly 2,048 packed characters is 100%; one more is PackedPolicyTooLarge."""
    head = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::'
    tail = '"}]}'
    fits = head + "b" * (2048 - len(head) - len(tail)) + tail
    assert len(fits) == 2048
    assert world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", policy=fits).packed_policy_size == 100
    too_big = head + "b" * (2049 - len(head) - len(tail)) + tail
    with pytest.raises(PackedPolicyTooLargeError) as err:
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", policy=too_big)
    assert (err.value.code, err.value.status) == ("PackedPolicyTooLarge", 400)
    assert err.value.message == "Packed policy consumes 101% of allotted space, please use smaller policy."


def test_session_tag_constraints_g1(world: World) -> None:
    """§G.1: at most 50 session tags; keys unique case-insensitively."""
    world.sim.update_assume_role_policy(
        "Reader", trust({"AWS": world.user_arn}, action=["sts:AssumeRole", "sts:TagSession"])
    )
    with pytest.raises(ValidationError, match="at 'tags' failed to satisfy constraint"):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", tags={f"k{i}": "v" for i in range(51)})
    with pytest.raises(ValidationError, match="Tag keys are case insensitive"):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", tags=[("Dept", "a"), ("dept", "b")])
    with pytest.raises(ValidationError, match="not one of the session tags"):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", tags={"a": "1"}, transitive_tag_keys=["b"])


def test_tag_session_denied_message_g1(world: World) -> None:
    """§F.4: without sts:TagSession in the trust policy, passing tags is AccessDenied on sts:TagSession."""
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", tags={"a": "1"})
    assert err.value.message == (
        f"User: {world.user_arn} is not authorized to perform: sts:TagSession on resource: {world.role_arn('Reader')}"
    )


def _chain(world: World) -> None:
    reader = world.sim.get_role("Reader")
    actions = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
    world.sim.update_assume_role_policy("Reader", trust({"AWS": world.user_arn}, action=actions))
    world.sim.put_role_policy("Reader", "assume", ALLOW_ASSUME)
    world.sim.create_role("Next", trust({"AWS": reader.arn}, action=actions))
    world.sim.put_role_policy("Next", "read", READ_S3)


def test_transitive_tags_survive_two_hops_and_conflict_g1(world: World) -> None:
    """§G.1: transitive tags pass on through every hop; redefining an inherited key fails."""
    _chain(world)
    world.sim.put_role_policy("Next", "assume", ALLOW_ASSUME)
    world.sim.create_role(
        "Third",
        trust({"AWS": world.sim.get_role("Next").arn}, action=["sts:AssumeRole", "sts:TagSession"]),
    )
    first = world.sim.assume_role(
        world.key, world.role_arn("Reader"), "s1", tags={"Project": "x"}, transitive_tag_keys=["Project"]
    ).credentials
    second = world.sim.assume_role(first, world.role_arn("Next"), "s2").credentials
    third = world.sim.assume_role(second, world.role_arn("Third"), "s3").credentials
    assert world.sim.explain(third, "s3:GetObject").request.context["aws:principaltag/project"] == "x"
    with pytest.raises(ValidationError):
        world.sim.assume_role(second, world.role_arn("Third"), "s4", tags={"PROJECT": "y"})


def test_source_identity_persists_across_chaining_g1(world: World) -> None:
    """§G.1: SourceIdentity set once persists through role chaining and cannot be changed."""
    _chain(world)
    first = world.sim.assume_role(world.key, world.role_arn("Reader"), "s1", source_identity="alice@corp")
    chained = world.sim.assume_role(first.credentials, world.role_arn("Next"), "s2")
    assert chained.source_identity == "alice@corp"
    assert world.sim.explain(chained.credentials, "s3:GetObject").request.context["aws:sourceidentity"] == "alice@corp"
    with pytest.raises(ValidationError):
        world.sim.assume_role(first.credentials, world.role_arn("Next"), "s3", source_identity="mallory")
    assert world.sim.assume_role(first.credentials, world.role_arn("Next"), "s4", source_identity="alice@corp")


def test_source_identity_needs_set_source_identity_message_g1(world: World) -> None:
    """§F.4: without sts:SetSourceIdentity the call is denied on that action."""
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", source_identity="alice")
    assert err.value.message == (
        f"User: {world.user_arn} is not authorized to perform: sts:SetSourceIdentity on resource: "
        f"{world.role_arn('Reader')}"
    )


# ------------------------------------------------- other operations and identities


def test_caller_identity_of_an_assumed_role_g6(world: World) -> None:
    """§G.6: an assumed role's UserId is ``AROA...:session`` and its ARN the session ARN."""
    role = world.sim.get_role("Reader")
    creds = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess").credentials
    identity = world.sim.get_caller_identity(creds)
    assert (identity.user_id, identity.account, identity.arn) == (
        f"{role.role_id}:sess",
        ACCOUNT,
        f"arn:aws:sts::{ACCOUNT}:assumed-role/Reader/sess",
    )


@pytest.mark.parametrize(
    ("operation", "value", "constraint"),
    [
        ("session", 899, "greater than or equal to 900"),
        ("session", 129601, "less than or equal to 129600"),
        ("federation", 899, "greater than or equal to 900"),
        ("federation", 129601, "less than or equal to 129600"),
    ],
)
def test_session_and_federation_duration_range_g4_g5(world: World, operation: str, value: int, constraint: str) -> None:
    """§G.4/§G.5: DurationSeconds 900..129600."""
    message = f"at 'durationSeconds' failed to satisfy constraint: Member must have value {constraint}"
    if operation == "session":
        with pytest.raises(ValidationError, match=message):
            world.sim.get_session_token(world.key, duration_seconds=value)
    else:
        with pytest.raises(ValidationError, match=message):
            world.sim.get_federation_token(world.key, "fed", duration_seconds=value, policy=READ_S3)


def test_long_sessions_for_users_g4_g5(world: World) -> None:
    """§G.4/§G.5: users may ask for up to 129,600 seconds (36 hours); root defaults to 3600."""
    now = world.clock.now()
    assert world.sim.get_session_token(world.key, duration_seconds=129600).expiration == now + timedelta(hours=36)
    fed = world.sim.get_federation_token(world.key, "fed", duration_seconds=129600, policy=READ_S3)
    assert fed.credentials.expiration == now + timedelta(hours=36)
    assert world.sim.get_session_token(world.sim.root_credentials()).expiration == now + timedelta(hours=1)


def test_federated_name_constraints_g5(world: World) -> None:
    """§G.5: Name is 2..32 of ``[\\w+=,.@-]``."""
    with pytest.raises(ValidationError, match="at 'name' failed to satisfy constraint: Member must have length"):
        world.sim.get_federation_token(world.key, "x" * 33, policy=READ_S3)
    with pytest.raises(ValidationError, match="regular expression pattern"):
        world.sim.get_federation_token(world.key, "a b", policy=READ_S3)


def test_federated_session_limited_by_the_user_and_cannot_call_sts_g5(world: World) -> None:
    """§G.5/§F.1: the federated session gets user ∩ session policy and cannot get more session tokens."""
    fed = world.sim.get_federation_token(world.key, "fed", policy=READ_S3).credentials
    assert not world.sim.is_allowed(fed, "s3:GetObject", "arn:aws:s3:::b/k")  # alice's own policy lacks s3
    world.sim.put_user_policy("alice", "read", READ_S3)
    assert world.sim.is_allowed(fed, "s3:GetObject", "arn:aws:s3:::b/k")
    with pytest.raises(AccessDeniedError):
        world.sim.get_session_token(fed)
    with pytest.raises(AccessDeniedError):
        world.sim.get_federation_token(fed, "again", policy=READ_S3)


def test_access_key_info_validation_and_unknown_keys_g7(world: World) -> None:
    """§G.7: AccessKeyId is 16..128 word characters; an unknown key is InvalidClientTokenId."""
    with pytest.raises(ValidationError, match="at 'accessKeyId'"):
        world.sim.get_access_key_info("AKIA-short")
    with pytest.raises(InvalidClientTokenIdError):
        world.sim.get_access_key_info("AKIA" + "Q" * 16)
    world.sim.add_account(OTHER)
    world.sim.create_user("bob", account_id=OTHER)
    key = world.sim.create_access_key("bob", account_id=OTHER)
    assert world.sim.get_access_key_info(key.access_key_id) == OTHER


# ------------------------------------------------------------------ web identity


@pytest.fixture
def web(world: World) -> TestIdentityProvider:
    idp = world.sim.create_test_identity_provider("https://token.example.com", client_ids=["my-app"])
    world.sim.create_role(
        "Web",
        trust(
            {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.example.com"},
            action="sts:AssumeRoleWithWebIdentity",
            condition={"StringLike": {"token.example.com:sub": "repo:org/*"}},
        ),
    )
    world.sim.put_role_policy("Web", "read", READ_S3)
    return idp


def test_web_identity_valid_token_and_session_identity_g2(world: World, web: TestIdentityProvider) -> None:
    """§G.2: a valid token yields a role session; its userid is ``role-id:session`` (§D)."""
    token = web.mint(subject="repo:org/app", audience="my-app", issued_at=world.clock.now())
    result = world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci", token)
    role = world.sim.get_role("Web")
    assert result.assumed_role_user.assumed_role_id == f"{role.role_id}:ci"
    assert result.provider == "token.example.com"
    context = world.sim.explain(result.credentials, "s3:GetObject").request.context
    assert context["aws:federatedprovider"] == f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.example.com"


def test_web_identity_wrong_audience_g2(world: World, web: TestIdentityProvider) -> None:
    """§G.2: a token for another audience is InvalidIdentityToken ``Incorrect token audience``."""
    token = web.mint(subject="repo:org/app", audience="other-app", issued_at=world.clock.now())
    with pytest.raises(InvalidIdentityTokenError) as err:
        world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci", token)
    assert err.value.message == "Incorrect token audience"


def test_web_identity_expired_token_g2(world: World, web: TestIdentityProvider) -> None:
    """§G.2 (observed): an expired token is ExpiredTokenException."""
    token = web.mint(subject="repo:org/app", audience="my-app", issued_at=world.clock.now())
    world.clock.advance(3601)
    with pytest.raises(ExpiredWebIdentityTokenError) as err:
        world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci", token)
    assert err.value.code == "ExpiredTokenException"
    assert err.value.message.startswith("Token expired: current date/time")


def test_web_identity_tampered_token_g2(world: World, web: TestIdentityProvider) -> None:
    """§G.2: a token whose claims were changed after signing is rejected."""
    token = web.mint(subject="repo:org/app", audience="my-app", issued_at=world.clock.now())
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "repo:org/evil"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidIdentityTokenError) as err:
        world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci", f"{header}.{forged}.{signature}")
    assert err.value.message == "The signature of the web identity token could not be verified"
    with pytest.raises(InvalidIdentityTokenError, match="not a valid JWT"):
        world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci", "not-a-jwt")


def test_web_identity_claims_drive_conditions_g2(world: World, web: TestIdentityProvider) -> None:
    """§G.2/§E: ``host:sub`` and ``host:aud`` are condition keys of the trust policy."""
    outsider = web.mint(subject="repo:stranger/app", audience="my-app", issued_at=world.clock.now())
    with pytest.raises(AccessDeniedError, match="Not authorized to perform sts:AssumeRoleWithWebIdentity"):
        world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci", outsider)
    world.sim.update_assume_role_policy(
        "Web",
        trust(
            {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.example.com"},
            action="sts:AssumeRoleWithWebIdentity",
            condition={"StringEquals": {"token.example.com:aud": "someone-else"}},
        ),
    )
    insider = web.mint(subject="repo:org/app", audience="my-app", issued_at=world.clock.now())
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci", insider)


def test_web_identity_duration_and_max_session_g2(world: World, web: TestIdentityProvider) -> None:
    """§G.2: DurationSeconds up to the role's MaxSessionDuration."""
    token = web.mint(subject="repo:org/app", audience="my-app", issued_at=world.clock.now())
    with pytest.raises(ValidationError, match="exceeds the MaxSessionDuration set for this role"):
        world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci", token, duration_seconds=3601)


# ----------------------------------------------------------------- credentials


def test_tampered_or_foreign_session_tokens_g9(world: World) -> None:
    """§G.9: a token sealed by another simulator (another key) or truncated is InvalidClientTokenId."""
    from iamsim._simulator import Simulator

    creds = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess").credentials
    assert creds.session_token is not None
    other = Simulator(seed=99, clock=world.clock)
    with pytest.raises(InvalidClientTokenIdError) as err:
        other.is_allowed(creds, "s3:GetObject")
    assert (err.value.code, err.value.status) == ("InvalidClientTokenId", 403)
    for token in (creds.session_token[:40], "!!notbase64!!", ""):
        with pytest.raises(InvalidClientTokenIdError):
            world.sim.is_allowed(Credentials(creds.access_key_id, creds.secret_access_key, token), "s3:GetObject")


def test_deleted_role_stops_its_sessions_and_recreated_role_lends_nothing_a3(world: World) -> None:
    """§A.3: a session of a deleted role has no permissions, even after a role of that name is recreated."""
    creds = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess").credentials
    assert world.sim.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")
    world.sim.delete_role_policy("Reader", "read")
    world.sim.delete_role("Reader")
    assert not world.sim.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")
    world.sim.create_role("Reader", trust({"AWS": world.user_arn}))
    world.sim.put_role_policy("Reader", "read", READ_S3)
    assert not world.sim.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")
