"""Simulator-wide behaviour: threads, organizations, snapshots, the event log, request context (§E, §F.5)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from iamsim._clock import ManualClock
from iamsim._simulator import Simulator
from iamsim._store.organization import FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS, PolicyType
from iamsim.errors import AccessDeniedError, InvalidInputError, UsageError

ACCOUNT = "123456789012"
MEMBER = "111122223333"
ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
DENY_S3 = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})


def _user_with_role(sim: Simulator, account: str = ACCOUNT) -> tuple[object, str]:
    user = sim.create_user("alice", account_id=account)
    sim.put_user_policy("alice", "all", ALL, account_id=account)
    role_arn = sim.create_role(
        "R",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": user.arn}, "Action": "sts:AssumeRole"}],
        },
        account_id=account,
    ).arn
    sim.put_role_policy("R", "all", ALL, account_id=account)
    return sim.create_access_key("alice", account_id=account), role_arn


def test_many_threads_leave_a_consistent_world() -> None:
    """Concurrent creates, assumes and evaluations: every call succeeds and the state adds up."""
    sim = Simulator(clock=ManualClock())
    key, role_arn = _user_with_role(sim)

    def work(n: int) -> None:
        for i in range(20):
            sim.create_user(f"t{n}-{i}")
            creds = sim.assume_role(key, role_arn, f"t{n}-{i}").credentials  # type: ignore[arg-type]
            assert sim.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")

    with ThreadPoolExecutor(max_workers=8) as pool:
        for future in [pool.submit(work, n) for n in range(8)]:
            future.result()  # re-raises whatever failed in that thread
    assert len(sim.list_users()) == 1 + 8 * 20
    ids = {u.user_id for u in sim.list_users()}
    assert len(ids) == len(sim.list_users())


def test_scp_denies_member_but_not_management_f5() -> None:
    """§F.5: an SCP Deny applies to member accounts only; FullAWSAccess is attached by default."""
    sim = Simulator(clock=ManualClock())
    org = sim.create_organization()
    sim.add_account(MEMBER)
    assert {p.policy_id for p in org.policies_for_target(MEMBER)} == {FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS}
    deny = sim.create_organization_policy("NoS3", DENY_S3)
    sim.attach_organization_policy(deny.policy_id, org.root_id)
    mgmt_key, _ = _user_with_role(sim)
    member_key, _ = _user_with_role(sim, MEMBER)
    assert sim.is_allowed(mgmt_key, "s3:GetObject", "arn:aws:s3:::b/k")  # type: ignore[arg-type]
    with pytest.raises(AccessDeniedError, match="explicit deny in a service control policy"):
        sim.authorize(member_key, "s3:GetObject", "arn:aws:s3:::b/k")  # type: ignore[arg-type]
    assert sim.is_allowed(member_key, "ec2:RunInstances")  # type: ignore[arg-type]


def test_scp_allow_needed_at_every_level_f5() -> None:
    """§F.5: without an Allow at some level (FullAWSAccess detached from an OU) the request is denied."""
    sim = Simulator(clock=ManualClock())
    org = sim.create_organization()
    ou = sim.create_organizational_unit(org.root_id, "Sandbox")
    sim.add_account(MEMBER, parent_id=ou.ou_id)
    only_ec2 = sim.create_organization_policy(
        "OnlyEc2",
        json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}),
    )
    sim.attach_organization_policy(only_ec2.policy_id, ou.ou_id)
    sim.detach_organization_policy(FULL_AWS_ACCESS, ou.ou_id)
    key, _ = _user_with_role(sim, MEMBER)
    assert sim.is_allowed(key, "ec2:RunInstances")  # type: ignore[arg-type]
    assert not sim.is_allowed(key, "s3:GetObject", "arn:aws:s3:::b/k")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        sim.detach_organization_policy(RCP_FULL_AWS_ACCESS, ou.ou_id)


def test_rcp_applies_to_resources_of_member_accounts_f5() -> None:
    """§F.5/§F.3: an RCP Deny in the resource's account denies; PrincipalOrgID is set (§E)."""
    sim = Simulator(clock=ManualClock())
    org = sim.create_organization()
    sim.add_account(MEMBER)
    rcp = sim.create_organization_policy(
        "NoDelete",
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "*"}],
            }
        ),
        policy_type=PolicyType.RCP,
    )
    sim.attach_organization_policy(rcp.policy_id, MEMBER)
    key, _ = _user_with_role(sim, MEMBER)
    assert not sim.is_allowed(key, "s3:DeleteObject", "arn:aws:s3:::b/k", resource_account=MEMBER)  # type: ignore[arg-type]
    result = sim.explain(key, "s3:GetObject", "arn:aws:s3:::b/k")  # type: ignore[arg-type]
    assert result.request.context["aws:principalorgid"] == org.id


