"""The simulator's own verbs: authorize a request, authenticate credentials, act as a test identity provider.

None of these is an AWS operation (they are what a test asks of the simulated
world), so they live on :class:`~iamsim.Simulator` itself, not in a service
namespace. :class:`Access` holds them over the simulator's parts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from iamsim._engine.result import Decision, EvaluationResult
from iamsim._policy.model import Policy
from iamsim._shown import shown
from iamsim._simulator.auth import Who
from iamsim._simulator.core import Core
from iamsim._simulator.iam_delegation import (
    DelegationTokenNotice,
    delegation_token_notices,
    register_delegation_policy_template,
)
from iamsim._store.account import AccountStore, Document
from iamsim._sts.caller import Caller, CallerKind
from iamsim._sts.credentials import Credentials
from iamsim._sts.oidc import TestIdentityProvider
from iamsim._sts.saml_idp import TestSamlIdentityProvider
from iamsim._sts.totp import seed_bytes, totp_code
from iamsim._sts.workload_tokens import outbound_jwks
from iamsim.errors import AccessDeniedError, InvalidClientTokenIdError, ServiceError, UsageError

__all__ = ["Access"]

#: ``decision.value`` per decision: an enum's ``value`` is a property, read on every logged request.
_DECISION_TEXT = {decision: decision.value for decision in Decision}
_SESSION_TOKEN = CallerKind.SESSION_TOKEN


class Access:
    """Request authorization, credential checks, MFA codes and test identity providers."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def issued_secret(self, access_key_id: str, session_token: str | None = None) -> str | None:
        """The secret access key this simulator issued with these credentials, or ``None``.

        ``None`` means the simulator holds no such long-term key (never issued, or
        deleted: see :meth:`issued_access_key`). For temporary credentials the secret
        travels sealed in the session token, so no per-session state is kept; a token
        the simulator did not seal, or sealed for another access key id, raises
        ``InvalidClientTokenIdError`` (§G.9).
        """
        with self._core.lock:
            if session_token is None:
                found = self._core.find_access_key(access_key_id)
                return None if found is None else found[1].secret_access_key
            return self._core.sts.session_secret(access_key_id, session_token)

    def authenticate(self, credentials: Credentials) -> Caller:
        """The caller behind credentials this simulator issued.

        The secret is always compared, in constant time, with the one issued with
        the key or sealed in the session token: a wrong, empty or non-text secret
        raises ``SignatureDoesNotMatchError``. Raises ``ExpiredTokenError`` for
        expired temporary credentials and ``InvalidClientTokenIdError`` for
        unknown, deactivated, deleted or tampered ones (§G.9).
        """
        with self._core.lock:
            return self._core.auth.caller(credentials)

    def root_credentials(self, account_id: str | None = None) -> Credentials:
        """Long-term credentials of the account's root user (created on first use)."""
        account = self._core.state.account(account_id)
        with self._core.lock:
            # Handing out the key the root user already has changes nothing, so it is not an event.
            existing = self._core.store(account).keys.list_access_keys(None)
            if existing:
                return Credentials(existing[0].access_key_id, existing[0].secret_access_key)

            def create(store: AccountStore) -> Credentials:
                key = store.keys.create_access_key(None)
                return Credentials(key.access_key_id, key.secret_access_key)

            return self._core.iam("CreateAccessKey", f"root of {account}", account, create)

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
        explain: bool = False,
    ) -> EvaluationResult:
        """Evaluate a request and return the result; raise ``AccessDeniedError`` (with it) when denied.

        Credentials are authenticated first: ``ExpiredTokenError`` from the
        expiration second on, ``InvalidClientTokenIdError`` for unknown,
        inactive, deleted or tampered ones. ``explain=True`` attaches the full
        explanation to the result (and so to the error).
        """
        result = self.evaluate(
            who,
            action,
            resource,
            context=context,
            resource_policy=resource_policy,
            resource_account=resource_account,
            explain=explain,
        )
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
        return self.evaluate(
            who, action, resource, context=context, resource_policy=resource_policy, resource_account=resource_account
        ).allowed

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
        """The result with a full explanation, policy by policy: ``evaluate(..., explain=True)``."""
        return self.evaluate(
            who,
            action,
            resource,
            context=context,
            resource_policy=resource_policy,
            resource_account=resource_account,
            explain=True,
        )

    def evaluate(
        self,
        who: Who,
        action: str,
        resource: str = "*",
        *,
        context: Mapping[str, object] | None = None,
        resource_policy: Document | Policy | None = None,
        resource_account: str | None = None,
        explain: bool = False,
    ) -> EvaluationResult:
        """Evaluate a request of ``who`` with every policy that applies and return the result (§F).

        Never raises for a denial (``authorize`` does); credential errors still
        raise. ``explain=True`` attaches the explanation, policy by policy.
        """
        if not isinstance(action, str) or ":" not in action:
            raise UsageError(f"action {shown(action)} is not of the form service:ActionName")
        if not isinstance(resource, str) or not resource:
            raise UsageError(f"resource {shown(resource)} is not an ARN or '*'")
        with self._core.lock:
            # One clock read per request: authentication (expiry), the context and the log see the same time.
            now = self._core.state.clock.now()
            try:
                # Credentials first, by exact type: the common case skips the dispatch in _caller. The second
                # is remembered for this ``now``, so the caller's context does not compute it again.
                if type(who) is Credentials:
                    caller = self._core.sts.authenticate(who, second=self._core.decisions.second(now))
                else:
                    caller = self._core.auth.caller(who, now)
                if caller.kind is _SESSION_TOKEN and caller.mfa_at is None and action.lower().startswith("iam:"):
                    # GetSessionToken credentials reach IAM only with MFA (§G.4).
                    raise InvalidClientTokenIdError()
                policy = (
                    resource_policy
                    if resource_policy is None
                    else self._core.decisions.resource_policy(resource_policy)
                )
                result = self._core.decisions.evaluate_checked(
                    caller, action, resource, context or None, policy, resource_account, explain, now
                )
            except ServiceError as error:
                self._core.events.record(now, "unknown caller", action.split(":", 1)[0], action, resource, error.code)
                raise
            self._core.events.record(
                now, caller.principal.arn, action.split(":", 1)[0], action, resource, _DECISION_TEXT[result.decision]
            )
            return result

    # ------------------------------------------------------------ MFA codes

    def mfa_code(self, serial_number: str, *, at: datetime | None = None, account_id: str | None = None) -> str:
        """The code the device shows now (or at ``at``), as an authenticator app would."""
        with self._core.lock:
            device = self._core.store(self._core.state.account(account_id)).keys.get_mfa_device(serial_number)
            return totp_code(seed_bytes(device.seed_base32), at or self._core.state.clock.now())

    # ------------------------------------------------------- identity providers

    def outbound_web_identity_jwks(self, account_id: str | None = None) -> dict[str, Any]:
        """The JSON Web Key Set that verifies the account's GetWebIdentityToken JWTs (its issuer's jwks.json).

        Published while the feature is off too, so tokens issued before stay verifiable (§G.11).
        """
        with self._core.lock:
            account = self._core.state.account(account_id)
            federation = self._core.store(account).outbound_federation.signing()
            if federation is None:
                raise UsageError(f"account {account} never enabled outbound web identity federation")
            return outbound_jwks(federation)

    # ------------------------------------------------- delegation requests (§H.11)

    def register_delegation_policy_template(
        self, template_arn: str, policy_document: Document, *, account_id: str | None = None
    ) -> None:
        """Register a policy template for a partner account, as AWS does at partner onboarding (no API does).

        CreateDelegationRequest's ``Permissions.PolicyTemplateArn`` must name a template registered for the
        requesting account; its document becomes the request's ``PermissionPolicy``.
        """
        register_delegation_policy_template(self._core, template_arn, policy_document, account_id)

    def delegation_token_notices(self, notification_channel: str) -> tuple[DelegationTokenNotice, ...]:
        """The trade-in tokens SendDelegationToken published to ``notification_channel`` (an SNS topic ARN).

        iamsim does not emulate SNS: this is what the partner subscribed to the topic receives.
        """
        return delegation_token_notices(self._core, notification_channel)

    def register_jwks(self, issuer: str, jwks: Mapping[str, object]) -> None:
        """Tell the simulator the signing keys of the identity provider at ``issuer``."""
        with self._core.lock:
            self._core.state.jwks[issuer.rstrip("/")] = dict(jwks)

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
        with self._core.lock:
            provider = TestIdentityProvider(issuer)
            self.register_jwks(issuer, provider.jwks())
            self._core.iam(
                "CreateOpenIDConnectProvider",
                issuer,
                account_id,
                lambda s: s.providers.create_open_id_connect_provider(issuer, client_ids),
            )
            return provider

    def create_test_saml_provider(
        self,
        name: str,
        *,
        entity_id: str | None = None,
        account_id: str | None = None,
    ) -> tuple[TestSamlIdentityProvider, str]:
        """A signing SAML identity provider and its IAM SAML provider ``name``: ``(idp, provider ARN)``.

        Mint assertions with the IdP's ``mint(...)`` and pass them to
        :meth:`assume_role_with_saml` with the provider ARN as ``principal_arn``.
        """
        idp = TestSamlIdentityProvider(entity_id or f"https://idp.example.com/{name}")
        provider = self._core.iam(
            "CreateSAMLProvider", name, account_id, lambda s: s.providers.create_saml_provider(name, idp.metadata())
        )
        return idp, provider.arn
