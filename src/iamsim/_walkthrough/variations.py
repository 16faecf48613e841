"""The variations a learner tries next, each one option away: an untrusted caller, a boundary Deny, a new role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from iamsim._arn import iam_entity_arn
from iamsim._evaluate import evaluate
from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._simulator.core import core_of
from iamsim._sts.credentials import Credentials
from iamsim._walkthrough.model import Outcome, OutcomeKind, Part, Step
from iamsim._walkthrough.narrate import cli_error, decision_paragraphs
from iamsim._walkthrough.stage import RoleSetup, Stage
from iamsim._walkthrough.steps_s3 import list_bucket_step, read_object_step
from iamsim._walkthrough.wording import listing
from iamsim.errors import AccessDeniedError, IamSimError

__all__ = [
    "BOUNDARY_DOCUMENT",
    "BOUNDARY_NAME",
    "USER_NAME",
    "Variation",
    "add_boundary_step",
    "boundary_list_step",
    "boundary_read_step",
    "create_user_step",
    "gone_note",
    "replace_role_step",
    "second_role_step",
    "untrusted_assume_role_step",
]

StepFn = Callable[[Stage], Step]

#: The IAM user the trust policy does not name.
USER_NAME = "alice"
#: The permissions boundary of the boundary-deny variation.
BOUNDARY_NAME = "S3AccessBoundary"
BOUNDARY_DOCUMENT: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "AllowS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "DenyReadingObjects", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"},
    ],
}
_ALICE_POLICY = "AllowAssumeRole"


@dataclass(frozen=True, slots=True)
class Variation:
    """A variation: its option value, a one-line summary, and the steps it adds."""

    name: str
    summary: str
    steps: tuple[StepFn, ...]


# --------------------------------------------------------- untrusted caller


def _alice_policy(role_arn: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}],
    }


def create_user_step(stage: Stage) -> Step:
    """An IAM user whose own policy allows sts:AssumeRole on the role, with an access key."""
    role_arn = stage.role_arn(stage.setup.role_name)
    document = _alice_policy(role_arn)
    user = stage.sim.create_user(USER_NAME)
    stage.sim.put_user_policy(USER_NAME, _ALICE_POLICY, document)
    stage.remember(_ALICE_POLICY, document)
    key = stage.sim.create_access_key(USER_NAME)
    stage.user_credentials = Credentials(key.access_key_id, key.secret_access_key)
    return Step(
        key="create-user",
        title=f"Variation: a stranger, the IAM user {USER_NAME}",
        explanation=(
            f"Someone else now tries the role: {USER_NAME}, an IAM user (a long-term identity for a person or "
            "a program in the account). Her access key starts with AKIA: long-term, it never expires.",
            f"Her own permissions policy, {_ALICE_POLICY}, allows sts:AssumeRole on {role_arn}, so her own "
            "permissions are not what stands in her way.",
        ),
        aws_cli=(
            f"aws iam create-user --user-name {USER_NAME}\n"
            f"aws iam put-user-policy --user-name {USER_NAME} --policy-name {_ALICE_POLICY} \\\n"
            f"    --policy-document file://{_ALICE_POLICY.lower()}.json\n"
            f"aws iam create-access-key --user-name {USER_NAME}"
        ),
        inputs={"user_name": USER_NAME, "policy_name": _ALICE_POLICY, "policy_document": document},
        response={"User": {"UserName": user.name, "Arn": user.arn}, "AccessKey": {"AccessKeyId": key.access_key_id}},
        outcome=Outcome(OutcomeKind.OK, f"user {user.arn} with access key {key.access_key_id}"),
    )


def _named_principals(document: dict[str, Any]) -> list[str]:
    statements = document.get("Statement", [])
    names: list[str] = []
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = statement.get("Principal", {})
        if isinstance(principal, str):
            names.append(principal)
            continue
        for value in principal.values():
            names.extend([value] if isinstance(value, str) else value)
    return names


def untrusted_assume_role_step(stage: Stage) -> Step:
    """The user calls AssumeRole; the trust policy does not name her: AccessDenied."""
    credentials = stage.user_credentials
    role_name = stage.setup.role_name
    role_arn = stage.role_arn(role_name)
    session = f"{USER_NAME}-session"
    trusted = listing(_named_principals(stage.setup.trust_document))
    if credentials is None:
        raise IamSimError("walkthrough steps ran out of order: no user credentials")
    try:
        stage.sim.assume_role(credentials, role_arn, session)
    except AccessDeniedError as error:
        if error.result is None:
            raise
        # Re-decide with a full explanation, outside the simulator, so the log keeps the one real call.
        explained = evaluate(
            error.result.request.principal,
            "sts:AssumeRole",
            role_arn,
            identity=[parse_policy(stage.documents[_ALICE_POLICY], PolicyKind.IDENTITY, name=_ALICE_POLICY)],
            trust_policy=core_of(stage.sim).trust_policy(stage.account, role_name),
            context={"sts:RoleSessionName": session},
            explain=True,
        )
        outcome = stage.outcome(explained, message=error.message)
        principal = error.result.request.principal.arn
    else:
        outcome = Outcome(OutcomeKind.ALLOWED, f"{USER_NAME} assumed {role_name}")
        principal = iam_entity_arn(stage.partition, stage.account, "user", "/", USER_NAME)
    paragraphs = [
        f"{USER_NAME} calls AssumeRole on {role_name} with her own access key. STS needs two yeses: her "
        "permissions must allow sts:AssumeRole (they do) and the role's trust policy must name her.",
        *decision_paragraphs(outcome, "sts:AssumeRole", role_arn),
    ]
    if outcome.error_code is not None:
        paragraphs.append(
            f'The CLI prints the error AWS sends back: "{cli_error(outcome.error_code, "AssumeRole")}" '
            "followed by AWS's message, shown under Result below."
        )
    paragraphs.append(
        f"Why: the trust policy names only {trusted}. To let {USER_NAME} in, a statement's Principal would "
        f'have to name her, {{"AWS": "{principal}"}}. A trust policy is the role\'s front door: permissions '
        "of the caller alone never open it."
    )
    return Step(
        key="untrusted-assume-role",
        title=f"Variation: {USER_NAME} tries to assume {role_name}",
        explanation=tuple(paragraphs),
        aws_cli=(
            f"aws sts assume-role --profile {USER_NAME} \\\n    --role-arn {role_arn} --role-session-name {session}"
        ),
        inputs={"principal": principal, "action": "sts:AssumeRole", "resource": role_arn, "role_session_name": session},
        outcome=outcome,
    )


# ------------------------------------------------------------ boundary deny


def add_boundary_step(stage: Stage) -> Step:
    """A permissions boundary with an explicit Deny for s3:GetObject, put on the role."""
    role_name = stage.setup.role_name
    policy = stage.sim.create_policy(BOUNDARY_NAME, BOUNDARY_DOCUMENT)
    stage.sim.put_role_permissions_boundary(role_name, policy.arn)
    stage.remember(BOUNDARY_NAME, BOUNDARY_DOCUMENT)
    return Step(
        key="add-boundary",
        title=f"Variation: a permissions boundary on {role_name}, with a Deny",
        explanation=(
            "A permissions boundary is a managed policy set on a role as a ceiling: a request must be allowed "
            "by the role's permissions policies and by the boundary. A boundary grants nothing by itself.",
            f'{BOUNDARY_NAME} allows s3:* (Sid AllowS3) but has a second statement, "Effect": "Deny", for '
            "s3:GetObject (Sid DenyReadingObjects). It applies at once, even to credentials already issued: "
            "IAM reads the policies at every request.",
        ),
        aws_cli=(
            f"aws iam create-policy --policy-name {BOUNDARY_NAME} \\\n"
            f"    --policy-document file://{BOUNDARY_NAME.lower()}.json\n"
            f"aws iam put-role-permissions-boundary --role-name {role_name} \\\n"
            f"    --permissions-boundary {policy.arn}"
        ),
        inputs={"role_name": role_name, "permissions_boundary": policy.arn, "policy_document": BOUNDARY_DOCUMENT},
        outcome=Outcome(OutcomeKind.OK, f"{BOUNDARY_NAME} is the permissions boundary of {role_name}"),
    )


def boundary_read_step(stage: Stage) -> Step:
    """The read that was allowed, now denied by the boundary's statement."""
    step = read_object_step(
        stage,
        f"{stage.setup.policy_name} still allows s3:GetObject, and the boundary's AllowS3 would too; the explicit "
        "Deny wins over both. Explicit deny first: that is the first rule of IAM's decision order.",
    )
    return replace(step, key="boundary-read", title="Variation: read the log file again, under the boundary")


