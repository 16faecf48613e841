"""Condition findings (§C.1-§C.3, §E): unknown keys, keys no action supports, operator types, set qualifiers."""

from __future__ import annotations

from typing import Any

import pytest

from iamsim._policy.findings import Severity
from iamsim._policy.model import PolicyKind
from iamsim._policy.validate import PolicyValidator

from .builders import allow, codes, deny, only, policy


def _with(condition: dict[str, Any], action: str | list[str] = "s3:GetObject", effect: str = "Allow") -> dict[str, Any]:
    statement = {"Effect": effect, "Action": action, "Resource": "arn:aws:s3:::b/*", "Condition": condition}
    return policy(statement)


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("aws:SourceIpp", "aws:SourceIp"),
        ("aws:PrincipalOrgId2", "aws:PrincipalOrgID"),
        ("s3:x-amz-acll", "s3:x-amz-acl"),
    ],
)
def test_e_an_unknown_condition_key_is_an_error_with_a_suggestion(
    validator: PolicyValidator, key: str, hint: str
) -> None:
    finding = only(validator.validate(_with({"StringEquals": {key: "x"}})), "UNKNOWN_CONDITION_KEY")
    assert finding.severity is Severity.ERROR
    assert finding.pointer == f"/Statement/0/Condition/StringEquals/{key}"
    assert repr(key) in finding.message
    assert repr(hint) in finding.message


def test_e_a_key_of_no_service_is_an_error(validator: PolicyValidator) -> None:
    finding = only(validator.validate(_with({"StringEquals": {"foo:bar": "x"}})), "UNKNOWN_CONDITION_KEY")
    assert "'foo'" in finding.message


@pytest.mark.parametrize(
    "key",
    ["aws:SourceIp", "AWS:SOURCEIP", "aws:ResourceTag/team", "aws:PrincipalTag/cost-center", "s3:ExistingObjectTag/x"],
)
def test_c1_known_keys_in_any_case_and_concrete_templated_keys_are_fine(validator: PolicyValidator, key: str) -> None:
    operator = "IpAddress" if key.lower() == "aws:sourceip" else "StringEquals"
    value = "203.0.113.0/24" if operator == "IpAddress" else "x"
    assert validator.validate(_with({operator: {key: value}})).findings == ()


