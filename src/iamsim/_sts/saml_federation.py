"""The request side of AssumeRoleWithSAML: parameters, role, provider and verified assertion (spec §G.3).

:func:`read_saml_request` does everything STS does before it evaluates the
role's trust policy: check the parameters against the service model, find the
role and the SAML provider in the role's account, verify the assertion with the
provider's metadata, and check that its ``Role`` attribute names this
role/provider pair. The result carries the caller (the provider's federated
user) and the request context the trust policy is evaluated with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from iamsim._engine.request import Principal
from iamsim._store.records import Role
from iamsim._store.saml import metadata_signing
from iamsim._sts.caller import Caller, CallerKind, role_session_caller
from iamsim._sts.credentials import AssumedRoleUser, Credentials
from iamsim._sts.params import check_duration, check_role_arn, check_token
from iamsim._sts.saml import SamlClaims, SamlResult, name_qualifier, saml_context, verify_saml_response
from iamsim._sts.world import World, find_role
from iamsim.errors import AccessDeniedError, InvalidIdentityTokenError, NoSuchEntityError

__all__ = ["SAML_DENIED", "SamlRequest", "read_saml_request"]

#: The documented AccessDenied message of AssumeRoleWithSAML ("Troubleshoot SAML federation with IAM").
SAML_DENIED = "Not authorized to perform sts:AssumeRoleWithSAML"


@dataclass(frozen=True, slots=True)
class SamlRequest:
    """An AssumeRoleWithSAML request whose assertion has been verified."""

    account: str
    role: Role
    provider_arn: str
    claims: SamlClaims
    name_qualifier: str
    caller: Caller
    context: dict[str, object]
    duration: int
    """``DurationSeconds`` (3600 by default), cut to end at the assertion's ``SessionNotOnOrAfter``."""

    def session(self, principal: Principal, policies: tuple[tuple[str, str], ...] | None) -> Caller:
        """The role session to issue: the assertion's tags, transitive keys and source identity."""
        return role_session_caller(
            principal,
            self.role,
            session_tags=self.claims.session_tags,
            transitive_tag_keys=self.claims.transitive_tag_keys,
            session_policies=policies,
            source_identity=self.claims.source_identity,
        )

    def result(self, credentials: Credentials, principal: Principal, packed: int) -> SamlResult:
        """The response: the session and the assertion's subject, issuer, audience and name qualifier."""
        claims = self.claims
        return SamlResult(
            credentials,
            AssumedRoleUser(principal.userid or "", principal.arn),
            packed,
            claims.subject,
            claims.subject_type,
            claims.issuer,
            claims.audience,
            self.name_qualifier,
            claims.source_identity,
        )


def _cut(duration: int, claims: SamlClaims, now: datetime) -> int:
    end = claims.session_not_on_or_after
    if end is None:
        return duration
    # The session ends at DurationSeconds or SessionNotOnOrAfter, whichever comes first (§G.3).
    return min(duration, max(1, int((end - now).total_seconds())))


def read_saml_request(
    world: World, role_arn: str, principal_arn: str, saml_assertion: str, duration_seconds: int | None
) -> SamlRequest:
    """Check and verify an AssumeRoleWithSAML request up to its trust policy (§G.3)."""
    check_role_arn(role_arn)
    check_role_arn(principal_arn)
    check_token(saml_assertion, "sAMLAssertion", 4, 100000)
    duration = check_duration(3600 if duration_seconds is None else duration_seconds, 900, 43200)
    account, role = find_role(world, role_arn, lambda: AccessDeniedError(SAML_DENIED))
    try:
        provider = world.store(account).providers.get_saml_provider(principal_arn)
    except NoSuchEntityError:
        raise InvalidIdentityTokenError("Specified provider doesn't exist.") from None
    entity_id, certificates = metadata_signing(provider.metadata_document)
    now = world.now()
    claims = verify_saml_response(saml_assertion, certificates=certificates, entity_id=entity_id, now=now)
    if (role.arn, provider.arn) not in claims.roles:
        raise AccessDeniedError(SAML_DENIED)
    qualifier = name_qualifier(claims.issuer, account, provider.name)
    caller = Caller(CallerKind.WEB_IDENTITY, Principal.for_web_identity(provider.arn, claims.subject))
    return SamlRequest(
        account,
        role,
        provider.arn,
        claims,
        qualifier,
        caller,
        saml_context(claims, qualifier),
        _cut(duration, claims, now),
    )
