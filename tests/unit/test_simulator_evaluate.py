"""Simulator.evaluate, authorize and explain: one decision, ``explain`` the same flag everywhere (§F, issue 12)."""

from __future__ import annotations

import pytest

import iamsim

READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


@pytest.fixture
def world() -> tuple[iamsim.Simulator, iamsim.Credentials]:
    sim = iamsim.Simulator(seed=1)
    sim.create_user("alice")
    sim.put_user_policy("alice", "read", READ)
    key = sim.create_access_key("alice")
    return sim, iamsim.Credentials(key.access_key_id, key.secret_access_key)


def test_evaluate_returns_a_denial_without_raising_F(world: tuple[iamsim.Simulator, iamsim.Credentials]) -> None:
    """§F: no statement allows s3:PutObject, so the implicit deny is the decision; evaluate reports it."""
    sim, credentials = world
    result = sim.evaluate(credentials, "s3:PutObject", "arn:aws:s3:::b/k")
    assert not result.allowed
    assert result.explanation is None


def test_explain_is_evaluate_with_explain_F(world: tuple[iamsim.Simulator, iamsim.Credentials]) -> None:
    sim, credentials = world
    explained = sim.evaluate(credentials, "s3:GetObject", "arn:aws:s3:::b/k", explain=True)
    assert explained.allowed
    assert explained.explanation is not None
    assert sim.explain(credentials, "s3:GetObject", "arn:aws:s3:::b/k").decision == explained.decision


def test_authorize_takes_explain_and_raises_with_the_explained_result_F(
    world: tuple[iamsim.Simulator, iamsim.Credentials],
) -> None:
    sim, credentials = world
    assert sim.authorize(credentials, "s3:GetObject", "arn:aws:s3:::b/k", explain=True).explanation is not None
    with pytest.raises(iamsim.AccessDeniedError) as denied:
        sim.authorize(credentials, "s3:PutObject", "arn:aws:s3:::b/k", explain=True)
    assert denied.value.result is not None
    assert denied.value.result.explanation is not None


def test_store_records_are_public_read_only_types(world: tuple[iamsim.Simulator, iamsim.Credentials]) -> None:
    sim, _ = world
    user = sim.get_user("alice")
    assert isinstance(user, iamsim.User)
    assert repr(type(user)) == "<class 'iamsim.User'>"
    with pytest.raises(AttributeError):
        user.name = "bob"  # type: ignore[misc]
