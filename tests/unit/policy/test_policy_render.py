"""Canonical rendering, round trips, statement spans and error positions."""

from __future__ import annotations

import json

import pytest

from iamsim._policy.model import Effect, Policy, PolicyKind, PrincipalSpec, Span, Statement
from iamsim._policy.parse import parse_policy
from iamsim._policy.render import policy_to_dict, principal_to_json, render_policy
from iamsim.errors import MalformedPolicyDocumentError

BUCKET_POLICY = """{
  "Id": "BucketPolicy",
  "Statement": [
    {
      "Condition": {"Bool": {"aws:SecureTransport": false}},
      "Resource": "arn:aws:s3:::b/*",
      "Action": "s3:*",
      "Principal": "*",
      "Effect": "Deny",
      "Sid": "Deny insecure transport"
    },
    {
      "Effect": "Allow",
      "Principal": {"Service": "logging.s3.amazonaws.com", "AWS": ["111122223333", "*"]},
      "Action": ["s3:PutObject"]
    }
  ],
  "Version": "2012-10-17"
}"""


def test_render_uses_canonical_key_order_and_lists() -> None:
    """Keys come in the fixed order; multi-valued elements are lists; ``*`` alone is ``"*"``."""
    policy = parse_policy(BUCKET_POLICY, PolicyKind.RESOURCE)
    assert policy_to_dict(policy) == {
        "Version": "2012-10-17",
        "Id": "BucketPolicy",
        "Statement": [
            {
                "Sid": "Deny insecure transport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["s3:*"],
                "Resource": ["arn:aws:s3:::b/*"],
                "Condition": {"Bool": {"aws:SecureTransport": ["false"]}},
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": ["*", "111122223333"], "Service": ["logging.s3.amazonaws.com"]},
                "Action": ["s3:PutObject"],
            },
        ],
    }
    assert list(json.loads(render_policy(policy))["Statement"][0]) == [
        "Sid",
        "Effect",
        "Principal",
        "Action",
        "Resource",
        "Condition",
    ]


def test_render_round_trips_and_is_idempotent() -> None:
    """``parse(render(p)) == p`` and rendering a re-parsed policy gives the same text."""
    policy = parse_policy(BUCKET_POLICY, PolicyKind.RESOURCE)
    for indent in (None, 2):
        text = render_policy(policy, indent=indent)
        again = parse_policy(text, PolicyKind.RESOURCE)
        assert again == policy
        assert render_policy(again, indent=indent) == text


def test_render_is_compact_by_default_and_indents_on_request() -> None:
    """Compact text by default; ``indent`` pretty-prints."""
    policy = parse_policy({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})
    assert render_policy(policy) == '{"Statement":[{"Effect":"Allow","Action":["*"],"Resource":["*"]}]}'
    assert render_policy(policy, indent=2).startswith('{\n  "Statement": [\n')


def test_render_escapes_non_ascii_so_the_text_stays_valid_a1() -> None:
    """§A.1: the rendering stays within IAM's character set even for escaped input characters."""
    text = json.dumps({"Statement": {"Sid": "\u20ac", "Effect": "Allow", "Action": "*", "Resource": "*"}})
    policy = parse_policy(text, PolicyKind.SCP)
    rendered = render_policy(policy)
    assert rendered.isascii()
    assert parse_policy(rendered, PolicyKind.SCP) == policy


def test_principal_to_json_forms_a3() -> None:
    """§A.3: wildcard alone is ``"*"``; with other values it is the first AWS value."""
    assert principal_to_json(PrincipalSpec(wildcard=True)) == "*"
    assert principal_to_json(PrincipalSpec(wildcard=True, service=("s.amazonaws.com",))) == {
        "AWS": ["*"],
        "Service": ["s.amazonaws.com"],
    }
    assert principal_to_json(PrincipalSpec(federated=("accounts.google.com",))) == {
        "Federated": ["accounts.google.com"]
    }


def test_model_built_by_hand_renders_to_a_parseable_policy() -> None:
    """A policy built in code renders to text the parser accepts as the same policy."""
    policy = Policy(
        PolicyKind.TRUST,
        (
            Statement(
                index=0,
                effect=Effect.ALLOW,
                action=("sts:AssumeRole",),
                principal=PrincipalSpec(aws=("arn:aws:iam::111122223333:root",)),
            ),
        ),
    )
    assert parse_policy(render_policy(policy), PolicyKind.TRUST) == policy


# --- spans and positions ---------------------------------------------------------------------------

TWO_STATEMENTS = """{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "*"
    }
  ]
}"""


def test_statement_spans_point_at_their_braces() -> None:
    """Each statement's span runs from its ``{`` to its ``}`` (1-based lines and columns)."""
    first, second = parse_policy(TWO_STATEMENTS).statements
    assert first.span == Span(4, 5, 4, 66)
    assert second.span == Span(5, 5, 9, 5)


def test_single_statement_object_has_a_span() -> None:
    """A Statement given as one object has that object's span."""
    (statement,) = parse_policy('{"Statement":\n\t{"Effect": "Allow", "Action": "*", "Resource": "*"}}').statements
    assert statement.span == Span(2, 2, 2, 52)


def test_mapping_input_has_no_spans_and_spans_do_not_affect_equality() -> None:
    """Spans exist only for text and do not take part in equality."""
    from_text = parse_policy(TWO_STATEMENTS)
    from_mapping = parse_policy(json.loads(TWO_STATEMENTS))
    assert all(statement.span is None for statement in from_mapping.statements)
    assert from_text == from_mapping


@pytest.mark.parametrize(
    ("replace", "by", "line", "column", "index"),
    [
        ('"Effect": "Deny"', '"Effect": "deny"', 6, 17, 1),
        ('"Resource": "*"\n', '"Resource": "bucket"\n', 8, 19, 1),
        ('"Action": "s3:GetObject"', '"Action": ["s3:GetObject", "GetObject"]', 4, 52, 0),
        ('"Action": "s3:DeleteObject"', '"Action": "s3:DeleteObject", "Principal": "*"', 7, 49, 1),
        ('"Version": "2012-10-17"', '"Version": "2012-10-18"', 2, 14, None),
    ],
)
def test_errors_carry_line_and_column_of_the_offending_value(
    replace: str, by: str, line: int, column: int, index: int | None
) -> None:
    """Semantic errors in text input point at the value they are about."""
    text = TWO_STATEMENTS.replace(replace, by, 1)
    assert text != TWO_STATEMENTS
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        parse_policy(text)
    assert (caught.value.line, caught.value.column, caught.value.statement_index) == (line, column, index)


def test_missing_element_error_points_at_the_statement() -> None:
    """A missing element is reported at the statement object that lacks it."""
    text = TWO_STATEMENTS.replace('"Action": "s3:DeleteObject",', "")
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        parse_policy(text)
    assert (caught.value.line, caught.value.column) == (5, 5)
    assert caught.value.pointer == "/Statement/1"


def test_duplicate_key_inside_a_statement_is_located_a1() -> None:
    """§A.1: a repeated key is reported where it repeats."""
    text = '{"Statement": [{"Effect": "Allow",\n "Action": "*", "Resource": "*", "Action": "s3:*"}]}'
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        parse_policy(text)
    assert (caught.value.line, caught.value.column) == (2, 34)
    assert caught.value.pointer == "/Statement/0/Action"
