"""Policy variables in the reference evaluator (spec §D)."""

from __future__ import annotations

import pytest
from reference_builders import ACCOUNT, BUCKET, USER, allowed_by_identity, cond, identity, request, stmt

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.reference.variables import VariableScope
from iamsim._engine.reference.wildcards import Wildcard

HOME = "arn:aws:s3:::bucket/home/${aws:username}/*"


def test_d_username_in_resource_matches_own_folder_only() -> None:
    """§D: ``${aws:username}`` in Resource is the caller's user name."""
    assert allowed_by_identity(stmt(resource=HOME), request(USER, resource=f"{BUCKET}/home/alice/file"))
    assert not allowed_by_identity(stmt(resource=HOME), request(USER, resource=f"{BUCKET}/home/bob/file"))


def test_d_variable_names_are_case_insensitive() -> None:
    """§D: key names inside variables are case-insensitive."""
    statement = stmt(resource="arn:aws:s3:::bucket/home/${AWS:UserName}/*")
    assert allowed_by_identity(statement, request(USER, resource=f"{BUCKET}/home/alice/file"))


@pytest.mark.parametrize("version", [None, "2008-10-17"])
def test_a1_variables_are_literal_without_version_2012(version: str | None) -> None:
    """§A.1/§D: without Version 2012-10-17, ``${aws:username}`` is literal text."""

    policies = PolicySet(identity=(identity(stmt(resource=HOME), version=version),))
    assert not evaluate_reference(policies, request(USER, resource=f"{BUCKET}/home/alice/f")).allowed
    assert evaluate_reference(policies, request(USER, resource=f"{BUCKET}/home/${{aws:username}}/f")).allowed


def test_d_default_value_is_used_when_key_is_absent() -> None:
    """§D: ``${key, 'default'}`` falls back to the default."""
    statement = stmt(resource="arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'company-wide'}/*")
    assert allowed_by_identity(statement, request(USER, resource=f"{BUCKET}/company-wide/x"))
    tagged = request(USER, resource=f"{BUCKET}/red/x", context={"aws:PrincipalTag/team": "red"})
    assert allowed_by_identity(statement, tagged)
    assert not allowed_by_identity(statement, request(USER, resource=f"{BUCKET}/red/x"))


def test_d_special_variables_are_literal_characters() -> None:
    """§D: ``${*}`` is a literal ``*``, not a wildcard."""
    statement = stmt(resource="arn:aws:s3:::bucket/${*}")
    assert allowed_by_identity(statement, request(resource=f"{BUCKET}/*"))
    assert not allowed_by_identity(statement, request(resource=f"{BUCKET}/anything"))


def test_d_special_variables_question_and_dollar() -> None:
    """§D: ``${?}`` and ``${$}`` produce a literal ``?`` and ``$``."""
    statement = stmt(resource="arn:aws:s3:::bucket/${?}${$}")
    assert allowed_by_identity(statement, request(resource=f"{BUCKET}/?$"))
    assert not allowed_by_identity(statement, request(resource=f"{BUCKET}/x$"))


def test_d_substituted_text_is_never_a_wildcard() -> None:
    """§D (judgment): a variable's value containing ``*`` matches only a literal ``*``."""
    statement = stmt(resource="arn:aws:s3:::bucket/${aws:PrincipalTag/team}/x")
    context = {"aws:PrincipalTag/team": "r*"}
    assert allowed_by_identity(statement, request(resource=f"{BUCKET}/r*/x", context=context))
    assert not allowed_by_identity(statement, request(resource=f"{BUCKET}/red/x", context=context))


def test_d_unresolved_variable_entry_matches_nothing_but_others_apply() -> None:
    """§D (judgment): an entry with an unresolved variable matches nothing; other entries still do."""
    statement = stmt(resource=("arn:aws:s3:::bucket/${aws:PrincipalTag/team}*", f"{BUCKET}/public"))
    assert not allowed_by_identity(statement, request(resource=f"{BUCKET}/anything"))
    assert allowed_by_identity(statement, request(resource=f"{BUCKET}/public"))


