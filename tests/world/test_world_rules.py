"""The world beyond one account: Organizations levels, EC2 instance roles, snapshots, events, threads (§F.5, §G.1)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from iamsim._clock import ManualClock
from iamsim._engine.request import Principal
from iamsim._simulator import Simulator
from iamsim._store.organization import FULL_AWS_ACCESS, PolicyType
from iamsim._sts.credentials import Credentials
from iamsim.errors import AccessDeniedError, ExpiredTokenError, NoSuchEntityError, SnapshotFormatError

MANAGEMENT = "123456789012"
MEMBER = "111122223333"
OUTSIDER = "999988887777"
ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def document(effect: str, action: str, *, principal: bool = False) -> str:
    statement: dict[str, Any] = {"Effect": effect, "Action": action, "Resource": "*"}
    if principal:
        statement["Principal"] = "*"
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def admin(sim: Simulator, account: str, name: str = "admin") -> Principal:
    sim.create_user(name, account_id=account)
    sim.put_user_policy(name, "all", ALL, account_id=account)
    return Principal.from_arn(f"arn:aws:iam::{account}:user/{name}")


@pytest.fixture
def org_sim() -> Simulator:
    sim = Simulator(seed=5, clock=ManualClock(), account_id=MANAGEMENT)
    sim.create_organization()
    return sim


# ------------------------------------------------------------------ §F.5 SCP levels


def test_scp_deny_at_an_ou_reaches_accounts_below_it_only_f5(org_sim: Simulator) -> None:
    """§F.5: a Deny attached to an OU denies accounts in it and in nested OUs, not siblings."""
    org = org_sim.organization
    assert org is not None
    workloads = org_sim.create_organizational_unit(org.root_id, "Workloads")
    prod = org_sim.create_organizational_unit(workloads.ou_id, "Prod")
    sandbox = org_sim.create_organizational_unit(org.root_id, "Sandbox")
    org_sim.add_account(MEMBER, parent_id=prod.ou_id)
    org_sim.add_account("444455556666", parent_id=sandbox.ou_id)
    deny = org_sim.create_organization_policy("NoDeletes", document("Deny", "s3:DeleteObject"))
    org_sim.attach_organization_policy(deny.policy_id, workloads.ou_id)
    in_prod = admin(org_sim, MEMBER)
    in_sandbox = admin(org_sim, "444455556666")
    result = org_sim.explain(in_prod, "s3:DeleteObject", "arn:aws:s3:::b/k")
    assert result.decision.value == "explicitDeny"
    assert result.message().endswith("with an explicit deny in a service control policy")
    assert org_sim.is_allowed(in_sandbox, "s3:DeleteObject", "arn:aws:s3:::b/k")
    assert org_sim.is_allowed(in_prod, "s3:GetObject", "arn:aws:s3:::b/k")


def test_missing_allow_at_one_level_denies_f5(org_sim: Simulator) -> None:
    """§F.5/§F.1 step 2: an Allow is needed at every level; a gap at the account level denies (implicitly)."""
    org_sim.add_account(MEMBER)
    only_s3 = org_sim.create_organization_policy("OnlyS3", document("Allow", "s3:*"))
    org_sim.attach_organization_policy(only_s3.policy_id, MEMBER)
    org_sim.detach_organization_policy(FULL_AWS_ACCESS, MEMBER)
    member = admin(org_sim, MEMBER)
    assert org_sim.is_allowed(member, "s3:GetObject", "arn:aws:s3:::b/k")
    result = org_sim.explain(member, "ec2:RunInstances")
    assert result.decision.value == "implicitDeny"
    assert result.denied_by is not None
    assert result.denied_by.value == "scp"


def test_management_account_is_exempt_from_scps_f5(org_sim: Simulator) -> None:
    """§F.5: the management account is never limited by SCPs, not even a missing Allow at the root."""
    org = org_sim.organization
    assert org is not None
    org_sim.add_account(MEMBER)
    only_s3 = org_sim.create_organization_policy("OnlyS3", document("Allow", "s3:*"))
    org_sim.attach_organization_policy(only_s3.policy_id, org.root_id)
    org_sim.detach_organization_policy(FULL_AWS_ACCESS, org.root_id)
    deny_all = org_sim.create_organization_policy("DenyAll", document("Deny", "*"))
    org_sim.attach_organization_policy(deny_all.policy_id, MANAGEMENT)
    manager = admin(org_sim, MANAGEMENT)
    member = admin(org_sim, MEMBER)
    assert org_sim.is_allowed(manager, "ec2:RunInstances")
    assert not org_sim.is_allowed(member, "ec2:RunInstances")


def test_scps_limit_the_member_root_user_f5(org_sim: Simulator) -> None:
    """§F.5/§F.2: SCPs affect the member account's root user too."""
    org_sim.add_account(MEMBER)
    deny = org_sim.create_organization_policy("NoEc2", document("Deny", "ec2:*"))
    org_sim.attach_organization_policy(deny.policy_id, MEMBER)
    root = org_sim.root_credentials(MEMBER)
    assert org_sim.is_allowed(root, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not org_sim.is_allowed(root, "ec2:RunInstances")


def test_scps_do_not_reach_accounts_outside_the_organization_f3() -> None:
    """§F.3: SCPs affect the organization's member accounts only, not other accounts of the world."""
    sim = Simulator(clock=ManualClock(), account_id=MANAGEMENT)
    sim.add_account(OUTSIDER)  # before the organization exists: it stays outside
    org = sim.create_organization()
    sim.add_account(MEMBER)
    deny = sim.create_organization_policy("NoS3", document("Deny", "s3:*"))
    sim.attach_organization_policy(deny.policy_id, org.root_id)
    assert org.accounts() == (MEMBER, MANAGEMENT)
    outsider = admin(sim, OUTSIDER)
    member = admin(sim, MEMBER)
    assert sim.is_allowed(outsider, "s3:GetObject", "arn:aws:s3:::b/k")
    assert not sim.is_allowed(member, "s3:GetObject", "arn:aws:s3:::b/k")
    assert "aws:principalorgid" not in sim.explain(outsider, "s3:GetObject").request.context


def test_rcp_denies_outsiders_on_member_resources_but_not_on_management_ones_f5(org_sim: Simulator) -> None:
    """§F.5/§F.3: RCPs apply to any principal on member-account resources; never to the management account's."""
    org = org_sim.organization
    assert org is not None
    org_sim.add_account(MEMBER)
    rcp = org_sim.create_organization_policy(
        "NoOutsiders", document("Deny", "s3:GetObject", principal=True), policy_type=PolicyType.RCP
    )
    org_sim.attach_organization_policy(rcp.policy_id, org.root_id)
    outsider = Principal.from_arn(f"arn:aws:iam::{OUTSIDER}:user/someone")
    grant = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OUTSIDER}:user/someone"},
                "Action": "s3:GetObject",
                "Resource": "*",
            }
        ],
    }
    on_member = org_sim.explain(
        outsider, "s3:GetObject", "arn:aws:s3:::member-bucket/k", resource_policy=grant, resource_account=MEMBER
    )
    assert on_member.decision.value == "explicitDeny"
    assert on_member.denied_by is not None
    assert on_member.denied_by.value == "rcp"
    on_management = org_sim.explain(
        outsider, "s3:GetObject", "arn:aws:s3:::mgmt-bucket/k", resource_policy=grant, resource_account=MANAGEMENT
    )
    assert on_management.decision.value != "explicitDeny"


