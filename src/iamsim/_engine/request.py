"""Who asks for what: the principal, the request and its context.

Context keys are case-insensitive, so a request stores them lowercased. A
context value is a ``str`` (a single-valued key) or a ``tuple`` of strings (a
multivalued key such as ``aws:TagKeys``); whether a key is multivalued is
decided by the request, not by the policy (spec §C.3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from iamsim._arn import Arn, account_root_arn, iam_arn, is_account_id, sts_arn
from iamsim._clock import iso8601
from iamsim._shown import shown
from iamsim.errors import InvalidArnError, InvalidInputError, UsageError

__all__ = [
    "ContextValue",
    "Principal",
    "PrincipalType",
    "Request",
    "build_request",
    "check_request_parts",
    "is_cross_account",
    "make_context",
    "normalise_context_value",
    "owning_account",
]

#: A context value: one string, or a tuple of strings for a multivalued key.
ContextValue = str | tuple[str, ...]


class PrincipalType(StrEnum):
    """The ``aws:PrincipalType`` of a caller (spec §D), plus ``Service``."""

    ACCOUNT = "Account"
    USER = "User"
    ASSUMED_ROLE = "AssumedRole"
    FEDERATED_USER = "FederatedUser"
    ANONYMOUS = "Anonymous"
    #: An AWS service acting as itself (``ec2.amazonaws.com`` assuming a role).
    SERVICE = "Service"
    #: A caller authenticated by an identity provider (AssumeRoleWithWebIdentity);
    #: ``federated_provider`` names the provider a trust policy's ``Federated`` lists.
    WEB_IDENTITY = "WebIdentityUser"


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller of a request.

    ``arn`` is the caller's own ARN: the user ARN, the account root ARN, the
    session ARN ``arn:aws:sts::A:assumed-role/ROLE/SESSION``, the federated-user
    ARN, or the service name for a service principal. For role sessions
    ``role_arn`` is the IAM role's ARN (with its path); for federated users
    ``source_user_arn`` is the IAM user who called GetFederationToken.
    ``unique_id`` is the user's or role's unique id (``AIDA...``/``AROA...``)
    when known; ``userid`` is the value of ``aws:userid``.
    """

    arn: str
    type: PrincipalType
    account: str | None
    partition: str = "aws"
    role_arn: str | None = None
    session_name: str | None = None
    source_user_arn: str | None = None
    unique_id: str | None = None
    userid: str | None = None
    username: str | None = None
    service: str | None = None
    federated_provider: str | None = None
    #: True for role sessions whose credentials come from an identity provider.
    web_identity: bool = False

    @property
    def is_root(self) -> bool:
        """Whether the caller is an account's root user."""
        return self.type is PrincipalType.ACCOUNT

    @property
    def is_session(self) -> bool:
        """Whether session policies apply to the caller (role or federated session)."""
        return self.type in (PrincipalType.ASSUMED_ROLE, PrincipalType.FEDERATED_USER)

    @property
    def principal_arn(self) -> str:
        """The value of ``aws:PrincipalArn``: the role ARN for role sessions."""
        if self.type is PrincipalType.ASSUMED_ROLE and self.role_arn:
            return self.role_arn
        return self.arn

    @classmethod
    def root(cls, account: str, partition: str = "aws") -> Principal:
        """The root user of ``account``."""
        if not is_account_id(account):
            raise UsageError(f"Account ID {account} is not a 12-digit account ID.")
        return cls(account_root_arn(account, partition), PrincipalType.ACCOUNT, account, partition, userid=account)

    @classmethod
    def for_service(cls, service: str) -> Principal:
        """An AWS service principal such as ``ec2.amazonaws.com``."""
        if not service or "." not in service:
            raise UsageError(f"Service principal {shown(service)} is not valid.")
        return cls(service, PrincipalType.SERVICE, None, service=service)

    @classmethod
    def for_web_identity(cls, provider: str, subject: str = "") -> Principal:
        """A caller holding a token from identity provider ``provider``.

        ``provider`` is what a trust policy's ``Federated`` names: an OIDC
        provider ARN (``arn:aws:iam::A:oidc-provider/host``) or a well-known
        name such as ``accounts.google.com``.
        """
        # No account: a web identity has no identity-based side to evaluate.
        return cls(provider, PrincipalType.WEB_IDENTITY, None, userid=subject or None, federated_provider=provider)

    @classmethod
    def anonymous(cls) -> Principal:
        """An unauthenticated caller."""
        return cls("anonymous", PrincipalType.ANONYMOUS, None, userid="anonymous")

    @classmethod
    def _session(
        cls, arn: str, role_arn: str, partition: str, account: str, session_name: str, unique_id: str | None
    ) -> Principal:
        """A session of the role ``role_arn``: its user id is ``role-id:session-name`` when the role's id is known."""
        userid = f"{unique_id}:{session_name}" if unique_id else None
        return cls(
            arn,
            PrincipalType.ASSUMED_ROLE,
            account,
            partition,
            role_arn=role_arn,
            session_name=session_name,
            unique_id=unique_id,
            userid=userid,
        )

    @classmethod
    def from_arn(cls, arn: str, *, session_name: str = "iamsim-session", unique_id: str | None = None) -> Principal:
        """Build a principal from its ARN.

        Accepts a root, user, role (read as a session of that role named
        ``session_name``), assumed-role session or federated-user ARN, a
        12-digit account id (its root user) or a service principal name.
        Raises :class:`~iamsim.errors.InvalidArnError` for anything else.
        """
        if is_account_id(arn):
            return cls.root(arn)
        if not arn.startswith("arn:") and arn.endswith(".amazonaws.com"):
            return cls.for_service(arn)
        parsed = Arn.parse(arn)
        account = parsed.account
        if not is_account_id(account):
            raise InvalidArnError(f"ARN {arn} has no valid account ID.")
        resource = parsed.resource
        if parsed.service == "iam":
            if resource == "root":
                return cls.root(account, parsed.partition)
            if resource.startswith("user/"):
                name = parsed.resource_name
                userid = unique_id
                return cls(
                    arn,
                    PrincipalType.USER,
                    account,
                    parsed.partition,
                    unique_id=unique_id,
                    userid=userid,
                    username=name,
                )
            if resource.startswith("role/"):
                session_arn = sts_arn(parsed.partition, account, f"assumed-role/{parsed.resource_name}/{session_name}")
                return cls._session(session_arn, arn, parsed.partition, account, session_name, unique_id)
        if parsed.service == "sts":
            if resource.startswith("assumed-role/"):
                pieces = resource.split("/")
                if len(pieces) != 3 or not pieces[1] or not pieces[2]:
                    raise InvalidArnError(f"ARN {arn} is not a valid assumed-role ARN.")
                role_arn = iam_arn(parsed.partition, account, f"role/{pieces[1]}")
                return cls._session(arn, role_arn, parsed.partition, account, pieces[2], unique_id)
            if resource.startswith("federated-user/"):
                name = resource.split("/", 1)[1]
                return cls(
                    arn,
                    PrincipalType.FEDERATED_USER,
                    account,
                    parsed.partition,
                    session_name=name,
                    userid=f"{account}:{name}",
                )
        raise InvalidArnError(f"ARN {arn} does not name a principal (root, user, role, session or federated user).")

    def context_entries(self) -> dict[str, ContextValue]:
        """The global condition keys this principal contributes (spec §E), lowercased."""
        entries: dict[str, ContextValue] = {
            "aws:principaltype": self.type.value,
            "aws:principalisawsservice": "true" if self.type is PrincipalType.SERVICE else "false",
        }
        if self.type is PrincipalType.SERVICE:
            entries["aws:principalservicename"] = self.service or self.arn
            return entries
        if self.type is PrincipalType.ANONYMOUS:
            entries["aws:principalaccount"] = "anonymous"
            entries["aws:userid"] = "anonymous"
            return entries
        entries["aws:principalarn"] = self.principal_arn
        if self.account:
            entries["aws:principalaccount"] = self.account
        if self.userid:
            entries["aws:userid"] = self.userid
        if self.username and self.type is PrincipalType.USER:
            entries["aws:username"] = self.username
        if self.federated_provider:
            entries["aws:federatedprovider"] = self.federated_provider
        return entries


