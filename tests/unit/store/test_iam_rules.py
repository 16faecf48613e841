"""IAM through the simulator, rule by rule: names, quotas, DeleteConflict, atomic failures (spec §H, §A.3, §A.4)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from iamsim._clock import ManualClock
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim.errors import (
    DeleteConflictError,
    EntityAlreadyExistsError,
    InvalidInputError,
    LimitExceededError,
    MalformedPolicyDocumentError,
    NoSuchEntityError,
    ServiceError,
    ValidationError,
)

ACCOUNT = "123456789012"
S3_RO = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def policy(resource: str = "*", action: str = "s3:GetObject") -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}


def sized(unspaced: int) -> str:
    """A policy document of exactly ``unspaced`` non-whitespace characters (plus some ignored spaces)."""
    head = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "'
    tail = '"}]}'
    fixed = sum(1 for ch in head + tail if not ch.isspace())
    return head + "arn:aws:s3:::" + "b" * (unspaced - fixed - len("arn:aws:s3:::")) + tail


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=3, clock=ManualClock())


def world_state(sim: Simulator) -> dict[str, Any]:
    """The snapshot without the event log (a failed call is logged, as AWS logs it in CloudTrail)."""
    state: dict[str, Any] = json.loads(sim.to_json())
    del state["events"]
    return state


# --------------------------------------------------------------------- §H.2 names


CREATORS: dict[str, tuple[str, int, Callable[[Simulator, str], object]]] = {
    "user": ("userName", 64, lambda s, n: s.create_user(n)),
    "group": ("groupName", 128, lambda s, n: s.create_group(n)),
    "role": ("roleName", 64, lambda s, n: s.create_role(n, EC2_TRUST)),
    "policy": ("policyName", 128, lambda s, n: s.create_policy(n, policy())),
    "instance-profile": ("instanceProfileName", 128, lambda s, n: s.create_instance_profile(n)),
}


@pytest.mark.parametrize("kind", CREATORS)
def test_name_length_limits_h2(sim: Simulator, kind: str) -> None:
    """§H.2: user/role names up to 64, group/policy/instance-profile names up to 128; 1 at least."""
    member, limit, create = CREATORS[kind]
    create(sim, "n" * limit)
    with pytest.raises(ValidationError) as err:
        create(sim, "m" * (limit + 1))
    assert err.value.message == (
        f"1 validation error detected: Value '{'m' * (limit + 1)}' at '{member}' failed to satisfy constraint: "
        f"Member must have length less than or equal to {limit}"
    )
    with pytest.raises(ValidationError, match="Member must have length greater than or equal to 1"):
        create(sim, "")


@pytest.mark.parametrize("kind", CREATORS)
@pytest.mark.parametrize("bad", ["a b", "a/b", "a*b", "é", "a:b"])
def test_name_pattern_h2(sim: Simulator, kind: str, bad: str) -> None:
    """§H.2: names are alphanumerics plus +=,.@_- (``[\\w+=,.@-]+``)."""
    member, _, create = CREATORS[kind]
    with pytest.raises(ValidationError) as err:
        create(sim, bad)
    assert err.value.message == (
        f"1 validation error detected: Value '{bad}' at '{member}' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w+=,.@-]+"
    )


@pytest.mark.parametrize("kind", CREATORS)
def test_every_allowed_name_character_h2(sim: Simulator, kind: str) -> None:
    """§H.2: every character of ``+=,.@_-`` and alphanumerics is accepted."""
    CREATORS[kind][2](sim, "Az09+=,.@_-")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("user", "User with name ADMINS already exists."),
        ("group", "Group with name ADMINS already exists."),
        ("role", "Role with name ADMINS already exists."),
        ("policy", "A policy called ADMINS already exists. Duplicate names are not allowed."),
        ("instance-profile", "Instance Profile ADMINS already exists."),
    ],
)
def test_names_unique_case_insensitively_per_entity_h2(sim: Simulator, kind: str, message: str) -> None:
    """§H.2/§H.4: ``ADMINS`` collides with ``admins`` for every entity type (EntityAlreadyExists, 409)."""
    create = CREATORS[kind][2]
    create(sim, "admins")
    with pytest.raises(EntityAlreadyExistsError) as err:
        create(sim, "ADMINS")
    assert (err.value.code, err.value.message) == ("EntityAlreadyExists", message)
    assert err.value.status == 409


def test_same_name_in_two_accounts_is_fine_h2(sim: Simulator) -> None:
    """§H.2: uniqueness is per account."""
    sim.add_account("111122223333")
    sim.create_user("alice")
    assert sim.create_user("alice", account_id="111122223333").arn == "arn:aws:iam::111122223333:user/alice"


def test_lookups_are_case_insensitive_but_arns_keep_case_h2(sim: Simulator) -> None:
    """§H.2/§B.2: ``Alice`` is found as ``alice``; its ARN keeps the case it was created with."""
    sim.create_user("Alice", path="/team/")
    assert sim.get_user("alice").arn == f"arn:aws:iam::{ACCOUNT}:user/team/Alice"


@pytest.mark.parametrize("path", ["nopath", "/no-trailing", "no-leading/", "/" + "a" * 511 + "/"])
def test_paths_h2(sim: Simulator, path: str) -> None:
    """§H.2: a path is ``/`` or ``/.../``, at most 512 characters."""
    with pytest.raises(ValidationError, match="at 'path' failed to satisfy constraint"):
        sim.create_role("R", EC2_TRUST, path=path)


def test_policy_path_cannot_hold_a_wildcard_h2(sim: Simulator) -> None:
    """§H.2: policy paths follow ``((/[A-Za-z0-9\\.,\\+@=_-]+)*)/`` (no ``*``)."""
    with pytest.raises(ValidationError, match=r"Member must satisfy regular expression pattern: \(\(/"):
        sim.create_policy("p", policy(), path="/a*/")
    assert sim.create_policy("p", policy(), path="/a/b/").arn == f"arn:aws:iam::{ACCOUNT}:policy/a/b/p"


def test_description_limit_h2(sim: Simulator) -> None:
    """§H.2: role description at most 1000 characters."""
    sim.create_role("R", EC2_TRUST, description="d" * 1000)
    with pytest.raises(ValidationError, match="Member must have length less than or equal to 1000"):
        sim.create_role("S", EC2_TRUST, description="d" * 1001)


def test_tags_h2(sim: Simulator) -> None:
    """§H.2: 50 tags at most; keys unique case-insensitively; key ≤128, value ≤256."""
    sim.create_user("u", tags={f"k{i}": "v" for i in range(50)})
    with pytest.raises(LimitExceededError, match=r"The number of tags has reached the maximum limit\."):
        sim.create_user("v", tags={f"k{i}": "v" for i in range(51)})
    with pytest.raises(InvalidInputError, match="Tag keys are case insensitive"):
        sim.create_user("w", tags=[("Team", "a"), ("team", "b")])
    with pytest.raises(ValidationError, match=r"at 'tags\.member\.key'"):
        sim.create_user("x", tags={"k" * 129: "v"})
    with pytest.raises(ValidationError, match=r"at 'tags\.member\.value'"):
        sim.create_user("y", tags={"k": "v" * 257})


def test_missing_entities_h4(sim: Simulator) -> None:
    """§H.4: NoSuchEntity (404) with AWS's wording for each kind."""
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: sim.get_user("nobody"), "The user with name nobody cannot be found."),
        (lambda: sim.get_group("nobody"), "The group with name nobody cannot be found."),
        (lambda: sim.get_role("nobody"), "The role with name nobody cannot be found."),
        (lambda: sim.get_instance_profile("nobody"), "Instance Profile nobody cannot be found."),
        (
            lambda: sim.get_policy(f"arn:aws:iam::{ACCOUNT}:policy/nobody"),
            f"Policy arn:aws:iam::{ACCOUNT}:policy/nobody was not found.",
        ),
    ]
    for call, message in cases:
        with pytest.raises(NoSuchEntityError) as err:
            call()
        assert (err.value.message, err.value.status) == (message, 404)


