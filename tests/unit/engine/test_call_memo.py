"""The public API's call memo answers as the full path does (issue 16): the same decision, determining
statements and request fields for every call sequence, errors never remembered as answers.

The decisions follow spec §F.1 (the evaluation order) and §C (conditions on the caller's context, keys
case-insensitive, §C.2); the principal's own keys are spec §E. AWS page: "Policy evaluation logic"
(docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamsim import PolicyEvaluator
from iamsim._engine.call_memo import call_key
from iamsim._engine.request import Principal, PrincipalType, Request
from iamsim._engine.result import EvaluationResult
from iamsim.errors import IamSimError

ROLE = "arn:aws:iam::111122223333:role/app"
OTHER = "arn:aws:iam::444455556666:user/bob"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::logs/*"},
        {
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}, "Bool": {"aws:SecureTransport": "true"}},
        },
        {
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::logs/secret/*",
            "Condition": {"StringNotEquals": {"aws:username": "bob"}},
        },
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        },
    ],
}

# Two principals that share the ARN string yet differ: the username key a statement reads.
TWIN_A = Principal("arn:aws:iam::444455556666:user/bob", PrincipalType.USER, "444455556666", username="bob")
TWIN_B = Principal("arn:aws:iam::444455556666:user/bob", PrincipalType.USER, "444455556666", username="eve")


class Mimic:
    """Not a string, yet equal to one and hashed like it: must never be answered as that string."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return other == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class Text(str):
    """A ``str`` subclass: the full path decides it; the memo's exact-type checks send it there."""


principals = st.sampled_from([ROLE, OTHER, TWIN_A, TWIN_B, "arn:aws:iam::111122223333:role/app", Text(ROLE)])
actions = st.sampled_from(["s3:GetObject", "s3:PutObject", "s3:ListBucket", "S3:getobject", "GetObject"])
resources = st.sampled_from(["arn:aws:s3:::logs/a", "arn:aws:s3:::logs/secret/b", "*", ""])
keys: st.SearchStrategy[Any] = st.sampled_from(
    [
        *("aws:PrincipalTag/team", "AWS:principaltag/TEAM", "aws:SecureTransport", "aws:SourceIp", "aws:username"),
        *(Mimic("aws:SourceIp"), Text("aws:username")),
    ]
)

values: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(["blue", "red", "true", "false", "10.1.2.3", "192.0.2.1", "bob"]),
    st.booleans(),
    st.sampled_from([1, 0, ["blue"], ("blue", "red"), Mimic("blue"), Mimic("true"), Text("blue")]),
)
contexts = st.one_of(st.none(), st.dictionaries(keys, values, max_size=4))
calls = st.tuples(principals, actions, resources, contexts, st.sampled_from([None, None, "444455556666", "12"]))


def _fields(result: EvaluationResult) -> tuple[object, ...]:
    request: Request = result.request
    return (
        result.decision,
        result.determining,
        result.denied_by,
        result.missing_context_keys,
        result.rule,
        result.key_policy,
        request.principal,
        request.action,
        request.resource,
        dict(request.context),
        request.resource_account,
    )


def _answer(evaluator: PolicyEvaluator, call: tuple[Any, ...], method: str) -> object:
    principal, action, resource, context, account = call
    try:
        if method == "evaluate":
            return _fields(evaluator.evaluate(principal, action, resource, context=context, resource_account=account))
        return evaluator.is_allowed(principal, action, resource, context=context, resource_account=account)
    except IamSimError as error:
        return (type(error), str(error))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(calls, st.sampled_from(["evaluate", "is_allowed"]), st.booleans()), max_size=25))
def test_cached_answers_equal_uncached_answers_f1(sequence: list[tuple[tuple[Any, ...], str, bool]]) -> None:
    """§F.1, §C.2, §E: one evaluator answering a call sequence (with repeats) equals a fresh evaluator per call.

    After each call the context dict may be mutated in place: a later call with the mutated dict must be
    answered for its new content, not from the memo entry of the old one.
    """
    cached = PolicyEvaluator.from_policies(identity=[POLICY])
    seen: list[tuple[tuple[Any, ...], str]] = []
    for call, method, mutate in sequence:
        for earlier in [*seen[-2:], (call, method)]:  # repeat recent calls, the memo answering them
            fresh = PolicyEvaluator.from_policies(identity=[POLICY])
            assert _answer(cached, *earlier) == _answer(fresh, *earlier)
        seen.append((call, method))
        context = call[3]
        if mutate and context:
            first = next(iter(context))
            context[first] = "red" if context[first] != "red" else "blue"


def test_principals_sharing_an_arn_are_not_confused_e() -> None:
    """§E: ``aws:username`` comes from the principal object; a twin with the same ARN gets its own answer."""
    evaluator = PolicyEvaluator.from_policies(identity=[POLICY])
    resource = "arn:aws:s3:::logs/secret/b"
    assert evaluator.is_allowed(TWIN_A, "s3:GetObject", resource)
    assert not evaluator.is_allowed(TWIN_B, "s3:GetObject", resource)
    assert evaluator.evaluate(TWIN_A, "s3:GetObject", resource).allowed
    assert not evaluator.evaluate(TWIN_B, "s3:GetObject", resource).allowed


def test_a_repeated_call_returns_the_remembered_result_f1() -> None:
    """§F.1: the same call again is answered from the memo (the same immutable result object)."""
    evaluator = PolicyEvaluator.from_policies(identity=[POLICY])
    context = {"aws:SourceIp": "10.1.2.3"}
    first = evaluator.evaluate(ROLE, "s3:ListBucket", "*", context=context)
    assert evaluator.evaluate(ROLE, "s3:ListBucket", "*", context=dict(context)) is first
    context["aws:SourceIp"] = "192.0.2.1"
    assert not evaluator.evaluate(ROLE, "s3:ListBucket", "*", context=context).allowed


