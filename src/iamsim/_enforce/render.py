"""A refused call as the service's own error, in its own protocol, as botocore parses it.

iamsim decides with one vocabulary (``AccessDenied`` for a policy decision, and the
authentication errors of §G.9: ``InvalidClientTokenId``, ``ExpiredToken``,
``SignatureDoesNotMatch``, ``IncompleteSignature``, ``MissingAuthenticationToken``); each
protocol spells them as the service does:

* ``rest-xml`` (S3): ``<Error><Code/><Message/><RequestId/><HostId/></Error>``; an unknown
  key is ``403 InvalidAccessKeyId``, a foreign session token ``400 InvalidToken``, an
  expired one ``400 ExpiredToken`` "The provided token has expired.", and the denial names
  the resource in quotes (S3 User Guide, "Troubleshoot access denied (403 Forbidden)
  errors in Amazon S3"). A ``HEAD`` response has no body, as at S3;
* ``json`` (DynamoDB, KMS): ``{"__type": ..., "message": ...}`` with
  ``AccessDeniedException``, ``UnrecognizedClientException``, ``ExpiredTokenException``,
  ``InvalidSignatureException`` (status 400);
* ``json`` with ``awsQueryCompatible`` (SQS): the same body, plus the
  ``x-amzn-query-error: CODE;Sender`` header botocore reads the Query-era code from;
* ``rest-json``: the code in ``x-amzn-ErrorType``; ``query``: the ``ErrorResponse`` XML.
"""

from __future__ import annotations

import json
from typing import Any

from iamsim._enforce.render_query import render_query_refusal
from iamsim._wire.http import HttpResponse
from iamsim._wire.xml import escape_text

__all__ = ["render_refusal"]

#: JSON spellings of the common errors: code, status, AWS's message (``None``: keep iamsim's).
_JSON: dict[str, tuple[str, int, str | None]] = {
    "AccessDenied": ("AccessDeniedException", 400, None),
    "InvalidClientTokenId": (
        "UnrecognizedClientException",
        400,
        "The security token included in the request is invalid.",
    ),
    "ExpiredToken": ("ExpiredTokenException", 400, "The security token included in the request is expired"),
    "SignatureDoesNotMatch": ("InvalidSignatureException", 400, None),
    "IncompleteSignature": ("IncompleteSignatureException", 400, None),
    "MissingAuthenticationToken": ("MissingAuthenticationTokenException", 400, None),
}
_S3_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. Check your key and signing method."
)
#: S3's spellings: code, status, message (``None``: keep iamsim's).
_S3: dict[str, tuple[str, int, str | None]] = {
    "AccessDenied": ("AccessDenied", 403, None),
    "InvalidClientTokenId": (
        "InvalidAccessKeyId",
        403,
        "The AWS Access Key Id you provided does not exist in our records.",
    ),
    "InvalidToken": ("InvalidToken", 400, "The provided token is malformed or otherwise invalid."),
    "ExpiredToken": ("ExpiredToken", 400, "The provided token has expired."),
    "SignatureDoesNotMatch": ("SignatureDoesNotMatch", 403, _S3_SIGNATURE),
    "IncompleteSignature": ("AuthorizationHeaderMalformed", 400, None),
    "MissingAuthenticationToken": ("AccessDenied", 403, "Access Denied"),
}
_CORAL = "com.amazon.coral.service#"
#: ``__type`` prefix per service (the services that send bare names have none).
_TYPE_PREFIX = {"kms": ""}


def render_refusal(
    model: Any,
    code: str,
    message: str,
    request_id: str,
    *,
    method: str = "POST",
    session_token: bool = False,
    resource: str | None = None,
) -> HttpResponse:
    """The HTTP response the service (botocore ``ServiceModel`` ``model``) sends for a refused call.

    ``resource``: the ARN a denial names (S3 quotes it in its message).
    """
    protocol = model.metadata.get("protocol", "json")
    if protocol == "rest-xml":
        return _s3(code, message, request_id, method, session_token, resource)
    if protocol == "query" or protocol == "ec2":
        return render_query_refusal(model, code, message, request_id)
    json_code, status, aws_message = _JSON.get(code, (code, 400, None))
    text = aws_message or message
    headers = {"x-amzn-RequestId": request_id}
    if protocol == "rest-json":
        headers["x-amzn-ErrorType"] = json_code
        body = json.dumps({"message": text}).encode()
        status = 403 if json_code == "AccessDeniedException" else status
    else:
        headers["Content-Type"] = "application/x-amz-json-" + str(model.metadata.get("jsonVersion", "1.0"))
        prefix = _TYPE_PREFIX.get(model.service_name, _CORAL)
        body = json.dumps({"__type": prefix + json_code, "message": text}).encode()
        if "awsQueryCompatible" in model.metadata:
            headers["x-amzn-query-error"] = f"{code};Sender"
            status = 403 if code != "IncompleteSignature" else 400
    headers["Content-Length"] = str(len(body))
    return HttpResponse(status, headers, body)


def _s3(
    code: str, message: str, request_id: str, method: str, session_token: bool, resource: str | None
) -> HttpResponse:
    if code == "InvalidClientTokenId" and session_token:
        code = "InvalidToken"
    s3_code, status, aws_message = _S3.get(code, (code, 403, None))
    text = aws_message or message
    named = f" on resource: {resource}"
    if s3_code == "AccessDenied" and resource and named in text:
        # S3 quotes the resource: ... on resource: "arn:aws:s3:::bucket/key" because ... The ARN is
        # replaced whole, as given: an object key may hold spaces.
        text = text.replace(named, f' on resource: "{resource}"', 1)
    body = b""
    if method.upper() != "HEAD":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{escape_text(s3_code)}</Code><Message>{escape_text(text)}</Message>"
            f"<RequestId>{escape_text(request_id)}</RequestId><HostId>{escape_text(request_id)}</HostId></Error>"
        ).encode()
    headers = {"x-amz-request-id": request_id, "Content-Type": "application/xml", "Content-Length": str(len(body))}
    return HttpResponse(status, headers, body)
