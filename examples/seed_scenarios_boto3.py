"""The seed tutorial's two scenarios, driven through ordinary boto3 code served by iamsim.

Run it: ``python examples/seed_scenarios_boto3.py``. The IAM and STS calls below are
plain boto3, exactly as they would run against AWS; ``iamsim.boto3.patch`` answers them
in-process. EC2 and S3 are not emulated through boto3: the instance and its metadata
credentials come from the simulator (``run_instance``, ``instance_credentials``) and S3
permissions are checked with ``iamsim.testing``. Every outcome is asserted; the script
exits non-zero if anything differs from AWS.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import boto3
from botocore.exceptions import ClientError

import iamsim.boto3
from iamsim import ManualClock, Simulator
from iamsim.testing import assert_allowed, assert_denied

ACCOUNT = "123456789012"  # the simulator's default account
REGION = "us-east-1"


def root_keys(sim: Simulator) -> dict[str, str]:
    """boto3 client arguments signing with the root key the simulator issued: the admin setting things up.

    The simulator accepts only keys it issued (§G.9), as AWS does.
    """
    root = sim.root_credentials()
    return {
        "aws_access_key_id": root.access_key_id,
        "aws_secret_access_key": root.secret_access_key,
        "region_name": REGION,
    }


# trust-policy.json from the tutorial: only the EC2 service may assume the role.
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def create_ec2_role(iam: Any, name: str, policy_arn: str) -> None:
    """aws iam create-role / attach-role-policy, plus the instance profile the console makes implicitly."""
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)


def sts_with(credentials: Any) -> Any:
    """An STS client signing with the instance's temporary keys, as the AWS CLI on the instance would."""
    return boto3.client(
        "sts",
        region_name=REGION,
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.secret_access_key,
        aws_session_token=credentials.session_token,
    )


def refusal(call: Callable[[], object]) -> dict[str, str]:
    """Make a boto3 call that AWS must refuse; return the ``Error`` part of its response."""
    try:
        call()
    except ClientError as refused:
        return dict(refused.response["Error"])
    raise SystemExit("the call should have been refused")


def scenario_1_s3_read_only() -> None:
    """S3AccessRole with AmazonS3ReadOnlyAccess: reads allowed, writes denied, strangers refused, keys expire."""
    clock = ManualClock()  # time moves only when we say so
    sim = Simulator(clock=clock)
    with iamsim.boto3.patch(sim):
        iam = boto3.client("iam", **root_keys(sim))
        create_ec2_role(iam, "S3AccessRole", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        instance = sim.run_instance(instance_profile="S3AccessRole")
        credentials = sim.instance_credentials(instance)

        # aws sts get-caller-identity, on the instance.
        identity = sts_with(credentials).get_caller_identity()
        role_session_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/S3AccessRole/{instance}"
        assert identity["Arn"] == role_session_arn, identity["Arn"]
        print("instance identity:", identity["Arn"])

        # aws s3 ls / cp: S3 itself is not emulated, so ask the engine what S3 would decide.
        assert_allowed(sim, credentials, "s3:ListBucket", "arn:aws:s3:::company1-logs")
        assert_allowed(sim, credentials, "s3:GetObject", "arn:aws:s3:::company1-logs/app.log")
        write = assert_denied(
            sim, credentials, "s3:PutObject", "arn:aws:s3:::company1-logs/report.txt", decision="implicitDeny"
        )
        print("write denied as expected:", write.message())

        # An IAM user allowed to call sts:AssumeRole is still refused: the trust policy names only EC2.
        iam.create_user(UserName="intern")
        role_arn = f"arn:aws:iam::{ACCOUNT}:role/S3AccessRole"
        allow_assume = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}],
        }
        iam.put_user_policy(UserName="intern", PolicyName="assume", PolicyDocument=json.dumps(allow_assume))
        key = iam.create_access_key(UserName="intern")["AccessKey"]
        intern_sts = boto3.client(
            "sts",
            region_name=REGION,
            aws_access_key_id=key["AccessKeyId"],
            aws_secret_access_key=key["SecretAccessKey"],
        )
        error = refusal(lambda: intern_sts.assume_role(RoleArn=role_arn, RoleSessionName="peek"))
        assert error["Code"] == "AccessDenied", error
        # AWS's form (spec §G.9); iamsim may append a "because ..." reason, so compare the prefix.
        assert error["Message"].startswith(
            f"User: arn:aws:iam::{ACCOUNT}:user/intern is not authorized to perform: sts:AssumeRole "
            f"on resource: {role_arn}"
        ), error["Message"]
        print("assume_role refused as expected:", error["Message"])

        # One second past Expiration the same keys are refused by STS itself (§G.9 ExpiredToken).
        instance_sts = sts_with(credentials)
        assert credentials.expiration is not None
        clock.set(credentials.expiration + timedelta(seconds=1))
        expired = refusal(instance_sts.get_caller_identity)
        assert expired["Code"] == "ExpiredToken", expired
        print("expired as expected:", expired["Message"])

        # The instance simply fetches fresh keys from the metadata service.
        fresh = sim.instance_credentials(instance)
        assert sts_with(fresh).get_caller_identity()["Arn"] == role_session_arn


def scenario_2_company1_logs() -> None:
    """Company1-Logs-Role: a customer policy allows s3:GetObject in company1-logs, and nothing else."""
    sim = Simulator(clock=ManualClock())
    with iamsim.boto3.patch(sim):
        iam = boto3.client("iam", **root_keys(sim))
        logs_policy = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::company1-logs/*"}],
        }
        policy = iam.create_policy(PolicyName="Company1-Logs-Policy", PolicyDocument=json.dumps(logs_policy))
        assert policy["Policy"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:policy/Company1-Logs-Policy"
        create_ec2_role(iam, "Company1-Logs-Role", policy["Policy"]["Arn"])
        instance = sim.run_instance(instance_profile="Company1-Logs-Role")
        credentials = sim.instance_credentials(instance)

        identity = sts_with(credentials).get_caller_identity()
        assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/Company1-Logs-Role/{instance}"
        print("instance identity:", identity["Arn"])

        assert_allowed(sim, credentials, "s3:GetObject", "arn:aws:s3:::company1-logs/app.log")
        # Another bucket: the Resource names company1-logs only.
        assert_denied(sim, credentials, "s3:GetObject", "arn:aws:s3:::company2-logs/app.log", decision="implicitDeny")
        # Listing is s3:ListBucket, a different action from s3:GetObject.
        listing = assert_denied(
            sim, credentials, "s3:ListBucket", "arn:aws:s3:::company1-logs", decision="implicitDeny"
        )
        print("listing denied as expected:", listing.message())


def main() -> None:
    """Play both scenarios; raise on any outcome that differs from AWS."""
    scenario_1_s3_read_only()
    scenario_2_company1_logs()
    print("both scenarios behave as in AWS, through boto3")


if __name__ == "__main__":
    main()
