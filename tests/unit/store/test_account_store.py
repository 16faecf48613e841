"""The account store: names, ids, quotas, error codes and messages (spec §H, §A.3)."""

from __future__ import annotations

import random
import re

import pytest

from iamsim._clock import ManualClock
from iamsim._store import AccountStore, IdGenerator
from iamsim.errors import (
    DeleteConflictError,
    EntityAlreadyExistsError,
    LimitExceededError,
    MalformedPolicyDocumentError,
    NoSuchEntityError,
    ValidationError,
)

ACCOUNT = "123456789012"
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
S3_RO = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def trust(principal: object) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
    }


@pytest.fixture
def store() -> AccountStore:
    return AccountStore(ACCOUNT, ids=IdGenerator(random.Random(0)), clock=ManualClock())


def test_ids_have_aws_prefixes_and_lengths_h1(store: AccountStore) -> None:
    """§H.1: AIDA/AROA/ANPA/AGPA/AIPA 21 characters, AKIA 20, secret 40."""
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", store.users.create_user("u").user_id)
    role = store.roles.create_role("r", trust({"Service": "ec2.amazonaws.com"}))
    assert re.fullmatch(r"AROA[A-Z2-7]{17}", role.role_id)
    assert re.fullmatch(r"ANPA[A-Z2-7]{17}", store.policies.create_policy("p", POLICY).policy_id)
    assert re.fullmatch(r"AGPA[A-Z2-7]{17}", store.groups.create_group("g").group_id)
    assert re.fullmatch(r"AIPA[A-Z2-7]{17}", store.instance_profiles.create_instance_profile("i").instance_profile_id)
    key = store.keys.create_access_key("u")
    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", key.access_key_id)
    assert len(key.secret_access_key) == 40


def test_seeded_ids_are_reproducible_h1() -> None:
    """§H.1 + no global state: the same seed gives the same ids."""
    a = AccountStore(ACCOUNT, ids=IdGenerator(random.Random(5)), clock=ManualClock())
    b = AccountStore(ACCOUNT, ids=IdGenerator(random.Random(5)), clock=ManualClock())
    assert a.users.create_user("u").user_id == b.users.create_user("u").user_id


def test_names_are_unique_case_insensitively_h2(store: AccountStore) -> None:
    """§H.2/§H.4: ADMINS collides with admins; observed message for roles."""
    store.roles.create_role("Admins", trust({"Service": "ec2.amazonaws.com"}))
    with pytest.raises(EntityAlreadyExistsError) as err:
        store.roles.create_role("ADMINS", trust({"Service": "ec2.amazonaws.com"}))
    assert err.value.message == "Role with name ADMINS already exists."
    assert err.value.status == 409


def test_missing_role_message_h4(store: AccountStore) -> None:
    """§H.4 (observed): "The role with name X cannot be found."."""
    with pytest.raises(NoSuchEntityError) as err:
        store.roles.get_role("Ghost")
    assert err.value.message == "The role with name Ghost cannot be found."


@pytest.mark.parametrize("name", ["has space", "a/b", "x" * 65, ""])
def test_role_name_pattern_and_length_h2(store: AccountStore, name: str) -> None:
    """§H.2: [\\w+=,.@-]+, at most 64 characters."""
    with pytest.raises(ValidationError):
        store.roles.create_role(name, trust({"Service": "ec2.amazonaws.com"}))


@pytest.mark.parametrize("value", [3599, 43201])
def test_max_session_duration_range_h5(store: AccountStore, value: int) -> None:
    """§H.5: MaxSessionDuration 3600..43200."""
    with pytest.raises(ValidationError, match="maxSessionDuration"):
        store.roles.create_role("r", trust({"Service": "ec2.amazonaws.com"}), max_session_duration=value)
    assert store.roles.list_roles() == ()