def test_moving_an_account_changes_its_scps_f5(org_sim: Simulator) -> None:
    """§F.5: SCP levels follow the account's place in the tree."""
    org = org_sim.organization
    assert org is not None
    locked = org_sim.create_organizational_unit(org.root_id, "Locked")
    deny = org_sim.create_organization_policy("NoS3", document("Deny", "s3:*"))
    org_sim.attach_organization_policy(deny.policy_id, locked.ou_id)
    org_sim.add_account(MEMBER)
    member = admin(org_sim, MEMBER)
    assert org_sim.is_allowed(member, "s3:GetObject", "arn:aws:s3:::b/k")
    org_sim.move_account(MEMBER, locked.ou_id)
    assert not org_sim.is_allowed(member, "s3:GetObject", "arn:aws:s3:::b/k")


# ---------------------------------------------------------- EC2 instance roles


def _ec2(sim: Simulator, name: str) -> None:
    sim.create_role(name, EC2_TRUST)
    sim.create_instance_profile(name)
    sim.add_role_to_instance_profile(name, name)
    sim.put_role_policy(name, "all", ALL)


def test_instance_credentials_expire_after_six_hours_and_rotate_g1() -> None:
    """§G.1: instance-role credentials last 6 hours (not MaxSessionDuration) and are replaced 5 minutes early."""
    clock = ManualClock()
    sim = Simulator(clock=clock)
    _ec2(sim, "App")
    instance = sim.run_instance(instance_profile="App")
    first = sim.instance_credentials(instance)
    assert first.expiration == clock.now().replace(hour=6)
    clock.advance(6 * 3600 - 300)
    second = sim.instance_credentials(instance)
    assert second.access_key_id != first.access_key_id
    assert sim.is_allowed(first, "s3:GetObject", "arn:aws:s3:::b/k")  # the old ones still work until they expire
    clock.advance(300)
    with pytest.raises(ExpiredTokenError):
        sim.is_allowed(first, "s3:GetObject", "arn:aws:s3:::b/k")
    assert sim.is_allowed(second, "s3:GetObject", "arn:aws:s3:::b/k")


