"""The direct path's combining step skips work only where it cannot change a result (issue 16, eval3).

``CompiledPolicySet._outcome`` calls the standing-rule lookup only for the actions some rule names
(``standing_rules.RULED_ACTIONS``), the KMS key test only for ``kms:`` actions, and unrolls the
cross-account test. On calls drawn among exactly those cases (spec §G.6: ``sts:GetCallerIdentity`` needs
no permission, STS:API_GetCallerIdentity.html; §H.5: AWS-owned resources, AWS managed policies and
service-linked roles, stay protected whatever the policies say; §F.1 step 3: which key policy decides a
KMS key request, "Key policies in AWS KMS", docs.aws.amazon.com/kms/latest/developerguide/key-policies.html;
§F.1: a resource of another account, "Cross-account policy evaluation logic",
docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html),
``PolicyEvaluator.evaluate`` and ``is_allowed`` must equal the reference evaluator on every field a result
exposes, its request included.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamsim import PolicyEvaluator
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.request import Principal, Request
from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy

from .evaluators import summary

ACCOUNT = "111122223333"
OTHER = "444455556666"
CALLERS = (
    f"arn:aws:iam::{ACCOUNT}:user/alice",
    f"arn:aws:iam::{ACCOUNT}:role/app",
    f"arn:aws:sts::{ACCOUNT}:assumed-role/app/s1",
    ACCOUNT,
)
ACTIONS = (
    "sts:GetCallerIdentity",
    "STS:getcalleridentity",
    "iam:DeletePolicy",
    "iam:CreatePolicyVersion",
    "iam:DeleteRole",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "kms:Decrypt",
    "KMS:Encrypt",
    "kms:DeleteAlias",
    "s3:GetObject",
    "ec2:RunInstances",
)
RESOURCES = (
    "*",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    f"arn:aws:iam::{ACCOUNT}:policy/mine",
    f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
    f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef",
    f"arn:aws:iam::{ACCOUNT}:role/app",
    f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    f"arn:aws:kms:us-east-1:{OTHER}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/aws/s3",
    f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/mine",
    "arn:aws:s3:::bucket/key",
    f"arn:aws:ec2:us-east-1:{OTHER}:instance/i-1",
    f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-1",
)
STATEMENTS: tuple[dict[str, Any], ...] = (
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Deny", "Action": "*", "Resource": "*"},
    {"Effect": "Allow", "Action": ["kms:*", "sts:*"], "Resource": "*"},
    {"Effect": "Deny", "Action": "kms:*", "Resource": f"arn:aws:kms:*:{OTHER}:key/*"},
    {"Effect": "Allow", "Action": "iam:*", "Resource": f"arn:aws:iam::{ACCOUNT}:*"},
    {"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::aws:policy/*"},
    {"Effect": "Allow", "Action": ["s3:Get*", "ec2:*"], "Resource": "*"},
    {"Effect": "Deny", "Action": "ec2:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
)


@st.composite
def calls(draw: st.DrawFn) -> tuple[PolicySet, str, str, str, dict[str, str], str | None]:
    """Identity policies of the statements above, and one call among the gated cases."""
    chosen = draw(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=4))
    policies = PolicySet(
        identity=(parse_policy({"Version": "2012-10-17", "Statement": chosen}, PolicyKind.IDENTITY, name="p"),)
    )
    context = draw(st.sampled_from([{}, {"aws:SecureTransport": "true"}, {"AWS:SecureTransport": "false"}]))
    owner = draw(st.sampled_from([None, None, ACCOUNT, OTHER]))
    return (
        policies,
        draw(st.sampled_from(CALLERS)),
        draw(st.sampled_from(ACTIONS)),
        draw(st.sampled_from(RESOURCES)),
        context,
        owner,
    )


@settings(max_examples=300, deadline=None)
@given(call=calls())
def test_rule_kms_and_cross_account_gates_equal_the_reference_g6_h5_f1(
    call: tuple[PolicySet, str, str, str, dict[str, str], str | None],
) -> None:
    """§G.6, §H.5, §F.1: standing rules, key policies and cross-account callers decide on the direct path as
    the reference decides: decision, determining statements, denied-by, missing keys, rule, key policy and
    the request, on the first call and from the call memo."""
    policies, who, action, resource, context, owner = call
    request = Request.create(Principal.from_arn(who), action, resource, context, resource_account=owner)
    expected = evaluate_reference(policies, request)
    evaluator = PolicyEvaluator(policies)
    for _ in range(2):  # decided, then answered by the call memo
        got = evaluator.evaluate(who, action, resource, context=context, resource_account=owner)
        assert summary(got) == summary(expected)
        assert got.explanation is None
        assert (got.request.principal, got.request.action, got.request.resource) == (
            request.principal, request.action, request.resource,
        )  # fmt: skip
        assert (dict(got.request.context), got.request.resource_account) == (dict(request.context), owner)
    assert PolicyEvaluator(policies).is_allowed(who, action, resource, context=context, resource_account=owner) is (
        expected.allowed
    )
