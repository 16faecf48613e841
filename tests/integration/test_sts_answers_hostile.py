"""Caller-chosen text in an STS answer reaches boto3 intact through the hook (§G.2).

A web identity token's ``sub`` claim is chosen by whoever mints the token and comes
back as AssumeRoleWithWebIdentity's ``SubjectFromWebIdentityToken``, written straight
from the result record (``_handlers/sts_xml.py``). Markup, an entity, a CDATA end and
quotes in it must be escaped so botocore reads the same text back and nothing else.
AWS page: AssumeRoleWithWebIdentity in the STS API Reference.
"""

from __future__ import annotations

import boto3
import pytest

import iamsim.boto3
from iamsim import ManualClock
from iamsim._simulator import Simulator

ACCOUNT = "111122223333"
HOSTILE = ["a<b>&c", "x]]>y", "</SubjectFromWebIdentityToken><Audience>evil</Audience>", "'\"quoted\"'", "é😀"]


@pytest.mark.parametrize("subject", HOSTILE)
def test_hostile_subject_round_trips_through_boto3_g2(subject: str) -> None:
    """§G.2: the subject botocore parses is the token's own ``sub``, and the audience is the real one."""
    clock = ManualClock()
    sim = Simulator(account_id=ACCOUNT, clock=clock)
    idp = sim.create_test_identity_provider("https://token.example.com", client_ids=["my-app"])
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.example.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
            }
        ],
    }
    role = sim.create_role("Web", trust)
    token = idp.mint(subject=subject, audience="my-app", issued_at=clock.now())
    session = boto3.Session(
        aws_access_key_id="AKIAUNUSED0000000000", aws_secret_access_key="x" * 40, region_name="us-east-1"
    )
    with iamsim.boto3.attach(sim, session):
        answer = session.client("sts").assume_role_with_web_identity(
            RoleArn=role.arn, RoleSessionName="web", WebIdentityToken=token
        )
    assert answer["SubjectFromWebIdentityToken"] == subject
    assert answer["Audience"] == "my-app"
    assert answer["Provider"] == "token.example.com"


def test_odd_iam_paths_round_trip_through_boto3_g6() -> None:
    """§G.6 (GetCallerIdentity) and §G.1 (AssumeRole): IAM paths may hold ``<``, ``&`` and ``>`` (AWS's path
    pattern is any printable ASCII); a user's ARN with such a path, and a session of a role at such a path, come
    back in the directly written answers exactly as IAM holds them."""
    sim = Simulator(account_id=ACCOUNT, clock=ManualClock())
    path = "/a&b</c>]]>/"
    user = sim.create_user("app", path=path)
    sim.put_user_policy(
        "app",
        "assume",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"], "Resource": "*"}],
        },
    )
    key = sim.create_access_key("app")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": user.arn}, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"]}
        ],
    }
    role = sim.create_role("Odd", trust, path=path)
    session = boto3.Session(
        aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key, region_name="us-east-1"
    )
    with iamsim.boto3.attach(sim, session):
        sts = session.client("sts")
        assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user{path}app"
        answer = sts.assume_role(RoleArn=role.arn, RoleSessionName="s@x.y", SourceIdentity="id=a,b.c@d-e+f")
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/Odd/s@x.y"
    assert answer["SourceIdentity"] == "id=a,b.c@d-e+f"
