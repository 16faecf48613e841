"""``StringEqualsIgnoreCase`` in the prover (spec §C.2, UG reference_policies_elements_condition_operators.html).

Each FAIL's witness is re-decided by ``iamsim.evaluate``; each PASS is
confronted with the requests that would refute it if the encoding were wrong.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import iamsim
from iamsim import Budget, Verdict, parse_policy
from iamsim._prover.principals import CALLER_KEYS, MemberCaller, OutsideCaller

USER = "arn:aws:iam::111122223333:user/alice"
BUDGET = Budget(seconds=20, witnesses=1)
TEAM = "aws:RequestTag/team"


def _policy(condition: dict[str, Any] | None = None) -> iamsim.Policy:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return parse_policy(json.dumps({"Version": "2012-10-17", "Statement": [statement]}), kind="identity")


def _allowed(policy: iamsim.Policy, context: dict[str, Any]) -> bool:
    return iamsim.evaluate(USER, "s3:GetObject", "arn:aws:s3:::b/k", identity=[policy], context=context).allowed


GET_ANY = _policy()
BLUE_ANY_CASE = _policy({"StringEqualsIgnoreCase": {TEAM: "Blue"}})
NOT_BLUE_ANY_CASE = _policy({"StringNotEqualsIgnoreCase": {TEAM: "Blue"}})
BLUE_OR_RED = _policy({"StringEqualsIgnoreCase": {TEAM: ["blue", "RED"]}})


def test_an_ignore_case_condition_only_narrows_a_grant() -> None:
    """§C.2: whatever the tag's case, the condition narrows the grant: PASS, not UNKNOWN."""
    assert iamsim.check_no_new_access(GET_ANY, BLUE_ANY_CASE, budget=BUDGET).verdict is Verdict.PASS
    assert iamsim.check_no_new_access(BLUE_OR_RED, BLUE_ANY_CASE, budget=BUDGET).verdict is Verdict.PASS


def test_another_spelling_of_the_same_letters_is_no_new_access() -> None:
    """§C.2: ``BLUE`` and ``blue`` are the same value ignoring case, so neither policy grants more."""
    upper = _policy({"StringEqualsIgnoreCase": {TEAM: "BLUE"}})
    assert iamsim.check_no_new_access(BLUE_ANY_CASE, upper, budget=BUDGET).verdict is Verdict.PASS
    assert iamsim.check_no_new_access(upper, BLUE_ANY_CASE, budget=BUDGET).verdict is Verdict.PASS


@pytest.mark.parametrize(
    ("old", "new"),
    [(BLUE_ANY_CASE, GET_ANY), (BLUE_ANY_CASE, BLUE_OR_RED), (NOT_BLUE_ANY_CASE, BLUE_ANY_CASE)],
)
def test_a_wider_grant_fails_with_a_verified_witness(old: iamsim.Policy, new: iamsim.Policy) -> None:
    """§C.2: the witness's tag is one the new policy accepts and the old one refuses, ignoring case."""
    result = iamsim.check_no_new_access(old, new, budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    context = result.witnesses[0].context
    assert _allowed(new, context)
    assert not _allowed(old, context)


def test_the_negated_operator_refuses_every_spelling() -> None:
    """§C.2: ``StringNotEqualsIgnoreCase`` 'Blue' never lets ``bLUE`` through, so it adds nothing to the equal one."""
    result = iamsim.check_access_not_granted(
        [BLUE_ANY_CASE, _policy({"StringNotEqualsIgnoreCase": {TEAM: "Blue"}, "Null": {TEAM: "false"}})],
        ["s3:GetObject"],
        budget=BUDGET,
    )
    assert result.verdict is Verdict.FAIL
    for witness in result.witnesses:
        assert _allowed(GET_ANY, witness.context)


def test_ignore_case_beside_a_case_sensitive_test_of_the_key_is_unknown() -> None:
    """§C.2: ``ß`` equals ``ss`` ignoring case but matches ``?``: the ASCII encoding cannot mix the two, so UNKNOWN
    (here the truth is PASS: no witness exists, so no guess answers it first)."""
    present = _policy({"StringLike": {TEAM: "*"}})
    result = iamsim.check_no_new_access(present, BLUE_ANY_CASE, budget=BUDGET)
    assert result.verdict is Verdict.UNKNOWN
    assert "StringEqualsIgnoreCase beside" in (result.reason or "")


def test_the_non_ascii_spellings_do_not_refute_a_pass() -> None:
    """§C.2: casefold maps ``ß`` to ``ss`` and ``ſ`` to ``s``: the requests a PASS must cover agree with it."""
    ss = _policy({"StringEqualsIgnoreCase": {TEAM: "ss"}})
    either = _policy({"StringEqualsIgnoreCase": {TEAM: ["SS", "s"]}})
    assert iamsim.check_no_new_access(either, ss, budget=BUDGET).verdict is Verdict.PASS
    for value in ("\u00df", "\u017f\u017f", "sS"):
        assert _allowed(ss, {TEAM: value})
        assert _allowed(either, {TEAM: value})


def test_the_caller_keys_list_matches_the_keys_callers_supply() -> None:
    """The IgnoreCase rule exempts the caller's own keys: the list must name exactly those."""
    assert set(MemberCaller("111122223333").keys()) == CALLER_KEYS
    assert set(OutsideCaller("111122223333").keys()) == CALLER_KEYS
