"""Standing rules and KMS key policies through the public API, explain mode and renderings (§G.6, §F.1, §H.5)."""

from __future__ import annotations

import pytest

import iamsim
from iamsim._engine.result import KeyPolicy
from iamsim.policytests.explain import explain_lines, result_to_dict
from iamsim.testing import describe_result

KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ALICE = "arn:aws:iam::111111111111:user/alice"
DENY_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}
ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ALLOW_KMS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}


@pytest.mark.parametrize("reference", [False, True])
@pytest.mark.parametrize("explain", [False, True])
def test_getcalleridentity_allowed_under_deny_and_says_why_G6(reference: bool, explain: bool) -> None:
    """§G.6 (STS:API_GetCallerIdentity.html): allowed under an explicit deny; the result names the rule."""
    result = iamsim.evaluate(ALICE, "sts:GetCallerIdentity", identity=[DENY_ALL], explain=explain, reference=reference)
    assert result.allowed
    assert result.rule is not None
    assert result.rule.name == "no-permission-needed"
    assert result.determining == ()
    if explain:
        assert result.explanation is not None
        assert any("needs no permission" in step for step in result.explanation.steps)


def test_default_key_policy_is_reported_in_every_rendering_F1() -> None:
    """§F.1 step 3: with no key policy given, the answer says AWS's default key policy was assumed."""
    result = iamsim.evaluate(ALICE, "kms:Decrypt", KEY, identity=[ALLOW_KMS], explain=True)
    assert result.allowed
    assert result.key_policy is KeyPolicy.DEFAULT
    assert "AWS's default key policy" in describe_result(result)
    assert any("AWS's default key policy" in line for line in explain_lines(result))
    assert result_to_dict(result)["key_policy"] == "default"
    assert result.explanation is not None
    assert "default key policy" in result.explanation.steps[0]


def test_evaluator_reports_given_key_policy_F1() -> None:
    """§F.1 step 3: PolicyEvaluator with a key policy that names only a role denies an identity-only grant."""
    key_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111111111111:role/key-admin"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    evaluator = iamsim.PolicyEvaluator.from_policies(identity=[ALLOW_KMS], resource_policy=key_policy)
    result = evaluator.evaluate(ALICE, "kms:Decrypt", KEY)
    assert result.decision.value == "implicitDeny"
    assert result.key_policy is KeyPolicy.GIVEN
    assert not evaluator.is_allowed(ALICE, "kms:Decrypt", KEY)


def test_protection_denial_message_names_the_rule_H5() -> None:
    """§H.5: a protected AWS resource is denied whatever the policies say, and the message says which rule."""
    result = iamsim.evaluate(
        ALICE,
        "iam:DeletePolicy",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        identity=[ADMIN],
    )
    assert result.decision.value == "explicitDeny"
    assert result.denied_by is None
    assert result.message().endswith("because AWS managed policies cannot be changed or deleted by customers")
    with pytest.raises(iamsim.errors.AccessDeniedError):
        iamsim.authorize(ALICE, "iam:DeletePolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess")


def test_ruled_actions_hold_every_action_a_standing_rule_decides_G6_H5() -> None:
    """The fast path calls ``standing_rule`` only for ``RULED_ACTIONS``: every protection's actions and
    ``sts:GetCallerIdentity`` (§G.6, §H.5) are in it, so no rule is skipped."""
    from iamsim._engine.standing_rules import PROTECTIONS, RULED_ACTIONS, standing_rule

    assert "sts:getcalleridentity" in RULED_ACTIONS
    for protection in PROTECTIONS:
        assert set(protection.actions) <= RULED_ACTIONS
    assert standing_rule("s3:getobject", "arn:aws:iam::aws:policy/ReadOnlyAccess") is None
    assert "s3:getobject" not in RULED_ACTIONS
