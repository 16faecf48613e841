"""Certificate bodies read as IAM reads them: PEM X.509 parsed with ``cryptography`` (§H.7).

IAM refuses a body it cannot parse, an expired certificate, a chain it cannot
parse and a private key it cannot read with ``MalformedCertificate``, and a
private key that is not the certificate's with ``KeyPairMismatch``. Nothing here
keeps state: the certificate families of the store call these before they
change anything, so a refused upload leaves the account as it was.
"""

from __future__ import annotations

from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from iamsim._clock import iso8601
from iamsim._store.validation import check_length
from iamsim.errors import KeyPairMismatchError, MalformedCertificateError

__all__ = ["body_fingerprint", "certificate_fingerprint", "check_private_key", "load_certificate", "load_chain"]

#: The longest certificate body and private key IAM takes (the API reference's length constraint).
MAX_BODY = 16384
#: The longest certificate chain IAM takes.
MAX_CHAIN = 2097152

_BODY_MESSAGE = "Unable to parse certificate. Please ensure the certificate is in PEM format."
_CHAIN_MESSAGE = "Unable to parse certificate chain. Please ensure the certificate chain is in PEM format."
_KEY_MESSAGE = "Unable to parse private key. Please ensure the private key is in PEM format and not encrypted."
_MISMATCH_MESSAGE = "The public key certificate and the private key do not match."


def load_certificate(body: str, now: datetime, member: str = "certificateBody") -> x509.Certificate:
    """The one X.509 certificate ``body`` holds, refused when unparsable or expired at ``now``."""
    check_length(body, member, 1, MAX_BODY)
    try:
        certificate = x509.load_pem_x509_certificate(body.encode("utf-8"))
    except (ValueError, UnicodeError):
        raise MalformedCertificateError(_BODY_MESSAGE) from None
    if certificate.not_valid_after_utc < now:
        raise MalformedCertificateError(
            f"Certificate has expired: it was valid until {iso8601(certificate.not_valid_after_utc)}."
        )
    return certificate


def load_chain(chain: str) -> tuple[x509.Certificate, ...]:
    """The certificates of a PEM chain, in the order given."""
    check_length(chain, "certificateChain", 1, MAX_CHAIN)
    try:
        return tuple(x509.load_pem_x509_certificates(chain.encode("utf-8")))
    except (ValueError, UnicodeError):
        raise MalformedCertificateError(_CHAIN_MESSAGE) from None


def check_private_key(certificate: x509.Certificate, private_key: str) -> None:
    """Refuse a private key IAM cannot read, or one whose public half is not the certificate's."""
    check_length(private_key, "privateKey", 1, MAX_BODY)
    try:
        key: PrivateKeyTypes = serialization.load_pem_private_key(private_key.encode("utf-8"), password=None)
    except (ValueError, TypeError, UnicodeError):
        # TypeError: an encrypted key given without a password, which IAM cannot use either.
        raise MalformedCertificateError(_KEY_MESSAGE) from None
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    ours = key.public_key().public_bytes(serialization.Encoding.DER, spki)
    theirs = certificate.public_key().public_bytes(serialization.Encoding.DER, spki)
    if ours != theirs:
        raise KeyPairMismatchError(_MISMATCH_MESSAGE)


def certificate_fingerprint(certificate: x509.Certificate) -> bytes:
    """The certificate's DER encoding: two bodies are the same certificate when these are equal."""
    return certificate.public_bytes(serialization.Encoding.DER)


def body_fingerprint(body: str) -> bytes:
    """The DER encoding of a body IAM already accepted (read again without the date check it passed)."""
    return certificate_fingerprint(x509.load_pem_x509_certificate(body.encode("utf-8")))
