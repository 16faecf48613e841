"""The composition root: a simulated AWS world with IAM, STS, Organizations and EC2 instance roles.

A :class:`Simulator` owns everything it simulates (no global state). It is
composed of parts with one job each (see ``docs/architecture.md``), wired
together by :class:`~iamsim._simulator.core.Core`: the world's state
(:mod:`.state`), evaluation and its caches (:mod:`.decisions`), authentication
(:mod:`.auth`), STS (:mod:`iamsim._sts.service`), the event log (:mod:`.events`)
and one re-entrant lock every public method holds, so concurrent callers see a
consistent world. Snapshots (:mod:`.snapshot`) read and replace the parts.

The AWS operations are grouped as boto3 groups them, ``sim.iam``, ``sim.sts``,
``sim.ec2`` and ``sim.organizations``; each is also reachable by its flat name
(``sim.create_role``), which is the namespace's own method, not a copy.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from iamsim._clock import Clock, SystemClock
from iamsim._simulator.access import Access
from iamsim._simulator.core import Core
from iamsim._simulator.ec2 import Ec2Operations, Instance
from iamsim._simulator.events import Event, render_mermaid
from iamsim._simulator.forward import Forward
from iamsim._simulator.iam import IamOperations
from iamsim._simulator.matrix import Matrices
from iamsim._simulator.options import check_simulator_options
from iamsim._simulator.organizations import OrganizationOperations
from iamsim._simulator.resources import ResourceOperations
from iamsim._simulator.snapshot import dump_world, load_world, read_snapshot, snapshot_identity, write_atomically
from iamsim._simulator.sts_api import StsOperations
from iamsim._simulator.world_file import apply_world, default_account_of, read_world_data
from iamsim._store.organization import Organization
from iamsim.errors import SnapshotFormatError, UsageError

__all__ = ["Event", "Instance", "Simulator"]


class Simulator:
    """A simulated AWS world.

    ``seed`` fixes every id the simulator draws (seed 0 when not given) and,
    when given, the key of its session tokens, so their text is reproducible
    too; without a seed that key is random, so no other simulator accepts or
    forges this one's tokens. ``clock`` defaults to the
    wall clock read at each call (so freezegun and time-machine move it);
    ``account_id`` is the account methods use when given no ``account_id``;
    ``partition`` (``aws``, ``aws-cn`` or ``aws-us-gov``; anything else is a
    ``ValueError``) is in every ARN the simulator builds, AWS managed policy
    ARNs included.

    AWS operations are in the namespaces :attr:`iam`, :attr:`sts`, :attr:`ec2`
    and :attr:`organizations`, named as boto3 names them in snake_case; every
    one is also a method of the simulator itself under the same name.
    """

    #: IAM operations (``sim.iam.create_role(...)``).
    iam: IamOperations
    #: STS operations (``sim.sts.assume_role(...)``).
    sts: StsOperations
    #: EC2 instances and the instance metadata service (``sim.ec2.run_instance(...)``).
    ec2: Ec2Operations
    #: Accounts and AWS Organizations (``sim.organizations.create_organization(...)``).
    organizations: OrganizationOperations
    #: Other services' resources as authorization sees them: policies, tags, owners (``sim.resources.put_policy``).
    resources: ResourceOperations

    def __init__(
        self,
        *,
        seed: int | None = None,
        clock: Clock | None = None,
        account_id: str = "123456789012",
        partition: str = "aws",
        event_limit: int = 10_000,
    ) -> None:
        check_simulator_options(
            seed=seed, clock=clock, account_id=account_id, partition=partition, event_limit=event_limit
        )
        self._core = Core(
            seed=seed, clock=clock or SystemClock(), account_id=account_id, partition=partition, event_limit=event_limit
        )
        self._access = Access(self._core)
        self._matrices = Matrices(self._core)
        self.iam = IamOperations(self._core)
        self.sts = StsOperations(self._core)
        self.ec2 = Ec2Operations(self._core)
        self.organizations = OrganizationOperations(self._core)
        self.resources = ResourceOperations(self._core)

    @property
    def clock(self) -> Clock:
        """The simulator's clock."""
        return self._core.state.clock

    @property
    def seed(self) -> int:
        """The seed the simulator draws its ids from (0 when none was given)."""
        return self._core.state.seed

    @property
    def partition(self) -> str:
        """The AWS partition of this world (``aws``, ``aws-cn`` or ``aws-us-gov``): the one in every ARN it builds."""
        return self._core.state.partition

    @property
    def default_account(self) -> str:
        """The account methods act on when given no ``account_id``."""
        return self._core.state.default_account

    @property
    def organization(self) -> Organization | None:
        """The organization, if one was created (same as ``sim.organizations.organization``)."""
        return self.organizations.organization

    def locked(self) -> AbstractContextManager[bool]:
        """Hold the simulator's (re-entrant) lock for a compound operation.

        Every public method takes it already; integrations that read several
        things at once (a wire handler listing keys, say) hold it around the
        whole operation so concurrent writers cannot interleave.
        """
        return self._core.lock

    # Access
    issued_secret = Forward("_access", Access.issued_secret)
    authenticate = Forward("_access", Access.authenticate)
    root_credentials = Forward("_access", Access.root_credentials)
    authorize = Forward("_access", Access.authorize)
    is_allowed = Forward("_access", Access.is_allowed)
    explain = Forward("_access", Access.explain)
    evaluate = Forward("_access", Access.evaluate)
    mfa_code = Forward("_access", Access.mfa_code)
    register_jwks = Forward("_access", Access.register_jwks)
    outbound_web_identity_jwks = Forward("_access", Access.outbound_web_identity_jwks)
    create_test_identity_provider = Forward("_access", Access.create_test_identity_provider)
    create_test_saml_provider = Forward("_access", Access.create_test_saml_provider)
    register_delegation_policy_template = Forward("_access", Access.register_delegation_policy_template)
    delegation_token_notices = Forward("_access", Access.delegation_token_notices)
    # IamOperations
    create_user = Forward("iam", IamOperations.create_user)
    get_user = Forward("iam", IamOperations.get_user)
    list_users = Forward("iam", IamOperations.list_users)
    delete_user = Forward("iam", IamOperations.delete_user)
    tag_user = Forward("iam", IamOperations.tag_user)
    untag_user = Forward("iam", IamOperations.untag_user)
    put_user_permissions_boundary = Forward("iam", IamOperations.put_user_permissions_boundary)
    delete_user_permissions_boundary = Forward("iam", IamOperations.delete_user_permissions_boundary)
    create_group = Forward("iam", IamOperations.create_group)
    get_group = Forward("iam", IamOperations.get_group)
    list_groups = Forward("iam", IamOperations.list_groups)
    list_groups_for_user = Forward("iam", IamOperations.list_groups_for_user)
    add_user_to_group = Forward("iam", IamOperations.add_user_to_group)
    remove_user_from_group = Forward("iam", IamOperations.remove_user_from_group)
    delete_group = Forward("iam", IamOperations.delete_group)
    create_role = Forward("iam", IamOperations.create_role)
    get_role = Forward("iam", IamOperations.get_role)
    list_roles = Forward("iam", IamOperations.list_roles)
    update_role = Forward("iam", IamOperations.update_role)
    update_assume_role_policy = Forward("iam", IamOperations.update_assume_role_policy)
    tag_role = Forward("iam", IamOperations.tag_role)
    untag_role = Forward("iam", IamOperations.untag_role)
    put_role_permissions_boundary = Forward("iam", IamOperations.put_role_permissions_boundary)
    delete_role_permissions_boundary = Forward("iam", IamOperations.delete_role_permissions_boundary)
    delete_role = Forward("iam", IamOperations.delete_role)
    put_user_policy = Forward("iam", IamOperations.put_user_policy)
    put_group_policy = Forward("iam", IamOperations.put_group_policy)
    put_role_policy = Forward("iam", IamOperations.put_role_policy)
    get_user_policy = Forward("iam", IamOperations.get_user_policy)
    get_group_policy = Forward("iam", IamOperations.get_group_policy)
    get_role_policy = Forward("iam", IamOperations.get_role_policy)
    list_user_policies = Forward("iam", IamOperations.list_user_policies)
    list_group_policies = Forward("iam", IamOperations.list_group_policies)
    list_role_policies = Forward("iam", IamOperations.list_role_policies)
    delete_user_policy = Forward("iam", IamOperations.delete_user_policy)
    delete_group_policy = Forward("iam", IamOperations.delete_group_policy)
    delete_role_policy = Forward("iam", IamOperations.delete_role_policy)
    create_policy = Forward("iam", IamOperations.create_policy)
    get_policy = Forward("iam", IamOperations.get_policy)
    list_policies = Forward("iam", IamOperations.list_policies)
    delete_policy = Forward("iam", IamOperations.delete_policy)
    create_policy_version = Forward("iam", IamOperations.create_policy_version)
    get_policy_version = Forward("iam", IamOperations.get_policy_version)
    list_policy_versions = Forward("iam", IamOperations.list_policy_versions)
    set_default_policy_version = Forward("iam", IamOperations.set_default_policy_version)
    delete_policy_version = Forward("iam", IamOperations.delete_policy_version)
    attach_user_policy = Forward("iam", IamOperations.attach_user_policy)
    attach_group_policy = Forward("iam", IamOperations.attach_group_policy)
    attach_role_policy = Forward("iam", IamOperations.attach_role_policy)
    detach_user_policy = Forward("iam", IamOperations.detach_user_policy)
    detach_group_policy = Forward("iam", IamOperations.detach_group_policy)
    detach_role_policy = Forward("iam", IamOperations.detach_role_policy)
    list_attached_user_policies = Forward("iam", IamOperations.list_attached_user_policies)
    list_attached_group_policies = Forward("iam", IamOperations.list_attached_group_policies)
    list_attached_role_policies = Forward("iam", IamOperations.list_attached_role_policies)
    create_access_key = Forward("iam", IamOperations.create_access_key)
    update_access_key = Forward("iam", IamOperations.update_access_key)
    delete_access_key = Forward("iam", IamOperations.delete_access_key)
    list_access_keys = Forward("iam", IamOperations.list_access_keys)
    create_instance_profile = Forward("iam", IamOperations.create_instance_profile)
    get_instance_profile = Forward("iam", IamOperations.get_instance_profile)
    list_instance_profiles_for_role = Forward("iam", IamOperations.list_instance_profiles_for_role)
    add_role_to_instance_profile = Forward("iam", IamOperations.add_role_to_instance_profile)
    remove_role_from_instance_profile = Forward("iam", IamOperations.remove_role_from_instance_profile)
    delete_instance_profile = Forward("iam", IamOperations.delete_instance_profile)
    create_account_alias = Forward("iam", IamOperations.create_account_alias)
    delete_account_alias = Forward("iam", IamOperations.delete_account_alias)
    list_account_aliases = Forward("iam", IamOperations.list_account_aliases)
    create_open_id_connect_provider = Forward("iam", IamOperations.create_open_id_connect_provider)
    list_open_id_connect_providers = Forward("iam", IamOperations.list_open_id_connect_providers)
    delete_open_id_connect_provider = Forward("iam", IamOperations.delete_open_id_connect_provider)
    add_client_id_to_open_id_connect_provider = Forward("iam", IamOperations.add_client_id_to_open_id_connect_provider)
    remove_client_id_from_open_id_connect_provider = Forward(
        "iam", IamOperations.remove_client_id_from_open_id_connect_provider
    )
    update_open_id_connect_provider_thumbprint = Forward(
        "iam", IamOperations.update_open_id_connect_provider_thumbprint
    )
    update_user = Forward("iam", IamOperations.update_user)
    update_group = Forward("iam", IamOperations.update_group)
    create_login_profile = Forward("iam", IamOperations.create_login_profile)
    get_login_profile = Forward("iam", IamOperations.get_login_profile)
    update_login_profile = Forward("iam", IamOperations.update_login_profile)
    delete_login_profile = Forward("iam", IamOperations.delete_login_profile)
    update_account_password_policy = Forward("iam", IamOperations.update_account_password_policy)
    get_account_password_policy = Forward("iam", IamOperations.get_account_password_policy)
    delete_account_password_policy = Forward("iam", IamOperations.delete_account_password_policy)
    tag_resource = Forward("iam", IamOperations.tag_resource)
    untag_resource = Forward("iam", IamOperations.untag_resource)
    create_saml_provider = Forward("iam", IamOperations.create_saml_provider)
    get_saml_provider = Forward("iam", IamOperations.get_saml_provider)
    list_saml_providers = Forward("iam", IamOperations.list_saml_providers)
    update_saml_provider = Forward("iam", IamOperations.update_saml_provider)
    delete_saml_provider = Forward("iam", IamOperations.delete_saml_provider)
    list_virtual_mfa_devices = Forward("iam", IamOperations.list_virtual_mfa_devices)
    resync_mfa_device = Forward("iam", IamOperations.resync_mfa_device)
    create_virtual_mfa_device = Forward("iam", IamOperations.create_virtual_mfa_device)
    enable_mfa_device = Forward("iam", IamOperations.enable_mfa_device)
    deactivate_mfa_device = Forward("iam", IamOperations.deactivate_mfa_device)
    delete_virtual_mfa_device = Forward("iam", IamOperations.delete_virtual_mfa_device)
    get_account_summary = Forward("iam", IamOperations.get_account_summary)
    create_service_linked_role = Forward("iam", IamOperations.create_service_linked_role)
    delete_service_linked_role = Forward("iam", IamOperations.delete_service_linked_role)
    get_service_linked_role_deletion_status = Forward("iam", IamOperations.get_service_linked_role_deletion_status)
    upload_server_certificate = Forward("iam", IamOperations.upload_server_certificate)
    get_server_certificate = Forward("iam", IamOperations.get_server_certificate)
    list_server_certificates = Forward("iam", IamOperations.list_server_certificates)
    update_server_certificate = Forward("iam", IamOperations.update_server_certificate)
    delete_server_certificate = Forward("iam", IamOperations.delete_server_certificate)
    tag_server_certificate = Forward("iam", IamOperations.tag_server_certificate)
    untag_server_certificate = Forward("iam", IamOperations.untag_server_certificate)
    list_server_certificate_tags = Forward("iam", IamOperations.list_server_certificate_tags)
    upload_signing_certificate = Forward("iam", IamOperations.upload_signing_certificate)
    list_signing_certificates = Forward("iam", IamOperations.list_signing_certificates)
    update_signing_certificate = Forward("iam", IamOperations.update_signing_certificate)
    delete_signing_certificate = Forward("iam", IamOperations.delete_signing_certificate)
    upload_ssh_public_key = Forward("iam", IamOperations.upload_ssh_public_key)
    get_ssh_public_key = Forward("iam", IamOperations.get_ssh_public_key)
    list_ssh_public_keys = Forward("iam", IamOperations.list_ssh_public_keys)
    update_ssh_public_key = Forward("iam", IamOperations.update_ssh_public_key)
    delete_ssh_public_key = Forward("iam", IamOperations.delete_ssh_public_key)
    create_service_specific_credential = Forward("iam", IamOperations.create_service_specific_credential)
    list_service_specific_credentials = Forward("iam", IamOperations.list_service_specific_credentials)
    reset_service_specific_credential = Forward("iam", IamOperations.reset_service_specific_credential)
    update_service_specific_credential = Forward("iam", IamOperations.update_service_specific_credential)
    delete_service_specific_credential = Forward("iam", IamOperations.delete_service_specific_credential)
    # StsOperations
    assume_role = Forward("sts", StsOperations.assume_role)
    assume_role_with_web_identity = Forward("sts", StsOperations.assume_role_with_web_identity)
    assume_role_with_saml = Forward("sts", StsOperations.assume_role_with_saml)
    get_session_token = Forward("sts", StsOperations.get_session_token)
    get_federation_token = Forward("sts", StsOperations.get_federation_token)
    get_caller_identity = Forward("sts", StsOperations.get_caller_identity)
    get_access_key_info = Forward("sts", StsOperations.get_access_key_info)
    decode_authorization_message = Forward("sts", StsOperations.decode_authorization_message)
    # Ec2Operations
    run_instance = Forward("ec2", Ec2Operations.run_instance)
    associate_iam_instance_profile = Forward("ec2", Ec2Operations.associate_iam_instance_profile)
    replace_iam_instance_profile_association = Forward("ec2", Ec2Operations.replace_iam_instance_profile_association)
    disassociate_iam_instance_profile = Forward("ec2", Ec2Operations.disassociate_iam_instance_profile)
    terminate_instance = Forward("ec2", Ec2Operations.terminate_instance)
    describe_instance = Forward("ec2", Ec2Operations.describe_instance)
    instance_credentials = Forward("ec2", Ec2Operations.instance_credentials)
    # OrganizationOperations
    add_account = Forward("organizations", OrganizationOperations.add_account)
    accounts = Forward("organizations", OrganizationOperations.accounts)
    create_organization = Forward("organizations", OrganizationOperations.create_organization)
    invite_account = Forward("organizations", OrganizationOperations.invite_account)
    create_organizational_unit = Forward("organizations", OrganizationOperations.create_organizational_unit)
    move_account = Forward("organizations", OrganizationOperations.move_account)
    create_organization_policy = Forward("organizations", OrganizationOperations.create_organization_policy)
    attach_organization_policy = Forward("organizations", OrganizationOperations.attach_organization_policy)
    detach_organization_policy = Forward("organizations", OrganizationOperations.detach_organization_policy)
    delete_organization_policy = Forward("organizations", OrganizationOperations.delete_organization_policy)

    access_matrix = Forward("_matrices", Matrices.access_matrix)

    # -------------------------------------------------------------- event log

    def events(self) -> tuple[Event, ...]:
        """Every logged call and decision, oldest first."""
        with self._core.lock:
            return tuple(self._core.events)

    def clear_events(self) -> None:
        """Forget the logged events."""
        with self._core.lock:
            self._core.events.clear()

    def mermaid(self, *, title: str | None = None, since: int = 0) -> str:
        """The event log (events numbered above ``since``) as a Mermaid sequence diagram."""
        if isinstance(since, bool) or not isinstance(since, int):
            raise UsageError(f"since must be an event number, not {since!r}")
        with self._core.lock:
            return render_mermaid(self._core.events.since(since), title=title)

    # --------------------------------------------------------------- snapshot

    def to_json(self) -> str:
        """The whole world as canonical, versioned JSON."""
        with self._core.lock:
            return dump_world(self._core)

    def snapshot(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_json` to ``path`` atomically (temporary file, then ``os.replace``)."""
        with self._core.lock:
            write_atomically(path, dump_world(self._core))

    @classmethod
    def from_json(cls, text: str, *, clock: Clock | None = None) -> Simulator:
        """A simulator holding the world in ``text`` (from :meth:`to_json`).

        The seed and the session-token key come from the snapshot, so session
        tokens issued before the snapshot still open.
        """
        seed, partition, event_limit = snapshot_identity(text)
        try:
            sim = cls(seed=seed, clock=clock, partition=partition, event_limit=event_limit)
        except UsageError as error:
            # The arguments came from the file, not from the caller.
            raise SnapshotFormatError(f"malformed snapshot: {error}") from None
        load_world(sim._core, text)
        return sim

    @classmethod
    def restore(cls, path: str | os.PathLike[str], *, clock: Clock | None = None) -> Simulator:
        """A simulator holding the world snapshotted at ``path``."""
        return cls.from_json(read_snapshot(path), clock=clock)

    @classmethod
    def from_world(
        cls,
        data: Any,
        *,
        base_dir: str | os.PathLike[str] = ".",
        origin: str = "world",
        seed: int | None = None,
        clock: Clock | None = None,
    ) -> Simulator:
        """A simulator holding the world a decoded world file describes (see :mod:`iamsim._simulator.world_file`).

        Policy file names in ``data`` are relative to ``base_dir``; errors are
        :class:`~iamsim.errors.InvalidInputError` naming ``origin`` and the place.
        """
        account = default_account_of(data)
        sim = cls(seed=seed, clock=clock) if account is None else cls(seed=seed, clock=clock, account_id=account)
        apply_world(sim, data, base_dir=Path(base_dir), origin=origin)
        return sim

    @classmethod
    def from_world_file(
        cls, path: str | os.PathLike[str], *, seed: int | None = None, clock: Clock | None = None
    ) -> Simulator:
        """A simulator holding the world described by the YAML or JSON world file at ``path``."""
        file = Path(path)
        return cls.from_world(read_world_data(file), base_dir=file.parent, origin=str(file), seed=seed, clock=clock)
