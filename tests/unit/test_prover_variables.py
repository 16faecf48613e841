"""Policy variables in the prover (spec §D, UG reference_policies_variables.html; issue 15).

Each answer is checked against the concrete evaluator: a FAIL's witnesses are
re-decided by ``iamsim.evaluate``, and each PASS is confronted with the
requests that would refute it if the encoding were wrong.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import iamsim
from iamsim import Budget, Verdict, parse_policy

USER = "arn:aws:iam::111122223333:user/alice"
BUDGET = Budget(seconds=20, witnesses=1)


def _policy(statement: dict[str, Any], version: str = "2012-10-17") -> iamsim.Policy:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", **statement}
    return parse_policy(json.dumps({"Version": version, "Statement": [statement]}), kind="identity")


GET_ANY = _policy({})
TAG_IS_USERNAME = _policy({"Condition": {"StringEquals": {"aws:PrincipalTag/team": "${aws:username}"}}})
HOME_PREFIX = _policy({"Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}})
NOT_HOME = _policy({"Condition": {"StringNotLike": {"s3:prefix": "home/${aws:username}/*"}}})
OWN_ACCOUNT = _policy({"Condition": {"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}}})
DEFAULTED = _policy({"Condition": {"StringEquals": {"aws:RequestTag/x": "${aws:PrincipalTag/x, 'none'}"}}})
HOME_RESOURCE = _policy({"Resource": "arn:aws:s3:::bucket/home/${aws:username}/*"})


def _allowed(policy: iamsim.Policy, resource: str, context: dict[str, Any], principal: str = USER) -> bool:
    return iamsim.evaluate(principal, "s3:GetObject", resource, identity=[policy], context=context).allowed


@pytest.mark.parametrize("new", [TAG_IS_USERNAME, HOME_PREFIX, NOT_HOME, OWN_ACCOUNT, DEFAULTED, HOME_RESOURCE])
def test_a_variable_condition_narrows_a_grant_so_it_adds_no_access(new: iamsim.Policy) -> None:
    """§D: whatever a variable resolves to, a condition on it only narrows the grant: PASS, not UNKNOWN."""
    assert iamsim.check_no_new_access(GET_ANY, new, budget=BUDGET).verdict is Verdict.PASS


@pytest.mark.parametrize("old", [TAG_IS_USERNAME, HOME_PREFIX, NOT_HOME, OWN_ACCOUNT, DEFAULTED, HOME_RESOURCE])
def test_dropping_a_variable_condition_is_new_access_with_a_verified_witness(old: iamsim.Policy) -> None:
    """§D: the grant without the condition allows a request the variable's test refuses; the witness shows it."""
    result = iamsim.check_no_new_access(old, GET_ANY, budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    witness = result.witnesses[0]
    assert _allowed(GET_ANY, witness.resource, witness.context, witness.principal)
    assert not _allowed(old, witness.resource, witness.context, witness.principal)


def test_the_username_variable_is_not_any_value() -> None:
    """§D: ``${aws:username}`` is the caller's own name: a tag equal to the name is not the same as any tag."""
    tag_any = _policy({"Condition": {"StringLike": {"aws:PrincipalTag/team": "*"}}})
    result = iamsim.check_no_new_access(TAG_IS_USERNAME, tag_any, budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    witness = result.witnesses[0]
    assert witness.context["aws:principaltag/team"] != witness.principal.rsplit("/", 1)[1]
    # The reverse holds: the name is one of the values "*" admits, and roles (no username) resolve nothing.
    assert iamsim.check_no_new_access(tag_any, TAG_IS_USERNAME, budget=BUDGET).verdict is Verdict.PASS
    assert _allowed(TAG_IS_USERNAME, "arn:aws:s3:::b/k", {"aws:PrincipalTag/team": "alice"})
    assert not _allowed(TAG_IS_USERNAME, "arn:aws:s3:::b/k", {"aws:PrincipalTag/team": "bob"})


def test_an_unresolved_variable_matches_nothing_and_a_default_stands_in() -> None:
    """§D: a key with no single value and no default leaves the value unresolved; ``'default'`` takes its place."""
    defaulted_none = _policy({"Condition": {"StringEquals": {"aws:RequestTag/x": "none"}}})
    # With no principal tag the default "none" is compared: a request tag "none" is allowed by both.
    result = iamsim.check_no_new_access(defaulted_none, DEFAULTED, budget=BUDGET)
    assert result.verdict is Verdict.FAIL  # a principal tag x = "y" with request tag "y" is new
    witness = result.witnesses[0]
    tagged = witness.context["aws:requesttag/x"]
    assert witness.context["aws:principaltag/x"] in ((tagged,) if isinstance(tagged, str) else tagged)
    assert witness.context["aws:principaltag/x"] != "none"


def test_version_2008_reads_the_variable_as_literal_text() -> None:
    """§D / UG reference_policies_elements_version.html: without 2012-10-17 the text stays as written."""
    literal = _policy({"Condition": {"StringEquals": {"aws:PrincipalTag/team": "${aws:username}"}}}, "2008-10-17")
    result = iamsim.check_no_new_access(literal, TAG_IS_USERNAME, budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    assert result.witnesses[0].context["aws:principaltag/team"] != "${aws:username}"


@pytest.mark.parametrize(
    "statement",
    [
        {"Condition": {"StringLike": {"s3:prefix": "a/${aws:username}/?"}}},
        {"Condition": {"StringLike": {"s3:prefix": "*/${aws:username}/*"}}},
        {"Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::${aws:username}"}}},
        {"Resource": "arn:aws:iam::*:user/${aws:username}"},
    ],
)
def test_forms_not_encoded_answer_unknown_naming_the_variable(statement: dict[str, Any]) -> None:
    """§D: '?' or two '*' runs beside a variable, ArnLike, a variable the type-word rule guards: UNKNOWN, never PASS."""
    result = iamsim.check_no_new_access(GET_ANY, _policy(statement), budget=BUDGET)
    assert result.verdict is Verdict.UNKNOWN
    assert "policy variable" in (result.reason or "")
