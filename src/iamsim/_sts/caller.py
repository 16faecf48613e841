"""Who is calling: the identity behind a set of credentials, as STS recorded it.

A :class:`Caller` is what authenticating credentials yields. For temporary
credentials every field travels inside the sealed session token (see
:meth:`Caller.to_claims`), so a session needs no server-side state; the
policies of the user or role behind it are still read live from the store,
as AWS does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from iamsim._arn import sts_arn
from iamsim._engine.request import Principal, PrincipalType
from iamsim._store.records import Role
from iamsim.errors import InvalidClientTokenIdError

__all__ = ["CLAIMS_VERSION", "Caller", "CallerKind", "role_session_caller", "role_session_principal"]

#: Bumped whenever the claims layout changes; older tokens are then invalid.
CLAIMS_VERSION = 1


class CallerKind(StrEnum):
    """How the caller authenticated."""

    ROOT = "root"
    #: A privileged session of a member account's root user (AssumeRoot, §G.12).
    ROOT_SESSION = "root-session"
    USER = "user"
    #: A user's GetSessionToken credentials.
    SESSION_TOKEN = "session-token"
    #: AssumeRole, AssumeRoleWithWebIdentity or EC2 instance-profile credentials.
    ROLE_SESSION = "role-session"
    FEDERATED = "federated-user"
    SERVICE = "service"
    WEB_IDENTITY = "web-identity"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated caller.

    ``entity_name``/``entity_id``: the IAM user (root excepted) or role behind
    the caller and its unique id when the credentials were issued; a
    recreated entity of the same name has another id and lends no
    permissions. ``session_policies`` are ``(name, text)`` pairs (``None``
    when none were passed). Times are epoch seconds.
    """

    kind: CallerKind
    principal: Principal
    entity_name: str | None = None
    entity_id: str | None = None
    access_key_id: str | None = None
    session_tags: tuple[tuple[str, str], ...] = ()
    transitive_tag_keys: tuple[str, ...] = ()
    session_policies: tuple[tuple[str, str], ...] | None = None
    issued_at: int | None = None
    expires_at: int | None = None
    mfa_at: int | None = None
    source_identity: str | None = None
    instance_id: str | None = None
    #: Extra condition keys the session carries (web identity claims, ``ec2:SourceInstanceARN``).
    extra_context: tuple[tuple[str, str | tuple[str, ...]], ...] = ()

    @property
    def account(self) -> str | None:
        """The caller's account (``None`` for services and identity providers)."""
        return self.principal.account

    @property
    def is_temporary(self) -> bool:
        """Whether the caller holds temporary credentials."""
        return self.kind in (
            CallerKind.SESSION_TOKEN,
            CallerKind.ROLE_SESSION,
            CallerKind.FEDERATED,
            CallerKind.ROOT_SESSION,
        )

    @property
    def is_role_chaining_source(self) -> bool:
        """Whether assuming a role with these credentials is role chaining (EC2 instance roles are not)."""
        return self.kind is CallerKind.ROLE_SESSION and self.instance_id is None

    def issued(self, access_key_id: str, issued_at: int, expires_at: int) -> Caller:
        """This caller with the key id and times of credentials just issued (``dataclasses.replace``, faster)."""
        return Caller(
            self.kind,
            self.principal,
            self.entity_name,
            self.entity_id,
            access_key_id,
            self.session_tags,
            self.transitive_tag_keys,
            self.session_policies,
            issued_at,
            expires_at,
            self.mfa_at,
            self.source_identity,
            self.instance_id,
            self.extra_context,
        )

    def to_claims(self, secret_access_key: str) -> dict[str, Any]:
        """The JSON claims sealed into the session token."""
        p = self.principal
        return {
            "v": CLAIMS_VERSION,
            "kind": self.kind.value,
            "akid": self.access_key_id,
            "secret": secret_access_key,
            "arn": p.arn,
            "type": p.type.value,
            "account": p.account,
            "partition": p.partition,
            "role_arn": p.role_arn,
            "session_name": p.session_name,
            "source_user_arn": p.source_user_arn,
            "unique_id": p.unique_id,
            "userid": p.userid,
            "username": p.username,
            "federated_provider": p.federated_provider,
            "web_identity": p.web_identity,
            "entity_name": self.entity_name,
            "entity_id": self.entity_id,
            "tags": [list(t) for t in self.session_tags],
            "transitive": list(self.transitive_tag_keys),
            "policies": None if self.session_policies is None else [list(p) for p in self.session_policies],
            "iat": self.issued_at,
            "exp": self.expires_at,
            "mfa": self.mfa_at,
            "source_identity": self.source_identity,
            "instance_id": self.instance_id,
            "context": [[k, list(v) if isinstance(v, tuple) else v] for k, v in self.extra_context],
        }

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Caller:
        """Rebuild a caller from :meth:`to_claims` output; ``InvalidClientTokenId`` if malformed."""
        try:
            if claims["v"] != CLAIMS_VERSION:
                raise InvalidClientTokenIdError()
            principal = Principal(
                claims["arn"],
                PrincipalType(claims["type"]),
                claims["account"],
                claims["partition"],
                role_arn=claims["role_arn"],
                session_name=claims["session_name"],
                source_user_arn=claims["source_user_arn"],
                unique_id=claims["unique_id"],
                userid=claims["userid"],
                username=claims["username"],
                federated_provider=claims["federated_provider"],
                web_identity=bool(claims["web_identity"]),
            )
            policies = claims["policies"]
            return cls(
                CallerKind(claims["kind"]),
                principal,
                entity_name=claims["entity_name"],
                entity_id=claims["entity_id"],
                access_key_id=claims["akid"],
                session_tags=tuple((str(k), str(v)) for k, v in claims["tags"]),
                transitive_tag_keys=tuple(claims["transitive"]),
                session_policies=None if policies is None else tuple((str(n), str(t)) for n, t in policies),
                issued_at=claims["iat"],
                expires_at=claims["exp"],
                mfa_at=claims["mfa"],
                source_identity=claims["source_identity"],
                instance_id=claims["instance_id"],
                extra_context=tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in claims["context"]),
            )
        except (KeyError, TypeError, ValueError):
            raise InvalidClientTokenIdError() from None


