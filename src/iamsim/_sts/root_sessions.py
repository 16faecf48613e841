"""AssumeRoot: a short privileged session of a member account's root user, scoped by a root-task policy (§G.12).

With centralized root access, the organization's management account (or IAM's delegated
administrator) can open a session as a member account's root user to perform one privileged
task. The session's principal is the member's root user (``arn:aws:iam::MEMBER:root``), so it
has the root user's permissions, minus what the task policy denies: each of the five bundled
``arn:aws:iam::aws:policy/root-task/...`` policies denies everything but its task's actions. The
task policy therefore travels as the session's policy; a root user is not a session principal,
so the policy limits by its Deny statements and needs no Allow (§F.1). The member's SCPs still
apply, as they do to its root user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from iamsim._arn import Arn, account_root_arn, aws_managed_policy_arn, is_account_id
from iamsim._engine.request import Principal
from iamsim._store.org_features import ROOT_SESSIONS, iam_caller
from iamsim._store.organization import Organization
from iamsim._store.validation import check_length, validation_error
from iamsim._sts.caller import Caller, CallerKind
from iamsim._sts.credentials import Credentials
from iamsim._sts.params import check_duration
from iamsim._sts.world import World, check_allowed
from iamsim.errors import AccessDeniedError, ServiceError, ValidationError

__all__ = ["ROOT_SESSION_SECONDS", "TASK_POLICIES", "AssumeRootResult", "RootSessions"]

#: The longest (and default) root session: 15 minutes.
ROOT_SESSION_SECONDS = 900
#: The root-task policies AWS lets AssumeRoot use, by name (their path is ``/root-task/``).
TASK_POLICIES = frozenset(
    {
        "IAMAuditRootUserCredentials",
        "IAMCreateRootUserPassword",
        "IAMDeleteRootUserCredentials",
        "S3UnlockBucketPolicy",
        "SQSUnlockQueuePolicy",
    }
)


@dataclass(frozen=True, slots=True)
class AssumeRootResult:
    """AssumeRoot's answer: the session's credentials and the source identity the caller's session carries."""

    credentials: Credentials
    source_identity: str | None = None


class RootSessions:
    """Opens root sessions in member accounts (AssumeRoot's rules, in the order they are checked)."""

    def __init__(self, world: World, issue: Callable[[Caller, int], Credentials], partition: str) -> None:
        self._world = world
        self._issue = issue
        self._partition = partition

    def assume_root(
        self,
        caller: Caller,
        org: Organization | None,
        target_principal: object,
        task_policy_arn: object,
        duration_seconds: object = None,
    ) -> AssumeRootResult:
        """AssumeRoot: ``caller`` opens a root session in the member account ``target_principal`` names."""
        member = self._member(target_principal)
        task_arn = self._task_policy(task_policy_arn)
        duration = check_duration(ROOT_SESSION_SECONDS if duration_seconds is None else duration_seconds, 0, 900)
        if caller.principal.is_root:
            raise AccessDeniedError("You cannot use root user credentials to call AssumeRoot.")
        account = caller.account or ""
        try:
            org = iam_caller(org, account, management_only=False)
        except ServiceError as error:
            # (judgment) STS answers the standing IAM's organization operations check with its own AccessDenied.
            raise AccessDeniedError(error.message) from None
        if ROOT_SESSIONS not in org.access.iam_features():
            raise AccessDeniedError(
                "Root sessions are not enabled for the organization: the management account must call "
                "EnableOrganizationsRootSessions first."
            )
        if member == org.management_account or not org.has_account(member):
            raise AccessDeniedError(f"The target principal {member} is not a member account of the organization.")
        resource = account_root_arn(member, self._partition)
        check_allowed(
            self._world,
            caller,
            "sts:AssumeRoot",
            resource,
            {"sts:TaskPolicyArn": task_arn},
            # (judgment) The root user has no resource policy: the caller's own policies decide, as for
            # an action in its account.
            None,
            account,
        )
        task = self._world.store(member).policies.managed_policy_document(task_arn)
        template = Caller(
            CallerKind.ROOT_SESSION,
            Principal.root(member, self._partition),
            session_policies=(task,),
            source_identity=caller.source_identity,
        )
        return AssumeRootResult(self._issue(template, duration), caller.source_identity)

    def _member(self, target_principal: object) -> str:
        """The account ``TargetPrincipal`` names: an account id or its root user's ARN."""
        if not isinstance(target_principal, str):
            raise validation_error(target_principal, "targetPrincipal", "Member must be a string")
        check_length(target_principal, "targetPrincipal", 12, 2048)
        candidate = target_principal
        parsed = Arn.try_parse(target_principal)
        if parsed is not None and target_principal == account_root_arn(parsed.account, self._partition):
            candidate = parsed.account
        if not is_account_id(candidate):
            raise ValidationError(
                f"TargetPrincipal {target_principal} is not a member account ID or a member account's root user ARN."
            )
        return candidate

    def _task_policy(self, task_policy_arn: object) -> str:
        """``TaskPolicyArn``: one of the five root-task policies, in the simulator's partition."""
        allowed = [aws_managed_policy_arn(self._partition, "/root-task/", name) for name in sorted(TASK_POLICIES)]
        if not isinstance(task_policy_arn, str) or task_policy_arn not in allowed:
            raise ValidationError(
                f"TaskPolicyArn {task_policy_arn} is not one of the AWS managed root-task policies "
                f"({', '.join(allowed)})."
            )
        return task_policy_arn
