"""EC2 instances with instance profiles, as the seed tutorial uses them.

Code on an instance gets its role's credentials from the instance metadata
service: EC2 (the service principal ``ec2.amazonaws.com``) assumes the role
with the instance id as session name, which is not role chaining and is not
limited by MaxSessionDuration (§G.1). New credentials are handed out at
least five minutes before the old ones expire; replacing the instance's
profile means the old role's credentials are no longer issued (those already
issued stay valid until they expire, as in AWS).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from iamsim._simulator.world import World
from iamsim._sts.credentials import Credentials
from iamsim.errors import InvalidInputError, NoSuchEntityError

__all__ = ["Ec2Operations", "Instance"]

_REFRESH_BEFORE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Instance:
    """An EC2 instance and the instance profile associated with it (``None`` for none)."""

    instance_id: str
    account_id: str
    instance_profile: str | None = None
    state: str = "running"


class Ec2Operations(World):
    """RunInstances, instance profile associations and the metadata service's credentials."""

    _instances: dict[str, Instance]
    _instance_credentials: dict[str, tuple[str, Credentials]]

    def _instance(self, instance_id: str) -> Instance:
        instance = self._instances.get(instance_id)
        if instance is None or instance.state != "running":
            raise NoSuchEntityError(f"The instance ID '{instance_id}' does not exist")
        return instance

    def run_instance(self, *, instance_profile: str | None = None, account_id: str | None = None) -> str:
        """Launch an instance, optionally with an instance profile (by name); return its id."""
        account = self._account(account_id)

        def run() -> str:
            if instance_profile is not None:
                self.store(account).get_instance_profile(instance_profile)
            instance_id = "i-" + "".join(self._rng.choice("0123456789abcdef") for _ in range(17))
            self._instances[instance_id] = Instance(instance_id, account, instance_profile)
            return instance_id

        return self._call("admin", "EC2", "RunInstances", instance_profile or "", run)

    def associate_iam_instance_profile(self, instance_id: str, instance_profile: str) -> None:
        """AssociateIamInstanceProfile: the instance must have none yet."""

        def run() -> None:
            instance = self._instance(instance_id)
            if instance.instance_profile is not None:
                raise InvalidInputError(f"There is an existing association for instance {instance_id}")
            self.store(instance.account_id).get_instance_profile(instance_profile)
            self._instances[instance_id] = replace(instance, instance_profile=instance_profile)

        self._call("admin", "EC2", "AssociateIamInstanceProfile", f"{instance_profile} -> {instance_id}", run)

    def replace_iam_instance_profile_association(self, instance_id: str, instance_profile: str) -> None:
        """ReplaceIamInstanceProfileAssociation ("Modify IAM role" in the console)."""

        def run() -> None:
            instance = self._instance(instance_id)
            self.store(instance.account_id).get_instance_profile(instance_profile)
            self._instances[instance_id] = replace(instance, instance_profile=instance_profile)

        self._call("admin", "EC2", "ReplaceIamInstanceProfileAssociation", f"{instance_profile} -> {instance_id}", run)

    def disassociate_iam_instance_profile(self, instance_id: str) -> None:
        """DisassociateIamInstanceProfile."""

        def run() -> None:
            instance = self._instance(instance_id)
            self._instances[instance_id] = replace(instance, instance_profile=None)

        self._call("admin", "EC2", "DisassociateIamInstanceProfile", instance_id, run)

    def terminate_instance(self, instance_id: str) -> None:
        """TerminateInstances for one instance."""

        def run() -> None:
            instance = self._instance(instance_id)
            self._instances[instance_id] = replace(instance, state="terminated", instance_profile=None)
            self._instance_credentials.pop(instance_id, None)

        self._call("admin", "EC2", "TerminateInstances", instance_id, run)

    def describe_instance(self, instance_id: str) -> Instance:
        """The instance record."""
        with self._lock:
            instance = self._instances.get(instance_id)
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
            store = self.store(instance.account_id)
            profile = store.get_instance_profile(instance.instance_profile)
            if not profile.roles:
                raise NoSuchEntityError(f"Instance profile {profile.name} has no role.")
            role = store.get_role(profile.roles[0])
            cached = self._instance_credentials.get(instance_id)
            now = self._clock.now()
            if (
                cached is not None
                and cached[0] == role.role_id
                and cached[1].expiration is not None
                and now < cached[1].expiration - _REFRESH_BEFORE
            ):
                return cached[1]
            credentials = self._sts.instance_role_credentials(instance.account_id, role.name, instance_id)
            self._instance_credentials[instance_id] = (role.role_id, credentials)
            return credentials

        with self._lock:
            return self._call(f"instance {instance_id}", "EC2 metadata", "GetRoleCredentials", instance_id, run)
