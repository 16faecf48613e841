"""The seed tutorial's two scenarios and the three variations, as data: which steps, in which order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from iamsim._arn import aws_managed_policy_arn, s3_arn
from iamsim._walkthrough.model import Step
from iamsim._walkthrough.stage import RoleSetup, Stage
from iamsim._walkthrough.steps_s3 import list_bucket_step, read_object_step, read_other_bucket_step, write_object_step
from iamsim._walkthrough.steps_session import (
    caller_identity_step,
    credentials_step,
    ec2_assumes_role_step,
    expire_step,
    refresh_step,
)
from iamsim._walkthrough.steps_setup import (
    associate_instance_step,
    attach_policy_step,
    create_customer_policy_step,
    create_role_step,
    instance_profile_step,
    launch_instance_step,
    trust_policy_step,
)
from iamsim._walkthrough.variations import (
    Variation,
    add_boundary_step,
    boundary_list_step,
    boundary_read_step,
    create_user_step,
    gone_note,
    replace_role_step,
    second_role_step,
    untrusted_assume_role_step,
)

__all__ = [
    "COMPANY1_LOGS",
    "DEFAULT_SCENARIO",
    "EC2_TRUST_POLICY",
    "S3_READONLY",
    "SCENARIOS",
    "VARIATION_NAMES",
    "Scenario",
]

StepFn = Callable[[Stage], Step]

#: The trust policy of the seed's first scenario: EC2 may assume the role.
EC2_TRUST_POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
#: The same trust, in the list form the seed's second scenario shows.
_EC2_TRUST_LISTS: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": ["ec2.amazonaws.com"]}}],
}
_EC2_DESCRIPTION = "Allows EC2 instances to call AWS services on your behalf."
#: The seed tutorial is written for the commercial partition; its stages run there.
_TUTORIAL_PARTITION = "aws"
_READ_ONLY_ARN = aws_managed_policy_arn(_TUTORIAL_PARTITION, "/", "AmazonS3ReadOnlyAccess")


def _get_object_policy(bucket: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": s3_arn(_TUTORIAL_PARTITION, bucket, "*")}
        ],
    }


def _bucket_reader_role(name: str, bucket: str) -> RoleSetup:
    """A Company1 role that EC2 may assume and whose own policy reads the objects of one bucket."""
    return RoleSetup(
        role_name=f"Company1-{name}-Role",
        trust_document=_EC2_TRUST_LISTS,
        policy_name=f"Company1-{name}-Policy",
        policy_document=_get_object_policy(bucket),
        description=_EC2_DESCRIPTION,
    )


#: The role the second scenario sets up, which the first one's variation swaps in.
_LOGS_ROLE = _bucket_reader_role("Logs", "company1-logs")
#: The role the second scenario's variation swaps in: it reads another bucket.
_METRICS_ROLE = _bucket_reader_role("Metrics", "company1-metrics")


@dataclass(frozen=True, slots=True)
class Scenario:
    """One scenario: the role it builds, its steps, and where a variation's steps go."""

    name: str
    title: str
    introduction: tuple[str, ...]
    setup: RoleSetup
    bucket: str
    steps: tuple[StepFn, ...]
    variation_at: int
    replacement: RoleSetup
    replacement_probe: StepFn
    boundary_contrast: bool

    def variation(self, name: str) -> Variation:
        """The variation called ``name``, with this scenario's parameters."""
        if name == "untrusted-caller":
            return Variation(
                name,
                "assume the role as an IAM user the trust policy does not name",
                (create_user_step, untrusted_assume_role_step),
            )
        if name == "boundary-deny":
            extra = (boundary_list_step,) if self.boundary_contrast else ()
            return Variation(
                name,
                "an explicit Deny for s3:GetObject in a permissions boundary on the role",
                (add_boundary_step, boundary_read_step, *extra),
            )
        return Variation(
            name,
            "replace the instance's role with another role",
            (
                second_role_step(self.replacement),
                replace_role_step(self.replacement.role_name),
                self.replacement_probe,
            ),
        )

    def plan(self, variation: str | None) -> tuple[StepFn, ...]:
        """The scenario's steps, with ``variation``'s inserted at :attr:`variation_at`."""
        if variation is None:
            return self.steps
        added = self.variation(variation).steps
        return self.steps[: self.variation_at] + added + self.steps[self.variation_at :]


