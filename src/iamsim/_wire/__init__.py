"""The AWS wire protocol of IAM and STS (Query requests, XML responses, SigV4).

Driven by botocore's own service models, so a new operation is a handler, not a template.
Pure functions and small classes: this package imports nothing from the engine, store or
simulator; transports (the in-process boto3 hook, an HTTP endpoint) hand a
:class:`QueryDispatcher` their handlers and an ``authenticate`` callable.
"""

from __future__ import annotations

from iamsim._wire.dispatch import CallContext, Handler, QueryDispatcher, detect_service, load_service_models
from iamsim._wire.http import Headers, HttpRequest, HttpResponse
from iamsim._wire.query import decode_query_request
from iamsim._wire.sigv4 import SigV4Credentials, parse_authorization, verify_signature
from iamsim._wire.xml import render_error, render_response

__all__ = [
    "CallContext",
    "Handler",
    "Headers",
    "HttpRequest",
    "HttpResponse",
    "QueryDispatcher",
    "SigV4Credentials",
    "decode_query_request",
    "detect_service",
    "load_service_models",
    "parse_authorization",
    "render_error",
    "render_response",
    "verify_signature",
]
