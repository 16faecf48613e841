"""Credentials as STS and IAM hand them out, and the STS responses that carry them (spec §G)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "AssumeRoleResult",
    "AssumedRoleUser",
    "CallerIdentity",
    "Credentials",
    "FederatedUser",
    "FederationTokenResult",
    "WebIdentityResult",
    "assume_role_result",
    "same_secret",
    "session_credentials",
]


def same_secret(issued: str, presented: object) -> bool:
    """Whether ``presented`` is the ``issued`` secret, compared in constant time.

    Anything that is not text (``None``, bytes) is simply not the secret: the Python
    API takes whatever its caller passes, and a wrong type must fail like a wrong value.
    """
    if not isinstance(presented, str):
        return False
    # Bytes, because compare_digest refuses str with non-ASCII characters.
    return hmac.compare_digest(issued.encode("utf-8", "surrogatepass"), presented.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True, slots=True)
class Credentials:
    """An access key pair, plus a session token and expiration for temporary credentials.

    Long-term keys (``AKIA...``) have neither; temporary keys (``ASIA...``)
    have both. ``repr`` hides the secret and the token.
    """

    access_key_id: str
    secret_access_key: str
    session_token: str | None = None
    expiration: datetime | None = None

    @property
    def is_temporary(self) -> bool:
        """Whether these are temporary (STS) credentials."""
        return self.session_token is not None

    def __repr__(self) -> str:
        expires = f", expiration={self.expiration.isoformat()}" if self.expiration else ""
        return f"Credentials(access_key_id={self.access_key_id!r}{expires})"


@dataclass(frozen=True, slots=True)
class AssumedRoleUser:
    """``AssumedRoleUser``: ``RoleId:SessionName`` and the session ARN."""

    assumed_role_id: str
    arn: str


@dataclass(frozen=True, slots=True)
class AssumeRoleResult:
    """The response of AssumeRole (§G.1)."""

    credentials: Credentials
    assumed_role_user: AssumedRoleUser
    packed_policy_size: int
    source_identity: str | None = None


@dataclass(frozen=True, slots=True)
class WebIdentityResult:
    """The response of AssumeRoleWithWebIdentity (§G.2)."""

    credentials: Credentials
    assumed_role_user: AssumedRoleUser
    packed_policy_size: int
    subject_from_web_identity_token: str
    provider: str
    audience: str
    source_identity: str | None = None


@dataclass(frozen=True, slots=True)
class FederatedUser:
    """``FederatedUser``: ``ACCOUNT:Name`` and the federated-user ARN."""

    federated_user_id: str
    arn: str


@dataclass(frozen=True, slots=True)
class FederationTokenResult:
    """The response of GetFederationToken (§G.5)."""

    credentials: Credentials
    federated_user: FederatedUser
    packed_policy_size: int


@dataclass(frozen=True, slots=True)
class CallerIdentity:
    """The response of GetCallerIdentity (§G.6)."""

    user_id: str
    account: str
    arn: str


# The slot descriptors of the records every AssumeRole returns: set through them, without the dataclass
# ``__init__`` and its ``object.__setattr__`` per field (tests hold the builders equal to the constructors).
_new_object = object.__new__
_CREDENTIALS = Credentials.__dict__
_set_access_key_id = _CREDENTIALS["access_key_id"].__set__
_set_secret_access_key = _CREDENTIALS["secret_access_key"].__set__
_set_session_token = _CREDENTIALS["session_token"].__set__
_set_expiration = _CREDENTIALS["expiration"].__set__
_set_assumed_role_id = AssumedRoleUser.__dict__["assumed_role_id"].__set__
_set_user_arn = AssumedRoleUser.__dict__["arn"].__set__
_RESULT = AssumeRoleResult.__dict__
_set_credentials = _RESULT["credentials"].__set__
_set_assumed_role_user = _RESULT["assumed_role_user"].__set__
_set_packed_policy_size = _RESULT["packed_policy_size"].__set__
_set_source_identity = _RESULT["source_identity"].__set__


def session_credentials(
    access_key_id: str, secret_access_key: str, session_token: str, expiration: datetime
) -> Credentials:
    """``Credentials(access_key_id, secret_access_key, session_token, expiration)``, built through the slots."""
    credentials: Credentials = _new_object(Credentials)
    _set_access_key_id(credentials, access_key_id)
    _set_secret_access_key(credentials, secret_access_key)
    _set_session_token(credentials, session_token)
    _set_expiration(credentials, expiration)
    return credentials


def assume_role_result(
    credentials: Credentials, assumed_role_id: str, arn: str, packed_policy_size: int, source_identity: str | None
) -> AssumeRoleResult:
    """``AssumeRoleResult(credentials, AssumedRoleUser(assumed_role_id, arn), ...)``, built through the slots."""
    user: AssumedRoleUser = _new_object(AssumedRoleUser)
    _set_assumed_role_id(user, assumed_role_id)
    _set_user_arn(user, arn)
    result: AssumeRoleResult = _new_object(AssumeRoleResult)
    _set_credentials(result, credentials)
    _set_assumed_role_user(result, user)
    _set_packed_policy_size(result, packed_policy_size)
    _set_source_identity(result, source_identity)
    return result
