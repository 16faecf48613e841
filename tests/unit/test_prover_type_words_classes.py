"""The prover encodes the resource-type word rule and cuts large checks by service (issue 15).

§B.2 (UG: reference_identifiers.html, "ARNs"): a wildcard may not stand for
the resource-type word of an IAM ARN; the prover now encodes the rule instead
of answering UNKNOWN. Large checks are cut into one solver question per
service (``_prover/action_classes.py``); the cut must not change an answer.
"""

from __future__ import annotations

import json

import pytest

import iamsim
from iamsim import Budget, Verdict, parse_policy
from iamsim._prover import action_classes
from iamsim._prover.action_classes import ActionClass, pattern_service

ACCOUNT = "111122223333"


def _policy(*statements: dict[str, object]) -> iamsim.Policy:
    return parse_policy(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))


def _allow(action: object, resource: object) -> dict[str, object]:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def test_a_wildcard_standing_for_user_grants_no_user_so_no_new_access() -> None:
    """§B.2: ``u*`` does not name users; a baseline that denies every user ARN therefore loses nothing.

    (``user/?*``: a user's name has at least one character, and ``user/`` alone is no user, so ``u*`` still
    matches it; the prover found that witness when the baseline denied ``user/*``.)
    """
    old = _policy(
        _allow("iam:*", f"arn:aws:iam::{ACCOUNT}:*"),
        {"Effect": "Deny", "Action": "iam:*", "Resource": f"arn:aws:iam::{ACCOUNT}:user/?*"},
    )
    new = _policy(_allow("iam:*", f"arn:aws:iam::{ACCOUNT}:u*"))
    assert not iamsim.evaluate(
        f"arn:aws:iam::{ACCOUNT}:user/a", "iam:GetUser", f"arn:aws:iam::{ACCOUNT}:user/bob", identity=[new]
    ).allowed
    result = iamsim.check_no_new_access(old, new)
    assert result.verdict is Verdict.PASS, result.reason


def test_a_spelled_word_is_new_access_with_a_typed_witness() -> None:
    """§B.2: ``user/*`` spells the word, so against a baseline without users the witness is a user ARN."""
    old = _policy(_allow("iam:*", f"arn:aws:iam::{ACCOUNT}:role/*"))
    new = _policy(_allow("iam:*", f"arn:aws:iam::{ACCOUNT}:user/*"))
    result = iamsim.check_no_new_access(old, new)
    assert result.verdict is Verdict.FAIL
    assert all(witness.resource.startswith(f"arn:aws:iam::{ACCOUNT}:user/") for witness in result.witnesses)


def test_a_wildcard_word_still_matches_untyped_resources() -> None:
    """§B.2: the rule takes only typed resources away; ``u*`` still matches ``...:ux`` (no IAM type)."""
    new = _policy(_allow("iam:*", f"arn:aws:iam::{ACCOUNT}:u*"))
    result = iamsim.check_access_not_granted(new, ["iam:*"])
    assert result.verdict is Verdict.FAIL
    for witness in result.witnesses:
        assert iamsim.evaluate(witness.principal, witness.action, witness.resource, identity=[new]).allowed


def test_pattern_service_reads_the_text_before_the_first_colon() -> None:
    """§B.1: an action's service is its prefix; a wildcard there keeps the pattern in every class."""
    assert pattern_service("s3:get*") == "s3"
    assert pattern_service("s3*:get*") is None
    assert pattern_service("*") is None
    assert pattern_service("nocolon") == "nocolon:"
    every_other = ActionClass(others=frozenset({"s3"}))
    assert every_other.admits(None)
    assert not every_other.admits("s3")
    assert every_other.admits("ec2")
    assert ActionClass(services=frozenset({"s3"})).admits("s3")
    assert not ActionClass(services=frozenset({"s3"})).admits("ec2")


def _wide(services: list[str], names: list[str]) -> list[str]:
    return [f"{service}:{name}" for service in services for name in names]


SERVICES = ["s3", "ec2", "sqs", "sns", "kms", "iam", "lambda", "dynamodb"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (_wide(SERVICES, ["Get*", "List*", "Describe*"]), _wide(SERVICES, ["Get*", "List*"]), Verdict.PASS),
        (_wide(SERVICES, ["Get*", "List*"]), _wide(SERVICES, ["Get*", "List*", "Put*"]), Verdict.FAIL),
        (_wide(SERVICES, ["Get*", "List*"]), [*_wide(SERVICES, ["Get*"]), "s3*:Put*"], Verdict.FAIL),
        (["*"], _wide(SERVICES, ["Get*", "List*", "Tag*"]), Verdict.PASS),
    ],
)
def test_a_cut_check_answers_as_the_uncut_one(
    old: list[str], new: list[str], expected: Verdict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§B.1: cutting by service is exact, so the verdict with classes equals the verdict without."""
    old_policy, new_policy = _policy(_allow(old, "*")), _policy(_allow(new, "*"))
    monkeypatch.setattr(action_classes, "_CUT_FROM", 4)
    assert len(action_classes.action_classes([p.casefold() for p in old + new])) > 1
    cut = iamsim.check_no_new_access(old_policy, new_policy, budget=Budget(seconds=60))
    monkeypatch.setattr(action_classes, "_CUT_FROM", 10**6)
    uncut = iamsim.check_no_new_access(old_policy, new_policy, budget=Budget(seconds=60))
    assert cut.verdict is uncut.verdict is expected
