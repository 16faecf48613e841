"""STS operations of the simulator, ``sim.sts``: locked, logged calls into the STS service (§G)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from iamsim._clock import epoch_second
from iamsim._simulator.auth import Who
from iamsim._simulator.core import Core
from iamsim._simulator.iam_delegation import DelegatedAccessToken, exchange_trade_in_token
from iamsim._simulator.sts_scoped import ScopedCredentialsResult, scoped_credentials
from iamsim._store.account import Document, document_text
from iamsim._sts.authorization_message import decode_authorization_message
from iamsim._sts.caller import Caller
from iamsim._sts.credentials import (
    AssumeRoleResult,
    CallerIdentity,
    Credentials,
    FederationTokenResult,
    WebIdentityResult,
)
from iamsim._sts.params import NO_OPTIONS, SessionOptions, SessionTagsInput
from iamsim._sts.root_sessions import AssumeRootResult
from iamsim._sts.saml import SamlResult
from iamsim._sts.trust_bundles import TrustBundles, provider_account, trust_bundles
from iamsim._sts.workload_tokens import WebIdentityToken, check_token_request, sign_web_identity_token
from iamsim.errors import (
    AccessDeniedError,
    OutboundWebIdentityFederationDisabledError,
    ServiceError,
    SessionDurationEscalationError,
)

__all__ = ["StsOperations"]

T = TypeVar("T")


class StsOperations:
    """The STS operations, in snake_case (``sim.sts.assume_role(...)``, also ``sim.assume_role(...)``)."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def _signed_call(self, who: Who, action: str, subject: str, run: Callable[[Caller], T]) -> T:
        """Authenticate ``who`` once and run ``run`` with the caller as a locked, logged call.

        A failed authentication is raised inside the logged call, so it is
        logged with its code, without authenticating twice.
        """
        with self._core.lock:
            try:
                caller = self._core.auth.caller(who)
            except ServiceError as error:
                failure = error

                def fail() -> T:
                    raise failure

                return self._core.call("unknown caller", "STS", action, subject, fail)
            return self._core.call(caller.principal.arn, "STS", action, subject, lambda: run(caller))

    def _require(self, signer: Caller, action: str, context: dict[str, object]) -> None:
        """``AccessDenied`` unless ``signer`` may perform ``action`` (an STS action on no particular resource)."""
        result = self._core.evaluate(signer, action, "*", context=context, resource_policy=None, resource_account=None)
        if not result.allowed:
            raise AccessDeniedError.for_result(result)

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
        options = NO_OPTIONS
        if not (
            duration_seconds is None
            and external_id is None
            and serial_number is None
            and token_code is None
            and policy is None
            and policy_arns is None
            and tags is None
            and transitive_tag_keys is None
            and source_identity is None
        ):
            # A frozen record of nine fields costs more than the rest of the checks when nothing was passed.
            options = SessionOptions(
                duration_seconds=duration_seconds,
                external_id=external_id,
                serial_number=serial_number,
                token_code=token_code,
                policy=policy,
                policy_arns=policy_arns,
                tags=tags,
                transitive_tag_keys=transitive_tag_keys,
                source_identity=source_identity,
            )
        sts = self._core.sts
        return self._signed_call(
            who, "AssumeRole", role_arn, lambda caller: sts.assume_role(caller, role_arn, role_session_name, options)
        )

    def assume_root(
        self, who: Who, target_principal: str, task_policy_arn: str, *, duration_seconds: int | None = None
    ) -> AssumeRootResult:
        """AssumeRoot: a root session in a member account, scoped by a root-task policy (§G.12).

        ``who`` signs in the organization's management account or IAM's delegated administrator,
        with root sessions enabled (``sim.iam.enable_organizations_root_sessions``) and
        ``sts:AssumeRoot`` allowed on the member's root user (condition key ``sts:TaskPolicyArn``).
        """
        sts = self._core.sts
        state = self._core.state
        return self._signed_call(
            who,
            "AssumeRoot",
            str(target_principal),
            lambda caller: sts.root_sessions.assume_root(
                caller, state.org, target_principal, task_policy_arn, duration_seconds
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
        options = SessionOptions(duration_seconds=duration_seconds, policy=policy, policy_arns=policy_arns)
        return self._core.call(
            "web identity",
            "STS",
            "AssumeRoleWithWebIdentity",
            role_arn,
            lambda: self._core.sts.assume_role_with_web_identity(
                role_arn, role_session_name, web_identity_token, options
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
        options = SessionOptions(duration_seconds=duration_seconds, policy=policy, policy_arns=policy_arns)
        return self._core.call(
            "SAML identity",
            "STS",
            "AssumeRoleWithSAML",
            role_arn,
            lambda: self._core.sts.assume_role_with_saml(role_arn, principal_arn, saml_assertion, options),
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
        options = SessionOptions(duration_seconds=duration_seconds, serial_number=serial_number, token_code=token_code)
        sts = self._core.sts
        return self._signed_call(who, "GetSessionToken", "", lambda caller: sts.get_session_token(caller, options))

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
        options = SessionOptions(duration_seconds=duration_seconds, policy=policy, policy_arns=policy_arns, tags=tags)
        sts = self._core.sts
        return self._signed_call(
            who, "GetFederationToken", name, lambda caller: sts.get_federation_token(caller, name, options)
        )

    def get_caller_identity(self, who: Who) -> CallerIdentity:
        """GetCallerIdentity (no permission needed, §G.6)."""
        return self._signed_call(who, "GetCallerIdentity", "", self._core.sts.get_caller_identity)

    def decode_authorization_message(self, who: Who, encoded_message: str) -> str:
        """DecodeAuthorizationMessage: an encoded denial as JSON; needs sts:DecodeAuthorizationMessage (§G.8)."""

        def run(signer: Caller) -> str:
            self._require(signer, "sts:DecodeAuthorizationMessage", {})
            return decode_authorization_message(self._core.token_material, encoded_message, signer.account)

        return self._signed_call(who, "DecodeAuthorizationMessage", "", run)

    def get_delegated_access_token(self, who: Who, trade_in_token: str) -> DelegatedAccessToken:
        """GetDelegatedAccessToken: a released delegation token traded for the approver's scoped session (§H.11)."""

        def run(signer: Caller) -> DelegatedAccessToken:
            self._require(signer, "sts:GetDelegatedAccessToken", {})
            return exchange_trade_in_token(self._core, signer, trade_in_token)

        return self._signed_call(who, "GetDelegatedAccessToken", "", run)

    def get_scoped_credentials(
        self,
        who: Who,
        *,
        policy: Document | None = None,
        duration_seconds: int | None = None,
        scoped_session_description: str | None = None,
    ) -> ScopedCredentialsResult:
        """GetScopedCredentials: the caller's session narrowed by ``policy`` and/or shortened (§G.14).

        ``scoped_session_description`` is what AWS logs to CloudTrail; iamsim's event log shows it as the subject.
        """
        text = None if policy is None else document_text(policy)
        return self._signed_call(
            who,
            "GetScopedCredentials",
            scoped_session_description or "",
            lambda caller: scoped_credentials(self._core, caller, text, duration_seconds),
        )

    def get_trust_bundles(self, who: Who, provider_arn: str) -> TrustBundles:
        """GetTrustBundles: the SPIFFE trust bundle of a workload identity provider of the caller's account (§G.13).

        Needs ``sts:GetTrustBundles`` (no resource-level permissions); a provider that does not
        exist or belongs to another account is ``ResourceNotFoundException``.
        """

        def run(signer: Caller) -> TrustBundles:
            account = provider_account(provider_arn, self._core.state.partition)
            self._require(signer, "sts:GetTrustBundles", {})
            store = self._core.store(account) if account == signer.account else None
            return trust_bundles(store, provider_arn)

        return self._signed_call(who, "GetTrustBundles", str(provider_arn), run)

    def get_access_key_info(self, access_key_id: str) -> str:
        """GetAccessKeyInfo: the account that owns the key (§G.7)."""
        return self._core.call(
            "caller",
            "STS",
            "GetAccessKeyInfo",
            access_key_id,
            lambda: self._core.sts.get_access_key_info(access_key_id),
        )

    def get_web_identity_token(
        self,
        who: Who,
        audience: Sequence[str],
        signing_algorithm: str,
        *,
        duration_seconds: int | None = None,
        scope: str | None = None,
        subject_mode: str | None = None,
        tags: SessionTagsInput = None,
        token_type: str | None = None,
    ) -> WebIdentityToken:
        """GetWebIdentityToken: a JWT signed by the caller's account's outbound federation issuer (§G.11).

        Needs ``sts:GetWebIdentityToken`` (with ``sts:IdentityTokenAudience`` and
        ``sts:DurationSeconds`` in the request context) and the account's outbound
        web identity federation enabled; the token may not outlive a temporary caller's session.
        """

        def run(signer: Caller) -> WebIdentityToken:
            request = check_token_request(
                audience,
                signing_algorithm,
                duration_seconds=duration_seconds,
                scope=scope,
                subject_mode=subject_mode,
                tags=tags,
                token_type=token_type,
            )
            context: dict[str, object] = {
                "sts:IdentityTokenAudience": request.audiences,
                "sts:DurationSeconds": str(request.duration),
            }
            if request.tags:
                context.update({f"aws:RequestTag/{k}": v for k, v in request.tags})
                context["aws:TagKeys"] = tuple(k for k, _ in request.tags)
            self._require(signer, "sts:GetWebIdentityToken", context)
            account = signer.account or ""
            federation = self._core.store(account).outbound_federation.signing()
            if federation is None or not federation.enabled:
                raise OutboundWebIdentityFederationDisabledError(
                    "The outbound web identity federation feature is not enabled for this account."
                )
            now = self._core.now()
            if signer.expires_at is not None and epoch_second(now) + request.duration > signer.expires_at:
                raise SessionDurationEscalationError(
                    "The requested token duration would extend the session beyond its original expiration time."
                )
            subject = signer.principal.role_arn or signer.principal.arn
            token_id = self._core.state.ids.uuid4()
            return sign_web_identity_token(
                federation, request, subject=subject, account=account, now=now, token_id=token_id
            )

        return self._signed_call(who, "GetWebIdentityToken", "", run)
