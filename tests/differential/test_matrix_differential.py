"""The bulk access matrix equals one-by-one evaluation, cell for cell (issue 16).

Hypothesis draws a world with the whole decision order in play: an
organization with SCPs and RCPs on a member account (spec §F.5), users and
roles with permissions boundaries (§F.1 step 5), identity policies with
conditions and policy variables (§C, §D), resource policies naming callers
in several ways and cross-account requests (§F.2, §F.3), KMS key requests
(§F.1 step 3) and standing rules (GetCallerIdentity, AWS managed policies).
Every cell of ``Simulator.access_matrix`` must equal ``Simulator.explain``'s
decision (which walks every statement, no index) and ``Simulator.is_allowed``
(the indexed path).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamsim import Principal, Simulator
from iamsim._clock import ManualClock
from iamsim._store.organization import PolicyType

MANAGEMENT = "111122223333"
MEMBER = "444455556666"

ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "kms:Decrypt",
    "ec2:RunInstances",
    "sts:GetCallerIdentity",
    "iam:DeletePolicy",
)
RESOURCES = (
    "arn:aws:s3:::shared/a.txt",
    "arn:aws:s3:::shared/secret/b.txt",
    "arn:aws:s3:::home/alice/c.txt",
    f"arn:aws:kms:us-east-1:{MANAGEMENT}:key/k1",
    f"arn:aws:kms:us-east-1:{MEMBER}:key/k2",
    f"arn:aws:ec2:us-east-1:{MEMBER}:instance/i-1",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "*",
)
ACTION_PATTERNS = ("s3:GetObject", "s3:Get*", "s3:*", "*", "kms:*", "ec2:Run?nstances", "iam:DeletePolicy", "sts:*")
RESOURCE_PATTERNS = (
    "*",
    "arn:aws:s3:::shared/*",
    "arn:aws:s3:::shared/secret/*",
    "arn:aws:s3:::home/${aws:username}/*",
    "arn:aws:kms:*:*:key/*",
    f"arn:aws:ec2:*:{MEMBER}:instance/*",
    "arn:aws:iam::aws:policy/*",
)
CONDITIONS = (
    {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    {"StringEquals": {"aws:ResourceTag/env": "prod"}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}},
    {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}},
)
PRINCIPAL_NAMES = (
    f"arn:aws:iam::{MANAGEMENT}:user/alice",
    f"arn:aws:iam::{MEMBER}:user/bob",
    f"arn:aws:iam::{MANAGEMENT}:role/app",
    f"arn:aws:iam::{MEMBER}:role/ops",
    f"arn:aws:iam::{MEMBER}:root",
)


#: A drawn world: the simulator, resource policies by resource ARN, and the request context.
World = tuple[Simulator, dict[str, str], dict[str, object]]


@st.composite
def statements(draw: st.DrawFn, *, resource_side: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Effect": draw(st.sampled_from(("Allow", "Allow", "Deny"))),
        "Action": draw(st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=2, unique=True)),
    }
    patterns = draw(st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2, unique=True))
    out["NotResource" if draw(st.booleans()) and "*" not in patterns and not resource_side else "Resource"] = patterns
    if draw(st.integers(0, 3)) == 0:
        out["Condition"] = draw(st.sampled_from(CONDITIONS))
    if resource_side:
        out["Principal"] = draw(
            st.sampled_from(
                (
                    "*",
                    {"AWS": f"arn:aws:iam::{MANAGEMENT}:user/alice"},
                    {"AWS": MEMBER},
                    {"AWS": f"arn:aws:iam::{MANAGEMENT}:role/app"},
                    {"AWS": f"arn:aws:iam::{MEMBER}:root"},
                )
            )
        )
    return out


def documents(*, resource_side: bool = False) -> st.SearchStrategy[str]:
    return st.lists(statements(resource_side=resource_side), min_size=1, max_size=4).map(
        lambda body: json.dumps({"Version": "2012-10-17", "Statement": body})
    )


@st.composite
def worlds(draw: st.DrawFn) -> World:
    sim = Simulator(clock=ManualClock(), account_id=MANAGEMENT)
    org = sim.create_organization()
    sim.add_account(MEMBER)
    if draw(st.booleans()):
        scp = sim.create_organization_policy("scp", draw(documents()))
        sim.attach_organization_policy(scp.policy_id, MEMBER)
    if draw(st.booleans()):
        rcp_body = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Deny", "Principal": "*", "Action": draw(st.sampled_from(("s3:PutObject", "kms:*"))),
                 "Resource": "*"}
            ],
        }  # fmt: skip
        rcp = sim.create_organization_policy("rcp", json.dumps(rcp_body), policy_type=PolicyType.RCP)
        sim.attach_organization_policy(rcp.policy_id, org.root_id)
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
        }
    )
    for account, user, role in ((MANAGEMENT, "alice", "app"), (MEMBER, "bob", "ops")):
        boundary = None
        if draw(st.booleans()):
            boundary = sim.create_policy(f"boundary-{user}", draw(documents()), account_id=account).arn
        sim.create_user(user, account_id=account)
        sim.put_user_policy(user, "inline", draw(documents()), account_id=account)
        sim.create_role(role, trust, account_id=account, permissions_boundary=boundary)
        sim.put_role_policy(role, "inline", draw(documents()), account_id=account)
        if boundary is not None:
            sim.put_user_permissions_boundary(user, boundary, account_id=account)
    chosen = draw(st.lists(st.sampled_from(RESOURCES[:6]), max_size=3, unique=True))
    resource_policies = {arn: draw(documents(resource_side=True)) for arn in chosen}
    context = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "aws:SourceIp": st.sampled_from(("10.1.2.3", "192.0.2.1")),
                "aws:ResourceTag/env": st.sampled_from(("prod", "dev")),
                "aws:SecureTransport": st.sampled_from(("true", "false")),
            },
        )
    )
    return sim, resource_policies, context


def _check(sim: Simulator, resource_policies: dict[str, str], context: dict[str, object], workers: int) -> None:
    matrix = sim.access_matrix(
        PRINCIPAL_NAMES, ACTIONS, RESOURCES, context=context, resource_policies=resource_policies, workers=workers
    )
    callers = {name: Principal.from_arn(name) for name in PRINCIPAL_NAMES}
    for cell in matrix:
        expected = sim.explain(
            callers[cell.principal], cell.action, cell.resource, context=context,
            resource_policy=resource_policies.get(cell.resource),
        )  # fmt: skip
        assert cell.decision is expected.decision, (cell, expected.explanation)
        assert cell.allowed == sim.is_allowed(
            callers[cell.principal], cell.action, cell.resource, context=context,
            resource_policy=resource_policies.get(cell.resource),
        )  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_matrix_equals_one_by_one_evaluation_f1_to_f5(
    world: tuple[Simulator, dict[str, str], dict[str, object]],
) -> None:
    """§F.1-§F.5 (UG:reference_policies_evaluation-logic.html): every matrix cell is the one-by-one decision."""
    sim, resource_policies, context = world
    _check(sim, resource_policies, context, workers=1)