def _probe(key: str, title: str, make: Callable[..., Step], old_role: str, new_role: str) -> StepFn:
    def run(stage: Stage) -> Step:
        return replace(make(stage, gone_note(old_role, new_role)), key=key, title=title)

    return run


_INTRO_COMMON = (
    "IAM (Identity and Access Management) is the AWS service that decides who may do what in an AWS account. "
    "Nothing here touches a real AWS account: iamsim plays every call in a simulated one, with AWS's rules, "
    "and a clock it moves by hand. Each step shows the AWS CLI command you would type, what AWS answers, "
    "and why."
)

S3_READONLY = Scenario(
    name="s3-readonly",
    title="An EC2 instance reads S3 through the role S3AccessRole",
    introduction=(
        "A program on an EC2 instance (a virtual machine in AWS) needs to read files kept in S3 (AWS's file "
        "storage). Instead of copying a password-like access key onto the machine, you give the instance an "
        "IAM role; AWS then hands the instance short-lived credentials on its own.",
        _INTRO_COMMON,
    ),
    setup=RoleSetup(
        role_name="S3AccessRole",
        trust_document=EC2_TRUST_POLICY,
        policy_name="AmazonS3ReadOnlyAccess",
        policy_arn=_READ_ONLY_ARN,
    ),
    bucket="company1-logs",
    steps=(
        trust_policy_step,
        create_role_step,
        attach_policy_step,
        instance_profile_step,
        launch_instance_step,
        ec2_assumes_role_step,
        credentials_step,
        caller_identity_step,
        list_bucket_step,
        read_object_step,
        write_object_step,
        expire_step,
        refresh_step,
    ),
    variation_at=11,
    replacement=_LOGS_ROLE,
    replacement_probe=_probe(
        "list-after-replace",
        "Variation: list the bucket with the new role",
        list_bucket_step,
        "S3AccessRole",
        "Company1-Logs-Role",
    ),
    boundary_contrast=True,
)


def _read_other(stage: Stage) -> Step:
    return read_other_bucket_step(
        stage,
        "company2-logs",
        "The policy's Resource, arn:aws:s3:::company1-logs/*, covers objects of company1-logs only: "
        "the bucket's name is part of every object's ARN.",
    )


def _list_denied(stage: Stage) -> Step:
    return list_bucket_step(
        stage,
        "s3:GetObject is not s3:ListBucket: reading a file you can name is one action, listing what the bucket "
        "holds is another, checked on another resource (the bucket, not the objects in it). The policy grants "
        "only the first, so the instance can read a log it knows the name of, but cannot list them.",
    )


COMPANY1_LOGS = Scenario(
    name="company1-logs",
    title="An EC2 instance reads the company1-logs bucket through Company1-Logs-Role",
    introduction=(
        "A program on an EC2 instance (a virtual machine in AWS) must read log files from one S3 bucket, "
        "company1-logs, and nothing else. You write a policy that grants exactly that, put it on a role, and "
        "attach the role to the running instance.",
        _INTRO_COMMON,
    ),
    setup=_LOGS_ROLE,
    bucket="company1-logs",
    steps=(
        create_customer_policy_step,
        trust_policy_step,
        create_role_step,
        attach_policy_step,
        instance_profile_step,
        associate_instance_step,
        ec2_assumes_role_step,
        credentials_step,
        caller_identity_step,
        read_object_step,
        _read_other,
        _list_denied,
    ),
    variation_at=12,
    replacement=_METRICS_ROLE,
    replacement_probe=_probe(
        "read-after-replace",
        "Variation: read the log file with the new role",
        read_object_step,
        "Company1-Logs-Role",
        "Company1-Metrics-Role",
    ),
    boundary_contrast=False,
)

#: Every scenario by its ``--scenario`` name.
SCENARIOS: Mapping[str, Scenario] = MappingProxyType({s.name: s for s in (S3_READONLY, COMPANY1_LOGS)})
#: The scenario ``iamsim walkthrough`` plays without ``--scenario``.
DEFAULT_SCENARIO = S3_READONLY.name
#: Every ``--variation`` name.
VARIATION_NAMES = ("untrusted-caller", "boundary-deny", "replace-role")