def test_request_context_keys_e() -> None:
    """§E: PrincipalArn is the role ARN for sessions; userid, tags, times, SecureTransport; caller overrides."""
    clock = ManualClock()
    sim = Simulator(clock=clock)
    key, role_arn = _user_with_role(sim)
    sim.tag_role("R", {"team": "red"})
    creds = sim.assume_role(key, role_arn, "sess").credentials  # type: ignore[arg-type]
    role = sim.get_role("R")
    clock.advance(10)
    ctx = sim.explain(
        creds, "s3:GetObject", context={"aws:SourceIp": "10.0.0.1", "aws:SecureTransport": False}
    ).request.context
    assert ctx["aws:principalarn"] == role_arn
    assert ctx["aws:userid"] == f"{role.role_id}:sess"
    assert ctx["aws:principaltype"] == "AssumedRole"
    assert ctx["aws:principaltag/team"] == "red"
    assert ctx["aws:tokenissuetime"] == "2026-01-01T00:00:00Z"
    assert ctx["aws:currenttime"] == "2026-01-01T00:00:10Z"
    assert ctx["aws:epochtime"] == str(int(clock.now().timestamp()))
    assert ctx["aws:multifactorauthpresent"] == "false"
    assert ctx["aws:sourceip"] == "10.0.0.1"
    assert ctx["aws:securetransport"] == "false"
    assert "aws:username" not in ctx
    user_ctx = sim.explain(key, "s3:GetObject").request.context  # type: ignore[arg-type]
    assert user_ctx["aws:username"] == "alice"
    assert "aws:multifactorauthpresent" not in user_ctx


def test_snapshot_restore_snapshot_is_byte_identical(tmp_path: Path) -> None:
    """Snapshot -> restore -> snapshot gives the same bytes; tokens issued before still open."""
    clock = ManualClock()
    sim = Simulator(seed=3, clock=clock)
    key, role_arn = _user_with_role(sim)
    org = sim.create_organization()
    sim.add_account(MEMBER)
    sim.create_organizational_unit(org.root_id, "OU")
    sim.create_policy("p", ALL, tags={"a": "b"})
    device = sim.create_virtual_mfa_device("phone")
    creds = sim.assume_role(key, role_arn, "sess").credentials  # type: ignore[arg-type]
    sim.run_instance()
    first = tmp_path / "world.json"
    sim.snapshot(first)
    restored = Simulator.restore(first, clock=clock)
    second = tmp_path / "again.json"
    restored.snapshot(second)
    assert first.read_bytes() == second.read_bytes()
    assert restored.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")
    assert restored.mfa_code(device.serial_number) == sim.mfa_code(device.serial_number)
    assert restored.create_user("next").user_id == sim.create_user("next").user_id
    assert [p.name for p in tmp_path.iterdir()]
    assert not list(tmp_path.glob(".*.tmp"))


def test_event_log_renders_the_assume_role_flow_as_mermaid() -> None:
    """Every call and decision is logged in order and renders as a sequence diagram."""
    sim = Simulator(clock=ManualClock())
    key, role_arn = _user_with_role(sim)
    since = sim.events()[-1].seq
    creds = sim.assume_role(key, role_arn, "sess").credentials  # type: ignore[arg-type]
    sim.is_allowed(creds, "s3:PutObject", "arn:aws:s3:::b/k")
    diagram = sim.mermaid(since=since)
    assert diagram.splitlines() == [
        "sequenceDiagram",
        "    participant P1 as user/alice",
        "    participant P2 as STS",
        "    participant P3 as assumed-role/R/sess",
        "    participant P4 as s3",
        "    P1->>P2: AssumeRole role/R",
        "    P2-->>P1: ok",
        "    P3->>P4: s3:PutObject b/k",
        "    P4-->>P3: allowed",
    ]
    assert [e.seq for e in sim.events()] == sorted(e.seq for e in sim.events())


