"""STS GetScopedCredentials: a narrowed copy of the caller's own session (§G.14).

The copy keeps the caller's identity, tags and source identity and adds the request's
policy to the session's policies (its permissions are the intersection); it may end
sooner than the calling session, never later. At most three policies of this operation
layer on one session. Session policies bound role and federated sessions only (§F.1), so
those are the sessions iamsim narrows; anything else is refused, never copied unbounded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from iamsim._clock import epoch_second
from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._simulator.core import Core
from iamsim._sts.caller import Caller, CallerKind
from iamsim._sts.credentials import Credentials
from iamsim._sts.params import packed_policy_size
from iamsim.errors import (
    AccessDeniedError,
    InsufficientSessionLifetimeError,
    InvalidSubjectCredentialsError,
    ValidationError,
)

__all__ = ["MAX_SCOPED_POLICIES", "ScopedCredentialsResult", "ScopedSession", "scoped_credentials"]

#: "A maximum of 3 scope down policy layers are allowed per session" (the STS model's ScopedPoliciesCount).
MAX_SCOPED_POLICIES = 3
#: Session policies this operation added are named so, with their layer number: only they are counted.
_LAYER = "scoped session policy "


@dataclass(frozen=True, slots=True)
class ScopedSession:
    """The scoped session's identifiers: those of the calling session, whose identity does not change."""

    scoped_session_id: str
    arn: str


@dataclass(frozen=True, slots=True)
class ScopedCredentialsResult:
    """GetScopedCredentials' answer: the credentials, the session, the layers of scope-down policy."""

    credentials: Credentials
    session_info: ScopedSession
    scoped_policies_count: int
    source_identity: str | None = None


def _layers(caller: Caller) -> int:
    return sum(1 for name, _ in caller.session_policies or () if name.startswith(_LAYER))


def scoped_credentials(
    core: Core, caller: Caller, policy: str | None, duration_seconds: int | None
) -> ScopedCredentialsResult:
    """GetScopedCredentials for ``caller``: its session narrowed by ``policy``, ending after ``duration_seconds``."""
    if policy is None and duration_seconds is None:
        # The model: "A request must provide at least one of Policy or DurationSeconds."
        raise ValidationError("A request must provide at least one of Policy or DurationSeconds.")
    if caller.kind not in (CallerKind.ROLE_SESSION, CallerKind.FEDERATED) or caller.expires_at is None:
        # iamsim's wording (judgment): the model's error for a session it cannot narrow.
        raise InvalidSubjectCredentialsError(
            "GetScopedCredentials needs the temporary credentials of a role or federated user session."
        )
    layers = _layers(caller)
    policies = caller.session_policies
    if policy is not None:
        if layers >= MAX_SCOPED_POLICIES:
            raise AccessDeniedError(
                f"The session already carries {MAX_SCOPED_POLICIES} GetScopedCredentials scope-down policies."
            )
        packed_policy_size(policy, (), ())
        parse_policy(policy, PolicyKind.SESSION, name="scope-down policy", check_size=False)
        layers += 1
        policies = (*(policies or ()), (f"{_LAYER}{layers}", policy))
    remaining = caller.expires_at - epoch_second(core.now())
    duration = remaining if duration_seconds is None else duration_seconds
    if duration > remaining:
        raise InsufficientSessionLifetimeError(
            f"The requested DurationSeconds {duration_seconds} exceeds the calling session's remaining "
            f"lifetime of {remaining} seconds."
        )
    credentials = core.sts.issue_session(replace(caller, access_key_id=None, session_policies=policies), duration)
    principal = caller.principal
    session = ScopedSession(principal.userid or principal.arn, principal.arn)
    return ScopedCredentialsResult(credentials, session, layers, caller.source_identity)
