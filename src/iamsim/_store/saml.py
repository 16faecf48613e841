"""SAML provider metadata documents as IAM accepts them.

IAM parses the uploaded metadata: it must be a SAML ``EntityDescriptor`` XML
document of 1,000 to 10,000,000 characters. A provider's ``ValidUntil`` is the
document's ``validUntil`` attribute when it has one; otherwise IAM reports a date
100 years after creation. Documents with a DOCTYPE are refused outright, so no
entity declaration is ever expanded. IAM also refuses metadata that carries no
usable signing certificate (``IDPSSODescriptor/KeyDescriptor`` with an X.509
certificate): STS verifies assertions with it (§G.3).
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime
from xml.etree import ElementTree

from cryptography import x509

from iamsim._store.validation import check_length, check_pattern
from iamsim.errors import InvalidInputError

__all__ = ["SAML_NAME_PATTERN", "check_saml_name", "metadata_signing", "metadata_valid_until"]

SAML_NAME_PATTERN = r"[\w._-]+"
_NAME_RE = re.compile(SAML_NAME_PATTERN, re.ASCII)
_NOT_PARSED = "Could not parse metadata"
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
_DS = "{http://www.w3.org/2000/09/xmldsig#}"


def check_saml_name(name: object) -> str:
    """Check a SAML provider name (``[\\w._-]+``, 1..128) and return it."""
    if not isinstance(name, str):
        raise InvalidInputError("The SAML provider name must be a string.")
    check_length(name, "name", 1, 128)
    check_pattern(name, "name", SAML_NAME_PATTERN, _NAME_RE)
    return name


def _entity_descriptor(document: str) -> ElementTree.Element:
    if "<!DOCTYPE" in document.upper():
        raise InvalidInputError(_NOT_PARSED)
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError:
        raise InvalidInputError(_NOT_PARSED) from None
    if root.tag.rsplit("}", 1)[-1] != "EntityDescriptor":
        raise InvalidInputError(_NOT_PARSED)
    return root


def metadata_signing(document: str) -> tuple[str, tuple[x509.Certificate, ...]]:
    """The IdP's entity id and signing certificates in stored metadata (``Could not parse metadata`` if none)."""
    root = _entity_descriptor(document)
    certificates: list[x509.Certificate] = []
    for descriptor in root.iter(f"{_MD}IDPSSODescriptor"):
        for key in descriptor.iter(f"{_MD}KeyDescriptor"):
            # A key without ``use`` serves both signing and encryption (SAML metadata 2.4.1.1).
            if key.get("use", "signing") != "signing":
                continue
            for element in key.iter(f"{_DS}X509Certificate"):
                text = "".join((element.text or "").split())
                try:
                    certificates.append(x509.load_der_x509_certificate(base64.b64decode(text, validate=True)))
                except (binascii.Error, ValueError):
                    raise InvalidInputError(_NOT_PARSED) from None
    if not certificates:
        raise InvalidInputError(_NOT_PARSED)
    return root.get("entityID", ""), tuple(certificates)


def metadata_valid_until(document: object, created: datetime) -> str:
    """Check ``document`` is SAML metadata with a signing certificate; return its ``ValidUntil`` as a store date."""
    if not isinstance(document, str):
        raise InvalidInputError(_NOT_PARSED)
    check_length(document, "sAMLMetadataDocument", 1000, 10_000_000)
    root = _entity_descriptor(document)
    metadata_signing(document)
    stated = root.get("validUntil")
    if stated is None:
        return created.replace(year=created.year + 100).strftime(_DATE_FORMAT)
    try:
        until = datetime.fromisoformat(stated.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError(_NOT_PARSED) from None
    return until.strftime(_DATE_FORMAT)
