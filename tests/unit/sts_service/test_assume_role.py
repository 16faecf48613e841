"""AssumeRole: every rule of spec §G.1 and §F.4 with AWS's exact codes and messages."""

from __future__ import annotations

import pytest

from iamsim._engine.request import Principal
from iamsim.errors import (
    AccessDeniedError,
    MalformedPolicyDocumentError,
    PackedPolicyTooLargeError,
    ValidationError,
)

from .conftest import ACCOUNT, OTHER, READ_S3, World, trust


def test_assumed_role_response_shape_g1(world: World) -> None:
    """§G.1: ASIA + 16, 40-char secret, Expiration = issue + duration, AssumedRoleId = RoleId:session."""
    result = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess-1")
    creds = result.credentials
    role = world.sim.get_role("Reader")
    assert creds.access_key_id.startswith("ASIA")
    assert len(creds.access_key_id) == 20
    assert len(creds.secret_access_key) == 40
    assert creds.expiration == world.clock.now().replace(hour=1)
    assert result.assumed_role_user.assumed_role_id == f"{role.role_id}:sess-1"
    assert result.assumed_role_user.arn == f"arn:aws:sts::{ACCOUNT}:assumed-role/Reader/sess-1"
    assert result.packed_policy_size == 0


def test_root_cannot_assume_roles_f4(world: World) -> None:
    """§F.4 (observed): AccessDenied "Roles may not be assumed by root accounts."."""
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.sim.root_credentials(), world.role_arn("Reader"), "sess")
    assert err.value.code == "AccessDenied"
    assert err.value.message == "Roles may not be assumed by root accounts."


def test_nonexistent_role_is_access_denied_g9(world: World) -> None:
    """§G.9: AssumeRole of a missing role is AccessDenied with the observed wording."""
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.key, world.role_arn("Nope"), "sess")
    assert err.value.message == (
        f"User: {world.user_arn} is not authorized to perform: sts:AssumeRole on resource: "
        f"arn:aws:iam::{ACCOUNT}:role/Nope"
    )


def test_trust_policy_must_name_the_caller_f4(world: World) -> None:
    """§F.4: identity permissions alone never suffice; the trust policy must allow."""
    world.sim.create_role("Other", trust({"Service": "ec2.amazonaws.com"}))
    with pytest.raises(AccessDeniedError) as err:
        world.sim.assume_role(world.key, world.role_arn("Other"), "sess")
    assert err.value.result is not None
    assert not err.value.result.allowed


def test_trusting_the_account_needs_an_identity_allow_f4(world: World) -> None:
    """§F.4: a trust on the account needs the caller's identity policy to allow sts:AssumeRole."""
    world.sim.create_role("AccountTrust", trust({"AWS": ACCOUNT}))
    world.sim.create_user("bob")
    bob = world.sim.create_access_key("bob")
    assert world.sim.assume_role(world.key, world.role_arn("AccountTrust"), "sess")
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(bob, world.role_arn("AccountTrust"), "sess")


def test_caller_boundary_must_allow_even_when_named_f4(world: World) -> None:
    """§F.4: the caller's permissions boundary must allow sts:AssumeRole even when named directly."""
    boundary = world.sim.create_policy("b", READ_S3)
    world.sim.put_user_permissions_boundary("alice", boundary.arn)
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess")


def test_cross_account_needs_both_sides_f4(world: World) -> None:
    """§F.4/§F.3: cross-account, the trust policy and the caller's account must both allow."""
    world.sim.add_account(OTHER)
    world.sim.create_role("X", trust({"AWS": ACCOUNT}), account_id=OTHER)
    assert world.sim.assume_role(world.key, world.role_arn("X", OTHER), "sess")
    world.sim.delete_user_policy("alice", "sts")
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(world.key, world.role_arn("X", OTHER), "sess")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a:b", "Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
        ("x" * 65, "Member must have length less than or equal to 64"),
        ("a", "Member must have length greater than or equal to 2"),
    ],
)
def test_role_session_name_constraints_g1(world: World, name: str, message: str) -> None:
    """§G.1 (observed): RoleSessionName pattern and length give ValidationError."""
    with pytest.raises(ValidationError) as err:
        world.sim.assume_role(world.key, world.role_arn("Reader"), name)
    assert err.value.message == (
        f"1 validation error detected: Value '{name}' at 'roleSessionName' failed to satisfy constraint: {message}"
    )


