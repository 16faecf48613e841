"""Server certificates of an account and signing certificates of its users (§H.7).

Bodies are X.509 certificates in PEM, parsed by :mod:`.x509` before anything
changes. A server certificate keeps its body and chain, never its private key
(IAM checks the key belongs to the certificate and does not return it).
A signing certificate belongs to a user, or to the account's root user when
``user_name`` is ``None``, as IAM lets root upload its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from iamsim._clock import iso8601
from iamsim._store.account_data import StoreFamily
from iamsim._store.ids import ID_ALPHABET, draw_chars
from iamsim._store.messages import already_exists, quota
from iamsim._store.owned_credentials import OwnedCredentials
from iamsim._store.records import ServerCertificate, SigningCertificate
from iamsim._store.validation import Tags, check_name, check_path, normalise_tags
from iamsim._store.x509 import (
    body_fingerprint,
    certificate_fingerprint,
    check_private_key,
    load_certificate,
    load_chain,
)
from iamsim.errors import DuplicateCertificateError, NoSuchEntityError

__all__ = ["SERVER_CERTIFICATE_PREFIX", "ServerCertificates", "SigningCertificates"]

#: The unique-id prefix of server certificates (§H.1).
SERVER_CERTIFICATE_PREFIX = "ASCA"
#: IAM's default quotas: server certificates per account, signing certificates per user (§H.7).
SERVER_CERTIFICATES_PER_ACCOUNT = 20
SIGNING_CERTIFICATES_PER_USER = 2


class ServerCertificates(StoreFamily):
    """The server certificates of one account."""

    def upload_server_certificate(
        self,
        name: str,
        certificate_body: str,
        private_key: str,
        *,
        certificate_chain: str | None = None,
        path: str = "/",
        tags: Tags | Mapping[str, str] | None = None,
    ) -> ServerCertificate:
        """UploadServerCertificate: the body, chain and key are checked before anything is stored."""
        check_name(name, "serverCertificateName", 128)
        check_path(path)
        certificate = load_certificate(certificate_body, self._data.clock.now())
        check_private_key(certificate, private_key)
        if certificate_chain is not None:
            load_chain(certificate_chain)
        normalised = normalise_tags(tags)
        if name.lower() in self._data.server_certificates:
            raise already_exists("server certificate", name)
        if len(self._data.server_certificates) >= SERVER_CERTIFICATES_PER_ACCOUNT:
            raise quota("ServerCertificatesPerAccount", SERVER_CERTIFICATES_PER_ACCOUNT)
        record = ServerCertificate(
            *self._data.new_entity("server-certificate", SERVER_CERTIFICATE_PREFIX, name, path),
            iso8601(certificate.not_valid_after_utc),
            certificate_body,
            certificate_chain,
            normalised,
        )
        return self._data.add(self._data.server_certificates, record)

    def get_server_certificate(self, name: str) -> ServerCertificate:
        """GetServerCertificate."""
        found = self._data.server_certificates.get(name.lower()) if isinstance(name, str) else None
        if found is None:
            raise NoSuchEntityError(f"The Server Certificate with name {name} cannot be found.")
        return found

    def list_server_certificates(self, path_prefix: str = "/") -> tuple[ServerCertificate, ...]:
        """ListServerCertificates, sorted by name."""
        return tuple(
            sorted(
                (c for c in self._data.server_certificates.values() if c.path.startswith(path_prefix)),
                key=lambda c: c.name.lower(),
            )
        )

    def update_server_certificate(
        self, name: str, *, new_name: str | None = None, new_path: str | None = None
    ) -> ServerCertificate:
        """UpdateServerCertificate: rename and/or move; the id and body stay."""
        current = self.get_server_certificate(name)
        table = self._data.server_certificates
        member = "newServerCertificateName"
        target, path = self._data.rename_target(table, current, "server certificate", new_name, new_path, member, 128)
        moved = replace(current, name=target, path=path, arn=self._data.arn("server-certificate", path, target))
        self._data.refile(table, current.name, moved)
        self._data.bump()
        return moved

    def delete_server_certificate(self, name: str) -> None:
        """DeleteServerCertificate."""
        current = self.get_server_certificate(name)
        del self._data.server_certificates[current.name.lower()]
        self._data.bump()

    def tag_server_certificate(self, name: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()) -> None:
        """TagServerCertificate / UntagServerCertificate."""
        current = self.get_server_certificate(name)
        self._data.retag(self._data.server_certificates, current.name.lower(), current, tags, remove)


class SigningCertificates(OwnedCredentials[SigningCertificate]):
    """The X.509 signing certificates of one account's users and root user."""

    def upload_signing_certificate(self, user_name: str | None, certificate_body: str) -> SigningCertificate:
        """UploadSigningCertificate: active at once; at most 2 per user; one certificate, one owner."""
        owner = self._owner(user_name)
        certificate = load_certificate(certificate_body, self._data.clock.now())
        fingerprint = certificate_fingerprint(certificate)
        for held in self._data.signing_certificates.values():
            if body_fingerprint(held.certificate_body) == fingerprint:
                raise DuplicateCertificateError(
                    "The request was rejected because the same certificate is associated with an IAM user "
                    "in the account."
                )
        if sum(1 for c in self._data.signing_certificates.values() if c.user_name == owner) >= (
            SIGNING_CERTIFICATES_PER_USER
        ):
            raise quota("CertificatesPerUser", SIGNING_CERTIFICATES_PER_USER)
        record = SigningCertificate(
            owner, draw_chars(self._data.ids.rng, ID_ALPHABET, 32), certificate_body, "Active", self._data.now()
        )
        return self._data.put(self._data.signing_certificates, record.certificate_id, record)

    def list_signing_certificates(self, user_name: str | None) -> tuple[SigningCertificate, ...]:
        """ListSigningCertificates, oldest first."""
        owner = self._owner(user_name)
        return tuple(c for c in self._data.signing_certificates.values() if c.user_name == owner)

    def _table(self) -> dict[str, SigningCertificate]:
        return self._data.signing_certificates

    def _not_found(self, credential_id: str, owner: str | None) -> NoSuchEntityError:
        return NoSuchEntityError(f"The Certificate with id {credential_id} cannot be found.")

    def update_signing_certificate(self, user_name: str | None, certificate_id: str, status: str) -> None:
        """UpdateSigningCertificate: ``Active`` or ``Inactive``."""
        self._set_status(user_name, certificate_id, status)

    def delete_signing_certificate(self, user_name: str | None, certificate_id: str) -> None:
        """DeleteSigningCertificate."""
        self._delete(user_name, certificate_id)
