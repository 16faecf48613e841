"""The one exception tree of iamsim.

Every error iamsim raises on purpose derives from :class:`IamSimError`, and
every one is defined here (this module is the lowest layer: it imports no other
part of iamsim at run time). Three regimes:

- **AWS errors** (:class:`ServiceError`): what AWS IAM or STS would answer to
  the same request. Each carries AWS's error ``code`` and HTTP ``status`` as
  class attributes, and AWS's exact words as ``message``; the wire layer needs
  nothing else to render them.
- **Usage errors** (:class:`UsageError`, also a ``ValueError``): the calling
  code used the library wrongly (a wrong type, contradictory arguments, a bad
  option). AWS has no answer for these; fix the call.
- **Library-internal and tooling errors**: a snapshot file of the wrong shape
  (:class:`SnapshotFormatError`), the wire layer misused by iamsim's own code
  (:class:`WireError`), a policy test case that missed its expectation
  (:class:`PolicyCaseFailed`, also an ``AssertionError``).

::

    IamSimError
    ├── UsageError                         the library was called wrongly (also a ValueError)
    ├── SnapshotFormatError                a snapshot this version cannot read
    ├── PolicyCaseFailed                   a policy test case missed its expectation (also an AssertionError)
    ├── WireError                          iamsim's own code misused the wire layer
    │   ├── OutputShapeError               a handler's output does not fit the output shape
    │   ├── UnknownServiceError            no model for that service name
    │   └── UndecodableRequestError        iamsim serve: no operation of botocore's models fits a request
    └── ServiceError                       code, status, message
        ├── MalformedPolicyDocumentError   MalformedPolicyDocument 400 (+ where)
        ├── InvalidInputError              InvalidInput 400
        │   ├── InvalidArnError            InvalidInput 400 (a bad ARN)
        │   └── PolicyFileError            InvalidInput 400 (a bad policy in a file, + which file)
        ├── ValidationError                ValidationError 400
        ├── NoSuchEntityError              NoSuchEntity 404
        ├── EntityAlreadyExistsError       EntityAlreadyExists 409
        ├── LimitExceededError             LimitExceeded 409
        ├── DeleteConflictError            DeleteConflict 409
        ├── UnmodifiableEntityError        UnmodifiableEntity 400
        ├── PolicyNotAttachableError       PolicyNotAttachable 400
        ├── PackedPolicyTooLargeError      PackedPolicyTooLarge 400
        ├── PasswordPolicyViolationError   PasswordPolicyViolation 400
        ├── InvalidUserTypeError           InvalidUserType 400
        ├── CredentialReportNotPresentError ReportNotPresent 410
        ├── CredentialReportExpiredError   ReportExpired 410
        ├── MalformedCertificateError      MalformedCertificate 400
        ├── KeyPairMismatchError           KeyPairMismatch 400
        ├── DuplicateCertificateError      DuplicateCertificate 409
        ├── InvalidPublicKeyError          InvalidPublicKey 400
        ├── UnrecognizedPublicKeyEncodingError UnrecognizedPublicKeyEncoding 400
        ├── DuplicateSSHPublicKeyError     DuplicateSSHPublicKey 400
        ├── ServiceNotSupportedError       NotSupportedService 404
        ├── FeatureEnabledError            FeatureEnabled 409 (outbound web identity federation)
        ├── FeatureDisabledError           FeatureDisabled 404 (outbound web identity federation)
        ├── OutboundWebIdentityFederationDisabledError OutboundWebIdentityFederationDisabledException 403
        ├── SessionDurationEscalationError SessionDurationEscalationException 403
        ├── ResourceNotFoundError          ResourceNotFoundException 404 (STS GetTrustBundles)
        ├── OrganizationNotFoundError      OrganizationNotFoundException 400 (IAM's organization features)
        ├── ServiceAccessNotEnabledError   ServiceAccessNotEnabledException 400
        ├── CallerIsNotManagementAccountError CallerIsNotManagementAccountException 400
        ├── AccountNotManagementOrDelegatedAdministratorError AccountNotManagementOrDelegatedAdministratorException 400
        ├── ConcurrentModificationError    ConcurrentModification 409 (a delegation request in another state)
        ├── ExpiredTradeInTokenError       ExpiredTradeInTokenException 400 (a delegation's trade-in token)
        ├── InsufficientSessionLifetimeError InsufficientSessionLifetime 400 (GetScopedCredentials)
        ├── InvalidSubjectCredentialsError InvalidSubjectCredentials 400 (GetScopedCredentials)
        ├── AccessDeniedError              AccessDenied 403 (+ evaluation result)
        │   └── UnauthorizedOperationError UnauthorizedOperation 403 (EC2; + encoded message)
        ├── ExpiredTokenError              ExpiredToken 403
        ├── InvalidClientTokenIdError      InvalidClientTokenId 403
        ├── SignatureDoesNotMatchError     SignatureDoesNotMatch 403
        ├── InvalidAuthenticationCodeError InvalidAuthenticationCode 403
        ├── InvalidIdentityTokenError      InvalidIdentityToken 400
        ├── IDPRejectedClaimError          IDPRejectedClaim 403
        ├── ExpiredWebIdentityTokenError   ExpiredTokenException 400
        ├── InvalidAuthorizationMessageError InvalidAuthorizationMessageException 400
        ├── InvalidActionError             InvalidAction 400 (wire protocol)
        ├── MissingActionError             MissingAction 400 (wire protocol)
        ├── MalformedQueryStringError      MalformedQueryString 404 (wire protocol)
        ├── MissingAuthenticationTokenError MissingAuthenticationToken 403 (wire protocol)
        ├── IncompleteSignatureError       IncompleteSignature 400 (wire protocol)
        └── OperationNotImplementedError   NotImplemented 501 (wire protocol)

Messages of emulated AWS errors keep AWS's exact words, because users assert on
them. Library-only messages are short and lowercase. The guide to which regime
an error belongs to is in ``docs/architecture.md`` ("Errors").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from iamsim._engine.result import EvaluationResult
    from iamsim.policytests.model import CaseOutcome

__all__ = [
    "AccessDeniedError",
    "AccountNotManagementOrDelegatedAdministratorError",
    "CallerIsNotManagementAccountError",
    "ConcurrentModificationError",
    "CredentialReportExpiredError",
    "CredentialReportNotPresentError",
    "DeleteConflictError",
    "DuplicateCertificateError",
    "DuplicateSSHPublicKeyError",
    "EntityAlreadyExistsError",
    "ExpiredTokenError",
    "ExpiredTradeInTokenError",
    "ExpiredWebIdentityTokenError",
    "FeatureDisabledError",
    "FeatureEnabledError",
    "IDPRejectedClaimError",
    "IamSimError",
    "IncompleteSignatureError",
    "InsufficientSessionLifetimeError",
    "InvalidActionError",
    "InvalidArnError",
    "InvalidAuthenticationCodeError",
    "InvalidAuthorizationMessageError",
    "InvalidClientTokenIdError",
    "InvalidIdentityTokenError",
    "InvalidInputError",
    "InvalidPublicKeyError",
    "InvalidSubjectCredentialsError",
    "InvalidUserTypeError",
    "KeyPairMismatchError",
    "LimitExceededError",
    "MalformedCertificateError",
    "MalformedPolicyDocumentError",
    "MalformedQueryStringError",
    "MissingActionError",
    "MissingAuthenticationTokenError",
    "NoSuchEntityError",
    "OperationNotImplementedError",
    "OrganizationNotFoundError",
    "OutboundWebIdentityFederationDisabledError",
    "OutputShapeError",
    "PackedPolicyTooLargeError",
    "PasswordPolicyViolationError",
    "PolicyCaseFailed",
    "PolicyFileError",
    "PolicyNotAttachableError",
    "ResourceNotFoundError",
    "ServiceAccessNotEnabledError",
    "ServiceError",
    "ServiceNotSupportedError",
    "SessionDurationEscalationError",
    "SignatureDoesNotMatchError",
    "SnapshotFormatError",
    "UnauthorizedOperationError",
    "UndecodableRequestError",
    "UnknownServiceError",
    "UnmodifiableEntityError",
    "UnrecognizedPublicKeyEncodingError",
    "UsageError",
    "ValidationError",
    "WireError",
]


class IamSimError(Exception):
    """Base class of every error iamsim raises on purpose."""


class UsageError(IamSimError, ValueError):
    """The library was called wrongly: an argument of the wrong type or out of range; not an AWS error.

    Raised for mistakes in the calling code (``Simulator(seed="x")``, a policy
    given as a number), never for input AWS itself would answer with an error
    code: those are :class:`ServiceError` subclasses. It is a ``ValueError`` too,
    so code that guards a call with ``except ValueError`` keeps working.
    """


class ServiceError(IamSimError):
    """An error that AWS IAM or STS would return, with its wire code and status."""

    code: ClassVar[str] = "ServiceFailure"
    status: ClassVar[int] = 500
    #: ``Sender`` for client faults, ``Receiver`` for service faults (AWS's XML ``Type``).
    fault: ClassVar[str] = "Sender"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class MalformedPolicyDocumentError(ServiceError):
    """A policy document that IAM would reject, with where the problem is.

    ``statement_index`` is the 0-based index of the offending statement (``None``
    when the problem is not inside one statement); ``pointer`` is an RFC 6901 JSON
    pointer into the document; ``line`` and ``column`` are 1-based positions in
    the policy text when it was given as text.
    """

    code = "MalformedPolicyDocument"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        pointer: str = "",
        statement_index: int | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.statement_index = statement_index
        self.line = line
        self.column = column


class InvalidInputError(ServiceError):
    """A parameter value IAM rejects (``InvalidInput``)."""

    code = "InvalidInput"
    status = 400


class InvalidArnError(InvalidInputError):
    """A string that is not a well-formed ARN where one is required."""


class ValidationError(ServiceError):
    """A parameter that fails the service model's constraints (``ValidationError``)."""

    code = "ValidationError"
    status = 400