@pytest.mark.parametrize(
    "key",
    ["token.actions.githubusercontent.com:sub", "accounts.google.com:aud", "saml:aud", "oidc.eks.x.com/id/AB:sub"],
)
def test_identity_provider_claims_are_not_checked_against_the_reference(validator: PolicyValidator, key: str) -> None:
    trust = policy(
        {
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringLike": {key: "repo:org/*"}},
        }
    )
    assert "UNKNOWN_CONDITION_KEY" not in codes(validator.validate(trust, PolicyKind.TRUST))


def test_a_service_key_no_listed_action_supports_is_a_warning(validator: PolicyValidator) -> None:
    report = validator.validate(_with({"StringEquals": {"s3:prefix": "home/"}}, action="s3:GetObject"))
    finding = only(report, "CONDITION_KEY_NOT_APPLICABLE")
    assert finding.severity is Severity.WARNING
    assert "'s3:prefix'" in finding.message
    assert "s3:GetObject" in finding.message


def test_a_service_key_one_listed_action_supports_is_fine(validator: PolicyValidator) -> None:
    document = policy(
        allow(
            ["s3:GetObject", "s3:ListBucket"],
            ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            Condition={"StringLike": {"s3:prefix": "home/"}},
        )
    )
    assert validator.validate(document).findings == ()


def test_resource_type_keys_apply_to_their_actions(validator: PolicyValidator) -> None:
    report = validator.validate(
        policy(
            deny(
                "iam:PassRole",
                "arn:aws:iam::111122223333:role/x",
                Condition={"StringEquals": {"iam:ResourceTag/team": "a"}},
            )
        )
    )
    assert "CONDITION_KEY_NOT_APPLICABLE" not in codes(report)


def test_e_global_keys_apply_to_every_action(validator: PolicyValidator) -> None:
    assert validator.validate(_with({"Bool": {"aws:SecureTransport": "true"}}, action="s3:GetObject")).findings == ()


def test_applicability_is_not_judged_for_notaction_or_unknown_actions(validator: PolicyValidator) -> None:
    not_action = {
        "Effect": "Deny",
        "NotAction": "s3:GetObject",
        "Resource": "*",
        "Condition": {"StringEquals": {"s3:prefix": "x"}},
    }
    assert "CONDITION_KEY_NOT_APPLICABLE" not in codes(validator.validate(policy(not_action)))
    unknown = _with({"StringEquals": {"s3:prefix": "x"}}, action=["s3:GetObject", "s3:NoSuchAction"])
    assert "CONDITION_KEY_NOT_APPLICABLE" not in codes(validator.validate(unknown))


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("NumericLessThan", "aws:PrincipalOrgID", "3"),
        ("DateGreaterThan", "aws:SourceIp", "2024-01-01"),
        ("IpAddress", "aws:PrincipalAccount", "10.0.0.0/8"),
        ("StringEquals", "aws:SourceIp", "10.0.0.1"),
        ("Bool", "aws:CurrentTime", "true"),
    ],
)
def test_c2_an_operator_that_does_not_fit_the_key_type_is_a_warning(
    validator: PolicyValidator, operator: str, key: str, value: str
) -> None:
    finding = only(validator.validate(_with({operator: {key: value}})), "OPERATOR_TYPE_MISMATCH")
    assert finding.severity is Severity.WARNING
    assert operator in finding.message
    assert repr(key) in finding.message


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringLike", "aws:PrincipalOrgID", "o-*"),
        ("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/x"),
        ("StringLike", "aws:PrincipalArn", "arn:aws:iam::*:role/x"),
        ("DateGreaterThan", "aws:CurrentTime", "2024-01-01T00:00:00Z"),
        ("NumericLessThan", "aws:EpochTime", "1700000000"),
        ("NumericLessThan", "aws:MultiFactorAuthAge", "3600"),
        ("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"),
        ("Null", "aws:SourceIp", "true"),
        ("BoolIfExists", "aws:MultiFactorAuthPresent", "true"),
    ],
)
def test_c2_operators_of_the_key_type_are_fine(validator: PolicyValidator, operator: str, key: str, value: str) -> None:
    assert "OPERATOR_TYPE_MISMATCH" not in codes(validator.validate(_with({operator: {key: value}})))


def test_c3_forallvalues_on_a_single_valued_key_in_an_allow_is_a_security_warning(validator: PolicyValidator) -> None:
    report = validator.validate(_with({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-123"}}))
    finding = only(report, "FOR_ALL_VALUES_WITH_SINGLE_VALUED_KEY")
    assert finding.severity is Severity.SECURITY_WARNING
    assert finding.pointer == "/Statement/0/Condition/ForAllValues:StringEquals/aws:PrincipalOrgID"


def test_c3_forallvalues_on_a_single_valued_key_in_a_deny_is_a_warning(validator: PolicyValidator) -> None:
    report = validator.validate(_with({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-1"}}, effect="Deny"))
    assert codes(report) == ["SET_OPERATOR_WITH_SINGLE_VALUED_KEY"]


def test_c3_foranyvalue_on_a_single_valued_key_is_a_warning(validator: PolicyValidator) -> None:
    report = validator.validate(_with({"ForAnyValue:StringEquals": {"aws:ResourceTag/team": "a"}}))
    assert only(report, "SET_OPERATOR_WITH_SINGLE_VALUED_KEY").severity is Severity.WARNING


def test_c3_a_multivalued_key_without_a_qualifier_is_a_warning(validator: PolicyValidator) -> None:
    finding = only(validator.validate(_with({"StringEquals": {"aws:TagKeys": "team"}})), "MISSING_SET_OPERATOR")
    assert "'aws:TagKeys'" in finding.message


@pytest.mark.parametrize("operator", ["ForAnyValue:StringEquals", "ForAllValues:StringLike", "Null"])
def test_c3_a_multivalued_key_with_a_qualifier_or_null_is_fine(validator: PolicyValidator, operator: str) -> None:
    value = "false" if operator == "Null" else "team"
    report = validator.validate(
        policy(deny("s3:PutObjectTagging", "arn:aws:s3:::b/*", Condition={operator: {"aws:TagKeys": value}}))
    )
    assert not {"MISSING_SET_OPERATOR", "SET_OPERATOR_WITH_SINGLE_VALUED_KEY"} & set(codes(report))


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("DateGreaterThan", "aws:CurrentTime", "1" * 4301),
        ("NumericLessThan", "s3:max-keys", "9" * 120),
        ("NumericEquals", "s3:max-keys", "١٠"),
        ("IpAddress", "aws:SourceIp", "fe80::1%eth0"),
    ],
)
def test_c2_a_value_outside_the_grammar_is_a_malformed_policy_finding(
    validator: PolicyValidator, operator: str, key: str, value: str
) -> None:
    """§C.2 (reference_policies_elements_condition_operators.html): the linter reads values with the
    parser's grammar (iamsim._policy.values), so an absurd or foreign value is one finding, not a crash."""
    finding = only(validator.validate(_with({operator: {key: value}}, action="s3:ListBucket")), "MALFORMED_POLICY")
    assert finding.severity is Severity.ERROR
    assert finding.pointer == f"/Statement/0/Condition/{operator}/{key}"
    assert f"for operator {operator} and key {key} in statement 1" in finding.message
