"""The request context AWS builds for a caller (spec §E)."""

from __future__ import annotations

from datetime import UTC, datetime

from iamsim._sts.caller import Caller

__all__ = ["caller_context", "iso8601"]


def iso8601(at: datetime) -> str:
    """``2026-01-01T00:00:00Z``."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def caller_context(
    caller: Caller, now: datetime, entity_tags: tuple[tuple[str, str], ...], org_id: str | None
) -> dict[str, object]:
    """Global keys for ``caller`` at ``now`` (the principal's own keys come from ``Principal``).

    Session tags override the user's or role's tags with the same key,
    regardless of case (§E). MFA keys exist only for temporary credentials.
    """
    context: dict[str, object] = {
        "aws:CurrentTime": iso8601(now),
        "aws:EpochTime": str(int(now.timestamp())),
        "aws:SecureTransport": "true",
        "aws:RequestedRegion": "us-east-1",
        "aws:ViaAWSService": "false",
    }
    session_keys = {k.lower() for k, _ in caller.session_tags}
    for key, value in entity_tags:
        if key.lower() not in session_keys:
            context[f"aws:PrincipalTag/{key}"] = value
    for key, value in caller.session_tags:
        context[f"aws:PrincipalTag/{key}"] = value
    if org_id is not None:
        context["aws:PrincipalOrgID"] = org_id
    if caller.is_temporary:
        if caller.issued_at is not None:
            context["aws:TokenIssueTime"] = iso8601(datetime.fromtimestamp(caller.issued_at, UTC))
        context["aws:MultiFactorAuthPresent"] = "true" if caller.mfa_at is not None else "false"
        if caller.mfa_at is not None:
            context["aws:MultiFactorAuthAge"] = str(max(0, int(now.timestamp()) - caller.mfa_at))
    if caller.source_identity is not None:
        context["aws:SourceIdentity"] = caller.source_identity
    for extra_key, extra_value in caller.extra_context:
        context[extra_key] = extra_value
    return context
