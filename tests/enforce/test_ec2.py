"""Amazon EC2 calls through boto3 are authorized before moto answers (§F, §F.7, §G.8; issue 13).

AWS source: "Actions, resources, and condition keys for Amazon EC2"
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html).
EC2 has no resource-based policies: every decision here is the caller's own.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from moto.iam.models import iam_backends

from .world import ACCOUNT, REGION, World, allow, deny, error_of, moto_world

INSTANCES = f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/*"
LAUNCH = [
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:ec2:*::image/*",
    "arn:aws:ec2:*:*:network-interface/*",
    "arn:aws:ec2:*:*:volume/*",
    "arn:aws:ec2:*:*:security-group/*",
    "arn:aws:ec2:*:*:subnet/*",
]


def _image(world: World) -> str:
    return str(world.root.client("ec2").describe_images()["Images"][0]["ImageId"])


def test_ec2_describe_on_star_and_unauthorized_operation_shape_decodes_G8_F7() -> None:
    """§F.7/§G.8: Describe* acts on *; a refusal is UnauthorizedOperation (403) whose encoded message decodes."""
    with moto_world() as world:
        session = world.role("Viewer", allow("ec2:Describe*"), allow("sts:DecodeAuthorizationMessage"))
        ec2 = session.client("ec2")
        ec2.describe_instances()
        ec2.describe_volumes()
        with pytest.raises(ClientError) as caught:
            ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8)
        code, message, status = error_of(caught)
        assert (code, status) == ("UnauthorizedOperation", 403)
        head = (
            "You are not authorized to perform this operation. User: arn:aws:sts::"
            f"{ACCOUNT}:assumed-role/Viewer/app is not authorized to perform: ec2:CreateVolume on resource:"
            f" arn:aws:ec2:{REGION}:{ACCOUNT}:volume/* because no identity-based policy allows the"
            " ec2:CreateVolume action. Encoded authorization failure message: "
        )
        assert message.startswith(head)
        decoded = session.client("sts").decode_authorization_message(EncodedMessage=message[len(head) :])
        document = json.loads(decoded["DecodedMessage"])
        assert document["allowed"] is False
        assert document["context"]["action"] == "ec2:CreateVolume"
        assert world.root.client("ec2").describe_volumes()["Volumes"] == []


def test_ec2_run_instances_needs_every_resource_and_identity_deny_F1_F7() -> None:
    """§F.7: RunInstances acts on the image, subnet, groups, volume... too; a Deny on one of them refuses it."""
    with moto_world() as world:
        image = _image(world)
        ec2 = world.role(
            "Launcher", allow("ec2:RunInstances", LAUNCH), deny("ec2:RunInstances", f"arn:aws:ec2:*::image/{image}")
        ).client("ec2")
        with pytest.raises(ClientError) as caught:
            ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)
        denied = f"on resource: arn:aws:ec2:{REGION}::image/{image} with an explicit deny in an identity-based policy"
        assert denied in error_of(caught)[1]
        allowed = world.role("Runner", allow("ec2:RunInstances", LAUNCH)).client("ec2")
        instance = allowed.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        with pytest.raises(ClientError):
            allowed.terminate_instances(InstanceIds=[instance])


def test_ec2_instance_type_condition_and_tag_on_create_F7() -> None:
    """§F.7: ec2:InstanceType on the instance; TagSpecifications need ec2:CreateTags with ec2:CreateAction."""
    with moto_world() as world:
        image = _image(world)
        small = {"StringEquals": {"ec2:InstanceType": "t3.micro"}}
        ec2 = world.role(
            "Small",
            allow("ec2:RunInstances", INSTANCES, Condition=small),
            allow("ec2:RunInstances", LAUNCH[1:]),
            allow("ec2:CreateTags", INSTANCES, Condition={"StringEquals": {"ec2:CreateAction": "RunInstances"}}),
        ).client("ec2")
        tags = [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "ops"}]}]
        ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", TagSpecifications=tags)
        with pytest.raises(ClientError):
            ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="m5.large")


def test_ec2_resource_tag_condition_from_tags_the_app_set_F7() -> None:
    """aws:ResourceTag/* on StopInstances: tags learnt from CreateTags and RunInstances' TagSpecifications."""
    with moto_world() as world:
        image = _image(world)
        root = world.root.client("ec2")
        ops, dev = (
            root.run_instances(
                ImageId=image,
                MinCount=1,
                MaxCount=1,
                TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": team}]}],
            )["Instances"][0]["InstanceId"]
            for team in ("ops", "dev")
        )
        ec2 = world.role(
            "Operator", allow("ec2:StopInstances", "*", Condition={"StringEquals": {"aws:ResourceTag/team": "ops"}})
        ).client("ec2")
        ec2.stop_instances(InstanceIds=[ops])
        with pytest.raises(ClientError):
            ec2.stop_instances(InstanceIds=[ops, dev])
        root.create_tags(Resources=[dev], Tags=[{"Key": "team", "Value": "ops"}])
        ec2.stop_instances(InstanceIds=[dev])


def _profile(world: World) -> str:
    """Instance profile ``web`` holding role ``WebRole`` in iamsim's IAM; the role's ARN."""
    iam = world.root.client("iam")
    trust = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    role = iam.create_role(RoleName="WebRole", AssumeRolePolicyDocument=json.dumps({"Statement": [trust]}))
    iam.create_instance_profile(InstanceProfileName="web")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="WebRole")
    # moto's EC2 looks the profile up in moto's own IAM, which iamsim's IAM replaces: it is told too.
    iam_backends[ACCOUNT]["global"].create_instance_profile("web", "/", role_names=[])
    return str(role["Role"]["Arn"])


def test_ec2_run_instances_with_profile_needs_pass_role_to_ec2_F7() -> None:
    """§F.7: RunInstances with an IamInstanceProfile needs iam:PassRole on the profile's role, with
    iam:PassedToService = ec2.amazonaws.com (UG:id_roles_use_switch-role-ec2.html); UnauthorizedOperation otherwise."""
    with moto_world() as world:
        image = _image(world)
        role = _profile(world)
        launcher = world.role("Launcher", allow("ec2:RunInstances", LAUNCH)).client("ec2")
        launcher.run_instances(ImageId=image, MinCount=1, MaxCount=1)
        with pytest.raises(ClientError) as caught:
            launcher.run_instances(ImageId=image, MinCount=1, MaxCount=1, IamInstanceProfile={"Name": "web"})
        code, message, status = error_of(caught)
        assert (code, status) == ("UnauthorizedOperation", 403)
        assert f"iam:PassRole on resource: {role}" in message
        to_ec2 = {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
        to_lambda = {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
        wrong = world.role(
            "WrongService", allow("ec2:RunInstances", LAUNCH), allow("iam:PassRole", role, Condition=to_lambda)
        ).client("ec2")
        profile_arn = f"arn:aws:iam::{ACCOUNT}:instance-profile/web"
        with pytest.raises(ClientError):
            wrong.run_instances(ImageId=image, MinCount=1, MaxCount=1, IamInstanceProfile={"Arn": profile_arn})
        passer = world.role(
            "Passer",
            allow("ec2:RunInstances", LAUNCH),
            allow("iam:PassRole", role, Condition=to_ec2),
            deny("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/Admin*"),
        ).client("ec2")
        passer.run_instances(ImageId=image, MinCount=1, MaxCount=1, IamInstanceProfile={"Arn": profile_arn})
