"""Services other than IAM and STS: authorized by iamsim, then answered by moto.

A forwarded request goes through four steps, each able to stop it:

1. **authenticate**: the SigV4 signature is checked against the credentials the
   simulator issued, exactly as for IAM and STS (:class:`~iamsim._handlers.CallerResolver`);
2. **decode**: :func:`~iamsim._serve.decode.decode_request` tells the operation and its
   parameters (in boto3's form) from botocore's model of the service;
3. **authorize**: an :class:`Authorizer` decides, with the whole simulated world, whether
   the caller may make that call; a denial is its response, rendered in the service's
   protocol. Only an allowed call reaches moto;
4. **observe**: moto's successful answer tells the authorizer what changed (a bucket
   policy set, a bucket created), so the next call is decided on the new world.

The server's authorizer is :class:`EnforcedForwarding`: the enforcement layer's
(:mod:`iamsim._enforce`) decision, refusal rendering and observer. An operation its
tables do not map is refused, as the boto3 hook refuses it, unless ``allow_unmapped``
(``iamsim serve --allow-unmapped``) lets it through with a logged warning.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit

import botocore.parsers

from iamsim._enforce.decide import Authorizer as Enforcement
from iamsim._enforce.observe import observe
from iamsim._enforce.render import render_refusal
from iamsim._enforce.render_ec2 import render_ec2_refusal
from iamsim._enforce.table import Where
from iamsim._serve.decode import DecodedRequest
from iamsim._sts.caller import Caller
from iamsim._wire.http import HttpRequest, HttpResponse
from iamsim._wire.xml import render_error

__all__ = ["Authorizer", "EnforcedForwarding", "MotoBackend", "refusal"]

_log = logging.getLogger("iamsim.serve")


class Authorizer(Protocol):
    """Decides forwarded calls and learns from the answered ones (what :class:`EnforcedForwarding` is)."""

    def authorize(
        self, caller: Caller, call: DecodedRequest, request: HttpRequest, source_ip: str
    ) -> HttpResponse | None:
        """``None`` to allow the authenticated ``caller``'s decoded ``call``, else the denial response."""
        ...

    def observe(self, caller: Caller, call: DecodedRequest, response: HttpResponse) -> None:
        """Record what an allowed call that the backend answered changed."""
        ...


def refusal(
    model: Any,
    protocol: str,
    code: str,
    message: str,
    request_id: str,
    method: str,
    *,
    session_token: bool = False,
    resource: str | None = None,
) -> HttpResponse:
    """A refused call in the protocol the request spoke (SQS's Query form gets Query's XML, not JSON)."""
    if protocol in ("query", "ec2") and model.metadata.get("protocol") not in ("query", "ec2"):
        return render_error(code, message, 400 if code == "IncompleteSignature" else 403, request_id)
    return render_refusal(
        model, code, message, request_id, method=method, session_token=session_token, resource=resource
    )


class EnforcedForwarding:
    """The enforcement layer behind the server: :meth:`Enforcement.decide`, its refusals, its observer."""

    def __init__(self, enforcement: Enforcement) -> None:
        self.enforcement = enforcement

    def authorize(
        self, caller: Caller, call: DecodedRequest, request: HttpRequest, source_ip: str
    ) -> HttpResponse | None:
        """``None`` when every IAM request the call makes is allowed, else the service's ``AccessDenied``."""
        verdict = self.enforcement.decide(
            caller,
            call.service,
            call.operation,
            call.params,
            call.region,
            secure_transport=request.url.startswith("https:"),
            source_ip=source_ip,
        )
        if verdict.allowed or verdict.denial is None:
            return None
        if call.model.metadata.get("protocol") == "ec2":
            # EC2 answers a denial with UnauthorizedOperation and an encoded message, as the boto3 hook does.
            return render_ec2_refusal(self.enforcement.simulator, verdict.denial, str(uuid.uuid4()))
        return refusal(
            call.model,
            call.protocol,
            verdict.denial.code,
            verdict.denial.message,
            str(uuid.uuid4()),
            request.method,
            resource=verdict.denial.resource,
        )

    def observe(self, caller: Caller, call: DecodedRequest, response: HttpResponse) -> None:
        """Feed a successful answer (parsed as botocore parses it) to the enforcement observer."""
        if response.status >= 300:
            return
        sim = self.enforcement.simulator
        where = Where(sim.partition, call.region, caller.account or sim.default_account, sim.resources.fact)
        try:
            observe(sim.resources, call.service, call.operation, call.params, _Output(call, response), where)
        except Exception:  # the backend has answered; a world that missed the change is logged, not hidden
            _log.exception("iamsim could not record what %s:%s changed", call.service, call.operation)


class _Output(Mapping[str, Any]):
    """A response's output as botocore parses it, parsed only if an observer reads it (few calls are observed)."""

    def __init__(self, call: DecodedRequest, response: HttpResponse) -> None:
        self._call, self._response = call, response
        self._parsed: dict[str, Any] | None = None

    def _output(self) -> dict[str, Any]:
        if self._parsed is None:
            operation = self._call.model.operation_model(self._call.operation)
            shape = operation.output_shape
            self._parsed = {}
            if shape is not None and not _streams(shape):
                raw = {"status_code": self._response.status, "headers": dict(self._response.headers)}
                raw["body"] = self._response.body
                self._parsed = botocore.parsers.create_parser(self._call.protocol).parse(raw, shape)
        return self._parsed

    def __getitem__(self, name: str) -> Any:
        return self._output()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._output())

    def __len__(self) -> int:
        return len(self._output())


def _streams(shape: Any) -> bool:
    payload = shape.serialization.get("payload")
    return payload is not None and bool(shape.members[payload].serialization.get("streaming"))


class MotoBackend:
    """moto's own WSGI application (the one ``moto_server`` runs), created on first use, in this process."""

    def __init__(self) -> None:
        self._app: Any = None
        self._lock = threading.Lock()

    def _application(self) -> Any:
        with self._lock:
            if self._app is None:
                from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

                self._app = DomainDispatcherApplication(create_backend_app)
            return self._app

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """moto's answer to ``request`` (already authenticated and authorized)."""
        parts = urlsplit(request.url)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": _wsgi_path(parts.path),
            "QUERY_STRING": parts.query,
            "RAW_URI": parts.path + (f"?{parts.query}" if parts.query else ""),
            "SERVER_NAME": parts.hostname or "localhost",
            "SERVER_PORT": str(parts.port or 80),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": parts.scheme or "http",
            "wsgi.input": io.BytesIO(request.body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(request.body)),
        }
        for name, value in request.headers.items():
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[key] = value
            else:
                environ["HTTP_" + key] = value
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = int(status.split(" ", 1)[0]), headers
            return lambda _data: None

        chunks: Iterable[bytes] = self._application()(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        return HttpResponse(captured["status"], captured["headers"], body)


def _wsgi_path(path: str) -> str:
    # PEP 3333: PATH_INFO is the decoded path, as latin-1 text.
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(path).decode("latin-1")