# -------------------------------------------------------------------- §H.3 quotas


def test_access_keys_per_user_h3(sim: Simulator) -> None:
    """§H.3: two access keys per user; a third is LimitExceeded ``AccessKeysPerUser: 2``."""
    sim.create_user("u")
    sim.create_access_key("u")
    sim.create_access_key("u")
    with pytest.raises(LimitExceededError) as err:
        sim.create_access_key("u")
    assert err.value.message == "Cannot exceed quota for AccessKeysPerUser: 2"


def test_groups_per_user_h3(sim: Simulator) -> None:
    """§H.3: a user is in at most 10 groups."""
    sim.create_user("u")
    for n in range(11):
        sim.create_group(f"g{n}")
    for n in range(10):
        sim.add_user_to_group(f"g{n}", "u")
    with pytest.raises(LimitExceededError) as err:
        sim.add_user_to_group("g10", "u")
    assert err.value.message == "Cannot exceed quota for GroupsPerUser: 10"


@pytest.mark.parametrize(
    ("kind", "quota"), [("user", "PoliciesPerUser"), ("group", "PoliciesPerGroup"), ("role", "PoliciesPerRole")]
)
def test_managed_policies_attached_per_entity_h3(sim: Simulator, kind: str, quota: str) -> None:
    """§H.3 (observed ``Cannot exceed quota for PoliciesPerRole: 10``): 10 managed policies per user/group/role."""
    create: dict[str, Callable[[], object]] = {
        "user": lambda: sim.create_user("e"),
        "group": lambda: sim.create_group("e"),
        "role": lambda: sim.create_role("e", EC2_TRUST),
    }
    attach = {"user": sim.attach_user_policy, "group": sim.attach_group_policy, "role": sim.attach_role_policy}
    create[kind]()
    arns = [sim.create_policy(f"p{n}", policy()).arn for n in range(11)]
    for arn in arns[:10]:
        attach[kind]("e", arn)
    attach[kind]("e", arns[0])  # attaching again is a no-op, not an 11th
    with pytest.raises(LimitExceededError) as err:
        attach[kind]("e", arns[10])
    assert err.value.message == f"Cannot exceed quota for {quota}: 10"


