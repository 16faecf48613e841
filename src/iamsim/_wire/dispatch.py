"""Glue one Query request to one handler: decode, authenticate, call, render.

The dispatcher owns no world. It is given the handlers (keyed by ``(service, operation)``),
a request-id factory and, per request, an ``authenticate`` callable that turns the
caller's SigV4 claims into whatever the handlers need as the caller (or raises an
``iamsim.errors.ServiceError`` such as ``InvalidClientTokenIdError``). Every
``ServiceError`` raised on the way becomes AWS's XML error response.

Authentication happens before the parameters are validated, as at AWS, except that the
action must be known first: ``AssumeRoleWithWebIdentity`` and ``AssumeRoleWithSAML`` are
unsigned (their model says ``authtype: none``) and skip ``authenticate`` altogether.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import botocore.loaders
import botocore.model

from iamsim._wire.http import HttpRequest, HttpResponse
from iamsim._wire.query import decode_parameters, parse_form, resolve_operation
from iamsim._wire.sigv4 import SigV4Credentials, parse_authorization
from iamsim._wire.xml import ResultXml, render_error, render_response, response_headers
from iamsim.errors import OperationNotImplementedError, ServiceError, UnknownServiceError

__all__ = [
    "DEFAULT_REGION",
    "SERVICES",
    "CallContext",
    "Handler",
    "QueryDispatcher",
    "detect_service",
    "load_service_models",
    "random_request_id",
    "region_from_host",
]

#: The services the wire layer speaks, by botocore service name.
SERVICES = ("iam", "sts")

#: The region of a request that names none (IAM and the global STS endpoint).
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True, slots=True)
class CallContext:
    """Who is calling which operation, where, as one request.

    ``caller`` is whatever ``authenticate`` returned (``None`` for unsigned operations);
    ``access_key_id`` and ``session_token`` are the raw SigV4 claims.
    """

    service: str
    operation: str
    access_key_id: str | None
    session_token: str | None
    region: str
    request_id: str
    caller: Any = None


#: A handler takes the call context and the decoded input and returns the output mapping (or the result's XML).
Handler = Callable[[CallContext, dict[str, Any]], Mapping[str, Any] | ResultXml]


def load_service_models(services: tuple[str, ...] = SERVICES) -> dict[str, Any]:
    """Fresh botocore service models for ``services`` (loading them takes a moment).

    Read straight from botocore's data loader, so the user's AWS configuration
    (a missing ``AWS_PROFILE``, say) can never get in the way.
    """
    loader = botocore.loaders.create_loader()
    return {
        name: botocore.model.ServiceModel(loader.load_service_model(name, "service-2"), service_name=name)
        for name in services
    }


def region_from_host(host: str) -> str | None:
    """The region named in an AWS endpoint host (``sts.eu-west-1.amazonaws.com``), if any."""
    labels = host.split(":")[0].split(".")
    if len(labels) >= 4 and labels[-2] in ("amazonaws", "api") and "-" in labels[1]:
        return labels[1]
    return None


def detect_service(request: HttpRequest, service_models: Mapping[str, Any]) -> str:
    """Which service a request is for: by endpoint host, else SigV4 scope, else its action.

    Raises ``UnknownServiceError`` when nothing about the request names a known service.
    """
    host = (urlsplit(request.url).hostname or request.headers.get("Host", "")).lower()
    first_label = host.split(".")[0].removesuffix("-fips")
    if first_label in service_models:
        return first_label
    authorization = request.headers.get("Authorization", "")
    for service in service_models:
        if f"/{service}/aws4_request" in authorization:
            return service
    params = _request_params(request)
    action = params.get("Action")
    for service, model in service_models.items():
        if action in model.operation_names:
            return service
    raise UnknownServiceError(f"cannot tell which service {request.method} {request.url} is for")


class QueryDispatcher:
    """Serve IAM and STS Query requests with the given handlers.

    ``request_ids`` makes the ``x-amzn-RequestId`` of each request (uuid4 strings by
    default; pass a seeded generator for reproducible runs). ``service_models`` defaults
    to botocore's IAM and STS models.
    """

    def __init__(
        self,
        handlers: Mapping[tuple[str, str], Handler],
        *,
        request_ids: Callable[[], str] | None = None,
        service_models: Mapping[str, Any] | None = None,
    ) -> None:
        self._handlers = dict(handlers)
        self._request_ids = request_ids or random_request_id
        self._models = dict(service_models) if service_models is not None else load_service_models()

    @property
    def service_models(self) -> Mapping[str, Any]:
        """The botocore service models by service name."""
        return self._models

    def handle(
        self,
        service: str,
        request: HttpRequest,
        authenticate: Callable[[SigV4Credentials], Any],
    ) -> HttpResponse:
        """Answer one request to ``service`` (``"iam"`` or ``"sts"``) with an AWS-shaped response."""
        model = self._models.get(service)
        if model is None:
            raise UnknownServiceError(f"no service model for {service!r}; known: {sorted(self._models)}")
        request_id = self._request_ids()
        try:
            body = self._answer(service, model, request, authenticate, request_id)
        except ServiceError as error:
            return render_error(
                error.code,
                error.message,
                error.status,
                request_id,
                error.fault,
                namespace=model.metadata.get("xmlNamespace"),
            )
        return HttpResponse(200, response_headers(request_id, body), body)

    def _answer(
        self,
        service: str,
        model: Any,
        request: HttpRequest,
        authenticate: Callable[[SigV4Credentials], Any],
        request_id: str,
    ) -> bytes:
        params = _request_params(request)
        operation = resolve_operation(model, params)
        access_key_id: str | None = None
        session_token: str | None = None
        caller: Any = None
        if operation.auth_type != "none":
            credentials = parse_authorization(request)
            caller = authenticate(credentials)
            access_key_id, session_token, region = (
                credentials.access_key_id,
                credentials.session_token,
                credentials.region,
            )
        else:
            # An unsigned request names its region only in its endpoint; a signed one, in its credential scope.
            region = region_from_host(urlsplit(request.url).hostname or "") or DEFAULT_REGION
        arguments = decode_parameters(operation, params)
        handler = self._handlers.get((service, operation.name))
        if handler is None:
            raise OperationNotImplementedError(f"iamsim does not implement {service}:{operation.name}")
        context = CallContext(service, operation.name, access_key_id, session_token, region, request_id, caller)
        output = handler(context, arguments)
        return render_response(model, operation.name, output, request_id)


def random_request_id() -> str:
    """A random version-4 UUID as text: ``str(uuid.uuid4())`` without building a ``UUID`` (a third of the cost)."""
    digits = os.urandom(16).hex()
    # The version nibble is 4; the variant's two high bits are 10 (RFC 9562), so its nibble is 8-b.
    variant = "89ab"[int(digits[16], 16) & 3]
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"


def _request_params(request: HttpRequest) -> dict[str, str]:
    """The Query parameters of a request: its URL query, then (overriding) its form body."""
    url = request.url
    # botocore sends IAM and STS parameters in the body; only a URL with a query needs splitting.
    params = parse_form(urlsplit(url).query) if "?" in url else {}
    if request.body:
        params.update(parse_form(request.body))
    return params
