"""Statement elements and the per-kind rules (§A.2, §A.4, §F.5)."""

from __future__ import annotations

from typing import Any

import pytest

from iamsim._policy.model import Effect, PolicyKind, PrincipalSpec
from iamsim._policy.parse import parse_policy
from iamsim.errors import MalformedPolicyDocumentError

ORGANIZATIONS = "The provided policy document does not meet the requirements of the specified policy type."

# A minimal valid statement for each kind.
BASE: dict[PolicyKind, dict[str, Any]] = {
    PolicyKind.IDENTITY: {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    PolicyKind.BOUNDARY: {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    PolicyKind.SESSION: {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    PolicyKind.SCP: {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
    PolicyKind.RCP: {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"},
    PolicyKind.RESOURCE: {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject"},
    PolicyKind.TRUST: {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
}


def _statement(kind: PolicyKind, **changes: Any) -> dict[str, Any]:
    statement = dict(BASE[kind])
    for key, value in changes.items():
        if value is None:
            statement.pop(key, None)
        else:
            statement[key] = value
    return statement


def _parse(kind: PolicyKind, *statements: dict[str, Any]) -> Any:
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)}, kind)


def _reject(kind: PolicyKind, *statements: dict[str, Any]) -> MalformedPolicyDocumentError:
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        _parse(kind, *statements)
    return caught.value


@pytest.mark.parametrize("kind", list(PolicyKind))
def test_base_statements_are_valid(kind: PolicyKind) -> None:
    """The fixtures of this module are valid for their kind (so each rejection below is about one change)."""
    assert len(_parse(kind, _statement(kind)).statements) == 1


# --- Sid -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [PolicyKind.IDENTITY, PolicyKind.TRUST, PolicyKind.BOUNDARY, PolicyKind.SESSION])
@pytest.mark.parametrize("sid", ["with-dash", "with space", "under_score", "caf\u00e9"])
def test_iam_sids_are_ascii_alphanumeric_a2(kind: PolicyKind, sid: str) -> None:
    """§A.2: in IAM policies a Sid holds only A-Z, a-z, 0-9."""
    error = _reject(kind, _statement(kind, Sid=sid))
    assert error.message.startswith("Statement IDs (SID) must be alpha-numeric.")
    assert error.pointer == "/Statement/0/Sid"
    assert error.statement_index == 0


@pytest.mark.parametrize("kind", [PolicyKind.RESOURCE, PolicyKind.SCP, PolicyKind.RCP])
def test_other_kinds_take_any_sid_a2(kind: PolicyKind) -> None:
    """§A.2: other services (resource policies, Organizations) allow other characters."""
    assert (
        _parse(kind, _statement(kind, Sid="Allow use of the key - 1")).statements[0].sid == "Allow use of the key - 1"
    )


@pytest.mark.parametrize("kind", list(PolicyKind))
def test_sids_are_unique_in_every_kind_a2(kind: PolicyKind) -> None:
    """§A.2: a Sid must be unique within the policy."""
    error = _reject(kind, _statement(kind, Sid="Same"), _statement(kind, Sid="Same"))
    assert error.message == "Statement IDs (SID) in a single policy must be unique."
    assert error.statement_index == 1
    assert error.pointer == "/Statement/1/Sid"


def test_sid_is_optional_and_kept_a2() -> None:
    """§A.2: Sid is optional."""
    policy = _parse(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY), _statement(PolicyKind.IDENTITY, Sid="S1"))
    assert [s.sid for s in policy.statements] == [None, "S1"]


def test_sid_must_be_a_string_a2() -> None:
    """§A.2: Sid is a string."""
    assert _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Sid=1)).message == "Syntax errors in policy."


# --- Effect ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("effect", ["allow", "DENY", "Permit", "", 1, True])
def test_effect_is_case_sensitive_allow_or_deny_a2(effect: Any) -> None:
    """§A.2: Effect is Allow or Deny, case sensitive."""
    error = _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Effect=effect))
    assert error.message == "The policy failed legacy parsing"
    assert error.pointer == "/Statement/0/Effect"


def test_effect_is_required_a2() -> None:
    """§A.2: Effect is required."""
    error = _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Effect=None))
    assert error.message == "Missing required field Effect"


def test_deny_effect_a2() -> None:
    """§A.2: Deny is the other effect."""
    policy = _parse(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Effect="Deny"))
    assert policy.statements[0].effect is Effect.DENY


def test_unknown_statement_element_is_rejected_a2() -> None:
    """§A.2: a statement holds only the documented elements (a typo is not ignored)."""
    error = _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Actions=["s3:*"]))
    assert error.message == "Syntax errors in policy."
    assert error.pointer == "/Statement/0/Actions"