class NoSuchEntityError(ServiceError):
    """The named entity does not exist (``NoSuchEntity``)."""

    code = "NoSuchEntity"
    status = 404


class EntityAlreadyExistsError(ServiceError):
    """An entity with that name already exists (``EntityAlreadyExists``)."""

    code = "EntityAlreadyExists"
    status = 409


class LimitExceededError(ServiceError):
    """A quota would be exceeded (``LimitExceeded``)."""

    code = "LimitExceeded"
    status = 409


class DeleteConflictError(ServiceError):
    """The entity still has dependents and cannot be deleted (``DeleteConflict``)."""

    code = "DeleteConflict"
    status = 409


class UnmodifiableEntityError(ServiceError):
    """The entity is protected, e.g. a service-linked role (``UnmodifiableEntity``)."""

    code = "UnmodifiableEntity"
    status = 400


class PolicyNotAttachableError(ServiceError):
    """The policy cannot be attached this way (``PolicyNotAttachable``)."""

    code = "PolicyNotAttachable"
    status = 400


class PackedPolicyTooLargeError(ServiceError):
    """Session policies and tags exceed the packed size (``PackedPolicyTooLarge``)."""

    code = "PackedPolicyTooLarge"
    status = 400


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


class SignatureDoesNotMatchError(ServiceError):
    """A SigV4 signature that does not match the secret iamsim issued."""

    code = "SignatureDoesNotMatch"
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


