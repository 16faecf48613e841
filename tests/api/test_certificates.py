"""Server and signing certificates through boto3: X.509 bodies checked as IAM checks them (§H.7).

AWS pages: IAMAPI:API_UploadServerCertificate.html, API_GetServerCertificate.html,
API_ListServerCertificates.html, API_UpdateServerCertificate.html, API_DeleteServerCertificate.html,
API_TagServerCertificate.html, API_UploadSigningCertificate.html, API_ListSigningCertificates.html,
API_UpdateSigningCertificate.html, API_DeleteSigningCertificate.html; UG:reference_iam-quotas.html.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

import pytest

from iamsim import ManualClock, Simulator
from iamsim.errors import KeyPairMismatchError, MalformedCertificateError

from .conftest import ACCOUNT, error_of, user_client
from .x509_material import certificate_pem, key_pem, new_key


@pytest.fixture
def pair(clock: ManualClock) -> tuple[str, str]:
    """A certificate valid from yesterday for a year, and its private key."""
    key = new_key()
    return certificate_pem(key, not_before=clock.now() - timedelta(days=1)), key_pem(key)


def _upload(iam: Any, name: str, pair: tuple[str, str], **extra: Any) -> dict[str, Any]:
    body, key = pair
    return iam.upload_server_certificate(ServerCertificateName=name, CertificateBody=body, PrivateKey=key, **extra)


def test_upload_answers_metadata_and_tags_get_returns_body_and_chain_H7(iam: Any, pair: tuple[str, str]) -> None:
    """§H.7: the id is ASCA..., the ARN server-certificate/<path><name>, Expiration the certificate's notAfter."""
    chain_key = new_key()
    chain = certificate_pem(chain_key, not_before=pair_start(pair), name="ca")
    out = _upload(iam, "web", pair, Path="/cloudfront/", CertificateChain=chain, Tags=[{"Key": "team", "Value": "a"}])
    meta = out["ServerCertificateMetadata"]
    assert meta["ServerCertificateId"].startswith("ASCA")
    assert len(meta["ServerCertificateId"]) == 21
    assert meta["Arn"] == f"arn:aws:iam::{ACCOUNT}:server-certificate/cloudfront/web"
    assert meta["Path"] == "/cloudfront/"
    assert meta["Expiration"] - meta["UploadDate"] == timedelta(days=364)
    assert out["Tags"] == [{"Key": "team", "Value": "a"}]
    got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
    assert got["CertificateBody"] == pair[0]
    assert got["CertificateChain"] == chain
    assert got["ServerCertificateMetadata"] == meta
    assert "PrivateKey" not in got


def pair_start(pair: tuple[str, str]) -> Any:
    """The notBefore of the pair's certificate (chains are minted alongside)."""
    from cryptography import x509

    return x509.load_pem_x509_certificate(pair[0].encode()).not_valid_before_utc


def test_bad_body_chain_or_key_is_malformed_certificate_and_nothing_is_stored_H7(
    iam: Any, pair: tuple[str, str]
) -> None:
    """§H.7: an unparsable body, chain or private key answers MalformedCertificate."""
    body, key = pair
    error = error_of(iam.upload_server_certificate, ServerCertificateName="a", CertificateBody="junk", PrivateKey=key)
    assert (error["Code"], error["Message"]) == (
        "MalformedCertificate",
        "Unable to parse certificate. Please ensure the certificate is in PEM format.",
    )
    error = error_of(iam.upload_server_certificate, ServerCertificateName="a", CertificateBody=body, PrivateKey="k")
    assert error["Code"] == "MalformedCertificate"
    assert "private key" in error["Message"]
    error = error_of(partial(_upload, iam, "a", pair), CertificateChain="not a chain")
    assert error["Code"] == "MalformedCertificate"
    assert "chain" in error["Message"]
    assert iam.list_server_certificates()["ServerCertificateMetadataList"] == []


def test_key_of_another_certificate_is_key_pair_mismatch_H7(iam: Any, pair: tuple[str, str]) -> None:
    """§H.7: the private key must be the certificate's: KeyPairMismatch otherwise."""
    error = error_of(partial(_upload, iam, "a", (pair[0], key_pem(new_key()))))
    assert (error["Code"], error["Message"]) == (
        "KeyPairMismatch",
        "The public key certificate and the private key do not match.",
    )


