"""Delegation requests between accounts: a partner asks, a customer's identity approves (§H.11).

A partner account creates a request (``UNASSIGNED``) naming the permissions it
wants (a policy template registered for the partner) and how long the delegated
session should last; an identity of the customer's account associates it
(``ASSIGNED``, the caller becomes the owner), may forward it for approval
(``PENDING_APPROVAL``), accepts (``ACCEPTED``, the caller becomes the approver,
the identity the delegated credentials act as) or rejects it (``REJECTED``),
and releases the exchange token (``FINALIZED``), which the partner trades for
credentials with STS GetDelegatedAccessToken. A request past its expiry reads
``EXPIRED`` and accepts no further transition.

The request is kept by the partner's account store, the one that created it;
the simulator finds it by id across the world's accounts. Each transition is a
pure function from a request and the acting identity to the next request, so a
refused one changes nothing. Times are store dates from the world's clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from iamsim._arn import Arn
from iamsim._clock import from_iso8601, iso8601
from iamsim._policy.model import PolicyKind
from iamsim._store.account_data import Document, StoreFamily, document_text
from iamsim.errors import (
    AccessDeniedError,
    ConcurrentModificationError,
    EntityAlreadyExistsError,
    InvalidInputError,
    NoSuchEntityError,
    UsageError,
)

__all__ = [
    "DelegationParameter",
    "DelegationPermission",
    "DelegationPolicyTemplate",
    "DelegationRequest",
    "DelegationRequestDetail",
    "DelegationRequests",
    "Identity",
    "accept",
    "associate",
    "reject",
    "send_token",
    "update",
    "visible_to",
]

#: How long a request waits in the states before FINALIZED (judgment: AWS documents only the rejected lifetime).
PENDING_LIFETIME = timedelta(days=7)
#: RejectDelegationRequest: "Rejected requests expire after 7 days".
REJECTED_LIFETIME = timedelta(days=7)

_OPEN = ("ASSIGNED", "PENDING_APPROVAL")


@dataclass(frozen=True, slots=True)
class DelegationParameter:
    """A ``PolicyParameter`` of a request's permissions: a name, its values and their type."""

    name: str | None = None
    values: tuple[str, ...] = ()
    type: str | None = None


@dataclass(frozen=True, slots=True)
class DelegationPermission:
    """A request's ``Permissions``: the partner's policy template and the parameters given for it."""

    policy_template_arn: str | None = None
    parameters: tuple[DelegationParameter, ...] = ()


@dataclass(frozen=True, slots=True)
class DelegationPolicyTemplate:
    """A policy template registered for a partner account (AWS registers them at partner onboarding)."""

    arn: str
    document: str


@dataclass(frozen=True, slots=True)
class Identity:
    """Who acts on a request: the caller's account and principal ARN."""

    account: str
    arn: str


@dataclass(frozen=True, slots=True)
class DelegationRequest:
    """One delegation request, named as IAM's ``DelegationRequest`` members in snake_case.

    ``state`` is the state last set; what callers see is :meth:`seen_at`, which reads
    ``EXPIRED`` once ``expiration_time`` has passed. ``trade_in_token`` is the token
    SendDelegationToken released (never part of an answer).
    """

    delegation_request_id: str
    requestor_id: str
    description: str
    permissions: DelegationPermission
    permission_policy: str
    requestor_workflow_id: str
    notification_channel: str
    session_duration: int
    state: str
    create_date: str
    updated_time: str
    expiration_time: str
    owner_account_id: str | None = None
    request_message: str | None = None
    redirect_url: str | None = None
    only_send_by_owner: bool = False
    owner_id: str | None = None
    approver_id: str | None = None
    notes: str | None = None
    rejection_reason: str | None = None
    trade_in_token: str | None = None

    def seen_at(self, now: str) -> DelegationRequest:
        """The request as it reads at ``now``: ``EXPIRED`` from its expiration time on."""
        if self.state != "EXPIRED" and from_iso8601(now) >= from_iso8601(self.expiration_time):
            return replace(self, state="EXPIRED")
        return self


@dataclass(frozen=True, slots=True)
class DelegationRequestDetail:
    """GetDelegationRequest's answer: the request (no permission check is run, so no check status)."""

    delegation_request: DelegationRequest


