"""The IAM API's own answers for faulty identity policies, through boto3 (§A.6, §A.1).

Each case is a document IAM was observed to answer with the message given (§A.6 cites the
observations: https://github.com/getmoto/moto/pull/2269). The linter keeps its own, precise words.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from iamsim import validate_policy

from .conftest import error_of

_BUCKET = "arn:aws:s3:::example_bucket"


def _statement(**fields: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": _BUCKET, **fields}


def _doc(statement: Any, **top: Any) -> str:
    return json.dumps({"Version": "2012-10-17", **top, "Statement": statement})


SYNTAX = "Syntax errors in policy."
LEGACY = "The policy failed legacy parsing"
NEED_2012 = "Policy document must be version 2012-10-17 or greater."

CASES = [
    pytest.param("not json", SYNTAX, id="not-json"),
    pytest.param(json.dumps({"Version": "2013-10-17", "Statement": _statement()}), SYNTAX, id="unknown-version"),
    pytest.param(json.dumps({"Version": "2012-10-17"}), SYNTAX, id="no-statement"),
    pytest.param(_doc([]), SYNTAX, id="empty-statement-list"),
    pytest.param(_doc(_statement(), Id=["x"]), SYNTAX, id="id-not-a-string"),
    pytest.param(_doc(_statement(Effect="invalid")), SYNTAX, id="effect-not-a-word"),
    pytest.param(_doc({"Action": "s3:ListBucket", "Resource": _BUCKET}), SYNTAX, id="no-effect"),
    pytest.param(_doc(_statement(NotAction="s3:Get*")), SYNTAX, id="action-and-notaction"),
    pytest.param(_doc(_statement(NotResource="*")), SYNTAX, id="resource-and-notresource"),
    pytest.param(_doc(_statement(Resource=["*", {}])), SYNTAX, id="resource-not-a-string"),
    pytest.param(_doc(_statement(Condition={"x": {"a": "1"}})), SYNTAX, id="unknown-operator"),
    pytest.param(json.dumps({"Statement": _statement()}), NEED_2012, id="no-version"),
    pytest.param(json.dumps({"Version": "2008-10-17", "Statement": _statement()}), NEED_2012, id="2008"),
    pytest.param(json.dumps({"Statement": _statement(Effect="denY")}), NEED_2012, id="version-before-legacy"),
    pytest.param(_doc(_statement(Effect="allow")), LEGACY, id="effect-case"),
    pytest.param(_doc(_statement(Resource="arn:aws:s3::example_bucket")), LEGACY, id="five-field-arn"),
    pytest.param(_doc({"Effect": "Allow", "Resource": "arn:aws:s3::b"}), LEGACY, id="legacy-before-actions"),
    pytest.param(_doc(_statement(Condition={"DateGreaterThan": {"aws:CurrentTime": "sdfdsf"}})), LEGACY, id="bad-date"),
    pytest.param(_doc(_statement(Resource="adf")), 'Resource adf must be in ARN format or "*".', id="not-an-arn"),
    pytest.param(
        _doc(_statement(Action="s:3:ListBucket", Resource="adf")),
        'Resource adf must be in ARN format or "*".',
        id="resource-before-action",
    ),
    pytest.param(
        _doc(_statement(Resource="arn:aws")),
        "Resource vendor must be fully qualified and cannot contain regexes.",
        id="arn-without-vendor",
    ),
    pytest.param(
        _doc(_statement(Resource="arn:error:s3:::example_bucket")),
        'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".',
        id="unknown-partition",
    ),
    pytest.param(
        _doc(_statement(Resource="aws:s3:::example_bucket")),
        'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".',
        id="first-field-read-as-arn",
    ),
    pytest.param(
        _doc([{**_statement(), "Sid": "a"}, {"Sid": "a", "Effect": "Allow"}]),
        "Statement IDs (SID) in a single policy must be unique.",
        id="sids-before-actions",
    ),
    pytest.param(_doc(_statement(Action="a a:ListBucket")), "Vendor a a is not valid", id="vendor-with-space"),
    pytest.param(
        _doc(_statement(Resource="arn:aws:iam:us-east-1::role/x")),
        "IAM resource arn:aws:iam:us-east-1::role/x cannot contain region information.",
        id="iam-region",
    ),
    pytest.param(
        _doc(_statement(Resource="arn:aws:s3:us-east-1::example_bucket")),
        "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.",
        id="s3-bucket-region",
    ),
    pytest.param(
        _doc(_statement(Resource="arn:aws:iam:::example_bucket")),
        'IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, '
        "instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, "
        "report/, access-report/.",
        id="iam-resource-type",
    ),
]


@pytest.mark.parametrize(("document", "message"), CASES)
def test_create_policy_answers_in_iams_words_A6(iam: Any, document: str, message: str) -> None:
    """§A.6: CreatePolicy refuses the document with MalformedPolicyDocument and IAM's own message."""
    error = error_of(iam.create_policy, PolicyName="p", PolicyDocument=document)
    assert (error["Code"], error["Message"]) == ("MalformedPolicyDocument", message)
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_create_policy_version_needs_2012_too_A6(iam: Any) -> None:
    """§A.6: CreatePolicyVersion's document is a managed policy's, so it needs Version 2012-10-17."""
    arn = iam.create_policy(PolicyName="p", PolicyDocument=_doc(_statement()))["Policy"]["Arn"]
    error = error_of(iam.create_policy_version, PolicyArn=arn, PolicyDocument=json.dumps({"Statement": _statement()}))
    assert error["Message"] == NEED_2012


