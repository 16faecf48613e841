"""SAML 2.0 authentication responses for AssumeRoleWithSAML (spec §G.3).

:func:`verify_saml_response` is what STS does with the base64 ``SAMLAssertion``
of a request: parse it safely, verify its XML signature with a signing
certificate of the IAM SAML provider's metadata, and read the claims AWS
documents, only from the element the signature covers (so an unsigned element
wrapped around a signed one cannot inject claims). The checks, in order:
signature; issuer = the metadata's ``entityID``; exactly one
``SubjectConfirmation`` whose ``Recipient`` is an AWS sign-in endpoint and whose
``NotOnOrAfter`` has not passed; ``Conditions`` ``NotBefore``/``NotOnOrAfter``;
an ``Audience`` naming the AWS sign-in endpoint; the ``RoleSessionName``
attribute and its pattern. Time is the simulator's clock; no skew is allowed.

XML is parsed by lxml with entity resolution, DTD loading and network access
off, and any DOCTYPE is refused before parsing, so neither entity expansion nor
external references can be triggered by an assertion.

Messages marked *documented* are AWS's words from "Troubleshoot SAML federation
with IAM"; the others are iamsim's own, in the same style.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from cryptography import x509
from lxml import etree
from signxml.exceptions import InvalidInput, InvalidSignature
from signxml.verifier import SignatureConfiguration, XMLVerifier

from iamsim._sts.credentials import AssumedRoleUser, Credentials
from iamsim._sts.params import check_session_tags, check_transitive_keys
from iamsim.errors import ExpiredWebIdentityTokenError, InvalidIdentityTokenError

__all__ = [
    "ATTRIBUTES",
    "SAML_AUDIENCE",
    "SamlClaims",
    "SamlResult",
    "name_qualifier",
    "saml_context",
    "verify_saml_response",
]

#: The global AWS sign-in endpoint assertions are addressed to (Recipient and Audience).
SAML_AUDIENCE: Final = "https://signin.aws.amazon.com/saml"
#: Where AWS's own attribute names start.
ATTRIBUTES: Final = "https://aws.amazon.com/SAML/Attributes/"
_ASSERTION_NS: Final = "urn:oasis:names:tc:SAML:2.0:assertion"
_A: Final = "{" + _ASSERTION_NS + "}"
_NAMEID_PREFIX: Final = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
# The regional sign-in endpoints and the static form AWS also accepts.
_ENDPOINT: Final = re.compile(r"https://([a-z0-9-]+\.)?signin\.aws\.amazon\.com/(static/)?saml")
_SESSION_NAME: Final = re.compile(r"[a-zA-Z_0-9+=,.@-]{2,64}")
_SOURCE_IDENTITY: Final = re.compile(r"[a-zA-Z_0-9+=,.@-]{2,64}")

# Documented AWS messages.
_BAD_SIGNATURE: Final = "Response signature invalid"
_NO_SESSION_NAME: Final = "RoleSessionName is required in AuthnResponse"
_BAD_SESSION_NAME: Final = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"
_BAD_SOURCE_IDENTITY: Final = 'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"'
_NO_AUDIENCE: Final = "Response does not contain the required audience."
_ISSUER: Final = "Issuer not present in specified provider"
# iamsim's own wording.
_NOT_SAML: Final = "Invalid SAML response: the assertion could not be parsed"
_EXPIRED: Final = "Assertion expired: current time {now} is on or after NotOnOrAfter {limit}"
_EARLY: Final = "Assertion used too early: current time {now} is before NotBefore {start}"

#: Attributes named by OID that AWS maps to ``saml:`` context keys (eduPerson, eduOrg and X.500 names).
_OID_KEYS: Final = {
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": "edupersonaffiliation",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.2": "edupersonnickname",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.3": "edupersonorgdn",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.4": "edupersonorgunitdn",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.5": "edupersonprimaryaffiliation",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "edupersonprincipalname",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.7": "edupersonentitlement",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.9": "edupersonscopedaffiliation",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.10": "edupersontargetedid",
    "urn:oid:1.3.6.1.4.1.5923.1.1.1.11": "edupersonassurance",
    "urn:oid:0.9.2342.19200300.100.1.3": "mail",
    "urn:oid:0.9.2342.19200300.100.1.1": "uid",
    "urn:oid:2.5.4.3": "cn",
    "urn:oid:2.5.4.4": "sn",
    "urn:oid:2.5.4.42": "givenName",
    "urn:oid:2.5.4.10": "o",
    "urn:oid:2.5.4.11": "ou",
}

_PARSER: Final = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True, slots=True)
class SamlClaims:
    """The verified claims of one SAML assertion."""

    issuer: str
    subject: str
    subject_type: str
    audience: str
    recipient: str
    roles: tuple[tuple[str, str], ...]
    """(role ARN, provider ARN) pairs of the ``Role`` attribute, whichever order each value gave them in."""
    session_name: str
    session_not_on_or_after: datetime | None
    session_duration: int | None
    source_identity: str | None
    session_tags: tuple[tuple[str, str], ...]
    transitive_tag_keys: tuple[str, ...]
    eduperson: tuple[tuple[str, tuple[str, ...]], ...]
    """Other attributes (``urn:oid:...`` eduPerson and friends), by name, for the ``saml:`` context keys."""


@dataclass(frozen=True, slots=True)
class SamlResult:
    """The response of AssumeRoleWithSAML (§G.3)."""

    credentials: Credentials
    assumed_role_user: AssumedRoleUser
    packed_policy_size: int
    subject: str
    subject_type: str
    issuer: str
    audience: str
    name_qualifier: str
    source_identity: str | None = None


def saml_context(claims: SamlClaims, qualifier: str) -> dict[str, object]:
    """The request context of AssumeRoleWithSAML: the ``saml:`` keys, the session name and the tags (§E)."""
    context: dict[str, object] = {
        "sts:RoleSessionName": claims.session_name,
        "saml:aud": claims.recipient,
        "saml:iss": claims.issuer,
        "saml:sub": claims.subject,
        "saml:sub_type": claims.subject_type,
        "saml:namequalifier": qualifier,
    }
    for name, values in claims.eduperson:
        key = _OID_KEYS.get(name)
        if key is not None and values:
            context[f"saml:{key}"] = values if len(values) > 1 else values[0]
    if claims.source_identity is not None:
        context["sts:SourceIdentity"] = claims.source_identity
    if claims.session_tags:
        for key, value in claims.session_tags:
            context[f"aws:RequestTag/{key}"] = value
        context["aws:TagKeys"] = tuple(k for k, _ in claims.session_tags)
        context["sts:TransitiveTagKeys"] = claims.transitive_tag_keys
    return context


def name_qualifier(issuer: str, account: str, provider_name: str) -> str:
    """AWS's ``NameQualifier``: base64(SHA1(issuer + account + "/" + provider name)) (§G.3)."""
    digest = hashlib.sha1((issuer + account + "/" + provider_name).encode("utf-8"), usedforsecurity=False).digest()
    return base64.b64encode(digest).decode("ascii")


