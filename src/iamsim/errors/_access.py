"""AWS's answers about who may do what: denials, and STS's errors about tokens, sessions and credentials."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iamsim.errors._base import IamSimError, ServiceError

if TYPE_CHECKING:
    from iamsim._engine.result import EvaluationResult


class AccessDeniedError(ServiceError):
    """A request the evaluation denied; ``result`` says why.

    ``result`` is ``None`` only for denials that are rules rather than policy
    decisions (for example "Roles may not be assumed by root accounts.").
    """

    code = "AccessDenied"
    status = 403

    def __init__(self, message: str, result: EvaluationResult | None = None) -> None:
        super().__init__(message)
        self.result = result

    @classmethod
    def for_result(cls, result: EvaluationResult) -> AccessDeniedError:
        """The error for a denied evaluation, its message in AWS's words.

        The message is built when first read: a caller that only catches the
        denial (``is_allowed``-style code) does not pay for the text.
        """
        error = cls.__new__(cls)
        IamSimError.__init__(error)
        error.result = result
        return error

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> tuple[type[AccessDeniedError], tuple[str, EvaluationResult | None]]:
        return (type(self), (self.message, self.result))

    def __getattr__(self, name: str) -> str:
        # Only reached for ``message`` on errors made by for_result (others set it in __init__).
        if name == "message" and self.result is not None:
            text = self.result.message()
            self.message = text
            self.args = (text,)
            return text
        raise AttributeError(name)


class UnauthorizedOperationError(AccessDeniedError):
    """EC2's denial (``UnauthorizedOperation``): the reason and an encoded authorization message.

    ``encoded_message`` is what ``sts:DecodeAuthorizationMessage`` decodes (§G.8); the
    message ends with it, in EC2's words.
    """

    code = "UnauthorizedOperation"

    def __init__(self, result: EvaluationResult, encoded_message: str) -> None:
        super().__init__(
            f"You are not authorized to perform this operation. {result.message()}. "
            f"Encoded authorization failure message: {encoded_message}",
            result,
        )
        self.encoded_message = encoded_message

    def __reduce__(self) -> tuple[type[AccessDeniedError], tuple[str, EvaluationResult | None]]:
        # Unpickled as the plain AccessDenied it extends: the encoded message stays in the text.
        return (AccessDeniedError, (self.message, self.result))


class InvalidAuthorizationMessageError(ServiceError):
    """``DecodeAuthorizationMessage`` given a message STS did not encode (``InvalidAuthorizationMessageException``)."""

    code = "InvalidAuthorizationMessageException"
    status = 400


class ExpiredTokenError(ServiceError):
    """Temporary credentials used after their expiration (``ExpiredToken``)."""

    code = "ExpiredToken"
    status = 403

    def __init__(self, message: str = "The security token included in the request is expired") -> None:
        super().__init__(message)


class InvalidClientTokenIdError(ServiceError):
    """Unknown, deleted, inactive or tampered credentials (``InvalidClientTokenId``)."""

    code = "InvalidClientTokenId"
    status = 403

    def __init__(self, message: str = "The security token included in the request is invalid.") -> None:
        super().__init__(message)


class InvalidAuthenticationCodeError(ServiceError):
    """``InvalidAuthenticationCode``: MFA codes that are not the device's consecutive codes."""

    code = "InvalidAuthenticationCode"
    status = 403


class InvalidIdentityTokenError(ServiceError):
    """A web identity token that cannot be verified (``InvalidIdentityToken``)."""

    code = "InvalidIdentityToken"
    status = 400


class IDPRejectedClaimError(ServiceError):
    """The identity provider's claims are not accepted (``IDPRejectedClaim``)."""

    code = "IDPRejectedClaim"
    status = 403


class ExpiredWebIdentityTokenError(ServiceError):
    """An expired web identity token (``ExpiredTokenException``)."""

    code = "ExpiredTokenException"
    status = 400


class PackedPolicyTooLargeError(ServiceError):
    """Session policies and tags exceed the packed size (``PackedPolicyTooLarge``)."""

    code = "PackedPolicyTooLarge"
    status = 400


class OutboundWebIdentityFederationDisabledError(ServiceError):
    """GetWebIdentityToken in an account without outbound web identity federation."""

    code = "OutboundWebIdentityFederationDisabledException"
    status = 403


class SessionDurationEscalationError(ServiceError):
    """GetWebIdentityToken asked for a token that outlives the calling session."""

    code = "SessionDurationEscalationException"
    status = 403


class ResourceNotFoundError(ServiceError):
    """STS GetTrustBundles of a workload identity provider that does not exist or is out of the caller's reach."""

    code = "ResourceNotFoundException"
    status = 404


class ExpiredTradeInTokenError(ServiceError):
    """GetDelegatedAccessToken with a trade-in token past its delegation period."""

    code = "ExpiredTradeInTokenException"
    status = 400


class InsufficientSessionLifetimeError(ServiceError):
    """GetScopedCredentials asked for a duration beyond what remains of the calling session."""

    code = "InsufficientSessionLifetime"
    status = 400


class InvalidSubjectCredentialsError(ServiceError):
    """GetScopedCredentials called with credentials that are not a session it can narrow."""

    code = "InvalidSubjectCredentials"
    status = 400
