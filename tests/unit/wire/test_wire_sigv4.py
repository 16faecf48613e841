"""SigV4 verification against signatures made by botocore's own SigV4Auth (§G.9)."""

from __future__ import annotations

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from iamsim._wire.http import HttpRequest
from iamsim._wire.sigv4 import SIGNATURE_MISMATCH_MESSAGE, parse_authorization, verify_signature
from iamsim.errors import IncompleteSignatureError, MissingAuthenticationTokenError, SignatureDoesNotMatchError

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
BODY = b"Action=GetCallerIdentity&Version=2011-06-15"


def _signed(
    *,
    url: str = "https://sts.amazonaws.com/",
    body: bytes = BODY,
    token: str | None = None,
    region: str = "us-east-1",
    headers: dict[str, str] | None = None,
    method: str = "POST",
) -> HttpRequest:
    request = AWSRequest(
        method=method,
        url=url,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", **(headers or {})},
    )
    SigV4Auth(Credentials(ACCESS_KEY, SECRET, token), "sts", region).add_auth(request)
    return HttpRequest(request.method, request.url, dict(request.headers.items()), request.body or b"")


def test_g9_botocore_signature_verifies() -> None:
    """A request signed by botocore with the secret verifies with that secret."""
    assert verify_signature(_signed(), SECRET) is True


def test_g9_wrong_secret_does_not_verify() -> None:
    """The same request checked against another secret does not verify."""
    assert verify_signature(_signed(), SECRET + "x") is False


def test_g9_tampered_body_does_not_verify() -> None:
    """Changing the body after signing breaks the payload hash."""
    signed = _signed()
    tampered = HttpRequest(signed.method, signed.url, signed.headers, BODY.replace(b"GetCallerIdentity", b"AssumeRole"))
    assert verify_signature(tampered, SECRET) is False


def test_g9_tampered_signed_header_does_not_verify() -> None:
    """Changing a signed header (the time of X-Amz-Date) after signing breaks the signature."""
    signed = _signed()
    headers = dict(signed.headers)
    stamp = headers["X-Amz-Date"]
    headers["X-Amz-Date"] = stamp[:9] + ("000000Z" if stamp[9:] != "000000Z" else "000001Z")
    assert verify_signature(HttpRequest(signed.method, signed.url, headers, signed.body), SECRET) is False


def test_g9_date_outside_the_credential_scope_is_signature_does_not_match() -> None:
    """§G.9 (SigV4 docs): the scope's date must be the signing day; AWS names both dates."""
    signed = _signed()
    headers = {**signed.headers, "X-Amz-Date": "20000101T000000Z"}
    with pytest.raises(SignatureDoesNotMatchError, match="Date in Credential scope does not match"):
        parse_authorization(HttpRequest(signed.method, signed.url, headers, signed.body))


def test_unsigned_headers_may_change() -> None:
    """Headers outside SignedHeaders (User-Agent is added by transports) do not matter."""
    signed = _signed()
    headers = {**signed.headers, "User-Agent": "something else"}
    assert "user-agent" not in parse_authorization(signed).signed_headers
    assert verify_signature(HttpRequest(signed.method, signed.url, headers, signed.body), SECRET) is True


def test_session_token_is_read_and_signed() -> None:
    """Temporary credentials: X-Amz-Security-Token is read and is part of the signature."""
    signed = _signed(token="FQoGZXIvYXdzEXAMPLE")
    credentials = parse_authorization(signed)
    assert credentials.session_token == "FQoGZXIvYXdzEXAMPLE"
    assert "x-amz-security-token" in credentials.signed_headers
    assert verify_signature(signed, SECRET)
    headers = {**signed.headers, "X-Amz-Security-Token": "other"}
    assert not verify_signature(HttpRequest(signed.method, signed.url, headers, signed.body), SECRET)


def test_credential_scope_is_parsed() -> None:
    """The Credential scope gives access key, date, region and service."""
    credentials = parse_authorization(_signed(region="eu-west-1", url="https://sts.eu-west-1.amazonaws.com/"))
    assert credentials.access_key_id == ACCESS_KEY
    assert credentials.region == "eu-west-1"
    assert credentials.service == "sts"
    assert credentials.scope == f"{credentials.date}/eu-west-1/sts/aws4_request"
    assert credentials.session_token is None


