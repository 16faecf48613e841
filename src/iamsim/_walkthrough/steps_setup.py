"""Steps that build the world: the trust policy, the role, its permissions, the instance profile, the instance."""

from __future__ import annotations

import json
from typing import Any

from iamsim._arn import iam_entity_arn
from iamsim._walkthrough.model import Outcome, OutcomeKind, Step
from iamsim._walkthrough.stage import EC2_SERVICE, Stage
from iamsim._walkthrough.wording import listing

__all__ = [
    "associate_instance_step",
    "attach_policy_step",
    "create_customer_policy_step",
    "create_role_step",
    "instance_profile_step",
    "launch_instance_step",
    "trust_policy_step",
]


def _element(document: dict[str, Any], element: str) -> list[str]:
    """Every value ``element`` (``Action``, ``Resource``) lists across the document's statements, in order."""
    statements = document.get("Statement", [])
    listed = statements if isinstance(statements, list) else [statements]
    found: list[str] = []
    for statement in listed:
        value = statement.get(element, [])
        found.extend([value] if isinstance(value, str) else value)
    return found


def trust_policy_step(stage: Stage) -> Step:
    """The trust policy for ec2.amazonaws.com, written to a file (no AWS call)."""
    document = stage.setup.trust_document
    return Step(
        key="trust-policy",
        title="Write the trust policy: who may use the role",
        explanation=(
            "A role is an identity that no person or program owns for good: whoever is allowed to "
            '"assume" the role borrows its permissions for a while. Every role has a trust policy, a '
            "JSON document that says who may assume it.",
            f'This one has a single statement. It allows ("Effect": "Allow") the principal {EC2_SERVICE} '
            "to perform sts:AssumeRole. A principal is whoever makes a request; "
            f"{EC2_SERVICE} is a service principal, the EC2 service itself. sts:AssumeRole is the action "
            "of taking on a role. Nobody else is named, so nobody else may assume the role.",
            "You save it as trust-policy.json on your computer. Nothing is sent to AWS yet.",
        ),
        aws_cli=None,
        inputs={"file": "trust-policy.json", "document": document},
        outcome=Outcome(OutcomeKind.OK, "trust-policy.json written"),
    )


def create_role_step(stage: Stage) -> Step:
    """CreateRole with the trust policy."""
    setup = stage.setup
    description = f" \\\n    --description {json.dumps(setup.description)}" if setup.description else ""
    role = stage.sim.create_role(setup.role_name, setup.trust_document, description=setup.description)
    stage.remember(f"{role.name} trust policy", setup.trust_document)
    return Step(
        key="create-role",
        title=f"Create the role {role.name}",
        explanation=(
            "Creating the role sends IAM the role's name and its trust policy.",
            f"IAM answers with the role's ARN (Amazon Resource Name), the unique name AWS gives everything: "
            f"{role.arn}. Read it as: AWS, the IAM service, account {stage.account}, the role {role.name}. "
            f"The RoleId ({role.role_id}) is a second, never-reused id; AROA at its start marks a role.",
            "The role cannot do anything yet: no permissions policy is attached to it.",
        ),
        aws_cli=(
            f"aws iam create-role --role-name {role.name} \\\n"
            f"    --assume-role-policy-document file://trust-policy.json{description}"
        ),
        inputs={"role_name": role.name, "assume_role_policy_document": setup.trust_document},
        response={"Role": {"RoleName": role.name, "RoleId": role.role_id, "Arn": role.arn, "Path": role.path}},
        outcome=Outcome(OutcomeKind.OK, f"role created: {role.arn}"),
    )


def create_customer_policy_step(stage: Stage) -> Step:
    """CreatePolicy: the customer managed policy the scenario attaches."""
    setup = stage.setup
    policy = stage.sim.create_policy(setup.policy_name, setup.document())
    stage.remember(policy.name, setup.document())
    stage.policy_arns[policy.name] = policy.arn
    file_name = f"{setup.policy_name.lower()}.json"
    resources = listing(_element(setup.document(), "Resource"))
    return Step(
        key="create-policy",
        title=f"Write a permissions policy of your own: {policy.name}",
        explanation=(
            "A permissions policy says which actions an identity may perform, on which resources. AWS "
            "publishes ready-made ones (AWS managed policies); this one you write yourself, a customer "
            "managed policy that lives in your account.",
            f"Its one statement allows a single action, s3:GetObject (read a file, which S3 calls an "
            f'object), on the resource {resources}. The trailing "*" is a wildcard: '
            f"any object key in the bucket {stage.bucket}. A bucket is S3's top-level container of files.",
            f"IAM stores it and gives it the ARN {policy.arn}.",
        ),
        aws_cli=(f"aws iam create-policy --policy-name {policy.name} \\\n    --policy-document file://{file_name}"),
        inputs={"policy_name": policy.name, "policy_document": setup.document()},
        response={"Policy": {"PolicyName": policy.name, "Arn": policy.arn, "DefaultVersionId": "v1"}},
        outcome=Outcome(OutcomeKind.OK, f"policy created: {policy.arn}"),
    )


