"""The state added for renames, login profiles, the password policy, SAML providers and resource tags:
failed calls change nothing, and snapshots round-trip byte-identically (§H, snapshots)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from iamsim import TestSamlIdentityProvider
from iamsim._clock import ManualClock
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._store.codec import decode
from iamsim._store.records import LoginProfile, MfaDevice, User
from iamsim.errors import (
    DeleteConflictError,
    EntityAlreadyExistsError,
    InvalidAuthenticationCodeError,
    InvalidInputError,
    LimitExceededError,
    NoSuchEntityError,
    PasswordPolicyViolationError,
    ServiceError,
    SnapshotFormatError,
    ValidationError,
)

ACCOUNT = "123456789012"
STRONG = "Corr3ct-Horse!"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
# IAM refuses metadata without a signing certificate (§G.3), so a real IdP's metadata is used.
METADATA = TestSamlIdentityProvider("https://idp.example.com").metadata()


def world_state(sim: Simulator) -> dict[str, Any]:
    """The snapshot without the event log (failures are logged on purpose)."""
    state: dict[str, Any] = json.loads(sim.to_json())
    del state["events"]
    return state


def furnish(sim: Simulator) -> None:
    """A world holding one of every new kind of state."""
    alice = sim.create_user("alice")
    sim.create_user("bob")
    sim.create_group("devs")
    sim.add_user_to_group("devs", "alice")
    sim.create_login_profile("alice", STRONG, password_reset_required=True)
    sim.create_role(
        "trusting",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": alice.arn}, "Action": "sts:AssumeRole"}],
        },
    )
    policy = sim.create_policy("p", READ, tags={"a": "1"})
    sim.tag_resource("policy", policy.arn, {"b": "2"})
    sim.create_instance_profile("ip")
    sim.tag_resource("instance-profile", "ip", {"c": "3"})
    device = sim.create_virtual_mfa_device("phone")
    sim.tag_resource("mfa", device.serial_number, {"d": "4"})
    sim.create_saml_provider("corp", METADATA, tags={"e": "5"})
    sim.update_account_password_policy(minimum_password_length=10, require_symbols=True, max_password_age=30)


def failing_calls(sim: Simulator) -> list[tuple[str, Callable[[], object], type[ServiceError]]]:
    saml = f"arn:aws:iam::{ACCOUNT}:saml-provider/corp"
    serial = f"arn:aws:iam::{ACCOUNT}:mfa/phone"
    policy = f"arn:aws:iam::{ACCOUNT}:policy/p"
    return [
        ("UpdateUser onto bob", lambda: sim.update_user("alice", new_user_name="BOB"), EntityAlreadyExistsError),
        ("UpdateUser bad path", lambda: sim.update_user("alice", new_path="no-slash"), ValidationError),
        ("UpdateGroup missing", lambda: sim.update_group("ghost", new_group_name="x"), NoSuchEntityError),
        ("CreateLoginProfile twice", lambda: sim.create_login_profile("alice", STRONG), EntityAlreadyExistsError),
        ("CreateLoginProfile weak", lambda: sim.create_login_profile("bob", "short!"), PasswordPolicyViolationError),
        (
            "UpdateLoginProfile weak",
            lambda: sim.update_login_profile("alice", password="x"),
            PasswordPolicyViolationError,
        ),
        ("DeleteLoginProfile none", lambda: sim.delete_login_profile("bob"), NoSuchEntityError),
        ("DeleteUser login profile", lambda: sim.delete_user("alice"), DeleteConflictError),
        (
            "UpdateAccountPasswordPolicy bad",
            lambda: sim.update_account_password_policy(minimum_password_length=2),
            ValidationError,
        ),
        (
            "TagPolicy too many",
            lambda: sim.tag_resource("policy", policy, {f"k{n}": "v" for n in range(49)}),
            LimitExceededError,
        ),
        ("TagMFADevice missing", lambda: sim.tag_resource("mfa", serial + "x", {"k": "v"}), NoSuchEntityError),
        ("CreateSAMLProvider twice", lambda: sim.create_saml_provider("corp", METADATA), EntityAlreadyExistsError),
        ("CreateSAMLProvider bad XML", lambda: sim.create_saml_provider("x", "<" * 1000), InvalidInputError),
        ("UpdateSAMLProvider bad XML", lambda: sim.update_saml_provider(saml, "<a>" * 400), InvalidInputError),
        ("ResyncMFADevice unassigned", lambda: sim.resync_mfa_device("alice", serial, "1", "2"), NoSuchEntityError),
    ]


SAMPLE = 15


@pytest.mark.parametrize("index", range(SAMPLE))
def test_a_failed_call_changes_nothing_h(index: int) -> None:
    """§H: each failing call of the new operations leaves the world exactly as it was."""
    sim = Simulator(seed=5, clock=ManualClock())
    furnish(sim)
    name, call, error = failing_calls(sim)[index]
    before = world_state(sim)
    with pytest.raises(error):
        call()
    assert world_state(sim) == before, name


def test_failing_calls_cover_the_sample() -> None:
    """The parametrised sample above covers every listed failing call."""
    assert len(failing_calls(Simulator())) == SAMPLE


def test_wrong_resync_codes_change_nothing_h() -> None:
    """ResyncMFADevice with codes that are not the device's: InvalidAuthenticationCode, nothing changed."""
    sim = Simulator(seed=5, clock=ManualClock())
    furnish(sim)
    serial = f"arn:aws:iam::{ACCOUNT}:mfa/phone"
    now = sim.clock.now()
    sim.enable_mfa_device("bob", serial, sim.mfa_code(serial, at=now), sim.mfa_code(serial, at=now.replace(second=30)))
    before = world_state(sim)
    with pytest.raises(InvalidAuthenticationCodeError):
        sim.resync_mfa_device("bob", serial, "000000", "000000")
    assert world_state(sim) == before