def test_get_with_query_string_and_port_verifies() -> None:
    """GET requests sign the canonical query; a non-default port is part of the host."""
    signed = _signed(
        method="GET",
        url="http://localhost:4566/?Version=2011-06-15&Action=GetCallerIdentity&X=a%20b%2Fc",
        body=b"",
    )
    assert verify_signature(signed, SECRET)
    reordered = HttpRequest("GET", "http://localhost:4566/?X=a%20b%2Fc&Action=GetCallerIdentity&Version=2011-06-15")
    reordered = HttpRequest(reordered.method, reordered.url, signed.headers)
    assert verify_signature(reordered, SECRET)
    changed = HttpRequest("GET", "http://localhost:4566/?Version=2011-06-15&Action=GetSessionToken", signed.headers)
    assert not verify_signature(changed, SECRET)


def test_date_header_instead_of_x_amz_date() -> None:
    """A request dated by the Date header (no X-Amz-Date) verifies too."""
    signed = _signed(headers={"Date": "Thu, 01 Jan 2026 00:00:00 GMT"})
    assert "X-Amz-Date" not in signed.headers
    assert verify_signature(signed, SECRET)


def test_require_valid_signature_raises_awss_error() -> None:
    """require_valid_signature raises SignatureDoesNotMatch with AWS's message."""
    credentials = parse_authorization(_signed())
    credentials.require_valid_signature(SECRET)
    with pytest.raises(SignatureDoesNotMatchError) as caught:
        credentials.require_valid_signature("nope")
    assert caught.value.message == SIGNATURE_MISMATCH_MESSAGE
    assert caught.value.status == 403


def test_missing_authorization_header() -> None:
    """No Authorization header at all is MissingAuthenticationToken (403)."""
    with pytest.raises(MissingAuthenticationTokenError) as caught:
        parse_authorization(HttpRequest("POST", "https://sts.amazonaws.com/", {}, BODY))
    assert caught.value.message == "Request is missing Authentication Token"
    assert caught.value.status == 403


def _with_authorization(value: str, **extra: str) -> HttpRequest:
    headers = {"Authorization": value, "X-Amz-Date": "20260101T000000Z", **extra}
    return HttpRequest("POST", "https://sts.amazonaws.com/", headers, BODY)


def test_garbled_pair_is_incomplete_signature() -> None:
    """A part without '=' gives AWS's 'not a valid key=value pair' message (observed wording)."""
    header = f"AWS4-HMAC-SHA256 Credential= {ACCESS_KEY}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, x"
    with pytest.raises(IncompleteSignatureError) as caught:
        parse_authorization(_with_authorization(header))
    assert caught.value.message == (
        f"'x' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'."
    )
    assert caught.value.status == 400


def test_missing_parts_are_all_named() -> None:
    """Missing Credential, Signature, SignedHeaders and date are all listed, then the header."""
    request = HttpRequest("POST", "https://sts.amazonaws.com/", {"Authorization": "AWS4-HMAC-SHA256 "}, BODY)
    with pytest.raises(IncompleteSignatureError) as caught:
        parse_authorization(request)
    assert caught.value.message == (
        "Authorization header requires 'Credential' parameter. "
        "Authorization header requires 'Signature' parameter. "
        "Authorization header requires 'SignedHeaders' parameter. "
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        "Authorization=AWS4-HMAC-SHA256 "
    )


def test_credential_with_wrong_element_count() -> None:
    """A Credential that is not keyid/date/region/service/term is refused with AWS's wording."""
    header = "AWS4-HMAC-SHA256 Credential=AKID/20260101/sts, SignedHeaders=host, Signature=00"
    with pytest.raises(IncompleteSignatureError, match="Credential must have exactly 5 slash-delimited elements"):
        parse_authorization(_with_authorization(header))


def test_other_algorithms_are_refused() -> None:
    """Only AWS4-HMAC-SHA256 is verified (no SigV2, no SigV4a)."""
    with pytest.raises(IncompleteSignatureError, match="Unsupported AWS 'algorithm'"):
        parse_authorization(_with_authorization("AWS AKID:signature"))
