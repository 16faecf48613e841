"""AWS Signature Version 4: read the ``Authorization`` header and check the signature.

The signature is recomputed from the canonical request exactly as the SigV4 signing
process defines it (and as botocore's ``SigV4Auth`` produces it): method, normalised and
URI-encoded path, sorted query, the signed headers trimmed and lowercased, the payload
hash, then the HMAC chain over date, region, service and ``aws4_request``.

Only what the signature covers is trusted, as AWS requires
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):

* ``Host`` and the signing time (``X-Amz-Date``, or ``Date`` without it) must be signed;
* the payload hash is always recomputed from the body. An ``X-Amz-Content-SHA256``
  header, when present, must be signed and equal that hash: IAM and STS Query requests
  have no ``UNSIGNED-PAYLOAD`` or streaming form, so any other value is a mismatch;
* S3 signs differently (botocore's ``S3SigV4Auth``; the S3 API Reference, "Authenticating
  Requests (AWS Signature Version 4)"): its canonical path is the request's path exactly as
  sent (already URI-encoded once, never normalised), and it may declare the payload
  ``UNSIGNED-PAYLOAD`` or ``STREAMING-UNSIGNED-PAYLOAD-TRAILER`` in a signed
  ``X-Amz-Content-SHA256`` header: the signature then covers that literal, not the body;
* the signing time must lie within five minutes of the server's clock
  (:meth:`SigV4Credentials.require_current`), so a captured request cannot be replayed,
  and the date of the credential scope must be the signing time's date.

Every failure is an AWS error (``IncompleteSignature`` or ``SignatureDoesNotMatch``),
whatever characters the headers hold.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlsplit

from iamsim._wire.http import HttpRequest
from iamsim.errors import IncompleteSignatureError, MissingAuthenticationTokenError, SignatureDoesNotMatchError

__all__ = [
    "ALGORITHM",
    "S3_UNSIGNED_PAYLOADS",
    "SIGNATURE_MISMATCH_MESSAGE",
    "SKEW_LIMIT",
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

#: How far the signing time may be from the server's clock, either way, as at AWS.
SKEW_LIMIT = timedelta(minutes=5)
_MICROSECOND = timedelta(microseconds=1)
_SKEW_MICROSECONDS = SKEW_LIMIT // _MICROSECOND

_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_SHA256_BLOCK = 64
if TYPE_CHECKING:
    from hashlib import _Hash as _Sha256
#: The payload declarations S3 accepts in place of the body's hash (signed, the signature covers the literal).
S3_UNSIGNED_PAYLOADS = frozenset({"UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
_REQUIRED_PARTS = ("Credential", "Signature", "SignedHeaders")
# ASCII digits only: ``\d`` would also take other scripts' digits.
_AMZ_DATE = re.compile(r"[0-9]{8}T[0-9]{6}Z", re.ASCII)
_TIMESTAMP_FORMAT = "%Y%m%dT%H%M%SZ"


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
    signed_at: datetime = field(repr=False, compare=False)
    request: HttpRequest = field(repr=False, compare=False)

    @property
    def scope(self) -> str:
        """The credential scope: ``date/region/service/aws4_request``."""
        return f"{self.date}/{self.region}/{self.service}/aws4_request"

    def signature_matches(self, secret_access_key: str) -> bool:
        """Whether the request was signed with ``secret_access_key`` over a body it really carries.

        ``False`` too when an ``X-Amz-Content-SHA256`` header is unsigned or is not the
        body's hash: the signature must cover the body that is served.
        """
        try:
            self.require_valid_signature(secret_access_key)
        except SignatureDoesNotMatchError:
            return False
        return True

    def require_valid_signature(self, secret_access_key: str) -> None:
        """Raise ``SignatureDoesNotMatchError`` unless the request was signed with this secret (over a body it really
        carries: see :meth:`signature_matches`). The check itself, one call on every authenticated request."""
        body_hash = self._s3_unsigned_payload() if self.service == "s3" else None
        if body_hash is None:
            # The body is hashed once: the declared header is checked against it, and the signature covers it.
            body_hash = _payload_hash(self.request.body)
            declared = self.request.headers.by_lowered_name.get("x-amz-content-sha256")
            if declared is not None and not self._payload_header_trusted(declared[1], body_hash):
                raise SignatureDoesNotMatchError(SIGNATURE_MISMATCH_MESSAGE)
        expected = signature_for(self, secret_access_key, body_hash=body_hash)
        # Bytes: compare_digest raises TypeError for str with non-ASCII characters.
        if not hmac.compare_digest(expected.encode("ascii"), self.signature.encode("utf-8", "surrogatepass")):
            raise SignatureDoesNotMatchError(SIGNATURE_MISMATCH_MESSAGE)

    def require_current(self, now: datetime) -> None:
        """Raise AWS's ``SignatureDoesNotMatch`` unless the signing time is within :data:`SKEW_LIMIT` of ``now``.

        ``now`` is the server's clock: the simulator's, so tests that move it (a
        :class:`~iamsim.ManualClock`, freezegun) move the window with it.
        """
        # Naive means UTC, as everywhere in iamsim (a naive astimezone would read it as local time).
        if now.tzinfo is not UTC:
            now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
        # The server's time counts in whole seconds: the signing time's offset from now's second, in exact
        # microseconds (datetime.replace and timedelta arithmetic cost more than the rest of this check).
        offset = (self.signed_at - now) // _MICROSECOND + now.microsecond
        if offset < -_SKEW_MICROSECONDS:
            now = now.replace(microsecond=0)
            raise SignatureDoesNotMatchError(
                f"Signature expired: {self.timestamp} is now earlier than {_stamp(now - SKEW_LIMIT)}"
                f" ({_stamp(now)} - 5 min.)"
            )
        if offset > _SKEW_MICROSECONDS:
            now = now.replace(microsecond=0)
            raise SignatureDoesNotMatchError(
                f"Signature not yet current: {self.timestamp} is still later than {_stamp(now + SKEW_LIMIT)}"
                f" ({_stamp(now)} + 5 min.)"
            )

    def _s3_unsigned_payload(self) -> str | None:
        """The declared unsigned-payload literal of a signed S3 request, else ``None`` (the body is hashed)."""
        if self.service != "s3" or "x-amz-content-sha256" not in self.signed_headers:
            return None
        found = self.request.headers.by_lowered_name.get("x-amz-content-sha256")
        declared = "" if found is None else found[1].strip()
        return declared if declared in S3_UNSIGNED_PAYLOADS else None

    def _payload_header_trusted(self, declared: str, body_hash: str) -> bool:
        """Whether the ``X-Amz-Content-SHA256`` header the request carries (``declared``) is signed and the body's."""
        if "x-amz-content-sha256" not in self.signed_headers:
            return False
        return hmac.compare_digest(declared.strip().encode("utf-8", "surrogatepass"), body_hash.encode("ascii"))


