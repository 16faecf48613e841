"""Bad HTTP input gets the status and body AWS or the metadata service would send; never a crash or a hang."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from serve.conftest import Served


def _raw(served: Served, data: bytes) -> bytes:
    parts = urlsplit(served.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_unsigned_request_to_an_unknown_path_is_missing_authentication_token(served: Served) -> None:
    """An unsigned request that names no service is AWS's 403 MissingAuthenticationToken (§G.9)."""
    status, _, body = served.request("GET", "/no/such/path")
    assert status == 403
    assert b"<Code>MissingAuthenticationToken</Code>" in body


def test_oversized_body_is_413_before_it_is_read(served: Served) -> None:
    """A body over the limit is refused with 413 from its Content-Length, without waiting for the body."""
    answer = _raw(
        served,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 999999999\r\n\r\nAction=GetCallerIdentity",
    )
    assert answer.startswith(b"HTTP/1.1 413")


def test_malformed_request_line_and_headers_are_400(served: Served) -> None:
    """Garbage on the wire gets 400 from the server, not a dropped connection or a hang."""
    assert _raw(served, b"NONSENSE\r\n\r\n").startswith(b"HTTP/1.")
    answer = _raw(served, b"GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n")
    assert answer.split(b"\r\n")[0].endswith(b" 400 Bad Request")
    answer = _raw(served, b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -4\r\n\r\n")
    assert answer.split(b"\r\n")[0].endswith(b" 400 Bad Request")


def test_wrong_content_type_for_iam_is_an_aws_error(served: Served) -> None:
    """A signed IAM request whose body is JSON, not a form, gets an AWS XML error, not a traceback (§G.9)."""
    import botocore.auth
    import botocore.awsrequest

    credentials = served.session.get_credentials()
    request = botocore.awsrequest.AWSRequest(
        "POST", served.url + "/", data=b'{"Action": "ListUsers"}', headers={"Content-Type": "application/json"}
    )
    botocore.auth.SigV4Auth(credentials, "iam", "us-east-1").add_auth(request)
    prepared = request.prepare()
    status, _, body = served.request("POST", "/", headers=dict(prepared.headers), body=prepared.body)
    assert 400 <= status < 500
    assert b"<ErrorResponse" in body
    assert b"<Code>" in body


def test_keep_alive_connection_serves_several_requests(served: Served) -> None:
    """HTTP/1.1 keep-alive: several requests on one connection, each answered with a Content-Length."""
    import http.client

    parts = urlsplit(served.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        for _ in range(3):
            connection.request("GET", "/no/such/path")
            response = connection.getresponse()
            assert response.status == 403
            assert int(response.headers["Content-Length"]) == len(response.read())
    finally:
        connection.close()


def test_strict_credentials_unknown_keys_are_refused(served: Served) -> None:
    """§G.9: keys the simulator never issued are InvalidClientTokenId over HTTP too."""
    import boto3
    import pytest
    from botocore.exceptions import ClientError

    stranger = boto3.Session(
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x" * 40, region_name="us-east-1"
    )
    with pytest.raises(ClientError) as caught:
        stranger.client("sts", endpoint_url=served.url).get_caller_identity()
    assert caught.value.response["Error"]["Code"] == "InvalidClientTokenId"
