"""A SAML 2.0 identity provider for tests: metadata for IAM, signed assertions for STS (spec §G.3).

:class:`TestSamlIdentityProvider` holds an RSA-2048 key and a self-signed
certificate, publishes them as IdP metadata (what ``CreateSAMLProvider``
takes) and mints base64 SAML responses (what ``AssumeRoleWithSAML`` takes) whose
``Assertion`` is signed with an enveloped XML signature (RSA-SHA256, exclusive
canonicalization) by ``signxml``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml.algorithms import CanonicalizationMethod
from signxml.signer import XMLSigner

from iamsim._sts.saml import ATTRIBUTES, SAML_AUDIENCE

__all__ = ["TestSamlIdentityProvider"]

_SAMLP: Final = "urn:oasis:names:tc:SAML:2.0:protocol"
_SAML: Final = "urn:oasis:names:tc:SAML:2.0:assertion"
_MD: Final = "urn:oasis:names:tc:SAML:2.0:metadata"
_DS: Final = "http://www.w3.org/2000/09/xmldsig#"
_NAMEID_FORMAT: Final = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
# The certificate outlives any simulated clock a test sets (GeneralizedTime past 2049).
_CERT_FROM: Final = datetime(2000, 1, 1, tzinfo=UTC)
_CERT_UNTIL: Final = datetime(2200, 1, 1, tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class TestSamlIdentityProvider:
    """A SAML identity provider for tests: one RSA-2048 key, a self-signed certificate, signed assertions."""

    # Its name starts with "Test"; tell pytest it is not a test class.
    __test__ = False

    def __init__(self, entity_id: str) -> None:
        #: The IdP's entity id: the metadata's ``entityID`` and every assertion's ``Issuer``.
        self.entity_id = entity_id
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "iamsim test SAML IdP")])
        self._certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_CERT_FROM)
            .not_valid_after(_CERT_UNTIL)
            .sign(self._key, hashes.SHA256())
        )
        self._serial = 0

    @property
    def certificate_pem(self) -> str:
        """The signing certificate, PEM-encoded."""
        return self._certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def metadata(self) -> str:
        """IdP metadata (an ``EntityDescriptor`` with the signing certificate), as ``CreateSAMLProvider`` takes it."""
        der = base64.b64encode(self._certificate.public_bytes(serialization.Encoding.DER)).decode("ascii")
        return (
            f'<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="{_MD}" xmlns:ds="{_DS}"'
            f' entityID="{self.entity_id}"><md:IDPSSODescriptor WantAuthnRequestsSigned="false"'
            f' protocolSupportEnumeration="{_SAMLP}"><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>'
            f"<ds:X509Certificate>{der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            f"<md:NameIDFormat>{_NAMEID_FORMAT}persistent</md:NameIDFormat><md:SingleSignOnService"
            f' Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{self.entity_id}/sso"/>'
            "</md:IDPSSODescriptor></md:EntityDescriptor>"
        )

    def mint(
        self,
        *,
        roles: Sequence[tuple[str, str]],
        session_name: str | None,
        subject: str,
        issued_at: datetime,
        expires_in: int = 300,
        audience: str = SAML_AUDIENCE,
        recipient: str = SAML_AUDIENCE,
        subject_format: str = "persistent",
        session_duration: int | None = None,
        session_not_on_or_after: datetime | None = None,
        tags: Mapping[str, str] | None = None,
        transitive_tag_keys: Sequence[str] = (),
        source_identity: str | None = None,
        attributes: Mapping[str, Sequence[str]] | None = None,
    ) -> str:
        """A base64 SAML response whose assertion this IdP signed.

        ``roles`` are the ``(role ARN, provider ARN)`` pairs of the ``Role``
        attribute, written in that order (AWS accepts either); ``session_name``
        ``None`` leaves out the ``RoleSessionName`` attribute. ``attributes`` adds
        other attributes by name (``urn:oid:...``).
        """
        values: dict[str, Sequence[str]] = {ATTRIBUTES + "Role": [f"{role},{provider}" for role, provider in roles]}
        if session_name is not None:
            values[ATTRIBUTES + "RoleSessionName"] = [session_name]
        if session_duration is not None:
            values[ATTRIBUTES + "SessionDuration"] = [str(session_duration)]
        if source_identity is not None:
            values[ATTRIBUTES + "SourceIdentity"] = [source_identity]
        for key, value in (tags or {}).items():
            values[f"{ATTRIBUTES}PrincipalTag:{key}"] = [value]
        if transitive_tag_keys:
            values[ATTRIBUTES + "TransitiveTagKeys"] = list(transitive_tag_keys)
        values.update(attributes or {})
        assertion = self._assertion(
            values, subject, subject_format, issued_at, expires_in, audience, recipient, session_not_on_or_after
        )
        signed = XMLSigner(c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0).sign(
            assertion, key=self._key, cert=[self._certificate], reference_uri=assertion.get("ID")
        )
        # The signature goes right after the Issuer, where the SAML schema puts it.
        signature = signed.find(f"{{{_DS}}}Signature")
        if signature is not None:
            signed.remove(signature)
            signed.insert(1, signature)
        response = etree.Element(
            f"{{{_SAMLP}}}Response",
            nsmap={"samlp": _SAMLP, "saml": _SAML},
            ID=f"_response{self._serial}",
            Version="2.0",
            IssueInstant=_stamp(issued_at),
            Destination=recipient,
        )
        etree.SubElement(response, f"{{{_SAML}}}Issuer").text = self.entity_id
        status = etree.SubElement(response, f"{{{_SAMLP}}}Status")
        etree.SubElement(status, f"{{{_SAMLP}}}StatusCode", Value="urn:oasis:names:tc:SAML:2.0:status:Success")
        response.append(signed)
        return base64.b64encode(etree.tostring(response)).decode("ascii")

    def _assertion(
        self,
        values: Mapping[str, Sequence[str]],
        subject: str,
        subject_format: str,
        issued_at: datetime,
        expires_in: int,
        audience: str,
        recipient: str,
        session_not_on_or_after: datetime | None,
    ) -> etree._Element:
        self._serial += 1
        until = _stamp(issued_at + timedelta(seconds=expires_in))
        a = f"{{{_SAML}}}"
        assertion = etree.Element(a + "Assertion", nsmap={"saml": _SAML}, ID=f"_assertion{self._serial}", Version="2.0")
        assertion.set("IssueInstant", _stamp(issued_at))
        etree.SubElement(assertion, a + "Issuer").text = self.entity_id
        subject_element = etree.SubElement(assertion, a + "Subject")
        name_format = subject_format if ":" in subject_format else _NAMEID_FORMAT + subject_format
        etree.SubElement(subject_element, a + "NameID", Format=name_format).text = subject
        confirmation = etree.SubElement(
            subject_element, a + "SubjectConfirmation", Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"
        )
        etree.SubElement(confirmation, a + "SubjectConfirmationData", NotOnOrAfter=until, Recipient=recipient)
        conditions = etree.SubElement(assertion, a + "Conditions", NotBefore=_stamp(issued_at), NotOnOrAfter=until)
        restriction = etree.SubElement(conditions, a + "AudienceRestriction")
        etree.SubElement(restriction, a + "Audience").text = audience
        statement = etree.SubElement(assertion, a + "AuthnStatement", AuthnInstant=_stamp(issued_at))
        if session_not_on_or_after is not None:
            statement.set("SessionNotOnOrAfter", _stamp(session_not_on_or_after))
        context = etree.SubElement(statement, a + "AuthnContext")
        etree.SubElement(
            context, a + "AuthnContextClassRef"
        ).text = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
        attributes = etree.SubElement(assertion, a + "AttributeStatement")
        for name, listed in values.items():
            attribute = etree.SubElement(attributes, a + "Attribute", Name=name)
            for value in listed:
                etree.SubElement(attribute, a + "AttributeValue").text = value
        return assertion
