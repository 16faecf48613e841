"""SSH public keys and service-specific credentials through boto3 (§H.7).

AWS pages: IAMAPI:API_UploadSSHPublicKey.html, API_GetSSHPublicKey.html, API_ListSSHPublicKeys.html,
API_UpdateSSHPublicKey.html, API_DeleteSSHPublicKey.html, API_CreateServiceSpecificCredential.html,
API_ListServiceSpecificCredentials.html, API_ResetServiceSpecificCredential.html,
API_UpdateServiceSpecificCredential.html, API_DeleteServiceSpecificCredential.html; UG:reference_iam-quotas.html.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from iamsim import ManualClock, Simulator

from .conftest import ACCOUNT, error_of
from .x509_material import new_key


@functools.cache
def rsa_ssh(bits: int = 2048, n: int = 0) -> str:
    """The ``n``-th RSA public key of ``bits`` bits, as an ``ssh-rsa`` line (cached: RSA keys are slow to make)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


@pytest.fixture
def user(iam: Any) -> str:
    """A user named bob."""
    iam.create_user(UserName="bob")
    return "bob"


def test_upload_answers_id_fingerprint_and_status_H7(iam: Any, user: str) -> None:
    """§H.7: APKA... id, MD5 fingerprint of the key blob, Active; Get answers SSH or PEM encoding."""
    body = rsa_ssh()
    key = iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=body)["SSHPublicKey"]
    assert key["SSHPublicKeyId"].startswith("APKA")
    assert len(key["SSHPublicKeyId"]) == 20
    digest = hashlib.md5(base64.b64decode(body.split()[1]), usedforsecurity=False).hexdigest()
    assert key["Fingerprint"] == ":".join(digest[i : i + 2] for i in range(0, 32, 2))
    assert (key["Status"], key["SSHPublicKeyBody"]) == ("Active", body)
    got = iam.get_ssh_public_key(UserName=user, SSHPublicKeyId=key["SSHPublicKeyId"], Encoding="PEM")["SSHPublicKey"]
    assert got["SSHPublicKeyBody"].startswith("-----BEGIN PUBLIC KEY-----")
    got = iam.get_ssh_public_key(UserName=user, SSHPublicKeyId=key["SSHPublicKeyId"], Encoding="SSH")["SSHPublicKey"]
    assert got["SSHPublicKeyBody"] == body
    listed = iam.list_ssh_public_keys(UserName=user)["SSHPublicKeys"]
    assert [k["SSHPublicKeyId"] for k in listed] == [key["SSHPublicKeyId"]]
    assert "SSHPublicKeyBody" not in listed[0]


def test_pem_body_is_accepted_and_kept_as_ssh_rsa_H7(iam: Any, user: str) -> None:
    """§H.7: a PEM public key is taken too; the same key in another encoding is a duplicate."""
    body = rsa_ssh()
    pem = serialization.load_ssh_public_key(body.encode()).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key = iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=pem.decode())["SSHPublicKey"]
    assert key["SSHPublicKeyBody"] == body
    assert error_of(iam.upload_ssh_public_key, UserName=user, SSHPublicKeyBody=body)["Code"] == "DuplicateSSHPublicKey"


def test_bad_bodies_are_refused_with_their_codes_H7(iam: Any, user: str) -> None:
    """§H.7: unreadable -> UnrecognizedPublicKeyEncoding; not RSA or under 2048 bits -> InvalidPublicKey."""
    error = error_of(iam.upload_ssh_public_key, UserName=user, SSHPublicKeyBody="ssh-rsa not-base64")
    assert error["Code"] == "UnrecognizedPublicKeyEncoding"
    ec_key = new_key().public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert error_of(iam.upload_ssh_public_key, UserName=user, SSHPublicKeyBody=ec_key.decode())["Code"] == (
        "InvalidPublicKey"
    )
    error = error_of(iam.upload_ssh_public_key, UserName=user, SSHPublicKeyBody=rsa_ssh(1024))
    assert (error["Code"], error["Message"]) == ("InvalidPublicKey", "The public key must be at least 2048 bits long.")
    assert iam.list_ssh_public_keys(UserName=user)["SSHPublicKeys"] == []


def test_five_keys_per_user_H7(iam: Any, user: str) -> None:
    """§H.7: the sixth key of a user is LimitExceeded."""
    for n in range(5):
        iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=rsa_ssh(2048, n))
    error = error_of(iam.upload_ssh_public_key, UserName=user, SSHPublicKeyBody=rsa_ssh(2048, 5))
    assert (error["Code"], error["Message"]) == ("LimitExceeded", "Cannot exceed quota for SSHPublicKeysPerUser: 5")