# --- Action / NotAction ----------------------------------------------------------------------------


def test_action_and_not_action_are_exclusive_a2() -> None:
    """§A.2: Action and NotAction cannot both be used."""
    error = _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, NotAction="s3:PutObject"))
    assert "Action and NotAction" in error.message


@pytest.mark.parametrize("kind", list(PolicyKind))
def test_one_of_action_or_not_action_is_required_a2(kind: PolicyKind) -> None:
    """§A.2: every statement has Action or NotAction."""
    error = _reject(kind, _statement(kind, Action=None))
    expected = ORGANIZATIONS if kind in (PolicyKind.SCP, PolicyKind.RCP) else "Policy statement must contain actions."
    assert error.message == expected


def test_empty_action_list_has_no_actions_a2() -> None:
    """§A.2: an empty Action list is no action at all."""
    assert _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Action=[])).message == (
        "Policy statement must contain actions."
    )


def test_not_action_is_kept_separately_a2() -> None:
    """§A.2: NotAction fills ``not_action``; ``action`` stays None."""
    statement = _parse(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Action=None, NotAction="iam:*")).statements[
        0
    ]
    assert (statement.action, statement.not_action) == (None, ("iam:*",))


def test_single_action_becomes_a_one_tuple_and_lists_keep_order_a1() -> None:
    """§A.1: brackets are optional for one value; values keep their order as written."""
    one = _parse(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY)).statements[0]
    many = _parse(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Action=["s3:B", "s3:A", "S3:b"])).statements[0]
    assert one.action == ("s3:GetObject",)
    assert many.action == ("s3:B", "s3:A", "S3:b")


@pytest.mark.parametrize("action", ["GetObject", ":GetObject", "", "s3"])
def test_actions_need_a_vendor_prefix_b1(action: str) -> None:
    """§B.1: an action is ``service-prefix:ActionName``."""
    error = _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Action=["s3:GetObject", action]))
    assert error.message == "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
    assert error.pointer == "/Statement/0/Action/1"


def test_actions_have_only_one_colon_b1() -> None:
    """§B.1: one colon separates prefix and name."""
    error = _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Action="s3:Get:Object"))
    assert error.message == "Actions/Condition can contain only one colon."
    assert error.pointer == "/Statement/0/Action"


@pytest.mark.parametrize("action", ["*", "s3:*", "iam:*AccessKey*", "ec2:Describe?nstances", "*:*"])
def test_wildcard_actions_are_accepted_b1(action: str) -> None:
    """§B.1: ``*`` and ``?`` may appear in actions."""
    assert _parse(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Action=action)).statements[0].action == (action,)


@pytest.mark.parametrize("value", [5, None, {"a": "b"}, ["s3:GetObject", 5], [["s3:GetObject"]]])
def test_action_values_are_strings_a1(value: Any) -> None:
    """§A.1: Action holds a string or a list of strings."""
    statement = _statement(PolicyKind.IDENTITY)
    statement["Action"] = value
    assert _reject(PolicyKind.IDENTITY, statement).message == "Syntax errors in policy."


# --- Resource / NotResource ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION])
def test_resource_is_required_in_identity_side_policies_a2(kind: PolicyKind) -> None:
    """§A.2/§A.4: identity, boundary and session statements need Resource or NotResource."""
    assert _reject(kind, _statement(kind, Resource=None)).message == "Policy statement must contain resources."


@pytest.mark.parametrize("kind", [PolicyKind.SCP, PolicyKind.RCP])
def test_resource_is_required_in_organizations_policies_a4(kind: PolicyKind) -> None:
    """§A.4 (judgment for RCPs): SCP and RCP statements need Resource or NotResource."""
    assert _reject(kind, _statement(kind, Resource=None)).message == ORGANIZATIONS


def test_resource_is_optional_in_resource_policies_a2() -> None:
    """§A.2: a resource policy statement without Resource applies to the attached resource."""
    statement = _parse(PolicyKind.RESOURCE, _statement(PolicyKind.RESOURCE)).statements[0]
    assert (statement.resource, statement.not_resource) == (None, None)


@pytest.mark.parametrize("field", ["Resource", "NotResource"])
def test_trust_policies_prohibit_resources_a2(field: str) -> None:
    """§A.2 (observed): CreateRole says ``Has prohibited field Resource``."""
    error = _reject(PolicyKind.TRUST, _statement(PolicyKind.TRUST, **{field: "*"}))
    assert error.message == f"Has prohibited field {field}"
    assert error.pointer == f"/Statement/0/{field}"


