"""Rendering XML responses that botocore's own parser reads back (DESIGN convention 9, §H.5)."""

from __future__ import annotations

import datetime
import json
from functools import cache
from typing import Any
from urllib.parse import unquote

import pytest
from botocore.handlers import json_decode_policies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wire_shapes import (
    example_for_operation,
    operations,
    parse_output,
    service_model,
    value_strategy,
    walk_shapes,
)

from iamsim._wire.xml import _TEXT_ESCAPES, escape_text, render_error, render_response
from iamsim.errors import OutputShapeError

ALL_OPERATIONS = [("iam", op) for op in operations("iam")] + [("sts", op) for op in operations("sts")]
REQUEST_ID = "4c6f6c2e-6d2f-4a1b-9b1e-0123456789ab"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def _undo_policy_encoding(value: Any, shape: Any) -> Any:
    """The raw parser leaves policy documents URL-encoded; undo that to compare with the input."""
    if shape.type_name == "structure" and isinstance(value, dict):
        return {name: _undo_policy_encoding(item, shape.members[name]) for name, item in value.items()}
    if shape.type_name == "list" and isinstance(value, list):
        return [_undo_policy_encoding(item, shape.member) for item in value]
    if shape.name == "policyDocumentType" and isinstance(value, str):
        return unquote(value)
    return value


def _round_trip(service: str, operation: str, output: dict[str, Any]) -> dict[str, Any]:
    body = render_response(service_model(service), operation, output, REQUEST_ID)
    parsed = parse_output(service, operation, body)
    assert parsed.pop("ResponseMetadata")["RequestId"] == REQUEST_ID
    shape = service_model(service).operation_model(operation).output_shape
    return _undo_policy_encoding(parsed, shape) if shape is not None else parsed


@pytest.mark.parametrize(("service", "operation"), ALL_OPERATIONS, ids=[f"{s}:{o}" for s, o in ALL_OPERATIONS])
def test_every_operation_renders_what_botocore_parses(service: str, operation: str) -> None:
    """Each IAM and STS operation: an example output renders to XML that botocore parses back equal."""
    shape = service_model(service).operation_model(operation).output_shape
    output = example_for_operation(service, operation, shape)
    assert _round_trip(service, operation, output) == output


def test_response_envelope_and_namespaces() -> None:
    """<OpResponse xmlns=..><OpResult>..</OpResult><ResponseMetadata>.., in each service's namespace."""
    body = render_response(service_model("sts"), "GetCallerIdentity", {"Account": "123456789012"}, REQUEST_ID)
    assert body == (
        b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        b"<GetCallerIdentityResult><Account>123456789012</Account></GetCallerIdentityResult>"
        b"<ResponseMetadata><RequestId>" + REQUEST_ID.encode() + b"</RequestId></ResponseMetadata>"
        b"</GetCallerIdentityResponse>"
    )
    body = render_response(service_model("iam"), "DeleteRole", {}, REQUEST_ID)
    assert body.startswith(b'<DeleteRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata>')


def test_members_follow_model_order_and_scalars_are_aws_formatted() -> None:
    """§G.1 AssumeRole: model member order, timestamps ISO 8601 with Z, integers plain."""
    output = {
        "PackedPolicySize": 6,
        "Credentials": {
            "Expiration": datetime.datetime(2026, 1, 1, 1, 0, tzinfo=datetime.UTC),
            "SessionToken": "token",
            "SecretAccessKey": "secret",
            "AccessKeyId": "ASIAIOSFODNN7EXAMPLE",
        },
        "AssumedRoleUser": {
            "Arn": "arn:aws:sts::123456789012:assumed-role/demo/s",
            "AssumedRoleId": "AROA3XFRBF535PLBIFPI4:s",
        },
    }
    body = render_response(service_model("sts"), "AssumeRole", output, REQUEST_ID).decode()
    assert (
        "<AssumeRoleResult><Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>"
        "<SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>"
        "<Expiration>2026-01-01T01:00:00Z</Expiration></Credentials>"
        "<AssumedRoleUser><AssumedRoleId>AROA3XFRBF535PLBIFPI4:s</AssumedRoleId>"
        "<Arn>arn:aws:sts::123456789012:assumed-role/demo/s</Arn></AssumedRoleUser>"
        "<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult>"
    ) in body
    assert _round_trip("sts", "AssumeRole", output) == output


def test_timestamps_in_other_zones_are_rendered_in_utc() -> None:
    """A timestamp with another offset is the same instant, written in UTC with Z."""
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    expiration = datetime.datetime(2026, 1, 1, 3, 0, 0, 250000, tzinfo=plus_two)
    output = {
        "Credentials": {
            "AccessKeyId": "ASIAIOSFODNN7EXAMPLE",
            "SecretAccessKey": "s",
            "SessionToken": "t",
            "Expiration": expiration,
        }
    }
    body = render_response(service_model("sts"), "GetSessionToken", output, REQUEST_ID)
    assert b"<Expiration>2026-01-01T01:00:00.250000Z</Expiration>" in body
    assert _round_trip("sts", "GetSessionToken", output) == output