def test_policy_versions_at_most_five_h3(sim: Simulator) -> None:
    """§H.3/§H.4 (observed message): a sixth version is LimitExceeded; ids are never reused."""
    arn = sim.create_policy("p", policy()).arn
    for _ in range(4):
        sim.create_policy_version(arn, policy("arn:aws:s3:::x/*"))
    with pytest.raises(LimitExceededError) as err:
        sim.create_policy_version(arn, policy())
    assert err.value.message == (
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an "
        "existing version."
    )
    sim.delete_policy_version(arn, "v3")
    assert sim.create_policy_version(arn, policy()).version_id == "v6"
    # ListPolicyVersions answers the newest first, as the wire always did (§H.5).
    assert [v.version_id for v in sim.list_policy_versions(arn)] == ["v6", "v5", "v4", "v2", "v1"]


@pytest.mark.parametrize(("kind", "limit"), [("user", 2048), ("group", 5120), ("role", 10240)])
def test_inline_policy_aggregate_size_h3(sim: Simulator, kind: str, limit: int) -> None:
    """§H.3: inline policies of one entity together, whitespace not counted: user 2,048, group 5,120, role 10,240."""
    create: dict[str, Callable[[], object]] = {
        "user": lambda: sim.create_user("e"),
        "group": lambda: sim.create_group("e"),
        "role": lambda: sim.create_role("e", EC2_TRUST),
    }
    put = {"user": sim.put_user_policy, "group": sim.put_group_policy, "role": sim.put_role_policy}
    create[kind]()
    half = limit // 2
    put[kind]("e", "a", sized(half))
    put[kind]("e", "b", sized(limit - half))  # exactly at the limit
    put[kind]("e", "b", sized(limit - half))  # replacing a policy does not count it twice
    with pytest.raises(LimitExceededError) as err:
        put[kind]("e", "c", sized(100))
    assert err.value.message == f"Maximum policy size of {limit} bytes exceeded for {kind} e"
    assert err.value.status == 409