def test_duration_bounds_and_max_session_duration_g1(world: World) -> None:
    """§G.1: 900..43200, and not above the role's MaxSessionDuration (observed message)."""
    with pytest.raises(ValidationError, match="greater than or equal to 900"):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", duration_seconds=899)
    with pytest.raises(ValidationError) as err:
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", duration_seconds=7201)
    assert err.value.message == "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    assert world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", duration_seconds=7200)


def test_role_chaining_is_capped_at_one_hour_g1(world: World) -> None:
    """§G.1 (observed): role chaining above 3600 seconds fails with ValidationError."""
    reader = world.sim.get_role("Reader")
    world.sim.put_role_policy(
        "Reader",
        "assume",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]},
    )
    world.sim.create_role("Next", trust({"AWS": reader.arn}), max_session_duration=43200)
    session = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess").credentials
    with pytest.raises(ValidationError) as err:
        world.sim.assume_role(session, world.role_arn("Next"), "chained", duration_seconds=3601)
    assert err.value.message == (
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    )
    assert world.sim.assume_role(session, world.role_arn("Next"), "chained", duration_seconds=3600)


def test_external_id_condition_g1(world: World) -> None:
    """§G.1/§E: ExternalId becomes sts:ExternalId for the trust policy."""
    world.sim.create_role(
        "Vendor", trust({"AWS": world.user_arn}, condition={"StringEquals": {"sts:ExternalId": "secret-42"}})
    )
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(world.key, world.role_arn("Vendor"), "sess")
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(world.key, world.role_arn("Vendor"), "sess", external_id="wrong-1")
    assert world.sim.assume_role(world.key, world.role_arn("Vendor"), "sess", external_id="secret-42")


def test_mfa_token_code_is_a_real_totp_g1(world: World) -> None:
    """§G.1: SerialNumber + TokenCode checked as TOTP; the session has MultiFactorAuthPresent=true."""
    device = world.sim.create_virtual_mfa_device("alice-phone")
    code1 = world.sim.mfa_code(device.serial_number)
    world.clock.advance(30)
    code2 = world.sim.mfa_code(device.serial_number)
    world.sim.enable_mfa_device("alice", device.serial_number, code1, code2)
    world.sim.create_role(
        "Mfa", trust({"AWS": world.user_arn}, condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    )
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(world.key, world.role_arn("Mfa"), "sess")
    good = world.sim.mfa_code(device.serial_number)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    with pytest.raises(AccessDeniedError, match="MultiFactorAuthentication failed"):
        world.sim.assume_role(
            world.key, world.role_arn("Mfa"), "sess", serial_number=device.serial_number, token_code=wrong
        )
    session = world.sim.assume_role(
        world.key, world.role_arn("Mfa"), "sess", serial_number=device.serial_number, token_code=good
    ).credentials
    explained = world.sim.explain(session, "s3:GetObject")
    assert explained.request.context["aws:multifactorauthpresent"] == "true"
    assert explained.request.context["aws:multifactorauthage"] == "0"


def test_session_policy_intersects_g1(world: World) -> None:
    """§G.1: the session's permissions are the role's ∩ the session policy."""
    only_logs = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}],
    }
    session = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", policy=only_logs).credentials
    assert world.sim.is_allowed(session, "s3:GetObject", "arn:aws:s3:::logs/a")
    assert not world.sim.is_allowed(session, "s3:GetObject", "arn:aws:s3:::data/a")
    assert not world.sim.is_allowed(session, "s3:GetBucketPolicy", "arn:aws:s3:::logs")


def test_session_policy_arns_at_most_ten_g1(world: World) -> None:
    """§G.1: PolicyArns up to 10; an 11th is a ValidationError."""
    arns = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] * 11
    with pytest.raises(ValidationError, match="length less than or equal to 10"):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", policy_arns=arns)
    result = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", policy_arns=arns[:1])
    assert world.sim.is_allowed(result.credentials, "s3:GetObject", "arn:aws:s3:::x/y")