def normalise_context_value(key: str, value: object) -> ContextValue:
    """Turn a user-supplied context value into a string or a tuple of strings.

    Booleans become ``"true"``/``"false"``, numbers their decimal text, aware
    datetimes ISO 8601 in UTC; lists, tuples and sets become tuples (a
    multivalued key). Anything else is an :class:`~iamsim.errors.UsageError`.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        out = []
        for item in items:
            scalar = _scalar(key, item)
            out.append(scalar)
        return tuple(out)
    return _scalar(key, value)


def _scalar(key: str, value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:
            # Python refuses to write integers of more than 4,300 digits; no context value is that long.
            raise UsageError(f"context key {key} has an integer too long to be a value") from None
    if isinstance(value, datetime):
        return iso8601(value)
    raise UsageError(f"context key {key} has a value of unsupported type {type(value).__name__}")


def make_context(entries: Mapping[str, object] | Iterable[tuple[str, object]] | None) -> dict[str, ContextValue]:
    """Normalise user-supplied context entries: lowercase keys, string values."""
    if entries is None:
        return {}
    if type(entries) is dict:
        # A plain dict's items are always pairs: the per-item shape check below cannot fail, so skip it.
        plain: dict[str, ContextValue] = {}
        for key, value in entries.items():
            if not isinstance(key, str) or not key:
                raise UsageError(f"context key {shown(key)} is not a non-empty string")
            plain[key.lower()] = value if type(value) is str else normalise_context_value(key, value)
        return plain
    if isinstance(entries, Mapping):
        items: Iterable[object] = entries.items()
    elif isinstance(entries, Iterable) and not isinstance(entries, (str, bytes)):
        items = entries
    else:
        raise UsageError(f"context must be a mapping of keys to values, not {type(entries).__name__}")
    out: dict[str, ContextValue] = {}
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2:
            raise UsageError(f"context entry {shown(item)} is not a (key, value) pair")
        key, value = item
        if not isinstance(key, str) or not key:
            raise UsageError(f"context key {shown(key)} is not a non-empty string")
        # Plain strings (the common case) need no normalising: skip the call.
        out[key.lower()] = value if type(value) is str else normalise_context_value(key, value)
    return out


@dataclass(frozen=True, slots=True, eq=False)
class Request:
    """One request to authorize: principal, action, resource and context.

    ``context`` holds every condition key the request carries, lowercased (use
    :meth:`create` to merge the principal's own keys with extra entries).
    ``resource`` is ``"*"`` for actions that take no resource. The resource's
    owning account is ``resource_account`` when given, else the ARN's account
    field, else (S3-style ARNs without an account) the principal's account.
    """

    principal: Principal
    action: str
    resource: str = "*"
    context: Mapping[str, ContextValue] = field(default_factory=dict)
    resource_account: str | None = None

    @classmethod
    def create(
        cls,
        principal: Principal,
        action: str,
        resource: str = "*",
        context: Mapping[str, object] | None = None,
        *,
        resource_account: str | None = None,
    ) -> Request:
        """Build a request whose context holds the principal's keys plus ``context``.

        Entries in ``context`` override the derived ones (spec §E: callers may
        override or add any key).
        """
        check_request_parts(principal, action, resource, resource_account)
        merged = principal.context_entries()
        merged.update(make_context(context))
        return cls(principal, action, resource, merged, resource_account)

    @property
    def owning_account(self) -> str | None:
        """The account that owns the resource (see the class docstring)."""
        return owning_account(self.resource, self.resource_account, self.principal.account)

    @property
    def is_cross_account(self) -> bool:
        """Whether the principal's account differs from the resource's."""
        return is_cross_account(self.resource, self.resource_account, self.principal.account)


def owning_account(resource: str, resource_account: str | None, principal_account: str | None) -> str | None:
    """The account owning ``resource``: ``resource_account`` when given, else the ARN's, else the caller's."""
    if resource_account:
        return resource_account
    if resource.startswith("arn:"):
        parts = resource.split(":", 5)
        if len(parts) == 6 and parts[4]:
            return parts[4]
    return principal_account


def is_cross_account(resource: str, resource_account: str | None, principal_account: str | None) -> bool:
    """Whether a caller of ``principal_account`` asks for a resource another account owns (see :class:`Request`).

    The public API's direct path decides from the call's arguments with no :class:`Request` built.
    """
    if principal_account is None:
        return False
    # :func:`owning_account` unrolled (it runs on most fast-path decisions): the caller's own account
    # owns what names none, which is never cross-account.
    if resource_account:
        return resource_account != principal_account
    if resource.startswith("arn:"):
        parts = resource.split(":", 5)
        if len(parts) == 6 and parts[4]:
            return parts[4] != principal_account
    return False


def check_request_parts(principal: object, action: object, resource: object, resource_account: object) -> None:
    """Raise the error naming the first part a request cannot have.

    AWS's ``InvalidInput`` for what a request through the wire can carry (action, resource,
    resource account); ``UsageError`` for a principal that is not a :class:`Principal`.
    """
    if not isinstance(action, str) or ":" not in action:
        raise InvalidInputError(f"action {shown(action)} is not of the form service:ActionName")
    if not isinstance(resource, str) or not resource:
        raise InvalidInputError(f"resource {shown(resource)} is not an ARN or '*'")
    if not isinstance(principal, Principal):
        raise UsageError(f"principal {shown(principal)} is not a Principal")
    if resource_account is not None and not is_account_id(resource_account):
        raise InvalidInputError(f"resource account {shown(resource_account)} is not a 12-digit account ID")


# Setting the frozen request's slots through their descriptors skips the dataclass ``__init__`` (one
# ``object.__setattr__`` per field): a visible share of a simulator's per-request overhead.
_REQUEST_SLOTS = Request.__dict__
_set_principal = _REQUEST_SLOTS["principal"].__set__
_set_action = _REQUEST_SLOTS["action"].__set__
_set_resource = _REQUEST_SLOTS["resource"].__set__
_set_context = _REQUEST_SLOTS["context"].__set__
_set_resource_account = _REQUEST_SLOTS["resource_account"].__set__


def build_request(
    principal: Principal,
    action: str,
    resource: str,
    context: Mapping[str, ContextValue],
    resource_account: str | None,
) -> Request:
    """A :class:`Request` equal field for field to calling the class with these arguments, built faster.

    For callers whose context is already lowercased and normalised (the simulator's evaluation path).
    """
    request: Request = object.__new__(Request)
    _set_principal(request, principal)
    _set_action(request, action)
    _set_resource(request, resource)
    _set_context(request, context)
    _set_resource_account(request, resource_account)
    return request
