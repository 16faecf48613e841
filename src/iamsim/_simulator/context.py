"""The request context AWS builds for a caller (spec §E)."""

from __future__ import annotations

from datetime import UTC, datetime

from iamsim._clock import epoch_second, iso8601
from iamsim._engine.request import ContextValue
from iamsim._sts.caller import Caller

__all__ = ["caller_context", "iso8601"]


def caller_context(
    caller: Caller,
    now: datetime,
    entity_tags: tuple[tuple[str, str], ...],
    org_id: str | None,
    *,
    now_text: str | None = None,
) -> dict[str, ContextValue]:
    """Global keys for ``caller`` at ``now`` (the principal's own keys come from ``Principal``).

    Keys are lowercased and values normalised, as a request stores them, so
    the result goes into a request as is. Session tags override the user's or
    role's tags with the same key, regardless of case (§E). MFA keys exist only
    for temporary credentials. ``now_text`` is ``iso8601(now)`` when the caller
    has it at hand.
    """
    epoch = epoch_second(now)
    context: dict[str, ContextValue] = {
        "aws:currenttime": now_text or iso8601(now),
        "aws:epochtime": str(epoch),
        "aws:securetransport": "true",
        "aws:requestedregion": "us-east-1",
        "aws:viaawsservice": "false",
    }
    # Later writes win: session tags replace same-named entity tags whatever their case.
    for key, value in entity_tags:
        context["aws:principaltag/" + key.lower()] = value
    for key, value in caller.session_tags:
        context["aws:principaltag/" + key.lower()] = value
    if org_id is not None:
        context["aws:principalorgid"] = org_id
    if caller.is_temporary:
        if caller.issued_at is not None:
            context["aws:tokenissuetime"] = iso8601(datetime.fromtimestamp(caller.issued_at, UTC))
        context["aws:multifactorauthpresent"] = "true" if caller.mfa_at is not None else "false"
        if caller.mfa_at is not None:
            context["aws:multifactorauthage"] = str(max(0, epoch - caller.mfa_at))
    if caller.source_identity is not None:
        context["aws:sourceidentity"] = caller.source_identity
    for extra_key, extra_value in caller.extra_context:
        context[extra_key.lower()] = extra_value
    return context