def test_update_delete_and_missing_keys_H7(iam: Any, user: str) -> None:
    """§H.7: Status Active/Inactive; a key of another user or none is NoSuchEntity; DeleteUser waits for keys."""
    iam.create_user(UserName="eve")
    key_id = iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=rsa_ssh())["SSHPublicKey"]["SSHPublicKeyId"]
    iam.update_ssh_public_key(UserName=user, SSHPublicKeyId=key_id, Status="Inactive")
    assert iam.list_ssh_public_keys(UserName=user)["SSHPublicKeys"][0]["Status"] == "Inactive"
    error = error_of(iam.get_ssh_public_key, UserName="eve", SSHPublicKeyId=key_id, Encoding="SSH")
    assert (error["Code"], error["Message"]) == ("NoSuchEntity", f"The Public Key with id {key_id} cannot be found.")
    error = error_of(iam.delete_user, UserName=user)
    assert (error["Code"], error["Message"]) == (
        "DeleteConflict",
        "Cannot delete entity, must delete SSH public keys first.",
    )
    iam.delete_ssh_public_key(UserName=user, SSHPublicKeyId=key_id)
    iam.delete_user(UserName=user)


def test_codecommit_credential_is_a_user_name_and_password_answered_once_H7(iam: Any, user: str) -> None:
    """§H.7: ServiceUserName <user>-at-<account>; the password only in Create and Reset answers."""
    created = iam.create_service_specific_credential(UserName=user, ServiceName="codecommit.amazonaws.com")[
        "ServiceSpecificCredential"
    ]
    assert created["ServiceUserName"] == f"bob-at-{ACCOUNT}"
    assert created["ServiceSpecificCredentialId"].startswith("ACCA")
    assert created["Status"] == "Active"
    assert len(created["ServicePassword"]) >= 20
    listed = iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"]
    assert "ServicePassword" not in listed[0]
    assert listed[0]["ServiceUserName"] == f"bob-at-{ACCOUNT}"
    cred_id = created["ServiceSpecificCredentialId"]
    reset = iam.reset_service_specific_credential(UserName=user, ServiceSpecificCredentialId=cred_id)
    assert reset["ServiceSpecificCredential"]["ServicePassword"] != created["ServicePassword"]


def test_bedrock_api_key_has_alias_secret_and_expires_H7(iam: Any, user: str, clock: ManualClock) -> None:
    """§H.7: API keys (Bedrock) carry an alias and secret and CredentialAgeDays; past it they read Expired."""
    created = iam.create_service_specific_credential(
        UserName=user, ServiceName="bedrock.amazonaws.com", CredentialAgeDays=1
    )["ServiceSpecificCredential"]
    assert created["ServiceCredentialAlias"] == f"bob-at-{ACCOUNT}"
    assert created["ServiceCredentialSecret"].startswith("ABSK")
    assert "ServicePassword" not in created
    assert created["ExpirationDate"] > created["CreateDate"]
    clock.advance(2 * 86400)
    listed = iam.list_service_specific_credentials(UserName=user, ServiceName="bedrock.amazonaws.com")
    assert listed["ServiceSpecificCredentials"][0]["Status"] == "Expired"
    error = error_of(
        iam.create_service_specific_credential,
        UserName=user,
        ServiceName="codecommit.amazonaws.com",
        CredentialAgeDays=5,
    )
    assert error["Code"] == "InvalidInput"


def test_unsupported_service_quota_and_missing_credential_H7(iam: Any, user: str) -> None:
    """§H.7: NotSupportedService (404); two per service per user; another user's id is NoSuchEntity."""
    error = error_of(iam.create_service_specific_credential, UserName=user, ServiceName="s3.amazonaws.com")
    assert error["Code"] == "NotSupportedService"
    for _ in range(2):
        iam.create_service_specific_credential(UserName=user, ServiceName="cassandra.amazonaws.com")
    error = error_of(iam.create_service_specific_credential, UserName=user, ServiceName="cassandra.amazonaws.com")
    assert (error["Code"], error["Message"]) == (
        "LimitExceeded",
        "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2",
    )
    iam.create_service_specific_credential(UserName=user, ServiceName="codecommit.amazonaws.com")
    iam.create_user(UserName="eve")
    cred_id = iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"][0][
        "ServiceSpecificCredentialId"
    ]
    error = error_of(iam.delete_service_specific_credential, UserName="eve", ServiceSpecificCredentialId=cred_id)
    assert error["Code"] == "NoSuchEntity"
    iam.update_service_specific_credential(UserName=user, ServiceSpecificCredentialId=cred_id, Status="Inactive")
    everyone = iam.list_service_specific_credentials(AllUsers=True)["ServiceSpecificCredentials"]
    assert len(everyone) == 3
    assert error_of(iam.delete_user, UserName=user)["Code"] == "DeleteConflict"
    iam.delete_service_specific_credential(UserName=user, ServiceSpecificCredentialId=cred_id)
    assert len(iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"]) == 2


def test_keys_and_credentials_survive_a_snapshot_H7(sim: Simulator) -> None:
    """§H.7: a restored world keeps keys and credentials, never a password."""
    sim.iam.create_user("bob")
    key = sim.iam.upload_ssh_public_key("bob", rsa_ssh())
    cred = sim.iam.create_service_specific_credential("bob", "codecommit.amazonaws.com")
    assert cred.service_password is not None
    restored = Simulator.from_json(sim.to_json())
    assert restored.iam.list_ssh_public_keys(user_name="bob") == (key,)
    (kept,) = restored.iam.list_service_specific_credentials(user_name="bob")
    assert kept.service_password is None
    assert kept.service_specific_credential_id == cred.service_specific_credential_id