def _later(now: str, delta: timedelta) -> str:
    return iso8601(from_iso8601(now) + delta)


def visible_to(request: DelegationRequest, who: Identity) -> bool:
    """Whether ``who`` may see ``request``: its partner, or (once targeted) only its owner account, else anyone."""
    if who.account == request.requestor_id:
        return True
    return request.owner_account_id is None or request.owner_account_id == who.account


def _wrong_state(request: DelegationRequest, operation: str, wanted: tuple[str, ...]) -> InvalidInputError:
    # iamsim's wording (judgment): AWS documents the transitions, not the message of a refused one.
    return InvalidInputError(
        f"Delegation request {request.delegation_request_id} is in state {request.state}; "
        f"{operation} needs it in state {' or '.join(wanted)}."
    )


def _owned(request: DelegationRequest, who: Identity, now: str, operation: str, wanted: tuple[str, ...]) -> None:
    """Refuse ``operation`` unless ``who`` is of the owner account and the request is in a ``wanted`` state."""
    if request.owner_account_id != who.account or request.owner_id is None:
        if request.state == "UNASSIGNED" and visible_to(request, who):
            raise _wrong_state(request, operation, wanted)
        raise no_such_request(request.delegation_request_id)
    if request.state not in wanted:
        raise _wrong_state(request, operation, wanted)


def no_such_request(request_id: str) -> NoSuchEntityError:
    """``NoSuchEntity`` for a request that does not exist or that the caller may not see."""
    return NoSuchEntityError(f"Delegation request {request_id} cannot be found.")


def associate(request: DelegationRequest, who: Identity, now: str) -> DelegationRequest:
    """AssociateDelegationRequest: UNASSIGNED -> ASSIGNED; the caller becomes the owner (and its account)."""
    if not visible_to(request, who) or (who.account == request.requestor_id and request.owner_account_id is None):
        # The partner cannot own its own request; another account cannot see a targeted one.
        raise no_such_request(request.delegation_request_id)
    if request.state != "UNASSIGNED":
        raise _wrong_state(request, "AssociateDelegationRequest", ("UNASSIGNED",))
    return replace(request, state="ASSIGNED", owner_id=who.arn, owner_account_id=who.account, updated_time=now)


def update(request: DelegationRequest, who: Identity, now: str, *, notes: str | None = None) -> DelegationRequest:
    """UpdateDelegationRequest: ASSIGNED or PENDING_APPROVAL -> PENDING_APPROVAL, with the notes given."""
    _owned(request, who, now, "UpdateDelegationRequest", _OPEN)
    return replace(request, state="PENDING_APPROVAL", notes=notes, updated_time=now)


def accept(request: DelegationRequest, who: Identity, now: str) -> DelegationRequest:
    """AcceptDelegationRequest: ASSIGNED or PENDING_APPROVAL -> ACCEPTED; the caller becomes the approver.

    The model lists no ``InvalidInput`` for this operation, so a request in another state is
    answered ``ConcurrentModification`` (judgment: the request changed under the caller).
    """
    try:
        _owned(request, who, now, "AcceptDelegationRequest", _OPEN)
    except InvalidInputError as error:
        raise ConcurrentModificationError(error.message) from None
    return replace(request, state="ACCEPTED", approver_id=who.arn, updated_time=now)


def reject(request: DelegationRequest, who: Identity, now: str, *, notes: str | None = None) -> DelegationRequest:
    """RejectDelegationRequest: ASSIGNED, PENDING_APPROVAL or ACCEPTED -> REJECTED, expiring 7 days later."""
    _owned(request, who, now, "RejectDelegationRequest", (*_OPEN, "ACCEPTED"))
    return replace(
        request,
        state="REJECTED",
        rejection_reason=notes,
        updated_time=now,
        expiration_time=_later(now, REJECTED_LIFETIME),
    )