def test_resource_and_not_resource_are_exclusive_a2() -> None:
    """§A.2: Resource and NotResource are mutually exclusive."""
    error = _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, NotResource="arn:aws:s3:::b"))
    assert "Resource and NotResource" in error.message


def test_not_resource_is_kept_separately_a2() -> None:
    """§A.2: NotResource fills ``not_resource``."""
    statement = _parse(
        PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Resource=None, NotResource=["arn:aws:s3:::b"])
    ).statements[0]
    assert (statement.resource, statement.not_resource) == (None, ("arn:aws:s3:::b",))


@pytest.mark.parametrize("resource", ["bucket", "arn:aws", "arn::s3:::b", "ARN:aws:s3:::b", "${aws:username}", ""])
def test_resources_must_be_arns_or_star_b2(resource: str) -> None:
    """§B.2: a resource is an ARN or ``*``; AWS's message names the value."""
    error = _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Resource=resource))
    assert error.message == f'Resource {resource} must be in ARN format or "*".'


@pytest.mark.parametrize(
    "resource",
    ["*", "arn:aws:sqs", "arn:aws:s3:::b/*", "arn:aws:iam::123456789012:user/${aws:username}", "arn:*:s3:::b"],
)
def test_resource_arns_incomplete_wildcards_and_variables_b2(resource: str) -> None:
    """§B.2: shortened ARNs, wildcards and variables are accepted."""
    statement = _parse(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Resource=resource)).statements[0]
    assert statement.resource == (resource,)


def test_empty_resource_list_has_no_resources_a2() -> None:
    """§A.2: an empty Resource list is no resource at all."""
    error = _reject(PolicyKind.IDENTITY, _statement(PolicyKind.IDENTITY, Resource=[]))
    assert error.message == "Policy statement must contain resources."


# --- Principal / NotPrincipal per kind -------------------------------------------------------------


@pytest.mark.parametrize("kind", [PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION])
@pytest.mark.parametrize("field", ["Principal", "NotPrincipal"])
def test_identity_side_policies_must_not_name_principals_a2(kind: PolicyKind, field: str) -> None:
    """§A.2 (observed): ``Policy document should not specify a principal.``"""
    error = _reject(kind, _statement(kind, Effect="Deny", **{field: "*"}))
    assert error.message == "Policy document should not specify a principal."
    assert error.pointer == f"/Statement/0/{field}"


@pytest.mark.parametrize("field", ["Principal", "NotPrincipal"])
def test_scps_take_no_principal_f5(field: str) -> None:
    """§F.5: no Principal or NotPrincipal in SCPs."""
    assert _reject(PolicyKind.SCP, _statement(PolicyKind.SCP, **{field: "*"})).message == ORGANIZATIONS


@pytest.mark.parametrize("kind", [PolicyKind.RESOURCE, PolicyKind.TRUST])
def test_principal_is_required_in_resource_and_trust_policies_a2(kind: PolicyKind) -> None:
    """§A.2 (observed): ``Missing required field Principal``."""
    assert _reject(kind, _statement(kind, Principal=None)).message == "Missing required field Principal"


def test_trust_policies_prohibit_not_principal_a2() -> None:
    """§A.2: NotPrincipal cannot be used in role trust policies."""
    error = _reject(PolicyKind.TRUST, _statement(PolicyKind.TRUST, Effect="Deny", NotPrincipal={"AWS": "*"}))
    assert error.message == "Has prohibited field NotPrincipal"


def test_not_principal_needs_deny_a2() -> None:
    """§A.2: NotPrincipal only with Effect Deny."""
    statement = _statement(PolicyKind.RESOURCE, Principal=None, NotPrincipal={"AWS": "111122223333"})
    error = _reject(PolicyKind.RESOURCE, statement)
    assert "Deny" in error.message
    assert error.pointer == "/Statement/0/NotPrincipal"


def test_not_principal_with_deny_in_resource_policy_a2() -> None:
    """§A.2: Deny + NotPrincipal is accepted in resource-based policies."""
    statement = _statement(PolicyKind.RESOURCE, Effect="Deny", Principal=None, NotPrincipal={"AWS": "111122223333"})
    parsed = _parse(PolicyKind.RESOURCE, statement).statements[0]
    assert (parsed.principal, parsed.not_principal) == (None, PrincipalSpec(aws=("111122223333",)))


def test_principal_and_not_principal_are_exclusive_a2() -> None:
    """§A.2: Principal and NotPrincipal are mutually exclusive."""
    statement = _statement(PolicyKind.RESOURCE, Effect="Deny", NotPrincipal={"AWS": "111122223333"})
    assert "Principal and NotPrincipal" in _reject(PolicyKind.RESOURCE, statement).message


