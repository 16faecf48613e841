"""AWS Signature Version 4: read the ``Authorization`` header and check the signature.

The signature is recomputed from the canonical request exactly as the SigV4 signing
process defines it (and as botocore's ``SigV4Auth`` produces it): method, normalised and
URI-encoded path, sorted query, the signed headers trimmed and lowercased, the payload
hash, then the HMAC chain over date, region, service and ``aws4_request``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, quote, urlsplit

from iamsim._wire.errors import IncompleteSignatureError, MissingAuthenticationTokenError
from iamsim._wire.http import HttpRequest
from iamsim.errors import SignatureDoesNotMatchError

__all__ = [
    "ALGORITHM",
    "SIGNATURE_MISMATCH_MESSAGE",
    "SigV4Credentials",
    "canonical_request",
    "parse_authorization",
    "signature_for",
    "verify_signature",
]

#: The only signing algorithm iamsim verifies.
ALGORITHM = "AWS4-HMAC-SHA256"

#: AWS's message for a signature computed with another secret (or over another request).
SIGNATURE_MISMATCH_MESSAGE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_REQUIRED_PARTS = ("Credential", "Signature", "SignedHeaders")
_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z")


@dataclass(frozen=True, slots=True)
class SigV4Credentials:
    """What a SigV4 ``Authorization`` header claims: who signed, for which scope, and how.

    ``request`` is the signed request itself, so that whoever knows the secret for
    ``access_key_id`` can check the signature with :meth:`require_valid_signature`.
    """

    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str
    session_token: str | None
    timestamp: str
    request: HttpRequest = field(repr=False, compare=False)

    @property
    def scope(self) -> str:
        """The credential scope: ``date/region/service/aws4_request``."""
        return f"{self.date}/{self.region}/{self.service}/aws4_request"

    def signature_matches(self, secret_access_key: str) -> bool:
        """Whether the request was signed with ``secret_access_key``."""
        expected = signature_for(self, secret_access_key)
        return hmac.compare_digest(expected, self.signature)

    def require_valid_signature(self, secret_access_key: str) -> None:
        """Raise ``SignatureDoesNotMatchError`` unless the request was signed with this secret."""
        if not self.signature_matches(secret_access_key):
            raise SignatureDoesNotMatchError(SIGNATURE_MISMATCH_MESSAGE)


def parse_authorization(request: HttpRequest) -> SigV4Credentials:
    """Read the SigV4 ``Authorization`` header (and ``X-Amz-Security-Token``) of a request.

    Raises ``MissingAuthenticationTokenError`` when there is no header at all and
    ``IncompleteSignatureError`` (AWS's wording) when it is not a complete SigV4 header.
    """
    header = request.headers.get("Authorization")
    if header is None or not header.strip():
        raise MissingAuthenticationTokenError()
    algorithm, _, rest = header.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise IncompleteSignatureError(f"Unsupported AWS 'algorithm': '{algorithm}'")
    parts: dict[str, str] = {}
    for raw in rest.split(","):
        item = raw.strip()
        if not item:
            continue
        name, equals, value = item.partition("=")
        if not equals:
            raise IncompleteSignatureError(
                f"'{item}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'."
            )
        parts[name.strip()] = value.strip()
    problems = [f"Authorization header requires '{name}' parameter." for name in _REQUIRED_PARTS if not parts.get(name)]
    timestamp = _request_timestamp(request)
    if timestamp is None:
        problems.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    if problems:
        raise IncompleteSignatureError(" ".join(problems) + f" Authorization={header}")
    credential = parts["Credential"]
    scope = credential.split("/")
    if len(scope) != 5 or not all(scope):
        raise IncompleteSignatureError(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term,"
            f" got '{credential}'"
        )
    access_key_id, date, region, service, terminator = scope
    if terminator != "aws4_request":
        raise IncompleteSignatureError(
            f"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
        )
    return SigV4Credentials(
        access_key_id=access_key_id,
        date=date,
        region=region,
        service=service,
        signed_headers=tuple(name.strip().lower() for name in parts["SignedHeaders"].split(";") if name.strip()),
        signature=parts["Signature"],
        session_token=request.headers.get("X-Amz-Security-Token"),
        timestamp=timestamp if timestamp is not None else "",
        request=request,
    )


def verify_signature(request: HttpRequest, secret_access_key: str) -> bool:
    """Whether ``request`` carries a valid SigV4 signature made with ``secret_access_key``.

    A missing or malformed ``Authorization`` header raises (see :func:`parse_authorization`);
    a well-formed header with a wrong signature gives ``False``.
    """
    return parse_authorization(request).signature_matches(secret_access_key)


def signature_for(credentials: SigV4Credentials, secret_access_key: str) -> str:
    """The hex signature the request of ``credentials`` would have if signed with this secret."""
    canonical = canonical_request(credentials.request, credentials.signed_headers)
    string_to_sign = "\n".join(
        (ALGORITHM, credentials.timestamp, credentials.scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    )
    key = _hmac(f"AWS4{secret_access_key}".encode(), credentials.date)
    for part in (credentials.region, credentials.service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def canonical_request(request: HttpRequest, signed_headers: tuple[str, ...]) -> str:
    """The SigV4 canonical request over the given (lowercase) signed header names."""
    url = urlsplit(request.url)
    lines = [
        request.method.upper(),
        _canonical_path(url.path),
        _canonical_query(url.query),
        "".join(f"{name}:{_header_value(request, name)}\n" for name in sorted(set(signed_headers))),
        ";".join(sorted(set(signed_headers))),
        request.headers.get("X-Amz-Content-SHA256") or _payload_hash(request.body),
    ]
    return "\n".join(lines)


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def _payload_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest() if body else _EMPTY_SHA256


def _canonical_path(path: str) -> str:
    """Dot segments and empty segments removed, then URI-encoded (botocore's canonical path)."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment and segment != ".":
            segments.append(segment)
    trailing = "/" if path.endswith("/") and segments else ""
    return quote("/" + "/".join(segments) + trailing, safe="/~")


def _canonical_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    encoded = sorted((quote(key, safe="-_.~"), quote(value, safe="-_.~")) for key, value in pairs)
    return "&".join(f"{key}={value}" for key, value in encoded)


def _header_value(request: HttpRequest, name: str) -> str:
    value = request.headers.get(name)
    if value is None and name == "host":
        value = _host_from_url(request.url)
    return " ".join((value or "").split())


def _host_from_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    if parts.port is not None and parts.port != default_port:
        host = f"{host}:{parts.port}"
    return host


def _request_timestamp(request: HttpRequest) -> str | None:
    """The signing time as ``YYYYMMDDTHHMMSSZ``, from ``X-Amz-Date`` or else ``Date``."""
    amz_date = request.headers.get("X-Amz-Date")
    if amz_date is not None and _AMZ_DATE.fullmatch(amz_date.strip()):
        return amz_date.strip()
    date = request.headers.get("Date")
    if date is None:
        return None
    try:
        parsed = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return None
    return parsed.strftime("%Y%m%dT%H%M%SZ")