def test_malformed_session_policy_g1(world: World) -> None:
    """§G.1: a session policy that does not parse is MalformedPolicyDocument."""
    with pytest.raises(MalformedPolicyDocumentError):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", policy="{not json")


def test_packed_policy_too_large_g1(world: World) -> None:
    """§G.1 SHOULD: ceil(100 × (policy + ARNs + tags) / 2048) above 100% is PackedPolicyTooLarge."""
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "b" * 2100}
    big = {"Version": "2012-10-17", "Statement": [statement]}
    with pytest.raises(PackedPolicyTooLargeError) as err:
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", policy=big)
    assert err.value.code == "PackedPolicyTooLarge"
    tags = {"k": "v" * 100}
    world.sim.update_assume_role_policy(
        "Reader", trust({"AWS": world.user_arn}, action=["sts:AssumeRole", "sts:TagSession"])
    )
    result = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", tags=tags)
    assert result.packed_policy_size == 5  # ceil(100 * 101 / 2048)


def test_session_tags_need_tag_session_and_override_role_tags_g1(world: World) -> None:
    """§F.4/§G.1/§E: session tags need sts:TagSession; they override role tags case-insensitively."""
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", tags={"TEAM": "green"})
    world.sim.update_assume_role_policy(
        "Reader", trust({"AWS": world.user_arn}, action=["sts:AssumeRole", "sts:TagSession"])
    )
    session = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", tags={"TEAM": "green"}).credentials
    context = world.sim.explain(session, "s3:GetObject").request.context
    assert context["aws:principaltag/team"] == "green"


def test_transitive_tags_pass_along_the_chain_g1(world: World) -> None:
    """§G.1: transitive tags pass to chained sessions; redefining one fails."""
    reader = world.sim.get_role("Reader")
    world.sim.update_assume_role_policy(
        "Reader", trust({"AWS": world.user_arn}, action=["sts:AssumeRole", "sts:TagSession"])
    )
    world.sim.put_role_policy(
        "Reader",
        "assume",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}]},
    )
    world.sim.create_role("Next", trust({"AWS": reader.arn}, action=["sts:AssumeRole", "sts:TagSession"]))
    first = world.sim.assume_role(
        world.key, world.role_arn("Reader"), "sess", tags={"project": "x", "cost": "1"}, transitive_tag_keys=["project"]
    ).credentials
    second = world.sim.assume_role(first, world.role_arn("Next"), "s2").credentials
    context = world.sim.explain(second, "s3:GetObject").request.context
    assert context["aws:principaltag/project"] == "x"
    assert "aws:principaltag/cost" not in context
    with pytest.raises(ValidationError):
        world.sim.assume_role(first, world.role_arn("Next"), "s3", tags={"Project": "y"})


def test_source_identity_needs_permission_and_persists_g1(world: World) -> None:
    """§G.1/§F.4: SourceIdentity needs sts:SetSourceIdentity; it persists and cannot change."""
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", source_identity="alice")
    world.sim.update_assume_role_policy(
        "Reader", trust({"AWS": world.user_arn}, action=["sts:AssumeRole", "sts:SetSourceIdentity"])
    )
    result = world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", source_identity="alice")
    assert result.source_identity == "alice"
    context = world.sim.explain(result.credentials, "s3:GetObject").request.context
    assert context["aws:sourceidentity"] == "alice"
    with pytest.raises(ValidationError, match="sourceIdentity"):
        world.sim.assume_role(world.key, world.role_arn("Reader"), "sess", source_identity="aws:x")


def test_recreated_user_is_no_longer_trusted_a3(world: World) -> None:
    """§A.3: trust binds to the unique id; a deleted and recreated user is not trusted."""
    world.sim.create_user("carol")
    carol = world.sim.get_user("carol")
    world.sim.create_role("ForCarol", trust({"AWS": carol.arn}))
    world.sim.delete_user("carol")
    world.sim.create_user("carol")
    world.sim.put_user_policy(
        "carol",
        "sts",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]},
    )
    key = world.sim.create_access_key("carol")
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(key, world.role_arn("ForCarol"), "sess")


def test_federated_credentials_cannot_assume_roles_g1(world: World) -> None:
    """§G.1: GetFederationToken credentials cannot call AssumeRole."""
    fed = world.sim.get_federation_token(world.key, "fed-user", policy=READ_S3).credentials
    with pytest.raises(AccessDeniedError):
        world.sim.assume_role(fed, world.role_arn("Reader"), "sess")


def test_principal_can_stand_in_for_credentials(world: World) -> None:
    """A Principal built from an ARN evaluates like that caller's credentials (§E)."""
    principal = Principal.from_arn(world.role_arn("Reader"), session_name="s")
    assert world.sim.is_allowed(principal, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not world.sim.is_allowed(principal, "s3:PutObject", "arn:aws:s3:::b/k")