def test_h5_get_role_policy_document_is_url_encoded_and_botocore_decodes_it() -> None:
    """§H.5: GetRole's AssumeRolePolicyDocument is URL-encoded; botocore's IAM customisation yields the dict."""
    output = {
        "Role": {
            "Path": "/",
            "RoleName": "demo",
            "RoleId": "AROA3XFRBF535PLBIFPI4",
            "Arn": "arn:aws:iam::123456789012:role/demo",
            "CreateDate": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            "AssumeRolePolicyDocument": json.dumps(TRUST),
            "Tags": [{"Key": "team", "Value": "a&b <c>"}],
        }
    }
    body = render_response(service_model("iam"), "GetRole", output, REQUEST_ID)
    assert b"<AssumeRolePolicyDocument>%7B%22Version%22%3A%20%222012-10-17%22%2C" in body
    parsed = parse_output("iam", "GetRole", body)
    json_decode_policies(parsed, service_model("iam").operation_model("GetRole"))
    assert parsed["Role"]["AssumeRolePolicyDocument"] == TRUST
    assert parsed["Role"]["Tags"] == [{"Key": "team", "Value": "a&b <c>"}]


def test_h5_get_policy_version_document_accepts_a_mapping() -> None:
    """§H.5: GetPolicyVersion's Document is URL-encoded too; a mapping is rendered as its JSON."""
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    output = {"PolicyVersion": {"Document": document, "VersionId": "v1", "IsDefaultVersion": True}}
    body = render_response(service_model("iam"), "GetPolicyVersion", output, REQUEST_ID)
    assert b"%22s3%3A%2A%22" in body
    assert b"<IsDefaultVersion>true</IsDefaultVersion>" in body
    parsed = parse_output("iam", "GetPolicyVersion", body)
    json_decode_policies(parsed, service_model("iam").operation_model("GetPolicyVersion"))
    assert parsed["PolicyVersion"] == {"Document": document, "VersionId": "v1", "IsDefaultVersion": True}


def test_h5_policy_documents_keep_their_whitespace() -> None:
    """§H.5: the document comes back as it was stored, newlines and spaces included."""
    text = '{\r\n  "Version": "2012-10-17",\n\t"Statement": []\n}'
    output = {"RoleName": "r", "PolicyName": "p", "PolicyDocument": text}
    assert _round_trip("iam", "GetRolePolicy", output) == output


def test_text_is_escaped_and_carriage_returns_survive() -> None:
    """XML metacharacters are escaped; a CR is written as a character reference so parsers keep it."""
    output = {
        "Role": {
            "Path": "/",
            "RoleName": "r",
            "RoleId": "AROA",
            "Arn": "a",
            "CreateDate": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            "Description": "a<b>&c\r\nd ]]> e",
        }
    }
    body = render_response(service_model("iam"), "GetRole", output, REQUEST_ID)
    assert b"<Description>a&lt;b&gt;&amp;c&#13;\nd ]]&gt; e</Description>" in body
    assert _round_trip("iam", "GetRole", output) == output


