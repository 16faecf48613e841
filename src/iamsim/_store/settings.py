"""Account settings: aliases, the password policy and the account summary (§H)."""

from __future__ import annotations

import re
from collections.abc import Callable

from iamsim._store.account_data import ACCOUNT_LIMITS, ATTACH_LIMITS, INLINE_LIMITS, MAX_VERSIONS, StoreFamily
from iamsim._store.records import PasswordPolicy
from iamsim._store.validation import check_length, check_pattern
from iamsim.errors import EntityAlreadyExistsError, NoSuchEntityError

__all__ = ["Settings"]

_ALIAS_RE = re.compile(r"[a-z0-9](([a-z0-9]|-(?!-)){1,61})[a-z0-9]")


class Settings(StoreFamily):
    """The account-wide settings of one account."""

    def create_account_alias(self, alias: str, is_taken: Callable[[str], bool]) -> None:
        """CreateAccountAlias: one alias per account; a new one replaces the old."""
        check_length(alias, "accountAlias", 3, 63)
        check_pattern(alias, "accountAlias", r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", _ALIAS_RE)
        if alias in self._data.aliases:
            return
        if is_taken(alias):
            raise EntityAlreadyExistsError(f"The account alias {alias} already exists.")
        self._data.aliases[:] = [alias]
        self._data.bump()

    def delete_account_alias(self, alias: str) -> None:
        """DeleteAccountAlias."""
        if alias not in self._data.aliases:
            raise NoSuchEntityError(f"The account alias {alias} cannot be found.")
        self._data.aliases.remove(alias)
        self._data.bump()

    def list_account_aliases(self) -> tuple[str, ...]:
        """ListAccountAliases."""
        return tuple(self._data.aliases)

    def get_account_password_policy(self) -> PasswordPolicy:
        """GetAccountPasswordPolicy (``NoSuchEntity`` while the account uses IAM's default)."""
        if self._data.password_policy is None:
            raise NoSuchEntityError(f"The Password Policy with domain name {self._data.account_id} cannot be found.")
        return self._data.password_policy

    def update_account_password_policy(self, policy: PasswordPolicy) -> None:
        """UpdateAccountPasswordPolicy: replaces the whole policy."""
        self._data.password_policy = policy
        self._data.bump()

    def delete_account_password_policy(self) -> None:
        """DeleteAccountPasswordPolicy."""
        self.get_account_password_policy()
        self._data.password_policy = None
        self._data.bump()

    def account_summary(self) -> dict[str, int]:
        """GetAccountSummary's SummaryMap: real counts next to the quotas iamsim enforces (§H.3)."""
        users = list(self._data.users.values())
        policies = list(self._data.policies.values())
        return {
            "Users": len(users),
            "UsersQuota": ACCOUNT_LIMITS["user"][1],
            "Groups": len(self._data.groups),
            "GroupsQuota": ACCOUNT_LIMITS["group"][1],
            "Roles": len(self._data.roles),
            "RolesQuota": ACCOUNT_LIMITS["role"][1],
            "InstanceProfiles": len(self._data.profiles),
            "InstanceProfilesQuota": ACCOUNT_LIMITS["instance-profile"][1],
            "Policies": len(policies),
            "PoliciesQuota": ACCOUNT_LIMITS["policy"][1],
            "PolicyVersionsInUse": sum(len(p.versions) for p in policies),
            "PolicyVersionsInUseQuota": 10000,
            "VersionsPerPolicyQuota": MAX_VERSIONS,
            "PolicySizeQuota": 6144,
            "UserPolicySizeQuota": INLINE_LIMITS["user"],
            "GroupPolicySizeQuota": INLINE_LIMITS["group"],
            "RolePolicySizeQuota": INLINE_LIMITS["role"],
            "AssumeRolePolicySizeQuota": 2048,
            "GroupsPerUserQuota": 10,
            "AccessKeysPerUserQuota": 2,
            "SigningCertificatesPerUserQuota": 2,
            "AttachedPoliciesPerUserQuota": ATTACH_LIMITS["user"][1],
            "AttachedPoliciesPerGroupQuota": ATTACH_LIMITS["group"][1],
            "AttachedPoliciesPerRoleQuota": ATTACH_LIMITS["role"][1],
            "ServerCertificates": len(self._data.server_certificates),
            "ServerCertificatesQuota": 20,
            "MFADevices": len(self._data.mfa),
            "MFADevicesInUse": sum(1 for d in self._data.mfa.values() if d.user_name is not None),
            "AccountMFAEnabled": 0,
            "AccountAccessKeysPresent": int(any(k.user_name is None for k in self._data.keys.values())),
            "AccountPasswordPresent": 0,
            "AccountSigningCertificatesPresent": int(
                any(c.user_name is None for c in self._data.signing_certificates.values())
            ),
            "Providers": len(self._data.oidc) + len(self._data.saml),
            "GlobalEndpointTokenVersion": self._store.preferences.global_endpoint_token_version(),
        }
