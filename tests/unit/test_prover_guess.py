"""Requests the policies name, tried before the solver (``_prover/guess.py``; issue 15, "decide faster").

A guess only counts once both evaluators confirm it refutes the property,
so guessing can turn an UNKNOWN into a verified FAIL but never into a PASS.
Semantics: spec §B.1 (actions), §B.2 (resources), §C (conditions).
"""

from __future__ import annotations

import json
from typing import Any

import iamsim
from iamsim import Budget, Verdict, parse_policy
from iamsim._prover.guess import guesses

ACCOUNT = "111122223333"
BUDGET = Budget(seconds=20, witnesses=3)


def _policy(*statements: dict[str, Any]) -> iamsim.Policy:
    filled = [{"Effect": "Allow", "Resource": "*", **statement} for statement in statements]
    return parse_policy(json.dumps({"Version": "2012-10-17", "Statement": filled}), kind="identity")


def test_a_plain_new_grant_is_a_fail_whose_witnesses_verify() -> None:
    """§B.1: NEW names an action OLD never does; each witness is a real action NEW allows and OLD does not."""
    old = _policy({"Action": "ec2:CreateNetworkInterface", "Resource": "arn:aws:ec2:*:*:subnet/*"})
    new = _policy({"Action": ["ec2:ModifyNetworkInterfaceAttribute", "ec2:Describe*"]})
    result = iamsim.check_no_new_access(old, new, account=ACCOUNT, budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    assert len(result.witnesses) == 3
    for witness in result.witnesses:
        allowed = iamsim.evaluate(
            witness.principal, witness.action, witness.resource, identity=[new], context=witness.context
        )
        refused = iamsim.evaluate(
            witness.principal, witness.action, witness.resource, identity=[old], context=witness.context
        )
        assert allowed.allowed
        assert not refused.allowed
    assert len({witness.action for witness in result.witnesses}) == 3


def test_a_guess_answers_a_check_the_solver_cannot_encode() -> None:
    """§C.2: an IgnoreCase key beside a case-sensitive test is not encoded, but a named request still refutes."""
    old = _policy({"Action": "s3:GetObject", "Condition": {"StringLike": {"aws:RequestTag/team": "?"}}})
    new = _policy({"Action": "s3:GetObject", "Condition": {"StringEqualsIgnoreCase": {"aws:RequestTag/team": "Blue"}}})
    result = iamsim.check_no_new_access(old, new, account=ACCOUNT, budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    assert result.witnesses[0].context == {"aws:requesttag/team": "Blue"}


def test_guesses_never_make_a_pass() -> None:
    """Every guess from a narrower NEW is also allowed by OLD, so none verifies and the solver proves PASS."""
    old = _policy({"Action": "s3:Get*"})
    new = _policy(
        {
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*",
            "Condition": {"Bool": {"aws:SecureTransport": "true"}},
        }
    )
    assert iamsim.check_no_new_access(old, new, account=ACCOUNT, budget=BUDGET).verdict is Verdict.PASS


def test_a_guess_meets_the_plain_conditions_of_its_statement() -> None:
    """§C: a value each plain condition accepts; negated, IfExists and ForAllValues tests are met by leaving
    the key out."""
    conditions = {
        "NumericLessThan": {"s3:max-keys": "10"},
        "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
        "ForAnyValue:StringLike": {"aws:TagKeys": "team-*"},
        "StringNotEquals": {"aws:RequestedRegion": "us-east-1"},
        "Null": {"aws:RequestTag/owner": "false"},
    }
    policy = _policy({"Action": "s3:ListBucket", "Condition": conditions})
    candidate = next(guesses([policy], ACCOUNT))
    assert candidate.action == "s3:ListBucket"
    assert candidate.principal == f"arn:aws:iam::{ACCOUNT}:user/example"
    assert candidate.context == {
        "s3:max-keys": "9",
        "aws:sourceip": "203.0.113.0",
        "aws:tagkeys": ("team-example",),
        "aws:requesttag/owner": "example",
    }
    request = {"identity": [policy], "context": candidate.context}
    assert iamsim.evaluate(candidate.principal, candidate.action, candidate.resource, **request).allowed


def test_wildcard_services_are_left_to_the_solver_and_the_username_is_the_callers() -> None:
    """§B.1: ``*`` covers every service, so no guess is made from it; §D: ``${aws:username}`` is the guessed
    user's own name, and a role session (which has none) makes no guess from that entry."""
    policy = _policy({"Action": "*"}, {"Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"})
    found = list(guesses([policy], ACCOUNT))
    assert {candidate.action for candidate in found} == {"s3:GetObject"}
    assert all("${" not in candidate.resource for candidate in found)
    user = f"arn:aws:iam::{ACCOUNT}:user/example"
    assert any(c.principal == user and c.resource == "arn:aws:s3:::home/example/example" for c in found)
    assert not any(c.principal != user and c.resource.startswith("arn:aws:s3:::home/") for c in found)


def test_a_grant_to_the_callers_own_user_is_found() -> None:
    """§D: IAMUserSSHKeys-style ``user/${aws:username}`` grants are new access against a policy that lacks them."""
    own = _policy({"Action": "iam:UploadSSHPublicKey", "Resource": "arn:aws:iam::*:user/${aws:username}"})
    result = iamsim.check_no_new_access(_policy({"Action": "s3:GetObject"}), own, account=ACCOUNT, budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    assert result.witnesses[0].resource == "arn:aws:iam::example:user/example"
