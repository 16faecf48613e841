"""The seed tutorial's two scenarios in each partition: ``aws``, ``aws-cn`` and ``aws-us-gov``.

Spec §B.2: the general ARN form is ``arn:partition:service:region:account-id:resource`` and
the partitions are ``aws``, ``aws-cn`` and ``aws-us-gov`` (AWS: "Identify AWS resources with
Amazon Resource Names", reference-arns.html). A simulator in a partition must name every
user, role, instance profile, policy, session and instance in that partition, find the AWS
managed policies under that partition's ARN, and decide the same through boto3 as through
``sim.is_allowed`` (issue 11: under ``aws-us-gov`` boto3's CreateUser was authorized on an
``arn:aws:`` ARN and denied what the engine allowed).

Each scenario runs twice per partition: in-process through the ``Simulator`` API, and through
boto3 clients in a region of that partition, signed with keys the simulator issued.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

import iamsim.boto3
from iamsim import ManualClock, Simulator
from iamsim._sts.credentials import Credentials
from iamsim.errors import AccessDeniedError, ExpiredTokenError, NoSuchEntityError

ACCOUNT = "123456789012"
BUCKET = "company1-logs"

#: Each partition with a region in it (the region boto3 signs for and EC2 launches in).
PARTITIONS = [
    pytest.param("aws", "us-east-1", id="aws"),
    pytest.param("aws-cn", "cn-north-1", id="aws-cn"),
    pytest.param("aws-us-gov", "us-gov-west-1", id="aws-us-gov"),
]

# The seed tutorial's trust policy. EC2 is ec2.amazonaws.com in every partition iamsim emulates:
# AWS's documentation gives no source for a different name, so none is invented (docs/reference/emulation.md).
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def _managed(partition: str) -> str:
    return f"arn:{partition}:iam::aws:policy/AmazonS3ReadOnlyAccess"


def _logs_policy(partition: str) -> dict[str, Any]:
    resource = f"arn:{partition}:s3:::{BUCKET}/*"
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}]}


def _arns(value: object) -> Iterator[str]:
    """Every string in a (nested) boto3 response that is an ARN."""
    if isinstance(value, str) and value.startswith("arn:"):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arns(item)
    elif isinstance(value, list):
        for item in value:
            yield from _arns(item)


def _assert_partition(partition: str, *responses: object) -> int:
    """Assert every ARN in ``responses`` is in ``partition``; return how many there were."""
    found = [arn for response in responses for arn in _arns(response)]
    assert found, "the responses carry no ARN at all"
    wrong = [arn for arn in found if not arn.startswith(f"arn:{partition}:")]
    assert not wrong, f"ARNs outside {partition}: {wrong}"
    return len(found)


# ------------------------------------------------------------------------------- in-process


@pytest.mark.parametrize(("partition", "region"), PARTITIONS)
def test_s3_access_role_in_each_partition_in_process(partition: str, region: str) -> None:
    """§B.2, §F.4, §G.1, §G.6: scenario 1 (S3AccessRole, AmazonS3ReadOnlyAccess) names everything in the partition."""
    clock = ManualClock()
    sim = Simulator(seed=7, clock=clock, partition=partition)
    role = sim.create_role("S3AccessRole", EC2_TRUST)
    sim.attach_role_policy("S3AccessRole", _managed(partition))
    profile = sim.create_instance_profile("S3AccessRole")
    sim.add_role_to_instance_profile("S3AccessRole", "S3AccessRole")
    instance = sim.run_instance(instance_profile="S3AccessRole")
    credentials = sim.instance_credentials(instance)
    identity = sim.get_caller_identity(credentials)

    assert sim.partition == partition
    assert role.arn == f"arn:{partition}:iam::{ACCOUNT}:role/S3AccessRole"
    assert profile.arn == f"arn:{partition}:iam::{ACCOUNT}:instance-profile/S3AccessRole"
    assert sim.list_attached_role_policies("S3AccessRole") == (_managed(partition),)
    assert identity.arn == f"arn:{partition}:sts::{ACCOUNT}:assumed-role/S3AccessRole/{instance}"
    assert sim.is_allowed(credentials, "s3:ListBucket", f"arn:{partition}:s3:::{BUCKET}")
    assert sim.is_allowed(credentials, "s3:GetObject", f"arn:{partition}:s3:::{BUCKET}/app.log")
    with pytest.raises(AccessDeniedError) as denied:
        sim.authorize(credentials, "s3:PutObject", f"arn:{partition}:s3:::{BUCKET}/report.txt")
    assert denied.value.message.startswith(
        f"User: arn:{partition}:sts::{ACCOUNT}:assumed-role/S3AccessRole/{instance} is not authorized to perform: "
        f"s3:PutObject on resource: arn:{partition}:s3:::{BUCKET}/report.txt"
    )
    # The instance ARN EC2 stamps on its credentials is in the partition and in one of its regions.
    context = sim.explain(credentials, "s3:GetObject", f"arn:{partition}:s3:::{BUCKET}/app.log").request.context
    assert context["ec2:sourceinstancearn"] == f"arn:{partition}:ec2:{region}:{ACCOUNT}:instance/{instance}"

    assert credentials.expiration is not None
    clock.set(credentials.expiration + timedelta(seconds=1))
    with pytest.raises(ExpiredTokenError):
        sim.get_caller_identity(credentials)


@pytest.mark.parametrize(("partition", "region"), PARTITIONS)
def test_company1_logs_role_in_each_partition_in_process(partition: str, region: str) -> None:
    """§B.2, §F.1: scenario 2 (Company1-Logs-Role): the customer policy's ARN and its decisions are per partition."""
    sim = Simulator(seed=7, clock=ManualClock(), partition=partition)
    policy = sim.create_policy("Company1-Logs-Policy", _logs_policy(partition))
    sim.create_role("Company1-Logs-Role", EC2_TRUST)
    sim.attach_role_policy("Company1-Logs-Role", policy.arn)
    sim.create_instance_profile("Company1-Logs-Role")
    sim.add_role_to_instance_profile("Company1-Logs-Role", "Company1-Logs-Role")
    credentials = sim.instance_credentials(sim.run_instance(instance_profile="Company1-Logs-Role"))

    assert policy.arn == f"arn:{partition}:iam::{ACCOUNT}:policy/Company1-Logs-Policy"
    assert sim.is_allowed(credentials, "s3:GetObject", f"arn:{partition}:s3:::{BUCKET}/app.log")
    assert not sim.is_allowed(credentials, "s3:GetObject", f"arn:{partition}:s3:::company2-logs/app.log")
    assert not sim.is_allowed(credentials, "s3:ListBucket", f"arn:{partition}:s3:::{BUCKET}")


