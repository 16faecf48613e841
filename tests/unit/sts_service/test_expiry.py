"""Credentials expire at exactly the expiration second, on the wall clock (§G.1, §G.9).

The default clock reads ``datetime.now(timezone.utc)`` at each call, so both
freezegun and time-machine move it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from freezegun import freeze_time

from iamsim._simulator import Simulator
from iamsim.errors import ExpiredTokenError

START = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def _session(sim: Simulator) -> tuple[Simulator, object]:
    user = sim.create_user("alice")
    sim.put_user_policy(
        "alice", "p", {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    )
    sim.create_role(
        "R",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": user.arn}, "Action": "sts:AssumeRole"}],
        },
    )
    sim.put_role_policy(
        "R", "p", {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    )
    key = sim.create_access_key("alice")
    return sim, sim.assume_role(key, "arn:aws:iam::123456789012:role/R", "sess", duration_seconds=900).credentials


def test_expires_at_the_exact_second_with_freezegun_g9() -> None:
    """§G.9: ExpiredToken from Expiration on; valid one second before (freezegun)."""
    with freeze_time(START) as frozen:
        sim, creds = _session(Simulator())
        frozen.tick(899)
        assert sim.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")  # type: ignore[arg-type]
        frozen.tick(1)
        with pytest.raises(ExpiredTokenError) as err:
            sim.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")  # type: ignore[arg-type]
    assert err.value.code == "ExpiredToken"
    assert err.value.message == "The security token included in the request is expired"


def test_expires_at_the_exact_second_with_time_machine_g9() -> None:
    """§G.9: the same with time-machine."""
    with time_machine.travel(START, tick=False) as traveller:
        sim, creds = _session(Simulator())
        traveller.shift(899)
        assert sim.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")  # type: ignore[arg-type]
        traveller.shift(1)
        with pytest.raises(ExpiredTokenError):
            sim.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::b/k")  # type: ignore[arg-type]
