"""The seed tutorial's two scenarios, end to end (spec §G.1, §G.6, §F.1, §F.4)."""

from __future__ import annotations

import json

import pytest

from iamsim._clock import ManualClock
from iamsim._simulator import Simulator
from iamsim.errors import AccessDeniedError

ACCOUNT = "123456789012"
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
EC2_TRUST_LIST_FORM = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": ["ec2.amazonaws.com"]}}],
}


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=7, clock=ManualClock())


def _ec2_role(sim: Simulator, name: str, trust: dict[str, object]) -> None:
    sim.create_role(name, trust, description="Allows EC2 instances to call AWS services on your behalf.")
    sim.create_instance_profile(name)
    sim.add_role_to_instance_profile(name, name)


def test_s3_access_role_on_ec2_reads_but_cannot_write(sim: Simulator) -> None:
    """Seed scenario 1: S3AccessRole with AmazonS3ReadOnlyAccess (§F.4 service principal, §G.6)."""
    _ec2_role(sim, "S3AccessRole", EC2_TRUST)
    sim.attach_role_policy("S3AccessRole", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    instance = sim.run_instance(instance_profile="S3AccessRole")

    credentials = sim.instance_credentials(instance)
    identity = sim.get_caller_identity(credentials)

    assert identity.arn == f"arn:aws:sts::{ACCOUNT}:assumed-role/S3AccessRole/{instance}"
    assert identity.account == ACCOUNT
    assert credentials.access_key_id.startswith("ASIA")
    assert sim.is_allowed(credentials, "s3:ListAllMyBuckets")
    assert sim.is_allowed(credentials, "s3:ListBucket", "arn:aws:s3:::your-bucket-name")
    assert sim.is_allowed(credentials, "s3:GetObject", "arn:aws:s3:::your-bucket-name/report.csv")
    with pytest.raises(AccessDeniedError) as denied:
        sim.authorize(credentials, "s3:PutObject", "arn:aws:s3:::your-bucket-name/report.csv")
    assert denied.value.message == (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/S3AccessRole/{instance} is not authorized to perform: "
        "s3:PutObject on resource: arn:aws:s3:::your-bucket-name/report.csv because no identity-based policy "
        "allows the s3:PutObject action"
    )


def test_company1_logs_role_reads_only_its_bucket(sim: Simulator) -> None:
    """Seed scenario 2: Company1-Logs-Role with a customer policy on company1-logs only (§F.1 step 4)."""
    policy = sim.create_policy(
        "Company1-logs",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::company1-logs/*"}],
        },
    )
    _ec2_role(sim, "Company1-Logs-Role", EC2_TRUST_LIST_FORM)
    sim.attach_role_policy("Company1-Logs-Role", policy.arn)
    instance = sim.run_instance(instance_profile="Company1-Logs-Role")
    credentials = sim.instance_credentials(instance)

    assert sim.get_caller_identity(credentials).arn.endswith(f":assumed-role/Company1-Logs-Role/{instance}")
    assert sim.is_allowed(credentials, "s3:GetObject", "arn:aws:s3:::company1-logs/2026/01/app.log")
    assert not sim.is_allowed(credentials, "s3:GetObject", "arn:aws:s3:::company2-logs/app.log")
    assert not sim.is_allowed(credentials, "s3:PutObject", "arn:aws:s3:::company1-logs/app.log")
    assert not sim.is_allowed(credentials, "s3:ListBucket", "arn:aws:s3:::company1-logs")


def test_modify_iam_role_replaces_the_instance_permissions(sim: Simulator) -> None:
    """Seed scenario 2, step 2: replacing the role; the old role's credentials are no longer issued (§G.1)."""
    _ec2_role(sim, "S3AccessRole", EC2_TRUST)
    sim.attach_role_policy("S3AccessRole", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    policy = sim.create_policy(
        "Company1-logs",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::company1-logs/*"}],
        },
    )
    _ec2_role(sim, "Company1-Logs-Role", EC2_TRUST_LIST_FORM)
    sim.attach_role_policy("Company1-Logs-Role", policy.arn)
    instance = sim.run_instance(instance_profile="S3AccessRole")
    old = sim.instance_credentials(instance)

    sim.replace_iam_instance_profile_association(instance, "Company1-Logs-Role")
    new = sim.instance_credentials(instance)

    assert new.access_key_id != old.access_key_id
    assert sim.get_caller_identity(new).arn.endswith(f":assumed-role/Company1-Logs-Role/{instance}")
    assert not sim.is_allowed(new, "s3:ListBucket", "arn:aws:s3:::your-bucket-name")
    # Credentials already handed out keep working until they expire, as in AWS.
    assert sim.is_allowed(old, "s3:ListBucket", "arn:aws:s3:::your-bucket-name")


def test_instance_credentials_rotate_before_expiry_and_are_not_role_chaining(sim: Simulator) -> None:
    """Instance credentials last 6 hours, rotate 5 minutes early, and may assume a role for 12 hours (§G.1)."""
    clock = sim.clock
    assert isinstance(clock, ManualClock)
    _ec2_role(sim, "S3AccessRole", EC2_TRUST)
    sim.put_role_policy(
        "S3AccessRole",
        "assume",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]},
    )
    role = sim.get_role("S3AccessRole")
    sim.create_role(
        "Target",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": role.arn}, "Action": "sts:AssumeRole"}],
        },
        max_session_duration=43200,
    )
    instance = sim.run_instance(instance_profile="S3AccessRole")
    first = sim.instance_credentials(instance)
    clock.advance(6 * 3600 - 301)
    assert sim.instance_credentials(instance) == first
    clock.advance(2)
    second = sim.instance_credentials(instance)
    assert second.access_key_id != first.access_key_id

    result = sim.assume_role(second, "arn:aws:iam::123456789012:role/Target", "from-ec2", duration_seconds=43200)
    assert result.credentials.expiration is not None


def _launcher(sim: Simulator, name: str, statements: list[dict[str, object]]) -> object:
    """A user who launches instances, with exactly ``statements`` as permissions."""
    sim.create_user(name)
    sim.put_user_policy(name, "launch", {"Version": "2012-10-17", "Statement": statements})
    return sim.create_access_key(name)


def _world_without_log(sim: Simulator) -> dict[str, object]:
    state: dict[str, object] = json.loads(sim.to_json())
    state.pop("events")
    return state


_RUN = {"Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:*IamInstanceProfile*"], "Resource": "*"}


def test_launching_with_a_role_needs_pass_role_on_that_role(sim: Simulator) -> None:
    """§H.5 / EC2 User Guide: launching with an instance profile passes its role: iam:PassRole on the role."""
    _ec2_role(sim, "S3AccessRole", EC2_TRUST)
    _ec2_role(sim, "AdminRole", EC2_TRUST)
    pass_one = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": f"arn:aws:iam::{ACCOUNT}:role/S3AccessRole",
        "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
    }
    key = _launcher(sim, "dev", [_RUN, pass_one])

    instance = sim.run_instance(instance_profile="S3AccessRole", caller=key)  # type: ignore[arg-type]
    assert sim.describe_instance(instance).instance_profile == "S3AccessRole"
    assert sim.run_instance(caller=key)  # type: ignore[arg-type]  # no profile, no role passed

    before = _world_without_log(sim)
    with pytest.raises(AccessDeniedError) as denied:
        sim.run_instance(instance_profile="AdminRole", caller=key)  # type: ignore[arg-type]
    assert _world_without_log(sim) == before  # a failed launch draws no instance id
    # EC2's UnauthorizedOperation: the reason, then the encoded authorization message (§G.8).
    assert denied.value.code == "UnauthorizedOperation"
    assert denied.value.message.startswith(
        "You are not authorized to perform this operation. "
        f"User: arn:aws:iam::{ACCOUNT}:user/dev is not authorized to perform: iam:PassRole on resource: "
        f"arn:aws:iam::{ACCOUNT}:role/AdminRole because no identity-based policy allows the iam:PassRole action. "
        "Encoded authorization failure message: "
    )
    with pytest.raises(AccessDeniedError):
        sim.replace_iam_instance_profile_association(instance, "AdminRole", caller=key)  # type: ignore[arg-type]
    assert sim.describe_instance(instance).instance_profile == "S3AccessRole"


def test_pass_role_context_names_the_service_and_the_instance(sim: Simulator) -> None:
    """iam:PassedToService is ec2.amazonaws.com and iam:AssociatedResourceARN the instance being given the role."""
    _ec2_role(sim, "S3AccessRole", EC2_TRUST)
    only_to_lambda = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
    }
    key = _launcher(sim, "dev", [_RUN, only_to_lambda])
    with pytest.raises(AccessDeniedError):
        sim.run_instance(instance_profile="S3AccessRole", caller=key)  # type: ignore[arg-type]

    instance = sim.run_instance()
    arn = f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{instance}"
    to_this_instance = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": {"StringEquals": {"iam:AssociatedResourceARN": arn}},
    }
    other = _launcher(sim, "ops", [_RUN, to_this_instance])
    sim.associate_iam_instance_profile(instance, "S3AccessRole", caller=other)  # type: ignore[arg-type]
    assert sim.describe_instance(instance).instance_profile == "S3AccessRole"


def test_ec2_actions_are_authorized_on_the_instance(sim: Simulator) -> None:
    """Without ec2:TerminateInstances on the instance the call is denied and the instance keeps running."""
    key = _launcher(sim, "viewer", [{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}])
    instance = sim.run_instance(caller=key)  # type: ignore[arg-type]
    with pytest.raises(AccessDeniedError) as denied:
        sim.terminate_instance(instance, caller=key)  # type: ignore[arg-type]
    assert f"on resource: arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{instance}" in denied.value.message
    assert sim.describe_instance(instance).state == "running"
    events = [e for e in sim.events() if e.action == "TerminateInstances"]
    assert [(e.actor, e.outcome) for e in events] == [
        (f"arn:aws:iam::{ACCOUNT}:user/viewer", "UnauthorizedOperation")
    ]


def test_a_caller_launches_into_its_own_account(sim: Simulator) -> None:
    """RunInstances runs in the caller's account: a member account's user launches there with its own role."""
    other = "210987654321"
    sim.add_account(other)
    sim.create_role("Worker", EC2_TRUST, account_id=other)
    sim.create_instance_profile("Worker", account_id=other)
    sim.add_role_to_instance_profile("Worker", "Worker", account_id=other)
    sim.create_user("bob", account_id=other)
    sim.put_user_policy(
        "bob",
        "launch",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["ec2:RunInstances", "iam:PassRole"], "Resource": "*"}],
        },
        account_id=other,
    )
    key = sim.create_access_key("bob", account_id=other)
    instance = sim.run_instance(instance_profile="Worker", caller=key)  # type: ignore[arg-type]
    assert sim.describe_instance(instance).account_id == other
    credentials = sim.instance_credentials(instance)
    assert sim.get_caller_identity(credentials).arn == f"arn:aws:sts::{other}:assumed-role/Worker/{instance}"
