"""The cyclic collector is paused while a compiled set is built, and left as the caller had it."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator

import pytest

from iamsim._engine.collector import collector_paused
from iamsim._engine.compiled import compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy

_POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}
)


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Restore the interpreter's collector state whatever a test does to it."""
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_enabled_after(collector_state: None) -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_enabled_again_after_an_error(collector_state: None) -> None:
    gc.enable()
    with pytest.raises(ValueError, match="inside"), collector_paused():
        raise ValueError("inside")
    assert gc.isenabled()


def test_left_disabled_when_the_caller_had_disabled_it(collector_state: None) -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_compiling_a_set_leaves_the_collector_enabled(collector_state: None) -> None:
    gc.enable()
    policy = parse_policy(_POLICY, kind=PolicyKind.IDENTITY, name="p")
    compile_policy_set(PolicySet(identity=(policy,)))
    assert gc.isenabled()


def test_builds_in_two_threads_keep_the_collector_paused_until_the_last_ends(collector_state: None) -> None:
    """The pause is counted: the first build to end must not re-enable the collector under the other."""
    gc.enable()
    inside, release_first = threading.Event(), threading.Event()

    def first_build() -> None:
        with collector_paused():
            inside.set()
            release_first.wait(timeout=10)

    thread = threading.Thread(target=first_build)
    thread.start()
    inside.wait(timeout=10)
    with collector_paused():
        release_first.set()
        thread.join(timeout=10)
        assert not gc.isenabled()
    assert gc.isenabled()