def test_expired_certificate_is_refused_H7(iam: Any, clock: ManualClock) -> None:
    """§H.7: IAM refuses an expired certificate (MalformedCertificate, "malformed or expired")."""
    key = new_key()
    old = certificate_pem(key, not_before=clock.now() - timedelta(days=30), days=10)
    error = error_of(
        iam.upload_server_certificate, ServerCertificateName="a", CertificateBody=old, PrivateKey=key_pem(key)
    )
    assert error["Code"] == "MalformedCertificate"
    assert "expired" in error["Message"]


def test_name_taken_quota_and_missing_certificate_H7(iam: Any, pair: tuple[str, str]) -> None:
    """§H.7: a taken name is EntityAlreadyExists, the 21st certificate LimitExceeded, a missing one NoSuchEntity."""
    for n in range(20):
        _upload(iam, f"c{n}", pair)
    assert error_of(partial(_upload, iam, "C0", pair))["Code"] == "EntityAlreadyExists"
    error = error_of(partial(_upload, iam, "c20", pair))
    assert (error["Code"], error["Message"]) == (
        "LimitExceeded",
        "Cannot exceed quota for ServerCertificatesPerAccount: 20",
    )
    assert iam.get_account_summary()["SummaryMap"]["ServerCertificates"] == 20
    for call in (iam.get_server_certificate, iam.delete_server_certificate, iam.list_server_certificate_tags):
        error = error_of(call, ServerCertificateName="nope")
        assert (error["Code"], error["Message"]) == (
            "NoSuchEntity",
            "The Server Certificate with name nope cannot be found.",
        )
    assert (
        error_of(iam.update_server_certificate, ServerCertificateName="nope", NewPath="/x/")["Code"] == "NoSuchEntity"
    )


def test_update_renames_and_moves_list_filters_by_path_delete_removes_H7(iam: Any, pair: tuple[str, str]) -> None:
    """§H.7: UpdateServerCertificate keeps the id; ListServerCertificates takes PathPrefix and pages."""
    first = _upload(iam, "old", pair)["ServerCertificateMetadata"]
    _upload(iam, "other", pair, Path="/elb/")
    iam.update_server_certificate(ServerCertificateName="old", NewServerCertificateName="new", NewPath="/cf/")
    moved = iam.get_server_certificate(ServerCertificateName="new")["ServerCertificate"]["ServerCertificateMetadata"]
    assert moved["ServerCertificateId"] == first["ServerCertificateId"]
    assert moved["Arn"] == f"arn:aws:iam::{ACCOUNT}:server-certificate/cf/new"
    assert (
        error_of(iam.update_server_certificate, ServerCertificateName="new", NewServerCertificateName="other")["Code"]
        == "EntityAlreadyExists"
    )
    listed = iam.list_server_certificates(PathPrefix="/cf/")["ServerCertificateMetadataList"]
    assert [c["ServerCertificateName"] for c in listed] == ["new"]
    page = iam.list_server_certificates(MaxItems=1)
    assert page["IsTruncated"]
    assert len(page["ServerCertificateMetadataList"]) == 1
    iam.delete_server_certificate(ServerCertificateName="new")
    assert [c["ServerCertificateName"] for c in iam.list_server_certificates()["ServerCertificateMetadataList"]] == [
        "other"
    ]


def test_server_certificate_tags_H7(iam: Any, pair: tuple[str, str]) -> None:
    """§H.7: Tag/Untag/ListServerCertificateTags, tags checked as every IAM tag (§H.2)."""
    _upload(iam, "web", pair)
    iam.tag_server_certificate(
        ServerCertificateName="web", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    )
    iam.untag_server_certificate(ServerCertificateName="web", TagKeys=["A"])
    assert iam.list_server_certificate_tags(ServerCertificateName="web")["Tags"] == [{"Key": "b", "Value": "2"}]