def test_managed_policy_size_h3(sim: Simulator) -> None:
    """§H.3 (observed): 6,144 characters without whitespace; more is ``Cannot exceed quota for PolicySize: 6144``."""
    arn = sim.create_policy("p", sized(6144)).arn
    with pytest.raises(LimitExceededError) as err:
        sim.create_policy("q", sized(6145))
    assert err.value.message == "Cannot exceed quota for PolicySize: 6144"
    with pytest.raises(LimitExceededError, match="PolicySize: 6144"):
        sim.create_policy_version(arn, sized(6145))


def test_trust_policy_size_h3(sim: Simulator) -> None:
    """§H.3: a role trust policy is at most 2,048 characters by default (``ACLSizePerRole``)."""
    services = [f"s{n:03d}.amazonaws.com" for n in range(120)]
    big = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": services}, "Action": "sts:AssumeRole"}],
    }
    assert len(json.dumps(big)) > 2048
    with pytest.raises(LimitExceededError) as err:
        sim.create_role("R", big)
    assert err.value.message == "Cannot exceed quota for ACLSizePerRole: 2048"
    sim.create_role("R", EC2_TRUST)
    with pytest.raises(LimitExceededError, match="ACLSizePerRole"):
        sim.update_assume_role_policy("R", big)


def test_instance_profile_holds_one_role_h3(sim: Simulator) -> None:
    """§H.3/§H.5: roles per instance profile is 1 (fixed)."""
    sim.create_role("A", EC2_TRUST)
    sim.create_role("B", EC2_TRUST)
    sim.create_instance_profile("ip")
    sim.add_role_to_instance_profile("ip", "A")
    with pytest.raises(LimitExceededError, match="Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"):
        sim.add_role_to_instance_profile("ip", "B")


def test_max_session_duration_range_h5(sim: Simulator) -> None:
    """§H.5: MaxSessionDuration 3600..43200 on CreateRole and UpdateRole."""
    sim.create_role("R", EC2_TRUST, max_session_duration=43200)
    with pytest.raises(ValidationError, match="Member must have value greater than or equal to 3600"):
        sim.update_role("R", max_session_duration=3599)
    with pytest.raises(ValidationError, match="Member must have value less than or equal to 43200"):
        sim.create_role("S", EC2_TRUST, max_session_duration=43201)


# ------------------------------------------------------------ §H.5 DeleteConflict


def conflict(call: Callable[[], object], message: str) -> None:
    with pytest.raises(DeleteConflictError) as err:
        call()
    assert (err.value.code, err.value.message, err.value.status) == ("DeleteConflict", message, 409)


def test_delete_role_conflicts_h5(sim: Simulator) -> None:
    """§H.5: a role with inline policies, managed policies or an instance profile cannot be deleted."""
    sim.create_role("R", EC2_TRUST)
    sim.put_role_policy("R", "inline", policy())
    conflict(lambda: sim.delete_role("R"), "Cannot delete entity, must delete policies first.")
    sim.delete_role_policy("R", "inline")
    sim.attach_role_policy("R", S3_RO)
    conflict(lambda: sim.delete_role("R"), "Cannot delete entity, must detach all policies first.")
    sim.detach_role_policy("R", S3_RO)
    sim.create_instance_profile("ip")
    sim.add_role_to_instance_profile("ip", "R")
    conflict(lambda: sim.delete_role("R"), "Cannot delete entity, must remove roles from instance profile first.")
    sim.remove_role_from_instance_profile("ip", "R")
    sim.delete_role("R")
    with pytest.raises(NoSuchEntityError):
        sim.get_role("R")