# --- trust actions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        "sts:AssumeRole",
        "sts:assumerolewithwebidentity",
        "sts:AssumeRoleWithSAML",
        "sts:TagSession",
        "sts:SetSourceIdentity",
        "sts:AssumeRole*",
        "sts:*",
        "*",
    ],
)
def test_trust_policies_name_sts_assume_role_actions_a4(action: str) -> None:
    """§A.4: a trust policy's actions are ``sts:AssumeRole*``, ``sts:TagSession``, ``sts:SetSourceIdentity``…"""
    assert _parse(PolicyKind.TRUST, _statement(PolicyKind.TRUST, Action=action)).statements[0].action == (action,)


@pytest.mark.parametrize("action", ["s3:GetObject", "sts:GetCallerIdentity", "iam:*", "sts:Get*"])
def test_trust_policies_reject_other_actions_a4(action: str) -> None:
    """§A.4: anything but the STS role actions is refused."""
    error = _reject(PolicyKind.TRUST, _statement(PolicyKind.TRUST, Action=["sts:AssumeRole", action]))
    assert error.message == "AssumeRole policy may only specify STS AssumeRole actions."
    assert error.pointer == "/Statement/0/Action/1"


def test_trust_policies_reject_not_action_a4() -> None:
    """§A.4 (judgment): a trust statement lists its STS actions; NotAction would name all others."""
    statement = _statement(PolicyKind.TRUST, Action=None, NotAction="s3:*")
    assert _reject(PolicyKind.TRUST, statement).message == "AssumeRole policy may only specify STS AssumeRole actions."


# --- SCPs and RCPs ---------------------------------------------------------------------------------


def test_scp_allows_condition_not_action_and_not_resource_f5() -> None:
    """§F.5 (current): Condition, NotAction and NotResource are allowed in SCP Allow and Deny."""
    statement = {
        "Effect": "Allow",
        "NotAction": "iam:*",
        "NotResource": "arn:aws:iam::*:role/admin",
        "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
    }
    assert _parse(PolicyKind.SCP, statement).statements[0].not_action == ("iam:*",)


def test_rcp_full_aws_access_is_the_only_allow_a4() -> None:
    """§A.4/§F.5: RCPFullAWSAccess is the only accepted Allow."""
    full = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    assert _parse(PolicyKind.RCP, full).statements[0].effect is Effect.ALLOW
    assert _parse(PolicyKind.RCP, {**full, "Principal": {"AWS": "*"}, "Action": ["*"]}).statements


@pytest.mark.parametrize(
    "changes",
    [
        {"Action": "s3:*"},
        {"Resource": "arn:aws:s3:::b"},
        {"Resource": None, "NotResource": "arn:aws:s3:::b"},
        {"Condition": {"Bool": {"aws:SecureTransport": "true"}}},
        {"Action": ["*", "s3:*"]},
    ],
)
def test_rcp_other_allows_are_refused_a4(changes: dict[str, Any]) -> None:
    """§A.4: any Allow other than the exact full-access form is refused."""
    full = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    statement = {key: value for key, value in {**full, **changes}.items() if value is not None}
    assert _reject(PolicyKind.RCP, statement).message == ORGANIZATIONS


@pytest.mark.parametrize(
    "changes",
    [
        {"Action": None, "NotAction": "s3:GetObject"},
        {"Principal": None, "NotPrincipal": {"AWS": "111122223333"}},
        {"Principal": None},
        {"Principal": {"AWS": "111122223333"}},
        {"Principal": {"Service": "s3.amazonaws.com"}},
    ],
)
def test_rcp_statements_principal_star_no_not_action_no_not_principal_a4(changes: dict[str, Any]) -> None:
    """§A.4: RCPs take Principal ``*`` only, no NotAction and no NotPrincipal."""
    assert _reject(PolicyKind.RCP, _statement(PolicyKind.RCP, **changes)).message == ORGANIZATIONS


def test_rcp_deny_with_condition_is_accepted_f5() -> None:
    """§F.5: RCP Deny statements narrow with conditions."""
    statement = _statement(PolicyKind.RCP, Condition={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}})
    assert _parse(PolicyKind.RCP, statement).statements[0].conditions[0].if_exists


def test_errors_name_the_statement_index() -> None:
    """Errors inside a statement carry its index; document-level errors carry none."""
    good = _statement(PolicyKind.IDENTITY)
    error = _reject(PolicyKind.IDENTITY, good, good, _statement(PolicyKind.IDENTITY, Effect="allow"))
    assert error.statement_index == 2
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        parse_policy({"Version": "x", "Statement": [good]})
    assert caught.value.statement_index is None
