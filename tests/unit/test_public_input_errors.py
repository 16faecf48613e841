"""Bad input to the public API gets an iamsim error, never a raw Python exception (house rule).

Hypothesis feeds junk of every JSON-ish type to each argument of the facade's
evaluation calls and to the Simulator's evaluation and snapshot entry points.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import iamsim
from iamsim import IamSimError, Simulator

ALICE = "arn:aws:iam::111122223333:user/alice"
ALLOW = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}

#: Integers Python cannot write as text (over 4,300 digits) escaped once as a raw ValueError.
huge_integers = st.builds(lambda sign: sign * 10**5000, st.sampled_from([1, -1]))

junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | huge_integers
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)

GOOD: dict[str, Any] = {
    "principal": ALICE,
    "action": "s3:GetObject",
    "resource": "arn:aws:s3:::logs/a",
    "context": {"aws:SourceIp": "203.0.113.9"},
    "resource_account": "111122223333",
    "identity": [ALLOW],
    "boundary": ALLOW,
    "session": [ALLOW],
    "scp_levels": [[ALLOW]],
}


def _call(arguments: dict[str, Any]) -> None:
    positional = (arguments.pop("principal"), arguments.pop("action"), arguments.pop("resource"))
    iamsim.evaluate(*positional, **arguments)


@pytest.mark.parametrize("argument", sorted(GOOD))
@given(value=junk)
def test_evaluate_rejects_junk_with_an_iamsim_error(argument: str, value: object) -> None:
    """Each argument of iamsim.evaluate, replaced by junk: allowed through or an IamSimError."""
    arguments = dict(GOOD, **{argument: value})
    with contextlib.suppress(IamSimError):
        _call(arguments)


@given(action=junk, resource=junk, context=junk)
def test_simulator_authorize_rejects_junk_with_an_iamsim_error(
    action: object, resource: object, context: object
) -> None:
    """Simulator.is_allowed with issued credentials and junk arguments: only IamSimError escapes."""
    sim = Simulator()
    sim.create_user("alice")
    key = sim.create_access_key("alice")
    with contextlib.suppress(IamSimError):
        sim.is_allowed(key, action, resource, context=context)  # type: ignore[arg-type]


def test_snapshot_paths_that_cannot_be_used_are_iamsim_errors(tmp_path: Path) -> None:
    """A snapshot to a missing directory, or a restore of a missing file, is an InvalidInput error."""
    sim = Simulator()
    with pytest.raises(IamSimError):
        sim.snapshot(tmp_path / "missing" / "world.json")
    with pytest.raises(IamSimError):
        Simulator.restore(tmp_path / "nothing-here.json")


def test_event_options_are_checked() -> None:
    """A negative event limit or a non-numeric 'since' is refused with an iamsim error."""
    with pytest.raises(IamSimError):
        Simulator(event_limit=-1)
    with pytest.raises(IamSimError):
        Simulator().mermaid(since="x")  # type: ignore[arg-type]


@pytest.mark.parametrize("argument", ["seed", "clock", "account_id", "partition", "event_limit"])
@given(value=junk)
def test_simulator_constructor_rejects_junk_with_a_usage_error(argument: str, value: object) -> None:
    """Issue 11: a wrong-typed constructor argument is a UsageError at once, or a simulator that works."""
    try:
        sim = Simulator(**{argument: value})  # type: ignore[arg-type]
    except iamsim.UsageError:
        return
    sim.create_user("bob")
    assert Simulator.from_json(sim.to_json()).to_json() == sim.to_json()


@pytest.mark.parametrize("entry", ["evaluate", "is_allowed", "authorize"])
@given(principal=junk, action=junk, resource=junk)
def test_facade_entry_points_reject_junk_with_an_iamsim_error(
    entry: str, principal: object, action: object, resource: object
) -> None:
    """iamsim.evaluate, is_allowed and authorize with junk principal/action/resource: only IamSimError escapes."""
    with contextlib.suppress(IamSimError):
        getattr(iamsim, entry)(principal, action, resource, identity=[ALLOW])


@given(principal=junk, action=junk, resource=junk, context=junk)
def test_policy_evaluator_rejects_junk_with_an_iamsim_error(
    principal: object, action: object, resource: object, context: object
) -> None:
    """PolicyEvaluator's evaluate, is_allowed and authorize with junk: only IamSimError escapes."""
    evaluator = iamsim.PolicyEvaluator.from_policies(identity=[ALLOW])
    for method in (evaluator.evaluate, evaluator.is_allowed, evaluator.authorize):
        with contextlib.suppress(IamSimError):
            method(principal, action, resource, context=context)  # type: ignore[arg-type]


@given(value=junk)
def test_policies_of_the_wrong_type_are_usage_errors(value: object) -> None:
    """A policy that is not text, bytes, a mapping or a Policy is the caller's mistake: UsageError."""
    if isinstance(value, (str, dict)):
        return
    with pytest.raises(iamsim.UsageError):
        iamsim.evaluate(ALICE, "s3:GetObject", identity=[value])  # type: ignore[list-item]


@pytest.mark.parametrize("value", [10**5000, [10**5000]], ids=["integer", "list"])
def test_a_huge_integer_context_value_is_a_usage_error(value: object) -> None:
    """A context value Python cannot write as text: the library's UsageError, not a raw ValueError."""
    with pytest.raises(iamsim.UsageError, match="too long"):
        iamsim.evaluate(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", context={"x:k": value}, identity=[ALLOW])
    sim = Simulator()
    with pytest.raises(iamsim.UsageError, match="too long"):
        sim.is_allowed(sim.root_credentials(), "s3:GetObject", "arn:aws:s3:::b/k", context={"x:k": value})