def test_delete_user_conflicts_h5(sim: Simulator) -> None:
    """§H.5: a user with access keys, MFA devices, groups, inline or managed policies cannot be deleted."""
    sim.create_user("u")
    sim.create_group("g")
    key = sim.create_access_key("u")
    conflict(lambda: sim.delete_user("u"), "Cannot delete entity, must delete access keys first.")
    sim.delete_access_key("u", key.access_key_id)
    device = sim.create_virtual_mfa_device("u-phone")
    first = sim.mfa_code(device.serial_number)
    sim.clock.advance(30)  # type: ignore[attr-defined]
    sim.enable_mfa_device("u", device.serial_number, first, sim.mfa_code(device.serial_number))
    conflict(lambda: sim.delete_user("u"), "Cannot delete entity, must delete MFA device first.")
    sim.deactivate_mfa_device("u", device.serial_number)
    sim.put_user_policy("u", "inline", policy())
    conflict(lambda: sim.delete_user("u"), "Cannot delete entity, must delete policies first.")
    sim.delete_user_policy("u", "inline")
    sim.attach_user_policy("u", S3_RO)
    conflict(lambda: sim.delete_user("u"), "Cannot delete entity, must detach all policies first.")
    sim.detach_user_policy("u", S3_RO)
    sim.add_user_to_group("g", "u")
    conflict(lambda: sim.delete_user("u"), "Cannot delete entity, must remove users from group first.")
    sim.remove_user_from_group("g", "u")
    sim.delete_user("u")


def test_delete_group_conflicts_h5(sim: Simulator) -> None:
    """§H.5: a group with users, inline or managed policies cannot be deleted."""
    sim.create_group("g")
    sim.create_user("u")
    sim.add_user_to_group("g", "u")
    conflict(lambda: sim.delete_group("g"), "Cannot delete entity, must remove users from group first.")
    sim.remove_user_from_group("g", "u")
    sim.put_group_policy("g", "inline", policy())
    conflict(lambda: sim.delete_group("g"), "Cannot delete entity, must delete policies first.")
    sim.delete_group_policy("g", "inline")
    sim.attach_group_policy("g", S3_RO)
    conflict(lambda: sim.delete_group("g"), "Cannot delete entity, must detach all policies first.")
    sim.detach_group_policy("g", S3_RO)
    sim.delete_group("g")


@pytest.mark.parametrize("holder", ["user", "group", "role"])
def test_delete_policy_attached_h5(sim: Simulator, holder: str) -> None:
    """§H.5/§H.4 (observed): a policy attached to a user, group or role cannot be deleted."""
    arn = sim.create_policy("p", policy()).arn
    sim.create_user("u")
    sim.create_group("g")
    sim.create_role("r", EC2_TRUST)
    attach = {"user": sim.attach_user_policy, "group": sim.attach_group_policy, "role": sim.attach_role_policy}
    detach = {"user": sim.detach_user_policy, "group": sim.detach_group_policy, "role": sim.detach_role_policy}
    name = holder[0]
    attach[holder](name, arn)
    conflict(lambda: sim.delete_policy(arn), "Cannot delete a policy attached to entities.")
    detach[holder](name, arn)
    sim.delete_policy(arn)


@pytest.mark.parametrize("holder", ["user", "role"])
def test_delete_policy_used_as_boundary_h5(sim: Simulator, holder: str) -> None:
    """§H.5 (observed): a policy still used as a permissions boundary blocks DeletePolicy."""
    arn = sim.create_policy("b", policy()).arn
    if holder == "user":
        sim.create_user("e", permissions_boundary=arn)
        conflict(lambda: sim.delete_policy(arn), "Cannot delete a policy attached to entities.")
        sim.delete_user_permissions_boundary("e")
    else:
        sim.create_role("e", EC2_TRUST)
        sim.put_role_permissions_boundary("e", arn)
        conflict(lambda: sim.delete_policy(arn), "Cannot delete a policy attached to entities.")
        sim.delete_role_permissions_boundary("e")
    sim.delete_policy(arn)


