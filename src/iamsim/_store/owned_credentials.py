"""What the four kinds of credential a user owns share: lookup by id, status and deletion (§H).

Access keys, SSH public keys, signing certificates and service-specific
credentials each belong to one user (access keys and signing certificates may
belong to the root user, ``user_name`` ``None``), are filed by their id, are
``Active`` or ``Inactive``, and are found, updated and deleted the same way;
only the table and the wording of the not-found error differ per kind.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import replace
from typing import Generic, TypeVar

from iamsim._store.account_data import StoreFamily
from iamsim._store.records import AccessKey, ServiceSpecificCredential, SigningCertificate, SshPublicKey
from iamsim._store.validation import validation_error
from iamsim.errors import NoSuchEntityError

__all__ = ["OwnedCredentials", "check_status"]

# Constrained (not bounded) so that ``dataclasses.replace`` type-checks for each record type.
_Credential = TypeVar("_Credential", AccessKey, SshPublicKey, SigningCertificate, ServiceSpecificCredential)


def check_status(status: object) -> str:
    """A credential's ``Status`` member: ``Active`` or ``Inactive``."""
    if status not in ("Active", "Inactive"):
        raise validation_error(status, "status", "Member must satisfy enum value set: [Active, Inactive]")
    return str(status)


class OwnedCredentials(StoreFamily, ABC, Generic[_Credential]):
    """A family of credentials filed by id, each owned by one user (or the root user)."""

    @abstractmethod
    def _table(self) -> dict[str, _Credential]:
        """The account's credentials of this kind, by id."""

    @abstractmethod
    def _not_found(self, credential_id: str, owner: str | None) -> NoSuchEntityError:
        """IAM's error for an id that ``owner`` does not hold (its wording differs per kind)."""

    def _owner(self, user_name: str | None) -> str | None:
        # The stored spelling of the user's name; ``NoSuchEntity`` for an unknown user.
        return None if user_name is None else self._store.users.get_user(user_name).name

    def _owned(self, user_name: str | None, credential_id: str) -> _Credential:
        # Another user's credential is reported missing, never revealed.
        owner = self._owner(user_name)
        found = self._table().get(credential_id)
        if found is None or found.user_name != owner:
            raise self._not_found(credential_id, owner)
        return found

    def _set_status(self, user_name: str | None, credential_id: str, status: str) -> None:
        # The status is checked before the credential is looked up, as IAM validates first.
        check_status(status)
        found = self._owned(user_name, credential_id)
        self._table()[credential_id] = replace(found, status=status)
        self._data.bump()

    def _delete(self, user_name: str | None, credential_id: str) -> _Credential:
        found = self._owned(user_name, credential_id)
        del self._table()[credential_id]
        self._data.bump()
        return found
