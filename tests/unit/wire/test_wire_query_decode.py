"""Decoding Query requests that botocore itself serialised (DESIGN convention 9)."""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wire_shapes import example_for_operation, operations, serialize_query, service_model, value_strategy

from iamsim._wire.query import decode_query_request, parse_form
from iamsim.errors import InvalidActionError, MalformedQueryStringError, MissingActionError, ValidationError

ALL_OPERATIONS = [("iam", op) for op in operations("iam")] + [("sts", op) for op in operations("sts")]


def _round_trip(service: str, operation: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return decode_query_request(service_model(service), serialize_query(service, operation, params))


@pytest.mark.parametrize(("service", "operation"), ALL_OPERATIONS, ids=[f"{s}:{o}" for s, o in ALL_OPERATIONS])
def test_every_operation_decodes_what_botocore_serialises(service: str, operation: str) -> None:
    """Each IAM and STS operation: an example input satisfying its shape survives serialise+decode."""
    shape = service_model(service).operation_model(operation).input_shape
    params = example_for_operation(service, operation, shape)
    assert _round_trip(service, operation, params) == (operation, params)


def test_operation_count_covers_the_whole_models() -> None:
    """The parametrised round trip covers every operation of the installed botocore models."""
    assert len([1 for service, _ in ALL_OPERATIONS if service == "iam"]) == len(service_model("iam").operation_names)
    assert len([1 for service, _ in ALL_OPERATIONS if service == "sts"]) == len(service_model("sts").operation_names)


def test_assume_role_with_tags_policy_arns_and_transitive_keys() -> None:
    """§G.1 AssumeRole: lists of structures (Tags, PolicyArns) and of strings decode in order."""
    params = {
        "RoleArn": "arn:aws:iam::123456789012:role/demo",
        "RoleSessionName": "John-session",
        "Policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
        "PolicyArns": [
            {"arn": "arn:aws:iam::123456789012:policy/demopolicy1"},
            {"arn": "arn:aws:iam::123456789012:policy/demopolicy2"},
        ],
        "DurationSeconds": 1800,
        "Tags": [{"Key": "Project", "Value": "Pegasus"}, {"Key": "Cost-Center", "Value": "12345"}],
        "TransitiveTagKeys": ["Project"],
        "ExternalId": "123ABC",
    }
    assert _round_trip("sts", "AssumeRole", params) == ("AssumeRole", params)


def test_simulate_principal_policy_context_entries() -> None:
    """§I SimulatePrincipalPolicy: ContextEntries with value lists and enum types decode exactly."""
    params = {
        "PolicySourceArn": "arn:aws:iam::123456789012:user/alice",
        "ActionNames": ["s3:GetObject", "s3:PutObject"],
        "ResourceArns": ["arn:aws:s3:::bucket/key"],
        "ContextEntries": [
            {"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.0.0.1"], "ContextKeyType": "ip"},
            {"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["true"], "ContextKeyType": "boolean"},
            {"ContextKeyName": "s3:prefix", "ContextKeyValues": ["a", "b & c", "ü=1"], "ContextKeyType": "stringList"},
        ],
        "PolicyInputList": ['{"Version":"2012-10-17","Statement":[]}'],
        "MaxItems": 100,
    }
    assert _round_trip("iam", "SimulatePrincipalPolicy", params) == ("SimulatePrincipalPolicy", params)


def test_empty_list_is_sent_and_decoded_as_empty() -> None:
    """botocore sends ``Tags=`` for an empty list; it decodes to ``[]``, not to a missing member."""
    params = {"RoleName": "r", "AssumeRolePolicyDocument": "{}", "Tags": []}
    assert b"Tags=&" in serialize_query("iam", "CreateRole", params) + b"&"
    assert _round_trip("iam", "CreateRole", params)[1] == params


def test_scalars_become_python_types() -> None:
    """Integers, booleans and member lists come back as int, bool and list, like boto3's input."""
    _, decoded = decode_query_request(
        service_model("iam"),
        "Action=CreatePolicyVersion&Version=2010-05-08&PolicyArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fp"
        "&PolicyDocument=%7B%7D&SetAsDefault=TRUE",
    )
    assert decoded["SetAsDefault"] is True
    _, decoded = decode_query_request(service_model("sts"), b"Action=GetSessionToken&DurationSeconds=%2B900")
    assert decoded == {"DurationSeconds": 900}


def test_timestamp_and_blob_decoding() -> None:
    """Timestamps (ISO 8601 or epoch seconds) become aware UTC datetimes; blobs are base64-decoded."""
    from iamsim._wire.query import _Decoder

    shape = service_model("iam").operation_model("GetCredentialReport").output_shape.members
    decoder = _Decoder()
    assert decoder.scalar(shape["GeneratedTime"], "2026-01-02T03:04:05Z", "t") == datetime.datetime(
        2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC
    )
    assert decoder.scalar(shape["GeneratedTime"], "0", "t") == datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    assert decoder.scalar(shape["Content"], "AAFi", "c") == b"\x00\x01b"
    assert decoder.violations == []
    decoder.scalar(shape["Content"], "not base64!", "content")
    decoder.scalar(shape["GeneratedTime"], "yesterday", "generatedTime")
    assert decoder.violations == [
        "Value 'not base64!' at 'content' failed to satisfy constraint: Member must be base64-encoded",
        "Value 'yesterday' at 'generatedTime' failed to satisfy constraint: Member must be an ISO 8601 timestamp",
    ]


def test_unknown_parameters_are_ignored() -> None:
    """Parameters the input shape does not have are ignored, as Query services do."""
    assert decode_query_request(service_model("sts"), "Action=GetCallerIdentity&Version=2011-06-15&Foo=1") == (
        "GetCallerIdentity",
        {},
    )


def test_unknown_action_is_invalid_action() -> None:
    """An action the model lacks gives AWS's ``InvalidAction`` wording."""
    with pytest.raises(InvalidActionError) as caught:
        decode_query_request(service_model("sts"), "Action=AssumeRol&Version=2011-06-15")
    assert caught.value.message == "Could not find operation AssumeRol for version 2011-06-15"


def test_wrong_version_is_invalid_action() -> None:
    """An IAM action asked for at an API version IAM does not have is not found either."""
    with pytest.raises(InvalidActionError, match="for version 2011-06-15"):
        decode_query_request(service_model("iam"), "Action=ListRoles&Version=2011-06-15")


def test_missing_action() -> None:
    """A body without ``Action`` is ``MissingAction``."""
    with pytest.raises(MissingActionError):
        decode_query_request(service_model("iam"), b"Version=2010-05-08")


def test_body_that_is_not_utf8_is_malformed() -> None:
    """Percent-escapes that are not UTF-8, or raw non-ASCII bytes, are ``MalformedQueryString``."""
    with pytest.raises(MalformedQueryStringError):
        parse_form(b"Action=ListRoles&PathPrefix=%FF")
    with pytest.raises(MalformedQueryStringError):
        parse_form("Action=ListRoles&PathPrefix=/ü/".encode())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "=", "&", "+", "%", "%2B", "%26", "%3D", "%C3%BC", "%e2%82%ac", " ", ";"])))
