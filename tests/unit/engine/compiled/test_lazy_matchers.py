"""A compiled statement builds its matchers the first time a request reads them (issue 16; §B.1, §B.2, §C.1).

Compiling files each statement by its actions and leaves its resource matcher, action
glob set, conditions and principal for first use. These tests pin that the first request
after compiling, any later one, and concurrent first requests decide exactly as a set whose
statements were all built up front, and that nothing is left to fail at request time.
"""

from __future__ import annotations

import copy
import pickle
import threading
from dataclasses import fields

import pytest
from compiled_builders import ACCOUNT, OBJECT, USER, allow, deny, identity, request

from iamsim._engine.compiled import compile_policy, compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference as reference_evaluate
from iamsim._engine.statements import CompiledStatement
from iamsim._policy.model import Policy

POLICY = identity(
    allow(["s3:Get*", "s3:List*"], ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"]),
    deny("s3:GetObject", "arn:aws:s3:::bucket/secret/*"),
    allow("sqs:SendMessage", "arn:aws:sqs:*:111111111111:queue-*", Condition={"Bool": {"aws:SecureTransport": "true"}}),
    allow("iam:PassRole", "arn:aws:iam::111111111111:role/${aws:username}"),
    deny(["ec2:*"], "*", Condition={"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}),
    {"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::other/*"},
)

REQUESTS = [
    request(USER, "s3:GetObject", OBJECT),
    request(USER, "s3:GetObject", "arn:aws:s3:::bucket/secret/k"),
    request(USER, "s3:ListBucket", "arn:aws:s3:::bucket"),
    request(USER, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:111111111111:queue-a", {"aws:SecureTransport": "true"}),
    request(USER, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:111111111111:queue-a", {"aws:SecureTransport": "false"}),
    request(USER, "iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/alice", {"aws:username": "alice"}),
    request(USER, "iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/bob", {"aws:username": "alice"}),
    request(USER, "ec2:RunInstances", "*", {"aws:RequestedRegion": "us-east-1"}),
    request(USER, "kms:Decrypt", "arn:aws:kms:eu-west-1:111111111111:key/k"),
    request(USER, "s3:PutObject", "arn:aws:s3:::other/k"),
]


def _built(policy: Policy) -> PolicySet:
    return PolicySet(identity=(policy,))


def _pending(statement: CompiledStatement) -> bool:
    return statement.pending is not None


def test_compiling_builds_only_what_the_index_files_by_b1() -> None:
    """§B.1: compiling builds no matcher but those of statements tested for every action (``NotAction``).

    The index files those by the ARN service their ``Resource`` patterns fix, so it reads their resource.
    """
    compiled = compile_policy_set(_built(POLICY))
    statements = compiled._placed[0].compiled.statements
    assert [_pending(s) for s in statements] == [not s.keys.always for s in statements]
    assert statements[-1].keys.always
    assert compiled.identity_only  # answered from the source statements, building nothing
    assert [_pending(s) for s in statements] == [True] * 5 + [False]


def test_first_request_builds_only_the_candidates_it_reaches_b1() -> None:
    """§B.1: the first request builds the statements its action's bucket holds, and only those."""
    compiled = compile_policy_set(_built(POLICY))
    statements = compiled._placed[0].compiled.statements
    compiled.evaluate(request(USER, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:111111111111:queue-a"))
    built = [not _pending(s) for s in statements]
    # The sqs statement and the NotAction statement (a candidate of every action) are built; the s3 ones are not.
    assert built == [False, False, True, False, False, True]


@pytest.mark.parametrize("index", range(len(REQUESTS)))
def test_first_request_after_compile_decides_as_the_reference_b2(index: int) -> None:
    """§B.2, §C.1: a fresh set's very first request is decided as the reference evaluator decides it."""
    req = REQUESTS[index]
    fresh = compile_policy_set(_built(POLICY)).evaluate(req)
    expected = reference_evaluate(_built(POLICY), req)
    assert (fresh.decision, fresh.determining, fresh.missing_context_keys) == (
        expected.decision,
        expected.determining,
        expected.missing_context_keys,
    )


def test_lazy_statement_equals_one_built_up_front_b1() -> None:
    """§B.1: reading every field builds the statement; it equals, copies and pickles as a built one."""
    lazy = compile_policy(POLICY).statements
    eager = compile_policy(POLICY).statements
    for statement in eager:
        assert all(hasattr(statement, f.name) for f in fields(CompiledStatement))
        assert not _pending(statement)
    assert all(_pending(s) for s in lazy)
    assert lazy == eager  # equality reads the fields, which builds them
    assert not any(_pending(s) for s in lazy)
    fresh = compile_policy(POLICY).statements[0]
    assert copy.copy(fresh) == eager[0]
    restored = pickle.loads(pickle.dumps(eager[3]))
    assert restored.resource == eager[3].resource
    assert restored.pending is None


def test_unknown_attribute_is_still_an_attribute_error_b1() -> None:
    """§B.1: only the matcher fields are built on demand; any other name is an ordinary AttributeError."""
    statement = compile_policy(POLICY).statements[0]
    with pytest.raises(AttributeError):
        _ = statement.no_such_field  # type: ignore[attr-defined]
    assert _pending(statement)


def test_concurrent_first_requests_agree_c1() -> None:
    """§C.1: threads that reach the same unbuilt statements at once all decide as the reference does."""
    expected = [reference_evaluate(_built(POLICY), req) for req in REQUESTS]
    for _ in range(5):
        compiled = compile_policy_set(_built(POLICY), memo_size=0)
        barrier = threading.Barrier(8)
        outcomes: list[list[tuple[object, ...]]] = []
        failures: list[BaseException] = []

        def run(
            compiled: object = compiled,
            barrier: threading.Barrier = barrier,
            outcomes: list[list[tuple[object, ...]]] = outcomes,
            failures: list[BaseException] = failures,
        ) -> None:
            try:
                barrier.wait()
                results = [compiled.evaluate(req) for req in REQUESTS]  # type: ignore[attr-defined]
                outcomes.append([(r.decision, r.determining, r.missing_context_keys) for r in results])
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=run) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert len(outcomes) == 8
        wanted = [(r.decision, r.determining, r.missing_context_keys) for r in expected]
        assert all(outcome == wanted for outcome in outcomes)
