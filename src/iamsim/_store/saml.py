"""SAML provider metadata documents as IAM accepts them.

IAM parses the uploaded metadata: it must be a SAML ``EntityDescriptor`` XML
document of 1,000 to 10,000,000 characters. A provider's ``ValidUntil`` is the
document's ``validUntil`` attribute when it has one; otherwise IAM reports a date
100 years after creation. Documents with a DOCTYPE are refused outright, so no
entity declaration is ever expanded.
"""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree import ElementTree

from iamsim._store.validation import check_length, check_pattern
from iamsim.errors import InvalidInputError

__all__ = ["SAML_NAME_PATTERN", "check_saml_name", "metadata_valid_until"]

SAML_NAME_PATTERN = r"[\w._-]+"
_NAME_RE = re.compile(SAML_NAME_PATTERN, re.ASCII)
_NOT_PARSED = "Could not parse metadata"
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def check_saml_name(name: object) -> str:
    """Check a SAML provider name (``[\\w._-]+``, 1..128) and return it."""
    if not isinstance(name, str):
        raise InvalidInputError("The SAML provider name must be a string.")
    check_length(name, "name", 1, 128)
    check_pattern(name, "name", SAML_NAME_PATTERN, _NAME_RE)
    return name


def metadata_valid_until(document: object, created: datetime) -> str:
    """Check ``document`` is SAML metadata; return its ``ValidUntil`` as a store date."""
    if not isinstance(document, str):
        raise InvalidInputError(_NOT_PARSED)
    check_length(document, "sAMLMetadataDocument", 1000, 10_000_000)
    if "<!DOCTYPE" in document.upper():
        raise InvalidInputError(_NOT_PARSED)
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError:
        raise InvalidInputError(_NOT_PARSED) from None
    if root.tag.rsplit("}", 1)[-1] != "EntityDescriptor":
        raise InvalidInputError(_NOT_PARSED)
    stated = root.get("validUntil")
    if stated is None:
        return created.replace(year=created.year + 100).strftime(_DATE_FORMAT)
    try:
        until = datetime.fromisoformat(stated.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError(_NOT_PARSED) from None
    return until.strftime(_DATE_FORMAT)