def _time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidIdentityTokenError(_NOT_SAML) from None


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _document(saml_assertion: str) -> bytes:
    try:
        data = base64.b64decode(saml_assertion, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidIdentityTokenError(_NOT_SAML) from None
    if b"<!DOCTYPE" in data.upper():
        raise InvalidIdentityTokenError(_NOT_SAML)
    try:
        etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError:
        raise InvalidIdentityTokenError(_NOT_SAML) from None
    return data


def _signed_assertion(data: bytes, certificates: Sequence[x509.Certificate], now: datetime) -> etree._Element:
    """The signed element, verified with one of ``certificates`` (the Assertion, or the Response holding it)."""
    config = SignatureConfiguration(verification_time=now)
    for certificate in certificates:
        try:
            result = XMLVerifier().verify(data, x509_cert=certificate, parser=_PARSER, expect_config=config)
        except (InvalidSignature, InvalidInput, etree.XMLSyntaxError):
            continue
        signed = result[0].signed_xml if isinstance(result, list) else result.signed_xml
        if signed is None:
            continue
        if signed.tag == f"{_A}Assertion":
            return signed
        assertions = signed.findall(f"{_A}Assertion")
        if len(assertions) == 1:
            return assertions[0]
    raise InvalidIdentityTokenError(_BAD_SIGNATURE)


def _text(element: etree._Element | None) -> str:
    return "" if element is None or element.text is None else element.text.strip()


def _attributes(assertion: etree._Element) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for attribute in assertion.iter(f"{_A}Attribute"):
        name = attribute.get("Name")
        if name:
            found[name] = found.get(name, ()) + tuple(_text(v) for v in attribute.findall(f"{_A}AttributeValue"))
    return found


def _role_pairs(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for value in values:
        parts = [part.strip() for part in value.split(",")]
        if len(parts) != 2:
            continue
        first, second = parts
        # Either order is accepted: the provider ARN is the one naming a saml-provider.
        pairs.append((second, first) if ":saml-provider/" in first else (first, second))
    return tuple(pairs)


def _check_window(now: datetime, start: datetime | None, limit: datetime | None) -> None:
    if limit is not None and now >= limit:
        raise ExpiredWebIdentityTokenError(_EXPIRED.format(now=_stamp(now), limit=_stamp(limit)))
    if start is not None and now < start:
        raise InvalidIdentityTokenError(_EARLY.format(now=_stamp(now), start=_stamp(start)))


def _subject(assertion: etree._Element, now: datetime) -> tuple[str, str, str]:
    subject = assertion.find(f"{_A}Subject")
    if subject is None:
        raise InvalidIdentityTokenError(_NOT_SAML)
    confirmations = subject.findall(f"{_A}SubjectConfirmation")
    data = confirmations[0].find(f"{_A}SubjectConfirmationData") if len(confirmations) == 1 else None
    recipient = None if data is None else data.get("Recipient")
    limit = None if data is None else _time(data.get("NotOnOrAfter"))
    if data is None or recipient is None or limit is None:
        raise InvalidIdentityTokenError(
            "The SubjectConfirmation must have exactly one SubjectConfirmationData with Recipient and NotOnOrAfter"
        )
    if not _ENDPOINT.fullmatch(recipient):
        raise InvalidIdentityTokenError(_NO_AUDIENCE)
    _check_window(now, None, limit)
    name_id = subject.find(f"{_A}NameID")
    name_format = "" if name_id is None else name_id.get("Format", "")
    return _text(name_id), name_format.removeprefix(_NAMEID_PREFIX), recipient


def _audience(assertion: etree._Element, now: datetime) -> str:
    conditions = assertion.find(f"{_A}Conditions")
    if conditions is not None:
        _check_window(now, _time(conditions.get("NotBefore")), _time(conditions.get("NotOnOrAfter")))
    audiences = [] if conditions is None else [_text(a) for a in conditions.iter(f"{_A}Audience")]
    audience = next((a for a in audiences if _ENDPOINT.fullmatch(a)), None)
    if audience is None:
        raise InvalidIdentityTokenError(_NO_AUDIENCE)
    return audience


def _session(attributes: dict[str, tuple[str, ...]]) -> tuple[str, int | None, str | None]:
    names = attributes.get(ATTRIBUTES + "RoleSessionName", ())
    if not names:
        raise InvalidIdentityTokenError(_NO_SESSION_NAME)
    if not _SESSION_NAME.fullmatch(names[0]):
        raise InvalidIdentityTokenError(_BAD_SESSION_NAME)
    durations = attributes.get(ATTRIBUTES + "SessionDuration", ())
    duration = None
    if durations:
        if not durations[0].isdigit() or not 900 <= int(durations[0]) <= 43200:
            raise InvalidIdentityTokenError("SessionDuration in AuthnResponse must be an integer from 900 to 43200")
        duration = int(durations[0])
    identities = attributes.get(ATTRIBUTES + "SourceIdentity", ())
    identity = identities[0] if identities else None
    if identity is not None and (not _SOURCE_IDENTITY.fullmatch(identity) or identity.lower().startswith("aws:")):
        raise InvalidIdentityTokenError(_BAD_SOURCE_IDENTITY)
    return names[0], duration, identity


def _tags(attributes: dict[str, tuple[str, ...]]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    prefix = ATTRIBUTES + "PrincipalTag:"
    # STS does not support multi-valued session tags; the first value is the tag (§G.1).
    pairs = [
        (name[len(prefix) :], values[0]) for name, values in attributes.items() if name.startswith(prefix) and values
    ]
    tags = check_session_tags(pairs)
    transitive = check_transitive_keys(attributes.get(ATTRIBUTES + "TransitiveTagKeys", ()), tags)
    return tags, transitive


def verify_saml_response(
    saml_assertion: str,
    *,
    certificates: Sequence[x509.Certificate],
    entity_id: str,
    now: datetime,
) -> SamlClaims:
    """Verify a base64 SAML response as STS does for AssumeRoleWithSAML and return its claims (§G.3).

    Raises :class:`~iamsim.errors.InvalidIdentityTokenError` for every failure
    except an expired assertion, which raises
    :class:`~iamsim.errors.ExpiredWebIdentityTokenError` (``ExpiredTokenException``).
    """
    data = _document(saml_assertion)
    assertion = _signed_assertion(data, certificates, now)
    issuer = _text(assertion.find(f"{_A}Issuer"))
    if issuer != entity_id:
        raise InvalidIdentityTokenError(_ISSUER)
    subject, subject_type, recipient = _subject(assertion, now)
    audience = _audience(assertion, now)
    attributes = _attributes(assertion)
    session_name, duration, identity = _session(attributes)
    tags, transitive = _tags(attributes)
    statement = assertion.find(f"{_A}AuthnStatement")
    session_end = None if statement is None else _time(statement.get("SessionNotOnOrAfter"))
    others = tuple((name, values) for name, values in sorted(attributes.items()) if not name.startswith(ATTRIBUTES))
    return SamlClaims(
        issuer=issuer,
        subject=subject,
        subject_type=subject_type,
        audience=audience,
        recipient=recipient,
        roles=_role_pairs(attributes.get(ATTRIBUTES + "Role", ())),
        session_name=session_name,
        session_not_on_or_after=session_end,
        session_duration=duration,
        source_identity=identity,
        session_tags=tags,
        transitive_tag_keys=transitive,
        eduperson=others,
    )
