"""Memory stays bounded: temporary keys nobody can use any more are forgotten (§G.9, §G.7)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from iamsim import ManualClock, Simulator
from iamsim._simulator.core import core_of
from iamsim.errors import InvalidClientTokenIdError

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/u"}, "Action": "sts:AssumeRole"}
    ],
}


def _world() -> tuple[Simulator, ManualClock, object]:
    clock = ManualClock()
    sim = Simulator(clock=clock)
    sim.create_user("u")
    sim.create_role("R", assume_role_policy_document=json.dumps(TRUST))
    key = sim.create_access_key("u")
    return sim, clock, key


def test_expired_keys_are_forgotten_after_the_skew_window_g9() -> None:
    """§G.9: from expiry + 5 minutes nothing can use a session; GetAccessKeyInfo (§G.7) then forgets it."""
    sim, clock, key = _world()
    sts = core_of(sim).sts
    issued = sim.assume_role(key, "arn:aws:iam::123456789012:role/R", "sess", duration_seconds=900).credentials
    assert sim.get_access_key_info(issued.access_key_id) == "123456789012"
    now = int(clock.now().timestamp())
    assert sts.forget_unusable(now + 900 + 299) == 0
    assert sts.forget_unusable(now + 900 + 300) == 1
    assert sts.issued_count == 0
    with pytest.raises(InvalidClientTokenIdError):
        sim.get_access_key_info(issued.access_key_id)


def test_sweep_runs_by_itself_while_sessions_are_issued_g9() -> None:
    """Issuing keeps the index bounded: after many short sessions have expired, a later issue sweeps them."""
    sim, clock, key = _world()
    sts = core_of(sim).sts
    for index in range(5000):
        sim.assume_role(key, "arn:aws:iam::123456789012:role/R", f"s{index}", duration_seconds=900)
        if index == 2000:
            clock.advance(timedelta(hours=1))
    assert sts.issued_count < 5000


def test_snapshot_keeps_expiry_and_restores_it_g9() -> None:
    """Snapshots carry each key's expiry second, so a restored world forgets the same keys."""
    sim, clock, key = _world()
    issued = sim.assume_role(key, "arn:aws:iam::123456789012:role/R", "sess", duration_seconds=900).credentials
    restored = Simulator.from_json(sim.to_json(), clock=clock)
    assert restored.get_access_key_info(issued.access_key_id) == "123456789012"
    now = int(clock.now().timestamp())
    assert core_of(restored).sts.forget_unusable(now + 1200) == 1
