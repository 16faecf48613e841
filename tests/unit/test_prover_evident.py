"""PASS answers evident from the text (``_prover/evident.py``; issue 15): NEW grants nothing, or OLD allows everything.

Spec §F.1 (an identity-based Allow is needed for a request of the caller's
own account; a Deny, a boundary, a session policy or an SCP can only take
away) and §B.1/§B.2 (``*`` matches every action and resource).
"""

from __future__ import annotations

import json
from typing import Any

import iamsim
from iamsim import Budget, PolicyBundle, Verdict, parse_policy
from iamsim._prover.evident import allows_everything, grants_nothing

BUDGET = Budget(seconds=20, witnesses=1)


def _policy(*statements: dict[str, Any], kind: str = "identity") -> iamsim.Policy:
    filled = [{"Effect": "Allow", "Resource": "*", **statement} for statement in statements]
    return parse_policy(json.dumps({"Version": "2012-10-17", "Statement": filled}), kind=kind)


ADMIN = _policy({"Action": "*"})
DENY_ALL = _policy({"Effect": "Deny", "Action": "*"})
READ = _policy({"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})


def test_a_policy_that_only_denies_adds_no_access_and_grants_nothing() -> None:
    """§F.1: without an identity-based Allow nothing is allowed: PASS for both identity-side questions."""
    assert grants_nothing(PolicyBundle(identity=(DENY_ALL,)))
    assert iamsim.check_no_new_access(READ, DENY_ALL, budget=BUDGET).verdict is Verdict.PASS
    assert iamsim.check_access_not_granted(DENY_ALL, ["*:*"], budget=BUDGET).verdict is Verdict.PASS
    assert not iamsim.evaluate("arn:aws:iam::111122223333:user/a", "s3:GetObject", "*", identity=[DENY_ALL]).allowed


def test_nothing_is_new_against_allow_everything() -> None:
    """§B.1/§B.2: ``Allow * on *`` with nothing else allows every request, so no NEW adds access."""
    assert allows_everything(PolicyBundle(identity=(ADMIN,)))
    assert iamsim.check_no_new_access(ADMIN, READ, budget=BUDGET).verdict is Verdict.PASS


def test_a_deny_or_a_boundary_makes_allow_everything_not_evident() -> None:
    """§F.1: a Deny or a boundary takes away, so the solver decides: here s3:GetObject is new access (FAIL)."""
    denied = _policy({"Action": "*"}, {"Effect": "Deny", "Action": "s3:*"})
    bounded = PolicyBundle(identity=(ADMIN,), boundary=_policy({"Action": "ec2:*"}, kind="boundary"))
    assert not allows_everything(PolicyBundle(identity=(denied,)))
    assert not allows_everything(bounded)
    result = iamsim.check_no_new_access(denied, READ, budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    assert result.witnesses[0].action == "s3:GetObject"


def test_a_resource_policy_may_grant_so_nothing_is_evident() -> None:
    """§F.1: a resource policy can allow a same-account request without an identity-based Allow."""
    statement = {"Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    bundle = PolicyBundle(identity=(DENY_ALL,), resource=_policy(statement, kind="resource"))
    assert not grants_nothing(bundle)
    conditional = _policy({"Action": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}})
    assert not allows_everything(PolicyBundle(identity=(conditional,)))