def boundary_list_step(stage: Stage) -> Step:
    """Listing, which the boundary does not deny, still works."""
    step = list_bucket_step(
        stage,
        "The boundary's Deny names only s3:GetObject, and both the permissions policy and the boundary allow "
        "s3:ListBucket, so listing still works.",
    )
    return replace(step, key="boundary-list", title="Variation: listing the bucket still works")


# ------------------------------------------------------------- replace role


def second_role_step(setup: RoleSetup) -> StepFn:
    """A step that builds a second role, from ``setup``, ready for an instance."""

    def run(stage: Stage) -> Step:
        sim = stage.sim
        arn = setup.policy_arn
        commands: list[str] = []
        if arn is None:
            arn = sim.create_policy(setup.policy_name, setup.document()).arn
            commands.append(
                f"aws iam create-policy --policy-name {setup.policy_name} \\\n"
                f"    --policy-document file://{setup.policy_name.lower()}.json"
            )
        sim.create_role(setup.role_name, setup.trust_document, description=setup.description)
        sim.attach_role_policy(setup.role_name, arn)
        sim.create_instance_profile(setup.role_name)
        sim.add_role_to_instance_profile(setup.role_name, setup.role_name)
        stage.remember(setup.policy_name, setup.document())
        stage.remember(f"{setup.role_name} trust policy", setup.trust_document)
        commands += [
            f"aws iam create-role --role-name {setup.role_name} --assume-role-policy-document file://trust-policy.json",
            f"aws iam attach-role-policy --role-name {setup.role_name} --policy-arn {arn}",
            f"aws iam create-instance-profile --instance-profile-name {setup.role_name}",
            f"aws iam add-role-to-instance-profile --instance-profile-name {setup.role_name} "
            f"--role-name {setup.role_name}",
        ]
        return Step(
            key="second-role",
            title=f"Variation: a second role, {setup.role_name}",
            explanation=(
                f"A second role for EC2, built like the first: the same trust policy, its own instance profile, "
                f"and one permissions policy, {setup.policy_name}, which allows "
                f"{_actions_on(setup.document())} and nothing else.",
            ),
            aws_cli="\n".join(commands),
            inputs={"role_name": setup.role_name, "policy_arn": arn, "policy_document": setup.document()},
            outcome=Outcome(OutcomeKind.OK, f"role {setup.role_name} ready in instance profile {setup.role_name}"),
        )

    return run