@pytest.mark.parametrize(
    ("partition", "foreign"), [("aws", "aws-cn"), ("aws-cn", "aws"), ("aws-us-gov", "aws"), ("aws", "aws-us-gov")]
)
def test_another_partitions_managed_policy_is_not_attachable(partition: str, foreign: str) -> None:
    """§B.2, §F.3 (roles never cross partitions): each partition has its own AWS managed policy ARNs.

    IAM's wording for a policy ARN it does not know: "Policy ARN does not exist or is not attachable."
    """
    sim = Simulator(partition=partition)
    sim.create_role("S3AccessRole", EC2_TRUST)
    with pytest.raises(NoSuchEntityError) as missing:
        sim.attach_role_policy("S3AccessRole", _managed(foreign))
    assert missing.value.message == f"Policy {_managed(foreign)} does not exist or is not attachable."
    assert sim.list_attached_role_policies("S3AccessRole") == ()


def test_an_unknown_partition_is_refused_when_the_simulator_is_made() -> None:
    """§B.2: the partitions are aws, aws-cn and aws-us-gov; any other would put a made-up partition in every ARN."""
    with pytest.raises(ValueError, match="'aws-iso' is not an AWS partition; use one of aws, aws-cn, aws-us-gov"):
        Simulator(partition="aws-iso")


# ------------------------------------------------------------------------------------ boto3


def _session(credentials: Credentials, region: str) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.secret_access_key,
        aws_session_token=credentials.session_token,
        region_name=region,
    )


def _boto3_ec2_role(iam: Any, name: str, policy_arn: str) -> list[object]:
    """The tutorial's set-up through boto3; returns every response."""
    return [
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(EC2_TRUST)),
        iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn),
        iam.create_instance_profile(InstanceProfileName=name),
        iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name),
        iam.get_role(RoleName=name),
        iam.list_attached_role_policies(RoleName=name),
        iam.get_instance_profile(InstanceProfileName=name),
    ]


