"""A hostile review of the SigV4 check on the remembered-signer path (§G.9; ``_wire/sigv4.py``, ``signer.py``).

The signer is remembered from the first request; each test then presents a request AWS
refuses (another body, a changed, missing, repeated or unsigned header, a header's name
in other case) and checks the refusal, or the acceptance where AWS accepts. AWS page:
"Create a signed AWS API request" (IAM User Guide,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
header names are case-insensitive, the canonical request covers every signed header's
value and the payload's hash, Host and the signing time must be signed.
"""

from __future__ import annotations

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from iamsim import Simulator, SystemClock
from iamsim._enforce.signer import Signers
from iamsim._simulator.signed import CallerResolver
from iamsim._wire.http import HttpRequest
from iamsim._wire.sigv4 import parse_authorization
from iamsim.errors import SignatureDoesNotMatchError

from .world import REGION

BODY = b'{"TableName": "orders"}'


@pytest.fixture
def remembered() -> tuple[Signers, list[tuple[str, str]]]:
    """A signer remembered from one valid DynamoDB request, and that request's headers (as sent, in order)."""
    sim = Simulator()
    sim.create_user("app")
    key = sim.create_access_key("app")
    request = AWSRequest(
        method="POST",
        url="https://dynamodb.us-east-1.amazonaws.com/",
        headers={"X-Amz-Target": "DynamoDB_20120810.GetItem", "Content-Type": "application/x-amz-json-1.0"},
        data=BODY,
    )
    SigV4Auth(Credentials(key.access_key_id, key.secret_access_key), "dynamodb", REGION).add_auth(request)
    headers = [(name, str(value)) for name, value in request.headers.items()]
    signers = Signers(CallerResolver(sim, clock=SystemClock()))
    for _ in range(2):
        signers.caller(parse_authorization(_request(headers)))
    return signers, headers


def _request(headers: list[tuple[str, str]], body: bytes = BODY) -> HttpRequest:
    return HttpRequest("POST", "https://dynamodb.us-east-1.amazonaws.com/", headers, body)


def _refused(signers: Signers, request: HttpRequest) -> str:
    with pytest.raises(SignatureDoesNotMatchError) as caught:
        signers.caller(parse_authorization(request))
    return caught.value.message


def test_another_body_is_refused_G9(remembered: tuple[Signers, list[tuple[str, str]]]) -> None:
    """§G.9: the signature covers the body's hash; the same headers over another body are refused."""
    signers, headers = remembered
    _refused(signers, _request(headers, b'{"TableName": "payroll"}'))


def test_a_changed_signed_header_is_refused_G9(remembered: tuple[Signers, list[tuple[str, str]]]) -> None:
    """§G.9: a signed header's value (the operation, X-Amz-Target) changed after signing is refused."""
    signers, headers = remembered
    changed = [(n, "DynamoDB_20120810.DeleteTable" if n == "X-Amz-Target" else v) for n, v in headers]
    _refused(signers, _request(changed))


def test_a_missing_signed_header_is_refused_G9(remembered: tuple[Signers, list[tuple[str, str]]]) -> None:
    """§G.9: a header named in SignedHeaders but left out of the request is refused (its value is not the one
    signed)."""
    signers, headers = remembered
    _refused(signers, _request([(n, v) for n, v in headers if n != "X-Amz-Target"]))


def test_a_repeated_header_with_another_value_is_refused_G9(remembered: tuple[Signers, list[tuple[str, str]]]) -> None:
    """§G.9: a signed header sent twice (in other case, with another value) is not the signed value: refused."""
    signers, headers = remembered
    _refused(signers, _request([*headers, ("x-amz-target", "DynamoDB_20120810.DeleteTable")]))


def test_header_names_in_any_case_are_the_same_headers_G9(remembered: tuple[Signers, list[tuple[str, str]]]) -> None:
    """§G.9: header names are case-insensitive; the request with its names upper- or lowercased is accepted."""
    signers, headers = remembered
    for case in (str.upper, str.lower):
        caller = signers.caller(parse_authorization(_request([(case(n), v) for n, v in headers])))
        assert caller.principal.arn.endswith(":user/app")


def test_host_or_signing_time_left_out_of_signed_headers_is_refused_G9(
    remembered: tuple[Signers, list[tuple[str, str]]],
) -> None:
    """§G.9: Host and X-Amz-Date must be signed, on the remembered path too (AWS's messages)."""
    signers, headers = remembered
    for signed, message in (("host;", "'Host' or ':authority'"), (";x-amz-date", "'X-Amz-Date'")):
        unsigned = [(n, v.replace(signed, "") if n == "Authorization" else v) for n, v in headers]
        assert message in _refused(signers, _request(unsigned))


def test_an_unsigned_or_false_payload_hash_header_is_refused_G9(
    remembered: tuple[Signers, list[tuple[str, str]]],
) -> None:
    """§G.9: an X-Amz-Content-SHA256 header the signature does not cover (UNSIGNED-PAYLOAD or any hash) is refused:
    the body served must be the body signed."""
    signers, headers = remembered
    for declared in ("UNSIGNED-PAYLOAD", "0" * 64):
        _refused(signers, _request([*headers, ("X-Amz-Content-SHA256", declared)]))
