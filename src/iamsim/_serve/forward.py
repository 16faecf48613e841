"""Services other than IAM and STS: authorized by iamsim, then answered by moto.

A forwarded request goes through three steps, each able to stop it:

1. **authenticate**: the SigV4 signature is checked against the credentials the
   simulator issued, exactly as for IAM and STS (:class:`~iamsim._handlers.CallerResolver`);
2. **decode**: :func:`~iamsim._serve.decode.decode_request` tells the operation and its
   parameters from botocore's model of the service;
3. **authorize**: an :class:`Authorizer` decides, with the whole simulated world, whether
   the caller may make that call; a denial is its response, rendered in the service's
   protocol. Only an allowed call reaches moto.

The authorizer is the enforcement layer's (issue 13). Until one is given, the server
uses :class:`RefuseForwarding`, which refuses every forwarded call with a clear
``AccessDenied``: a request iamsim has not authorized never reaches moto (never a silent
allow).
"""

from __future__ import annotations

import io
import json
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from iamsim._simulator import Simulator
from iamsim._sts.caller import Caller
from iamsim._wire.http import HttpRequest, HttpResponse

__all__ = ["Authorizer", "MotoBackend", "RefuseForwarding", "service_error"]

#: What refusing a forwarded call says until an authorizer is installed.
NO_AUTHORIZER_MESSAGE = (
    "iamsim serve cannot authorize {service}:{operation} yet: forwarding other services needs the "
    "enforcement authorizer (issue 13), and iamsim refuses rather than let an unchecked request through."
)


class Authorizer(Protocol):
    """Decides a forwarded call; what the enforcement layer (``iamsim._enforce``) provides.

    Called with the simulator, the authenticated caller, the botocore service name
    (``"s3"``), the operation (``"ListObjectsV2"``), its decoded parameters (see
    :mod:`iamsim._serve.decode` for their form per protocol) and the signing region.
    Returns ``None`` to allow the call, or the denial as the service would send it
    (:func:`service_error` renders one in the service's protocol).
    """

    def __call__(
        self,
        simulator: Simulator,
        caller: Caller,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        region: str,
    ) -> HttpResponse | None:
        """``None`` to allow, else the denial response."""
        ...


class RefuseForwarding:
    """The authorizer used until the enforcement layer is installed: refuses every call."""

    def __init__(self, protocols: Callable[[str], str]) -> None:
        self._protocol_of = protocols

    def __call__(
        self,
        simulator: Simulator,
        caller: Caller,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        region: str,
    ) -> HttpResponse | None:
        """An ``AccessDenied`` naming the missing authorizer, in the service's protocol."""
        message = NO_AUTHORIZER_MESSAGE.format(service=service, operation=operation)
        return service_error(self._protocol_of(service), "AccessDenied", message, 403)


def service_error(protocol: str, code: str, message: str, status: int, request_id: str = "") -> HttpResponse:
    """An error response as a service of ``protocol`` writes one (botocore reads each of these)."""
    if protocol == "json" or protocol == "rest-json":
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": code}
    elif protocol == "rest-xml":
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{escape(code)}</Code>'
            f"<Message>{escape(message)}</Message><RequestId>{escape(request_id)}</RequestId></Error>"
        ).encode()
        headers = {"Content-Type": "application/xml"}
    else:
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error><RequestId>{escape(request_id)}</RequestId></ErrorResponse>"
        ).encode()
        headers = {"Content-Type": "text/xml"}
    headers["x-amzn-RequestId"] = request_id
    headers["Content-Length"] = str(len(body))
    return HttpResponse(status, headers, body)


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
