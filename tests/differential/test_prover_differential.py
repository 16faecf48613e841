"""Issue 15's differential test: `check` against enumerating every request of a small finite universe.

Hypothesis generates identity policies over a few actions, resources and
context values. Wherever enumeration finds a request NEW allows and OLD does
not (or a granted action), the check must say FAIL; every FAIL's witnesses
must verify with the reference evaluator; so no PASS is refuted. Spec §B.1,
§B.2, §C (docs/evaluation.md) define the semantics both sides follow.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.request import Principal, Request
from iamsim._engine.result import Decision
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._prover import Verdict, check_access_not_granted, check_no_new_access

ACCOUNT = "111122223333"
ACTIONS = ("s3:getobject", "s3:putobject", "ec2:runinstances")
ACTION_PATTERNS = ("s3:*", "s3:get*", "*", "ec2:run?nstances", "s3:putobject", "s3:GetObject")
RESOURCES = ("arn:aws:s3:::b/k", "arn:aws:s3:::b/x/y", "arn:aws:s3:::c", "*")
RESOURCE_PATTERNS = ("*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/k", "arn:aws:s3:::*", "arn:aws:s3:::c")
REGIONS = (None, "us-east-1", "eu-west-1", "x")
MAX_KEYS = (None, "5", "50", "abc")
CONDITIONS: tuple[dict[str, Any], ...] = (
    {},
    {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
    {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}},
    {"StringLike": {"aws:RequestedRegion": "eu-*"}},
    {"NumericLessThan": {"s3:max-keys": "10"}},
    {"NumericGreaterThanEquals": {"s3:max-keys": "50"}},
    {"Null": {"aws:RequestedRegion": "true"}},
    {"StringEqualsIfExists": {"aws:RequestedRegion": "eu-west-1"}},
)

statements = st.fixed_dictionaries(
    {
        "Effect": st.sampled_from(("Allow", "Allow", "Deny")),
        "Action": st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=2, unique=True),
        "Resource": st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2, unique=True),
        "Condition": st.sampled_from(CONDITIONS),
    }
).map(lambda s: {k: v for k, v in s.items() if v != {}})
policies = st.lists(statements, min_size=1, max_size=3).map(
    lambda stmts: parse_policy({"Version": "2012-10-17", "Statement": stmts}, PolicyKind.IDENTITY)
)


def _requests() -> list[Request]:
    principal = Principal.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice")
    out = []
    for action, resource, region, keys in itertools.product(ACTIONS, RESOURCES, REGIONS, MAX_KEYS):
        context = {name: value for name, value in (("aws:RequestedRegion", region), ("s3:max-keys", keys)) if value}
        out.append(Request.create(principal, action, resource, context, resource_account=ACCOUNT))
    return out


UNIVERSE = _requests()


def _allowed(policy: Policy, request: Request) -> bool:
    return evaluate_reference(PolicySet(identity=(policy,)), request).decision is Decision.ALLOWED


def _decided(result: Any) -> bool:
    """Whether ``check`` answered; only running out of its time budget may leave it undecided.

    UNKNOWN is always sound, and on a loaded machine a small check can overrun its wall-clock
    budget; any other UNKNOWN on these small universes is a regression and fails.
    """
    if result.verdict is not Verdict.UNKNOWN:
        return True
    assert "time budget" in result.reason, result.reason
    return False


def _witness_request(witness: Any) -> Request:
    return Request.create(
        Principal.from_arn(witness.principal),
        witness.action,
        witness.resource,
        witness.context,
        resource_account=witness.resource_account,
    )


@settings(max_examples=15, deadline=None)
@given(old=policies, new=policies)
def test_no_new_access_agrees_with_enumeration(old: Policy, new: Policy) -> None:
    """§F.1 decisions: enumeration's new access implies FAIL; FAIL witnesses verify; no PASS is refuted."""
    enumerated = any(_allowed(new, r) and not _allowed(old, r) for r in UNIVERSE)
    result = check_no_new_access(old, new, account=ACCOUNT)
    if not _decided(result):
        return
    if enumerated:
        assert result.verdict is Verdict.FAIL
    for witness in result.witnesses:
        request = _witness_request(witness)
        assert _allowed(new, request)
        assert not _allowed(old, request)


@settings(max_examples=15, deadline=None)
@given(policy=policies, action=st.sampled_from(ACTIONS))
def test_access_not_granted_agrees_with_enumeration(policy: Policy, action: str) -> None:
    """An allowed request for the action in the universe implies FAIL; FAIL witnesses are allowed."""
    enumerated = any(_allowed(policy, r) for r in UNIVERSE if r.action == action)
    result = check_access_not_granted(policy, [action], account=ACCOUNT)
    if not _decided(result):
        return
    if enumerated:
        assert result.verdict is Verdict.FAIL
    for witness in result.witnesses:
        assert _allowed(policy, _witness_request(witness))