def test_delete_policy_with_versions_and_default_version_h5(sim: Simulator) -> None:
    """§H.5: non-default versions block DeletePolicy; the default version cannot be deleted."""
    arn = sim.create_policy("p", policy()).arn
    sim.create_policy_version(arn, policy("arn:aws:s3:::x/*"), set_as_default=True)
    conflict(lambda: sim.delete_policy_version(arn, "v2"), "Cannot delete the default version of a policy.")
    conflict(
        lambda: sim.delete_policy(arn),
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. "
        "The default version is deleted with the policy.",
    )
    sim.delete_policy_version(arn, "v1")
    sim.delete_policy(arn)


def test_delete_instance_profile_with_role_h5(sim: Simulator) -> None:
    """§H.5: an instance profile that still holds a role cannot be deleted."""
    sim.create_role("R", EC2_TRUST)
    sim.create_instance_profile("ip")
    sim.add_role_to_instance_profile("ip", "R")
    conflict(
        lambda: sim.delete_instance_profile("ip"),
        "Cannot delete entity, must remove roles from instance profile first.",
    )
    sim.remove_role_from_instance_profile("ip", "R")
    sim.delete_instance_profile("ip")


def test_set_default_version_changes_every_attachment_h5(sim: Simulator) -> None:
    """§H.5: SetDefaultPolicyVersion changes what every holder of the policy may do, at once."""
    arn = sim.create_policy("p", policy("arn:aws:s3:::a/*")).arn
    sim.create_user("u")
    sim.attach_user_policy("u", arn)
    sim.create_policy_version(arn, policy("arn:aws:s3:::b/*"))
    principal = sim.get_user("u")
    who = sim.get_user("u").arn
    assert principal.arn == who
    from iamsim._engine.request import Principal

    caller = Principal.from_arn(who)
    assert sim.is_allowed(caller, "s3:GetObject", "arn:aws:s3:::a/k")
    sim.set_default_policy_version(arn, "v2")
    assert not sim.is_allowed(caller, "s3:GetObject", "arn:aws:s3:::a/k")
    assert sim.is_allowed(caller, "s3:GetObject", "arn:aws:s3:::b/k")


# ------------------------------------------------------ §A.3/§A.4 trust policies


def test_trust_policy_naming_missing_principals_a3(sim: Simulator) -> None:
    """§A.3 (observed): a trust policy naming a user or role that does not exist is MalformedPolicyDocument."""
    for arn in (f"arn:aws:iam::{ACCOUNT}:user/ghost", f"arn:aws:iam::{ACCOUNT}:role/ghost"):
        document = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "sts:AssumeRole"}],
        }
        with pytest.raises(MalformedPolicyDocumentError) as err:
            sim.create_role("R", document)
        assert err.value.message == f'Invalid principal in policy: "AWS":"{arn}"'
        assert err.value.status == 400
    sim.create_role("R", EC2_TRUST)
    with pytest.raises(MalformedPolicyDocumentError, match="Invalid principal in policy"):
        sim.update_assume_role_policy("R", document)


def test_trust_policy_with_path_must_match_the_arn_a3(sim: Simulator) -> None:
    """§A.3: the ARN must be the entity's real ARN (path included)."""
    sim.create_user("u", path="/team/")
    wrong = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/u"}, "Action": "sts:AssumeRole"}
        ],
    }
    with pytest.raises(MalformedPolicyDocumentError):
        sim.create_role("R", wrong)


