"""STS operation handlers (§G): the Simulator's STS, called as the request's signer.

Inputs are read here (the caller is the signer, not a member); outputs are the
returned results rendered by the convention of :mod:`.render`. Permissions are
the STS service's business: AssumeRole checks the caller's identity
policies and the role's trust policy, GetFederationToken its own action;
GetCallerIdentity and GetSessionToken need none (§G.4, §G.6); GetAccessKeyInfo needs
``sts:GetAccessKeyInfo`` (§G.7).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from iamsim._handlers.render import output_shape, render
from iamsim._simulator import Simulator
from iamsim._sts.caller import Caller
from iamsim._wire.dispatch import CallContext, Handler

__all__ = ["StsHandlers"]

Output = dict[str, Any]


def _policy_arns(entries: Iterable[Mapping[str, str]] | None) -> list[str] | None:
    return None if entries is None else [entry["arn"] for entry in entries]


def _tags(entries: Iterable[Mapping[str, str]] | None) -> list[tuple[str, str]] | None:
    return None if entries is None else [(entry["Key"], entry["Value"]) for entry in entries]


class StsHandlers:
    """The STS operations iamsim serves, bound to one simulator."""

    def __init__(self, simulator: Simulator) -> None:
        self._sim = simulator

    def handlers(self) -> dict[tuple[str, str], Handler]:
        """Every implemented STS operation, keyed ``("sts", Operation)``."""
        return {
            ("sts", "AssumeRole"): self.assume_role,
            ("sts", "AssumeRoleWithWebIdentity"): self.assume_role_with_web_identity,
            ("sts", "AssumeRoleWithSAML"): self.assume_role_with_saml,
            ("sts", "GetSessionToken"): self.get_session_token,
            ("sts", "GetFederationToken"): self.get_federation_token,
            ("sts", "GetCallerIdentity"): self.get_caller_identity,
            ("sts", "GetAccessKeyInfo"): self.get_access_key_info,
            ("sts", "DecodeAuthorizationMessage"): self.decode_authorization_message,
        }

    def assume_role(self, context: CallContext, p: dict[str, Any]) -> Output:
        """AssumeRole (§G.1, §F.4)."""
        caller: Caller = context.caller
        result = self._sim.assume_role(
            caller,
            p["RoleArn"],
            p["RoleSessionName"],
            duration_seconds=p.get("DurationSeconds"),
            external_id=p.get("ExternalId"),
            serial_number=p.get("SerialNumber"),
            token_code=p.get("TokenCode"),
            policy=p.get("Policy"),
            policy_arns=_policy_arns(p.get("PolicyArns")),
            tags=_tags(p.get("Tags")),
            transitive_tag_keys=p.get("TransitiveTagKeys"),
            source_identity=p.get("SourceIdentity"),
        )
        return render(output_shape("sts", "AssumeRole"), result)

    def assume_role_with_web_identity(self, context: CallContext, p: dict[str, Any]) -> Output:
        """AssumeRoleWithWebIdentity (unsigned, §G.2)."""
        result = self._sim.assume_role_with_web_identity(
            p["RoleArn"],
            p["RoleSessionName"],
            p["WebIdentityToken"],
            duration_seconds=p.get("DurationSeconds"),
            policy=p.get("Policy"),
            policy_arns=_policy_arns(p.get("PolicyArns")),
        )
        return render(output_shape("sts", "AssumeRoleWithWebIdentity"), result)

    def assume_role_with_saml(self, context: CallContext, p: dict[str, Any]) -> Output:
        """AssumeRoleWithSAML (unsigned, §G.3)."""
        result = self._sim.assume_role_with_saml(
            p["RoleArn"],
            p["PrincipalArn"],
            p["SAMLAssertion"],
            duration_seconds=p.get("DurationSeconds"),
            policy=p.get("Policy"),
            policy_arns=_policy_arns(p.get("PolicyArns")),
        )
        return render(output_shape("sts", "AssumeRoleWithSAML"), result)

    def get_session_token(self, context: CallContext, p: dict[str, Any]) -> Output:
        """GetSessionToken (§G.4)."""
        credentials = self._sim.get_session_token(
            context.caller,
            duration_seconds=p.get("DurationSeconds"),
            serial_number=p.get("SerialNumber"),
            token_code=p.get("TokenCode"),
        )
        return {"Credentials": render(output_shape("sts", "GetSessionToken").members["Credentials"], credentials)}

    def get_federation_token(self, context: CallContext, p: dict[str, Any]) -> Output:
        """GetFederationToken (§G.5)."""
        result = self._sim.get_federation_token(
            context.caller,
            p["Name"],
            duration_seconds=p.get("DurationSeconds"),
            policy=p.get("Policy"),
            policy_arns=_policy_arns(p.get("PolicyArns")),
            tags=_tags(p.get("Tags")),
        )
        return render(output_shape("sts", "GetFederationToken"), result)

    def get_caller_identity(self, context: CallContext, p: dict[str, Any]) -> Output:
        """GetCallerIdentity: needs no permission (§G.6)."""
        return render(output_shape("sts", "GetCallerIdentity"), self._sim.get_caller_identity(context.caller))

    def get_access_key_info(self, context: CallContext, p: dict[str, Any]) -> Output:
        """GetAccessKeyInfo (§G.7)."""
        self._sim.authorize(context.caller, "sts:GetAccessKeyInfo", "*")
        return {"Account": self._sim.get_access_key_info(p["AccessKeyId"])}

    def decode_authorization_message(self, context: CallContext, p: dict[str, Any]) -> Output:
        """DecodeAuthorizationMessage (§G.8)."""
        return {"DecodedMessage": self._sim.decode_authorization_message(context.caller, p["EncodedMessage"])}
