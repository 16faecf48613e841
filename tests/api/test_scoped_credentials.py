"""STS GetScopedCredentials through boto3: a narrowed copy of the caller's session (§G.14).

AWS page: STS:API_GetScopedCredentials.html (and the STS model's documentation of its members).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import boto3
import pytest

import iamsim.boto3
from iamsim import ManualClock, Simulator

from .conftest import ACCOUNT, error_of

ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
LIST_ROLES = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}]}
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/worker"


@pytest.fixture
def clients(sim: Simulator) -> Iterator[Any]:
    """``open(credentials)``: IAM and STS clients signed with them; a role ``worker`` (allow all) user ``caller`` may
    assume, with source identity."""
    sim.create_user("caller")
    sim.put_user_policy("caller", "all", ALLOW_ALL)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/caller"},
                "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
            }
        ],
    }
    sim.create_role("worker", trust)
    sim.put_role_policy("worker", "all", ALLOW_ALL)
    with ExitStack() as stack:

        def open_clients(credentials: Any) -> tuple[Any, Any]:
            if isinstance(credentials, dict):
                key, secret, token = (
                    credentials["AccessKeyId"],
                    credentials["SecretAccessKey"],
                    credentials["SessionToken"],
                )
            else:
                key, secret = credentials.access_key_id, credentials.secret_access_key
                token = getattr(credentials, "session_token", None)
            session = boto3.Session(
                aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token, region_name="us-east-1"
            )
            stack.enter_context(iamsim.boto3.attach(sim, session))
            return session.client("iam"), session.client("sts")

        yield open_clients


def role_session(sim: Simulator, duration: int = 3600) -> Any:
    """Credentials of a session of ``worker`` (source identity ``alice``) for ``duration`` seconds."""
    key = sim.create_access_key("caller")
    return sim.assume_role(key, ROLE_ARN, "job", duration_seconds=duration, source_identity="alice").credentials


def test_scoped_session_keeps_the_identity_and_narrows_the_permissions_g14(
    sim: Simulator, clients: Any, clock: ManualClock
) -> None:
    """§G.14 (STS:API_GetScopedCredentials): the intersection of the session's permissions and the policy; the
    identity, session name and source identity do not change; the duration is counted from now."""
    _, sts = clients(role_session(sim))
    answer = sts.get_scoped_credentials(Policy=json.dumps(LIST_ROLES), DurationSeconds=600)
    assert answer["ScopedPoliciesCount"] == 1
    assert answer["SourceIdentity"] == "alice"
    assert answer["SessionInfo"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/job"
    assert answer["SessionInfo"]["ScopedSessionId"].endswith(":job")
    assert (answer["Credentials"]["Expiration"] - clock.now()).total_seconds() == 600
    scoped_iam, scoped_sts = clients(answer["Credentials"])
    assert scoped_sts.get_caller_identity()["Arn"] == answer["SessionInfo"]["Arn"]
    assert scoped_iam.list_roles()["Roles"][0]["RoleName"] == "worker"
    assert error_of(scoped_iam.list_users)["Code"] == "AccessDenied"
    clock.advance(600)
    assert error_of(scoped_iam.list_roles)["Code"] == "ExpiredToken"


def test_duration_only_inherits_the_permissions_g14(sim: Simulator, clients: Any, clock: ManualClock) -> None:
    """§G.14 (STS model ScopedPoliciesCount: a request with only DurationSeconds adds no scope-down policy)."""
    _, sts = clients(role_session(sim))
    answer = sts.get_scoped_credentials(DurationSeconds=300)
    assert answer["ScopedPoliciesCount"] == 0
    scoped_iam, _ = clients(answer["Credentials"])
    assert scoped_iam.list_users()["Users"][0]["UserName"] == "caller"


def test_without_duration_the_session_expiration_is_inherited_g14(
    sim: Simulator, clients: Any, clock: ManualClock
) -> None:
    """§G.14 (STS model DurationSeconds: "the scoped down credentials will inherit the calling session's
    expiration time")."""
    credentials = role_session(sim, duration=1800)
    clock.advance(100)
    _, sts = clients(credentials)
    answer = sts.get_scoped_credentials(Policy=json.dumps(LIST_ROLES))
    assert answer["Credentials"]["Expiration"] == credentials.expiration


def test_refused_requests_g14(sim: Simulator, clients: Any, clock: ManualClock) -> None:
    """§G.14 (STS model: at least one of Policy or DurationSeconds; InsufficientSessionLifetime beyond the
    remaining lifetime; MalformedPolicyDocument for a policy that is not IAM policy JSON)."""
    _, sts = clients(role_session(sim, duration=900))
    clock.advance(300)
    error = error_of(sts.get_scoped_credentials)
    assert (error["Code"], error["Message"]) == (
        "ValidationError",
        "A request must provide at least one of Policy or DurationSeconds.",
    )
    error = error_of(sts.get_scoped_credentials, DurationSeconds=601)
    assert (error["Code"], error["Message"]) == (
        "InsufficientSessionLifetime",
        "The requested DurationSeconds 601 exceeds the calling session's remaining lifetime of 600 seconds.",
    )
    error = error_of(sts.get_scoped_credentials, Policy='{"Version": "2012-10-17", "Statement": []')
    assert error["Code"] == "MalformedPolicyDocument"


def test_only_role_and_federated_sessions_are_narrowed_g14(sim: Simulator, clients: Any) -> None:
    """§G.14 (STS:API_GetScopedCredentials: "You cannot call it with IAM user credentials or root credentials";
    iamsim's judgment also refuses GetSessionToken sessions, whose identity session policies do not bound)."""
    key = sim.create_access_key("caller")
    expected = "GetScopedCredentials needs the temporary credentials of a role or federated user session."
    for credentials in (key, sim.root_credentials(), sim.get_session_token(key)):
        _, sts = clients(credentials)
        error = error_of(sts.get_scoped_credentials, DurationSeconds=60)
        assert (error["Code"], error["Message"]) == ("InvalidSubjectCredentials", expected)
    federated = sim.get_federation_token(key, "partner", policy=ALLOW_ALL).credentials
    _, sts = clients(federated)
    assert sts.get_scoped_credentials(Policy=json.dumps(LIST_ROLES))["ScopedPoliciesCount"] == 1


def test_at_most_three_scope_down_layers_g14(sim: Simulator, clients: Any) -> None:
    """§G.14 (STS model ScopedPoliciesCount: "A maximum of 3 scope down policy layers are allowed per session"; a
    fourth Policy is denied, a DurationSeconds alone still works)."""
    credentials: Any = role_session(sim)
    for layer in (1, 2, 3):
        _, sts = clients(credentials)
        answer = sts.get_scoped_credentials(Policy=json.dumps(ALLOW_ALL))
        assert answer["ScopedPoliciesCount"] == layer
        credentials = answer["Credentials"]
    _, sts = clients(credentials)
    error = error_of(sts.get_scoped_credentials, Policy=json.dumps(ALLOW_ALL))
    assert (error["Code"], error["Message"]) == (
        "AccessDenied",
        "The session already carries 3 GetScopedCredentials scope-down policies.",
    )
    assert sts.get_scoped_credentials(DurationSeconds=60)["ScopedPoliciesCount"] == 3
