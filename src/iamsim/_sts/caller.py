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
from functools import lru_cache
from json.encoder import encode_basestring_ascii
from typing import Any

from iamsim._arn import sts_arn
from iamsim._engine.request import Principal, PrincipalType
from iamsim._store.records import Role
from iamsim._sts.tokens import encode_claims
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
        return _new_caller(
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

    def claims_text(self, secret_access_key: str) -> str:
        """``encode_claims(self.to_claims(secret_access_key))``, the same text, cheaper.

        Most claims are the same for every session of one role and caller (kind, the
        role's ARN and id, tags, policies...): their JSON is written once per such
        combination and remembered; only the key id, secret, session ARN and name,
        ``aws:userid``, the times and the web-identity flag (``True == 1``: a remembered run must
        not answer for a value that only compares equal) are written per session. A test holds
        the two equal.
        """
        p = self.principal
        shared_key = (
            self.kind, p.type, p.account, p.partition, p.role_arn, p.source_user_arn, p.unique_id,
            p.username, p.federated_provider, self.entity_name, self.entity_id, self.session_tags,
            self.transitive_tag_keys, self.session_policies, self.mfa_at, self.source_identity, self.instance_id,
            self.extra_context, type(self.mfa_at),
        )  # fmt: skip
        try:
            kind, principal, origin, names, entity, tail = _shared_claims(shared_key)
        except TypeError:  # a field holding something unhashable (a list): written the plain way
            return encode_claims(self.to_claims(secret_access_key))
        return (
            f"[{CLAIMS_VERSION},{kind},{_json_scalar(self.access_key_id)},{_json_scalar(secret_access_key)},"
            f"{_json_scalar(p.arn)},{principal},{_json_scalar(p.session_name)},{origin},{_json_scalar(p.userid)},"
            f"{names},{_json_scalar(p.web_identity)},{entity},{_json_scalar(self.issued_at)},"
            f"{_json_scalar(self.expires_at)},{tail}]"
        )

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


def _json_scalar(value: object) -> str:
    """``value`` as :func:`~iamsim._sts.tokens.encode_claims` writes it (strings, ``None`` and ints inline)."""
    if type(value) is str:
        return encode_basestring_ascii(value)
    if type(value) is int:
        return str(value)
    if value is None:
        return "null"
    if type(value) is bool:
        return "true" if value else "false"
    return encode_claims(value)


@lru_cache(maxsize=256)
def _shared_claims(shared: tuple[Any, ...]) -> tuple[str, str, str, str, str, str]:
    """The JSON of the claims a role's sessions share, in the six runs between the per-session claims.

    ``shared`` holds :meth:`Caller.to_claims`' fields 1, 5-8, 10-11, 13-14, 16-20 and 23-26 in that
    order, then the type of ``mfa_at`` (``True`` and ``1`` must not share a run); each run is its
    array's text without the brackets, so the runs and the per-session values joined with commas are
    the whole array's text.
    """
    # The two enums are keyed as members (no ``.value`` per call) and written as their values.
    kind, principal_type = shared[0], shared[1]
    runs = ((kind.value,), (principal_type.value, *shared[2:5]), shared[5:7], shared[7:9], shared[9:14], shared[14:18])
    kind, principal, origin, names, entity, tail = (encode_claims(run)[1:-1] for run in runs)
    return kind, principal, origin, names, entity, tail


# The slot descriptors of the frozen records built per session: setting through them skips the dataclass
# ``__init__`` and its ``object.__setattr__`` per field (about a third of building each record).
_new_object = object.__new__
_CALLER_SLOTS = Caller.__dict__
_set_kind = _CALLER_SLOTS["kind"].__set__
_set_principal = _CALLER_SLOTS["principal"].__set__
_set_entity_name = _CALLER_SLOTS["entity_name"].__set__
_set_entity_id = _CALLER_SLOTS["entity_id"].__set__
_set_access_key_id = _CALLER_SLOTS["access_key_id"].__set__
_set_session_tags = _CALLER_SLOTS["session_tags"].__set__
_set_transitive_tag_keys = _CALLER_SLOTS["transitive_tag_keys"].__set__
_set_session_policies = _CALLER_SLOTS["session_policies"].__set__
_set_issued_at = _CALLER_SLOTS["issued_at"].__set__
_set_expires_at = _CALLER_SLOTS["expires_at"].__set__
_set_mfa_at = _CALLER_SLOTS["mfa_at"].__set__
_set_source_identity = _CALLER_SLOTS["source_identity"].__set__
_set_instance_id = _CALLER_SLOTS["instance_id"].__set__
_set_extra_context = _CALLER_SLOTS["extra_context"].__set__
_PRINCIPAL_SLOTS = Principal.__dict__
_set_p_arn = _PRINCIPAL_SLOTS["arn"].__set__
_set_p_type = _PRINCIPAL_SLOTS["type"].__set__
_set_p_account = _PRINCIPAL_SLOTS["account"].__set__
_set_p_partition = _PRINCIPAL_SLOTS["partition"].__set__
_set_p_role_arn = _PRINCIPAL_SLOTS["role_arn"].__set__
_set_p_session_name = _PRINCIPAL_SLOTS["session_name"].__set__
_set_p_source_user_arn = _PRINCIPAL_SLOTS["source_user_arn"].__set__
_set_p_unique_id = _PRINCIPAL_SLOTS["unique_id"].__set__
_set_p_userid = _PRINCIPAL_SLOTS["userid"].__set__
_set_p_username = _PRINCIPAL_SLOTS["username"].__set__
_set_p_service = _PRINCIPAL_SLOTS["service"].__set__
_set_p_federated_provider = _PRINCIPAL_SLOTS["federated_provider"].__set__
_set_p_web_identity = _PRINCIPAL_SLOTS["web_identity"].__set__


def _new_caller(
    kind: CallerKind,
    principal: Principal,
    entity_name: str | None,
    entity_id: str | None,
    access_key_id: str | None,
    session_tags: tuple[tuple[str, str], ...],
    transitive_tag_keys: tuple[str, ...],
    session_policies: tuple[tuple[str, str], ...] | None,
    issued_at: int | None,
    expires_at: int | None,
    mfa_at: int | None,
    source_identity: str | None,
    instance_id: str | None,
    extra_context: tuple[tuple[str, str | tuple[str, ...]], ...],
) -> Caller:
    """``Caller(...)`` with every field given in order, built through the slots (a test holds the two equal)."""
    caller: Caller = _new_object(Caller)
    _set_kind(caller, kind)
    _set_principal(caller, principal)
    _set_entity_name(caller, entity_name)
    _set_entity_id(caller, entity_id)
    _set_access_key_id(caller, access_key_id)
    _set_session_tags(caller, session_tags)
    _set_transitive_tag_keys(caller, transitive_tag_keys)
    _set_session_policies(caller, session_policies)
    _set_issued_at(caller, issued_at)
    _set_expires_at(caller, expires_at)
    _set_mfa_at(caller, mfa_at)
    _set_source_identity(caller, source_identity)
    _set_instance_id(caller, instance_id)
    _set_extra_context(caller, extra_context)
    return caller


def role_session_principal(
    partition: str, account: str, role: Role, session_name: str, *, provider: str | None = None
) -> Principal:
    """The principal of a session of ``role`` named ``session_name`` (§G.1)."""
    arn = sts_arn(partition, account, f"assumed-role/{role.name}/{session_name}")
    # Equal to ``Principal(arn, ASSUMED_ROLE, account, partition, role_arn=..., ...)``, built through the
    # slots (a test holds the two equal): one is built for every session issued.
    principal: Principal = _new_object(Principal)
    _set_p_arn(principal, arn)
    _set_p_type(principal, PrincipalType.ASSUMED_ROLE)
    _set_p_account(principal, account)
    _set_p_partition(principal, partition)
    _set_p_role_arn(principal, role.arn)
    _set_p_session_name(principal, session_name)
    _set_p_source_user_arn(principal, None)
    _set_p_unique_id(principal, role.role_id)
    _set_p_userid(principal, f"{role.role_id}:{session_name}")
    _set_p_username(principal, None)
    _set_p_service(principal, None)
    _set_p_federated_provider(principal, provider)
    _set_p_web_identity(principal, provider is not None)
    return principal


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
    return _new_caller(
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
