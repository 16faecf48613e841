"""STS operations, MFA devices, identity providers, and acting with credentials (§E, §G)."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from types import MappingProxyType

from iamsim._engine.result import Decision, EvaluationResult
from iamsim._policy.model import Policy
from iamsim._simulator.world import Who, World
from iamsim._store.account import Document
from iamsim._store.records import MfaDevice
from iamsim._sts.caller import Caller, CallerKind
from iamsim._sts.credentials import (
    AssumeRoleResult,
    CallerIdentity,
    Credentials,
    FederationTokenResult,
    WebIdentityResult,
)
from iamsim._sts.oidc import TestIdentityProvider
from iamsim._sts.params import SessionTagsInput
from iamsim._sts.totp import generate_seed, seed_base32, totp_code
from iamsim.errors import (
    AccessDeniedError,
    InvalidAuthenticationCodeError,
    InvalidClientTokenIdError,
    ServiceError,
    UsageError,
)

__all__ = ["StsOperations"]


def _seed(device: MfaDevice) -> bytes:
    text = device.seed_base32
    return base64.b32decode(text + "=" * (-len(text) % 8))


#: ``decision.value`` per decision: an enum's ``value`` is a property, read on every logged request.
_DECISION_TEXT = {decision: decision.value for decision in Decision}
_SESSION_TOKEN = CallerKind.SESSION_TOKEN
#: The context of a request that passes none (read-only: it is shared by every such request).
_NO_CONTEXT: Mapping[str, object] = MappingProxyType({})


class StsOperations(World):
    """STS calls and request authorization."""

    def _signed(self, who: Who) -> tuple[str, Callable[[], Caller]]:
        """Authenticate ``who`` once: the actor to log, and a thunk giving the caller or raising its error.

        The error is raised inside the logged call, so a failed authentication
        is logged with its code, as before, without authenticating twice.
        """
        try:
            caller = self._caller(who)
        except ServiceError as error:
            failure = error

            def fail() -> Caller:
                raise failure

            return "unknown caller", fail
        return caller.principal.arn, lambda: caller

    # ------------------------------------------------------------ credentials

    def issued_secret(self, access_key_id: str, session_token: str | None = None) -> str | None:
        """The secret access key this simulator issued with these credentials, or ``None``.

        ``None`` means the simulator holds no such long-term key (never issued, or
        deleted: see :meth:`issued_access_key`). For temporary credentials the secret
        travels sealed in the session token, so no per-session state is kept; a token
        the simulator did not seal, or sealed for another access key id, raises
        ``InvalidClientTokenIdError`` (§G.9).
        """
        with self._lock:
            if session_token is None:
                found = self.find_access_key(access_key_id)
                return None if found is None else found[1].secret_access_key
            return self._sts.session_secret(access_key_id, session_token)

    def authenticate(self, credentials: Credentials) -> Caller:
        """The caller behind credentials this simulator issued.

        The secret is always compared, in constant time, with the one issued with
        the key or sealed in the session token: a wrong, empty or non-text secret
        raises ``SignatureDoesNotMatchError``. Raises ``ExpiredTokenError`` for
        expired temporary credentials and ``InvalidClientTokenIdError`` for
        unknown, deactivated, deleted or tampered ones (§G.9).
        """
        with self._lock:
            return self._caller(credentials)

    def root_credentials(self, account_id: str | None = None) -> Credentials:
        """Long-term credentials of the account's root user (created on first use)."""
        account = self._account(account_id)

        def run() -> Credentials:
            store = self.store(account)
            keys = store.list_access_keys(None)
            key = keys[0] if keys else store.create_access_key(None)
            return Credentials(key.access_key_id, key.secret_access_key)

        return self._call("admin", "IAM", "CreateAccessKey", f"root of {account}", run)

    # -------------------------------------------------------------- authorize

    def authorize(
        self,
        who: Who,
        action: str,
        resource: str = "*",
        *,
        context: Mapping[str, object] | None = None,
        resource_policy: Document | Policy | None = None,
        resource_account: str | None = None,
    ) -> EvaluationResult:
        """Evaluate a request and return the result; raise ``AccessDeniedError`` (with it) when denied.

        Credentials are authenticated first: ``ExpiredTokenError`` from the
        expiration second on, ``InvalidClientTokenIdError`` for unknown,
        inactive, deleted or tampered ones.
        """
        result = self._decide(who, action, resource, context, resource_policy, resource_account, explain=False)
        if not result.allowed:
            raise AccessDeniedError.for_result(result)
        return result

    def is_allowed(
        self,
        who: Who,
        action: str,
        resource: str = "*",
        *,
        context: Mapping[str, object] | None = None,
        resource_policy: Document | Policy | None = None,
        resource_account: str | None = None,
    ) -> bool:
        """Whether the request is allowed (credential errors still raise)."""
        return self._decide(who, action, resource, context, resource_policy, resource_account, explain=False).allowed

    def explain(
        self,
        who: Who,
        action: str,
        resource: str = "*",
        *,
        context: Mapping[str, object] | None = None,
        resource_policy: Document | Policy | None = None,
        resource_account: str | None = None,
    ) -> EvaluationResult:
        """The result with a full explanation, policy by policy (never raises for a denial)."""
        return self._decide(who, action, resource, context, resource_policy, resource_account, explain=True)

    def _decide(
        self,
        who: Who,
        action: str,
        resource: str,
        context: Mapping[str, object] | None,
        resource_policy: Document | Policy | None,
        resource_account: str | None,
        *,
        explain: bool,
    ) -> EvaluationResult:
        if not isinstance(action, str) or ":" not in action:
            raise UsageError(f"action {action!r} is not of the form service:ActionName")
        if not isinstance(resource, str) or not resource:
            raise UsageError(f"resource {resource!r} is not an ARN or '*'")
        with self._lock:
            # One clock read per request: authentication (expiry), the context and the log see the same time.
            now = self._clock.now()
            try:
                # Credentials first, by exact type: the common case skips the dispatch in _caller. The second
                # is remembered for this ``now``, so the caller's context does not compute it again.
                if type(who) is Credentials:
                    caller = self._sts.authenticate(who, second=self._second(now))
                else:
                    caller = self._caller(who, now)
                if caller.kind is _SESSION_TOKEN and caller.mfa_at is None and action.lower().startswith("iam:"):
                    # GetSessionToken credentials reach IAM only with MFA (§G.4).
                    raise InvalidClientTokenIdError()
                policy = resource_policy if resource_policy is None else self._resource_policy(resource_policy)
                result = self._evaluate_checked(
                    caller, action, resource, context or _NO_CONTEXT, policy, resource_account, explain, now
                )
            except ServiceError as error:
                self._log_at(now, "unknown caller", action.split(":", 1)[0], action, resource, error.code)
                raise
            self._events.record(
                now, caller.principal.arn, action.split(":", 1)[0], action, resource, _DECISION_TEXT[result.decision]
            )
            return result

    # -------------------------------------------------------------------- STS

    def assume_role(
        self,
        who: Who,
        role_arn: str,
        role_session_name: str,
        *,
        duration_seconds: int | None = None,
        external_id: str | None = None,
        serial_number: str | None = None,
        token_code: str | None = None,
        policy: Document | None = None,
        policy_arns: Sequence[str] | None = None,
        tags: SessionTagsInput = None,
        transitive_tag_keys: Sequence[str] | None = None,
        source_identity: str | None = None,
    ) -> AssumeRoleResult:
        """AssumeRole (§G.1, §F.4)."""
        with self._lock:
            actor, caller = self._signed(who)
            return self._call(
                actor,
                "STS",
                "AssumeRole",
                role_arn,
                lambda: self._sts.assume_role(
                    caller(),
                    role_arn,
                    role_session_name,
                    duration_seconds=duration_seconds,
                    external_id=external_id,
                    serial_number=serial_number,
                    token_code=token_code,
                    policy=policy,
                    policy_arns=policy_arns,
                    tags=tags,
                    transitive_tag_keys=transitive_tag_keys,
                    source_identity=source_identity,
                ),
            )

    def assume_role_with_web_identity(
        self,
        role_arn: str,
        role_session_name: str,
        web_identity_token: str,
        *,
        duration_seconds: int | None = None,
        policy: Document | None = None,
        policy_arns: Sequence[str] | None = None,
    ) -> WebIdentityResult:
        """AssumeRoleWithWebIdentity (unsigned; §G.2)."""
        return self._call(
            "web identity",
            "STS",
            "AssumeRoleWithWebIdentity",
            role_arn,
            lambda: self._sts.assume_role_with_web_identity(
                role_arn,
                role_session_name,
                web_identity_token,
                duration_seconds=duration_seconds,
                policy=policy,
                policy_arns=policy_arns,
            ),
        )

    def get_session_token(
        self,
        who: Who,
        *,
        duration_seconds: int | None = None,
        serial_number: str | None = None,
        token_code: str | None = None,
    ) -> Credentials:
        """GetSessionToken (§G.4)."""
        with self._lock:
            actor, caller = self._signed(who)
            return self._call(
                actor,
                "STS",
                "GetSessionToken",
                "",
                lambda: self._sts.get_session_token(
                    caller(),
                    duration_seconds=duration_seconds,
                    serial_number=serial_number,
                    token_code=token_code,
                ),
            )

    def get_federation_token(
        self,
        who: Who,
        name: str,
        *,
        duration_seconds: int | None = None,
        policy: Document | None = None,
        policy_arns: Sequence[str] | None = None,
        tags: SessionTagsInput = None,
    ) -> FederationTokenResult:
        """GetFederationToken (§G.5)."""
        with self._lock:
            actor, caller = self._signed(who)
            return self._call(
                actor,
                "STS",
                "GetFederationToken",
                name,
                lambda: self._sts.get_federation_token(
                    caller(),
                    name,
                    duration_seconds=duration_seconds,
                    policy=policy,
                    policy_arns=policy_arns,
                    tags=tags,
                ),
            )

    def get_caller_identity(self, who: Who) -> CallerIdentity:
        """GetCallerIdentity (no permission needed, §G.6)."""
        with self._lock:
            actor, caller = self._signed(who)
            return self._call(actor, "STS", "GetCallerIdentity", "", lambda: self._sts.get_caller_identity(caller()))

    def get_access_key_info(self, access_key_id: str) -> str:
        """GetAccessKeyInfo: the account that owns the key (§G.7)."""
        return self._call(
            "caller", "STS", "GetAccessKeyInfo", access_key_id, lambda: self._sts.get_access_key_info(access_key_id)
        )

    # ------------------------------------------------------------ MFA devices

    def create_virtual_mfa_device(self, name: str, *, path: str = "/", account_id: str | None = None) -> MfaDevice:
        """CreateVirtualMFADevice: a TOTP seed drawn from the simulator's seeded random source."""

        def run() -> MfaDevice:
            store = self.store(self._account(account_id))
            return store.create_virtual_mfa_device(name, lambda: seed_base32(generate_seed(self._rng)), path=path)

        return self._call("admin", "IAM", "CreateVirtualMFADevice", name, run)

    def mfa_code(self, serial_number: str, *, at: datetime | None = None, account_id: str | None = None) -> str:
        """The code the device shows now (or at ``at``), as an authenticator app would."""
        with self._lock:
            device = self.store(self._account(account_id)).get_mfa_device(serial_number)
            return totp_code(_seed(device), at or self._clock.now())

    def enable_mfa_device(
        self,
        user_name: str,
        serial_number: str,
        authentication_code_1: str,
        authentication_code_2: str,
        *,
        account_id: str | None = None,
    ) -> None:
        """EnableMFADevice: the two codes must be consecutive codes of the device."""

        def run() -> None:
            store = self.store(self._account(account_id))
            seed = _seed(store.get_mfa_device(serial_number))
            now = self._clock.now()
            step = timedelta(seconds=30)
            ok = any(
                totp_code(seed, now + (k - 1) * step) == authentication_code_1
                and totp_code(seed, now + k * step) == authentication_code_2
                for k in (-1, 0, 1)
            )
            if not ok:
                raise InvalidAuthenticationCodeError("Authentication code for device is not valid.")
            store.enable_mfa_device(user_name, serial_number)

        self._call("admin", "IAM", "EnableMFADevice", f"{serial_number} -> {user_name}", run)

    def deactivate_mfa_device(self, user_name: str, serial_number: str, *, account_id: str | None = None) -> None:
        """DeactivateMFADevice."""
        self._call(
            "admin",
            "IAM",
            "DeactivateMFADevice",
            serial_number,
            lambda: self.store(self._account(account_id)).deactivate_mfa_device(user_name, serial_number),
        )

    def delete_virtual_mfa_device(self, serial_number: str, *, account_id: str | None = None) -> None:
        """DeleteVirtualMFADevice."""
        self._call(
            "admin",
            "IAM",
            "DeleteVirtualMFADevice",
            serial_number,
            lambda: self.store(self._account(account_id)).delete_virtual_mfa_device(serial_number),
        )

    # ------------------------------------------------------- identity providers

    def register_jwks(self, issuer: str, jwks: Mapping[str, object]) -> None:
        """Tell the simulator the signing keys of the identity provider at ``issuer``."""
        with self._lock:
            self._jwks[issuer.rstrip("/")] = dict(jwks)

    def create_test_identity_provider(
        self,
        issuer: str,
        *,
        client_ids: Sequence[str] = ("sts.amazonaws.com",),
        account_id: str | None = None,
    ) -> TestIdentityProvider:
        """A signing OIDC provider at ``issuer``, registered as an IAM OIDC provider of the account.

        Mint tokens with its ``mint(...)`` and pass them to
        :meth:`assume_role_with_web_identity`.
        """
        with self._lock:
            provider = TestIdentityProvider(issuer)
            self.register_jwks(issuer, provider.jwks())
            self._call(
                "admin",
                "IAM",
                "CreateOpenIDConnectProvider",
                issuer,
                lambda: self.store(self._account(account_id)).create_open_id_connect_provider(issuer, client_ids),
            )
            return provider
