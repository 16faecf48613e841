"""Damaged world files: one clear iamsim error naming the place, or a world that works (issue 11, "Trust first").

Hypothesis damages a valid world (every kind of entity, an organization) at
one or more places: a value of the wrong type, a huge or negative number, a
missing or an extra key, deep nesting. Loading must raise only
:class:`~iamsim.errors.InvalidInputError` naming the file; a world that loads must be whole: it snapshots,
restores byte for byte and answers requests, never failing later.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamsim import Simulator
from iamsim.errors import InvalidInputError

A = "111122223333"
B = "444455556666"
ALLOW_LOGS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}
TRUST_EC2 = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
DENY_DELETES = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*:Delete*", "Resource": "*"}]}

VALID: dict[str, Any] = {
    "default_account": A,
    "accounts": {
        A: {
            "alias": "example",
            "policies": [{"name": "Logs", "document": ALLOW_LOGS, "path": "/team/", "tags": {"team": "blue"}}],
            "groups": [{"name": "Readers", "policies": ["Logs"], "inline": {"Extra": ALLOW_LOGS}}],
            "users": [{"name": "alice", "groups": ["Readers"], "tags": {"team": "blue"}, "boundary": "Logs"}],
            "roles": [
                {
                    "name": "App",
                    "trust": TRUST_EC2,
                    "policies": ["Logs"],
                    "max_session_duration": 7200,
                    "instance_profile": True,
                    "description": "the app",
                }
            ],
        },
        B: {"users": [{"name": "bob"}]},
    },
    "organization": {
        "management_account": A,
        "units": [{"name": "Workloads", "accounts": [B]}],
        "scps": [{"name": "DenyDeletes", "document": DENY_DELETES, "targets": ["Workloads"]}],
        "detach_full_access": [],
    },
}


def _deep(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = [value]
    return value


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**40, -(10**40), 10**400, -1, 0, 2**63, 2**64 + 1]),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["", " ", "\x00", "*", "arn:", "a" * 300, "{", "{\"Statement\": 1}"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.integers(min_value=70, max_value=400).map(_deep),
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (mapping keys and list indexes)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_places(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_places(item, (*path, index)))
    return found


PLACES = _places(VALID)[1:]


@st.composite
def damaged_worlds(draw: st.DrawFn) -> Any:
    world = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(PLACES))
        parent: Any = world
        try:
            for step in path[:-1]:
                parent = parent[step]
            last = path[-1]
            container_ok = isinstance(parent, (dict, list)) and (
                last in parent if isinstance(parent, dict) else 0 <= last < len(parent)
            )
        except (KeyError, IndexError, TypeError):
            continue  # an earlier damage removed or replaced this place
        if not container_ok:
            continue
        how = draw(st.sampled_from(["replace", "delete", "extra"]))
        if how == "replace":
            parent[last] = draw(junk)
        elif how == "delete":
            del parent[last]
        elif isinstance(parent[last], dict):
            parent[last][draw(st.text(min_size=1, max_size=6))] = draw(junk)
        else:
            parent[last] = draw(junk)
    return world


def _works(sim: Simulator) -> None:
    """A loaded world is whole: it snapshots, restores byte for byte, lists and decides."""
    text = sim.to_json()
    assert Simulator.from_json(text).to_json() == text
    for account in sim.accounts():
        for user in sim.list_users(account_id=account):
            sim.list_attached_user_policies(user.name, account_id=account)
        for role in sim.list_roles(account_id=account):
            sim.get_role(role.name, account_id=account)


def _load(world: Any) -> Simulator | str:
    """The simulator the world file makes, or the message of its one InvalidInput error."""
    try:
        return Simulator.from_world(world, origin="w.yaml")
    except InvalidInputError as error:
        return error.message


@given(world=damaged_worlds())
def test_damaged_world_files_raise_one_iamsim_error_or_load_whole(world: Any) -> None:
    """Issue 11: mutations of a valid world give an IamSimError naming the file, or a world that works."""
    loaded = _load(world)
    if isinstance(loaded, Simulator):
        _works(loaded)
    else:
        assert loaded.startswith("w.yaml: "), loaded


def test_the_valid_world_loads_whole() -> None:
    """The undamaged world the fuzzer starts from loads (so the test above damages something real)."""
    sim = Simulator.from_world(copy.deepcopy(VALID), origin="w.yaml")
    assert sim.get_role("App").max_session_duration == 7200
    _works(sim)


def test_huge_session_duration_is_refused_with_its_place() -> None:
    """A 400-digit max_session_duration is refused naming the role, not an OverflowError."""
    world = copy.deepcopy(VALID)
    world["accounts"][A]["roles"][0]["max_session_duration"] = 10**400
    with pytest.raises(InvalidInputError) as caught:
        Simulator.from_world(world, origin="w.yaml")
    assert "roles[0] (App).max_session_duration" in caught.value.message
    assert len(caught.value.message) < 300, "the number is not repeated in full"
