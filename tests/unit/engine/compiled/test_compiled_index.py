"""The action index: which statements are candidates, and that indexing never changes an answer (§B.1)."""

from __future__ import annotations

from compiled_builders import OBJECT, USER, allow, condition, deny, identity, request
from hypothesis import given
from hypothesis import strategies as st

from iamsim._engine.action_index import Candidates
from iamsim._engine.compiled import compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.statements import action_keys
from iamsim._policy.model import Effect, Policy, PolicyKind, Statement

STATEMENTS = (
    allow("s3:GetObject"),  # 0 exact
    allow("s3:Get*"),  # 1 service prefix
    allow("s3:*"),  # 2 whole service
    allow("*"),  # 3 everything
    {"Effect": "Deny", "NotAction": "s3:PutObject", "Resource": "*"},  # 4 NotAction
    allow("ec2:RunInstances"),  # 5 other exact
    allow("ec2:*"),  # 6 other service
    allow("s?:GetObject"),  # 7 wildcard in the service prefix
    allow(["iam:PassRole", "S3:GETOBJECT"]),  # 8 exact, several
    allow("*", "arn:aws:ec2:*:*:instance/*"),  # 9 everything, but only on ec2 resources
)


def _indices(action: str, resource: str = "*", *, use_index: bool = True) -> list[int]:
    compiled = compile_policy_set(PolicySet(identity=(identity(*STATEMENTS),)), use_index=use_index)
    return [ref.statement_index for ref in compiled.candidates(action, resource)]


def test_exact_prefix_service_star_and_not_action_candidates() -> None:
    """§B.1: exact names, service wildcards, `*`, NotAction and wildcard prefixes are offered; others not."""
    assert _indices("s3:GetObject") == [0, 1, 2, 3, 4, 7, 8]
    assert _indices("S3:GETOBJECT") == [0, 1, 2, 3, 4, 7, 8]
    assert _indices("s3:PutObject") == [1, 2, 3, 4, 7]
    assert _indices("ec2:RunInstances") == [3, 4, 5, 6, 7]
    assert _indices("iam:PassRole") == [3, 4, 7, 8]
    assert _indices("sqs:SendMessage") == [3, 4, 7]


def test_resource_split_of_the_always_list() -> None:
    """`Action: *` statements whose Resource fixes the ARN service are offered only for that service."""
    assert 9 in _indices("sqs:SendMessage", "arn:aws:ec2:us-east-1:111111111111:instance/i-1")
    assert 9 not in _indices("sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q")


def test_unindexed_mode_offers_every_statement() -> None:
    """With use_index=False every statement is a candidate (the differential tests compare both)."""
    assert _indices("sqs:SendMessage", use_index=False) == list(range(len(STATEMENTS)))


def test_action_keys() -> None:
    """§B.1: keys are lowercase; a service wildcard covers that service's exact names."""
    keys = action_keys(Statement(0, Effect.ALLOW, action=("S3:GetObject", "s3:List*", "EC2:Describe"), resource=("*",)))
    assert keys.exact == frozenset({"ec2:describe"})
    assert keys.services == (("s3", True),)
    assert not keys.always
    whole = action_keys(Statement(0, Effect.ALLOW, action=("s3:*", "s3:Get*"), resource=("*",)))
    assert whole.services == (("s3", False),)
    assert action_keys(Statement(0, Effect.ALLOW, not_action=("s3:*",), resource=("*",))).always
    assert action_keys(Statement(0, Effect.ALLOW, action=("*Object",), resource=("*",))).always


_ACTIONS = st.sampled_from(["s3:GetObject", "s3:Get*", "s3:*", "*", "ec2:*", "s?:Get*", "S3:GETOBJECT", "iam:Pass*"])
_RESOURCES = st.sampled_from(["*", OBJECT, "arn:aws:s3:::bucket/*", "arn:aws:ec2:*:*:*", "arn:aws:s3", "arn:*"])
_KEYS = st.sampled_from(["aws:SecureTransport", "AWS:securetransport", "s3:prefix"])


