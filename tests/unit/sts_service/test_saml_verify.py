"""The SAML response checks of AssumeRoleWithSAML, one by one (spec §G.3).

AWS sources: IAM User Guide "Configure SAML assertions for the authentication response" and
"Troubleshoot SAML federation with IAM"; STS API Reference "AssumeRoleWithSAML".
"""

from __future__ import annotations

import base64
import datetime

import pytest

from iamsim import TestSamlIdentityProvider
from iamsim._store.saml import metadata_signing
from iamsim._sts.saml import saml_context, verify_saml_response
from iamsim.errors import ExpiredWebIdentityTokenError, InvalidIdentityTokenError, InvalidInputError

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
ROLE = "arn:aws:iam::123456789012:role/r"
PROVIDER = "arn:aws:iam::123456789012:saml-provider/corp"
IDP = TestSamlIdentityProvider("https://idp.example.com/saml")
ENTITY, CERTIFICATES = metadata_signing(IDP.metadata())


def mint(**overrides: object) -> str:
    """A signed response for alice, with ``overrides``."""
    claims: dict[str, object] = {"roles": [(ROLE, PROVIDER)], "session_name": "alice", "subject": "alice"}
    return IDP.mint(**{**claims, "issued_at": NOW, **overrides})  # type: ignore[arg-type]


def verify(assertion: str, *, now: datetime.datetime = NOW, entity: str = ENTITY) -> object:
    """Verify as STS does."""
    return verify_saml_response(assertion, certificates=CERTIFICATES, entity_id=entity, now=now)


def test_claims_come_from_the_signed_assertion_G3() -> None:
    """§G.3: issuer, subject, format without the nameid-format prefix, role pairs and session name."""
    claims = verify_saml_response(mint(), certificates=CERTIFICATES, entity_id=ENTITY, now=NOW)
    assert (claims.issuer, claims.subject, claims.subject_type) == (ENTITY, "alice", "persistent")
    assert claims.roles == ((ROLE, PROVIDER),)
    assert claims.session_name == "alice"


def test_wrapped_unsigned_assertion_cannot_inject_claims_G3() -> None:
    """§G.3: an unsigned Assertion placed before the signed one is ignored; the signed one is read."""
    text = base64.b64decode(mint()).decode()
    start = text.index("<saml:Assertion")
    end = text.index("</saml:Assertion>") + len("</saml:Assertion>")
    forged = text[start:end].replace(">alice<", ">admin<").replace('ID="_assertion', 'ID="_forged')
    forged = forged[: forged.index("<ds:Signature")] + forged[forged.index("</ds:Signature>") + 15 :]
    wrapped = text[:start] + forged + text[start:]
    claims = verify_saml_response(
        base64.b64encode(wrapped.encode()).decode(), certificates=CERTIFICATES, entity_id=ENTITY, now=NOW
    )
    assert claims.subject == "alice"


def test_doctype_and_garbage_are_refused_before_parsing_G3() -> None:
    """§G.3: a DOCTYPE (entity expansion) or text that is not base64 XML is InvalidIdentityToken."""
    doctype = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    for bad in (base64.b64encode(doctype.encode()).decode(), "not base64!", base64.b64encode(b"<a").decode()):
        with pytest.raises(InvalidIdentityTokenError):
            verify(bad)


def test_issuer_must_be_the_providers_entity_G3() -> None:
    """§G.3 (UG "Troubleshoot SAML"): "Issuer not present in specified provider"."""
    with pytest.raises(InvalidIdentityTokenError, match="Issuer not present in specified provider"):
        verify(mint(), entity="https://other.example.com")


def test_validity_window_on_the_given_clock_G3() -> None:
    """§G.3: NotOnOrAfter passed is ExpiredTokenException; before NotBefore is InvalidIdentityToken."""
    assertion = mint(expires_in=60)
    verify(assertion, now=NOW + datetime.timedelta(seconds=59))
    with pytest.raises(ExpiredWebIdentityTokenError):
        verify(assertion, now=NOW + datetime.timedelta(seconds=60))
    with pytest.raises(InvalidIdentityTokenError, match="too early"):
        verify(assertion, now=NOW - datetime.timedelta(seconds=1))


def test_session_duration_attribute_range_G3() -> None:
    """§G.3: SessionDuration, when given, is an integer from 900 to 43200."""
    claims = verify_saml_response(mint(session_duration=900), certificates=CERTIFICATES, entity_id=ENTITY, now=NOW)
    assert claims.session_duration == 900
    with pytest.raises(InvalidIdentityTokenError, match="SessionDuration"):
        verify(mint(session_duration=60))


def test_context_keys_of_the_assertion_E() -> None:
    """§E: saml:aud/iss/sub/sub_type/namequalifier and eduPerson attributes by OID."""
    eppn = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"
    claims = verify_saml_response(
        mint(attributes={eppn: ["alice@example.com"]}), certificates=CERTIFICATES, entity_id=ENTITY, now=NOW
    )
    context = saml_context(claims, "qualifier")
    assert context["saml:aud"] == "https://signin.aws.amazon.com/saml"
    assert context["saml:iss"] == ENTITY
    assert context["saml:sub"] == "alice"
    assert context["saml:sub_type"] == "persistent"
    assert context["saml:namequalifier"] == "qualifier"
    assert context["saml:edupersonprincipalname"] == "alice@example.com"


def test_metadata_certificate_must_be_x509_H5() -> None:
    """CreateSAMLProvider: a KeyDescriptor whose certificate is not X.509 DER is "Could not parse metadata"."""
    broken = IDP.metadata().replace("<ds:X509Certificate>", "<ds:X509Certificate>AAAA")
    with pytest.raises(InvalidInputError, match="Could not parse metadata"):
        metadata_signing(broken)