def _actions_on(document: dict[str, Any]) -> str:
    statements = document.get("Statement", [])
    said: list[str] = []
    for statement in statements if isinstance(statements, list) else [statements]:
        action = statement.get("Action")
        resource = statement.get("Resource")
        actions = [action] if isinstance(action, str) else list(action or [])
        resources = [resource] if isinstance(resource, str) else list(resource or [])
        said.append(f"{listing(actions)} on {listing(resources)}")
    return listing(said)


def replace_role_step(new_role: str) -> StepFn:
    """A step that replaces the instance's instance profile with ``new_role``'s."""

    def run(stage: Stage) -> Step:
        instance = stage.instance()
        old_role = stage.role_name or stage.setup.role_name
        old = stage.credentials()
        stage.sim.replace_iam_instance_profile_association(instance, new_role)
        stage.role_name = new_role
        fresh = stage.sim.instance_credentials(instance)
        stage.current = fresh
        identity = stage.sim.get_caller_identity(fresh)
        return Step(
            key="replace-role",
            title=f"Variation: replace the instance's role with {new_role}",
            explanation=(
                f'"Modify IAM role" in the console replaces the instance profile: the instance now holds '
                f"{new_role} instead of {old_role}. The role and every permission that came with it are swapped "
                "as a whole, which is why the console warns before doing it.",
                f"The instance's next credentials ({fresh.access_key_id}) belong to {new_role}: "
                f"get-caller-identity now answers {identity.arn}. The credentials issued before "
                f"({old.access_key_id}, for {old_role}) keep working until their Expiration, as in AWS; the "
                "instance is simply never given them again.",
            ),
            aws_cli=(
                "aws ec2 replace-iam-instance-profile-association \\\n"
                "    --association-id iip-assoc-0123456789abcdef0 \\\n"
                f"    --iam-instance-profile Name={new_role}\n"
                "aws sts get-caller-identity"
            ),
            inputs={"instance_id": instance, "instance_profile": new_role},
            response={"UserId": identity.user_id, "Account": identity.account, "Arn": identity.arn},
            parts=(
                Part("before", f"{old_role}, {old.access_key_id}", "The role and credentials the instance had."),
                Part("after", f"{new_role}, {fresh.access_key_id}", "What the metadata service hands out now."),
            ),
            outcome=Outcome(OutcomeKind.OK, identity.arn),
        )

    return run


def gone_note(old_role: str, new_role: str) -> str:
    """The closing remark of the request that shows the old role's permissions are gone."""
    return (
        f"{old_role} allowed this request; the instance's credentials now belong to {new_role}, whose policy "
        f"does not. The old role's permissions are gone from the instance."
    )