def send_token(request: DelegationRequest, who: Identity, now: str, *, token: str) -> DelegationRequest:
    """SendDelegationToken: ACCEPTED -> FINALIZED; the delegation period (``SessionDuration``) starts now."""
    _owned(request, who, now, "SendDelegationToken", ("ACCEPTED",))
    if request.only_send_by_owner and who.arn != request.owner_id:
        # iamsim's wording (judgment): OnlySendByOwner "prevents any party other than the owner" from sending.
        raise AccessDeniedError(
            f"User: {who.arn} is not the owner of delegation request {request.delegation_request_id}, "
            "which only its owner may send the token of."
        )
    return replace(
        request,
        state="FINALIZED",
        trade_in_token=token,
        updated_time=now,
        expiration_time=_later(now, timedelta(seconds=request.session_duration)),
    )


def _check_channel(channel: str, partition: str) -> None:
    parsed = Arn.try_parse(channel)
    if parsed is None or parsed.service != "sns" or parsed.partition != partition or not parsed.resource:
        # CreateDelegationRequest: "At this time, only SNS topic ARNs are accepted for notification."
        raise InvalidInputError(f"NotificationChannel {channel} is not an SNS topic ARN.")


class DelegationRequests(StoreFamily):
    """The delegation requests a partner account created, and the policy templates registered for it."""

    def register_template(self, arn: str, document: Document) -> DelegationPolicyTemplate:
        """Register the policy template ``arn`` for this (partner) account: the permissions a request may ask."""
        parsed = Arn.try_parse(arn)
        if parsed is None or parsed.partition != self._data.partition:
            raise UsageError(f"policy template ARN {arn!r} is not an ARN of partition {self._data.partition}")
        text = document_text(document)
        self._store.parsed(text, PolicyKind.SESSION, arn)
        template = DelegationPolicyTemplate(arn, text)
        return self._data.put(self._data.delegation_templates, arn, template)

    def create(
        self,
        *,
        description: str,
        permissions: DelegationPermission,
        requestor_workflow_id: str,
        notification_channel: str,
        session_duration: int,
        owner_account_id: str | None,
        request_message: str | None,
        redirect_url: str | None,
        only_send_by_owner: bool,
    ) -> DelegationRequest:
        """CreateDelegationRequest: a new ``UNASSIGNED`` request of this account (the partner)."""
        data = self._data
        template = data.delegation_templates.get(permissions.policy_template_arn or "")
        if template is None:
            raise InvalidInputError(
                f"Policy template {permissions.policy_template_arn} is not registered for account {data.account_id}."
            )
        _check_channel(notification_channel, data.partition)
        if any(r.requestor_workflow_id == requestor_workflow_id for r in data.delegation_requests.values()):
            # "IAM maintains a uniqueness check on this workflow id ... this API call will fail."
            raise EntityAlreadyExistsError(
                f"A delegation request with requestor workflow id {requestor_workflow_id} already exists."
            )
        now = data.now()
        request = DelegationRequest(
            delegation_request_id=f"dr-{data.ids.uuid4()}",
            requestor_id=data.account_id,
            description=description,
            permissions=permissions,
            permission_policy=template.document,
            requestor_workflow_id=requestor_workflow_id,
            notification_channel=notification_channel,
            session_duration=session_duration,
            state="UNASSIGNED",
            create_date=now,
            updated_time=now,
            expiration_time=_later(now, PENDING_LIFETIME),
            owner_account_id=owner_account_id,
            request_message=request_message,
            redirect_url=redirect_url,
            only_send_by_owner=only_send_by_owner,
        )
        data.delegation_requests[request.delegation_request_id] = request
        data.bump()
        return request

    def find(self, request_id: str) -> DelegationRequest | None:
        """This account's request of that id, as stored (``None`` when it created none)."""
        return self._data.delegation_requests.get(request_id)

    def find_by_token(self, token: str) -> DelegationRequest | None:
        """This account's request whose released token is ``token``."""
        return next((r for r in self._data.delegation_requests.values() if r.trade_in_token == token), None)

    def all(self) -> tuple[DelegationRequest, ...]:
        """Every request this account created, oldest first."""
        return tuple(self._data.delegation_requests.values())

    def put(self, request: DelegationRequest) -> None:
        """Keep ``request`` (a transition's result) in place of the one of its id."""
        self._data.put(self._data.delegation_requests, request.delegation_request_id, request)
