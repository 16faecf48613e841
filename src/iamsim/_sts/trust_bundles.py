"""STS GetTrustBundles: the SPIFFE trust bundle of a workload identity provider (§G.13).

A relying party verifies a provider's JWT-SVIDs (and X509-SVIDs) with the public keys the
provider publishes. The bundle is a JSON Web Key Set (RFC 7517) with a ``spiffe_refresh_hint``:
each of the provider's JWT signers is one ``jwt-svid`` key whose ``kid`` is the one its tokens
carry. iamsim's providers have no X.509 signers (those are AWS Private CA authorities, which
iamsim does not emulate), so a bundle holds no ``x509-svid`` key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec

from iamsim._arn import Arn
from iamsim._store.account import AccountStore
from iamsim._store.validation import check_length
from iamsim._store.workload_identity_providers import WorkloadIdentityProvider
from iamsim._sts.workload_tokens import p384_jwk
from iamsim.errors import NoSuchEntityError, ResourceNotFoundError, ValidationError

__all__ = ["REFRESH_HINT_SECONDS", "TrustBundleEntry", "TrustBundles", "provider_account", "trust_bundles"]

#: How often a relying party should fetch the bundle again, in seconds (judgment: AWS does not publish its value).
REFRESH_HINT_SECONDS = 300
_KIND = "workload-identity-provider/"


@dataclass(frozen=True, slots=True)
class TrustBundleEntry:
    """One SPIFFE trust bundle: its trust domain and the bundle document (a JWK Set, as JSON text)."""

    trust_domain: str
    bundle: str


@dataclass(frozen=True, slots=True)
class TrustBundles:
    """GetTrustBundles' answer: one bundle per trust domain (a provider has one)."""

    trust_bundles: tuple[TrustBundleEntry, ...]


def provider_account(provider_arn: object, partition: str) -> str:
    """The account in a workload identity provider's ARN; ``ValidationError`` for anything else."""
    if not isinstance(provider_arn, str):
        raise ValidationError(f"{provider_arn!r} is not a valid workload identity provider ARN.")
    check_length(provider_arn, "providerArn", 20, 2048)
    parsed = Arn.try_parse(provider_arn)
    if (
        parsed is None
        or parsed.partition != partition
        or parsed.service != "iam"
        or not parsed.resource.startswith(_KIND)
        or len(parsed.resource) == len(_KIND)
        or not parsed.account
    ):
        raise ValidationError(f"{provider_arn} is not a valid workload identity provider ARN.")
    return parsed.account


def _not_found(provider_arn: str) -> ResourceNotFoundError:
    return ResourceNotFoundError(f"The workload identity provider {provider_arn} was not found.")


def trust_bundles(store: AccountStore | None, provider_arn: str) -> TrustBundles:
    """The bundle of the provider ``store`` (the caller's account's, ``None`` for another) holds.

    A provider of another account, or none at all, is ``ResourceNotFoundException``: STS does not
    say which (the API reference names both "doesn't exist" and "outside that scope").
    """
    if store is None:
        raise _not_found(provider_arn)
    family = store.workload_providers
    try:
        provider = family.get_workload_identity_provider(provider_arn)
    except NoSuchEntityError:
        raise _not_found(provider_arn) from None
    return TrustBundles((TrustBundleEntry(_trust_domain(provider), _bundle(family.signing_keys(provider_arn))),))


def _trust_domain(provider: WorkloadIdentityProvider) -> str:
    """The SPIFFE trust domain: the provider's workload identity domain, else its issuer's host (judgment)."""
    return provider.workload_identity_domain or provider.issuer.removeprefix("https://")


def _bundle(keys: tuple[tuple[str, ec.EllipticCurvePublicKey], ...]) -> str:
    """The SPIFFE bundle of these JWT signers' keys, as JSON text."""
    document = {
        "spiffe_refresh_hint": REFRESH_HINT_SECONDS,
        "keys": [p384_jwk(key_id, public_key, "jwt-svid") for key_id, public_key in keys],
    }
    return json.dumps(document, separators=(",", ":"))