@pytest.mark.parametrize(
    "context",
    [{"aws:SecureTransport": True}, {"aws:SecureTransport": 1}, {"k": ["a"]}, {1: "x"}, (("k", "v"),)],
)
def test_values_that_are_not_plain_strings_get_no_key_c2(context: Any) -> None:
    """§C.2: ``True`` equals ``1`` yet normalises to ``"true"`` not ``"1"``: such calls take the full path."""
    assert call_key(ROLE, "s3:GetObject", "*", context, None) is None


def test_bad_input_is_refused_every_time_f1() -> None:
    """Bad input raises on the first call and again on the next: an error is never remembered as an answer."""
    evaluator = PolicyEvaluator.from_policies(identity=[POLICY])
    for _ in range(2):
        with pytest.raises(IamSimError, match="context key"):
            evaluator.evaluate(ROLE, "s3:GetObject", "*", context={"": "x"})
        with pytest.raises(IamSimError, match="resource account"):
            evaluator.is_allowed(ROLE, "s3:GetObject", "*", resource_account="12")


def test_an_object_equal_to_a_remembered_value_gets_its_own_error_c2() -> None:
    """§C.2: context values are strings, booleans, numbers or lists of them. An object merely equal to a
    remembered string (same hash) is refused as on a first call, not answered from the recent-call memo."""
    evaluator = PolicyEvaluator.from_policies(identity=[POLICY])
    assert evaluator.evaluate(ROLE, "s3:ListBucket", "*", context={"aws:SourceIp": "10.1.2.3"}).allowed
    assert evaluator.is_allowed(ROLE, "s3:ListBucket", "*", context={"aws:SourceIp": "10.1.2.3"})
    for method in (evaluator.evaluate, evaluator.is_allowed):
        with pytest.raises(IamSimError, match="unsupported type Mimic"):
            method(ROLE, "s3:ListBucket", "*", context={"aws:SourceIp": Mimic("10.1.2.3")})
        with pytest.raises(IamSimError, match="context key"):
            method(ROLE, "s3:ListBucket", "*", context={Mimic("aws:SourceIp"): "10.1.2.3"})  # type: ignore[dict-item]


def test_no_context_and_an_object_equal_to_none_are_not_confused_c2() -> None:
    """§C.2: a call without a context is remembered as such; an object claiming to equal ``None`` is refused."""

    class EqualsAll:
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = object.__hash__

    evaluator = PolicyEvaluator.from_policies(identity=[POLICY])
    assert evaluator.evaluate(ROLE, "s3:GetObject", "arn:aws:s3:::logs/a").allowed
    with pytest.raises(IamSimError, match="context must be a mapping"):
        evaluator.evaluate(ROLE, "s3:GetObject", "arn:aws:s3:::logs/a", context=EqualsAll())  # type: ignore[arg-type]
    # An empty dict decides as no context; it takes its own entry and the same answer.
    assert evaluator.evaluate(ROLE, "s3:GetObject", "arn:aws:s3:::logs/a", context={}).allowed


def test_the_recent_entry_follows_the_last_context_c2() -> None:
    """§C.2: one recent entry per principal, action and resource: calls alternating between two contexts, and
    a context dict changed in place between calls, are each answered for the content they carry."""
    evaluator = PolicyEvaluator.from_policies(identity=[POLICY])
    inside, outside = {"aws:SourceIp": "10.1.2.3"}, {"aws:SourceIp": "192.0.2.1"}
    for _ in range(2):
        assert evaluator.is_allowed(ROLE, "s3:ListBucket", "*", context=inside)
        assert not evaluator.is_allowed(ROLE, "s3:ListBucket", "*", context=outside)
        assert evaluator.evaluate(ROLE, "s3:ListBucket", "*", context=inside).allowed
        assert not evaluator.evaluate(ROLE, "s3:ListBucket", "*", context=outside).allowed
    context = dict(inside)
    assert evaluator.evaluate(ROLE, "s3:ListBucket", "*", context=context).allowed
    context["aws:SourceIp"] = "192.0.2.1"
    assert not evaluator.evaluate(ROLE, "s3:ListBucket", "*", context=context).allowed
    context["aws:SourceIp"] = Text("10.1.2.3")
    result = evaluator.evaluate(ROLE, "s3:ListBucket", "*", context=context)
    assert result.allowed
    assert type(result.request.context["aws:sourceip"]) is Text


def test_a_principal_and_its_arn_are_remembered_apart_e() -> None:
    """§E: a :class:`Principal` is remembered by identity, an ARN by its text; a twin principal with the same
    ARN and a ``str`` subclass of the ARN each get the answer the full path gives them."""
    evaluator = PolicyEvaluator.from_policies(identity=[POLICY])
    resource = "arn:aws:s3:::logs/secret/b"
    assert evaluator.is_allowed(OTHER, "s3:GetObject", resource)  # the ARN's user name is bob
    assert evaluator.evaluate(OTHER, "s3:GetObject", resource).allowed
    assert not evaluator.is_allowed(TWIN_B, "s3:GetObject", resource)  # the same ARN, user name eve
    assert evaluator.evaluate(TWIN_A, "s3:GetObject", resource).allowed
    assert not evaluator.evaluate(TWIN_B, "s3:GetObject", resource).allowed
    assert evaluator.evaluate(TWIN_A, "s3:GetObject", resource).allowed
    fresh = PolicyEvaluator.from_policies(identity=[POLICY])
    assert _fields(evaluator.evaluate(Text(OTHER), "s3:GetObject", resource)) == _fields(
        fresh.evaluate(OTHER, "s3:GetObject", resource)
    )
