"""IAM operations on users' SSH public keys and service-specific credentials (§H.7), and ChangePassword (§H.8)."""

from __future__ import annotations

from iamsim._simulator.iam_calls import IamCalls
from iamsim._store.records import ServiceSpecificCredential, SshPublicKey

__all__ = ["IamUserCredentialOperations"]


class IamUserCredentialOperations(IamCalls):
    """SSH public keys (5 per user) and service-specific credentials (2 per service per user)."""

    def change_password(
        self, old_password: str, new_password: str, *, user_name: str, account_id: str | None = None
    ) -> None:
        """ChangePassword: ``user_name``'s own console password (the wire acts on the signing user, §H.8)."""
        self._core.iam(
            "ChangePassword",
            user_name,
            account_id,
            lambda s: s.users.change_password(user_name, old_password, new_password),
        )

    # SSH public keys
    def upload_ssh_public_key(
        self, user_name: str, ssh_public_key_body: str, *, account_id: str | None = None
    ) -> SshPublicKey:
        """UploadSSHPublicKey: an ``ssh-rsa`` or PEM RSA key of at least 2048 bits (§H.7)."""
        return self._core.iam(
            "UploadSSHPublicKey",
            user_name,
            account_id,
            lambda s: s.ssh_public_keys.upload_ssh_public_key(user_name, ssh_public_key_body),
        )

    def get_ssh_public_key(
        self, user_name: str, ssh_public_key_id: str, encoding: str = "SSH", *, account_id: str | None = None
    ) -> SshPublicKey:
        """GetSSHPublicKey, its body in ``SSH`` or ``PEM`` encoding."""
        return self._core.read(
            account_id, lambda s: s.ssh_public_keys.get_ssh_public_key(user_name, ssh_public_key_id, encoding)
        )

    def list_ssh_public_keys(
        self, *, user_name: str | None = None, account_id: str | None = None
    ) -> tuple[SshPublicKey, ...]:
        """ListSSHPublicKeys of ``user_name`` (``None``: the root user, who holds none)."""
        return self._core.read(account_id, lambda s: s.ssh_public_keys.list_ssh_public_keys(user_name))

    def update_ssh_public_key(
        self, user_name: str, ssh_public_key_id: str, status: str, *, account_id: str | None = None
    ) -> None:
        """UpdateSSHPublicKey: ``Active`` or ``Inactive``."""
        self._core.iam(
            "UpdateSSHPublicKey",
            f"{ssh_public_key_id} {status}",
            account_id,
            lambda s: s.ssh_public_keys.update_ssh_public_key(user_name, ssh_public_key_id, status),
        )

    def delete_ssh_public_key(self, user_name: str, ssh_public_key_id: str, *, account_id: str | None = None) -> None:
        """DeleteSSHPublicKey."""
        self._core.iam(
            "DeleteSSHPublicKey",
            ssh_public_key_id,
            account_id,
            lambda s: s.ssh_public_keys.delete_ssh_public_key(user_name, ssh_public_key_id),
        )

    # service-specific credentials
    def create_service_specific_credential(
        self,
        user_name: str,
        service_name: str,
        *,
        credential_age_days: int | None = None,
        account_id: str | None = None,
    ) -> ServiceSpecificCredential:
        """CreateServiceSpecificCredential: the answer alone carries the password or API key secret."""
        return self._core.iam(
            "CreateServiceSpecificCredential",
            f"{user_name} {service_name}",
            account_id,
            lambda s: s.service_credentials.create_service_specific_credential(
                user_name, service_name, credential_age_days
            ),
        )

    def list_service_specific_credentials(
        self,
        *,
        user_name: str | None = None,
        service_name: str | None = None,
        all_users: bool = False,
        account_id: str | None = None,
    ) -> tuple[ServiceSpecificCredential, ...]:
        """ListServiceSpecificCredentials of a user, or of every user with ``all_users``."""
        return self._core.read(
            account_id,
            lambda s: s.service_credentials.list_service_specific_credentials(
                user_name, service_name, all_users=all_users
            ),
        )

    def reset_service_specific_credential(
        self, service_specific_credential_id: str, *, user_name: str | None = None, account_id: str | None = None
    ) -> ServiceSpecificCredential:
        """ResetServiceSpecificCredential: a new password or secret."""
        return self._core.iam(
            "ResetServiceSpecificCredential",
            service_specific_credential_id,
            account_id,
            lambda s: s.service_credentials.reset_service_specific_credential(
                user_name, service_specific_credential_id
            ),
        )

    def update_service_specific_credential(
        self,
        service_specific_credential_id: str,
        status: str,
        *,
        user_name: str | None = None,
        account_id: str | None = None,
    ) -> None:
        """UpdateServiceSpecificCredential: ``Active`` or ``Inactive``."""
        self._core.iam(
            "UpdateServiceSpecificCredential",
            f"{service_specific_credential_id} {status}",
            account_id,
            lambda s: s.service_credentials.update_service_specific_credential(
                user_name, service_specific_credential_id, status
            ),
        )

    def delete_service_specific_credential(
        self, service_specific_credential_id: str, *, user_name: str | None = None, account_id: str | None = None
    ) -> None:
        """DeleteServiceSpecificCredential."""
        self._core.iam(
            "DeleteServiceSpecificCredential",
            service_specific_credential_id,
            account_id,
            lambda s: s.service_credentials.delete_service_specific_credential(
                user_name, service_specific_credential_id
            ),
        )
