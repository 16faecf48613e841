"""The public API's direct path answers exactly as the full path and the reference evaluator (issue 16).

:class:`~iamsim._engine.call_path.CallPath` decides ``PolicyEvaluator.evaluate``/``is_allowed`` calls on
identity-only sets from the call's arguments, without building a request. On generated identity policies
(§A, conditions §C, policy variables §D, matching §B) and calls by every kind of caller (§E: the
principal's own keys), the result must equal, field for field, what the full path gives
(``Request.create`` then ``CompiledPolicySet.evaluate``) and the reference evaluator's decision, under
the evaluation order of §F.1 (AWS: "Policy evaluation logic",
docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html); bad input raises the
same error.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamsim import PolicyEvaluator
from iamsim._engine.call_path import CallResult
from iamsim._engine.compiled import compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.request import Principal, Request
from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim.errors import IamSimError

from .strategies import Focus, contexts, policy_documents, request_parts
from .vocabulary import PRINCIPALS

_ARN_PRINCIPALS = sorted(
    {p.arn for p in PRINCIPALS.values() if p.arn.startswith("arn:aws:iam::") or p.arn.startswith("arn:aws:sts::")}
)


def _fields(result: EvaluationResult) -> tuple[Any, ...]:
    request = result.request
    return (
        result.decision,
        result.determining,
        result.denied_by,
        result.missing_context_keys,
        result.explanation,
        result.rule,
        result.key_policy,
        request.principal,
        request.action,
        request.resource,
        dict(request.context),
        request.resource_account,
    )


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return "ok", call()
    except IamSimError as error:
        return type(error).__name__, str(error)


@st.composite
def calls(draw: st.DrawFn) -> tuple[PolicySet, Principal | str, str, str, dict[str, Any], str | None]:
    """Identity policies biased towards one call, and that call (principal as an object or an ARN)."""
    name = draw(st.sampled_from(sorted(PRINCIPALS)))
    principal: Principal | str = PRINCIPALS[name]
    action, resource, owner = draw(request_parts(False))
    focus = Focus(action, resource, PRINCIPALS[name])
    docs = draw(st.lists(policy_documents(PolicyKind.IDENTITY, focus, max_statements=4), min_size=1, max_size=3))
    policies = PolicySet(
        identity=tuple(parse_policy(doc, PolicyKind.IDENTITY, name=f"p{i}") for i, doc in enumerate(docs))
    )
    if draw(st.booleans()) and _ARN_PRINCIPALS:
        principal = draw(st.sampled_from(_ARN_PRINCIPALS))
    keys = frozenset(
        key.casefold()
        for doc in docs
        for statement in (doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]])
        for tests in statement.get("Condition", {}).values()
        for key in tests
    )
    context = draw(contexts(keys))
    if draw(st.integers(0, 3)) > 0:
        # Mostly plain strings: the calls the direct path serves (others take the full path).
        context = {key: value for key, value in context.items() if type(value) is str}
    if draw(st.integers(0, 9)) == 0:
        action = draw(st.sampled_from(["GetObject", "s3:GetObject"]))
        resource = draw(st.sampled_from(["", resource]))
        owner = draw(st.sampled_from([None, "12345", owner]))
    return policies, principal, action, resource, context, owner


@settings(max_examples=300, deadline=None)
@given(call=calls())
def test_direct_path_equals_the_full_path_and_the_reference_f1(
    call: tuple[PolicySet, Principal | str, str, str, dict[str, Any], str | None],
) -> None:
    """§F.1: evaluate and is_allowed through the direct path equal the full path and the reference."""
    policies, who, action, resource, context, owner = call
    evaluator = PolicyEvaluator(policies)
    principal = who if isinstance(who, Principal) else Principal.from_arn(who)

    def full() -> EvaluationResult:
        request = Request.create(principal, action, resource, context, resource_account=owner)
        return compile_policy_set(policies).evaluate(request)

    expected = _outcome(full)
    for _ in range(2):  # the first call decides, the second comes from the call memo
        got = _outcome(lambda: evaluator.evaluate(who, action, resource, context=context, resource_account=owner))
        if expected[0] != "ok":
            assert got == expected
            continue
        assert got[0] == "ok"
        assert _fields(got[1]) == _fields(expected[1])
        reference = evaluate_reference(policies, expected[1].request)
        assert (got[1].decision, got[1].determining, got[1].denied_by, got[1].missing_context_keys) == (
            reference.decision, reference.determining, reference.denied_by, reference.missing_context_keys,
        )  # fmt: skip
    fresh = PolicyEvaluator(policies)
    allowed = _outcome(lambda: fresh.is_allowed(who, action, resource, context=context, resource_account=owner))
    assert allowed == (expected if expected[0] != "ok" else ("ok", expected[1].allowed))
    if expected[0] == "ok" and all(type(v) is str for v in context.values()):
        # A plain call on identity policies alone is the direct path's: the check above could fail.
        assert isinstance(got[1], CallResult)


def test_call_result_reads_like_a_result_f1() -> None:
    """§F.1: a direct-path result keeps the call's context as it was, pickles and copies as a plain result."""
    evaluator = PolicyEvaluator.from_policies(
        identity=[
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::logs/*",
                        "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}},
                    }
                ],
            }
        ]
    )
    context = {"aws:PrincipalTag/team": "blue", "Extra:Key": "x"}
    arn = "arn:aws:iam::111122223333:user/alice"
    result = evaluator.evaluate(arn, "s3:GetObject", "arn:aws:s3:::logs/a", context=context)
    context["aws:PrincipalTag/team"] = "red"  # changed after the call: the result's request keeps the call's
    assert isinstance(result, CallResult)
    assert result.allowed
    assert result.request.context["aws:principaltag/team"] == "blue"
    assert result.request.context["extra:key"] == "x"
    assert result.request is result.request
    assert result.message() == f"User: {arn} is allowed to perform: s3:GetObject on resource: arn:aws:s3:::logs/a"
    for copied in (pickle.loads(pickle.dumps(result)), copy.copy(result)):
        assert type(copied) is EvaluationResult
        assert _fields(copied)[:7] == _fields(result)[:7]
        assert dict(copied.request.context) == dict(result.request.context)
    replaced = dataclasses.replace(result, determining=())
    assert replaced.request is result.request
    assert replaced.determining == ()
