"""Documented examples written as policy JSON, parsed by ``parse_policy`` and decided by the reference."""

from __future__ import annotations

import pytest
from reference_builders import ACCOUNT, USER, decide, request

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import Principal
from iamsim._engine.result import Decision
from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy

ALLOW_ALL = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}'


@pytest.mark.parametrize(
    ("tag_keys", "decision"),
    [
        (["key1"], Decision.ALLOWED),
        (["key2"], Decision.EXPLICIT_DENY),
        (None, Decision.EXPLICIT_DENY),
    ],
)
def test_c3_documented_deny_forallvalues_stringnotlike(tag_keys: list[str] | None, decision: Decision) -> None:
    """§C.3 documented example, from JSON: Deny + ForAllValues:StringNotLike ``key1*``."""
    deny = parse_policy(
        """{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}}}]}""",
        PolicyKind.IDENTITY,
    )
    policies = PolicySet(identity=(parse_policy(ALLOW_ALL), deny))
    context = {} if tag_keys is None else {"aws:TagKeys": tag_keys}
    assert decide(policies, request(context=context)).decision is decision


def test_b1_documented_notaction_example_from_json() -> None:
    """§B.1 documented example, from JSON: NotAction with an S3 Resource does not cover ListAllMyBuckets."""
    document = """{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
        "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::*"}}"""
    policies = PolicySet(identity=(parse_policy(document),))
    assert not decide(policies, request(action="s3:ListAllMyBuckets", resource="*")).allowed
    assert decide(policies, request(action="s3:PutObject", resource="arn:aws:s3:::b/k")).allowed


def test_f4_trust_policy_from_json() -> None:
    """§F.4, from JSON: a trust policy naming the account needs the caller's identity allow."""
    trust = parse_policy(
        f"""{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow",
            "Principal": {{"AWS": "{ACCOUNT}"}}, "Action": "sts:AssumeRole"}}}}""",
        PolicyKind.TRUST,
    )
    role = f"arn:aws:iam::{ACCOUNT}:role/target"
    caller = Principal.from_arn(USER)
    alone = decide(PolicySet(resource=trust), request(caller, "sts:AssumeRole", role))
    assert alone.denied_by is PolicyKind.IDENTITY
    with_identity = PolicySet(identity=(parse_policy(ALLOW_ALL),), resource=trust)
    assert decide(with_identity, request(caller, "sts:AssumeRole", role)).allowed


def test_d_username_variable_from_json() -> None:
    """§D, from JSON: ``${aws:username}`` under Version 2012-10-17."""
    document = """{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
        "Resource": "arn:aws:s3:::bucket/home/${aws:username}/*"}}"""
    policies = PolicySet(identity=(parse_policy(document),))
    assert decide(policies, request(resource="arn:aws:s3:::bucket/home/alice/x")).allowed
    assert not decide(policies, request(resource="arn:aws:s3:::bucket/home/bob/x")).allowed
