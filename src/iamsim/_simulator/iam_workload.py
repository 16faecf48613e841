"""IAM operations on the account's workload identity features: outbound web identity federation (§G.11)."""

from __future__ import annotations

from iamsim._simulator.iam_calls import IamCalls
from iamsim._store.workload_identity_outbound import OutboundFederationInfo

__all__ = ["IamWorkloadIdentityOperations"]


class IamWorkloadIdentityOperations(IamCalls):
    """Enable, disable and read outbound web identity federation (the issuer of GetWebIdentityToken's JWTs)."""

    def enable_outbound_web_identity_federation(self, *, account_id: str | None = None) -> OutboundFederationInfo:
        """EnableOutboundWebIdentityFederation: the account's issuer URL (``FeatureEnabled`` when already on)."""
        return self._iam(
            "EnableOutboundWebIdentityFederation",
            "",
            account_id,
            lambda s: s.outbound_federation.enable_outbound_web_identity_federation(),
        )

    def disable_outbound_web_identity_federation(self, *, account_id: str | None = None) -> None:
        """DisableOutboundWebIdentityFederation (``FeatureDisabled`` when already off); issued tokens stay valid."""
        self._iam(
            "DisableOutboundWebIdentityFederation",
            "",
            account_id,
            lambda s: s.outbound_federation.disable_outbound_web_identity_federation(),
        )

    def get_outbound_web_identity_federation_info(self, *, account_id: str | None = None) -> OutboundFederationInfo:
        """GetOutboundWebIdentityFederationInfo (``FeatureDisabled`` while off)."""
        return self._core.read(account_id, lambda s: s.outbound_federation.get_outbound_web_identity_federation_info())