def parse_authorization(request: HttpRequest) -> SigV4Credentials:
    """Read the SigV4 ``Authorization`` header (and ``X-Amz-Security-Token``) of a request.

    Raises ``MissingAuthenticationTokenError`` when there is no header at all and
    ``IncompleteSignatureError`` (AWS's wording) when it is not a complete SigV4 header.
    """
    # Headers read by their lowercased names: a dictionary lookup each, on every request.
    lowered = request.headers.by_lowered_name
    found = lowered.get("authorization")
    if found is None or not found[1].strip():
        raise MissingAuthenticationTokenError()
    header = found[1]
    timing = _request_timestamp(request)
    # Everything before the signature (algorithm, credential scope, signed headers) repeats from request to
    # request of one client and day: read once (_known_head). Only a header that reads without a problem takes
    # this way; anything else is read whole below, which raises AWS's error for it.
    head, _, tail = header.strip().rpartition(",")
    name, equals, signature = tail.partition("=")
    signature = signature.strip()
    known = None
    if timing is not None and equals and signature and name.strip() == "Signature":
        known = _known_head(head)
    if known is None or timing is None:
        known, timing = _read_fields(header, timing)
        signature = known[5]
    access_key_id, date, region, service, signed_headers, _ = known
    stamp, signed_at, time_header = timing
    if "host" not in signed_headers or time_header not in signed_headers:
        _require_signed(signed_headers, time_header)
    if date != stamp[:8]:
        raise SignatureDoesNotMatchError(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP:"
            f" '{date}' != '{stamp[:8]}', from '{stamp}'."
        )
    token = lowered.get("x-amz-security-token")
    return SigV4Credentials(
        access_key_id=access_key_id,
        date=date,
        region=region,
        service=service,
        signed_headers=signed_headers,
        signature=signature,
        session_token=None if token is None else token[1],
        timestamp=stamp,
        signed_at=signed_at,
        request=request,
    )