def test_server_certificate_actions_are_authorized_on_its_arn_H7(
    iam: Any, sim: Simulator, pair: tuple[str, str]
) -> None:
    """§H.7: iam:UploadServerCertificate etc. are authorized on arn:...:server-certificate/<path><name>."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iam:UploadServerCertificate", "iam:GetServerCertificate"],
                "Resource": f"arn:aws:iam::{ACCOUNT}:server-certificate/cf/*",
            }
        ],
    }
    with user_client(iam, sim, "ops", policy) as ops:
        _upload(ops, "web", pair, Path="/cf/")
        ops.get_server_certificate(ServerCertificateName="web")
        assert error_of(partial(_upload, ops, "elb", pair), Path="/elb/")["Code"] == "AccessDenied"


def test_signing_certificates_of_a_user_and_of_root_H7(iam: Any, pair: tuple[str, str], clock: ManualClock) -> None:
    """§H.7: active on upload, 2 per user, the same certificate once per account; root may hold its own."""
    iam.create_user(UserName="bob")
    key = new_key()
    first = iam.upload_signing_certificate(UserName="bob", CertificateBody=pair[0])["Certificate"]
    assert (first["UserName"], first["Status"]) == ("bob", "Active")
    error = error_of(iam.upload_signing_certificate, UserName="bob", CertificateBody=pair[0])
    assert error["Code"] == "DuplicateCertificate"
    iam.upload_signing_certificate(UserName="bob", CertificateBody=certificate_pem(key, not_before=clock.now()))
    third = certificate_pem(key, not_before=clock.now(), name="third")
    error = error_of(iam.upload_signing_certificate, UserName="bob", CertificateBody=third)
    assert (error["Code"], error["Message"]) == (
        "LimitExceeded",
        "Cannot exceed quota for CertificatesPerUser: 2",
    )
    # Without UserName the caller's own user acts: here the root user.
    iam.upload_signing_certificate(CertificateBody=third)
    assert len(iam.list_signing_certificates()["Certificates"]) == 1
    assert iam.get_account_summary()["SummaryMap"]["AccountSigningCertificatesPresent"] == 1
    assert (
        error_of(iam.upload_signing_certificate, UserName="bob", CertificateBody="x")["Code"] == "MalformedCertificate"
    )
    assert error_of(iam.upload_signing_certificate, UserName="nobody", CertificateBody=third)["Code"] == "NoSuchEntity"


def test_update_and_delete_signing_certificate_H7(iam: Any, pair: tuple[str, str]) -> None:
    """§H.7: Status Active/Inactive; another user's or a missing id is NoSuchEntity; DeleteUser waits for it."""
    iam.create_user(UserName="bob")
    iam.create_user(UserName="eve")
    cert_id = iam.upload_signing_certificate(UserName="bob", CertificateBody=pair[0])["Certificate"]["CertificateId"]
    iam.update_signing_certificate(UserName="bob", CertificateId=cert_id, Status="Inactive")
    assert iam.list_signing_certificates(UserName="bob")["Certificates"][0]["Status"] == "Inactive"
    error = error_of(iam.update_signing_certificate, UserName="bob", CertificateId=cert_id, Status="Paused")
    assert error["Code"] == "ValidationError"
    error = error_of(iam.delete_signing_certificate, UserName="eve", CertificateId=cert_id)
    assert (error["Code"], error["Message"]) == ("NoSuchEntity", f"The Certificate with id {cert_id} cannot be found.")
    error = error_of(iam.delete_user, UserName="bob")
    assert (error["Code"], error["Message"]) == (
        "DeleteConflict",
        "Cannot delete entity, must delete signing certificates first.",
    )
    iam.delete_signing_certificate(UserName="bob", CertificateId=cert_id)
    iam.delete_user(UserName="bob")


def test_certificates_survive_a_snapshot_and_the_python_api_raises_aws_errors_H7(
    sim: Simulator, pair: tuple[str, str]
) -> None:
    """§H.7: sim.iam serves the same operations; a restored world keeps both kinds of certificate."""
    sim.iam.create_user("bob")
    sim.iam.upload_server_certificate("web", pair[0], pair[1], tags={"a": "b"})
    cert = sim.iam.upload_signing_certificate(pair[0], user_name="bob")
    with pytest.raises(KeyPairMismatchError):
        sim.iam.upload_server_certificate("x", pair[0], key_pem(new_key()))
    with pytest.raises(MalformedCertificateError):
        sim.iam.upload_signing_certificate("junk", user_name="bob")
    restored = Simulator.from_json(sim.to_json())
    assert restored.iam.get_server_certificate("web").tags == (("a", "b"),)
    assert restored.iam.list_signing_certificates(user_name="bob") == (cert,)