def test_instance_without_role_or_trust_g1() -> None:
    """EC2: no profile, an empty profile, or a role that does not trust EC2 gives no credentials."""
    sim = Simulator(clock=ManualClock())
    bare = sim.run_instance()
    with pytest.raises(NoSuchEntityError, match="No instance profile is associated"):
        sim.instance_credentials(bare)
    sim.create_instance_profile("empty")
    sim.associate_iam_instance_profile(bare, "empty")
    with pytest.raises(NoSuchEntityError, match="has no role"):
        sim.instance_credentials(bare)
    sim.create_role(
        "Lambda",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        },
    )
    sim.add_role_to_instance_profile("empty", "Lambda")
    with pytest.raises(AccessDeniedError):
        sim.instance_credentials(bare)


def test_replacing_the_role_in_the_profile_issues_the_new_roles_credentials_g1() -> None:
    """EC2: a role swapped inside the instance profile is used from the next credential request on."""
    sim = Simulator(clock=ManualClock())
    _ec2(sim, "Old")
    sim.create_role("New", EC2_TRUST)
    instance = sim.run_instance(instance_profile="Old")
    old = sim.instance_credentials(instance)
    sim.remove_role_from_instance_profile("Old", "Old")
    sim.add_role_to_instance_profile("Old", "New")
    new = sim.instance_credentials(instance)
    assert sim.get_caller_identity(new).arn.endswith(f":assumed-role/New/{instance}")
    assert sim.get_caller_identity(old).arn.endswith(f":assumed-role/Old/{instance}")


def test_terminated_instance_gets_no_credentials() -> None:
    """EC2: a terminated instance has no metadata service."""
    sim = Simulator(clock=ManualClock())
    _ec2(sim, "App")
    instance = sim.run_instance(instance_profile="App")
    sim.terminate_instance(instance)
    with pytest.raises(NoSuchEntityError):
        sim.instance_credentials(instance)
    assert sim.describe_instance(instance).state == "terminated"


# --------------------------------------------------------------- expiry, exactly


def test_every_kind_of_temporary_credential_expires_at_its_second_g9() -> None:
    """§G.9: AssumeRole, GetSessionToken and GetFederationToken credentials all stop at Expiration exactly."""
    clock = ManualClock()
    sim = Simulator(clock=clock)
    sim.create_user("alice")
    sim.put_user_policy("alice", "all", ALL)
    key = sim.create_access_key("alice")
    sim.create_role(
        "R",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": sim.get_user("alice").arn}, "Action": "sts:AssumeRole"}
            ],
        },
    )
    issued = [
        sim.assume_role(key, f"arn:aws:iam::{MANAGEMENT}:role/R", "sess", duration_seconds=900).credentials,
        sim.get_session_token(key, duration_seconds=900),
        sim.get_federation_token(key, "fed", duration_seconds=900, policy=ALL).credentials,
    ]
    clock.advance(899)
    for creds in issued:
        assert sim.get_caller_identity(creds)
    clock.advance(1)
    for creds in issued:
        with pytest.raises(ExpiredTokenError):
            sim.get_caller_identity(creds)


# -------------------------------------------------------- snapshots and events


