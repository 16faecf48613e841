"""Snapshots: byte-identical round trips, atomic writes, damaged files named by place (issue 11, "Trust first")."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamsim import IamSimError, Simulator, UsageError
from iamsim._simulator.core import core_of
from iamsim.errors import SnapshotFormatError

ALLOW = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},'
    '"Action":"sts:AssumeRole"}]}'
)
names = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@st.composite
def worlds(draw: st.DrawFn) -> Simulator:
    """A random world: seed, partition, event limit, users, roles, policies, keys, an organization, events."""
    sim = Simulator(
        seed=draw(st.integers(min_value=0, max_value=2**32)),
        partition=draw(st.sampled_from(["aws", "aws-cn", "aws-us-gov"])),
        event_limit=draw(st.integers(min_value=0, max_value=50)),
    )
    policy = sim.create_policy("P", ALLOW) if draw(st.booleans()) else None
    for name in draw(st.lists(names, max_size=3, unique=True)):
        sim.create_user(name, tags={"team": name})
        if policy is not None:
            sim.attach_user_policy(name, policy.arn)
        if draw(st.booleans()):
            sim.create_access_key(name)
    for name in draw(st.lists(names, max_size=2, unique=True)):
        sim.create_role(f"r{name}", TRUST)
    if draw(st.booleans()):
        sim.add_account("444455556666")
        sim.create_organization()
    return sim


@given(sim=worlds())
def test_snapshot_restore_snapshot_is_byte_identical(sim: Simulator) -> None:
    """Every snapshot round-trips byte for byte, event_limit included (it was lost before)."""
    text = sim.to_json()
    restored = Simulator.from_json(text)
    assert restored.to_json() == text
    assert json.loads(text)["events"]["limit"] == core_of(restored).events.limit


def test_event_limit_survives_a_restore(tmp_path: Path) -> None:
    """A simulator made with event_limit=3 keeps 3 events after a restore from a file."""
    sim = Simulator(event_limit=3)
    for n in range(5):
        sim.create_user(f"u{n}")
    sim.snapshot(tmp_path / "w.json")
    restored = Simulator.restore(tmp_path / "w.json")
    for n in range(5):
        restored.create_user(f"v{n}")
    assert len(restored.events()) == 3


def test_snapshot_to_a_directory_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    """A snapshot path that is a directory: InvalidInput naming it, and no temporary file left behind."""
    with pytest.raises(UsageError, match="is a directory"):
        Simulator().snapshot(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_snapshot_to_an_unwritable_place_is_the_library_error(tmp_path: Path) -> None:
    """A path whose parent is a regular file cannot be written, even by root: InvalidInput, not a raw OSError."""
    parent = tmp_path / "not-a-directory"
    parent.write_text("old", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot write snapshot"):
        Simulator().snapshot(parent / "w.json")
    assert parent.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-directory"]


def test_a_failed_write_removes_its_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails half way (disk full) leaves neither a partial file nor a temporary one."""

    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UsageError, match="No space left"):
        Simulator().snapshot(tmp_path / "w.json")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", [3, None, b"\x00", ["w.json"]])
def test_snapshot_paths_of_the_wrong_type_are_usage_errors(path: Any) -> None:
    """A path that is not a str or PathLike is the caller's mistake: UsageError (also a ValueError)."""
    with pytest.raises(UsageError):
        Simulator().snapshot(path)


def _damage(value: Any, path: list[Any], junk: Any) -> Any:
    if not path:
        return junk
    head, rest = path[0], path[1:]
    if isinstance(value, dict) and head in value:
        return {**value, head: _damage(value[head], rest, junk)}
    if isinstance(value, list) and isinstance(head, int) and 0 <= head < len(value):
        return [*value[:head], _damage(value[head], rest, junk), *value[head + 1 :]]
    return value


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[list[Any]]:
    found = [list(path)]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            found.extend(_paths(item, (*path, index)))
    return found


def _sample_state() -> dict[str, Any]:
    sim = Simulator(event_limit=20)
    sim.create_user("alice", tags={"t": "v"})
    sim.create_access_key("alice")
    sim.create_role("app", TRUST)
    sim.add_account("444455556666")
    sim.create_organization()
    state: dict[str, Any] = json.loads(sim.to_json())
    return state


SAMPLE = _sample_state()
PATHS = _paths(SAMPLE)[1:]
snapshot_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -1]),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(path=st.sampled_from(PATHS), junk=snapshot_junk)
def test_damaged_snapshots_give_the_library_error_or_restore_whole(path: list[Any], junk: Any) -> None:
    """One damaged value anywhere: SnapshotFormatError (or another IamSimError), or a world that round-trips."""
    text = json.dumps(_damage(SAMPLE, path, junk))
    try:
        sim = Simulator.from_json(text)
    except IamSimError:
        return
    again = sim.to_json()
    assert Simulator.from_json(again).to_json() == again


def test_a_damaged_snapshot_names_the_place() -> None:
    """A user record of the wrong shape is reported at accounts[0].users."""
    broken = _damage(SAMPLE, ["accounts", 0, "users"], {"not": "a list"})
    with pytest.raises(SnapshotFormatError, match=r"accounts\[0\]\.users"):
        Simulator.from_json(json.dumps(broken))


@pytest.mark.parametrize(
    "text",
    ["[" * 5000 + "]" * 5000, '{"format": "iamsim-world", "version": 1, "seed": ' + "9" * 5000 + "}", "\x00", ""],
)
def test_hostile_snapshot_text_is_a_snapshot_format_error(text: str) -> None:
    """Deep nesting, a 5,000-digit seed, binary junk: SnapshotFormatError, not RecursionError or ValueError."""
    with pytest.raises(SnapshotFormatError):
        Simulator.from_json(text)


def test_restoring_a_device_is_refused(tmp_path: Path) -> None:
    """Restoring from /dev/zero or a FIFO is refused at once instead of reading forever."""
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):
        with pytest.raises(UsageError, match="not a regular file"):
            Simulator.restore(path)
