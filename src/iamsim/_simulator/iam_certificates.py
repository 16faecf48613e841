"""IAM operations on server certificates and users' signing certificates (§H.7)."""

from __future__ import annotations

from collections.abc import Sequence

from iamsim._simulator.iam_calls import IamCalls, tag_pairs
from iamsim._store.records import ServerCertificate, SigningCertificate
from iamsim._store.validation import Tags, TagsInput

__all__ = ["IamCertificateOperations"]


class IamCertificateOperations(IamCalls):
    """Upload, read, rename, tag and delete server certificates; a user's signing certificates."""

    # server certificates
    def upload_server_certificate(
        self,
        server_certificate_name: str,
        certificate_body: str,
        private_key: str,
        *,
        certificate_chain: str | None = None,
        path: str = "/",
        tags: TagsInput = None,
        account_id: str | None = None,
    ) -> ServerCertificate:
        """UploadServerCertificate: a PEM certificate, its private key (checked, not kept) and chain (§H.7)."""
        return self._core.iam(
            "UploadServerCertificate",
            server_certificate_name,
            account_id,
            lambda s: s.server_certificates.upload_server_certificate(
                server_certificate_name,
                certificate_body,
                private_key,
                certificate_chain=certificate_chain,
                path=path,
                tags=tag_pairs(tags),
            ),
        )

    def get_server_certificate(
        self, server_certificate_name: str, *, account_id: str | None = None
    ) -> ServerCertificate:
        """GetServerCertificate."""
        return self._core.read(
            account_id, lambda s: s.server_certificates.get_server_certificate(server_certificate_name)
        )

    def list_server_certificates(
        self, *, path_prefix: str = "/", account_id: str | None = None
    ) -> tuple[ServerCertificate, ...]:
        """ListServerCertificates whose path begins ``path_prefix``."""
        return self._core.read(account_id, lambda s: s.server_certificates.list_server_certificates(path_prefix))

    def update_server_certificate(
        self,
        server_certificate_name: str,
        *,
        new_path: str | None = None,
        new_server_certificate_name: str | None = None,
        account_id: str | None = None,
    ) -> ServerCertificate:
        """UpdateServerCertificate: a new name and/or path."""
        return self._core.iam(
            "UpdateServerCertificate",
            server_certificate_name,
            account_id,
            lambda s: s.server_certificates.update_server_certificate(
                server_certificate_name, new_name=new_server_certificate_name, new_path=new_path
            ),
        )

    def delete_server_certificate(self, server_certificate_name: str, *, account_id: str | None = None) -> None:
        """DeleteServerCertificate."""
        self._core.iam(
            "DeleteServerCertificate",
            server_certificate_name,
            account_id,
            lambda s: s.server_certificates.delete_server_certificate(server_certificate_name),
        )

    def tag_server_certificate(
        self, server_certificate_name: str, tags: TagsInput, *, account_id: str | None = None
    ) -> None:
        """TagServerCertificate (an existing key's value is overwritten)."""
        self._core.iam(
            "TagServerCertificate",
            server_certificate_name,
            account_id,
            lambda s: s.server_certificates.tag_server_certificate(server_certificate_name, tag_pairs(tags) or ()),
        )

    def untag_server_certificate(
        self, server_certificate_name: str, tag_keys: Sequence[str], *, account_id: str | None = None
    ) -> None:
        """UntagServerCertificate."""
        self._core.iam(
            "UntagServerCertificate",
            server_certificate_name,
            account_id,
            lambda s: s.server_certificates.tag_server_certificate(server_certificate_name, (), remove=tag_keys),
        )

    def list_server_certificate_tags(self, server_certificate_name: str, *, account_id: str | None = None) -> Tags:
        """ListServerCertificateTags."""
        return self.get_server_certificate(server_certificate_name, account_id=account_id).tags

    # signing certificates
    def upload_signing_certificate(
        self, certificate_body: str, *, user_name: str | None = None, account_id: str | None = None
    ) -> SigningCertificate:
        """UploadSigningCertificate for ``user_name`` (``None``: the root user); active, at most 2 (§H.7)."""
        return self._core.iam(
            "UploadSigningCertificate",
            user_name or "root",
            account_id,
            lambda s: s.signing_certificates.upload_signing_certificate(user_name, certificate_body),
        )

    def list_signing_certificates(
        self, *, user_name: str | None = None, account_id: str | None = None
    ) -> tuple[SigningCertificate, ...]:
        """ListSigningCertificates of ``user_name`` (``None``: the root user)."""
        return self._core.read(account_id, lambda s: s.signing_certificates.list_signing_certificates(user_name))

    def update_signing_certificate(
        self, certificate_id: str, status: str, *, user_name: str | None = None, account_id: str | None = None
    ) -> None:
        """UpdateSigningCertificate: ``Active`` or ``Inactive``."""
        self._core.iam(
            "UpdateSigningCertificate",
            f"{certificate_id} {status}",
            account_id,
            lambda s: s.signing_certificates.update_signing_certificate(user_name, certificate_id, status),
        )

    def delete_signing_certificate(
        self, certificate_id: str, *, user_name: str | None = None, account_id: str | None = None
    ) -> None:
        """DeleteSigningCertificate."""
        self._core.iam(
            "DeleteSigningCertificate",
            certificate_id,
            account_id,
            lambda s: s.signing_certificates.delete_signing_certificate(user_name, certificate_id),
        )
