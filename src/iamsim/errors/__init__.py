"""The one exception tree of iamsim.

Every error iamsim raises on purpose derives from :class:`IamSimError`, and
every one is defined in this package, one module per regime (it is the lowest
layer: it imports no other part of iamsim at run time). Import them from here:
``iamsim.errors.X`` is each class's public path, whichever module defines it.
Three regimes (the modules, by regime: ``_base`` the two roots; ``_iam``,
``_access`` and ``_protocol`` AWS's errors by family; ``_library`` misuse and
verdicts; ``_files`` the file formats):

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

from iamsim.errors._access import (
    AccessDeniedError,
    ExpiredTokenError,
    ExpiredTradeInTokenError,
    ExpiredWebIdentityTokenError,
    IDPRejectedClaimError,
    InsufficientSessionLifetimeError,
    InvalidAuthenticationCodeError,
    InvalidAuthorizationMessageError,
    InvalidClientTokenIdError,
    InvalidIdentityTokenError,
    InvalidSubjectCredentialsError,
    OutboundWebIdentityFederationDisabledError,
    PackedPolicyTooLargeError,
    ResourceNotFoundError,
    SessionDurationEscalationError,
    UnauthorizedOperationError,
)
from iamsim.errors._base import IamSimError, ServiceError
from iamsim.errors._files import PolicyFileError, SnapshotFormatError
from iamsim.errors._iam import (
    AccountNotManagementOrDelegatedAdministratorError,
    CallerIsNotManagementAccountError,
    ConcurrentModificationError,
    CredentialReportExpiredError,
    CredentialReportNotPresentError,
    DeleteConflictError,
    DuplicateCertificateError,
    DuplicateSSHPublicKeyError,
    EntityAlreadyExistsError,
    FeatureDisabledError,
    FeatureEnabledError,
    InvalidArnError,
    InvalidInputError,
    InvalidPublicKeyError,
    InvalidUserTypeError,
    KeyPairMismatchError,
    LimitExceededError,
    MalformedCertificateError,
    MalformedPolicyDocumentError,
    NoSuchEntityError,
    OrganizationNotFoundError,
    PasswordPolicyViolationError,
    PolicyNotAttachableError,
    ServiceAccessNotEnabledError,
    ServiceNotSupportedError,
    UnmodifiableEntityError,
    UnrecognizedPublicKeyEncodingError,
    ValidationError,
)
from iamsim.errors._library import (
    OutputShapeError,
    PolicyCaseFailed,
    UndecodableRequestError,
    UnknownServiceError,
    UsageError,
    WireError,
)
from iamsim.errors._protocol import (
    IncompleteSignatureError,
    InvalidActionError,
    MalformedQueryStringError,
    MissingActionError,
    MissingAuthenticationTokenError,
    OperationNotImplementedError,
    SignatureDoesNotMatchError,
)

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


def _relabel() -> None:
    """Give every class the public path ``iamsim.errors.X`` (``repr``, pickles and the docs show it).

    The modules that define them are private and may be rearranged; the path
    users catch and pickles name must not move with them.
    """
    for name in __all__:
        globals()[name].__module__ = __name__


_relabel()
del _relabel
