"""Fuzzing authentication at the dispatcher: whatever the headers hold, only AWS errors come out (§G.9).

Headers, ``Authorization`` contents, signatures, dates, tokens and content hashes are drawn from
any text (non-ASCII included); the dispatcher must answer every request with an AWS-shaped
response, never raise, and never serve a request that no issued secret signed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamsim import ManualClock, Simulator
from iamsim._handlers import build_dispatcher
from iamsim._simulator.signed import CallerResolver
from iamsim._wire.http import HttpRequest

AWS_AUTH_ERRORS = {
    "IncompleteSignature",
    "SignatureDoesNotMatch",
    "InvalidClientTokenId",
    "MissingAuthenticationToken",
    "ExpiredToken",
    # The action is read before authentication (unsigned operations exist): a garbled body fails first.
    "MalformedQueryString",
    "MissingAction",
    "InvalidAction",
}

_SIM = Simulator(clock=ManualClock())
_ROOT = _SIM.root_credentials()
_DISPATCHER = build_dispatcher(_SIM)
_STRICT = CallerResolver(_SIM)
_OPT_IN = CallerResolver(_SIM, unknown_keys_act_as_root=True)

_text = st.text(max_size=80)
_latin1 = st.text(st.characters(max_codepoint=0xFF), max_size=80)
_key_id = st.one_of(st.just(_ROOT.access_key_id), st.just("ASIAEXAMPLEEXAMPLE12"), st.just("testing"), _text)
_date = st.one_of(st.just("20260101T000000Z"), st.just("20261301T000000Z"), _text)
_scope_date = st.one_of(st.just("20260101"), _text)
_signed = st.one_of(st.just("host;x-amz-date"), st.just("host;x-amz-date;x-amz-content-sha256"), _text)
_signature = st.one_of(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64), _text)


@st.composite
def _authorization(draw: Any) -> str:
    if draw(st.booleans()):
        return str(draw(_text))
    algorithm = draw(st.one_of(st.just("AWS4-HMAC-SHA256"), _text))
    credential = "/".join(
        (draw(_key_id), draw(_scope_date), draw(st.sampled_from(["us-east-1", ""])), "iam", "aws4_request")
    )
    parts = [f"Credential={credential}", f"SignedHeaders={draw(_signed)}", f"Signature={draw(_signature)}"]
    order = draw(st.permutations(parts))
    return f"{algorithm} " + draw(st.sampled_from([", ", ",", " , "])).join(order)


@st.composite
def _request(draw: Any) -> HttpRequest:
    headers: dict[str, str] = {"Host": draw(st.one_of(st.just("iam.amazonaws.com"), _latin1))}
    for name, strategy in (
        ("Authorization", _authorization()),
        ("X-Amz-Date", _date),
        ("Date", _text),
        ("X-Amz-Security-Token", _text),
        ("X-Amz-Content-SHA256", _text),
    ):
        if draw(st.booleans()):
            headers[name] = draw(strategy)
    headers.update(draw(st.dictionaries(_latin1.filter(bool), _text, max_size=3)))
    body = draw(st.one_of(st.just(b"Action=CreateUser&UserName=fuzz&Version=2010-05-08"), st.binary(max_size=60)))
    return HttpRequest("POST", "https://iam.amazonaws.com/", headers, body)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=_request(), opt_in=st.booleans())
def test_only_aws_errors_come_out_G9(request: HttpRequest, opt_in: bool) -> None:
    """§G.9: every fuzzed request gets an AWS response; unsigned by an issued secret, it is never served
    (the opt-in may serve a never-issued key as root, and nothing else)."""
    response = _DISPATCHER.handle("iam", request, _OPT_IN if opt_in else _STRICT)
    if response.status == 200:
        assert opt_in
        credential = request.headers["Authorization"].split("Credential=", 1)[1].split("/", 1)[0]
        assert credential != _ROOT.access_key_id
        assert not credential.startswith("ASIA")
        return
    code = ET.fromstring(response.body).find(".//{*}Code")
    assert code is not None
    # Authentication errors, or (for the opt-in's root) the operation's own validation errors.
    assert code.text in AWS_AUTH_ERRORS or opt_in, code.text
