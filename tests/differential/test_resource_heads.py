"""Filing long candidate lists by the literal head of their resource patterns changes no decision (issue 16).

The head index offers a statement only to resources starting with its patterns' common literal head, or,
when a wildcard region or account cuts that short, to resources of exactly five colons whose resource part
starts with the head of the patterns' resource part (every other resource gets them all). These
policies hold enough statements per action (at least 12) for the index to be built, with heads of many
lengths, patterns that start with a wildcard, lists of patterns, policy variables (§D, UG:
reference_policies_variables.html) and ``NotResource`` (§B.2); the compiled result must equal the reference
evaluator's (§F.1, UG:reference_policies_evaluation-logic.html) on every field, memo and cold path alike,
and on a repeated action, where the index files a long list by head (the first request only scans it).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamsim._engine.compiled import compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.request import Principal, Request
from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy

ACCOUNT = "111122223333"
PATTERNS = (
    "arn:aws:s3:::team1-bucket/*",
    "arn:aws:s3:::team12-bucket/*",
    "arn:aws:s3:::team1*",
    "arn:aws:s3:::team1-bucket/secret-*",
    "arn:aws:s3:::team?-bucket/*",
    "arn:aws:s3:::*-bucket/x",
    "arn:aws:s3:::home/${aws:username}/*",
    "arn:aws:s3:::TEAM1-bucket/*",
    f"arn:aws:sqs:*:{ACCOUNT}:team1-*",
    "arn:aws:sqs:*:*:team1-q*",
    f"arn:aws:sqs:us-*:{ACCOUNT}:team*",
    "arn:aws:sqs:*:*:*:team1-*",
    f"arn:aws:sqs:us-east-1:{ACCOUNT}:team1-queue",
    "arn:aws:sqs",
    "*",
)
RESOURCES = (
    "arn:aws:s3:::team1-bucket/a",
    "arn:aws:s3:::team1-bucket/secret-b",
    "arn:aws:s3:::team12-bucket/c",
    "arn:aws:s3:::team2-bucket/x",
    "arn:aws:s3:::home/alice/d",
    "arn:aws:s3:::TEAM1-bucket/a",
    "arn:aws:s3:::team1",
    f"arn:aws:sqs:us-east-1:{ACCOUNT}:team1-queue",
    f"arn:aws:sqs:eu-west-1:{ACCOUNT}:team1-other",
    # Six colons: a segment-ending ``*`` may take one, so resource-part heads cannot rule statements out.
    f"arn:aws:sqs:us-east-1:{ACCOUNT}:x:team1-queue",
    f"arn:aws:sqs:us-east-1:{ACCOUNT}:team1-queue:extra",
    "*",
)


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Effect": draw(st.sampled_from(("Allow", "Allow", "Allow", "Deny"))),
        "Action": draw(st.sampled_from(("s3:GetObject", "s3:Get*", "sqs:SendMessage", "*"))),
    }
    patterns = draw(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3, unique=True))
    out["NotResource" if "*" not in patterns and draw(st.integers(0, 6)) == 0 else "Resource"] = patterns
    if draw(st.integers(0, 4)) == 0:
        out["Condition"] = {"StringEquals": {"aws:ResourceTag/env": "prod"}}
    return out


@settings(max_examples=60, deadline=None)
@given(
    body=st.lists(statements(), min_size=14, max_size=40),
    action=st.sampled_from(("s3:GetObject", "s3:GetBucketAcl", "sqs:SendMessage")),
    resource=st.sampled_from(RESOURCES),
    env=st.sampled_from((None, "prod")),
)
def test_head_index_agrees_with_the_reference_f1(
    body: list[dict[str, Any]], action: str, resource: str, env: str | None
) -> None:
    """§F.1: every field of the result equals the reference's with the head index in play."""
    policy = parse_policy(json.dumps({"Version": "2012-10-17", "Statement": body}), PolicyKind.IDENTITY, name="p")
    policies = PolicySet(identity=(policy,))
    principal = Principal.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice")
    request = Request.create(principal, action, resource, None if env is None else {"aws:ResourceTag/env": env})
    expected = evaluate_reference(policies, request)
    compiled = compile_policy_set(policies)
    # Without the decision memo the second request reaches the index again, which files the list by head then.
    bare = compile_policy_set(policies, memo_size=0)
    for result in (
        compiled.evaluate(request),
        compiled.evaluate(request),
        bare.evaluate(request),
        bare.evaluate(request),
    ):
        assert (result.decision, result.determining, result.denied_by, result.missing_context_keys) == (
            expected.decision, expected.determining, expected.denied_by, expected.missing_context_keys,
        )  # fmt: skip
    assert compiled.is_allowed(request) == expected.allowed
