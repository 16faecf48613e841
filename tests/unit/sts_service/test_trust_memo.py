"""AssumeRole's remembered trust decision is exact: never shared across requests that could differ (§F.4, §G.1, §E).

``Decisions.allowed_checked`` remembers a decision for requests that differ only in
context keys no candidate statement reads. These tests change each thing the decision
can read between two calls (the session name when a condition tests it, the time, the
world) and hold every answer to the full evaluation.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from iamsim._simulator.core import core_of
from iamsim.errors import AccessDeniedError, UsageError

from .conftest import World, trust


def _assume(world: World, role: str, name: str) -> bool:
    try:
        world.sim.assume_role(world.key, world.role_arn(role), name)
    except AccessDeniedError:
        return False
    return True


def test_a_condition_on_the_session_name_is_decided_per_name_e_g1(world: World) -> None:
    """§E ``sts:RoleSessionName``, §G.1: a trust condition on the name decides each name on its own."""
    condition = {"StringLike": {"sts:RoleSessionName": "ok-*"}}
    world.sim.create_role("Named", trust({"AWS": world.user_arn}, condition=condition))
    answers = [_assume(world, "Named", name) for name in ("ok-1", "bad-1", "ok-2", "bad-2", "ok-3", "Ok-4")]
    assert answers == [True, False, True, False, True, False]


def test_a_new_session_name_reuses_the_decision_only_when_no_statement_reads_it_g1(world: World) -> None:
    """§G.1: without a condition on the name, new names are allowed (the remembered answer), as before."""
    assert all(_assume(world, "Reader", f"s-{index}") for index in range(20))
    entries = core_of(world.sim).decisions._allowed
    assert len(entries) == 1
    (entry,) = entries.values()
    assert entry[3] == frozenset()  # the statements read no context key
    assert entry[4] == {(): True}  # one decision for every name


def test_a_time_condition_is_decided_at_each_second_e(world: World) -> None:
    """§E ``aws:CurrentTime``: a trust that expires is refused once the clock passes it, whatever was remembered."""
    until = (world.clock.now() + timedelta(seconds=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    condition = {"DateLessThan": {"aws:CurrentTime": until}}
    world.sim.create_role("Timed", trust({"AWS": world.user_arn}, condition=condition))
    assert _assume(world, "Timed", "s-a")
    assert _assume(world, "Timed", "s-b")
    world.clock.advance(11)
    assert not _assume(world, "Timed", "s-c")
    assert not _assume(world, "Timed", "s-a")


def test_a_changed_trust_policy_is_decided_again_f4(world: World) -> None:
    """§F.4: replacing the trust policy (or the caller's permissions) is seen by the next call."""
    assert _assume(world, "Reader", "s-a")
    world.sim.update_assume_role_policy("Reader", trust({"Service": "ec2.amazonaws.com"}))
    assert not _assume(world, "Reader", "s-b")
    world.sim.update_assume_role_policy("Reader", trust({"AWS": world.user_arn}))
    assert _assume(world, "Reader", "s-c")
    world.sim.delete_user_policy("alice", "sts")
    world.sim.put_user_policy(
        "alice",
        "deny",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": "*"}]},
    )
    assert not _assume(world, "Reader", "s-d")


@pytest.mark.parametrize(
    "context",
    [
        {"sts:RoleSessionName": "ok-1"},
        {"sts:RoleSessionName": "bad"},
        {"STS:rolesessionname": "ok-2", "sts:ExternalId": "x"},
        {"sts:RoleSessionName": "ok-1", "aws:TagKeys": ["a"]},
        {"sts:RoleSessionName": "ok-1", "aws:RequestTag/k": 5},
        None,
        {},
    ],
)
def test_the_remembered_decision_is_the_full_evaluations_f(world: World, context: dict[str, object] | None) -> None:
    """§F: ``allowed_checked`` answers what ``evaluate_checked`` decides, asked first and asked again."""
    condition = {"StringLike": {"sts:RoleSessionName": "ok-*"}}
    world.sim.create_role("Named", trust({"AWS": world.user_arn}, condition=condition))
    core = core_of(world.sim)
    caller = core.auth.caller(world.key)
    role_arn = world.role_arn("Named")
    policy = core.trust_policy("123456789012", "Named")
    decisions = core.decisions
    for _ in range(3):
        now = world.clock.now()
        full = decisions.evaluate_checked(
            caller, "sts:AssumeRole", role_arn, context, policy, "123456789012", False, now
        ).allowed
        assert decisions.allowed_checked(caller, "sts:AssumeRole", role_arn, context, policy, "123456789012", now) is (
            full
        )
        names = [value for key, value in (context or {}).items() if key.lower() == "sts:rolesessionname"]
        assert full is (len(names) == 1 and str(names[0]).startswith("ok-"))


@pytest.mark.parametrize("bad", [{"": "x"}, {5: "x"}])
def test_a_bad_context_key_is_refused_even_when_remembered_f(world: World, bad: dict[object, str]) -> None:
    """Library misuse: a bad context key is a ``UsageError`` on every call, not only the first."""
    core = core_of(world.sim)
    caller = core.auth.caller(world.key)
    role_arn = world.role_arn("Reader")
    policy = core.trust_policy("123456789012", "Reader")
    now = world.clock.now()
    assert core.decisions.allowed_checked(caller, "sts:AssumeRole", role_arn, {}, policy, "123456789012", now)
    for _ in range(2):
        with pytest.raises(UsageError):
            core.decisions.allowed_checked(caller, "sts:AssumeRole", role_arn, bad, policy, "123456789012", now)  # type: ignore[arg-type]
