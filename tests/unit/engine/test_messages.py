"""AccessDenied messages in AWS's words (spec §G.9; troubleshoot_access-denied.html)."""

from __future__ import annotations

import iamsim

ALICE = "arn:aws:iam::111122223333:user/alice"
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
DENY_LOGS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::logs/*"}],
}
S3_ONLY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def test_implicit_identity_deny_names_the_action_twice_g9() -> None:
    """§G.9: "... on resource: ARN because no identity-based policy allows the ACTION action"."""
    result = iamsim.evaluate(ALICE, "s3:GetObject", "arn:aws:s3:::logs/a")
    assert result.message() == (
        f"User: {ALICE} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::logs/a "
        "because no identity-based policy allows the s3:GetObject action"
    )


def test_explicit_identity_deny_uses_an_g9() -> None:
    """§G.9: "with an explicit deny in an identity-based policy" (article fits the word)."""
    result = iamsim.evaluate(ALICE, "s3:GetObject", "arn:aws:s3:::logs/a", identity=[ALLOW_ALL, DENY_LOGS])
    assert result.message().endswith("with an explicit deny in an identity-based policy")


def test_resourceless_action_omits_on_resource_g9() -> None:
    """§G.9: actions without a resource are reported without "on resource"."""
    result = iamsim.evaluate(ALICE, "s3:ListAllMyBuckets")
    assert result.message() == (
        f"User: {ALICE} is not authorized to perform: s3:ListAllMyBuckets "
        "because no identity-based policy allows the s3:ListAllMyBuckets action"
    )


def test_boundary_is_named_without_policy_g9() -> None:
    """§G.9: AWS says "no permissions boundary allows", not "permissions boundary policy"."""
    result = iamsim.evaluate(ALICE, "ec2:RunInstances", identity=[ALLOW_ALL], boundary=S3_ONLY)
    assert result.message().endswith("because no permissions boundary allows the ec2:RunInstances action")
    denied = iamsim.evaluate(ALICE, "s3:GetObject", "arn:aws:s3:::logs/a", identity=[ALLOW_ALL], boundary=DENY_LOGS)
    assert denied.message().endswith("with an explicit deny in a permissions boundary")


def test_scp_without_allow_is_reported_as_explicit_deny_f1() -> None:
    """§F.1 step 2: an SCP denial always reads "explicit deny in a service control policy",
    even though the decision is an implicit deny."""
    result = iamsim.evaluate(ALICE, "ec2:RunInstances", identity=[ALLOW_ALL], scp_levels=[[S3_ONLY]])
    assert result.decision is iamsim.Decision.IMPLICIT_DENY
    assert result.denied_by is iamsim.PolicyKind.SCP
    assert result.message().endswith("with an explicit deny in a service control policy")
