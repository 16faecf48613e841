"""SigV4 shortcuts give the answers of the long way (§G.9; ``_wire/sigv4.py``).

``parse_authorization`` reads the part before the signature once per distinct text
(``_known_head``) and the whole header otherwise; for any header, well formed or not, it must
give exactly what reading the whole header gives: the same fields, or the same AWS error.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from iamsim._wire.http import HttpRequest
from iamsim._wire.sigv4 import SKEW_LIMIT, SigV4Credentials, _read_fields, _request_timestamp, parse_authorization
from iamsim.errors import ServiceError, SignatureDoesNotMatchError

_ITEMS = [
    "Credential=AKIAEXAMPLE/20260101/us-east-1/dynamodb/aws4_request",
    "Credential=AKIAEXAMPLE/20260101/us-east-1/dynamodb/aws4_other",
    "Credential=AKIAEXAMPLE/20260101/us-east-1/aws4_request",
    "Credential=",
    "SignedHeaders=host;x-amz-date",
    " SignedHeaders = Host ; X-Amz-Date ",
    "SignedHeaders=content-type",
    "Signature=abc123",
    "Signature=",
    " Signature = d00d ",
    "Signature=a=b",
    "NoEquals",
    "",
]


def _outcome(call: object) -> object:
    try:
        return call()  # type: ignore[operator]
    except ServiceError as error:
        return (type(error).__name__, error.message)


@settings(max_examples=400, deadline=None)
@given(
    algorithm=st.sampled_from(["AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", ""]),
    items=st.lists(st.sampled_from(_ITEMS), max_size=5),
    dated=st.booleans(),
)
def test_known_head_reads_as_the_whole_header_G9(algorithm: str, items: list[str], dated: bool) -> None:
    """§G.9: the cached reading of the head never changes a field or an error of the whole reading."""
    header = f"{algorithm} {','.join(items)}"
    headers = {"Authorization": header, "Host": "dynamodb.us-east-1.amazonaws.com"}
    if dated:
        headers["X-Amz-Date"] = "20260101T000000Z"
    request = HttpRequest("POST", "https://dynamodb.us-east-1.amazonaws.com/", headers)
    parsed = _outcome(lambda: parse_authorization(request))
    if not header.strip():
        assert parsed[0] == "MissingAuthenticationTokenError"  # type: ignore[index]
        return
    whole = _outcome(lambda: _read_fields(header, _request_timestamp(request))[0])
    if isinstance(whole, tuple) and isinstance(whole[0], str) and len(whole) == 2:
        # The whole header is bad: parse_authorization raises the same error.
        assert parsed == whole
        return
    if isinstance(parsed, tuple):
        # A good header still fails later checks (Host or the time unsigned, the scope's date): never earlier ones.
        assert parsed[0] == "SignatureDoesNotMatchError"
        return
    key, date, region, service, signed, signature = whole  # type: ignore[misc]
    assert (parsed.access_key_id, parsed.date, parsed.region, parsed.service) == (key, date, region, service)
    assert (parsed.signed_headers, parsed.signature) == (signed, signature)


@settings(max_examples=200, deadline=None)
@given(secret=st.text(min_size=1, max_size=60), message=st.text(max_size=300))
def test_signature_hmac_from_padded_states_equals_hmac_new_G9(secret: str, message: str) -> None:
    """SigV4's last step, HMAC-SHA256 from the cached padded key states, equals the standard library's HMAC."""
    import hashlib
    import hmac

    from iamsim._wire.sigv4 import _keyed_states, _signing_key

    inner, outer = _keyed_states(secret, "20260101", "us-east-1", "s3")
    digest = inner.copy()
    digest.update(message.encode("utf-8", "surrogatepass"))
    result = outer.copy()
    result.update(digest.digest())
    key = _signing_key(secret, "20260101", "us-east-1", "s3")
    assert result.hexdigest() == hmac.new(key, message.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


_URL_PARTS = ["", "/", "//", "/a/../b", "/./c/", "/%41%2F", "/k ey", "/ü", "?", "?b=2&a=1", "?a=&a", "?x=%2f&y=~"]


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from(_URL_PARTS), max_size=4), s3=st.booleans())
def test_canonical_target_cached_per_url_equals_reading_it_G9(parts: list[str], s3: bool) -> None:
    """§G.9: the canonical path and query kept per URL are exactly those read from the URL each time."""
    from urllib.parse import urlsplit

    from iamsim._wire.sigv4 import _canonical_path, _canonical_query, _canonical_target

    url = "https://bucket.s3.us-east-1.amazonaws.com" + "".join(parts)
    split = urlsplit(url)
    path = (split.path or "/") if s3 else _canonical_path(split.path)
    query = _canonical_query(split.query) if split.query else ""
    for _ in range(2):  # the first reading fills the cache, the second comes from it
        assert _canonical_target(url, s3) == (path, query)


_START = datetime(2026, 1, 1, tzinfo=UTC)


@settings(max_examples=400, deadline=None)
@given(
    signed=st.integers(min_value=-400_000_000, max_value=400_000_000),
    now=st.integers(min_value=-400_000_000, max_value=400_000_000),
    zone=st.sampled_from(["utc", "naive", "plus-two"]),
)
def test_skew_check_in_microseconds_equals_whole_second_arithmetic_G9(signed: int, now: int, zone: str) -> None:
    """§G.9: the signing time may lie at most five minutes from the server's second: the integer check keeps
    exactly the bounds of truncating the server's time to its second and comparing datetimes."""
    signed_at = _START + timedelta(microseconds=signed)
    server = _START + timedelta(microseconds=now)
    claims = SigV4Credentials(
        "AKIAEXAMPLE", "20260101", "us-east-1", "s3", ("host",), "ab", None, "20260101T000000Z", signed_at,
        HttpRequest("GET", "https://example.com/"),
    )  # fmt: skip
    second = server.replace(microsecond=0)
    expected = "early" if signed_at < second - SKEW_LIMIT else "late" if signed_at > second + SKEW_LIMIT else "ok"
    given_now = {
        "utc": server,
        "naive": server.replace(tzinfo=None),
        "plus-two": server.astimezone(timezone(timedelta(hours=2))),
    }[zone]
    try:
        claims.require_current(given_now)
        found = "ok"
    except SignatureDoesNotMatchError as error:
        found = "early" if error.message.startswith("Signature expired") else "late"
    assert found == expected
