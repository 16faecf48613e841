"""botocore's events wired to the authorizer: stash the call, authorize the signed request, observe the answer.

botocore raises, per API call, ``before-parameter-build`` (operation model and parameters,
with the call's ``context`` dict), later ``before-send`` with the signed request (whose
``context`` is that same dict) and, once answered, ``after-call``. :class:`EnforcementHook`
keeps the operation and parameters in the context at the first, authenticates the signer
and authorizes the call at the second (answering a refusal in the service's protocol), and
records what a successful call changed at the third.

A call botocore's ``Stubber`` answers ends at ``before-call``, before it is signed; for it
:meth:`EnforcementHook.before_call` signs the request with the client's own signer and
authorizes it there, the same way (:mod:`iamsim._enforce.stubbed`).

botocore calls *every* ``before-send`` handler and uses the first answer, so a refused
request would still reach moto's handler and change moto's state. The refused request's
URL is therefore pointed at a host no backend serves (``iamsim.refused.invalid``) before
any later handler sees it: the backend never acts on a refused call.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from botocore.awsrequest import AWSResponse, HeadersDict, _HeaderKey
from botocore.compat import HTTPHeaders

from iamsim._enforce.decide import Authorizer
from iamsim._enforce.observe import observe, observed, observes
from iamsim._enforce.render import render_refusal
from iamsim._enforce.render_ec2 import render_ec2_refusal
from iamsim._enforce.signer import Signers
from iamsim._enforce.stubbed import StubberWatch, refusal_answer, signed_request
from iamsim._enforce.table import Where
from iamsim._simulator.core import core_of
from iamsim._simulator.resources import DeniedCall
from iamsim._simulator.signed import CallerResolver
from iamsim._wire.http import Headers, HttpRequest, HttpResponse
from iamsim._wire.sigv4 import S3_UNSIGNED_PAYLOADS, parse_authorization
from iamsim.errors import ServiceError

__all__ = ["REFUSED_URL", "EnforcementHook", "RawBody", "after_call_events", "botocore_headers", "header_text"]

#: Where a refused request is pointed, so that no backend handler acts on it.
REFUSED_URL = "https://iamsim.refused.invalid/"
_CALL = "iamsim.call"
_REFUSAL = "iamsim.refusal"
_WHERE = "iamsim.where"

#: botocore names a client's events after the service's id, hyphenized (``ClientCreator`` registers and
#: emits ``after-call.{service_id.hyphenize()}.{operation}``); where that differs from the botocore service
#: name the tables are keyed by, the id's form is here (each pinned against the installed models by a test).
_EVENT_SERVICE = {"events": "eventbridge", "logs": "cloudwatch-logs", "secretsmanager": "secrets-manager"}


def after_call_events() -> tuple[str, ...]:
    """The ``after-call`` events of exactly the operations iamsim observes.

    Registered one by one rather than on ``after-call`` as a whole: most calls (``GetItem``,
    ``GetObject``, ``SendMessage``) change nothing iamsim records, and botocore then calls no
    iamsim handler for them at all.
    """
    return tuple(f"after-call.{_EVENT_SERVICE.get(service, service)}.{operation}" for service, operation in observed())


class RawBody:
    """The ``raw`` botocore's :class:`AWSResponse` reads a body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        """Yield the body in one piece."""
        if self._body:
            yield self._body


def header_text(value: str | bytes) -> str:
    """A header value botocore holds as text or raw octets, as text."""
    return value.decode("latin-1") if isinstance(value, bytes) else value


def botocore_headers(headers: Any) -> Headers:
    """botocore's request headers as :class:`Headers`."""
    raw = getattr(headers, "_dict", None)
    if type(headers) is not HeadersDict or type(raw) is not dict:
        return Headers(headers)
    # HeadersDict keys each header by a _HeaderKey holding the name as sent and lowercased: read both rather
    # than calling str() on each key and lowercasing it again. Any other key is read the general way.
    items: dict[str, tuple[str, str]] = {}
    for key, value in raw.items():
        if type(key) is not _HeaderKey or type(key._key) is not str:
            return Headers([(str(name), value) for name, value in raw.items()])
        items[key._lower] = (key._key, value.decode("iso-8859-1") if type(value) is bytes else value)
    return Headers.lowered(items)


def _body(request: Any, headers: Headers) -> bytes:
    """The body the signature covers (none for S3's unsigned payloads, which need not be read)."""
    declared = headers.by_lowered_name.get("x-amz-content-sha256")
    if declared is not None and declared[1] in S3_UNSIGNED_PAYLOADS:
        return b""
    body = request.body
    if body is None:
        return b""
    if type(body) is bytes:
        # Shared, not copied: bytes are immutable and HttpRequest keeps exact bytes as they are.
        return body
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode()
    # A seekable stream: read it without consuming it for the backend or a retry.
    position = body.tell()
    data = body.read()
    body.seek(position)
    return data if isinstance(data, bytes) else str(data).encode()