def role_session_principal(
    partition: str, account: str, role: Role, session_name: str, *, provider: str | None = None
) -> Principal:
    """The principal of a session of ``role`` named ``session_name`` (§G.1)."""
    arn = sts_arn(partition, account, f"assumed-role/{role.name}/{session_name}")
    return Principal(
        arn,
        PrincipalType.ASSUMED_ROLE,
        account,
        partition,
        role_arn=role.arn,
        session_name=session_name,
        unique_id=role.role_id,
        userid=f"{role.role_id}:{session_name}",
        federated_provider=provider,
        web_identity=provider is not None,
    )


def role_session_caller(
    principal: Principal,
    role: Role,
    *,
    session_tags: tuple[tuple[str, str], ...] = (),
    transitive_tag_keys: tuple[str, ...] = (),
    session_policies: tuple[tuple[str, str], ...] | None = None,
    mfa_at: int | None = None,
    source_identity: str | None = None,
    instance_id: str | None = None,
    extra_context: tuple[tuple[str, str | tuple[str, ...]], ...] = (),
) -> Caller:
    """A session of ``role`` (AssumeRole, its web identity and SAML forms, a service's role credentials).

    The role's name and id are recorded so that a role deleted and recreated under
    the same name lends the session no permissions.
    """
    return Caller(
        CallerKind.ROLE_SESSION,
        principal,
        role.name,
        role.role_id,
        None,
        session_tags,
        transitive_tag_keys,
        session_policies,
        None,
        None,
        mfa_at,
        source_identity,
        instance_id,
        extra_context,
    )