_Fields = tuple[str, str, str, str, tuple[str, ...], str]
#: The signing time as read by _request_timestamp: the stamp, the time, and the header it came from.
_Timing = tuple[str, datetime, str]
_SOME_TIME: _Timing = ("", datetime.min, "")


def _read_fields(header: str, timing: _Timing | None) -> tuple[_Fields, _Timing]:
    """Key id, date, region, service, signed headers and signature of ``header``, and ``timing``.

    Raises AWS's error for a bad header, and for a request without a signing time (``timing`` ``None``).
    """
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
    if timing is None:
        problems.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    if problems or timing is None:
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
    signed_headers = tuple(name.strip().lower() for name in parts["SignedHeaders"].split(";") if name.strip())
    return (access_key_id, date, region, service, signed_headers, parts["Signature"]), timing


@functools.lru_cache(maxsize=256)
def _known_head(head: str) -> _Fields | None:
    """:func:`_read_fields` of a header whose last item, the signature, was cut off; ``None`` if it has a problem.

    A placeholder signature completes it; the caller uses its own. The header is read by the
    same code, so a head it accepts gives exactly the fields the whole header would.
    """
    try:
        return _read_fields(head + ",Signature=-", _SOME_TIME)[0]
    except IncompleteSignatureError:
        return None