def test_d_unresolved_variable_in_notresource_excludes_nothing() -> None:
    """§D: a NotResource entry with an unresolved variable matches no resource, so excludes none."""
    statement = stmt(not_resource="arn:aws:s3:::bucket/${aws:PrincipalTag/team}")
    assert allowed_by_identity(statement, request(resource=f"{BUCKET}/anything"))


def test_b2_variables_only_after_the_fifth_colon() -> None:
    """§B.2/§D: a variable in the account field is literal text, not substituted."""
    statement = stmt(resource="arn:aws:iam::${aws:PrincipalAccount}:user/alice")
    assert not allowed_by_identity(statement, request(USER, action="iam:GetUser", resource=USER))


def test_d_multivalued_keys_never_substitute() -> None:
    """§D: only single-valued keys can be variables; a default still applies."""
    bare = stmt(resource="arn:aws:s3:::bucket/${aws:TagKeys}")
    defaulted = stmt(resource="arn:aws:s3:::bucket/${aws:TagKeys, 'none'}")
    context = {"aws:TagKeys": ["a"]}
    assert not allowed_by_identity(bare, request(resource=f"{BUCKET}/a", context=context))
    assert allowed_by_identity(defaulted, request(resource=f"{BUCKET}/none", context=context))


def test_d_unresolved_variable_in_string_conditions() -> None:
    """§D: StringEquals/StringLike against an absent variable do not match; negated ones do."""
    context = {"test:key": "v"}
    for operator, expected in [
        ("StringEquals", False),
        ("StringLike", False),
        ("StringNotEquals", True),
        ("StringNotLike", True),
    ]:
        statement = stmt(conditions=(cond(operator, "test:Key", "${aws:PrincipalTag/absent}"),))
        assert allowed_by_identity(statement, request(context=context)) is expected, operator


def test_d_variables_in_string_condition_values() -> None:
    """§D/§C.2: String values substitute variables; Like keeps its own wildcards."""
    equals = stmt(conditions=(cond("StringEquals", "aws:PrincipalTag/owner", "${aws:username}"),))
    like = stmt(conditions=(cond("StringLike", "test:Path", "home/${aws:username}/*"),))
    assert allowed_by_identity(equals, request(USER, context={"aws:PrincipalTag/owner": "alice"}))
    assert not allowed_by_identity(equals, request(USER, context={"aws:PrincipalTag/owner": "bob"}))
    assert allowed_by_identity(like, request(USER, context={"test:path": "home/alice/docs"}))


def test_d_variables_in_arn_and_bool_condition_values() -> None:
    """§C.2 (SHOULD): variables are substituted in Arn* and Bool values."""
    arn = stmt(conditions=(cond("ArnEquals", "test:Owner", "${aws:PrincipalArn}"),))
    flag = stmt(conditions=(cond("Bool", "test:Flag", "${test:Expected}"),))
    assert allowed_by_identity(arn, request(USER, context={"test:owner": USER}))
    assert not allowed_by_identity(arn, request(USER, context={"test:owner": f"arn:aws:iam::{ACCOUNT}:user/bob"}))
    assert allowed_by_identity(flag, request(context={"test:flag": "true", "test:expected": "TRUE"}))


def test_d_no_variables_in_numeric_values() -> None:
    """§C.2: Numeric values are not substituted, so a variable there never matches."""
    statement = stmt(conditions=(cond("NumericEquals", "test:N", "${test:M}"),))
    assert not allowed_by_identity(statement, request(context={"test:n": "1", "test:m": "1"}))


def test_d_scope_keeps_malformed_variables_as_text() -> None:
    """§D: text that is not a complete variable stays as written."""
    scope = VariableScope({"aws:username": "alice"}, enabled=True)
    assert scope.literal("${aws:username") == "${aws:username"
    assert scope.literal("a${aws:username}b") == "aaliceb"
    assert scope.pattern("x*") == ("x", Wildcard.ANY_RUN)
    assert scope.pattern("${aws:username}*") == ("a", "l", "i", "c", "e", Wildcard.ANY_RUN)
