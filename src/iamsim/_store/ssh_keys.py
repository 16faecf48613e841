"""SSH public keys of an account's users (§H.7): the keys CodeCommit accepts for Git over SSH.

A body is an ``ssh-rsa`` line or a PEM public key, parsed with ``cryptography``;
IAM takes RSA keys of at least 2048 bits. The key is kept in its ``ssh-rsa`` form
and GetSSHPublicKey answers in the encoding asked for. The fingerprint is the MD5
of the key's SSH wire encoding, written as colon-separated hex.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from iamsim._store.messages import quota
from iamsim._store.owned_credentials import OwnedCredentials
from iamsim._store.records import SshPublicKey
from iamsim._store.validation import check_length, validation_error
from iamsim.errors import (
    DuplicateSSHPublicKeyError,
    InvalidPublicKeyError,
    NoSuchEntityError,
    UnrecognizedPublicKeyEncodingError,
)

__all__ = ["SSH_PUBLIC_KEYS_PER_USER", "SSH_PUBLIC_KEY_PREFIX", "SshPublicKeys", "parse_ssh_public_key"]

#: The id prefix of SSH public keys (``APKA...``, 20 characters like an access key id).
SSH_PUBLIC_KEY_PREFIX = "APKA"
#: IAM's quota of SSH public keys per user.
SSH_PUBLIC_KEYS_PER_USER = 5
_MIN_BITS = 2048


def parse_ssh_public_key(body: str) -> tuple[str, str]:
    """``(ssh-rsa text, fingerprint)`` of a body in ``ssh-rsa`` or PEM encoding, refused as IAM refuses it."""
    check_length(body, "sSHPublicKeyBody", 1, 16384)
    text = body.strip().encode("utf-8", errors="replace")
    try:
        key: object = (
            serialization.load_pem_public_key(text)
            if text.startswith(b"-----BEGIN")
            else serialization.load_ssh_public_key(text)
        )
    except (ValueError, UnsupportedAlgorithm):
        raise UnrecognizedPublicKeyEncodingError(
            "The public key encoding format is unsupported or unrecognized. Use ssh-rsa or PEM."
        ) from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidPublicKeyError("The public key is not an RSA key: IAM accepts ssh-rsa keys only.")
    if key.key_size < _MIN_BITS:
        raise InvalidPublicKeyError(f"The public key must be at least {_MIN_BITS} bits long.")
    openssh = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode("ascii")
    digest = hashlib.md5(base64.b64decode(openssh.split()[1]), usedforsecurity=False).hexdigest()
    return openssh, ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def pem_of(openssh: str) -> str:
    """The PEM (SubjectPublicKeyInfo) encoding of a key kept in its ``ssh-rsa`` form."""
    key = serialization.load_ssh_public_key(openssh.encode("ascii"))
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class SshPublicKeys(OwnedCredentials[SshPublicKey]):
    """The SSH public keys of one account's users."""

    def upload_ssh_public_key(self, user_name: str, body: str) -> SshPublicKey:
        """UploadSSHPublicKey: active at once; at most 5 per user; a key once per user."""
        owner = self._store.users.get_user(user_name).name
        openssh, fingerprint = parse_ssh_public_key(body)
        held = [k for k in self._data.ssh_public_keys.values() if k.user_name == owner]
        if any(k.fingerprint == fingerprint for k in held):
            raise DuplicateSSHPublicKeyError("The SSH public key is already associated with the specified IAM user.")
        if len(held) >= SSH_PUBLIC_KEYS_PER_USER:
            raise quota("SSHPublicKeysPerUser", SSH_PUBLIC_KEYS_PER_USER)
        key = SshPublicKey(
            owner,
            self._data.ids.access_key_id(SSH_PUBLIC_KEY_PREFIX),
            fingerprint,
            openssh,
            "Active",
            self._data.now(),
        )
        return self._data.put(self._data.ssh_public_keys, key.ssh_public_key_id, key)

    def get_ssh_public_key(self, user_name: str, key_id: str, encoding: str = "SSH") -> SshPublicKey:
        """GetSSHPublicKey in ``SSH`` (``ssh-rsa``) or ``PEM`` encoding."""
        if encoding not in ("SSH", "PEM"):
            raise validation_error(encoding, "encoding", "Member must satisfy enum value set: [SSH, PEM]")
        key = self._owned(user_name, key_id)
        return key if encoding == "SSH" else replace(key, ssh_public_key_body=pem_of(key.ssh_public_key_body))

    def list_ssh_public_keys(self, user_name: str | None) -> tuple[SshPublicKey, ...]:
        """ListSSHPublicKeys (the root user holds none)."""
        if user_name is None:
            return ()
        owner = self._store.users.get_user(user_name).name
        return tuple(k for k in self._data.ssh_public_keys.values() if k.user_name == owner)

    def update_ssh_public_key(self, user_name: str, key_id: str, status: str) -> None:
        """UpdateSSHPublicKey: ``Active`` or ``Inactive``."""
        self._set_status(user_name, key_id, status)

    def delete_ssh_public_key(self, user_name: str, key_id: str) -> None:
        """DeleteSSHPublicKey."""
        self._delete(user_name, key_id)

    def _table(self) -> dict[str, SshPublicKey]:
        return self._data.ssh_public_keys

    def _not_found(self, credential_id: str, owner: str | None) -> NoSuchEntityError:
        return NoSuchEntityError(f"The Public Key with id {credential_id} cannot be found.")