def test_snapshot_round_trip_is_byte_identical_with_the_new_state() -> None:
    """snapshot -> restore -> snapshot is byte-identical, the new state included, and survives renames."""
    sim = Simulator(seed=5, clock=ManualClock())
    furnish(sim)
    sim.update_user("alice", new_user_name="alicia", new_path="/staff/")
    sim.update_group("devs", new_group_name="developers")
    first = sim.to_json()
    state = json.loads(first)["accounts"][0]
    assert [p["name"] for p in state["saml_providers"]] == ["corp"]
    assert state["password_policy"][0]["minimum_password_length"] == 10
    assert STRONG not in first  # only a salted hash of the password is kept
    restored = Simulator.from_json(first, clock=ManualClock())
    assert restored.to_json() == first
    user, profile = restored.get_login_profile("alicia")
    assert (user.groups, profile.password_reset_required) == (("developers",), True)
    assert core_of(restored).store(ACCOUNT).users.password_matches("alicia", STRONG)
    assert restored.get_saml_provider(f"arn:aws:iam::{ACCOUNT}:saml-provider/corp").tags == (("e", "5"),)


def test_snapshots_written_before_the_new_state_still_load() -> None:
    """An account without the new keys, and records without the new members, load with their defaults."""
    sim = Simulator(seed=5, clock=ManualClock())
    sim.create_user("old")
    sim.create_virtual_mfa_device("phone")
    state = json.loads(sim.to_json())
    account = state["accounts"][0]
    del account["saml_providers"], account["password_policy"]
    del account["users"][0]["login_profile"], account["mfa_devices"][0]["tags"]
    restored = Simulator.from_json(json.dumps(state), clock=ManualClock())
    assert restored.get_user("old").login_profile is None
    assert restored.list_saml_providers() == ()
    assert restored.list_virtual_mfa_devices()[0].tags == ()


def test_codec_defaults_only_members_that_have_one() -> None:
    """A record member with no default must be present in the snapshot."""
    assert decode(LoginProfile, {"create_date": "2026-01-01T00:00:00Z", "password_hash": "h"}) == LoginProfile(
        "2026-01-01T00:00:00Z", "h"
    )
    with pytest.raises(SnapshotFormatError, match="password_hash"):
        decode(LoginProfile, {"create_date": "2026-01-01T00:00:00Z"})
    assert decode(MfaDevice, {"serial_number": "s", "seed_base32": "X", "create_date": "d"}).tags == ()
    assert decode(User, {"name": "n", "user_id": "i", "arn": "a", "path": "/", "create_date": "d"}).groups == ()


def test_rename_keeps_keys_mfa_and_trust_bindings_h5() -> None:
    """§H.5/§A.3: after UpdateUser the keys, MFA devices and trust bindings name the renamed user."""
    sim = Simulator(seed=5, clock=ManualClock())
    furnish(sim)
    key = sim.create_access_key("alice")
    serial = f"arn:aws:iam::{ACCOUNT}:mfa/phone"
    now = sim.clock.now()
    sim.enable_mfa_device(
        "alice", serial, sim.mfa_code(serial, at=now), sim.mfa_code(serial, at=now.replace(second=30))
    )
    renamed = sim.update_user("alice", new_user_name="alicia")
    assert sim.list_access_keys("alicia") == (core_of(sim).store(ACCOUNT).keys.find_access_key(key.access_key_id),)
    assert sim.list_virtual_mfa_devices(assignment_status="Assigned")[0].user_name == "alicia"
    binding = sim.get_role("trusting").trust_bindings[0]
    assert (binding.arn, binding.unique_id) == (renamed.arn, renamed.user_id)
    assert renamed.arn in sim.get_role("trusting").trust_policy
