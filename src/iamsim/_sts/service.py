"""The Security Token Service: every rule of spec §G, on the simulator's clock.

:class:`StsService` validates parameters with the service model's
constraints, asks the world (the simulator) to evaluate trust policies with
the real engine, and issues credentials whose session token is the session's
claims sealed with :class:`~iamsim._sts.tokens.TokenSealer`. Nothing about a
session is kept server-side except which account issued each temporary key
(for GetAccessKeyInfo); using credentials unseals the token again.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from iamsim._arn import ec2_instance_arn, home_region, sts_arn
from iamsim._clock import epoch_second
from iamsim._engine.request import Principal, PrincipalType
from iamsim._sts.caller import Caller, CallerKind, role_session_caller, role_session_principal
from iamsim._sts.credentials import (
    AssumedRoleUser,
    AssumeRoleResult,
    CallerIdentity,
    Credentials,
    FederatedUser,
    FederationTokenResult,
    WebIdentityResult,
    assume_role_result,
    same_secret,
    session_credentials,
)
from iamsim._sts.long_term import BAD_SIGNATURE, LongTermKeys
from iamsim._sts.oidc import token_session_tags, unverified_issuer, verify_web_identity_token, web_identity_context
from iamsim._sts.params import (
    NO_OPTIONS,
    SessionOptions,
    check_external_id,
    check_federated_name,
    check_mfa,
    check_role_arn,
    check_session_name,
    check_session_tags,
    check_source_identity,
    check_token,
    check_transitive_keys,
)
from iamsim._sts.root_sessions import RootSessions
from iamsim._sts.saml import SamlResult
from iamsim._sts.saml_federation import SAML_DENIED, read_saml_request
from iamsim._sts.session_inputs import session_policies, verify_mfa
from iamsim._sts.tokens import TokenSealer, generate_access_key_id, generate_secret_access_key
from iamsim._sts.world import World, check_allowed, denied, find_role
from iamsim.errors import (
    AccessDeniedError,
    ExpiredTokenError,
    InvalidClientTokenIdError,
    InvalidIdentityTokenError,
    SignatureDoesNotMatchError,
    UsageError,
    ValidationError,
)

__all__ = ["INSTANCE_CREDENTIAL_SECONDS", "StsService"]

#: How long EC2 instance-profile credentials last (not limited by MaxSessionDuration, §G.1).
INSTANCE_CREDENTIAL_SECONDS = 6 * 3600
_CHAINING_LIMIT = 3600
_EC2 = "ec2.amazonaws.com"
#: How long after its expiry a request signed in time may still arrive: SigV4's five-minute window.
SKEW_SECONDS = 300
#: Forget unusable temporary keys after this many issues: the sweep's cost, spread thin.
_SWEEP_EVERY = 4096
_NEVER = 2**62
#: Callers that AssumeRole refuses outright (a set: three enum attribute reads cost more than one lookup).
_CANNOT_ASSUME_ROLES = frozenset({CallerKind.FEDERATED, CallerKind.SERVICE, CallerKind.WEB_IDENTITY})
_SESSION_TOKEN = CallerKind.SESSION_TOKEN


class StsService:
    """AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken, GetFederationToken and friends (§G)."""

    def __init__(self, world: World, sealer: TokenSealer, rng: random.Random, *, partition: str = "aws") -> None:
        self._world = world
        self._sealer = sealer
        self._rng = rng
        self._partition = partition
        #: Temporary key id -> (account, expiry second), for GetAccessKeyInfo; see :meth:`forget_unusable`.
        self._issued: dict[str, tuple[str, int]] = {}
        self._issued_since_sweep = 0
        self._opened: dict[str, tuple[Caller, str]] = {}
        #: The callers of long-term access keys (IAM users and the root user).
        self.long_term = LongTermKeys(world, partition)
        #: AssumeRoot's privileged sessions of member accounts' root users.
        self.root_sessions = RootSessions(world, self.issue_session, partition)

    # ---------------------------------------------------------- authentication

    def session_secret(self, access_key_id: str, session_token: str) -> str:
        """The secret issued with ``session_token``, which must belong to ``access_key_id``.

        Raises ``InvalidClientTokenId`` for a token this service did not seal (tampered,
        forged, garbage) or one sealed for another access key id (§G.9).
        """
        caller, secret = self._open(session_token)
        if caller.access_key_id != access_key_id:
            raise InvalidClientTokenIdError()
        return secret

    def _open(self, session_token: str) -> tuple[Caller, str]:
        """The caller and secret sealed in a token, remembered so a session is unsealed once."""
        opened = self._opened.get(session_token)
        if opened is None:
            opened = Caller.from_claims(self._sealer.unseal(session_token))
            if len(self._opened) > 4096:
                self._opened.clear()
            self._opened[session_token] = opened
        return opened

    def signed_caller(
        self, access_key_id: str, session_token: str | None, verify: Callable[[str], object]
    ) -> Caller | None:
        """The caller of a signed request, its credentials looked up once (§G.9).

        ``None`` when ``access_key_id`` is no long-term key the simulator holds and no
        token is given. ``InvalidClientTokenId`` for a token this service did not seal
        for ``access_key_id``; then ``verify`` checks the signature with the issued
        secret (raising ``SignatureDoesNotMatch``); then the key's status
        (``InvalidClientTokenId``) or the session's expiry (``ExpiredToken``).
        """
        if session_token is None:
            return self.long_term.signed_caller(access_key_id, verify)
        caller, secret = self._open(session_token)
        if caller.access_key_id != access_key_id:
            raise InvalidClientTokenIdError()
        verify(secret)
        expires_at = caller.expires_at
        if expires_at is not None and epoch_second(self._world.now()) >= expires_at:
            raise ExpiredTokenError()
        return caller

    def authenticate(self, credentials: Credentials, *, second: int | None = None) -> Caller:
        """The caller behind ``credentials``.

        Raises ``InvalidClientTokenId`` for unknown, deleted, inactive or
        tampered credentials, ``SignatureDoesNotMatch`` for a secret that is not
        the one issued with the key (compared in constant time, on every call)
        and ``ExpiredToken`` from the expiration second on (§G.9). ``second`` is
        the request's epoch second when the caller has read the clock already.
        """
        session_token = credentials.session_token
        if session_token is None:
            return self.long_term.caller(credentials)
        caller, secret = self._open(session_token)
        if caller.access_key_id != credentials.access_key_id:
            raise InvalidClientTokenIdError()
        if not same_secret(secret, credentials.secret_access_key):
            raise SignatureDoesNotMatchError(BAD_SIGNATURE)
        expires_at = caller.expires_at
        if expires_at is not None and (epoch_second(self._world.now()) if second is None else second) >= expires_at:
            raise ExpiredTokenError()
        return caller

    # ------------------------------------------------------------------ issuing

    def issue_session(self, template: Caller, duration: int) -> Credentials:
        """Credentials of the session ``template`` describes, for ``duration`` seconds, sealed and remembered."""
        access_key_id, secret, issued = self._draw_key()
        return self._seal_session(template.issued(access_key_id, issued, issued + duration), secret)

    def _draw_key(self) -> tuple[str, str, int]:
        """A new temporary access key id, its secret, and the epoch second they are issued at."""
        issued = epoch_second(self._world.now())
        return generate_access_key_id("ASIA", self._rng), generate_secret_access_key(self._rng), issued

    def _seal_session(self, caller: Caller, secret: str) -> Credentials:
        """The credentials of ``caller`` (key id and times set by :meth:`_draw_key`), sealed and remembered."""
        access_key_id, issued, expires = caller.access_key_id, caller.issued_at, caller.expires_at
        if access_key_id is None or issued is None or expires is None:
            raise UsageError("a session is sealed with its access key id and times set")
        token = self._sealer.seal_text(caller.claims_text(secret))
        if caller.account is not None:
            self._issued[access_key_id] = (caller.account, expires)
            self._issued_since_sweep += 1
            if self._issued_since_sweep >= _SWEEP_EVERY:
                self.forget_unusable(issued)
        return session_credentials(access_key_id, secret, token, datetime.fromtimestamp(expires, UTC))

    # --------------------------------------------------------------- AssumeRole

    def assume_role(
        self,
        caller: Caller,
        role_arn: str,
        role_session_name: str,
        options: SessionOptions = NO_OPTIONS,
    ) -> AssumeRoleResult:
        """AssumeRole with every rule of §G.1 and §F.4."""
        external_id, source_identity = options.external_id, options.source_identity
        serial_number, token_code = options.serial_number, options.token_code
        check_role_arn(role_arn)
        check_session_name(role_session_name)
        duration = options.duration(3600, 43200)
        if external_id is not None:
            check_external_id(external_id)
        if (serial_number is None) != (token_code is None):
            raise ValidationError("SerialNumber and TokenCode must be given together.")
        if serial_number is not None:
            serial_number, token_code = check_mfa(serial_number, token_code)
        if source_identity is not None:
            check_source_identity(source_identity)
        session_tags = check_session_tags(options.tags)
        transitive = check_transitive_keys(options.transitive_tag_keys, session_tags)
        if caller.principal.is_root:
            raise AccessDeniedError("Roles may not be assumed by root accounts.")
        if caller.kind in _CANNOT_ASSUME_ROLES:
            raise denied(caller, "sts:AssumeRole", role_arn)
        account, role = find_role(self._world, role_arn, lambda: denied(caller, "sts:AssumeRole", role_arn))
        policies, packed = session_policies(self._world, options, session_tags, account)
        capped = caller.is_role_chaining_source or caller.kind is _SESSION_TOKEN
        if capped and duration > _CHAINING_LIMIT:
            raise ValidationError(
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
            )
        if duration > role.max_session_duration:
            raise ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")

        inherited: tuple[tuple[str, str], ...] = ()
        if caller.session_tags and caller.transitive_tag_keys:
            transitive_keys = {t.lower() for t in caller.transitive_tag_keys}
            inherited = tuple((k, v) for k, v in caller.session_tags if k.lower() in transitive_keys)
            inherited_keys = {k.lower() for k, _ in inherited}
            if any(k.lower() in inherited_keys for k, _ in session_tags):
                raise ValidationError("One or more session tags conflict with transitive tags of the calling session.")
        if caller.source_identity is not None and source_identity not in (None, caller.source_identity):
            raise ValidationError("The source identity of a session cannot be changed once it is set.")
        identity = source_identity or caller.source_identity

        context: dict[str, object] = {"sts:RoleSessionName": role_session_name}
        if external_id is not None:
            context["sts:ExternalId"] = external_id
        mfa_at = caller.mfa_at
        if serial_number is not None and token_code is not None:
            mfa_at = verify_mfa(self._world, caller, serial_number, token_code)
            context["aws:MultiFactorAuthPresent"] = "true"
            context["aws:MultiFactorAuthAge"] = "0"
        if session_tags:
            for key, value in session_tags:
                context[f"aws:RequestTag/{key}"] = value
            context["aws:TagKeys"] = tuple(k for k, _ in session_tags)
            context["sts:TransitiveTagKeys"] = transitive
        if identity is not None:
            context["sts:SourceIdentity"] = identity
        trust = self._world.trust_policy(account, role.name)
        check_allowed(
            self._world,
            caller,
            "sts:AssumeRole",
            role.arn,
            context,
            trust,
            account,
            f"User: {caller.principal.arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
        )
        if session_tags:
            check_allowed(self._world, caller, "sts:TagSession", role.arn, context, trust, account)
        if identity is not None:
            check_allowed(self._world, caller, "sts:SetSourceIdentity", role.arn, context, trust, account)

        principal = role_session_principal(self._partition, account, role, role_session_name)
        access_key_id, secret, issued = self._draw_key()
        # The session's caller built once, with its key and times (issue_session would copy a template).
        session = role_session_caller(
            principal,
            role,
            session_tags=inherited + session_tags if inherited else session_tags,
            transitive_tag_keys=tuple(k for k, _ in inherited) + transitive if inherited else transitive,
            session_policies=policies,
            mfa_at=mfa_at,
            source_identity=identity,
            issued=(access_key_id, issued, issued + duration),
        )
        credentials = self._seal_session(session, secret)
        return assume_role_result(credentials, principal.userid or "", principal.arn, packed, identity)

    # -------------------------------------------------- AssumeRoleWithWebIdentity

    def assume_role_with_web_identity(
        self,
        role_arn: str,
        role_session_name: str,
        web_identity_token: str,
        options: SessionOptions = NO_OPTIONS,
    ) -> WebIdentityResult:
        """AssumeRoleWithWebIdentity against an OIDC provider registered in the role's account (§G.2)."""
        check_role_arn(role_arn)
        check_session_name(role_session_name)
        check_token(web_identity_token, "webIdentityToken", 4, 20000)
        duration = options.duration(3600, 43200)
        issuer = unverified_issuer(web_identity_token)
        host = issuer.removeprefix("https://").rstrip("/")
        anonymous = Caller(CallerKind.WEB_IDENTITY, Principal.for_web_identity(issuer))
        denied = "Not authorized to perform sts:AssumeRoleWithWebIdentity"
        account, role = find_role(self._world, role_arn, lambda: AccessDeniedError(denied))
        providers = self._world.store(account).providers.list_open_id_connect_providers()
        provider = next((p for p in providers if p.url == host), None)
        if provider is None:
            raise InvalidIdentityTokenError(f"No OpenIDConnect provider found in your account for {issuer}")
        jwks = self._world.jwks(issuer)
        if jwks is None:
            raise InvalidIdentityTokenError(
                "Couldn't retrieve verification key from your identity provider,  please reference "
                "AssumeRoleWithWebIdentity documentation for requirements"
            )
        claims = verify_web_identity_token(
            web_identity_token, jwks=jwks, issuer=issuer, client_ids=provider.client_ids, now=self._world.now()
        )
        audiences = [claims["aud"]] if isinstance(claims["aud"], str) else list(claims["aud"])
        audience = next(a for a in audiences if a in provider.client_ids)
        subject = str(claims["sub"])
        session_tags, transitive = token_session_tags(claims)
        policies, packed = session_policies(self._world, options, session_tags, account)

        caller = replace(anonymous, principal=Principal.for_web_identity(provider.arn, subject))
        context = web_identity_context(host, claims, audience, role_session_name, session_tags)
        trust = self._world.trust_policy(account, role.name)
        check_allowed(self._world, caller, "sts:AssumeRoleWithWebIdentity", role.arn, context, trust, account, denied)
        if session_tags:
            check_allowed(self._world, caller, "sts:TagSession", role.arn, context, trust, account, denied)
        if duration > role.max_session_duration:
            raise ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
        principal = role_session_principal(self._partition, account, role, role_session_name, provider=provider.arn)
        template = role_session_caller(
            principal,
            role,
            session_tags=session_tags,
            transitive_tag_keys=transitive,
            session_policies=policies,
        )
        credentials = self.issue_session(template, duration)
        return WebIdentityResult(
            credentials, AssumedRoleUser(principal.userid or "", principal.arn), packed, subject, host, audience
        )

    # ------------------------------------------------------ AssumeRoleWithSAML

    def assume_role_with_saml(
        self,
        role_arn: str,
        principal_arn: str,
        saml_assertion: str,
        options: SessionOptions = NO_OPTIONS,
    ) -> SamlResult:
        """AssumeRoleWithSAML with an assertion signed by the IdP of a SAML provider in the role's account (§G.3)."""
        duration_seconds = options.duration_seconds
        request = read_saml_request(self._world, role_arn, principal_arn, saml_assertion, duration_seconds)
        claims, account, role = request.claims, request.account, request.role
        policies, packed = session_policies(self._world, options, claims.session_tags, account)
        trust = self._world.trust_policy(account, role.name)
        actions = ["sts:AssumeRoleWithSAML"] + ["sts:TagSession"] * bool(claims.session_tags)
        for action in actions + ["sts:SetSourceIdentity"] * (claims.source_identity is not None):
            check_allowed(self._world, request.caller, action, role.arn, request.context, trust, account, SAML_DENIED)
        if duration_seconds is not None and duration_seconds > role.max_session_duration:
            raise ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
        principal = role_session_principal(
            self._partition, account, role, claims.session_name, provider=request.provider_arn
        )
        credentials = self.issue_session(request.session(principal, policies), request.duration)
        return request.result(credentials, principal, packed)

    # --------------------------------------------------------- GetSessionToken

    def get_session_token(
        self,
        caller: Caller,
        options: SessionOptions = NO_OPTIONS,
    ) -> Credentials:
        """GetSessionToken: users and root with long-term keys; root silently capped at 1 hour (§G.4)."""
        serial_number, token_code = options.serial_number, options.token_code
        root = caller.kind is CallerKind.ROOT
        default = 3600 if root else 43200
        duration = options.duration(default, 129600)
        if root:
            duration = min(duration, 3600)
        if (serial_number is None) != (token_code is None):
            raise ValidationError("SerialNumber and TokenCode must be given together.")
        if caller.kind not in (CallerKind.USER, CallerKind.ROOT):
            raise AccessDeniedError("Cannot call GetSessionToken with session credentials")
        mfa_at = None
        if serial_number is not None and token_code is not None:
            serial_number, token_code = check_mfa(serial_number, token_code)
            mfa_at = verify_mfa(self._world, caller, serial_number, token_code)
        template = Caller(
            CallerKind.SESSION_TOKEN,
            caller.principal,
            entity_name=caller.entity_name,
            entity_id=caller.entity_id,
            mfa_at=mfa_at,
        )
        return self.issue_session(template, duration)

    # ------------------------------------------------------- GetFederationToken

    def get_federation_token(
        self,
        caller: Caller,
        name: str,
        options: SessionOptions = NO_OPTIONS,
    ) -> FederationTokenResult:
        """GetFederationToken: a federated-user session; no session policy means no permissions (§G.5)."""
        check_federated_name(name)
        root = caller.kind is CallerKind.ROOT
        duration = options.duration(43200, 129600)
        if root:
            duration = min(duration, 3600)
        session_tags = check_session_tags(options.tags)
        if caller.kind not in (CallerKind.USER, CallerKind.ROOT):
            raise AccessDeniedError("Cannot call GetFederationToken with session credentials")
        account = caller.account or ""
        policies, packed = session_policies(self._world, options, session_tags, account)
        arn = sts_arn(self._partition, account, f"federated-user/{name}")
        context: dict[str, object] = {}
        if session_tags:
            for key, value in session_tags:
                context[f"aws:RequestTag/{key}"] = value
            context["aws:TagKeys"] = tuple(k for k, _ in session_tags)
        check_allowed(self._world, caller, "sts:GetFederationToken", arn, context, None, account)
        if session_tags:
            check_allowed(self._world, caller, "sts:TagSession", arn, context, None, account)
        principal = Principal(
            arn,
            PrincipalType.FEDERATED_USER,
            account,
            self._partition,
            session_name=name,
            source_user_arn=caller.principal.arn,
            userid=f"{account}:{name}",
        )
        template = Caller(
            CallerKind.FEDERATED,
            principal,
            entity_name=caller.entity_name,
            entity_id=caller.entity_id,
            session_tags=session_tags,
            session_policies=policies,
        )
        credentials = self.issue_session(template, duration)
        return FederationTokenResult(credentials, FederatedUser(f"{account}:{name}", arn), packed)

    # -------------------------------------------------------- identity queries

    def get_caller_identity(self, caller: Caller) -> CallerIdentity:
        """GetCallerIdentity: needs no permission, works even when explicitly denied (§G.6)."""
        principal = caller.principal
        account = principal.account or ""
        if principal.is_root:
            return CallerIdentity(account, account, principal.arn)
        return CallerIdentity(principal.userid or principal.unique_id or "", account, principal.arn)

    def get_access_key_info(self, access_key_id: str) -> str:
        """GetAccessKeyInfo: the account of a key, whatever its state (§G.7)."""
        if not isinstance(access_key_id, str) or not 16 <= len(access_key_id) <= 128 or not access_key_id.isalnum():
            raise ValidationError(
                f"1 validation error detected: Value '{access_key_id}' at 'accessKeyId' failed to satisfy "
                "constraint: Member must satisfy regular expression pattern: [\\w]*"
            )
        found = self._world.find_access_key(access_key_id)
        if found is not None:
            return found[0]
        held = self._issued.get(access_key_id)
        if held is None:
            raise InvalidClientTokenIdError()
        return held[0]

    # ------------------------------------------------------------------- EC2

    def instance_role_credentials(self, account: str, role_name: str, instance_id: str) -> Credentials:
        """Credentials EC2 obtains for an instance's role: session name = instance id, not role chaining."""
        instance_arn = ec2_instance_arn(self._partition, home_region(self._partition), account, instance_id)
        return self.service_role_credentials(
            account,
            role_name,
            _EC2,
            instance_id,
            INSTANCE_CREDENTIAL_SECONDS,
            instance_id=instance_id,
            extra_context=(("ec2:SourceInstanceARN", instance_arn),),
        )

    def service_role_credentials(
        self,
        account: str,
        role_name: str,
        service: str,
        session_name: str,
        seconds: int,
        *,
        instance_id: str | None = None,
        extra_context: tuple[tuple[str, str], ...] = (),
    ) -> Credentials:
        """Credentials a service principal (``ecs-tasks.amazonaws.com``...) obtains for a role it is trusted by.

        The trust policy must let ``service`` assume the role with ``session_name``
        (``AccessDenied`` otherwise); the session lasts ``seconds``.
        """
        store = self._world.store(account)
        role = store.roles.get_role(role_name)
        caller = Caller(CallerKind.SERVICE, Principal.for_service(service))
        trust = self._world.trust_policy(account, role.name)
        check_allowed(
            self._world, caller, "sts:AssumeRole", role.arn, {"sts:RoleSessionName": session_name}, trust, account
        )
        principal = role_session_principal(self._partition, account, role, session_name)
        template = role_session_caller(
            principal,
            role,
            instance_id=instance_id,
            extra_context=extra_context,
        )
        return self.issue_session(template, seconds)

    # --------------------------------------------------------------- snapshot

    def use_sealer(self, sealer: TokenSealer) -> None:
        """Seal and open tokens with ``sealer`` from now on (tokens opened with the old one are forgotten)."""
        self._sealer = sealer
        self._opened.clear()

    @property
    def issued_count(self) -> int:
        """How many temporary key ids are remembered now."""
        return len(self._issued)

    def forget_unusable(self, second: int) -> int:
        """Forget the temporary keys no request can use any more; return how many were forgotten.

        A session's token is refused from its expiry on (§G.9), and a request signed before
        that is accepted at most ``SKEW_SECONDS`` later, so from ``expiry + SKEW_SECONDS`` on
        nothing can use the key: keeping it would only make a long-running server grow
        without bound. GetAccessKeyInfo then no longer knows such a key.
        """
        unusable = [key for key, (_, expires) in self._issued.items() if expires + SKEW_SECONDS <= second]
        for key in unusable:
            del self._issued[key]
        self._opened = {
            token: opened
            for token, opened in self._opened.items()
            if opened[0].expires_at is None or opened[0].expires_at + SKEW_SECONDS > second
        }
        self._issued_since_sweep = 0
        return len(unusable)

    def state(self) -> dict[str, Any]:
        """The issued temporary key ids, their accounts and expiry seconds (for snapshots)."""
        return {"issued": [[k, *self._issued[k]] for k in sorted(self._issued)]}

    def load_state(self, state: Mapping[str, Any]) -> None:
        """Restore :meth:`state` output (snapshots from before expiry seconds were kept never expire)."""
        self._issued = {
            str(entry[0]): (str(entry[1]), int(entry[2]) if len(entry) > 2 else _NEVER) for entry in state["issued"]
        }
        self._opened.clear()