def test_snapshot_round_trip_after_sessions_and_more_sessions(tmp_path: Path) -> None:
    """Snapshot after sessions were issued, restore, issue more, snapshot twice: bytes match and tokens open."""
    clock = ManualClock()
    sim = Simulator(seed=11, clock=clock)
    principal_arn = sim.create_user("alice").arn
    sim.put_user_policy("alice", "all", ALL)
    key = sim.create_access_key("alice")
    sim.create_role(
        "R",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": principal_arn}, "Action": "sts:AssumeRole"}],
        },
    )
    sim.put_role_policy("R", "all", ALL)
    role_arn = f"arn:aws:iam::{MANAGEMENT}:role/R"
    before = [sim.assume_role(key, role_arn, f"s{n}").credentials for n in range(3)]
    sim.get_session_token(key)
    path = tmp_path / "w.json"
    sim.snapshot(path)
    restored = Simulator.restore(path, clock=clock)
    assert restored.to_json() == path.read_text()
    for creds in before:
        assert restored.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")
        assert restored.get_access_key_info(creds.access_key_id) == MANAGEMENT
    after_original = sim.assume_role(key, role_arn, "next").credentials
    after_restored = restored.assume_role(key, role_arn, "next").credentials
    assert after_original.access_key_id == after_restored.access_key_id  # the seeded id stream continues
    assert Simulator.from_json(restored.to_json(), clock=clock).to_json() == restored.to_json()


def test_snapshot_rejects_other_formats() -> None:
    """A snapshot of another format or version is refused with a clear error."""
    sim = Simulator(clock=ManualClock())
    text = sim.to_json()
    with pytest.raises(SnapshotFormatError, match="unsupported snapshot version"):
        Simulator.from_json(text.replace('"version":1', '"version":99'))
    with pytest.raises(SnapshotFormatError, match="not an iamsim world snapshot"):
        Simulator.from_json('{"format": "other"}')
    with pytest.raises(SnapshotFormatError, match="not JSON"):
        Simulator.from_json("{")


def test_event_log_records_failures_and_renders_them() -> None:
    """Failed calls are logged with AWS's code and appear in the Mermaid diagram."""
    sim = Simulator(clock=ManualClock())
    sim.create_user("alice")
    key = sim.create_access_key("alice")
    since = sim.events()[-1].seq
    with pytest.raises(AccessDeniedError):
        sim.assume_role(key, f"arn:aws:iam::{MANAGEMENT}:role/Missing", "sess")
    with pytest.raises(Exception, match="InvalidClientTokenId"):
        sim.get_caller_identity(Credentials("AKIA" + "Z" * 16, "x" * 40))
    events = [e for e in sim.events() if e.seq > since]
    assert [(e.action, e.outcome) for e in events] == [
        ("AssumeRole", "AccessDenied"),
        ("GetCallerIdentity", "InvalidClientTokenId"),
    ]
    diagram = sim.mermaid(since=since, title="Denied")
    assert "    title Denied" in diagram
    assert "-->>P1: AccessDenied" in diagram
    assert "participant P3 as unknown caller" in diagram


# ------------------------------------------------------------------- threads


def test_many_threads_mixed_operations_stay_consistent() -> None:
    """32 threads create, tag, attach, assume, evaluate and delete at once; the final state adds up."""
    clock = ManualClock()
    sim = Simulator(clock=clock)
    sim.create_user("alice")
    sim.put_user_policy("alice", "all", ALL)
    key = sim.create_access_key("alice")
    sim.create_role(
        "R",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": sim.get_user("alice").arn}, "Action": "sts:AssumeRole"}
            ],
        },
    )
    sim.put_role_policy("R", "all", ALL)
    arn = sim.create_policy("common", ALL).arn
    role_arn = f"arn:aws:iam::{MANAGEMENT}:role/R"
    events_before = len(sim.events())

    def work(n: int) -> int:
        calls = 0
        for i in range(10):
            name = f"u{n}-{i}"
            sim.create_user(name, tags={"n": str(n)})
            sim.attach_user_policy(name, arn)
            creds = sim.assume_role(key, role_arn, f"s{n}-{i}").credentials
            assert sim.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")
            calls += 4
            if i % 2:
                sim.detach_user_policy(name, arn)
                sim.delete_user(name)
                calls += 2
        return calls

    with ThreadPoolExecutor(max_workers=32) as pool:
        total_calls = sum(pool.map(work, range(32)))
    users = sim.list_users()
    assert len(users) == 1 + 32 * 5
    assert len({u.user_id for u in users}) == len(users)
    assert all(sim.list_attached_user_policies(u.name) == (arn,) for u in users if u.name != "alice")
    assert len(sim.events()) - events_before == total_calls
    seqs = [e.seq for e in sim.events()]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)
