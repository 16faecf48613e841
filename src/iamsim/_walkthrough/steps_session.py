"""Steps about the role session: EC2 assumes the role, the credentials, who am I, expiry and renewal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from iamsim._engine.request import Principal
from iamsim._simulator.context import iso8601
from iamsim._sts.credentials import Credentials
from iamsim._walkthrough.model import Outcome, OutcomeKind, Part, Step
from iamsim._walkthrough.stage import EC2_SERVICE, Stage
from iamsim._walkthrough.wording import duration_words
from iamsim.errors import ExpiredTokenError

__all__ = [
    "caller_identity_step",
    "credentials_step",
    "ec2_assumes_role_step",
    "expire_step",
    "metadata_command",
    "refresh_step",
]

#: How far past Expiration the clock moves in the expiry step.
_PAST_EXPIRY = timedelta(minutes=1)


def metadata_command(role_name: str) -> str:
    """The commands that read an instance's role credentials from the metadata service (IMDSv2)."""
    return (
        "# on the instance: the metadata service (IMDSv2) hands out the role's credentials\n"
        "TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token \\\n"
        '    -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")\n'
        'curl -s -H "X-aws-ec2-metadata-token: $TOKEN" \\\n'
        f"    http://169.254.169.254/latest/meta-data/iam/security-credentials/{role_name}"
    )


def _metadata_response(credentials: Credentials, now: str) -> dict[str, Any]:
    return {
        "Code": "Success",
        "LastUpdated": now,
        "Type": "AWS-HMAC",
        "AccessKeyId": credentials.access_key_id,
        "SecretAccessKey": credentials.secret_access_key,
        "Token": credentials.session_token,
        "Expiration": None if credentials.expiration is None else iso8601(credentials.expiration),
    }


def ec2_assumes_role_step(stage: Stage) -> Step:
    """EC2 calls AssumeRole for the instance; the trust policy decides."""
    instance = stage.instance()
    role_name = stage.role_name or stage.setup.role_name
    role_arn = stage.role_arn(role_name)
    outcome = stage.trust_decision(Principal.for_service(EC2_SERVICE), role_name, instance)
    return Step(
        key="ec2-assumes-role",
        title="EC2 assumes the role for the instance",
        explanation=(
            "When a program on the instance needs credentials, EC2 asks STS (the Security Token Service, "
            "which hands out temporary credentials) to assume the role on the instance's behalf: an "
            f"AssumeRole request. Who asks is the service principal {EC2_SERVICE}, not you and not the "
            f"instance. The session it opens is named after the instance, {instance}.",
            f"STS reads the role's trust policy. Its statement 0 names {EC2_SERVICE} as Principal and "
            "sts:AssumeRole as Action; both match this request, so STS allows it. Had no statement matched, "
            "STS would have refused (try --variation untrusted-caller).",
        ),
        aws_cli=(
            f"# EC2 makes this call itself, as {EC2_SERVICE}; you never run it\n"
            f"aws sts assume-role --role-arn {role_arn} \\\n    --role-session-name {instance}"
        ),
        inputs={
            "principal": EC2_SERVICE,
            "action": "sts:AssumeRole",
            "resource": role_arn,
            "role_session_name": instance,
        },
        outcome=outcome,
    )


def _shorten(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:20]}... ({len(text)} characters)"


def credentials_step(stage: Stage) -> Step:
    """The instance reads its temporary credentials; each part explained."""
    instance = stage.instance()
    role_name = stage.role_name or stage.setup.role_name
    credentials = stage.sim.instance_credentials(instance)
    stage.current = credentials
    expiration = credentials.expiration
    lifetime = "" if expiration is None else duration_words(expiration - stage.now())
    expires = "never" if expiration is None else iso8601(expiration)
    return Step(
        key="credentials",
        title="The instance receives temporary credentials",
        explanation=(
            "Programs on the instance (the AWS CLI, the AWS SDKs) fetch the role's credentials from the "
            "instance metadata service, an address only the instance itself can reach. They are temporary "
            "credentials: four values that work for a few hours, then never again.",
            f"The simulated clock reads {stage.now_text()}; these credentials expire at {expires}, "
            f"{lifetime} from now.",
        ),
        aws_cli=metadata_command(role_name),
        inputs={"instance_id": instance, "role_name": role_name},
        response=_metadata_response(credentials, stage.now_text()),
        parts=(
            Part(
                "AccessKeyId",
                credentials.access_key_id,
                "Names the key, like a user name. ASIA at its start marks temporary credentials from STS; "
                "the long-term keys of IAM users start with AKIA.",
            ),
            Part(
                "SecretAccessKey",
                credentials.secret_access_key,
                "Signs every request, like a password that never travels: AWS checks the signature, the secret "
                "itself is never sent.",
            ),
            Part(
                "SessionToken",
                _shorten(credentials.session_token or ""),
                "Proves the session STS opened; it is sent with every request, and temporary keys are useless "
                "without it (the metadata service calls it Token).",
            ),
            Part(
                "Expiration",
                expires,
                f"When the credentials stop working: {lifetime} after they were issued. Nobody has to revoke "
                "them; the metadata service hands out new ones before then.",
            ),
        ),
        outcome=Outcome(OutcomeKind.OK, f"temporary credentials {credentials.access_key_id}, valid until {expires}"),
    )


