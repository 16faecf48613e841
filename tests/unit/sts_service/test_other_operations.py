"""GetSessionToken, GetFederationToken, GetCallerIdentity, GetAccessKeyInfo, web identity (§G.2-§G.7)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from iamsim._sts.credentials import Credentials
from iamsim.errors import (
    AccessDeniedError,
    ExpiredWebIdentityTokenError,
    InvalidAuthenticationCodeError,
    InvalidClientTokenIdError,
    InvalidIdentityTokenError,
    SignatureDoesNotMatchError,
)

from .conftest import ACCOUNT, READ_S3, World, trust


def test_get_caller_identity_for_each_caller_g6(world: World) -> None:
    """§G.6 table: user, root, assumed role and federated user."""
    user = world.sim.get_user("alice")
    assert world.sim.get_caller_identity(world.key) == type(world.sim.get_caller_identity(world.key))(
        user.user_id, ACCOUNT, user.arn
    )
    root = world.sim.get_caller_identity(world.sim.root_credentials())
    assert (root.user_id, root.arn) == (ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root")
    fed = world.sim.get_federation_token(world.key, "bob", policy=READ_S3)
    identity = world.sim.get_caller_identity(fed.credentials)
    assert (identity.user_id, identity.arn) == (f"{ACCOUNT}:bob", f"arn:aws:sts::{ACCOUNT}:federated-user/bob")
    assert fed.federated_user.federated_user_id == f"{ACCOUNT}:bob"


def test_get_caller_identity_needs_no_permission_g6(world: World) -> None:
    """§G.6: GetCallerIdentity works even when explicitly denied."""
    world.sim.put_user_policy(
        "alice", "deny", {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}
    )
    assert world.sim.get_caller_identity(world.key).arn == world.user_arn


def test_federation_without_session_policy_has_no_permissions_g5(world: World) -> None:
    """§G.5/§F.1 step 6: no session policy, no permissions; with one, user ∩ session."""
    world.sim.put_user_policy("alice", "read", READ_S3)
    bare = world.sim.get_federation_token(world.key, "bare").credentials
    assert not world.sim.is_allowed(bare, "s3:GetObject", "arn:aws:s3:::b/k")
    scoped = world.sim.get_federation_token(world.key, "scoped", policy=READ_S3).credentials
    assert world.sim.is_allowed(scoped, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not world.sim.is_allowed(scoped, "s3:PutObject", "arn:aws:s3:::b/k")


def test_federation_defaults_and_root_cap_g5(world: World) -> None:
    """§G.5: default 43200 seconds for users; root silently capped at 3600."""
    user = world.sim.get_federation_token(world.key, "u1", policy=READ_S3).credentials
    root = world.sim.get_federation_token(world.sim.root_credentials(), "r1", duration_seconds=129600).credentials
    assert user.expiration == world.clock.now() + timedelta(seconds=43200)
    assert root.expiration == world.clock.now() + timedelta(seconds=3600)


def test_federation_needs_permission_g5(world: World) -> None:
    """§G.5: the calling user needs sts:GetFederationToken."""
    world.sim.delete_user_policy("alice", "sts")
    with pytest.raises(AccessDeniedError):
        world.sim.get_federation_token(world.key, "nope", policy=READ_S3)


def test_session_token_durations_and_iam_without_mfa_g4(world: World) -> None:
    """§G.4: users default 43200, root capped to 3600; no IAM without MFA."""
    world.sim.put_user_policy(
        "alice", "all", {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    )
    token = world.sim.get_session_token(world.key)
    assert token.expiration == world.clock.now() + timedelta(seconds=43200)
    root = world.sim.get_session_token(world.sim.root_credentials(), duration_seconds=7200)
    assert root.expiration == world.clock.now() + timedelta(seconds=3600)
    assert world.sim.is_allowed(token, "s3:GetObject", "arn:aws:s3:::b/k")
    with pytest.raises(InvalidClientTokenIdError):
        world.sim.is_allowed(token, "iam:ListUsers")
    with pytest.raises(AccessDeniedError, match="session credentials"):
        world.sim.get_session_token(token)


def test_session_token_with_mfa_carries_mfa_into_assumed_roles_g4(world: World) -> None:
    """§G.4/§E: MFA-authenticated session tokens reach IAM and satisfy MFA-requiring trust policies."""
    device = world.sim.create_virtual_mfa_device("phone")
    c1 = world.sim.mfa_code(device.serial_number)
    world.clock.advance(30)
    world.sim.enable_mfa_device("alice", device.serial_number, c1, world.sim.mfa_code(device.serial_number))
    token = world.sim.get_session_token(
        world.key, serial_number=device.serial_number, token_code=world.sim.mfa_code(device.serial_number)
    )
    world.sim.create_role(
        "Mfa", trust({"AWS": world.user_arn}, condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    assert world.sim.assume_role(token, world.role_arn("Mfa"), "with-mfa")
    assert world.sim.is_allowed(token, "sts:AssumeRole", world.role_arn("Mfa"))


def test_access_key_info_g7(world: World) -> None:
    """§G.7: AKIA and ASIA keys both map to their account, whatever their state."""
    session = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess").credentials
    assert world.sim.get_access_key_info(world.key.access_key_id) == ACCOUNT
    assert world.sim.get_access_key_info(session.access_key_id) == ACCOUNT
    world.sim.update_access_key("alice", world.key.access_key_id, "Inactive")
    assert world.sim.get_access_key_info(world.key.access_key_id) == ACCOUNT


def test_inactive_and_deleted_keys_stop_at_once_g9(world: World) -> None:
    """§G.9: inactive or deleted keys are InvalidClientTokenId on the next request."""
    assert world.sim.is_allowed(world.key, "sts:AssumeRole", world.role_arn("Reader"))
    world.sim.update_access_key("alice", world.key.access_key_id, "Inactive")
    with pytest.raises(InvalidClientTokenIdError) as err:
        world.sim.is_allowed(world.key, "sts:AssumeRole", world.role_arn("Reader"))
    assert err.value.message == "The security token included in the request is invalid."
    world.sim.update_access_key("alice", world.key.access_key_id, "Active")
    world.sim.delete_access_key("alice", world.key.access_key_id)
    with pytest.raises(InvalidClientTokenIdError):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess")


def test_tampered_token_and_wrong_secret_g9(world: World) -> None:
    """§G.9: a tampered token is InvalidClientTokenId; a wrong secret SignatureDoesNotMatch."""
    creds = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess").credentials
    assert creds.session_token is not None
    flipped = creds.session_token[:-6] + ("A" if creds.session_token[-6] != "A" else "B") + creds.session_token[-5:]
    with pytest.raises(InvalidClientTokenIdError):
        world.sim.is_allowed(Credentials(creds.access_key_id, creds.secret_access_key, flipped), "s3:GetObject")
    with pytest.raises(SignatureDoesNotMatchError):
        world.sim.is_allowed(Credentials(creds.access_key_id, "x" * 40, creds.session_token), "s3:GetObject")
    with pytest.raises(InvalidClientTokenIdError):
        world.sim.is_allowed(
            Credentials("ASIA" + "A" * 16, creds.secret_access_key, creds.session_token), "s3:GetObject"
        )


def test_web_identity_with_claims_as_condition_keys_g2(world: World) -> None:
    """§G.2: a real signed JWT from a registered provider; aud/sub become condition keys."""
    idp = world.sim.create_test_identity_provider("https://token.example.com", client_ids=["my-app"])
    provider_arn = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.example.com"
    world.sim.create_role(
        "Web",
        trust(
            {"Federated": provider_arn},
            action="sts:AssumeRoleWithWebIdentity",
            condition={"StringEquals": {"token.example.com:aud": "my-app", "token.example.com:sub": "repo:main"}},
        ),
    )
    world.sim.put_role_policy("Web", "read", READ_S3)
    good = idp.mint(subject="repo:main", audience="my-app", issued_at=world.clock.now())
    result = world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci-run", good)
    assert result.subject_from_web_identity_token == "repo:main"
    assert result.audience == "my-app"
    assert world.sim.is_allowed(result.credentials, "s3:GetObject", "arn:aws:s3:::b/k")
    other = idp.mint(subject="repo:dev", audience="my-app", issued_at=world.clock.now())
    with pytest.raises(AccessDeniedError, match="Not authorized to perform sts:AssumeRoleWithWebIdentity"):
        world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci-run", other)
    world.clock.advance(3600)
    with pytest.raises(ExpiredWebIdentityTokenError):
        world.sim.assume_role_with_web_identity(world.role_arn("Web"), "ci-run", good)


def test_web_identity_needs_a_registered_provider_g2(world: World) -> None:
    """§G.2: a token from an issuer with no OIDC provider in the account is InvalidIdentityToken."""
    from iamsim._sts.oidc import TestIdentityProvider

    stranger = TestIdentityProvider("https://elsewhere.example.com")
    world.sim.create_role("Web", trust({"Federated": "accounts.google.com"}, action="sts:AssumeRoleWithWebIdentity"))
    token = stranger.mint(subject="x", audience="a", issued_at=world.clock.now())
    with pytest.raises(InvalidIdentityTokenError, match="No OpenIDConnect provider found"):
        world.sim.assume_role_with_web_identity(world.role_arn("Web"), "sess", token)


def test_enable_mfa_device_with_wrong_codes_is_invalid_authentication_code(world: World) -> None:
    """EnableMFADevice (IAM API): codes that are not two consecutive codes of the device get
    InvalidAuthenticationCode, and the device stays unassigned."""
    device = world.sim.create_virtual_mfa_device("phone")
    code = world.sim.mfa_code(device.serial_number)
    with pytest.raises(InvalidAuthenticationCodeError, match=r"Authentication code for device is not valid\."):
        world.sim.enable_mfa_device("alice", device.serial_number, code, code)
    assert [d.user_name for d in world.sim.list_virtual_mfa_devices()] == [None]