@given(st.text(max_size=40) | st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_escape_text_shortcut_equals_the_full_table(text: str) -> None:
    """The ASCII shortcut of ``escape_text`` writes exactly what the full escape table writes (§H.5's wire text)."""
    assert escape_text(text) == text.translate(_TEXT_ESCAPES)


def test_maps_render_as_entries() -> None:
    """GetAccountSummary's SummaryMap renders as <entry><key/><value/></entry> and parses back."""
    output = {"SummaryMap": {"Users": 3, "Roles": 7, "Policies": 0}}
    body = render_response(service_model("iam"), "GetAccountSummary", output, REQUEST_ID)
    assert b"<SummaryMap><entry><key>Users</key><value>3</value></entry>" in body
    assert _round_trip("iam", "GetAccountSummary", output) == output


def test_blobs_render_as_base64() -> None:
    """GetCredentialReport's Content (a blob) is base64 on the wire and bytes after parsing."""
    output = {"Content": b"user,arn\n<root>,x\x00", "ReportFormat": "text/csv"}
    assert _round_trip("iam", "GetCredentialReport", output) == output


@pytest.mark.parametrize(
    ("operation", "output", "problem"),
    [
        ("GetCallerIdentity", {"Acount": "1"}, "has no members ['Acount']"),
        ("GetCallerIdentity", {"Account": 123456789012}, "int 123456789012 does not fit string"),
        ("GetSessionToken", {"Credentials": "x"}, "expected a mapping"),
        ("AssumeRole", {"PackedPolicySize": True}, "does not fit integer"),
        ("GetSessionToken", {"Credentials": {"Expiration": datetime.datetime(2026, 1, 1)}}, "has no time zone"),
    ],
)
def test_output_that_does_not_fit_the_shape_is_a_handler_bug(
    operation: str, output: dict[str, Any], problem: str
) -> None:
    """A handler returning keys or types the output shape lacks gets OutputShapeError naming the spot."""
    with pytest.raises(OutputShapeError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        render_response(service_model("sts"), operation, output, REQUEST_ID)


def test_lists_must_be_sequences() -> None:
    """A string where the shape has a list is refused rather than rendered character by character."""
    with pytest.raises(OutputShapeError, match="expected a list"):
        render_response(service_model("iam"), "ListRoles", {"Roles": "r1"}, REQUEST_ID)


def test_operation_without_output_refuses_output() -> None:
    """An operation with no output shape cannot be given output."""
    with pytest.raises(OutputShapeError, match="has no output"):
        render_response(service_model("iam"), "DeleteRole", {"RoleName": "x"}, REQUEST_ID)


def test_g9_error_response_parses_to_code_message_and_type() -> None:
    """§G.9: <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/> as botocore reads it."""
    response = render_error(
        "ExpiredToken",
        "The security token included in the request is expired",
        403,
        REQUEST_ID,
        namespace="https://sts.amazonaws.com/doc/2011-06-15/",
    )
    assert response.status == 403
    assert response.headers["content-type"] == "text/xml"
    assert response.headers["X-AMZN-REQUESTID"] == REQUEST_ID
    assert response.body.startswith(b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>')
    parsed = parse_output("sts", "GetCallerIdentity", response.body, status=403)
    assert parsed["Error"] == {
        "Type": "Sender",
        "Code": "ExpiredToken",
        "Message": "The security token included in the request is expired",
    }
    assert parsed["ResponseMetadata"]["RequestId"] == REQUEST_ID


def test_error_messages_are_escaped_and_fault_is_kept() -> None:
    """An AccessDenied message with '<' and '&' survives; a Receiver fault stays Receiver."""
    message = "User: arn:aws:iam::1:user/a&b is not authorized to perform: <x>"
    response = render_error("ServiceFailure", message, 500, REQUEST_ID, fault="Receiver")
    parsed = parse_output("iam", "GetUser", response.body, status=500)
    assert parsed["Error"] == {"Type": "Receiver", "Code": "ServiceFailure", "Message": message}


def test_policy_document_shapes_are_the_ones_botocore_decodes() -> None:
    """Every output member botocore's IAM customisation decodes is one the renderer URL-encodes."""
    names: set[str] = set()
    for operation in operations("iam"):
        shape = service_model("iam").operation_model(operation).output_shape
        if shape is not None:
            walk_shapes(shape, lambda s: names.add(s.name) if s.name == "policyDocumentType" else None)
    assert names == {"policyDocumentType"}


_ALL = st.sampled_from(ALL_OPERATIONS)


@cache
def _strategy(service: str, operation: str) -> st.SearchStrategy[dict[str, Any]]:
    """Built once per operation: building regex strategies is the slow part."""
    shape = service_model(service).operation_model(operation).output_shape
    return value_strategy(shape) if shape is not None else st.just({})


@st.composite
def _operation_outputs(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    service, operation = draw(_ALL)
    output = draw(_strategy(service, operation))
    return service, operation, output


def _drop_empty(value: Any) -> Any:
    """botocore parses an empty list or map element as absent; compare without empty collections."""
    if isinstance(value, dict):
        return {
            key: _drop_empty(item) for key, item in value.items() if not (isinstance(item, list | dict) and not item)
        }
    if isinstance(value, list):
        return [_drop_empty(item) for item in value]
    return value


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_operation_outputs())
def test_generated_outputs_round_trip(case: tuple[str, str, dict[str, Any]]) -> None:
    """Any output fitting its shape renders to XML that botocore parses back to the same value."""
    service, operation, output = case
    assert _drop_empty(_round_trip(service, operation, output)) == _drop_empty(output)


def test_characters_xml_cannot_carry_become_replacement_characters() -> None:
    """C0 controls other than tab/LF/CR cannot appear in XML 1.0 at all; they become U+FFFD, not broken XML."""
    output = {"UserId": "a\x00b\x1bc\td", "Account": "123456789012"}
    parsed = _round_trip("sts", "GetCallerIdentity", output)
    assert parsed["UserId"] == "a\ufffdb\ufffdc\td"


def test_none_members_are_omitted() -> None:
    """A member whose value is None is left out, like an absent member."""
    output = {"UserId": "AIDA", "Account": None, "Arn": "arn:aws:iam::123456789012:user/a"}
    body = render_response(service_model("sts"), "GetCallerIdentity", output, REQUEST_ID)
    assert b"<Account>" not in body
