"""``Simulator.access_matrix``'s inputs and result object (issue 16): clear errors, exact cells.

Cells follow the decision order of §F.1 (UG:reference_policies_evaluation-logic.html); these tests cover
the API around it (the differential test covers the decisions themselves).
"""

from __future__ import annotations

import json

import pytest

from iamsim import Principal, Simulator
from iamsim._clock import ManualClock
from iamsim._engine.result import Decision
from iamsim.errors import IamSimError, UsageError

ACCOUNT = "111122223333"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
    ],
}


@pytest.fixture
def sim() -> Simulator:
    world = Simulator(clock=ManualClock(), account_id=ACCOUNT)
    world.create_user("alice")
    world.put_user_policy("alice", "p", json.dumps(POLICY))
    return world


def test_cells_by_name_and_position_f1(sim: Simulator) -> None:
    """§F.1: an Allow, an explicit Deny and an implicit deny, read by name or by position."""
    matrix = sim.access_matrix([ALICE], ["s3:GetObject", "s3:DeleteObject"], ["arn:aws:s3:::b/k", "arn:aws:s3:::c/k"])
    assert matrix.decision(ALICE, "s3:GetObject", "arn:aws:s3:::b/k") is Decision.ALLOWED
    assert matrix.decision(0, 1, 0) is Decision.EXPLICIT_DENY
    assert matrix.decision(0, 0, 1) is Decision.IMPLICIT_DENY
    assert matrix.cells == 4
    assert matrix.allowed_count() == 1
    assert matrix.explicit_deny_count() == 2
    assert [cell.decision for cell in matrix] == [
        Decision.ALLOWED, Decision.IMPLICIT_DENY, Decision.EXPLICIT_DENY, Decision.EXPLICIT_DENY,
    ]  # fmt: skip


def test_principal_objects_and_resource_policies_f2(sim: Simulator) -> None:
    """§F.2: a resource policy naming the caller allows what its identity policies do not."""
    grant = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "sqs:SendMessage", "Resource": "*"}],
    }
    queue = f"arn:aws:sqs:us-east-1:{ACCOUNT}:q"
    matrix = sim.access_matrix(
        [Principal.from_arn(ALICE)], ["sqs:SendMessage"], [queue, f"{queue}2"], resource_policies={queue: grant}
    )
    assert matrix.principals == (ALICE,)
    assert matrix.decision(0, 0, 0) is Decision.ALLOWED
    assert matrix.decision(0, 0, 1) is Decision.IMPLICIT_DENY


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"principals": []}, UsageError, "at least one principal"),
        ({"principals": [42]}, UsageError, "is not an ARN or a Principal"),
        ({"actions": ["GetObject"]}, UsageError, "is not of the form service:ActionName"),
        ({"actions": "s3:GetObject"}, UsageError, "must be a list of actions"),
        ({"resources": [""]}, UsageError, "is not an ARN or '*'"),
        ({"resources": ["*", "*"]}, UsageError, "is listed twice"),
        ({"resource_policies": {"arn:aws:s3:::x": POLICY}}, UsageError, "not one of the matrix's resources"),
        ({"workers": -1}, UsageError, "workers must be a positive whole number"),
        ({"principals": None}, UsageError, "principals must be a list"),
        ({"principals": 5}, UsageError, "principals must be a list"),
        ({"actions": ["s3:Get*"]}, UsageError, "is a pattern"),
        ({"resources": ["not-an-arn"]}, UsageError, "is not an ARN or '*'"),
        ({"cluster": 5}, UsageError, "cluster must be a distributed.Client or a scheduler address"),
    ],
)
def test_bad_input_is_a_clear_error(sim: Simulator, kwargs: dict[str, object], error: type, message: str) -> None:
    """Bad input raises an iamsim error naming the field, and nothing is decided."""
    arguments: dict[str, object] = {"principals": [ALICE], "actions": ["s3:GetObject"], "resources": ["*"]}
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        sim.access_matrix(**arguments)  # type: ignore[arg-type]


def test_out_of_range_cell_is_a_usage_error(sim: Simulator) -> None:
    """Reading a cell that is not in the matrix names the axis."""
    matrix = sim.access_matrix([ALICE], ["s3:GetObject"], ["*"])
    with pytest.raises(IamSimError, match="resource index 3 is out of range"):
        matrix.decision(0, 0, 3)
    with pytest.raises(IamSimError, match="action 's3:PutObject' is not in the matrix"):
        matrix.decision(0, "s3:PutObject", 0)


def test_no_event_is_logged_per_cell(sim: Simulator) -> None:
    """The matrix logs nothing per cell (one-by-one calls log each decision)."""
    before = len(sim.events())
    sim.access_matrix([ALICE], ["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::b/k"])
    assert len(sim.events()) == before
