"""The fast path's slot-setting constructors build exactly what the dataclass constructors build (§F.1 results).

They bypass the frozen ``__init__`` for speed, so a field added to one of these classes
and forgotten in its constructor would go unset: these tests compare every field.
"""

from __future__ import annotations

from dataclasses import fields

from compiled_builders import OBJECT, USER, identity, request

from iamsim._engine.compiled import compile_policy, compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import Request, build_request
from iamsim._engine.result import Decision, EvaluationResult, StatementRef, build_result, build_statement_ref
from iamsim._engine.statements import CompiledStatement
from iamsim._engine.wildcards import GlobSet, compile_glob_set
from iamsim._policy.model import Effect, PolicyKind


def test_f1_build_result_sets_every_field_like_the_constructor() -> None:
    """§F.1: the memo's result is the same EvaluationResult, field for field."""
    req = request(USER, "s3:GetObject", OBJECT)
    fast = build_result(Decision.IMPLICIT_DENY, req, (), PolicyKind.IDENTITY, ("aws:sourceip",))
    slow = EvaluationResult(Decision.IMPLICIT_DENY, req, (), PolicyKind.IDENTITY, ("aws:sourceip",), None)
    assert [getattr(fast, f.name) for f in fields(EvaluationResult)] == [
        getattr(slow, f.name) for f in fields(EvaluationResult)
    ]


def test_build_request_sets_every_field_like_the_constructor() -> None:
    """The simulator's request is the same Request, field for field."""
    req = request(USER, "s3:GetObject", OBJECT, {"aws:SourceIp": "10.0.0.1"})
    fast = build_request(req.principal, req.action, req.resource, req.context, "333333333333")
    slow = Request(req.principal, req.action, req.resource, req.context, "333333333333")
    assert [getattr(fast, f.name) for f in fields(Request)] == [getattr(slow, f.name) for f in fields(Request)]
    assert fast.owning_account == "333333333333"


def test_b2_single_pattern_glob_sets_have_every_field() -> None:
    """§B.2: a one-pattern set is equal to the one the multi-pattern path builds."""
    for pattern in ("arn:aws:s3:::b/*", "a*b*c", "*", "exact", "*suffix", "*mid*", "a?c"):
        one = compile_glob_set((pattern,))
        twice = compile_glob_set((pattern, pattern))
        assert one == twice
        assert {f.name for f in fields(GlobSet)} <= {name for name in GlobSet.__slots__ if hasattr(one, name)}


def test_b1_compiled_statements_have_every_field() -> None:
    """§B.1: every field of a compiled statement is set, and the set built from them decides as before."""
    policy = identity(
        {"Effect": "Allow", "Action": ["s3:Get*", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket/*"},
        {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:iam::*:role/x"},
    )
    for statement in compile_policy(policy).statements:
        assert all(hasattr(statement, f.name) for f in fields(CompiledStatement))
    compiled = compile_policy_set(PolicySet(identity=(policy,)))
    assert compiled.evaluate(request(USER, "s3:GetObject", OBJECT)).decision is Decision.EXPLICIT_DENY
    assert compiled.evaluate(request(USER, "iam:PassRole", "arn:aws:iam::111111111111:role/x")).decision is (
        Decision.IMPLICIT_DENY
    )


def test_f1_build_statement_ref_equals_the_constructor() -> None:
    """§F.1: determining statements are named by equal refs whichever way they were built."""
    args = (PolicyKind.SCP, 1, 2, 3, "guard", "DenyAll", Effect.DENY)
    assert build_statement_ref(*args) == StatementRef(*args)
    assert build_statement_ref(*args).sort_key() == StatementRef(*args).sort_key()


def test_f1_memo_hits_answer_each_request_with_its_own_result() -> None:
    """§F.1: a memo hit for an equal but different request object reports that object, not the first one."""
    policy = identity({"Effect": "Allow", "Action": "s3:GetObject", "Resource": OBJECT})
    compiled = compile_policy_set(PolicySet(identity=(policy,)))
    first = request(USER, "s3:GetObject", OBJECT)
    second = request(USER, "s3:GetObject", OBJECT)
    one = compiled.evaluate(first)
    two = compiled.evaluate(second)
    assert one.request is first
    assert two.request is second
    assert (one.decision, one.determining) == (two.decision, two.determining)
    assert compiled.evaluate(first).request is first
