"""Whose session tokens a simulator accepts: only its own, unless a seed makes the key public (§G.9).

A token is sealed under a key. With an explicit seed the key derives from it, so a run
is reproducible (and anyone who knows the seed could seal tokens); without one the key is
random per simulator, so a token of another simulator, or one forged by a reader of
iamsim's source, is ``InvalidClientTokenId``. Snapshots carry the key.
"""

from __future__ import annotations

import pytest

from iamsim import ManualClock, Simulator
from iamsim.errors import InvalidClientTokenIdError


def _session(sim: Simulator) -> object:
    return sim.get_session_token(sim.root_credentials())


def test_another_simulators_token_is_invalid_client_token_id_g9() -> None:
    """§G.9: two simulators made without a seed do not accept each other's session tokens."""
    issuer, victim = Simulator(clock=ManualClock()), Simulator(clock=ManualClock())
    token = _session(issuer)
    assert issuer.get_caller_identity(token).arn.endswith(":root")
    with pytest.raises(InvalidClientTokenIdError):
        victim.get_caller_identity(token)
    with pytest.raises(InvalidClientTokenIdError):
        victim.is_allowed(token, "s3:DeleteBucket", "arn:aws:s3:::anything")


def test_a_token_sealed_under_the_seed_0_key_is_refused_by_a_default_simulator_g9() -> None:
    """§G.9: the key a seed of 0 gives is public knowledge; a simulator made without a seed does not use it."""
    forger = Simulator(seed=0, clock=ManualClock())
    with pytest.raises(InvalidClientTokenIdError):
        Simulator(clock=ManualClock()).get_caller_identity(_session(forger))


def test_an_explicit_seed_makes_token_text_reproducible_g1() -> None:
    """§G.1: the same seed and the same sessions give the same token text (reproducible test output)."""
    first, second = Simulator(seed=7, clock=ManualClock()), Simulator(seed=7, clock=ManualClock())
    assert _session(first) == _session(second)


def test_a_restored_simulator_opens_the_tokens_issued_before_the_snapshot_g9() -> None:
    """A snapshot carries the random token key: tokens issued before it still open after restore."""
    sim = Simulator(clock=ManualClock())
    token = _session(sim)
    restored = Simulator.from_json(sim.to_json(), clock=ManualClock())
    assert restored.get_caller_identity(token).arn == sim.get_caller_identity(token).arn
    assert restored.to_json() == sim.to_json()
