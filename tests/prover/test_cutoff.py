"""The hard cutoff: a check answers within its budget even when the work inside ignores it (issue 15).

Spec §K (docs/spec/) leaves a check's budget to the tool; issue 15 asks that
a check "that may be slow" answer UNKNOWN naming the budget rather than run
past it. The jobs below stand for a check whose solver ignores its timeout
(z3 was measured taking 15 s on a 10 s budget): they sleep regardless of the
budget they are given. Bounds are generous (a loaded 2-core machine); the
budgets are short so the file stays quick.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._prover import Budget, CheckResult, Verdict, check_no_new_access
from iamsim._prover.checks import DEFAULT_ACCOUNT as ACCOUNT
from iamsim._prover.checks import check_no_new_access_here
from iamsim._prover.cutoff import Cutoff

#: Time a kill, a process start and a loaded machine may add to a budget.
MARGIN = 5.0
#: The in-process slice of these tests' cutoff (the library's is longer: a share of the budget).
SLICE = 0.5


@pytest.fixture
def cutoff() -> Iterator[Cutoff]:
    """A cutoff of its own, with a short slice, whose worker ends with the test."""
    made = Cutoff(share=0.0, floor=SLICE)
    yield made
    made.close()


#: The test process: the jobs tell whether they run in it or in the worker.
PARENT = os.getpid()


def stubborn(seconds: float, budget: Budget) -> CheckResult:
    """A check that runs ``seconds`` in the worker whatever its budget (module-level: the worker imports it).

    In this process it overruns its budget only a little, as z3 does, so the
    abandoned slice releases the solver lock before the test ends and the
    tests stay independent.
    """
    time.sleep(seconds if os.getpid() != PARENT else min(seconds, budget.seconds + 0.3))
    return CheckResult("stubborn", Verdict.PASS, details={"pid": os.getpid()})


def test_a_check_that_ignores_its_budget_is_stopped_at_the_deadline(cutoff: Cutoff) -> None:
    """Issue 15: a budget of 1.5 s over a job of an hour answers UNKNOWN, 'ran out of the time budget', in time."""
    started = time.monotonic()
    result = cutoff.run("stubborn", stubborn, (3600.0,), Budget(seconds=1.5))
    elapsed = time.monotonic() - started
    assert result.verdict is Verdict.UNKNOWN
    assert result.reason == "ran out of the time budget of 1.5 s (stopped at the deadline)"
    assert elapsed < 1.5 + MARGIN
    # The killed worker is replaced: the next slow check still gets its answer.
    again = cutoff.run("stubborn", stubborn, (SLICE + 0.5,), Budget(seconds=30))
    assert again.verdict is Verdict.PASS


def test_a_check_longer_than_the_slice_is_answered_by_one_reused_worker(cutoff: Cutoff) -> None:
    """Issue 15: past the in-process slice the check moves to a worker process, started once for many checks."""
    first = cutoff.run("stubborn", stubborn, (SLICE + 0.5,), Budget(seconds=30))
    second = cutoff.run("stubborn", stubborn, (SLICE + 0.5,), Budget(seconds=30))
    assert first.verdict is second.verdict is Verdict.PASS
    assert first.details["pid"] != os.getpid()
    assert first.details["pid"] == second.details["pid"]


def test_a_fast_check_stays_in_process(cutoff: Cutoff) -> None:
    """Issue 15: a check that answers within the slice never starts a process."""
    result = cutoff.run("stubborn", stubborn, (0.0,), Budget(seconds=10))
    assert result.details["pid"] == os.getpid()


def test_a_real_check_answers_the_same_through_the_cutoff() -> None:
    """§B.1 (docs/spec/): s3:* on a bucket's objects is new access over s3:Get*; the witness survives the cutoff."""
    old = parse_policy(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]},
        PolicyKind.IDENTITY,
    )
    new = parse_policy(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}]},
        PolicyKind.IDENTITY,
    )
    result = check_no_new_access(old, new, budget=Budget(seconds=30))
    assert result.verdict is Verdict.FAIL
    assert result.witnesses
    assert not result.witnesses[0].action.lower().startswith("s3:get")


#: A generated pair on which z3 ignores both its timeout and ``Context.interrupt()`` (seen running for minutes
#: inside the check that screens for an impossible conjunct): only killing the worker stops it.
STUCK_OLD = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "NotAction": ["sts:AssumeRole"],
            "NotResource": ["arn:aws:s3:::*"],
            "Condition": {"NumericLessThan": {"s3:max-keys": "10"}},
        },
        {
            "Effect": "Allow",
            "Action": ["*"],
            "Resource": ["arn:aws:s3:::b/k"],
            "Condition": {"StringLike": {"aws:RequestedRegion": "eu-*"}},
        },
    ],
}
STUCK_NEW = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["*", "s3:GetObject"],
            "Resource": ["arn:aws:s3:::b/k", "arn:aws:s3:::b/*"],
            "Condition": {"StringEqualsIfExists": {"aws:RequestedRegion": "eu-west-1"}},
        },
        {
            "Effect": "Allow",
            "Action": ["sts:AssumeRole*"],
            "Resource": ["arn:aws:iam::111122223333:role/*"],
            "Condition": {"Null": {"aws:RequestedRegion": "true"}},
        },
        {
            "Effect": "Allow",
            "Action": ["s3:*", "ec2:run?nstances"],
            "Resource": ["arn:aws:s3:::b/k", "arn:aws:s3:::b/*"],
            "Condition": {"NumericLessThan": {"s3:max-keys": "10"}},
        },
    ],
}


def test_a_real_check_z3_does_not_stop_answers_unknown_within_the_budget() -> None:
    """Issue 15: a real check whose solver ignores its timeout answers UNKNOWN near its budget, never PASS.

    Runs every check in the worker (no slice: a slice would leave a thread of the test process
    busy in z3), with a budget of 3 s. If a z3 release stops ignoring the timeout here, the check
    may answer FAIL instead: also in time.
    """
    old = parse_policy(STUCK_OLD, PolicyKind.IDENTITY)
    new = parse_policy(STUCK_NEW, PolicyKind.IDENTITY)
    cutoff = Cutoff(share=0.0, floor=0.0)
    started = time.monotonic()
    try:
        result = cutoff.run("no-new-access", check_no_new_access_here, (old, new, ACCOUNT), Budget(seconds=3))
    finally:
        cutoff.close()
    assert time.monotonic() - started < 3 + MARGIN
    assert result.verdict is not Verdict.PASS
    if result.verdict is Verdict.UNKNOWN:
        assert (result.reason or "").startswith("ran out of the time budget of 3 s")
