"""IAM operations on credentials, providers and account settings (§H): keys, MFA, login profiles, providers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from iamsim._simulator.iam_calls import IamCalls, tag_pairs
from iamsim._store.account import AccountStore
from iamsim._store.passwords import password_policy
from iamsim._store.records import (
    AccessKey,
    InstanceProfile,
    LoginProfile,
    MfaDevice,
    OidcProvider,
    PasswordPolicy,
    SamlProvider,
    User,
)
from iamsim._store.validation import TagsInput
from iamsim._sts.totp import consecutive_codes, generate_seed, seed_base32, seed_bytes
from iamsim.errors import InvalidAuthenticationCodeError, InvalidInputError, NoSuchEntityError

__all__ = ["TAGGABLE", "IamAccountOperations"]


class IamAccountOperations(IamCalls):
    """Access keys, instance profiles, aliases, OIDC and SAML providers, login profiles, password policy, MFA, tags."""

    # access keys
    def create_access_key(self, user_name: str | None = None, *, account_id: str | None = None) -> AccessKey:
        """CreateAccessKey (at most 2 per user; ``None``: the root user's own); the record carries the secret."""
        return self._core.iam(
            "CreateAccessKey", user_name or "root", account_id, lambda s: s.keys.create_access_key(user_name)
        )

    def update_access_key(
        self, user_name: str | None, access_key_id: str, status: str, *, account_id: str | None = None
    ) -> None:
        """UpdateAccessKey: ``Active`` or ``Inactive`` (an inactive key stops working at once)."""
        self._core.iam(
            "UpdateAccessKey",
            f"{access_key_id} {status}",
            account_id,
            lambda s: s.keys.update_access_key(user_name, access_key_id, status),
        )

    def delete_access_key(self, user_name: str | None, access_key_id: str, *, account_id: str | None = None) -> None:
        """DeleteAccessKey."""
        self._core.iam(
            "DeleteAccessKey", access_key_id, account_id, lambda s: s.keys.delete_access_key(user_name, access_key_id)
        )

    def list_access_keys(self, user_name: str | None = None, *, account_id: str | None = None) -> tuple[AccessKey, ...]:
        """ListAccessKeys (``None``: the root user's own)."""
        return self._core.read(account_id, lambda s: s.keys.list_access_keys(user_name))

    def get_access_key_last_used(self, access_key_id: str, *, account_id: str | None = None) -> AccessKey:
        """GetAccessKeyLastUsed: the account's key of that id (its user ``None``: the root user's).

        iamsim tracks no key use, so the answer is the one AWS gives a key never used.
        """
        with self._core.lock:
            account = self._core.state.account(account_id)
            found = self._core.state.find_access_key(access_key_id)
        if found is None or found[0] != account:
            raise NoSuchEntityError(f"The Access Key with id {access_key_id} cannot be found")
        return found[1]

    # instance profiles
    def create_instance_profile(
        self, instance_profile_name: str, *, path: str = "/", tags: TagsInput = None, account_id: str | None = None
    ) -> InstanceProfile:
        """CreateInstanceProfile."""
        return self._core.iam(
            "CreateInstanceProfile",
            instance_profile_name,
            account_id,
            lambda s: s.instance_profiles.create_instance_profile(
                instance_profile_name, path=path, tags=tag_pairs(tags)
            ),
        )

    def get_instance_profile(self, instance_profile_name: str, *, account_id: str | None = None) -> InstanceProfile:
        """GetInstanceProfile."""
        return self._core.read(account_id, lambda s: s.instance_profiles.get_instance_profile(instance_profile_name))

    def list_instance_profiles(
        self, *, path_prefix: str = "/", account_id: str | None = None
    ) -> tuple[InstanceProfile, ...]:
        """ListInstanceProfiles: those whose path starts with ``path_prefix``, sorted by name."""
        profiles = self._core.read(account_id, lambda s: s.instance_profiles.list_instance_profiles())
        return tuple(p for p in profiles if p.path.startswith(path_prefix))

    def list_instance_profiles_for_role(
        self, role_name: str, *, account_id: str | None = None
    ) -> tuple[InstanceProfile, ...]:
        """ListInstanceProfilesForRole."""
        return self._core.read(account_id, lambda s: s.instance_profiles.list_instance_profiles_for_role(role_name))

    def add_role_to_instance_profile(
        self, instance_profile_name: str, role_name: str, *, account_id: str | None = None
    ) -> None:
        """AddRoleToInstanceProfile (one role per profile)."""
        self._core.iam(
            "AddRoleToInstanceProfile",
            f"{role_name} -> {instance_profile_name}",
            account_id,
            lambda s: s.instance_profiles.add_role_to_instance_profile(instance_profile_name, role_name),
        )

    def remove_role_from_instance_profile(
        self, instance_profile_name: str, role_name: str, *, account_id: str | None = None
    ) -> None:
        """RemoveRoleFromInstanceProfile."""
        self._core.iam(
            "RemoveRoleFromInstanceProfile",
            f"{role_name} -> {instance_profile_name}",
            account_id,
            lambda s: s.instance_profiles.remove_role_from_instance_profile(instance_profile_name, role_name),
        )

    def delete_instance_profile(self, instance_profile_name: str, *, account_id: str | None = None) -> None:
        """DeleteInstanceProfile."""
        self._core.iam(
            "DeleteInstanceProfile",
            instance_profile_name,
            account_id,
            lambda s: s.instance_profiles.delete_instance_profile(instance_profile_name),
        )

    # account aliases
    def create_account_alias(self, account_alias: str, *, account_id: str | None = None) -> None:
        """CreateAccountAlias (aliases are unique across the simulator)."""

        def taken(alias: str) -> bool:
            return any(alias in s.settings.list_account_aliases() for s in self._core.state.stores.values())

        self._core.iam(
            "CreateAccountAlias",
            account_alias,
            account_id,
            lambda s: s.settings.create_account_alias(account_alias, taken),
        )

    def delete_account_alias(self, account_alias: str, *, account_id: str | None = None) -> None:
        """DeleteAccountAlias."""
        self._core.iam(
            "DeleteAccountAlias", account_alias, account_id, lambda s: s.settings.delete_account_alias(account_alias)
        )

    def list_account_aliases(self, *, account_id: str | None = None) -> tuple[str, ...]:
        """ListAccountAliases."""
        return self._core.read(account_id, lambda s: s.settings.list_account_aliases())

    # OIDC providers
    def create_open_id_connect_provider(
        self,
        url: str,
        client_ids: Sequence[str] = (),
        thumbprints: Sequence[str] = (),
        *,
        tags: TagsInput = None,
        context_provider: Mapping[str, Any] | None = None,
        identity_center_instance_arn: str | None = None,
        account_id: str | None = None,
    ) -> OidcProvider:
        """CreateOpenIDConnectProvider (``context_provider`` in botocore's ``ContextProvider`` member names)."""
        return self._core.iam(
            "CreateOpenIDConnectProvider",
            url,
            account_id,
            lambda s: s.providers.create_open_id_connect_provider(
                url,
                client_ids,
                thumbprints,
                tags=tag_pairs(tags),
                context_provider=context_provider,
                identity_center_instance_arn=identity_center_instance_arn,
            ),
        )

    def update_open_id_connect_provider(
        self,
        arn: str,
        *,
        context_provider: Mapping[str, Any] | None = None,
        identity_center_instance_arn: str | None = None,
        remove_context_provider: bool = False,
        remove_identity_center_instance: bool = False,
        account_id: str | None = None,
    ) -> None:
        """UpdateOpenIDConnectProvider: set or remove one of its trusted identity propagation settings (§H.5)."""
        self._core.iam(
            "UpdateOpenIDConnectProvider",
            arn,
            account_id,
            lambda s: s.providers.configure_open_id_connect_provider(
                arn,
                context_provider=context_provider,
                identity_center_instance_arn=identity_center_instance_arn,
                remove_context_provider=remove_context_provider,
                remove_identity_center_instance=remove_identity_center_instance,
            ),
        )

    def get_open_id_connect_provider(self, arn: str, *, account_id: str | None = None) -> OidcProvider:
        """GetOpenIDConnectProvider."""
        return self._core.read(account_id, lambda s: s.providers.get_open_id_connect_provider(arn))

    def list_open_id_connect_providers(self, *, account_id: str | None = None) -> tuple[OidcProvider, ...]:
        """ListOpenIDConnectProviders."""
        return self._core.read(account_id, lambda s: s.providers.list_open_id_connect_providers())

    def delete_open_id_connect_provider(self, arn: str, *, account_id: str | None = None) -> None:
        """DeleteOpenIDConnectProvider."""
        self._core.iam(
            "DeleteOpenIDConnectProvider", arn, account_id, lambda s: s.providers.delete_open_id_connect_provider(arn)
        )

    def add_client_id_to_open_id_connect_provider(
        self, arn: str, client_id: str, *, account_id: str | None = None
    ) -> None:
        """AddClientIDToOpenIDConnectProvider (adding a present id changes nothing)."""
        self._core.iam(
            "AddClientIDToOpenIDConnectProvider",
            arn,
            account_id,
            lambda s: s.providers.update_open_id_connect_provider(arn, add_client_id=client_id),
        )

    def remove_client_id_from_open_id_connect_provider(
        self, arn: str, client_id: str, *, account_id: str | None = None
    ) -> None:
        """RemoveClientIDFromOpenIDConnectProvider (removing an absent id changes nothing)."""
        self._core.iam(
            "RemoveClientIDFromOpenIDConnectProvider",
            arn,
            account_id,
            lambda s: s.providers.update_open_id_connect_provider(arn, remove_client_id=client_id),
        )

    def update_open_id_connect_provider_thumbprint(
        self, arn: str, thumbprints: Sequence[str], *, account_id: str | None = None
    ) -> None:
        """UpdateOpenIDConnectProviderThumbprint: replaces the thumbprint list (at most 5)."""
        self._core.iam(
            "UpdateOpenIDConnectProviderThumbprint",
            arn,
            account_id,
            lambda s: s.providers.update_open_id_connect_provider(arn, thumbprints=thumbprints),
        )

    # login profiles and the password policy
    def create_login_profile(
        self,
        user_name: str | None,
        password: str,
        *,
        password_reset_required: bool = False,
        account_id: str | None = None,
    ) -> LoginProfile:
        """CreateLoginProfile (the password must satisfy the account password policy; the root user has none)."""

        def run(store: AccountStore) -> LoginProfile:
            user = store.users.create_login_profile(
                _login_user(user_name), password, password_reset_required=password_reset_required
            )
            return store.users.get_login_profile(user.name)[1]

        return self._core.iam("CreateLoginProfile", user_name or "root", account_id, run)

    def get_login_profile(self, user_name: str | None, *, account_id: str | None = None) -> tuple[User, LoginProfile]:
        """GetLoginProfile: the user and their login profile."""
        return self._core.read(account_id, lambda s: s.users.get_login_profile(_login_user(user_name)))

    def update_login_profile(
        self,
        user_name: str | None,
        *,
        password: str | None = None,
        password_reset_required: bool | None = None,
        account_id: str | None = None,
    ) -> None:
        """UpdateLoginProfile."""
        self._core.iam(
            "UpdateLoginProfile",
            user_name or "root",
            account_id,
            lambda s: s.users.update_login_profile(
                _login_user(user_name), password=password, password_reset_required=password_reset_required
            ),
        )

    def delete_login_profile(self, user_name: str | None, *, account_id: str | None = None) -> None:
        """DeleteLoginProfile."""
        self._core.iam(
            "DeleteLoginProfile",
            user_name or "root",
            account_id,
            lambda s: s.users.delete_login_profile(_login_user(user_name)),
        )

    def update_account_password_policy(self, /, *, account_id: str | None = None, **members: Any) -> PasswordPolicy:
        """UpdateAccountPasswordPolicy (snake_case members; omitted ones revert to IAM's defaults)."""
        policy = password_policy(**members)

        def run(store: AccountStore) -> PasswordPolicy:
            store.settings.update_account_password_policy(policy)
            return policy

        return self._core.iam("UpdateAccountPasswordPolicy", "", account_id, run)

    def get_account_password_policy(self, *, account_id: str | None = None) -> PasswordPolicy:
        """GetAccountPasswordPolicy."""
        return self._core.read(account_id, lambda s: s.settings.get_account_password_policy())

    def delete_account_password_policy(self, *, account_id: str | None = None) -> None:
        """DeleteAccountPasswordPolicy."""
        self._core.iam(
            "DeleteAccountPasswordPolicy", "", account_id, lambda s: s.settings.delete_account_password_policy()
        )

    # tags on policies, instance profiles, providers and MFA devices
    def tag_resource(self, kind: str, key: str, tags: TagsInput, *, account_id: str | None = None) -> None:
        """Tag<Kind> for ``kind`` in :data:`TAGGABLE` (a managed policy ARN, a profile name, a provider ARN
        or an MFA serial number); an existing key's value is overwritten."""
        tagger, suffix = TAGGABLE[kind]
        self._core.iam(f"Tag{suffix}", key, account_id, lambda s: tagger(s)(key, tag_pairs(tags) or ()))

    def untag_resource(self, kind: str, key: str, tag_keys: Sequence[str], *, account_id: str | None = None) -> None:
        """Untag<Kind> for ``kind`` in :data:`TAGGABLE`: drops ``tag_keys`` (compared case-insensitively)."""
        tagger, suffix = TAGGABLE[kind]
        self._core.iam(f"Untag{suffix}", key, account_id, lambda s: tagger(s)(key, (), remove=tag_keys))

    # SAML providers
    def create_saml_provider(
        self, name: str, metadata_document: str, *, tags: TagsInput = None, account_id: str | None = None
    ) -> SamlProvider:
        """CreateSAMLProvider."""
        return self._core.iam(
            "CreateSAMLProvider",
            name,
            account_id,
            lambda s: s.providers.create_saml_provider(name, metadata_document, tags=tag_pairs(tags)),
        )

    def get_saml_provider(self, arn: str, *, account_id: str | None = None) -> SamlProvider:
        """GetSAMLProvider."""
        return self._core.read(account_id, lambda s: s.providers.get_saml_provider(arn))

    def list_saml_providers(self, *, account_id: str | None = None) -> tuple[SamlProvider, ...]:
        """ListSAMLProviders."""
        return self._core.read(account_id, lambda s: s.providers.list_saml_providers())

    def update_saml_provider(self, arn: str, metadata_document: str, *, account_id: str | None = None) -> SamlProvider:
        """UpdateSAMLProvider."""
        return self._core.iam(
            "UpdateSAMLProvider", arn, account_id, lambda s: s.providers.update_saml_provider(arn, metadata_document)
        )

    def delete_saml_provider(self, arn: str, *, account_id: str | None = None) -> None:
        """DeleteSAMLProvider."""
        self._core.iam("DeleteSAMLProvider", arn, account_id, lambda s: s.providers.delete_saml_provider(arn))

    def _check_codes(self, device: MfaDevice, code_1: str, code_2: str, *, window: int) -> None:
        """Refuse codes that are not two consecutive codes of ``device`` within ``window`` steps of now."""
        if not consecutive_codes(seed_bytes(device.seed_base32), code_1, code_2, self._core.now(), window=window):
            raise InvalidAuthenticationCodeError("Authentication code for device is not valid.")

    # MFA listing and resync
    def list_virtual_mfa_devices(
        self, *, assignment_status: str = "Any", account_id: str | None = None
    ) -> tuple[MfaDevice, ...]:
        """ListVirtualMFADevices."""
        return self._core.read(account_id, lambda s: s.keys.list_virtual_mfa_devices(assignment_status))

    def resync_mfa_device(
        self,
        user_name: str,
        serial_number: str,
        authentication_code_1: str,
        authentication_code_2: str,
        *,
        account_id: str | None = None,
    ) -> None:
        """ResyncMFADevice: two consecutive codes of the user's device, within a wider window than enabling.

        A virtual device never drifts from the simulator's clock, so a successful
        resync changes nothing; wrong codes get ``InvalidAuthenticationCode``.
        """

        def run(store: AccountStore) -> None:
            device = store.keys.user_mfa_device(user_name, serial_number)
            self._check_codes(device, authentication_code_1, authentication_code_2, window=10)

        self._core.iam("ResyncMFADevice", serial_number, account_id, run)

    # MFA devices
    def create_virtual_mfa_device(self, name: str, *, path: str = "/", account_id: str | None = None) -> MfaDevice:
        """CreateVirtualMFADevice: a TOTP seed drawn from the simulator's seeded random source."""

        def run(store: AccountStore) -> MfaDevice:
            return store.keys.create_virtual_mfa_device(
                name, lambda: seed_base32(generate_seed(self._core.state.rng)), path=path
            )

        return self._core.iam("CreateVirtualMFADevice", name, account_id, run)

    def enable_mfa_device(
        self,
        user_name: str,
        serial_number: str,
        authentication_code_1: str,
        authentication_code_2: str,
        *,
        account_id: str | None = None,
    ) -> None:
        """EnableMFADevice: the two codes must be consecutive codes of the device."""

        def run(store: AccountStore) -> None:
            device = store.keys.get_mfa_device(serial_number)
            self._check_codes(device, authentication_code_1, authentication_code_2, window=1)
            store.keys.enable_mfa_device(user_name, serial_number)

        self._core.iam("EnableMFADevice", f"{serial_number} -> {user_name}", account_id, run)

    def deactivate_mfa_device(
        self, user_name: str | None, serial_number: str, *, account_id: str | None = None
    ) -> None:
        """DeactivateMFADevice (the root user's devices are not IAM's: ``None`` is AWS's ``InvalidInput``)."""
        if user_name is None:
            raise InvalidInputError("Must specify userName when calling with non-User credentials")
        self._core.iam(
            "DeactivateMFADevice",
            serial_number,
            account_id,
            lambda s: s.keys.deactivate_mfa_device(user_name, serial_number),
        )

    def list_mfa_devices(self, user_name: str | None = None, *, account_id: str | None = None) -> tuple[MfaDevice, ...]:
        """ListMFADevices: the user's enabled devices (``None``: the root user, who has none IAM lists)."""
        return () if user_name is None else self._core.read(account_id, lambda s: s.keys.list_mfa_devices(user_name))

    def delete_virtual_mfa_device(self, serial_number: str, *, account_id: str | None = None) -> None:
        """DeleteVirtualMFADevice."""
        self._core.iam(
            "DeleteVirtualMFADevice",
            serial_number,
            account_id,
            lambda s: s.keys.delete_virtual_mfa_device(serial_number),
        )

    # account summary
    def get_account_summary(self, *, account_id: str | None = None) -> dict[str, int]:
        """GetAccountSummary: entity counts and quotas of the account."""
        return self._core.read(account_id, lambda s: s.settings.account_summary())


def _login_user(user_name: str | None) -> str:
    """The user whose console password an operation acts on: the root user's is not IAM's (``NoSuchEntity``)."""
    if user_name is None:
        raise NoSuchEntityError("Login Profile for User root cannot be found.")
    return user_name


#: The tagging method of a store for one kind: ``(key, tags, *, remove=())``.
Tagger = Callable[..., None]

#: The taggable kinds beyond users and roles: the store family's tagging method and the operation name's suffix.
TAGGABLE: dict[str, tuple[Callable[[AccountStore], Tagger], str]] = {
    "policy": (lambda s: s.policies.tag_policy, "Policy"),
    "instance-profile": (lambda s: s.instance_profiles.tag_instance_profile, "InstanceProfile"),
    "oidc-provider": (lambda s: s.providers.tag_open_id_connect_provider, "OpenIDConnectProvider"),
    "mfa": (lambda s: s.keys.tag_mfa_device, "MFADevice"),
    "saml-provider": (lambda s: s.providers.tag_saml_provider, "SAMLProvider"),
    "workload-identity-provider": (
        lambda s: s.workload_providers.tag_workload_identity_provider,
        "WorkloadIdentityProvider",
    ),
    "workload-identity-template": (
        lambda s: s.workload_templates.tag_workload_identity_template,
        "WorkloadIdentityTemplate",
    ),
}