@example(["%", "a", "a"])
@example(["a", "=", "%C3%BC", "&", "&", "+", "=", "=", "%2B"])
def test_parse_form_reads_fields_as_parse_qsl_does(pieces: list[str]) -> None:
    """The Query body reader splits and unescapes as ``urllib.parse.parse_qsl`` (the form encoding AWS reads).

    Escapes that are not UTF-8 (``%`` followed by ``aa``) are refused by both: ``MalformedQueryString`` here.
    """
    text = "".join(pieces)
    try:
        expected = dict(parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError:
        with pytest.raises(MalformedQueryStringError):
            parse_form(text)
        return
    assert parse_form(text) == expected


def test_integer_that_is_not_a_number_is_a_validation_error() -> None:
    """A non-numeric integer is reported in the same list as the constraint violations."""
    with pytest.raises(ValidationError) as caught:
        decode_query_request(service_model("sts"), "Action=GetSessionToken&DurationSeconds=abc")
    assert caught.value.message == (
        "1 validation error detected: Value 'abc' at 'durationSeconds' failed to satisfy constraint: "
        "Member must be a number"
    )


_ALL = st.sampled_from(ALL_OPERATIONS)


@cache
def _strategy(service: str, operation: str) -> st.SearchStrategy[dict[str, Any]]:
    """Built once per operation: building regex strategies is the slow part."""
    shape = service_model(service).operation_model(operation).input_shape
    return value_strategy(shape) if shape is not None else st.just({})


@st.composite
def _operation_inputs(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    service, operation = draw(_ALL)
    params = draw(_strategy(service, operation))
    return service, operation, params


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_operation_inputs())
def test_generated_inputs_round_trip(case: tuple[str, str, dict[str, Any]]) -> None:
    """Any input that satisfies its shape's constraints decodes back to itself (all operations)."""
    service, operation, params = case
    assert _round_trip(service, operation, params) == (operation, params)
