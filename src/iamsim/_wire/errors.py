"""Errors that only the wire protocol can produce.

AWS-facing ones derive from :class:`iamsim.errors.ServiceError` so the dispatcher renders
them like any other service error; the library-facing ones (a handler that returned
something its output shape cannot hold, an unknown service name) derive from
:class:`WireError`::

    ServiceError
    ├── InvalidActionError               InvalidAction 400
    ├── MissingActionError               MissingAction 400
    ├── MalformedQueryStringError        MalformedQueryString 404
    ├── MissingAuthenticationTokenError  MissingAuthenticationToken 403
    ├── IncompleteSignatureError         IncompleteSignature 400
    └── OperationNotImplementedError     NotImplemented 501
    IamSimError
    └── WireError
        ├── OutputShapeError
        └── UnknownServiceError
"""

from __future__ import annotations

from iamsim.errors import IamSimError, ServiceError

__all__ = [
    "IncompleteSignatureError",
    "InvalidActionError",
    "MalformedQueryStringError",
    "MissingActionError",
    "MissingAuthenticationTokenError",
    "OperationNotImplementedError",
    "OutputShapeError",
    "UnknownServiceError",
    "WireError",
]


class InvalidActionError(ServiceError):
    """The ``Action`` names no operation of the service at the requested version."""

    code = "InvalidAction"
    status = 400


class MissingActionError(ServiceError):
    """The request carries no ``Action`` parameter."""

    code = "MissingAction"
    status = 400

    def __init__(self, message: str = "Missing Action") -> None:
        super().__init__(message)


class MalformedQueryStringError(ServiceError):
    """The form body cannot be decoded (for example percent-escapes that are not UTF-8)."""

    code = "MalformedQueryString"
    status = 404


class MissingAuthenticationTokenError(ServiceError):
    """A signed operation was called without any ``Authorization`` header."""

    code = "MissingAuthenticationToken"
    status = 403

    def __init__(self, message: str = "Request is missing Authentication Token") -> None:
        super().__init__(message)


class IncompleteSignatureError(ServiceError):
    """An ``Authorization`` header that is not a well-formed SigV4 header."""

    code = "IncompleteSignature"
    status = 400


class OperationNotImplementedError(ServiceError):
    """A real AWS operation that iamsim has no handler for."""

    code = "NotImplemented"
    status = 501


class WireError(IamSimError):
    """A misuse of the wire layer by iamsim's own code (not an AWS error)."""


class OutputShapeError(WireError):
    """A handler's output does not fit the operation's output shape."""


class UnknownServiceError(WireError):
    """A service name the wire layer has no model for."""