def attach_policy_step(stage: Stage) -> Step:
    """AttachRolePolicy: the role gets its permissions."""
    setup = stage.setup
    arn = setup.policy_arn or stage.policy_arns[setup.policy_name]
    stage.sim.attach_role_policy(setup.role_name, arn)
    stage.remember(setup.policy_name, setup.document())
    actions = _element(setup.document(), "Action")
    if setup.policy_arn is not None:
        intro = (
            "A permissions policy says which actions an identity may perform, on which resources. "
            f"{setup.policy_name} is an AWS managed policy: AWS writes and maintains it, and you attach it "
            "by its ARN."
        )
        scope = (
            f'Its one statement allows {listing(actions)} on every resource ("Resource": "*"). The * is a '
            "wildcard: s3:Get* covers s3:GetObject (read a file) and every other S3 action whose name starts "
            "with Get; s3:List* covers s3:ListBucket (list a bucket). Nothing in it allows writing "
            "(s3:PutObject) or deleting."
        )
    else:
        intro = f"Attaching {setup.policy_name} to the role gives the role its permissions."
        resources = listing(_element(setup.document(), "Resource"))
        scope = (
            f"The role may now perform {listing(actions)} on {resources}, and nothing "
            "else: IAM denies whatever no policy allows."
        )
    return Step(
        key="attach-policy",
        title=f"Give the role its permissions: attach {setup.policy_name}",
        explanation=(intro, scope),
        aws_cli=f"aws iam attach-role-policy --role-name {setup.role_name} \\\n    --policy-arn {arn}",
        inputs={"role_name": setup.role_name, "policy_arn": arn, "policy_document": setup.document()},
        outcome=Outcome(OutcomeKind.OK, f"{setup.policy_name} attached to {setup.role_name}"),
    )


def instance_profile_step(stage: Stage) -> Step:
    """CreateInstanceProfile and AddRoleToInstanceProfile."""
    name = stage.setup.role_name
    profile = stage.sim.create_instance_profile(name)
    stage.sim.add_role_to_instance_profile(name, name)
    return Step(
        key="instance-profile",
        title="Put the role in an instance profile",
        explanation=(
            "An EC2 instance (a virtual machine in AWS) does not hold a role directly: it holds an instance "
            "profile, a container for exactly one role. The console makes one for you, named after the role; "
            "with the CLI you create it and add the role yourself.",
        ),
        aws_cli=(
            f"aws iam create-instance-profile --instance-profile-name {name}\n"
            f"aws iam add-role-to-instance-profile --instance-profile-name {name} \\\n    --role-name {name}"
        ),
        inputs={"instance_profile_name": name, "role_name": name},
        response={"InstanceProfile": {"InstanceProfileName": name, "Arn": profile.arn, "Roles": [name]}},
        outcome=Outcome(OutcomeKind.OK, f"instance profile {name} holds the role {name}"),
    )


def launch_instance_step(stage: Stage) -> Step:
    """RunInstances with the instance profile."""
    name = stage.setup.role_name
    instance = stage.sim.run_instance(instance_profile=name)
    stage.instance_id = instance
    stage.role_name = name
    return Step(
        key="launch-instance",
        title="Launch an EC2 instance with the instance profile",
        explanation=(
            f"The new instance {instance} runs with the instance profile {name}. No access key is stored on "
            "it, so there is nothing on its disk a thief could copy and use elsewhere.",
        ),
        aws_cli=(
            "aws ec2 run-instances --image-id ami-0123456789abcdef0 --instance-type t3.micro \\\n"
            f"    --iam-instance-profile Name={name}"
        ),
        inputs={"instance_profile": name},
        response={"Instances": [{"InstanceId": instance, "IamInstanceProfile": {"Arn": _profile_arn(stage, name)}}]},
        outcome=Outcome(OutcomeKind.OK, f"instance {instance} is running with {name}"),
    )


def associate_instance_step(stage: Stage) -> Step:
    """An instance already running gets the profile (the console's "Modify IAM role")."""
    name = stage.setup.role_name
    instance = stage.sim.run_instance()
    stage.sim.associate_iam_instance_profile(instance, name)
    stage.instance_id = instance
    stage.role_name = name
    return Step(
        key="associate-instance",
        title="Attach the role to your running EC2 instance",
        explanation=(
            f"Your instance {instance} (a virtual machine in AWS) is already running, without a role. "
            '"Modify IAM role" in the console, or the command below, associates the instance profile '
            f"{name} with it. From now on, programs on the instance act as the role.",
        ),
        aws_cli=(
            f"aws ec2 associate-iam-instance-profile --instance-id {instance} \\\n"
            f"    --iam-instance-profile Name={name}"
        ),
        inputs={"instance_id": instance, "instance_profile": name},
        response={
            "IamInstanceProfileAssociation": {
                "InstanceId": instance,
                "IamInstanceProfile": {"Arn": _profile_arn(stage, name)},
                "State": "associating",
            }
        },
        outcome=Outcome(OutcomeKind.OK, f"instance {instance} now has the instance profile {name}"),
    )


def _profile_arn(stage: Stage, name: str) -> str:
    return iam_entity_arn(stage.partition, stage.account, "instance-profile", "/", name)
