"""STS operations of the simulator, ``sim.sts``: locked, logged calls into the STS service (§G)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from iamsim._simulator.auth import Who
from iamsim._simulator.core import Core
from iamsim._store.account import Document
from iamsim._sts.authorization_message import decode_authorization_message
from iamsim._sts.caller import Caller
from iamsim._sts.credentials import (
    AssumeRoleResult,
    CallerIdentity,
    Credentials,
    FederationTokenResult,
    WebIdentityResult,
)
from iamsim._sts.params import SessionTagsInput
from iamsim._sts.saml import SamlResult
from iamsim.errors import AccessDeniedError, ServiceError

__all__ = ["StsOperations"]


class StsOperations:
    """The STS operations, in snake_case (``sim.sts.assume_role(...)``, also ``sim.assume_role(...)``)."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def _signed(self, who: Who) -> tuple[str, Callable[[], Caller]]:
        """Authenticate ``who`` once: the actor to log, and a thunk giving the caller or raising its error.

        The error is raised inside the logged call, so a failed authentication
        is logged with its code, as before, without authenticating twice.
        """
        try:
            caller = self._core.auth.caller(who)
        except ServiceError as error:
            failure = error

            def fail() -> Caller:
                raise failure

            return "unknown caller", fail
        return caller.principal.arn, lambda: caller

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
        with self._core.lock:
            actor, caller = self._signed(who)
            return self._core.call(
                actor,
                "STS",
                "AssumeRole",
                role_arn,
                lambda: self._core.sts.assume_role(
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
        return self._core.call(
            "web identity",
            "STS",
            "AssumeRoleWithWebIdentity",
            role_arn,
            lambda: self._core.sts.assume_role_with_web_identity(
                role_arn,
                role_session_name,
                web_identity_token,
                duration_seconds=duration_seconds,
                policy=policy,
                policy_arns=policy_arns,
            ),
        )

    def assume_role_with_saml(
        self,
        role_arn: str,
        principal_arn: str,
        saml_assertion: str,
        *,
        duration_seconds: int | None = None,
        policy: Document | None = None,
        policy_arns: Sequence[str] | None = None,
    ) -> SamlResult:
        """AssumeRoleWithSAML (unsigned; §G.3)."""
        return self._core.call(
            "SAML identity",
            "STS",
            "AssumeRoleWithSAML",
            role_arn,
            lambda: self._core.sts.assume_role_with_saml(
                role_arn,
                principal_arn,
                saml_assertion,
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
        with self._core.lock:
            actor, caller = self._signed(who)
            return self._core.call(
                actor,
                "STS",
                "GetSessionToken",
                "",
                lambda: self._core.sts.get_session_token(
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
        with self._core.lock:
            actor, caller = self._signed(who)
            return self._core.call(
                actor,
                "STS",
                "GetFederationToken",
                name,
                lambda: self._core.sts.get_federation_token(
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
        with self._core.lock:
            actor, caller = self._signed(who)
            return self._core.call(
                actor, "STS", "GetCallerIdentity", "", lambda: self._core.sts.get_caller_identity(caller())
            )

    def decode_authorization_message(self, who: Who, encoded_message: str) -> str:
        """DecodeAuthorizationMessage: an encoded denial as JSON; needs sts:DecodeAuthorizationMessage (§G.8)."""
        with self._core.lock:
            actor, caller = self._signed(who)

            def run() -> str:
                signer = caller()
                result = self._core.evaluate(
                    signer,
                    "sts:DecodeAuthorizationMessage",
                    "*",
                    context={},
                    resource_policy=None,
                    resource_account=None,
                )
                if not result.allowed:
                    raise AccessDeniedError.for_result(result)
                return decode_authorization_message(self._core.token_material, encoded_message, signer.account)

            return self._core.call(actor, "STS", "DecodeAuthorizationMessage", "", run)

    def get_access_key_info(self, access_key_id: str) -> str:
        """GetAccessKeyInfo: the account that owns the key (§G.7)."""
        return self._core.call(
            "caller",
            "STS",
            "GetAccessKeyInfo",
            access_key_id,
            lambda: self._core.sts.get_access_key_info(access_key_id),
        )
