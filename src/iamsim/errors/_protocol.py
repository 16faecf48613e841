"""The wire protocol's own AWS errors: a request whose action, form or signature AWS cannot take."""

from __future__ import annotations

from iamsim.errors._base import ServiceError


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


class SignatureDoesNotMatchError(ServiceError):
    """A SigV4 signature that does not match the secret iamsim issued."""

    code = "SignatureDoesNotMatch"
    status = 403


class OperationNotImplementedError(ServiceError):
    """A real AWS operation that iamsim has no handler for."""

    code = "NotImplemented"
    status = 501
