"""Which AWS operation an HTTP request calls, and with what: decoded with botocore's models.

The server forwards services other than IAM and STS, after authorizing them; to authorize
it must know the service, the operation and its parameters. :func:`decode_request` reads
them as the service's protocol writes them (botocore's ``metadata.protocol``):

* ``json``: the operation from ``X-Amz-Target`` (``DynamoDB_20120810.PutItem``, checked
  against the model's ``targetPrefix``), the parameters from the JSON body;
* ``query`` and ``ec2``: the operation from the ``Action`` parameter, the parameters
  from the flat ``Name.1.Member`` pairs of the form, nested by the input shape;
* ``rest-xml`` and ``rest-json`` (S3, Lambda...): the operation whose ``http.method`` and
  ``http.requestUri`` match the request, the most specific one when several do (literal
  path segments and required query keys count); the parameters from the URI labels,
  the query string, the headers and the body payload bound by the input shape. For S3, a
  virtual-hosted bucket (``bucket.s3.amazonaws.com`` or ``bucket.localhost``) becomes the
  ``Bucket`` label, as a path-style request would carry it.

The parameters are what a boto3 caller would have passed (:mod:`.shapes` reads the wire
forms by the input shape), so the enforcement tables read an HTTP request as they read an
in-process call.

The service is the SigV4 credential scope's (its signing name), so a request must be
signed to be decoded; the signature itself is checked by the caller. Every failure is
:class:`UndecodableRequestError` with the reason, never a guess.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import botocore.exceptions
import botocore.loaders
import botocore.model

from iamsim._serve.shapes import header_value, json_payload, query_params, scalar, xml_payload
from iamsim._wire.http import HttpRequest
from iamsim.errors import UndecodableRequestError

__all__ = ["DecodedRequest", "ServiceModels", "decode_request"]


@dataclass(frozen=True, slots=True)
class DecodedRequest:
    """One AWS call: botocore service name, operation name, its parameters and the signing region."""

    service: str
    operation: str
    params: Mapping[str, Any]
    region: str
    protocol: str
    model: Any = field(repr=False, compare=False, default=None)


class ServiceModels:
    """botocore service models by signing name, loaded on first use and kept (thread-safe)."""

    def __init__(self) -> None:
        self._loader = botocore.loaders.create_loader()
        self._models: dict[str, Any] = {}
        self._by_signing_name: dict[str, str] | None = None
        self._lock = threading.Lock()

    def for_signing_name(self, signing_name: str) -> Any:
        """The model of the service signed as ``signing_name`` (``UndecodableRequestError`` if none)."""
        with self._lock:
            model = self._models.get(signing_name)
            if model is None:
                model = self._load(signing_name)
                self._models[signing_name] = model
            return model

    def _load(self, signing_name: str) -> Any:
        # Most services are signed with their own botocore name; the rest need the full index.
        name = signing_name if self._has(signing_name) else self._index().get(signing_name)
        if name is None:
            raise UndecodableRequestError(f"no AWS service is signed as {signing_name!r}")
        return botocore.model.ServiceModel(self._loader.load_service_model(name, "service-2"), service_name=name)

    def _has(self, name: str) -> bool:
        try:
            data = self._loader.load_service_model(name, "service-2")
        except botocore.exceptions.DataNotFoundError:
            return False
        return bool(data["metadata"].get("signingName", data["metadata"].get("endpointPrefix")) == name)

    def _index(self) -> dict[str, str]:
        if self._by_signing_name is None:
            index: dict[str, str] = {}
            for name in self._loader.list_available_services("service-2"):
                metadata = self._loader.load_service_model(name, "service-2")["metadata"]
                index.setdefault(metadata.get("signingName", metadata.get("endpointPrefix", name)), name)
            self._by_signing_name = index
        return self._by_signing_name


def decode_request(request: HttpRequest, signing_name: str, region: str, models: ServiceModels) -> DecodedRequest:
    """The operation ``request`` calls on the service signed as ``signing_name`` (see the module doc)."""
    model = models.for_signing_name(signing_name)
    protocol = model.metadata.get("protocol", "")
    query_compatible = "query" in model.metadata.get("protocols", ()) or "awsQueryCompatible" in model.metadata
    if protocol == "json" and "X-Amz-Target" not in request.headers and query_compatible:
        protocol = "query"  # SQS and others still accept the Query form they spoke before JSON
    if protocol == "json":
        operation, params = _json_call(model, request)
    elif protocol in ("query", "ec2"):
        operation, params = _query_call(model, request, protocol)
    elif protocol in ("rest-xml", "rest-json"):
        operation, params = _rest_call(model, request)
    else:
        raise UndecodableRequestError(f"{model.service_name} speaks {protocol!r}, which iamsim cannot decode")
    return DecodedRequest(model.service_name, operation, params, region, protocol, model)


def _json_call(model: Any, request: HttpRequest) -> tuple[str, dict[str, Any]]:
    target = request.headers.get("X-Amz-Target", "")
    prefix, _, operation = target.rpartition(".")
    if prefix != model.metadata.get("targetPrefix") or operation not in model.operation_names:
        raise UndecodableRequestError(f"X-Amz-Target {target!r} names no {model.service_name} operation")
    params = json_payload(request.body)
    if not isinstance(params, dict):
        raise UndecodableRequestError("the JSON body is not an object")
    return operation, params


def _query_call(model: Any, request: HttpRequest, protocol: str) -> tuple[str, dict[str, Any]]:
    flat = dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))
    if request.body:
        flat.update(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    operation = flat.pop("Action", "")
    if operation not in model.operation_names:
        raise UndecodableRequestError(f"Action {operation!r} names no {model.service_name} operation")
    flat.pop("Version", None)
    return operation, query_params(model.operation_model(operation).input_shape, flat, ec2=protocol == "ec2")


# --------------------------------------------------------------------- REST


@dataclass(frozen=True, slots=True)
class _Route:
    operation: str
    method: str
    segments: tuple[str, ...]  # literal text, "{Label}" or "{Label+}"
    query: tuple[tuple[str, str | None], ...]  # required query keys, with a value when the URI fixes one
    headers: tuple[str, ...]  # headers the input shape requires (S3's CopyObject: x-amz-copy-source)

    def match(
        self, method: str, segments: list[str], query: Mapping[str, str], headers: Mapping[str, str]
    ) -> dict[str, str] | None:
        if method != self.method or any(name not in headers for name in self.headers):
            return None
        for key, value in self.query:
            if key not in query or (value is not None and query[key] != value):
                return None
        labels: dict[str, str] = {}
        for index, part in enumerate(self.segments):
            if part.endswith("+}"):
                rest = segments[index:]
                if not rest or not "/".join(rest):
                    return None
                labels[part[1:-2]] = "/".join(rest)
                return labels
            if index >= len(segments):
                return None
            if part.startswith("{"):
                if not segments[index]:
                    return None
                labels[part[1:-1]] = segments[index]
            elif part != segments[index]:
                return None
        return labels if len(segments) == len(self.segments) else None

    @property
    def specificity(self) -> tuple[int, int, int]:
        return len(self.query), len(self.headers), sum(not part.startswith("{") for part in self.segments)


_ROUTES: dict[str, list[_Route]] = {}
_ROUTES_LOCK = threading.Lock()


def _routes(model: Any) -> list[_Route]:
    with _ROUTES_LOCK:
        routes = _ROUTES.get(model.service_name)
        if routes is None:
            routes = [_route(model.operation_model(name)) for name in model.operation_names]
            _ROUTES[model.service_name] = routes
        return routes


def _route(operation: Any) -> _Route:
    path, _, query = operation.http["requestUri"].partition("?")
    segments = tuple(path.strip("/").split("/")) if path.strip("/") else ()
    required = tuple(
        (key, value if has_value else None)
        for key, has_value, value in (
            (part.partition("=")[0], "=" in part, part.partition("=")[2]) for part in query.split("&") if part
        )
    )
    shape = operation.input_shape
    headers = tuple(
        shape.members[name].serialization.get("name", name)
        for name in (shape.required_members if shape is not None else ())
        if shape.members[name].serialization.get("location") == "header"
    )
    return _Route(operation.name, operation.http["method"], segments, required, headers)


_VIRTUAL_HOST = re.compile(r"^(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.(?:s3[.-]|localhost)", re.ASCII)


def _rest_call(model: Any, request: HttpRequest) -> tuple[str, dict[str, Any]]:
    parts = urlsplit(request.url)
    segments = [unquote(part) for part in parts.path.lstrip("/").split("/")] if parts.path.strip("/") else []
    if model.service_name == "s3":
        host = (parts.hostname or "").lower()
        found = _VIRTUAL_HOST.match(host)
        if found is not None:
            segments = [found.group("bucket"), *segments]
    if segments and segments[-1] == "" and len(segments) > 1:
        segments = segments[:-1]
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    candidates = [
        (route, labels)
        for route in _routes(model)
        if (labels := route.match(request.method, segments, query, request.headers)) is not None
    ]
    if not candidates:
        raise UndecodableRequestError(f"{request.method} {parts.path} matches no {model.service_name} operation")
    route, labels = max(candidates, key=lambda candidate: candidate[0].specificity)
    return route.operation, _rest_params(model.operation_model(route.operation), labels, query, request)


def _rest_params(
    operation: Any, labels: Mapping[str, str], query: Mapping[str, str], request: HttpRequest
) -> dict[str, Any]:
    params: dict[str, Any] = {}
    shape = operation.input_shape
    if shape is None:
        return params
    for name, member in shape.members.items():
        location, wire_name = member.serialization.get("location"), member.serialization.get("name", name)
        if location == "uri" and wire_name in labels:
            params[name] = scalar(member, labels[wire_name])
        elif location == "querystring" and wire_name in query:
            params[name] = header_value(member, query[wire_name])
        elif location == "header" and wire_name in request.headers:
            params[name] = header_value(member, request.headers[wire_name])
        elif location == "headers":
            prefix = wire_name.lower()
            found = {k[len(prefix) :]: v for k, v in request.headers.items() if k.lower().startswith(prefix)}
            if found:
                params[name] = found
    params.update(_payload(operation, shape, request.body))
    return params


def _payload(operation: Any, shape: Any, body: bytes) -> dict[str, Any]:
    """The members the body carries: the payload member, or (``rest-json``) the body's own members."""
    if not body:
        return {}
    payload = shape.serialization.get("payload")
    if payload is None:
        if operation.metadata.get("protocol") != "rest-json":
            return {}
        document = json_payload(body)
        return {k: v for k, v in document.items() if k in shape.members} if isinstance(document, dict) else {}
    member = shape.members[payload]
    if member.serialization.get("streaming") or member.type_name == "blob":
        return {}  # an object's bytes: no table decides by them, and they may be large
    if member.type_name == "string":
        return {payload: body.decode("utf-8", "replace")}
    if operation.metadata.get("protocol") == "rest-json":
        return {payload: json_payload(body)}
    return {payload: xml_payload(member, body)}