def _require_signed(signed_headers: tuple[str, ...], time_header: str) -> None:
    """AWS trusts no header the signature does not cover: Host and the signing time must be signed.

    Called when one of them is missing (every request is checked; the error names which)."""
    if "host" not in signed_headers:
        raise SignatureDoesNotMatchError("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    if time_header not in signed_headers:
        name = "X-Amz-Date" if time_header == "x-amz-date" else "Date"
        raise SignatureDoesNotMatchError(f"'{name}' must be a 'SignedHeader' in the AWS Authorization.")


def _stamp(at: datetime) -> str:
    return at.strftime(_TIMESTAMP_FORMAT)


def verify_signature(request: HttpRequest, secret_access_key: str) -> bool:
    """Whether ``request`` carries a valid SigV4 signature made with ``secret_access_key``.

    A missing or malformed ``Authorization`` header raises (see :func:`parse_authorization`);
    a well-formed header with a wrong signature gives ``False``.
    """
    return parse_authorization(request).signature_matches(secret_access_key)


def signature_for(credentials: SigV4Credentials, secret_access_key: str, *, body_hash: str | None = None) -> str:
    """The hex signature the request of ``credentials`` would have if signed with this secret.

    ``body_hash`` is the body's SHA-256 when the caller has already computed it.
    """
    canonical = canonical_request(
        credentials.request, credentials.signed_headers, body_hash=body_hash, s3=credentials.service == "s3"
    )
    string_to_sign = "\n".join(
        (ALGORITHM, credentials.timestamp, credentials.scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    )
    inner, outer = _keyed_states(secret_access_key, credentials.date, credentials.region, credentials.service)
    # HMAC-SHA256 (RFC 2104) from the key's padded states: H(outer pad || H(inner pad || message)).
    digest = inner.copy()
    digest.update(string_to_sign.encode("utf-8"))
    result = outer.copy()
    result.update(digest.digest())
    return result.hexdigest()


@functools.lru_cache(maxsize=256)
def _signing_key(secret_access_key: str, date: str, region: str, service: str) -> bytes:
    """The derived SigV4 key: the same for every request of one day, region and service (four HMACs saved)."""
    key = _hmac(f"AWS4{secret_access_key}".encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return key


def canonical_request(
    request: HttpRequest, signed_headers: tuple[str, ...], *, body_hash: str | None = None, s3: bool = False
) -> str:
    """The SigV4 canonical request over the given (lowercase) signed header names (``body_hash``: see above).

    ``s3``: S3's canonical path, the path exactly as sent (see the module documentation).
    """
    path, query = _canonical_target(request.url, s3)
    names, joined = _canonical_names(signed_headers)
    # The signed headers' name:value lines, values trimmed with inner whitespace runs made one space; the names
    # are lowercase already (_canonical_names lowers them), so each is one dictionary lookup.
    items = request.headers.by_lowered_name
    lines = []
    for name in names:
        item = items.get(name)
        # botocore signs Host without setting the header: it is the URL's.
        value = item[1] if item is not None else _host_from_url(request.url) if name == "host" else None
        lines.append(f"{name}:{' '.join(value.split()) if value else ''}\n")
    # Always the body's own hash: a declared X-Amz-Content-SHA256 is checked against it, never trusted.
    payload = _payload_hash(request.body) if body_hash is None else body_hash
    # HttpRequest keeps its method uppercased already. One f-string: every request builds this text.
    return f"{request.method}\n{path}\n{query}\n{''.join(lines)}\n{joined}\n{payload}"


@functools.lru_cache(maxsize=1024)
def _canonical_target(url: str, s3: bool) -> tuple[str, str]:
    """The canonical path and query of ``url`` (one client calls the same few URLs again and again)."""
    parts = urlsplit(url)
    path = (parts.path or "/") if s3 else _canonical_path(parts.path)
    return path, _canonical_query(parts.query) if parts.query else ""


@functools.lru_cache(maxsize=256)
def _canonical_names(signed_headers: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """The signed header names lowercased, sorted without repeats, and joined with ``;`` (the same few sets recur).

    Lowercased here, once per set, so that each request looks its headers up by the lowered name directly.
    """
    names = tuple(sorted({name.lower() for name in signed_headers}))
    return names, ";".join(names)


#: RFC 2104's pads, as byte translation tables (each key byte XOR 0x36, XOR 0x5C).
_INNER_PAD = bytes(x ^ 0x36 for x in range(256))
_OUTER_PAD = bytes(x ^ 0x5C for x in range(256))


@functools.lru_cache(maxsize=256)
def _keyed_states(secret_access_key: str, date: str, region: str, service: str) -> tuple[_Sha256, _Sha256]:
    """SHA-256 states after the inner and outer padded signing key: HMAC's per-key work, done once per day.

    Callers copy them and never update them. Building an HMAC object per request costs more
    than the hashing itself; the digest is the same (tested against :func:`hmac.new`).
    """
    padded = _signing_key(secret_access_key, date, region, service).ljust(_SHA256_BLOCK, b"\0")
    return hashlib.sha256(padded.translate(_INNER_PAD)), hashlib.sha256(padded.translate(_OUTER_PAD))


def _hmac(key: bytes, message: str) -> bytes:
    # One-shot HMAC (OpenSSL's): the same digest as hmac.new(...).digest() without building an HMAC object.
    return hmac.digest(key, message.encode("utf-8"), "sha256")


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


@functools.lru_cache(maxsize=1024)
def _host_from_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    if parts.port is not None and parts.port != default_port:
        host = f"{host}:{parts.port}"
    return host


@functools.lru_cache(maxsize=64)
def _parse_stamp(stamp: str) -> datetime | None:
    """``YYYYMMDDTHHMMSSZ`` as an aware UTC time, or ``None`` if it names no real time."""
    if not _AMZ_DATE.fullmatch(stamp):
        return None
    try:
        return datetime(
            int(stamp[0:4]),
            int(stamp[4:6]),
            int(stamp[6:8]),
            int(stamp[9:11]),
            int(stamp[11:13]),
            int(stamp[13:15]),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def _request_timestamp(request: HttpRequest) -> _Timing | None:
    """The signing time as ``YYYYMMDDTHHMMSSZ`` and as a time, and the header it came from.

    ``X-Amz-Date`` when it holds a real time, else ``Date`` (an HTTP date).
    """
    amz_date = request.headers.by_lowered_name.get("x-amz-date")
    if amz_date is not None:
        stamp = amz_date[1].strip()
        signed_at = _parse_stamp(stamp)
        if signed_at is not None:
            return stamp, signed_at, "x-amz-date"
    date = request.headers.get("Date")
    if date is None:
        return None
    try:
        parsed = parsedate_to_datetime(date)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC)
        signed_at = parsed.replace(tzinfo=UTC, microsecond=0)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return signed_at.strftime(_TIMESTAMP_FORMAT), signed_at, "date"
