"""Outbound web identity federation of one account: the switch, the issuer and its signing keys (§G.11).

EnableOutboundWebIdentityFederation gives the account a unique issuer URL and
the keys STS signs GetWebIdentityToken's JWTs with: one RSA-2048 key (RS256)
and one P-384 key (ES384), the two algorithms the STS model offers. The keys are
real and kept with the account (a snapshot carries them), so a token minted
before a snapshot still verifies against the restored world's key set.
Disabling turns the switch off and keeps issuer and keys: tokens issued before
stay verifiable (AWS: disabling "does not affect tokens that were issued before").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from iamsim._store.account_data import StoreFamily
from iamsim.errors import FeatureDisabledError, FeatureEnabledError, SnapshotFormatError

__all__ = ["OutboundFederation", "OutboundFederationInfo", "OutboundFederationState", "OutboundWebIdentityFederation"]

# iamsim's wording, after the IAM API reference's descriptions of FeatureEnabled and FeatureDisabled.
_ALREADY_ENABLED = (
    "Outbound identity federation is already enabled for your account. To fetch the current configuration "
    "(including the unique issuer URL), use the GetOutboundWebIdentityFederationInfo operation."
)
_DISABLED = "Outbound identity federation is disabled for your account."


@dataclass(frozen=True, slots=True)
class OutboundFederationInfo:
    """Enable/GetOutboundWebIdentityFederationInfo's answer: the issuer URL and whether tokens are vended."""

    issuer_identifier: str
    jwt_vending_enabled: bool


@dataclass(frozen=True, slots=True)
class OutboundFederationState:
    """The account's outbound federation as kept: the switch, the issuer and the two private keys (PEM, PKCS#8)."""

    issuer_identifier: str
    enabled: bool
    rsa_key_id: str
    rsa_key_pem: str
    ec_key_id: str
    ec_key_pem: str


@dataclass(frozen=True, slots=True)
class OutboundFederation:
    """The issuer and its loaded keys, as STS signs with them."""

    issuer_identifier: str
    enabled: bool
    rsa_key_id: str
    rsa_key: rsa.RSAPrivateKey
    ec_key_id: str
    ec_key: ec.EllipticCurvePrivateKey


def _pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


class OutboundWebIdentityFederation(StoreFamily):
    """Enable, disable and read the account's outbound web identity federation."""

    def enable_outbound_web_identity_federation(self) -> OutboundFederationInfo:
        """EnableOutboundWebIdentityFederation: ``FeatureEnabled`` when on; the issuer is made once and kept."""
        state = self._data.outbound_federation
        if state is not None and state.enabled:
            raise FeatureEnabledError(_ALREADY_ENABLED)
        if state is None:
            # The issuer host is a random UUID under STS's token domain, as AWS's documented example shows.
            issuer = f"https://{self._data.ids.uuid4()}.tokens.sts.global.api.aws"
            state = OutboundFederationState(
                issuer_identifier=issuer,
                enabled=True,
                rsa_key_id=self._data.ids.uuid4(),
                rsa_key_pem=_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
                ec_key_id=self._data.ids.uuid4(),
                ec_key_pem=_pem(ec.generate_private_key(ec.SECP384R1())),
            )
        else:
            state = replace(state, enabled=True)
        self._data.outbound_federation = state
        self._data.bump()
        return OutboundFederationInfo(state.issuer_identifier, True)

    def disable_outbound_web_identity_federation(self) -> None:
        """DisableOutboundWebIdentityFederation: ``FeatureDisabled`` when already off."""
        state = self._data.outbound_federation
        if state is None or not state.enabled:
            raise FeatureDisabledError(_DISABLED)
        self._data.outbound_federation = replace(state, enabled=False)
        self._data.bump()

    def get_outbound_web_identity_federation_info(self) -> OutboundFederationInfo:
        """GetOutboundWebIdentityFederationInfo: ``FeatureDisabled`` while the feature is off."""
        state = self._data.outbound_federation
        if state is None or not state.enabled:
            raise FeatureDisabledError(_DISABLED)
        return OutboundFederationInfo(state.issuer_identifier, True)

    def signing(self) -> OutboundFederation | None:
        """The issuer and its keys (enabled or not), or ``None`` when the feature was never enabled."""
        state = self._data.outbound_federation
        if state is None:
            return None
        rsa_key = serialization.load_pem_private_key(state.rsa_key_pem.encode("ascii"), password=None)
        ec_key = serialization.load_pem_private_key(state.ec_key_pem.encode("ascii"), password=None)
        if not isinstance(rsa_key, rsa.RSAPrivateKey) or not isinstance(ec_key, ec.EllipticCurvePrivateKey):
            raise SnapshotFormatError("outbound federation keys are not an RSA and an EC key")
        return OutboundFederation(
            state.issuer_identifier, state.enabled, state.rsa_key_id, rsa_key, state.ec_key_id, ec_key
        )
