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

__all__ = ["CLAIMS_FIELDS", "CLAIMS_VERSION", "Caller", "CallerKind", "role_session_caller", "role_session_principal"]

#: Bumped whenever the claims layout changes. Version 1 was a JSON object, version 2 the same
#: fields as a JSON array; both open (see :meth:`Caller.from_claims`).
CLAIMS_VERSION = 2
_CLAIMS_VERSION_NAMED = 1
#: The claims' fields in the order of the array (and their names in version 1's object).
CLAIMS_FIELDS = (
    "v",
    "kind",
    "akid",
    "secret",
    "arn",
    "type",
    "account",
    "partition",
    "role_arn",
    "session_name",
    "source_user_arn",
    "unique_id",
    "userid",
    "username",
    "federated_provider",
    "web_identity",
    "entity_name",
    "entity_id",
    "tags",
    "transitive",
    "policies",
    "iat",
    "exp",
    "mfa",
    "source_identity",
    "instance_id",
    "context",
)


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

    def to_claims(self, secret_access_key: str) -> list[Any]:
        """The claims sealed into the session token: a JSON array, :data:`CLAIMS_FIELDS` in order.

        Positional, because encoding the values under their names costs three
        times as much and sealing is a large part of issuing a session.
        Tuples encode as JSON arrays, so nested fields are passed as they are.
        """
        p = self.principal
        return [
            CLAIMS_VERSION,
            self.kind.value,
            self.access_key_id,
            secret_access_key,
            p.arn,
            p.type.value,
            p.account,
            p.partition,
            p.role_arn,
            p.session_name,
            p.source_user_arn,
            p.unique_id,
            p.userid,
            p.username,
            p.federated_provider,
            p.web_identity,
            self.entity_name,
            self.entity_id,
            self.session_tags,
            self.transitive_tag_keys,
            self.session_policies,
            self.issued_at,
            self.expires_at,
            self.mfa_at,
            self.source_identity,
            self.instance_id,
            self.extra_context,
        ]

    @classmethod
    def from_claims(cls, claims: dict[str, Any] | list[Any]) -> tuple[Caller, str]:
        """The caller and the secret in :meth:`to_claims` output; ``InvalidClientTokenId`` if malformed.

        Claims of version 1 (a JSON object under :data:`CLAIMS_FIELDS`' names, sealed by
        earlier versions of iamsim and possibly kept with a snapshot's key) still open.
        """
        try:
            if isinstance(claims, dict):
                if claims["v"] != _CLAIMS_VERSION_NAMED:
                    raise InvalidClientTokenIdError()
                claims = [CLAIMS_VERSION, *(claims[name] for name in CLAIMS_FIELDS[1:])]
            if len(claims) != len(CLAIMS_FIELDS) or claims[0] != CLAIMS_VERSION:
                raise InvalidClientTokenIdError()
            (
                _,
                kind,
                akid,
                secret,
                arn,
                principal_type,
                account,
                partition,
                role_arn,
                session_name,
                source_user_arn,
                unique_id,
                userid,
                username,
                federated_provider,
                web_identity,
                entity_name,
                entity_id,
                tags,
                transitive,
                policies,
                issued_at,
                expires_at,
                mfa_at,
                source_identity,
                instance_id,
                context,
            ) = claims
            if not isinstance(secret, str) or akid is None:
                raise InvalidClientTokenIdError()
            principal = Principal(
                arn,
                PrincipalType(principal_type),
                account,
                partition,
                role_arn=role_arn,
                session_name=session_name,
                source_user_arn=source_user_arn,
                unique_id=unique_id,
                userid=userid,
                username=username,
                federated_provider=federated_provider,
                web_identity=bool(web_identity),
            )
            caller = cls(
                CallerKind(kind),
                principal,
                entity_name=entity_name,
                entity_id=entity_id,
                access_key_id=akid,
                session_tags=tuple((str(k), str(v)) for k, v in tags),
                transitive_tag_keys=tuple(transitive),
                session_policies=None if policies is None else tuple((str(n), str(t)) for n, t in policies),
                issued_at=issued_at,
                expires_at=expires_at,
                mfa_at=mfa_at,
                source_identity=source_identity,
                instance_id=instance_id,
                extra_context=tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in context),
            )
        except (KeyError, TypeError, ValueError):
            raise InvalidClientTokenIdError() from None
        return caller, secret


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
    issued: tuple[str, int, int] | None = None,
) -> Caller:
    """A session of ``role`` (AssumeRole, its web identity and SAML forms, a service's role credentials).

    The role's name and id are recorded so that a role deleted and recreated under
    the same name lends the session no permissions. ``issued`` is the session's
    access key id, issue and expiry seconds when they are drawn already (a
    template for :meth:`StsService.issue_session` has none).
    """
    access_key_id, issued_at, expires_at = (None, None, None) if issued is None else issued
    return Caller(
        CallerKind.ROLE_SESSION,
        principal,
        role.name,
        role.role_id,
        access_key_id,
        session_tags,
        transitive_tag_keys,
        session_policies,
        issued_at,
        expires_at,
        mfa_at,
        source_identity,
        instance_id,
        extra_context,
    )