class PasswordPolicyViolationError(ServiceError):
    """``PasswordPolicyViolation``: a new password breaks the account password policy."""

    code = "PasswordPolicyViolation"
    status = 400


class InvalidUserTypeError(ServiceError):
    """``InvalidUserType``: an operation only an IAM user can call (ChangePassword), called by root or a role."""

    code = "InvalidUserType"
    status = 400


class CredentialReportNotPresentError(ServiceError):
    """``ReportNotPresent``: GetCredentialReport before any GenerateCredentialReport."""

    code = "ReportNotPresent"
    status = 410


class CredentialReportExpiredError(ServiceError):
    """``ReportExpired``: the account's credential report is older than IAM keeps it."""

    code = "ReportExpired"
    status = 410


class MalformedCertificateError(ServiceError):
    """A certificate, chain or private key IAM cannot parse, or an expired certificate (``MalformedCertificate``)."""

    code = "MalformedCertificate"
    status = 400


class KeyPairMismatchError(ServiceError):
    """The private key is not the certificate's (``KeyPairMismatch``)."""

    code = "KeyPairMismatch"
    status = 400


class DuplicateCertificateError(ServiceError):
    """The signing certificate is already some user's in the account (``DuplicateCertificate``)."""

    code = "DuplicateCertificate"
    status = 409


class InvalidPublicKeyError(ServiceError):
    """An SSH public key IAM does not take: not RSA, or shorter than 2048 bits (``InvalidPublicKey``)."""

    code = "InvalidPublicKey"
    status = 400