def test_trust_policy_accepts_accounts_services_and_unknown_accounts_a3(sim: Simulator) -> None:
    """§A.3: account principals, services and principals of accounts the simulator does not hold are accepted."""
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {
                    "AWS": [ACCOUNT, "arn:aws:iam::999988887777:user/someone"],
                    "Service": "ec2.amazonaws.com",
                },
                "Action": "sts:AssumeRole",
            }
        ],
    }
    assert sim.create_role("R", document).trust_bindings == ()


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Resource": "*",
            },
            "Has prohibited field Resource",
        ),
        ({"Effect": "Allow", "Action": "sts:AssumeRole"}, "Missing required field Principal"),
        (
            {"Effect": "Deny", "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"},
            "Has prohibited field NotPrincipal",
        ),
    ],
)
def test_trust_policy_shape_a4(sim: Simulator, statement: dict[str, Any], message: str) -> None:
    """§A.4 (observed): trust policies need Principal and reject Resource and NotPrincipal."""
    with pytest.raises(MalformedPolicyDocumentError) as err:
        sim.create_role("R", {"Version": "2012-10-17", "Statement": [statement]})
    assert err.value.message == message


def test_identity_policy_shape_a4(sim: Simulator) -> None:
    """§A.4 (observed): identity policies forbid Principal and require a resource."""
    with pytest.raises(MalformedPolicyDocumentError, match=r"Policy document should not specify a principal\."):
        sim.create_policy(
            "p",
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}],
            },
        )
    sim.create_user("u")
    with pytest.raises(MalformedPolicyDocumentError, match=r"Policy statement must contain resources\."):
        sim.put_user_policy(
            "u", "p", {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}
        )


def test_unique_id_binding_after_delete_and_recreate_a3(sim: Simulator) -> None:
    """§A.3: a trust policy binds the role it names; a recreated role of that name is not trusted."""
    first = sim.create_role("Caller", EC2_TRUST)
    sim.put_role_policy("Caller", "sts", policy(action="sts:AssumeRole"))
    sim.create_role(
        "Target",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": first.arn}, "Action": "sts:AssumeRole"}],
        },
    )
    target = f"arn:aws:iam::{ACCOUNT}:role/Target"
    from iamsim._engine.request import Principal

    assert core_of(sim).trust_policy(ACCOUNT, "Target").statements[0].principal.aws == (first.arn,)  # type: ignore[union-attr]
    sim.delete_role_policy("Caller", "sts")
    sim.delete_role("Caller")
    second = sim.create_role("Caller", EC2_TRUST)
    assert second.role_id != first.role_id
    # What AWS shows: the old unique id in place of the ARN; it matches nobody.
    rebound = core_of(sim).trust_policy(ACCOUNT, "Target").statements[0].principal.aws  # type: ignore[union-attr]
    assert rebound == (first.role_id,)
    result = sim.explain(Principal.from_arn(second.arn), "sts:AssumeRole", target)
    assert not result.allowed
    # Saving the trust policy again binds the new role.
    sim.update_assume_role_policy(
        "Target",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": second.arn}, "Action": "sts:AssumeRole"}],
        },
    )
    assert sim.get_role("Target").trust_bindings[0].unique_id == second.role_id


# ------------------------------------------------------- a failed call changes nothing