def caller_identity_step(stage: Stage) -> Step:
    """GetCallerIdentity with the instance's credentials."""
    credentials = stage.credentials()
    identity = stage.sim.get_caller_identity(credentials)
    role_name = stage.role_name or stage.setup.role_name
    session = identity.arn.rsplit("/", 1)[-1]
    return Step(
        key="caller-identity",
        title="Who am I? Ask STS with the instance's credentials",
        explanation=(
            "get-caller-identity tells whose credentials these are. It needs no permission: any valid "
            "credentials may ask.",
            f"The answer is the session's ARN, {identity.arn}: STS (sts), account {identity.account}, an "
            f"assumed role (assumed-role) named {role_name}, in the session {session}. Every request made with "
            "these credentials is made by this session, and the role's policies decide it.",
        ),
        aws_cli="aws sts get-caller-identity",
        inputs={"access_key_id": credentials.access_key_id},
        response={"UserId": identity.user_id, "Account": identity.account, "Arn": identity.arn},
        parts=(
            Part("UserId", identity.user_id, "The role's unique id (AROA...), a colon, and the session name."),
            Part("Account", identity.account, "The AWS account the role belongs to."),
            Part("Arn", identity.arn, "The session: assumed-role/ROLE/SESSION."),
        ),
        outcome=Outcome(OutcomeKind.OK, identity.arn),
    )


def expire_step(stage: Stage) -> Step:
    """The clock moves past Expiration; the old credentials fail with ExpiredToken."""
    old = stage.credentials()
    expiration = old.expiration or stage.now()
    stage.clock.set(expiration + _PAST_EXPIRY)
    message = ""
    code = None
    try:
        identity = stage.sim.get_caller_identity(old)
    except ExpiredTokenError as error:
        message, code = error.message, error.code
        outcome = Outcome(OutcomeKind.ERROR, message, error_code=code)
    else:
        outcome = Outcome(OutcomeKind.OK, identity.arn)
    return Step(
        key="expire",
        title="Time passes: the credentials expire",
        explanation=(
            f"The simulated clock jumps to {stage.now_text()}, one minute after the Expiration "
            f"{iso8601(expiration)}. In real AWS you would simply wait; here the clock moves by hand.",
            f"Asked with the old credentials ({old.access_key_id}), STS refuses before reading any policy: "
            f'{code or "no error"}, "{message}". A copy of these keys, leaked or forgotten in a script, is '
            "now useless: that is the point of temporary credentials.",
        ),
        aws_cli="# with the old credentials\naws sts get-caller-identity",
        inputs={"access_key_id": old.access_key_id, "now": stage.now_text(), "expiration": iso8601(expiration)},
        outcome=outcome,
    )


def refresh_step(stage: Stage) -> Step:
    """The instance gets fresh credentials from the metadata service."""
    instance = stage.instance()
    role_name = stage.role_name or stage.setup.role_name
    old = stage.credentials()
    fresh = stage.sim.instance_credentials(instance)
    stage.current = fresh
    identity = stage.sim.get_caller_identity(fresh)
    expires = "never" if fresh.expiration is None else iso8601(fresh.expiration)
    return Step(
        key="refresh",
        title="The instance gets fresh credentials",
        explanation=(
            "Programs on the instance never see that error: the metadata service hands out new credentials "
            "before the old ones expire (iamsim, like AWS, renews them at least five minutes early), and the "
            "SDKs fetch them again on their own.",
            f"New AccessKeyId {fresh.access_key_id} (the old one was {old.access_key_id}), new secret, new "
            f"token, a new Expiration ({expires}); same role, same session name, so get-caller-identity "
            f"still answers {identity.arn}.",
        ),
        aws_cli=metadata_command(role_name) + "\naws sts get-caller-identity",
        inputs={"instance_id": instance, "role_name": role_name},
        response=_metadata_response(fresh, stage.now_text()),
        parts=(
            Part("AccessKeyId", fresh.access_key_id, "A new key id: every issue of credentials gets its own."),
            Part("Expiration", expires, "A new deadline, counted from now."),
        ),
        outcome=Outcome(OutcomeKind.OK, identity.arn),
    )
