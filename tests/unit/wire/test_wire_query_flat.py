"""Requests of top-level scalars decode straight from the form exactly as through the tree (§G.1, §H).

``decode_parameters`` reads a request naming only scalar members of the input shape
without building the tree of dotted names; anything else, and any violation, goes
through the tree decoder. Both must give the same input and the same error, so
AWS's ``ValidationError`` text (violations in the model's order) is unchanged.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wire_shapes import service_model

from iamsim._wire.query import _flat_decoding, _tree_decoding, decode_parameters
from iamsim.errors import ValidationError

#: Operations with scalar, numeric, list and structure members, and required ones.
OPERATIONS = [("sts", "AssumeRole"), ("sts", "GetSessionToken"), ("iam", "CreateUser"), ("iam", "ListUsers")]

_VALUES = st.sampled_from(
    ["", "x", "arn:aws:iam::111122223333:role/r", "s-1", "3600", "900", "-1", "abc", "true", "a" * 300, "<&>"]
)


def _outcome(decode: Any, shape: Any, params: dict[str, str]) -> tuple[str, Any]:
    try:
        return "ok", decode(shape, params)
    except ValidationError as error:
        return "error", error.message


@pytest.mark.parametrize(("service", "operation"), OPERATIONS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_flat_decoding_equals_the_tree(service: str, operation: str, data: st.DataObject) -> None:
    """For any mix of member names (scalar, list, dotted, unknown) and values, both decoders agree (§G.1, §H.1)."""
    operation_model = service_model(service).operation_model(operation)
    shape = operation_model.input_shape
    names = [*shape.members, "Unknown", "Tags.member.1.Key", "PolicyArns.member.1.arn", "Action", "Version"]
    params = data.draw(st.dictionaries(st.sampled_from(names), _VALUES, max_size=6))
    expected = _outcome(_tree_decoding, shape, params)
    assert _outcome(lambda _, p: decode_parameters(operation_model, p), shape, params) == expected
    flat = _flat_decoding(shape, params)
    if flat is not None:
        assert ("ok", flat) == expected


def test_a_plain_assume_role_takes_the_flat_path() -> None:
    """AssumeRole with a role ARN and a session name is read without the tree (§G.1)."""
    shape = service_model("sts").operation_model("AssumeRole").input_shape
    role = "arn:aws:iam::111122223333:role/r"
    params = {"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": role, "RoleSessionName": "session-1"}
    assert _flat_decoding(shape, params) == {"RoleArn": role, "RoleSessionName": "session-1"}
    assert _flat_decoding(shape, {**params, "DurationSeconds": "12"}) is None  # below the minimum: the tree reports it


@pytest.mark.parametrize(
    "extra",
    [
        {"rolearn": "arn:aws:iam::111122223333:role/r"},
        {"ROLESESSIONNAME": "s"},
        {"RoleSessionName": ""},
        {"RoleSessionName": "s" * 65},
        {"SourceIdentity": "a<b"},
        {"DurationSeconds": "3600.0"},
        {"DurationSeconds": " 3600"},
        {"PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
        {"Tags.member.1.Key": "k"},
        {"action": "AssumeRole"},
    ],
    ids=repr,
)
def test_odd_parameters_decide_as_the_tree_decides_G1(extra: dict[str, str]) -> None:
    """§G.1 (AssumeRole's parameters): names in another case, empty, over-long or malformed values and list
    members get the tree's answer (the same input or the same ValidationError), never a laxer one."""
    operation_model = service_model("sts").operation_model("AssumeRole")
    shape = operation_model.input_shape
    params = {"Action": "AssumeRole", "RoleArn": "arn:aws:iam::111122223333:role/r", "RoleSessionName": "s", **extra}
    expected = _outcome(_tree_decoding, shape, params)
    assert _outcome(lambda _, p: decode_parameters(operation_model, p), shape, params) == expected
    flat = _flat_decoding(shape, params)
    assert flat is None or ("ok", flat) == expected
