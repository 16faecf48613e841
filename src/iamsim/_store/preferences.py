"""Account-wide preferences: the global STS endpoint's token version and IAM's account properties (§H.9)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from iamsim._shown import shown
from iamsim._store.account_data import StoreFamily
from iamsim._store.validation import check_length, check_pattern, validation_error
from iamsim.errors import InvalidInputError, UsageError

__all__ = ["TOKEN_VERSIONS", "Preferences"]

#: SetSecurityTokenServicePreferences' versions; an account starts with v1 (§H.9).
TOKEN_VERSIONS = ("v1Token", "v2Token")
_KEY_PATTERN = "^[A-Za-z][A-Za-z0-9/_-]*$"
_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9/_-]*")


class Preferences(StoreFamily):
    """The account's STS token preference and its ``Namespace/PropertyName`` properties."""

    def set_security_token_service_preferences(self, global_endpoint_token_version: str) -> None:
        """SetSecurityTokenServicePreferences: the version of the tokens the global endpoint issues."""
        if global_endpoint_token_version not in TOKEN_VERSIONS:
            raise validation_error(
                global_endpoint_token_version,
                "globalEndpointTokenVersion",
                f"Member must satisfy enum value set: [{', '.join(TOKEN_VERSIONS)}]",
            )
        self._data.preferences = replace(
            self._data.preferences, global_endpoint_token_version=global_endpoint_token_version
        )
        self._data.bump()

    def global_endpoint_token_version(self) -> int:
        """1 or 2, as GetAccountSummary's ``GlobalEndpointTokenVersion`` shows it."""
        return TOKEN_VERSIONS.index(self._data.preferences.global_endpoint_token_version) + 1

    def get_account_properties(self) -> dict[str, str]:
        """GetAccountProperties: every property set, by ``Namespace/PropertyName``."""
        return dict(self._data.preferences.properties)

    def put_account_properties(self, properties: Mapping[str, str]) -> None:
        """PutAccountProperties: set properties of one namespace, keeping the others."""
        if not isinstance(properties, Mapping) or not properties:
            raise validation_error(properties, "properties", "Member must not be null")
        namespaces = set()
        for n, (key, value) in enumerate(properties.items(), start=1):
            if not isinstance(key, str) or not isinstance(value, str):
                raise UsageError(f"Account properties map text to text, not {shown(key)} to {shown(value)}.")
            check_length(key, f"properties.{n}.key", 1, 50)
            check_pattern(key, f"properties.{n}.key", _KEY_PATTERN, _KEY_RE)
            check_length(value, f"properties.{n}.value", 1, 1024)
            namespace, slash, name = key.partition("/")
            if not slash or not name or "/" in name:
                raise InvalidInputError(
                    f"Invalid account property key {shown(key)}: it must be Namespace/PropertyName,"
                    " with exactly one '/' that neither starts nor ends it."
                )
            namespaces.add(namespace)
        if len(namespaces) > 1:
            raise InvalidInputError(
                f"All account properties in one request must belong to the same namespace, not {sorted(namespaces)}."
            )
        merged = dict(self._data.preferences.properties)
        merged.update(properties)
        self._data.preferences = replace(self._data.preferences, properties=tuple(sorted(merged.items())))
        self._data.bump()
