"""Policy variables (spec §D): pre-split templates, literal substitution, defaults, Version rules."""

from __future__ import annotations

import re

from compiled_builders import OBJECT, USER, allow, evaluate, identity, request

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.result import Decision
from iamsim._engine.variables import Variable, parse_template


def test_template_splits_text_and_variables_once() -> None:
    """§D: `${key}` pieces are found at compile time; keys are lowercased (case-insensitive)."""
    template = parse_template("home/${aws:UserName}/*")
    assert template.has_variables
    assert template.keys == ("aws:username",)
    assert template.render({"aws:username": "alice"}) == "home/alice/*"


def test_default_value_is_used_when_the_key_is_absent() -> None:
    """§D: `${aws:PrincipalTag/team, 'company-wide'}` falls back to its default."""
    template = parse_template("${aws:PrincipalTag/team, 'company-wide'}")
    piece = template.pieces[0]
    assert piece.variable == Variable("aws:principaltag/team", "company-wide")
    assert template.render({}) == "company-wide"
    assert template.render({"aws:principaltag/team": "red"}) == "red"


def test_unresolved_variable_leaves_the_template_unresolved() -> None:
    """§D: a variable with no value and no default matches nothing (`None`)."""
    template = parse_template("x-${aws:username}")
    assert template.render({}) is None
    assert template.render_regex({}) is None
    assert template.render_runs({}) is None


def test_multivalued_keys_cannot_be_variables() -> None:
    """§D: only single-valued keys can be variables."""
    assert parse_template("${aws:TagKeys}").render({"aws:tagkeys": ("a", "b")}) is None


def test_special_variables_are_literal_characters() -> None:
    """§D: `${*}`, `${?}`, `${$}` produce literal `*`, `?`, `$` - never wildcards."""
    template = parse_template("a${*}b${?}${$}")
    assert not template.has_variables
    assert template.static == "a*b?$"
    source = template.render_regex({})
    assert source is not None
    assert re.fullmatch(source, "a*b?$", re.DOTALL)
    assert not re.fullmatch(source, "aXXb?$", re.DOTALL)


def test_substituted_values_are_literal_in_globs() -> None:
    """§D (judgment): a value holding `*` or `?` is escaped where the template feeds a glob."""
    template = parse_template("home/${aws:username}/*")
    source = template.render_regex({"aws:username": "a*"})
    assert source is not None
    assert re.fullmatch(source, "home/a*/x", re.DOTALL)
    assert not re.fullmatch(source, "home/abc/x", re.DOTALL)


def test_malformed_variables_stay_raw_text() -> None:
    """Text that is not a well-formed variable is kept as written."""
    template = parse_template("${}${a b}${x")
    assert not template.has_variables
    assert template.static == "${}${a b}${x"


def test_resource_variable_resolves_from_the_request() -> None:
    """§D, §B.2: `${aws:username}` in the resource part of a Resource ARN."""
    policies = PolicySet(identity=(identity(allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:username}/*")),))
    assert evaluate(policies, request(USER, resource="arn:aws:s3:::bucket/alice/x")).allowed
    assert not evaluate(policies, request(USER, resource="arn:aws:s3:::bucket/bob/x")).allowed


def test_unresolved_resource_variable_matches_nothing_but_other_entries_apply() -> None:
    """§D MUST: an unresolved entry matches no resource; other entries of the statement still apply."""
    role = "arn:aws:iam::111111111111:role/app"  # role sessions have no aws:username
    doc = allow("s3:GetObject", ["arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/shared/*"])
    policies = PolicySet(identity=(identity(doc),))
    assert not evaluate(policies, request(role, resource="arn:aws:s3:::bucket/${aws:username}/x")).allowed
    assert evaluate(policies, request(role, resource="arn:aws:s3:::bucket/shared/x")).allowed


def test_variables_are_literal_text_without_version_2012() -> None:
    """§A.1 MUST: with no Version, `${aws:username}` is literal text."""
    doc = allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:username}/*")
    policies = PolicySet(identity=(identity(doc, version=None),))
    assert not evaluate(policies, request(USER, resource="arn:aws:s3:::bucket/alice/x")).allowed
    literal = evaluate(policies, request(USER, resource="arn:aws:s3:::bucket/${aws:username}/x"))
    assert literal.decision is Decision.ALLOWED


def test_variables_only_after_the_fifth_colon() -> None:
    """§B.2: variables are substituted only in the resource part of the ARN."""
    doc = allow("s3:GetObject", "arn:aws:${aws:username}:::x")
    policies = PolicySet(identity=(identity(doc),))
    assert not evaluate(policies, request(USER, resource="arn:aws:alice:::x")).allowed


def test_condition_variable_substitution() -> None:
    """§D: variables in String condition values; substituted text is literal for StringLike."""
    doc = allow(Condition={"StringLike": {"s3:prefix": "home/${aws:username}/*"}})
    policies = PolicySet(identity=(identity(doc),))
    assert evaluate(policies, request(USER, resource=OBJECT, context={"s3:prefix": "home/alice/docs"})).allowed
    assert not evaluate(policies, request(USER, resource=OBJECT, context={"s3:prefix": "home/bob/docs"})).allowed