class UnrecognizedPublicKeyEncodingError(ServiceError):
    """An SSH public key in neither ssh-rsa nor PEM encoding (``UnrecognizedPublicKeyEncoding``)."""

    code = "UnrecognizedPublicKeyEncoding"
    status = 400


class DuplicateSSHPublicKeyError(ServiceError):
    """The user already holds that SSH public key (``DuplicateSSHPublicKey``)."""

    code = "DuplicateSSHPublicKey"
    status = 400


class ServiceNotSupportedError(ServiceError):
    """A service that takes no service-specific credentials (``NotSupportedService``)."""

    code = "NotSupportedService"
    status = 404


class FeatureEnabledError(ServiceError):
    """EnableOutboundWebIdentityFederation when the account has it already (``FeatureEnabled``)."""

    code = "FeatureEnabled"
    status = 409


class FeatureDisabledError(ServiceError):
    """Outbound web identity federation asked of an account that has it off (``FeatureDisabled``)."""

    code = "FeatureDisabled"
    status = 404


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


class OrganizationNotFoundError(ServiceError):
    """No organization is associated with the calling account."""

    code = "OrganizationNotFoundException"
    status = 400


class ServiceAccessNotEnabledError(ServiceError):
    """Trusted access for IAM (``iam.amazonaws.com``) is not enabled in the caller's organization."""

    code = "ServiceAccessNotEnabledException"
    status = 400


class CallerIsNotManagementAccountError(ServiceError):
    """The operation is the organization's management account's alone."""

    code = "CallerIsNotManagementAccountException"
    status = 400


class AccountNotManagementOrDelegatedAdministratorError(ServiceError):
    """The caller's account is neither the management account nor IAM's delegated administrator."""

    code = "AccountNotManagementOrDelegatedAdministratorException"
    status = 400


class ConcurrentModificationError(ServiceError):
    """``ConcurrentModification``: the object changed under the request (AcceptDelegationRequest's refusals)."""

    code = "ConcurrentModification"
    status = 409


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


class InvalidAuthenticationCodeError(ServiceError):
    """``InvalidAuthenticationCode``: MFA codes that are not the device's consecutive codes."""

    code = "InvalidAuthenticationCode"
    status = 403


class PolicyFileError(InvalidInputError):
    """A policy that IAM would reject, read from a file: says which file, where, and why.

    ``cause`` is the parser's :class:`MalformedPolicyDocumentError` (or quota
    error) with its JSON pointer, line and column.
    """

    def __init__(self, origin: str, cause: ServiceError) -> None:
        where = origin
        pointer = ""
        if isinstance(cause, MalformedPolicyDocumentError):
            if cause.line is not None:
                where += f":{cause.line}:{cause.column}"
            pointer = f" (at {cause.pointer})" if cause.pointer else ""
        super().__init__(f"{where}: {cause.code}: {cause.message}{pointer}")
        self.origin = origin
        self.cause = cause

    def __reduce__(self) -> tuple[type[PolicyFileError], tuple[str, ServiceError]]:
        return (type(self), (self.origin, self.cause))


# ------------------------------------------------------------------ the wire protocol's own AWS errors


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


# ------------------------------------------------------------------ not AWS errors


class SnapshotFormatError(IamSimError):
    """A snapshot file that does not have the shape this version of iamsim writes."""


class WireError(IamSimError):
    """A misuse of the wire layer by iamsim's own code (not an AWS error)."""


class OutputShapeError(WireError):
    """A handler's output does not fit the operation's output shape."""


class UnknownServiceError(WireError):
    """A service name the wire layer has no model for."""


class UndecodableRequestError(WireError):
    """A request ``iamsim serve`` would forward whose service or operation botocore's models cannot tell."""


class PolicyCaseFailed(IamSimError, AssertionError):
    """A policy test case whose request missed its expectation; ``outcome`` holds every request's result.

    An ``AssertionError`` too: like a failed ``assert``, it is a test verdict, not a fault.
    """

    def __init__(self, outcome: CaseOutcome) -> None:
        super().__init__(outcome.case.name)
        self.outcome = outcome

    def __reduce__(self) -> tuple[type[PolicyCaseFailed], tuple[CaseOutcome]]:
        return (type(self), (self.outcome,))
