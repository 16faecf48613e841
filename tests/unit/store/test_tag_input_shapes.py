"""Tag arguments of the wrong shape are refused whole, never stored half-checked (§H.2, §G.1)."""

from __future__ import annotations

import json

import pytest

from iamsim import Simulator
from iamsim.errors import IamSimError

TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


@pytest.mark.parametrize("tags", [["ab"], [("a",)], [("a", "1", "x")], 5, "ab", [(1, "x")]])
def test_malformed_tags_are_refused_and_nothing_changes_h2(tags: object) -> None:
    """§H.2: a tag must be a (key, value) pair of strings; a refused call leaves the user untagged."""
    sim = Simulator()
    sim.create_user("u")
    before = _world_without_events(sim)
    with pytest.raises(IamSimError):
        sim.tag_user("u", tags)  # type: ignore[arg-type]
    with pytest.raises(IamSimError):
        sim.create_user("v", tags=tags)  # type: ignore[arg-type]
    assert _world_without_events(sim) == before


def _world_without_events(sim: Simulator) -> dict[str, object]:
    """The snapshot minus the event log (which records the failed call itself)."""
    world: dict[str, object] = json.loads(sim.to_json())
    world.pop("events")
    return world


def test_tags_round_trip_through_a_snapshot_h2() -> None:
    """Tags given as pairs or as a mapping survive snapshot and restore."""
    sim = Simulator()
    sim.create_user("u", tags=[("team", "logs")])
    sim.create_role("r", TRUST, tags={"env": "prod"})
    restored = Simulator.from_json(sim.to_json())
    assert restored.get_user("u").tags == (("team", "logs"),)
    assert restored.get_role("r").tags == (("env", "prod"),)


def test_untag_with_a_bare_string_is_refused_h2() -> None:
    """UntagUser takes a list of keys; a bare string is not read as a list of characters."""
    sim = Simulator()
    sim.create_user("u", tags={"a": "1", "b": "2", "abc": "3"})
    with pytest.raises(IamSimError):
        sim.untag_user("u", "abc")
    assert dict(sim.get_user("u").tags) == {"a": "1", "b": "2", "abc": "3"}
    sim.untag_user("u", ["abc"])
    assert dict(sim.get_user("u").tags) == {"a": "1", "b": "2"}


@pytest.mark.parametrize("tags", [5, [("a",)], ["ab"]])
def test_malformed_session_tags_are_validation_errors_g1(tags: object) -> None:
    """§G.1: AssumeRole's Tags must be key/value pairs; anything else is refused before any check."""
    sim = Simulator()
    sim.create_user("u")
    key = sim.create_access_key("u")
    sim.create_role(
        "r",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/u"}, "Action": "*"}],
        },
    )
    with pytest.raises(IamSimError):
        sim.assume_role(key, "arn:aws:iam::123456789012:role/r", "s", tags=tags)  # type: ignore[arg-type]
