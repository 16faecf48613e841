"""AWS IAM's errors: bad parameters and documents, entities and their quotas, credentials IAM keeps, organizations."""

from __future__ import annotations

from iamsim.errors._base import ServiceError


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