def failing_calls(sim: Simulator) -> list[tuple[str, Callable[[], object], type[ServiceError]]]:
    arn = f"arn:aws:iam::{ACCOUNT}:policy/p"
    ghost_trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/ghost"}, "Action": "sts:AssumeRole"}
        ],
    }
    return [
        ("CreateUser duplicate", lambda: sim.create_user("ALICE"), EntityAlreadyExistsError),
        ("CreateUser bad tags", lambda: sim.create_user("new", tags={"a": "1", "A": "2"}), InvalidInputError),
        ("CreateUser bad boundary", lambda: sim.create_user("new", permissions_boundary=arn + "x"), NoSuchEntityError),
        ("CreateRole ghost principal", lambda: sim.create_role("New", ghost_trust), MalformedPolicyDocumentError),
        ("CreateRole bad duration", lambda: sim.create_role("New", EC2_TRUST, max_session_duration=1), ValidationError),
        (
            "UpdateAssumeRolePolicy",
            lambda: sim.update_assume_role_policy("R", ghost_trust),
            MalformedPolicyDocumentError,
        ),
        ("UpdateRole", lambda: sim.update_role("R", description="ok", max_session_duration=99), ValidationError),
        ("CreateAccessKey quota", lambda: sim.create_access_key("alice"), LimitExceededError),
        ("PutUserPolicy too big", lambda: sim.put_user_policy("alice", "big", sized(2049)), LimitExceededError),
        ("PutRolePolicy malformed", lambda: sim.put_role_policy("R", "bad", "{nope"), MalformedPolicyDocumentError),
        ("AttachRolePolicy quota", lambda: sim.attach_role_policy("R", arn + "-extra"), LimitExceededError),
        ("AttachUserPolicy missing", lambda: sim.attach_user_policy("alice", arn + "x"), NoSuchEntityError),
        ("CreatePolicyVersion quota", lambda: sim.create_policy_version(arn, policy()), LimitExceededError),
        ("DeletePolicy attached", lambda: sim.delete_policy(arn), DeleteConflictError),
        ("DeleteRole conflict", lambda: sim.delete_role("R"), DeleteConflictError),
        ("DeleteUser conflict", lambda: sim.delete_user("alice"), DeleteConflictError),
        ("DeleteGroup conflict", lambda: sim.delete_group("g"), DeleteConflictError),
        ("AddRoleToInstanceProfile", lambda: sim.add_role_to_instance_profile("ip", "S"), LimitExceededError),
        ("TagRole too many", lambda: sim.tag_role("R", {f"k{i}": "v" for i in range(51)}), LimitExceededError),
        ("CreateVirtualMFADevice duplicate", lambda: sim.create_virtual_mfa_device("phone"), EntityAlreadyExistsError),
        (
            "UpdateAccessKey bad status",
            lambda: sim.update_access_key("alice", "AKIAXXXXXXXXXXXXXXXX", "On"),
            ValidationError,
        ),
        ("RunInstances unknown profile", lambda: sim.run_instance(instance_profile="nope"), NoSuchEntityError),
    ]


def _furnish(sim: Simulator) -> None:
    sim.create_user("alice")
    sim.create_group("g")
    sim.add_user_to_group("g", "alice")
    sim.create_access_key("alice")
    sim.create_access_key("alice")
    sim.create_role("R", EC2_TRUST)
    sim.create_role("S", EC2_TRUST)
    arn = sim.create_policy("p", policy()).arn
    for n in range(4):
        sim.create_policy_version(arn, policy(f"arn:aws:s3:::v{n}/*"))
    sim.attach_role_policy("R", arn)
    for n in range(9):
        sim.attach_role_policy("R", sim.create_policy(f"q{n}", policy()).arn)
    sim.create_policy("p-extra", policy())
    sim.create_instance_profile("ip")
    sim.add_role_to_instance_profile("ip", "R")
    sim.create_virtual_mfa_device("phone")


@pytest.mark.parametrize("index", range(22))
def test_a_failed_call_changes_nothing_h(index: int) -> None:
    """§H: every failing call leaves the world (entities, ids to come, generation) exactly as it was."""
    sim = Simulator(seed=7, clock=ManualClock())
    _furnish(sim)
    name, call, error = failing_calls(sim)[index]
    before = world_state(sim)
    with pytest.raises(error):
        call()
    assert world_state(sim) == before, name
    assert sim.events()[-1].outcome == error.code  # the failure itself is logged


def test_failing_calls_cover_the_sample() -> None:
    """The parametrised sample above covers every listed failing call."""
    assert len(failing_calls(Simulator())) == 22
