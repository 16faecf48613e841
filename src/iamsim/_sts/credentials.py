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
    "same_secret",
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
