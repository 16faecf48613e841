"""EC2 instances with instance profiles, as the seed tutorial uses them.

Code on an instance gets its role's credentials from the instance metadata
service: EC2 (the service principal ``ec2.amazonaws.com``) assumes the role
with the instance id as session name, which is not role chaining and is not
limited by MaxSessionDuration (§G.1). New credentials are handed out at
least five minutes before the old ones expire; replacing the instance's
profile means the old role's credentials are no longer issued (those already
issued stay valid until they expire, as in AWS).

Called with ``caller=``, an operation is authorized as AWS authorizes it: the
EC2 action on the instance, and ``iam:PassRole`` on the profile's role with
``iam:PassedToService`` ``ec2.amazonaws.com`` and ``iam:AssociatedResourceARN``
the instance (EC2 User Guide, "Grant permissions to attach an IAM role to an
instance"). Without it the call is an administrator's, as in a test's set-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TypeVar

from iamsim._arn import ec2_instance_arn, home_region
from iamsim._simulator.auth import Who
from iamsim._simulator.core import Core
from iamsim._sts.authorization_message import encode_authorization_message
from iamsim._sts.credentials import Credentials
from iamsim.errors import InvalidInputError, NoSuchEntityError, ServiceError, UnauthorizedOperationError

__all__ = ["Ec2Operations", "Instance"]

_REFRESH_BEFORE = timedelta(minutes=5)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Instance:
    """An EC2 instance and the instance profile associated with it (``None`` for none)."""

    instance_id: str
    account_id: str
    instance_profile: str | None = None
    state: str = "running"


class Ec2Operations:
    """RunInstances, instance profile associations and the metadata service's credentials."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def _instance(self, instance_id: str) -> Instance:
        instance = self._core.state.instances.get(instance_id)
        if instance is None or instance.state != "running":
            raise NoSuchEntityError(f"The instance ID '{instance_id}' does not exist")
        return instance

    def _instance_arn(self, account: str, instance_id: str) -> str:
        # Instances run in the partition's home region: us-east-1, cn-north-1 or us-gov-west-1.
        return ec2_instance_arn(
            self._core.state.partition, home_region(self._core.state.partition), account, instance_id
        )

    def _launch_account(self, caller: Who | None, account_id: str | None) -> str:
        """Where an instance is launched: ``account_id``, else the caller's account, else the default one."""
        if account_id is None and caller is not None:
            account = self._core.auth.caller(caller).account
            if account is not None:
                return account
        return self._core.state.account(account_id)

    def _actor(self, caller: Who | None) -> str:
        if caller is None:
            return "admin"
        try:
            return self._core.auth.caller(caller).principal.arn
        except ServiceError:
            # Raised again inside the logged call, where it is recorded with its code.
            return "unknown caller"

    def _call(self, caller: Who | None, operation: str, subject: str, run: Callable[[], T]) -> T:
        """Run the EC2 operation ``run`` under the lock, logged as ``caller``'s (the administrator's without one)."""
        with self._core.lock:
            # Under the lock: naming the caller authenticates it against the world the call then sees.
            return self._core.call(self._actor(caller), "EC2", operation, subject, run)

    def _require(
        self,
        caller: Who | None,
        account: str,
        action: str,
        resource: str,
        context: Mapping[str, object] | None = None,
    ) -> None:
        """Authorize ``action`` on ``resource`` for ``caller`` (nothing for an administrator's call)."""
        if caller is None:
            return
        result = self._core.evaluate(
            self._core.auth.caller(caller),
            action,
            resource,
            context=context or {},
            resource_policy=None,
            resource_account=account,
        )
        if not result.allowed:
            # EC2 answers UnauthorizedOperation with an encoded authorization message (§G.8).
            raise UnauthorizedOperationError(result, encode_authorization_message(self._core.token_material, result))

    def _require_pass_role(self, caller: Who | None, account: str, profile_name: str, instance_arn: str) -> None:
        """``iam:PassRole`` on the role of the profile, passed to EC2 for the instance (nothing without a role)."""
        if caller is None:
            return
        profile = self._core.store(account).instance_profiles.get_instance_profile(profile_name)
        if not profile.roles:
            return
        role = self._core.store(account).roles.get_role(profile.roles[0])
        context = {"iam:PassedToService": "ec2.amazonaws.com", "iam:AssociatedResourceARN": instance_arn}
        self._require(caller, account, "iam:PassRole", role.arn, context)

    def run_instance(
        self, *, instance_profile: str | None = None, account_id: str | None = None, caller: Who | None = None
    ) -> str:
        """Launch an instance, optionally with an instance profile (by name); return its id.

        With ``caller``: ``ec2:RunInstances`` on ``instance/*`` and, with a
        profile whose role is set, ``iam:PassRole`` on that role; the instance
        goes to the caller's account unless ``account_id`` names another.
        """

        def run() -> str:
            account = self._launch_account(caller, account_id)
            any_instance = self._instance_arn(account, "*")
            self._require(caller, account, "ec2:RunInstances", any_instance)
            if instance_profile is not None:
                self._core.store(account).instance_profiles.get_instance_profile(instance_profile)
                self._require_pass_role(caller, account, instance_profile, any_instance)
            instance_id = "i-" + "".join(self._core.state.rng.choice("0123456789abcdef") for _ in range(17))
            self._core.state.instances[instance_id] = Instance(instance_id, account, instance_profile)
            return instance_id

        return self._call(caller, "RunInstances", instance_profile or "", run)

    def associate_iam_instance_profile(
        self, instance_id: str, instance_profile: str, *, caller: Who | None = None
    ) -> None:
        """AssociateIamInstanceProfile: the instance must have none yet (``caller``: authorized, with PassRole)."""
        self._set_profile("AssociateIamInstanceProfile", instance_id, instance_profile, caller, replacing=False)

    def replace_iam_instance_profile_association(
        self, instance_id: str, instance_profile: str, *, caller: Who | None = None
    ) -> None:
        """ReplaceIamInstanceProfileAssociation ("Modify IAM role" in the console; ``caller``: with PassRole)."""
        self._set_profile("ReplaceIamInstanceProfileAssociation", instance_id, instance_profile, caller, replacing=True)

    def _set_profile(
        self, operation: str, instance_id: str, instance_profile: str, caller: Who | None, *, replacing: bool
    ) -> None:
        """Give the instance ``instance_profile``: ``ec2:<operation>`` on it, the profile must exist, PassRole.

        Associating refuses an instance that has a profile already; replacing does not.
        """

        def run() -> None:
            instance = self._instance(instance_id)
            arn = self._instance_arn(instance.account_id, instance_id)
            self._require(caller, instance.account_id, f"ec2:{operation}", arn)
            if not replacing and instance.instance_profile is not None:
                raise InvalidInputError(f"There is an existing association for instance {instance_id}")
            self._core.store(instance.account_id).instance_profiles.get_instance_profile(instance_profile)
            self._require_pass_role(caller, instance.account_id, instance_profile, arn)
            self._core.state.instances[instance_id] = replace(instance, instance_profile=instance_profile)

        self._call(caller, operation, f"{instance_profile} -> {instance_id}", run)

    def disassociate_iam_instance_profile(self, instance_id: str, *, caller: Who | None = None) -> None:
        """DisassociateIamInstanceProfile (``caller``: ``ec2:DisassociateIamInstanceProfile`` on the instance)."""

        def run() -> None:
            instance = self._instance(instance_id)
            arn = self._instance_arn(instance.account_id, instance_id)
            self._require(caller, instance.account_id, "ec2:DisassociateIamInstanceProfile", arn)
            self._core.state.instances[instance_id] = replace(instance, instance_profile=None)

        self._call(caller, "DisassociateIamInstanceProfile", instance_id, run)

    def terminate_instance(self, instance_id: str, *, caller: Who | None = None) -> None:
        """TerminateInstances for one instance (``caller``: ``ec2:TerminateInstances`` on it)."""

        def run() -> None:
            instance = self._instance(instance_id)
            self._require(
                caller,
                instance.account_id,
                "ec2:TerminateInstances",
                self._instance_arn(instance.account_id, instance_id),
            )
            self._core.state.instances[instance_id] = replace(instance, state="terminated", instance_profile=None)
            self._core.state.instance_credentials.pop(instance_id, None)

        self._call(caller, "TerminateInstances", instance_id, run)

    def describe_instance(self, instance_id: str) -> Instance:
        """The instance record."""
        with self._core.lock:
            instance = self._core.state.instances.get(instance_id)
            if instance is None:
                raise NoSuchEntityError(f"The instance ID '{instance_id}' does not exist")
            return instance

    def instance_credentials(self, instance_id: str) -> Credentials:
        """The role credentials code on the instance reads from the metadata service.

        Raises ``NoSuchEntityError`` when the instance has no profile or the
        profile no role, and ``AccessDeniedError`` when the role's trust
        policy does not let ``ec2.amazonaws.com`` assume it.
        """

        def run() -> Credentials:
            instance = self._instance(instance_id)
            if instance.instance_profile is None:
                raise NoSuchEntityError(f"No instance profile is associated with instance {instance_id}.")
            store = self._core.store(instance.account_id)
            profile = store.instance_profiles.get_instance_profile(instance.instance_profile)
            if not profile.roles:
                raise NoSuchEntityError(f"Instance profile {profile.name} has no role.")
            role = store.roles.get_role(profile.roles[0])
            cached = self._core.state.instance_credentials.get(instance_id)
            now = self._core.state.clock.now()
            if (
                cached is not None
                and cached[0] == role.role_id
                and cached[1].expiration is not None
                and now < cached[1].expiration - _REFRESH_BEFORE
            ):
                return cached[1]
            credentials = self._core.sts.instance_role_credentials(instance.account_id, role.name, instance_id)
            self._core.state.instance_credentials[instance_id] = (role.role_id, credentials)
            return credentials

        with self._core.lock:
            return self._core.call(f"instance {instance_id}", "EC2 metadata", "GetRoleCredentials", instance_id, run)
