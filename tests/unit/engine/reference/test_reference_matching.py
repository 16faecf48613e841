"""Action and resource matching of the reference evaluator (spec §B.1, §B.2, §B.3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference_builders import (
    ACCOUNT,
    BUCKET,
    EVERYONE,
    USER,
    allowed_by_identity,
    allowed_by_resource_policy,
    cond,
    request,
    stmt,
)

from iamsim._engine.reference.statements import action_matches
from iamsim._engine.reference.wildcards import (
    confine_to_segments,
    literal_pattern,
    match,
    match_table,
    wildcard_pattern,
)
from iamsim._policy.model import Effect, Statement


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("IAM:listaccesskeys", "iam:ListAccessKeys", True),
        ("iam:ListAccessKeys", "IAM:LISTACCESSKEYS", True),
        ("iam:*AccessKey*", "iam:CreateAccessKey", True),
        ("iam:*AccessKey*", "iam:ListUsers", False),
        ("s3:*", "s3:GetObject", True),
        ("s3:*", "s3express:GetObject", False),
        ("*", "ec2:RunInstances", True),
        ("s3:Get?bject", "s3:GetObject", True),
        ("s3:Get?bject", "s3:GetObjject", False),
        ("s3:GetObject", "s3:GetObjectAcl", False),
    ],
)
def test_b1_actions_are_case_insensitive_globs(pattern: str, action: str, expected: bool) -> None:
    """§B.1: prefix and name are case-insensitive; ``*`` is any run, ``?`` one character."""
    assert allowed_by_identity(stmt(action=pattern), request(action=action)) is expected


@pytest.mark.parametrize("pattern", ["s3:Get[O]bject", "s3:Get\\Object", "s3:[a-z]*"])
def test_b1_brackets_and_backslash_are_literal_in_actions(pattern: str) -> None:
    """§B.1: only ``*`` and ``?`` are wildcards; ``[``, ``]``, ``\\`` stand for themselves."""
    assert not allowed_by_identity(stmt(action=pattern), request(action="s3:GetObject"))


def test_b1_bracket_pattern_matches_its_literal_text() -> None:
    """§B.1: a ``[`` in a pattern matches a ``[`` in the action."""
    assert allowed_by_identity(stmt(action="svc:A[1]*"), request(action="svc:a[1]b"))


def test_b1_notaction_example_does_not_allow_resourceless_action() -> None:
    """§B.1 documented example: Allow NotAction s3:DeleteBucket on arn:aws:s3:::* does not allow ListAllMyBuckets."""
    statement = stmt(not_action="s3:DeleteBucket", resource="arn:aws:s3:::*")
    assert not allowed_by_identity(statement, request(action="s3:ListAllMyBuckets", resource="*"))
    assert allowed_by_identity(statement, request(action="s3:GetObject", resource=f"{BUCKET}/k"))
    assert not allowed_by_identity(statement, request(action="s3:DeleteBucket", resource=BUCKET))


@pytest.mark.parametrize(("pattern", "expected"), [("*", True), ("arn:*", False), ("?", False), ("**", False)])
def test_b1_resource_star_is_matched_only_by_star(pattern: str, expected: bool) -> None:
    """§B.1 (judgment): the resource ``*`` of resource-less actions is matched only by the pattern ``*``."""
    req = request(action="s3:ListAllMyBuckets", resource="*")
    assert allowed_by_identity(stmt(resource=pattern), req) is expected


def test_b1_notresource_with_resourceless_action() -> None:
    """§B.1: ``NotResource`` lists no ``*``, so it covers the resource ``*``."""
    req = request(action="s3:ListAllMyBuckets", resource="*")
    assert allowed_by_identity(stmt(not_resource="arn:aws:s3:::*"), req)
    assert not allowed_by_identity(stmt(not_resource="*"), req)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("B//test/object.jpg", True),
        ("B/1/test/", True),
        ("B/test/object.jpg", False),
        ("B/1/2/test.jpg", False),
    ],
)
def test_b2_documented_slash_examples(key: str, expected: bool) -> None:
    """§B.2 documented example: ``arn:aws:s3:::B/*/test/*`` and ``*`` spanning ``/``."""
    statement = stmt(resource="arn:aws:s3:::B/*/test/*")
    assert allowed_by_identity(statement, request(resource=f"arn:aws:s3:::{key}")) is expected


def test_b2_resources_are_case_sensitive() -> None:
    """§B.2: resource ARNs match case-sensitively (user names included)."""
    statement = stmt(resource=f"arn:aws:iam::{ACCOUNT}:user/Alice")
    assert allowed_by_identity(statement, request(action="iam:GetUser", resource=f"arn:aws:iam::{ACCOUNT}:user/Alice"))
    assert not allowed_by_identity(
        statement, request(action="iam:GetUser", resource=f"arn:aws:iam::{ACCOUNT}:user/alice")
    )


def test_b2_star_spans_colons() -> None:
    """§B.2 (current): a ``*`` can match beyond colon boundaries."""
    statement = stmt(resource="arn:aws:sqs:*")
    assert allowed_by_identity(
        statement, request(action="sqs:SendMessage", resource=f"arn:aws:sqs:us-east-1:{ACCOUNT}:queue")
    )


def test_b2_question_mark_is_one_character_in_resources() -> None:
    """§B.2: ``?`` matches exactly one character."""
    statement = stmt(resource="arn:aws:s3:::bucket/k?y")
    assert allowed_by_identity(statement, request(resource="arn:aws:s3:::bucket/key"))
    assert not allowed_by_identity(statement, request(resource="arn:aws:s3:::bucket/ky"))


def test_b2_brackets_are_literal_in_resources() -> None:
    """§B.2: ``[`` and ``]`` are not a character class."""
    assert not allowed_by_identity(stmt(resource="arn:aws:s3:::bucket/[k]ey"), request(resource=f"{BUCKET}/key"))
    assert allowed_by_identity(stmt(resource="arn:aws:s3:::bucket/[k]ey"), request(resource=f"{BUCKET}/[k]ey"))


@pytest.mark.parametrize("pattern", ["arn:aws:sqs", "arn:aws:sqs:us-east-1", f"arn:aws:sqs:us-east-1:{ACCOUNT}"])
def test_b2_incomplete_arn_is_completed_in_identity_policies(pattern: str) -> None:
    """§B.2 (current): ``arn:aws:sqs`` is ``arn:aws:sqs:*:*:*`` in identity-based policies."""
    req = request(action="sqs:SendMessage", resource=f"arn:aws:sqs:us-east-1:{ACCOUNT}:queue")
    assert allowed_by_identity(stmt(resource=pattern), req)


def test_b2_incomplete_arn_is_not_completed_in_resource_policies() -> None:
    """§B.2: completion applies to identity-side policies only."""
    req = request(action="sqs:SendMessage", resource=f"arn:aws:sqs:us-east-1:{ACCOUNT}:queue")
    assert not allowed_by_resource_policy(stmt(resource="arn:aws:sqs", principal=EVERYONE), req)


def test_b2_completion_does_not_widen_other_services() -> None:
    """§B.2: the completed fields are wildcards, the given ones still have to match."""
    req = request(action="sqs:SendMessage", resource=f"arn:aws:sqs:eu-west-1:{ACCOUNT}:queue")
    assert not allowed_by_identity(stmt(resource="arn:aws:sqs:us-east-1"), req)


def test_a2_statement_without_resource_matches_any_resource() -> None:
    """§A.2: a resource-based statement without Resource applies to the resource the policy is on."""
    req = request(resource="arn:aws:s3:::anything/at/all")
    assert allowed_by_resource_policy(stmt(resource=None, principal=EVERYONE), req)


def test_b1_notresource_excludes_listed_resources() -> None:
    """§B.1: NotResource matches every resource except those listed."""
    statement = stmt(not_resource="arn:aws:s3:::bucket/secret*")
    assert allowed_by_identity(statement, request(resource=f"{BUCKET}/public"))
    assert not allowed_by_identity(statement, request(resource=f"{BUCKET}/secret/x"))


def test_b3_arnlike_matches_per_segment_where_stringlike_spans_colons() -> None:
    """§B.3 documented example: ArnLike does not match across fields; StringLike does."""
    pattern = "arn:aws:someservice:*:111122223333:finance/*"
    value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    req = request(context={"aws:SourceArn": value})
    assert not allowed_by_identity(stmt(conditions=(cond("ArnLike", "aws:SourceArn", pattern),)), req)
    assert allowed_by_identity(stmt(conditions=(cond("StringLike", "aws:SourceArn", pattern),)), req)


def _naive_glob(pattern: str, text: str) -> bool:
    """An independent recursive glob used to cross-check the DP matcher."""
    if not pattern:
        return not text
    head = pattern[0]
    if head == "*":
        return any(_naive_glob(pattern[1:], text[i:]) for i in range(len(text) + 1))
    if not text:
        return False
    return (head == "?" or head == text[0]) and _naive_glob(pattern[1:], text[1:])


@given(st.text(alphabet="ab*?/:[", max_size=8), st.text(alphabet="ab/:[*?", max_size=10))
def test_b1_matcher_agrees_with_a_naive_glob(pattern: str, text: str) -> None:
    """§B.1/§B.2: the DP matcher agrees with a plain recursive definition of the glob."""
    assert match(wildcard_pattern(pattern), text) is _naive_glob(pattern, text)


@given(st.text(alphabet="ab*?:", max_size=10), st.text(alphabet="ab:", max_size=10), st.booleans())
def test_b2_literal_head_and_tail_shortcuts_agree_with_the_table(pattern: str, text: str, confined: bool) -> None:
    """§B.1/§B.2: comparing a pattern's literal head and tail directly changes no answer of the full table."""
    pieces = wildcard_pattern(pattern)
    if confined:
        pieces = confine_to_segments(pieces)
    assert match(pieces, text) is match_table(pieces, text)


@given(st.text(max_size=10), st.text(max_size=10))
def test_d_literal_patterns_match_only_their_own_text(pattern: str, text: str) -> None:
    """§D: a literal pattern (substituted text) has no wildcards."""
    assert match(literal_pattern(pattern), text) is (pattern == text)


def test_b2_user_arn_pattern_matches_its_own_resource() -> None:
    """§B.2: an exact ARN pattern matches that ARN."""
    assert allowed_by_identity(stmt(resource=USER), request(action="iam:GetUser", resource=USER))


def test_a2_statement_without_action_element_matches_nothing() -> None:
    """§A.2: every statement needs Action or NotAction; one with neither applies to no action."""
    assert not action_matches(Statement(0, Effect.ALLOW, resource=("*",)), "s3:GetObject")