def test_inline_policy_may_keep_the_2008_version_A6(iam: Any) -> None:
    """§A.6: an inline policy without Version (read as 2008-10-17, §A.1) is stored; its faults get IAM's words."""
    iam.create_user(UserName="u")
    iam.put_user_policy(UserName="u", PolicyName="old", PolicyDocument=json.dumps({"Statement": _statement()}))
    assert iam.list_user_policies(UserName="u")["PolicyNames"] == ["old"]
    bad = _doc(_statement(Condition={"DateLessThan": {"aws:CurrentTime": "234-13"}}))
    error = error_of(iam.put_user_policy, UserName="u", PolicyName="bad", PolicyDocument=bad)
    assert error["Message"] == LEGACY


def test_identity_policy_id_is_stored_A1(iam: Any) -> None:
    """§A.1 (observed): CreatePolicy and CreatePolicyVersion accept a string Id and return it unchanged."""
    first = _doc(_statement(), Id="2")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=first)["Policy"]["Arn"]
    second = _doc(_statement(), Id="3")
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=second, SetAsDefault=True)
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v2")["PolicyVersion"]
    assert version["Document"] == json.loads(second)


def test_s3_access_point_arn_keeps_its_region_A6(iam: Any) -> None:
    """§A.6: an access point ARN names region and account, and is accepted."""
    resource = "arn:aws:s3:us-west-2:111111111111:accesspoint/ap"
    iam.create_policy(PolicyName="ap", PolicyDocument=_doc(_statement(Resource=resource)))


def test_linter_keeps_its_precise_words_A6() -> None:
    """§A.6: `iamsim validate` still names the fault IAM's API words generally."""
    (finding,) = validate_policy(_doc(_statement(NotAction="s3:Get*"))).errors
    assert finding.message == "Policy statement must not contain both Action and NotAction."


def test_an_operator_without_keys_is_stored_A6(iam: Any) -> None:
    """§A.6 (observed): `{"x": {}, "y": {}}` is stored; an unknown operator with keys is not."""
    iam.create_policy(PolicyName="empty", PolicyDocument=_doc(_statement(Condition={"x": {}, "y": {}})))
    error = error_of(iam.create_policy, PolicyName="bad", PolicyDocument=_doc(_statement(Condition={"x": {"a": "1"}})))
    assert error["Message"] == SYNTAX


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:iam::123456789012:delegation-request/abc",
        "arn:aws:iam::123456789012:role-template/t",
        "arn:aws:iam::123456789012:workload-identity-provider/p",
        "arn:aws:iam::123456789012:workload-identity-template/t",
    ],
)
def test_iam_resource_types_newer_than_the_message_are_accepted_A6(iam: Any, resource: str) -> None:
    """§A.6/§H.10/§H.11: IAM's message lists its first resource types; the types it added since are valid too."""
    document = _doc({"Effect": "Allow", "Action": "iam:GetRole", "Resource": resource})
    arn = iam.create_policy(PolicyName="newer-types", PolicyDocument=document)["Policy"]["Arn"]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PolicyName"] == "newer-types"
