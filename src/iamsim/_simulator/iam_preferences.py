"""IAM operations on account-wide preferences: the global STS endpoint's token version, account properties (§H.9)."""

from __future__ import annotations

from collections.abc import Mapping

from iamsim._simulator.iam_calls import IamCalls

__all__ = ["IamPreferenceOperations"]


class IamPreferenceOperations(IamCalls):
    """SetSecurityTokenServicePreferences, GetAccountProperties and PutAccountProperties."""

    def set_security_token_service_preferences(
        self, global_endpoint_token_version: str, *, account_id: str | None = None
    ) -> None:
        """SetSecurityTokenServicePreferences: ``v1Token`` (the default) or ``v2Token``."""
        self._core.iam(
            "SetSecurityTokenServicePreferences",
            global_endpoint_token_version,
            account_id,
            lambda s: s.preferences.set_security_token_service_preferences(global_endpoint_token_version),
        )

    def get_account_properties(self, *, account_id: str | None = None) -> dict[str, str]:
        """GetAccountProperties: the properties set, keyed ``Namespace/PropertyName``."""
        return self._core.read(account_id, lambda s: s.preferences.get_account_properties())

    def put_account_properties(self, properties: Mapping[str, str], *, account_id: str | None = None) -> None:
        """PutAccountProperties: properties of one namespace; the others are kept."""
        self._core.iam(
            "PutAccountProperties",
            " ".join(sorted(properties)) if isinstance(properties, Mapping) else "",
            account_id,
            lambda s: s.preferences.put_account_properties(properties),
        )