class EnforcementHook:
    """The three botocore handlers of one authorizer (see the module documentation)."""

    def __init__(self, authorizer: Authorizer, resolver: CallerResolver, skip: tuple[str, ...] = ()) -> None:
        self.authorizer = authorizer
        self.resolver = resolver
        self._signers = Signers(resolver)
        self._core = core_of(authorizer.simulator)
        self._stubbers = StubberWatch()
        #: botocore service names answered elsewhere (IAM and STS: by the simulator itself).
        self.skip = skip

    def stash(self, params: Any = None, model: Any = None, context: Any = None, **_: Any) -> None:
        """``before-parameter-build``: keep the operation and its parameters for ``before-send``."""
        if context is not None and model is not None and params is not None:
            context[_CALL] = (model, dict(params))

    def before_send(self, request: Any = None, **_: Any) -> AWSResponse | None:
        """``before-send``: ``None`` for an allowed call, else the service's error response."""
        context = getattr(request, "context", None)
        if context is None or _CALL not in context:
            return None
        refusal = context.get(_REFUSAL)
        if refusal is not None:
            return self._response(request, refusal)
        model, params = context[_CALL]
        service = model.service_model.service_name
        if service in self.skip:
            return None
        response = self._decide(request, botocore_headers(request.headers), model, service, params, context)
        if response is None:
            return None
        context[_REFUSAL] = response
        return self._response(request, response)

    def before_call(
        self,
        model: Any = None,
        params: Any = None,
        request_signer: Any = None,
        context: Any = None,
        event_name: str = "",
        **_: Any,
    ) -> tuple[AWSResponse, dict[str, Any]] | None:
        """``before-call``: authorize a call a ``Stubber`` is about to answer; ``None`` lets it answer.

        Any other call goes on to be signed and authorized at ``before-send``.
        """
        if context is None or _CALL not in context or model is None or params is None or request_signer is None:
            return None
        service = model.service_model.service_name
        if service in self.skip or not self._stubbers.answers(request_signer, event_name):
            return None
        request = signed_request(params, model, request_signer)
        response = self._decide(request, botocore_headers(request.headers), model, service, context[_CALL][1], context)
        if response is None:
            return None
        context[_REFUSAL] = response
        return refusal_answer(response, model, request.url, RawBody(response.body))

    def _decide(
        self, request: Any, headers: Headers, model: Any, service: str, params: Any, context: Any
    ) -> HttpResponse | None:
        sim = self.authorizer.simulator
        # One reading of the clock for the request: the session's expiry and the remembered decision's second.
        now = self._core.state.clock.now()
        try:
            claims = parse_authorization(HttpRequest(request.method, request.url, headers, _body(request, headers)))
            caller = self._signers.caller(claims, now)
        except ServiceError as error:
            self.authorizer.simulator.resources.record_denial(
                DeniedCall(service, model.name, "unknown caller", "", "", error.code, error.message, None)
            )
            return render_refusal(
                model.service_model,
                error.code,
                error.message,
                str(uuid.uuid4()),
                method=request.method,
                session_token="X-Amz-Security-Token" in headers,
            )
        secure = request.url.startswith("https:")
        verdict = self.authorizer.decide(
            caller, service, model.name, params, claims.region, secure_transport=secure, now=now
        )
        # The Where is built after the call, and only for the few operations whose answer is observed.
        context[_WHERE] = (claims.region, caller.account)
        if verdict.allowed or verdict.denial is None:
            return None
        request_id = str(uuid.uuid4())
        if model.service_model.metadata.get("protocol") == "ec2":
            return render_ec2_refusal(sim, verdict.denial, request_id)
        return render_refusal(
            model.service_model,
            verdict.denial.code,
            verdict.denial.message,
            request_id,
            method=request.method,
            resource=verdict.denial.resource,
        )

    def _response(self, request: Any, response: HttpResponse) -> AWSResponse:
        url = request.url
        # No later before-send handler (moto's) may act on a refused request.
        request.url = REFUSED_URL
        return AWSResponse(url, response.status, HTTPHeaders.from_dict(dict(response.headers)), RawBody(response.body))

    def after_call(
        self, http_response: Any = None, parsed: Any = None, model: Any = None, context: Any = None, **_: Any
    ) -> None:
        """``after-call``: record what a successful call changed about its resources."""
        if context is None or _CALL not in context or _WHERE not in context or _REFUSAL in context:
            return
        status = getattr(http_response, "status_code", 500)
        if status >= 300 or (isinstance(parsed, dict) and "Error" in parsed):
            return
        call_model, params = context[_CALL]
        service, operation = call_model.service_model.service_name, call_model.name
        if not observes(service, operation):
            return
        sim = self.authorizer.simulator
        region, account = context[_WHERE]
        where = Where(sim.partition, region, account or sim.default_account, sim.resources.fact)
        observe(sim.resources, service, operation, params, parsed if isinstance(parsed, dict) else {}, where)
