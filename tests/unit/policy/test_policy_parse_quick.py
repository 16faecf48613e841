"""The parser's quick path for plain statements agrees with its careful checks (issue 16).

§A.2 (docs/spec, AWS "IAM JSON policy element reference"): whichever path reads a statement, a
well-formed one gives the same model and a malformed one the same error, message and pointer. The quick
path (:meth:`_Parser.quick_statement`) may only decline; it never decides an error itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import _Parser, parse_policy
from iamsim._policy.plain_statements import QUICK_KINDS
from iamsim.errors import MalformedPolicyDocumentError

_VALUES = st.sampled_from(
    [
        "*", "s3:GetObject", "s3:Get*", ":GetObject", "s3GetObject", "s3:a:b", "", "arn:aws:s3:::b/*",
        "arn:aws:s3", "arn::s3:::b", "arn:aws::x", "arn:aws:s3:", "S1", "S 1", "Allow", "Deny", "allow",
    ]
)  # fmt: skip
_ELEMENT = _VALUES | st.lists(_VALUES, max_size=3) | st.none() | st.integers(0, 2) | st.lists(st.integers(0, 1))
_KEYS = st.sampled_from(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "Other"])
_STATEMENTS = st.dictionaries(_KEYS, _ELEMENT, max_size=6)


def _careful(raw: dict[str, Any], kind: PolicyKind) -> object:
    parser = _Parser(kind, None, "")
    parser.statement_index = 0
    try:
        return parser.statement(raw, 0, "/Statement/0")
    except MalformedPolicyDocumentError as error:
        return (error.message, error.pointer)


@pytest.mark.parametrize("kind", sorted(QUICK_KINDS))
@given(raw=_STATEMENTS)
def test_quick_path_returns_what_the_careful_checks_return_or_declines(kind: PolicyKind, raw: dict[str, Any]) -> None:
    """§A.2: a statement the quick path accepts is the careful path's statement, never one it refuses."""
    parser = _Parser(kind, None, "")
    parser.statement_index = 0
    quick = parser.quick_statement(raw, 0, "/Statement/0")
    if quick is not None:
        assert quick == _careful(raw, kind)


@pytest.mark.parametrize(
    ("statement", "message", "pointer"),
    [
        ({"Effect": "Allow", "Action": "s3:a:b", "Resource": "*"}, "Actions/Condition can contain only one colon.",
         "/Statement/0/Action"),
        ({"Effect": "Allow", "Action": ["s3:x", "x"], "Resource": "*"},
         "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", "/Statement/0/Action/1"),
        ({"Effect": "Allow", "Action": "s3:x", "Resource": ["*", "b"]}, 'Resource b must be in ARN format or "*".',
         "/Statement/0/Resource/1"),
        ({"Sid": "a-b", "Effect": "Allow", "Action": "s3:x", "Resource": "*"},
         "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression "
         "[0-9A-Za-z]*", "/Statement/0/Sid"),
        ({"Effect": "allow", "Action": "s3:x", "Resource": "*"}, "The policy failed legacy parsing",
         "/Statement/0/Effect"),
        ({"Effect": "Allow", "Action": "s3:x", "Resource": "*", "Condition": {"StringEquals": {"k": "v"}}},
         "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
         "/Statement/0/Condition/StringEquals/k"),
    ],
)  # fmt: skip
def test_errors_of_plain_statements_keep_message_and_pointer(
    statement: dict[str, Any], message: str, pointer: str
) -> None:
    """§A.2, §A.5: errors in statements the quick path reads are the careful checks' own, word for word."""
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        parse_policy({"Version": "2012-10-17", "Statement": [statement]}, PolicyKind.IDENTITY)
    assert (caught.value.message, caught.value.pointer, caught.value.statement_index) == (message, pointer, 0)


@pytest.mark.parametrize(
    "statement",
    [
        {"Sid": "S1", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Deny", "NotAction": ["iam:*", "*"], "NotResource": ["arn:aws:iam::1:role/x", "*"]},
        {"Sid": "", "Effect": "Allow", "Action": ["s3:Get*"], "Resource": "*", "Condition": {"Bool": {"aws:x": True}}},
    ],
)
def test_plain_statements_take_the_quick_path_to_the_same_model(statement: dict[str, Any]) -> None:
    """§A.2: the quick path reads these itself, and builds the statement the careful checks build."""
    parser = _Parser(PolicyKind.IDENTITY, None, "")
    parser.statement_index = 0
    quick = parser.quick_statement(statement, 0, "/Statement/0")
    assert quick is not None
    assert quick == _careful(statement, PolicyKind.IDENTITY)
