"""Long-term access keys to callers: the root user's and IAM users' keys, checked on every use (§G.9)."""

from __future__ import annotations

from collections.abc import Callable

from iamsim._engine.request import Principal, PrincipalType
from iamsim._store.records import AccessKey, User
from iamsim._sts.caller import Caller, CallerKind
from iamsim._sts.credentials import Credentials, same_secret
from iamsim._sts.world import World
from iamsim.errors import InvalidClientTokenIdError, SignatureDoesNotMatchError

__all__ = ["BAD_SIGNATURE", "LongTermKeys"]

#: AWS's words for a secret that is not the key's.
BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details."
)


class LongTermKeys:
    """The callers of long-term keys, remembered while the key and user records stay the same objects."""

    def __init__(self, world: World, partition: str) -> None:
        self._world = world
        self._partition = partition
        self._user_principals: dict[str, tuple[User, Principal]] = {}
        self._long_term_callers: dict[str, tuple[AccessKey, User, Caller]] = {}

    def caller(self, credentials: Credentials) -> Caller:
        """The caller of a long-term key: ``InvalidClientTokenId`` unless active, ``SignatureDoesNotMatch`` (§G.9)."""
        found = self._world.find_access_key(credentials.access_key_id)
        if found is None or found[1].status != "Active":
            raise InvalidClientTokenIdError()
        account, key = found
        if not same_secret(key.secret_access_key, credentials.secret_access_key):
            raise SignatureDoesNotMatchError(BAD_SIGNATURE)
        return self._key_caller(account, key)

    def signed_caller(self, access_key_id: str, verify: Callable[[str], object]) -> Caller | None:
        """The caller of a request signed with a long-term key, the key looked up once (§G.9).

        ``None`` when the simulator holds no such key. Otherwise ``verify`` checks the
        request's signature with the key's secret (raising ``SignatureDoesNotMatch``)
        before the key's status is checked, as AWS orders the two.
        """
        found = self._world.find_access_key(access_key_id)
        if found is None:
            return None
        account, key = found
        verify(key.secret_access_key)
        if key.status != "Active":
            raise InvalidClientTokenIdError()
        return self._key_caller(account, key)

    def _key_caller(self, account: str, key: AccessKey) -> Caller:
        """The caller of ``account``'s key ``key`` (checked already)."""
        if key.user_name is None:
            return Caller(CallerKind.ROOT, Principal.root(account, self._partition), access_key_id=key.access_key_id)
        user = self._world.store(account).users.get_user(key.user_name)
        # Key and user records are frozen and replaced on every change, so while both are the same objects
        # the caller they make is the same (the checks above still run on every call).
        cached = self._long_term_callers.get(key.access_key_id)
        if cached is not None and cached[0] is key and cached[1] is user:
            return cached[2]
        caller = Caller(
            CallerKind.USER,
            self.user_principal(account, user.name),
            entity_name=user.name,
            entity_id=user.user_id,
            access_key_id=key.access_key_id,
        )
        if len(self._long_term_callers) > 4096:
            self._long_term_callers.clear()
        self._long_term_callers[key.access_key_id] = (key, user, caller)
        return caller

    def user_principal(self, account: str, user_name: str) -> Principal:
        """The principal of IAM user ``user_name`` of ``account``, with its unique id."""
        user = self._world.store(account).users.get_user(user_name)
        # Records are frozen and replaced on every change, so the record itself is the cache key.
        cached = self._user_principals.get(user.user_id)
        if cached is not None and cached[0] is user:
            return cached[1]
        principal = Principal(
            user.arn,
            PrincipalType.USER,
            account,
            self._partition,
            unique_id=user.user_id,
            userid=user.user_id,
            username=user.name,
        )
        if len(self._user_principals) > 4096:
            self._user_principals.clear()
        self._user_principals[user.user_id] = (user, principal)
        return principal
