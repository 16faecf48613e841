"""Service-specific credentials of an account's users (§H.7).

A user may hold two credentials per supported service. CodeCommit and Amazon
Keyspaces credentials are a service user name (``<user>-at-<account>``) and a
password; Amazon Bedrock and CloudWatch Logs API keys are an alias and a secret and
may expire after ``CredentialAgeDays``. IAM returns the password or secret only
when it creates or resets one, so the store never keeps them.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import timedelta

from iamsim._clock import iso8601
from iamsim._store.messages import quota
from iamsim._store.owned_credentials import OwnedCredentials
from iamsim._store.records import ServiceSpecificCredential
from iamsim._store.validation import validation_error
from iamsim.errors import InvalidInputError, NoSuchEntityError, ServiceNotSupportedError

__all__ = ["API_KEY_SERVICES", "PASSWORD_SERVICES", "ServiceCredentials"]

#: Services whose credential is a user name and password.
PASSWORD_SERVICES = frozenset({"codecommit.amazonaws.com", "cassandra.amazonaws.com"})
#: Services whose credential is a long-term API key (an alias and a secret that may expire).
API_KEY_SERVICES = frozenset({"bedrock.amazonaws.com", "logs.amazonaws.com"})
_PREFIX = "ACCA"
_PER_SERVICE = 2
_MAX_AGE_DAYS = 36600


class ServiceCredentials(OwnedCredentials[ServiceSpecificCredential]):
    """The service-specific credentials of one account's users."""

    def create_service_specific_credential(
        self, user_name: str, service_name: str, credential_age_days: int | None = None
    ) -> ServiceSpecificCredential:
        """CreateServiceSpecificCredential: the answer alone carries the password or secret."""
        owner = self._store.users.get_user(user_name).name
        if service_name not in PASSWORD_SERVICES | API_KEY_SERVICES:
            raise ServiceNotSupportedError(f"Service {service_name} is not supported for service-specific credentials.")
        if credential_age_days is not None:
            if not 1 <= credential_age_days <= _MAX_AGE_DAYS:
                raise validation_error(
                    credential_age_days, "credentialAgeDays", f"Member must be between 1 and {_MAX_AGE_DAYS}"
                )
            if service_name not in API_KEY_SERVICES:
                raise InvalidInputError(f"CredentialAgeDays is not supported for {service_name}.")
        held = [
            c for c in self._data.service_credentials.values() if (c.user_name, c.service_name) == (owner, service_name)
        ]
        if len(held) >= _PER_SERVICE:
            raise quota("ServiceSpecificCredentialsPerUserPerService", _PER_SERVICE)
        now = self._data.clock.now()
        expires = None if credential_age_days is None else iso8601(now + timedelta(days=credential_age_days))
        record = ServiceSpecificCredential(
            owner,
            self._data.ids.unique_id(_PREFIX),
            service_name,
            iso8601(now),
            "Active",
            expiration_date=expires,
        )
        named = self._named(record)
        self._data.put(self._data.service_credentials, record.service_specific_credential_id, named)
        return self._with_secret(named)

    def _named(self, record: ServiceSpecificCredential) -> ServiceSpecificCredential:
        name = f"{record.user_name}-at-{self._data.account_id}"
        if record.service_name in API_KEY_SERVICES:
            return replace(record, service_credential_alias=name)
        return replace(record, service_user_name=name)

    def _with_secret(self, record: ServiceSpecificCredential) -> ServiceSpecificCredential:
        secret = self._data.ids.secret_access_key()
        if record.service_credential_alias is None:
            return replace(record, service_password=secret)
        # An API key's secret carries its alias, as Bedrock's long-term keys do (the ``ABSK`` prefix).
        encoded = base64.b64encode(f"{record.service_credential_alias}:{secret}".encode()).decode("ascii")
        return replace(record, service_credential_secret=f"ABSK{encoded}")

    def list_service_specific_credentials(
        self, user_name: str | None, service_name: str | None = None, *, all_users: bool = False
    ) -> tuple[ServiceSpecificCredential, ...]:
        """ListServiceSpecificCredentials of a user (or of every user), of one service or all."""
        owner = None if all_users or user_name is None else self._store.users.get_user(user_name).name
        if owner is None and not all_users:
            return ()
        return tuple(
            self._dated(c)
            for c in self._data.service_credentials.values()
            if (all_users or c.user_name == owner) and (service_name is None or c.service_name == service_name)
        )

    def reset_service_specific_credential(self, user_name: str | None, credential_id: str) -> ServiceSpecificCredential:
        """ResetServiceSpecificCredential: a new password or secret, answered once."""
        found = self._owned(user_name, credential_id)
        self._data.bump()
        return self._with_secret(self._dated(found))

    def update_service_specific_credential(self, user_name: str | None, credential_id: str, status: str) -> None:
        """UpdateServiceSpecificCredential: ``Active`` or ``Inactive``."""
        self._set_status(user_name, credential_id, status)

    def delete_service_specific_credential(self, user_name: str | None, credential_id: str) -> None:
        """DeleteServiceSpecificCredential."""
        self._delete(user_name, credential_id)

    def _table(self) -> dict[str, ServiceSpecificCredential]:
        # The root user holds none: no credential is owned by ``None``.
        return self._data.service_credentials

    def _not_found(self, credential_id: str, owner: str | None) -> NoSuchEntityError:
        return NoSuchEntityError(f"No such credential {credential_id} exists for user {owner or 'root'}.")

    def _dated(self, record: ServiceSpecificCredential) -> ServiceSpecificCredential:
        # An API key past its expiration date reads as Expired (a status nobody can set).
        if record.expiration_date is not None and record.expiration_date <= self._data.now():
            return replace(record, status="Expired")
        return record