def test_trust_policy_principal_must_exist_a3(store: AccountStore) -> None:
    """§A.3 (observed): a missing user principal is MalformedPolicyDocument "Invalid principal in policy"."""
    arn = f"arn:aws:iam::{ACCOUNT}:user/nobody"
    with pytest.raises(MalformedPolicyDocumentError) as err:
        store.roles.create_role("r", trust({"AWS": arn}))
    assert err.value.message == f'Invalid principal in policy: "AWS":"{arn}"'
    assert store.roles.list_roles() == ()
    role = store.roles.create_role("r", trust({"Service": "ec2.amazonaws.com"}))
    with pytest.raises(MalformedPolicyDocumentError):
        store.roles.update_assume_role_policy("r", trust({"AWS": arn}))
    assert store.roles.get_role("r") == role


def test_trust_policy_rejects_resource_a4(store: AccountStore) -> None:
    """§A.4 (observed): a trust policy with Resource is malformed."""
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Resource": "*",
            }
        ],
    }
    with pytest.raises(MalformedPolicyDocumentError):
        store.roles.create_role("r", doc)


def test_delete_role_conflicts_h5(store: AccountStore) -> None:
    """§H.4/§H.5: attached, inline and instance profiles each block DeleteRole."""
    store.roles.create_role("r", trust({"Service": "ec2.amazonaws.com"}))
    store.policies.attach_policy("role", "r", S3_RO)
    with pytest.raises(DeleteConflictError, match=r"Cannot delete entity, must detach all policies first\.$"):
        store.roles.delete_role("r")
    store.policies.detach_policy("role", "r", S3_RO)
    store.policies.put_inline_policy("role", "r", "inline", POLICY)
    with pytest.raises(DeleteConflictError) as err:
        store.roles.delete_role("r")
    assert err.value.message == "Cannot delete entity, must delete policies first."
    store.policies.delete_inline_policy("role", "r", "inline")
    store.instance_profiles.create_instance_profile("ip")
    store.instance_profiles.add_role_to_instance_profile("ip", "r")
    with pytest.raises(DeleteConflictError):
        store.roles.delete_role("r")
    with pytest.raises(DeleteConflictError):
        store.instance_profiles.delete_instance_profile("ip")
    store.instance_profiles.remove_role_from_instance_profile("ip", "r")
    store.roles.delete_role("r")
    store.instance_profiles.delete_instance_profile("ip")


def test_instance_profile_holds_one_role_h5(store: AccountStore) -> None:
    """§H.5: a second role is LimitExceeded."""
    store.instance_profiles.create_instance_profile("ip")
    for name in ("a", "b"):
        store.roles.create_role(name, trust({"Service": "ec2.amazonaws.com"}))
    store.instance_profiles.add_role_to_instance_profile("ip", "a")
    with pytest.raises(LimitExceededError):
        store.instance_profiles.add_role_to_instance_profile("ip", "b")


def test_policy_versions_h5(store: AccountStore) -> None:
    """§H.5: at most 5 versions, default undeletable, ids never reused."""
    policy = store.policies.create_policy("p", POLICY)
    for _ in range(4):
        store.policies.create_policy_version(policy.arn, POLICY)
    with pytest.raises(LimitExceededError) as err:
        store.policies.create_policy_version(policy.arn, POLICY)
    assert err.value.message.startswith("A managed policy can have up to 5 versions.")
    with pytest.raises(DeleteConflictError):
        store.policies.delete_policy_version(policy.arn, "v1")
    store.policies.delete_policy_version(policy.arn, "v3")
    assert store.policies.create_policy_version(policy.arn, POLICY, set_as_default=True).version_id == "v6"
    assert store.policies.get_policy(policy.arn).default_version_id == "v6"


