"""botocore's request headers read as :class:`Headers` (§G.9: the SigV4 check reads the headers as sent).

``botocore_headers`` reads botocore's ``HeadersDict`` through its keys' own lowercased
names; whatever botocore holds, the result must equal the general reading of the same
headers (names as sent, any case found, values as text).
"""

from __future__ import annotations

from typing import Any

from botocore.awsrequest import HeadersDict

from iamsim._enforce.hook import botocore_headers
from iamsim._wire.http import Headers


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return list(headers.items())


def test_headers_dict_reads_as_the_general_reading_G9() -> None:
    """§G.9: names as sent, lookups in any case, octets decoded as ISO-8859-1, as ``Headers`` reads them."""
    raw: list[tuple[str, Any]] = [
        ("X-Amz-Date", b"20260101T000000Z"),
        ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/s3/aws4_request"),
        ("x-amz-meta-name", "caf\xe9".encode("iso-8859-1")),
        ("Content-Length", "49"),
    ]
    found = botocore_headers(HeadersDict(raw))
    expected = Headers(raw)
    assert found == expected
    assert _pairs(found) == _pairs(expected)
    assert found.get("x-amz-date") == found["X-AMZ-DATE"] == "20260101T000000Z"
    assert found.get("X-Amz-Meta-Name") == "caf\xe9"
    assert "authorization" in found
    assert "Host" not in found


def test_a_later_header_replaces_one_of_another_case_G9() -> None:
    """§G.9: botocore keeps one value per name in any case; so does the reading (the name as first sent)."""
    headers = HeadersDict()
    headers["X-Amz-Date"] = "20260101T000000Z"
    headers["x-amz-date"] = "20260101T000001Z"
    found = botocore_headers(headers)
    assert len(found) == 1
    assert found["X-Amz-Date"] == "20260101T000001Z"


def test_a_key_of_another_kind_is_read_the_general_way_G9() -> None:
    """§G.9: a ``HeadersDict`` holding a key botocore would not put there still reads as the general way does."""
    headers = HeadersDict({"Host": "example.com"})
    headers._dict["X-Plain"] = b"v"
    assert botocore_headers(headers) == Headers([("Host", "example.com"), ("X-Plain", b"v")])


def test_any_other_mapping_is_read_the_general_way_G9() -> None:
    """§G.9: a plain mapping (a request built outside botocore) reads as ``Headers`` reads it."""
    assert botocore_headers({"Host": "example.com", "X-Amz-Date": b"20260101T000000Z"}) == Headers(
        {"host": "example.com", "x-amz-date": "20260101T000000Z"}
    )