def test_every_kind_of_change_reaches_the_next_decision_of_the_same_credentials() -> None:
    """§F: a decision reads the world as it is now; cached sets and contexts must follow every change.

    The same session credentials are used throughout, so the per-caller caches are
    hit; each change (IAM store, organization, a new account) must invalidate them.
    SCPs do not apply to the management account (§F.5): the caller lives in a member.
    """
    sim = Simulator(clock=ManualClock())
    org = sim.create_organization()
    sim.add_account(MEMBER)
    key, role_arn = _user_with_role(sim, MEMBER)
    creds = sim.assume_role(key, role_arn, "sess").credentials  # type: ignore[arg-type]
    target = "arn:aws:s3:::b/k"
    assert sim.is_allowed(creds, "s3:GetObject", target)
    sim.put_role_policy("R", "deny", DENY_S3, account_id=MEMBER)
    assert not sim.is_allowed(creds, "s3:GetObject", target)
    sim.delete_role_policy("R", "deny", account_id=MEMBER)
    assert sim.is_allowed(creds, "s3:GetObject", target)
    scp = sim.create_organization_policy("no-s3", DENY_S3)
    sim.attach_organization_policy(scp.policy_id, org.root_id)
    assert not sim.is_allowed(creds, "s3:GetObject", target)
    sim.detach_organization_policy(scp.policy_id, org.root_id)
    assert sim.is_allowed(creds, "s3:GetObject", target)
    sim.add_account("444455556666")
    assert sim.is_allowed(creds, "s3:GetObject", target)


def test_event_times_are_the_times_of_the_calls() -> None:
    """The log keeps each event's own time, formatted as IAM writes times, whenever it is read."""
    clock = ManualClock()
    sim = Simulator(clock=clock)
    key, _ = _user_with_role(sim)
    start = sim.events()[-1].seq
    sim.is_allowed(key, "s3:GetObject", "arn:aws:s3:::b/k")  # type: ignore[arg-type]
    clock.advance(61)
    sim.is_allowed(key, "s3:GetObject", "arn:aws:s3:::b/k")  # type: ignore[arg-type]
    first, second = [e for e in sim.events() if e.seq > start]
    assert (first.time, second.time) == ("2026-01-01T00:00:00Z", "2026-01-01T00:01:01Z")
    assert first.outcome == second.outcome == "allowed"


def test_context_keys_are_case_insensitive_from_request_to_request() -> None:
    """§E: condition keys are case-insensitive; a key spelled two ways in two requests reaches the condition."""
    sim = Simulator(clock=ManualClock())
    sim.create_user("bob")
    only_from_office = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
            }
        ],
    }
    sim.put_user_policy("bob", "office", only_from_office)
    key = sim.create_access_key("bob")
    target = "arn:aws:s3:::b/k"
    assert sim.is_allowed(key, "s3:GetObject", target, context={"aws:SourceIp": "10.1.2.3"})
    assert sim.is_allowed(key, "s3:GetObject", target, context={"AWS:SOURCEIP": "10.1.2.3"})
    assert not sim.is_allowed(key, "s3:GetObject", target, context={"aws:sourceip": "192.0.2.1"})
    with pytest.raises(UsageError, match="context key"):
        sim.is_allowed(key, "s3:GetObject", target, context={"": "10.1.2.3"})
    with pytest.raises(UsageError, match="context key"):
        sim.is_allowed(key, "s3:GetObject", target, context={7: "10.1.2.3"})  # type: ignore[dict-item]


def test_event_log_keeps_the_newest_events_up_to_its_limit_across_reads() -> None:
    """Reads in between recordings change nothing: the log holds the newest ``event_limit`` events, in order."""
    sim = Simulator(clock=ManualClock(), event_limit=5)
    sim.create_user("u")
    key = sim.create_access_key("u")
    for round_ in range(4):
        for _ in range(round_ + 3):
            sim.is_allowed(key, "s3:GetObject", "arn:aws:s3:::b/k")
        events = sim.events()
        assert len(events) == 5
        assert [e.seq for e in events] == list(range(events[-1].seq - 4, events[-1].seq + 1))
    last = sim.events()[-1].seq
    assert sim.mermaid(since=last).splitlines() == ["sequenceDiagram"]
    assert sim.mermaid(since=last - 1).count("P1->>P2") == 1


def test_a_key_equal_to_a_known_context_key_but_not_a_string_is_still_refused() -> None:
    """Context keys are non-empty strings (§E): the per-spelling cache must not let a look-alike through."""

    class LooksLikeAKey:
        def __hash__(self) -> int:
            return hash("aws:SourceIp")

        def __eq__(self, other: object) -> bool:
            return True

    sim = Simulator(clock=ManualClock())
    sim.create_user("u")
    key = sim.create_access_key("u")
    sim.is_allowed(key, "s3:GetObject", "arn:aws:s3:::b/k", context={"aws:SourceIp": "10.0.0.1"})
    with pytest.raises(UsageError, match="context key"):
        sim.is_allowed(key, "s3:GetObject", "arn:aws:s3:::b/k", context={LooksLikeAKey(): "10.0.0.1"})  # type: ignore[dict-item]