def test_delete_policy_conflicts_h5(store: AccountStore) -> None:
    """§H.4/§H.5: attached, boundary use and extra versions block DeletePolicy."""
    policy = store.policies.create_policy("p", POLICY)
    store.users.create_user("u")
    store.policies.attach_policy("user", "u", policy.arn)
    with pytest.raises(DeleteConflictError, match=r"Cannot delete a policy attached to entities\."):
        store.policies.delete_policy(policy.arn)
    store.policies.detach_policy("user", "u", policy.arn)
    store.users.put_user_permissions_boundary("u", policy.arn)
    with pytest.raises(DeleteConflictError):
        store.policies.delete_policy(policy.arn)
    store.users.delete_user_permissions_boundary("u")
    store.policies.create_policy_version(policy.arn, POLICY)
    with pytest.raises(DeleteConflictError, match="more than one version"):
        store.policies.delete_policy(policy.arn)
    store.policies.delete_policy_version(policy.arn, "v2")
    store.policies.delete_policy(policy.arn)


def test_attachment_quota_h3(store: AccountStore) -> None:
    """§H.3 (observed): "Cannot exceed quota for PoliciesPerRole: 10"."""
    store.roles.create_role("r", trust({"Service": "ec2.amazonaws.com"}))
    for i in range(10):
        store.policies.attach_policy("role", "r", store.policies.create_policy(f"p{i}", POLICY).arn)
    extra = store.policies.create_policy("p10", POLICY)
    with pytest.raises(LimitExceededError) as err:
        store.policies.attach_policy("role", "r", extra.arn)
    assert err.value.message == "Cannot exceed quota for PoliciesPerRole: 10"


def test_inline_aggregate_size_ignores_whitespace_h3(store: AccountStore) -> None:
    """§H.3: users have 2,048 non-whitespace characters of inline policy in total."""
    store.users.create_user("u")
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "b" * 1900}
    store.policies.put_inline_policy("user", "u", "big", {"Version": "2012-10-17", "Statement": [statement]})
    with pytest.raises(LimitExceededError, match="Maximum policy size of 2048 bytes exceeded for user u"):
        store.policies.put_inline_policy("user", "u", "more", {"Version": "2012-10-17", "Statement": [statement]})
    assert store.policies.list_inline_policies("user", "u") == ("big",)


def test_access_keys_at_most_two_and_user_delete_conflicts_h5(store: AccountStore) -> None:
    """§H.3/§H.5: two keys per user; keys and groups block DeleteUser."""
    store.users.create_user("u")
    first = store.keys.create_access_key("u")
    store.keys.create_access_key("u")
    with pytest.raises(LimitExceededError, match="AccessKeysPerUser: 2"):
        store.keys.create_access_key("u")
    with pytest.raises(DeleteConflictError, match="access keys"):
        store.users.delete_user("u")
    for key in store.keys.list_access_keys("u"):
        store.keys.delete_access_key("u", key.access_key_id)
    store.groups.create_group("g")
    store.groups.add_user_to_group("g", "u")
    with pytest.raises(DeleteConflictError):
        store.groups.delete_group("g")
    with pytest.raises(DeleteConflictError):
        store.users.delete_user("u")
    store.groups.remove_user_from_group("g", "u")
    store.users.delete_user("u")
    assert store.keys.find_access_key(first.access_key_id) is None


def test_failed_call_changes_nothing_and_generation_counts_writes(store: AccountStore) -> None:
    """A failed call changes nothing; every successful write bumps the generation."""
    before = store.generation
    store.users.create_user("u")
    assert store.generation == before + 1
    state = store.state()
    with pytest.raises(ValidationError):
        store.users.create_user("bad name")
    with pytest.raises(NoSuchEntityError):
        store.policies.attach_policy("user", "u", "arn:aws:iam::aws:policy/NoSuchPolicyAnywhere")
    assert store.state() == state


def test_tags_overwrite_and_limit_h5(store: AccountStore) -> None:
    """§H.5/§H.2: TagRole overwrites; at most 50 tags."""
    store.roles.create_role("r", trust({"Service": "ec2.amazonaws.com"}), tags={"Team": "a"})
    store.roles.tag_role("r", {"team": "b"})
    assert store.roles.get_role("r").tags == (("team", "b"),)
    with pytest.raises(LimitExceededError):
        store.roles.tag_role("r", {f"k{i}": "v" for i in range(50)})