@st.composite
def _statements(draw: st.DrawFn, index: int) -> Statement:
    effect = draw(st.sampled_from([Effect.ALLOW, Effect.ALLOW, Effect.DENY]))
    actions = tuple(draw(st.lists(_ACTIONS, min_size=1, max_size=3)))
    resources = tuple(draw(st.lists(_RESOURCES, min_size=1, max_size=2)))
    negate_action = draw(st.booleans()) and draw(st.booleans())
    negate_resource = draw(st.booleans()) and draw(st.booleans())
    conditions = ()
    if draw(st.booleans()):
        operator = draw(st.sampled_from(["Bool", "StringLike", "Null", "ForAllValues:StringEquals"]))
        conditions = (condition(operator, draw(_KEYS), draw(st.sampled_from(["true", "false", "h*"]))),)
    return Statement(
        index,
        effect,
        action=None if negate_action else actions,
        not_action=actions if negate_action else None,
        resource=None if negate_resource else resources,
        not_resource=resources if negate_resource else None,
        conditions=conditions,
    )


@st.composite
def _policies(draw: st.DrawFn) -> Policy:
    count = draw(st.integers(min_value=1, max_value=6))
    return Policy(PolicyKind.IDENTITY, tuple(draw(_statements(i)) for i in range(count)), name="gen")


@given(
    _policies(),
    st.sampled_from(["s3:GetObject", "s3:PutObject", "ec2:RunInstances", "iam:PassRole"]),
    st.sampled_from([OBJECT, "*", "arn:aws:ec2:us-east-1:111111111111:instance/i-1"]),
    st.fixed_dictionaries({}, optional={"aws:SecureTransport": st.booleans(), "s3:prefix": st.just("home/x")}),
)
def test_index_explain_and_is_allowed_agree_with_the_full_scan(
    policy: Policy, action: str, resource: str, context: dict[str, object]
) -> None:
    """The index is an optimisation: indexed, unindexed, explained and is_allowed give the same answer."""
    policies = PolicySet(identity=(policy,))
    req = request(USER, action, resource, context)
    indexed = compile_policy_set(policies)
    full = compile_policy_set(policies, use_index=False)
    expected = full.evaluate(req, explain=True)
    for result in (indexed.evaluate(req), full.evaluate(req), indexed.evaluate(req, explain=True)):
        assert result.decision is expected.decision
        assert result.determining == expected.determining
        assert result.denied_by == expected.denied_by
        assert result.missing_context_keys == expected.missing_context_keys
    assert indexed.is_allowed(req) is expected.allowed
    assert expected.explanation is not None
    traced = {t.ref.statement_index for p in expected.explanation.policies for t in p.statements}
    assert traced == set(range(len(policy.statements)))


def test_deny_candidates_come_from_every_bucket() -> None:
    """§F.1 step 1: a Deny filed under any bucket still denies."""
    policies = PolicySet(identity=(identity(allow("*"), deny("s3:Get*")),))
    compiled = compile_policy_set(policies)
    assert not compiled.is_allowed(request(USER, "s3:GetObject"))
    assert compiled.is_allowed(request(USER, "s3:PutObject"))


def test_for_call_answers_what_candidates_answers_for_the_resource_service() -> None:
    """The direct path's one-call lookup (issue 16) gives the same candidates as ``candidates(action, service)``,
    including the `Action: *` statement filed by ARN service and a list filed by head on its second request."""
    compiled = compile_policy_set(PolicySet(identity=(identity(*STATEMENTS),)))
    index = compiled._index
    resources = ("*", "arn:aws:ec2:us-east-1:111111111111:instance/i-1", "arn:aws:s3:::b/k", "arn:nope", "")
    for action in ("s3:getobject", "ec2:runinstances", "sqs:sendmessage"):
        for resource in resources:
            for _ in range(3):  # cold, then filed by head, then cached
                assert _offered(index.for_call(action, resource), resource) == _offered(
                    index.candidates(action, index.resource_key(resource)), resource
                )


def _offered(candidates: Candidates, resource: str) -> tuple[object, ...]:
    denies, allows = candidates.for_resource(resource)
    return sorted(c[2] for c in denies), sorted(c[2] for c in allows), candidates.context_keys