@pytest.mark.parametrize(("partition", "region"), PARTITIONS)
def test_s3_access_role_in_each_partition_through_boto3(partition: str, region: str) -> None:
    """§B.2, §G.6, §G.9: scenario 1 through boto3 in a region of the partition: every ARN returned is in it."""
    clock = ManualClock()
    sim = Simulator(seed=7, clock=clock, partition=partition)
    root = _session(sim.root_credentials(), region)
    with iamsim.boto3.attach(sim, root):
        iam = root.client("iam")
        responses = _boto3_ec2_role(iam, "S3AccessRole", _managed(partition))
        responses.append(iam.get_policy(PolicyArn=_managed(partition)))
        responses.append(iam.list_policies(Scope="AWS", OnlyAttached=True))
        responses.append(iam.get_user())  # the root user
        responses.append(root.client("sts").get_caller_identity())
        instance = sim.run_instance(instance_profile="S3AccessRole")
        credentials = sim.instance_credentials(instance)
        instance_session = _session(credentials, region)
        with iamsim.boto3.attach(sim, instance_session):
            identity = instance_session.client("sts").get_caller_identity()
            responses.append(identity)
            assert identity["Arn"] == f"arn:{partition}:sts::{ACCOUNT}:assumed-role/S3AccessRole/{instance}"
            assert _assert_partition(partition, *responses) >= 8

            assert sim.is_allowed(credentials, "s3:GetObject", f"arn:{partition}:s3:::{BUCKET}/app.log")
            assert not sim.is_allowed(credentials, "s3:PutObject", f"arn:{partition}:s3:::{BUCKET}/report.txt")

            assert credentials.expiration is not None
            clock.set(credentials.expiration + timedelta(seconds=1))
            with pytest.raises(ClientError) as expired:
                instance_session.client("sts").get_caller_identity()
            assert expired.value.response["Error"]["Code"] == "ExpiredToken"


@pytest.mark.parametrize(("partition", "region"), PARTITIONS)
def test_company1_logs_role_in_each_partition_through_boto3(partition: str, region: str) -> None:
    """§B.2, §F.1: scenario 2 through boto3: CreatePolicy's ARN and everything after it are in the partition."""
    sim = Simulator(seed=7, clock=ManualClock(), partition=partition)
    root = _session(sim.root_credentials(), region)
    with iamsim.boto3.attach(sim, root):
        iam = root.client("iam")
        document = json.dumps(_logs_policy(partition))
        created = iam.create_policy(PolicyName="Company1-Logs-Policy", PolicyDocument=document)
        assert created["Policy"]["Arn"] == f"arn:{partition}:iam::{ACCOUNT}:policy/Company1-Logs-Policy"
        responses = [created, *_boto3_ec2_role(iam, "Company1-Logs-Role", created["Policy"]["Arn"])]
        _assert_partition(partition, *responses)
    credentials = sim.instance_credentials(sim.run_instance(instance_profile="Company1-Logs-Role"))
    assert sim.is_allowed(credentials, "s3:GetObject", f"arn:{partition}:s3:::{BUCKET}/app.log")
    assert not sim.is_allowed(credentials, "s3:GetObject", f"arn:{partition}:s3:::company2-logs/app.log")


@pytest.mark.parametrize(("partition", "region"), PARTITIONS)
@pytest.mark.parametrize("granted", ["own", "other"])
def test_boto3_create_user_agrees_with_is_allowed_in_each_partition(partition: str, region: str, granted: str) -> None:
    """Issue 11, §B.2, §H: boto3's CreateUser is authorized on the same ARN ``sim.is_allowed`` checks.

    The admin's policy allows ``iam:CreateUser`` on users of one partition: its own (the
    call must succeed) or another (both must deny: no policy names this partition's users).
    """
    other = "aws-us-gov" if partition == "aws" else "aws"
    scope = partition if granted == "own" else other
    sim = Simulator(seed=7, clock=ManualClock(), partition=partition)
    sim.create_user("admin")
    allow = {"Effect": "Allow", "Action": "iam:CreateUser", "Resource": f"arn:{scope}:iam::{ACCOUNT}:user/*"}
    sim.put_user_policy("admin", "create-users", {"Version": "2012-10-17", "Statement": [allow]})
    key = sim.create_access_key("admin")
    target = f"arn:{partition}:iam::{ACCOUNT}:user/bob"
    engine_says = sim.is_allowed(key, "iam:CreateUser", target)

    session = _session(Credentials(key.access_key_id, key.secret_access_key), region)
    with iamsim.boto3.attach(sim, session):
        iam = session.client("iam")
        if granted == "own":
            assert iam.create_user(UserName="bob")["User"]["Arn"] == target
        else:
            with pytest.raises(ClientError) as refused:
                iam.create_user(UserName="bob")
            assert refused.value.response["Error"]["Code"] == "AccessDenied"
            # The ARN AWS names in the refusal is the one the engine was asked about.
            assert f"on resource: {target} " in refused.value.response["Error"]["Message"]
    assert engine_says == (granted == "own")
