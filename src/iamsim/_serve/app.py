"""The server's WSGI application: one HTTP request in, one routed answer out.

A thin adapter: the WSGI ``environ`` becomes the wire layer's :class:`HttpRequest` (the
path and query exactly as sent, since SigV4 signs them), then the request goes by path:

* ``/_iamsim/imds/<instance id>/...``: that instance's metadata service (:mod:`.imds`);
* ``/_iamsim/containers/<task id>``: the container credentials endpoint (:mod:`.containers`);
* ``/_iamsim/admin/...``: the admin API (:mod:`.admin`);
* anything else is an AWS API call: IAM and STS go to the same Query dispatcher the boto3
  hook uses; other services are authenticated, decoded, authorized and forwarded, and
  moto's successful answers observed (:mod:`.forward`). A request that names no service is AWS's ``403
  MissingAuthenticationToken`` when unsigned, else ``404 UnknownOperation``.

A body over ``max_body`` bytes is refused with ``413`` before it is read; every answer
carries a ``Content-Length``, so keep-alive connections stay in step.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from iamsim._serve.admin import ADMIN_PREFIX, AdminApi
from iamsim._serve.containers import CONTAINER_PREFIX, ContainerCredentials
from iamsim._serve.decode import ServiceModels, decode_request
from iamsim._serve.forward import Authorizer, refusal
from iamsim._serve.imds import IMDS_PREFIX, MetadataService
from iamsim._simulator.resources import DeniedCall
from iamsim._simulator.signed import CallerResolver
from iamsim._wire.dispatch import QueryDispatcher
from iamsim._wire.http import HttpRequest, HttpResponse
from iamsim._wire.sigv4 import parse_authorization
from iamsim._wire.xml import render_error
from iamsim.errors import ServiceError, UndecodableRequestError

__all__ = ["DEFAULT_MAX_BODY", "ServeApp"]

#: The largest request body the server reads (IAM's and STS's largest documents are far smaller).
DEFAULT_MAX_BODY = 8 * 1024 * 1024
_QUERY_SERVICES = ("iam", "sts")

StartResponse = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class ServeApp:
    """Route each request to the metadata service, container endpoint, admin API or AWS APIs."""

    dispatcher: QueryDispatcher
    resolver: CallerResolver
    imds: MetadataService
    containers: ContainerCredentials
    admin: AdminApi
    authorizer: Authorizer
    forward: Callable[[HttpRequest], HttpResponse]
    models: ServiceModels
    max_body: int = DEFAULT_MAX_BODY

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """The WSGI entry point."""
        request_or_error = _read_request(environ, self.max_body)
        if isinstance(request_or_error, HttpResponse):
            response = request_or_error
        else:
            try:
                response = self.route(request_or_error, environ.get("REMOTE_ADDR") or "127.0.0.1")
            except Exception:  # a server answers 500; it does not drop the connection
                request_id = str(uuid.uuid4())
                response = render_error("InternalFailure", "iamsim could not answer this request", 500, request_id)
        status = f"{response.status} {_reason(response.status)}"
        headers = [(name, value) for name, value in response.headers.items() if name.lower() != "content-length"]
        headers.append(("Content-Length", str(len(response.body))))
        start_response(status, headers)
        return [response.body]

    def route(self, request: HttpRequest, source_ip: str = "127.0.0.1") -> HttpResponse:
        """The answer to one request from ``source_ip`` (see the module documentation)."""
        path = _path(request.url)
        if path.startswith(IMDS_PREFIX):
            instance_id, _, rest = path[len(IMDS_PREFIX) :].partition("/")
            return self.imds.handle(request.method, instance_id, rest, request.headers)
        if path.startswith(CONTAINER_PREFIX):
            task_id = path[len(CONTAINER_PREFIX) :].strip("/")
            return self.containers.handle(request.method, task_id, request.headers.get("Authorization"))
        if path.startswith(ADMIN_PREFIX):
            return self.admin.handle(request, path[len(ADMIN_PREFIX) :])
        return self._aws(request, source_ip)

    def _aws(self, request: HttpRequest, source_ip: str) -> HttpResponse:
        authorization = request.headers.get("Authorization", "")
        signed_service = _scope_service(authorization)
        if signed_service in _QUERY_SERVICES or (not authorization and _query_action(request)):
            service = signed_service or "sts"
            return self.dispatcher.handle(service, request, self.resolver)
        request_id = str(uuid.uuid4())
        if not authorization:
            return render_error(
                "MissingAuthenticationToken", "Request is missing Authentication Token", 403, request_id
            )
        if signed_service is None:
            return render_error("IncompleteSignature", "The request signature is malformed.", 400, request_id)
        return self._forwarded(request, signed_service, request_id, source_ip)

    def _forwarded(self, request: HttpRequest, signed_service: str, request_id: str, source_ip: str) -> HttpResponse:
        try:
            model = self.models.for_signing_name(signed_service)
        except UndecodableRequestError as error:
            return render_error("UnknownOperationException", str(error), 404, request_id)
        protocol = str(model.metadata.get("protocol", "query"))
        try:
            claims = parse_authorization(request)
            caller = self.resolver(claims)
            call = decode_request(request, signed_service, claims.region, self.models)
        except ServiceError as error:
            self.resolver.simulator.resources.record_denial(
                DeniedCall(model.service_name, "", "unknown caller", "", "", error.code, error.message, None)
            )
            session_token = "X-Amz-Security-Token" in request.headers
            return refusal(
                model, protocol, error.code, error.message, request_id, request.method, session_token=session_token
            )
        except UndecodableRequestError as error:
            return refusal(model, protocol, "UnknownOperationException", str(error), request_id, request.method)
        denial = self.authorizer.authorize(caller, call, request, source_ip)
        if denial is not None:
            return denial
        response = self.forward(request)
        self.authorizer.observe(caller, call, response)
        return response


def _read_request(environ: dict[str, Any], max_body: int) -> HttpRequest | HttpResponse:
    """The request in ``environ``, or the ``413`` for a body over ``max_body`` bytes."""
    length_text = environ.get("CONTENT_LENGTH") or "0"
    length = int(length_text) if length_text.isdigit() else -1
    if length < 0 or length > max_body:
        status = 413 if length > max_body else 400
        code = "RequestEntityTooLarge" if status == 413 else "InvalidRequest"
        message = f"the request body is over {max_body} bytes" if status == 413 else "bad Content-Length"
        return render_error(code, message, status, str(uuid.uuid4()))
    body = environ["wsgi.input"].read(length) if length else b""
    headers = [(key[5:].replace("_", "-"), value) for key, value in environ.items() if key.startswith("HTTP_")]
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    if length_text != "0":
        headers.append(("Content-Length", length_text))
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
    # REQUEST_URI (waitress) is the target as sent; SigV4 signs the encoded path, not PATH_INFO's decoding.
    target = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if not target:
        query = environ.get("QUERY_STRING", "")
        target = environ.get("PATH_INFO", "/") + (f"?{query}" if query else "")
    return HttpRequest(environ.get("REQUEST_METHOD", "GET"), f"http://{host}{target}", headers, body)


def _path(url: str) -> str:
    after_scheme = url.split("://", 1)[-1]
    slash = after_scheme.find("/")
    return after_scheme[slash:].split("?", 1)[0] if slash >= 0 else "/"


def _scope_service(authorization: str) -> str | None:
    """The service of the SigV4 credential scope (``.../us-east-1/s3/aws4_request``), if any."""
    marker = "Credential="
    start = authorization.find(marker)
    if start < 0:
        return None
    scope = authorization[start + len(marker) :].split(",", 1)[0].strip().split("/")
    return scope[3] if len(scope) == 5 and scope[4] == "aws4_request" else None


def _query_action(request: HttpRequest) -> bool:
    """Whether an unsigned request names a Query ``Action`` (STS's unsigned web-identity calls)."""
    return b"Action=" in request.body or "Action=" in request.url


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
