"""Delegation requests between accounts, and the trade-in of their token for credentials (§H.11).

The request's state machine is the store's (:mod:`iamsim._store.delegation_requests`);
this family finds a request by id across the world's accounts (the partner's
store keeps it), says who acts (the signer of a wire request, else the account's
root user) and turns a released token into a session of the approving identity,
scoped by the request's permission policy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from iamsim._arn import account_root_arn, sts_arn
from iamsim._clock import epoch_second, from_iso8601, iso8601
from iamsim._engine.request import Principal, PrincipalType
from iamsim._simulator.auth import Who
from iamsim._simulator.core import Core
from iamsim._simulator.iam_calls import IamCalls
from iamsim._store.account import AccountStore, Document
from iamsim._store.delegation_requests import (
    DelegationParameter,
    DelegationPermission,
    DelegationRequest,
    DelegationRequestDetail,
    Identity,
    accept,
    associate,
    no_such_request,
    reject,
    send_token,
    update,
    visible_to,
)
from iamsim._sts.caller import Caller, CallerKind
from iamsim._sts.credentials import Credentials
from iamsim.errors import ExpiredTradeInTokenError, NoSuchEntityError, UsageError, ValidationError

__all__ = [
    "DelegatedAccessToken",
    "DelegationRequestCreated",
    "DelegationTokenNotice",
    "IamDelegationOperations",
    "delegation_request_owner",
    "delegation_token_notices",
    "exchange_trade_in_token",
    "register_delegation_policy_template",
]

#: The name the delegated session's permission policy carries in explanations.
_POLICY_NAME = "delegation permission policy"


@dataclass(frozen=True, slots=True)
class DelegationRequestCreated:
    """CreateDelegationRequest's answer: the new request's id and the console link a partner sends the customer."""

    delegation_request_id: str
    console_deep_link: str


@dataclass(frozen=True, slots=True)
class DelegationTokenNotice:
    """What IAM publishes to a request's notification channel when its token is sent (the partner's copy)."""

    delegation_request_id: str
    trade_in_token: str


@dataclass(frozen=True, slots=True)
class DelegatedAccessToken:
    """GetDelegatedAccessToken's answer: credentials acting as the approver, and that identity's ARN."""

    credentials: Credentials
    assumed_principal: str


def _permission(permissions: Mapping[str, Any] | DelegationPermission) -> DelegationPermission:
    """``Permissions`` as boto3 gives it (``PolicyTemplateArn``, ``Parameters``), or already a record."""
    if isinstance(permissions, DelegationPermission):
        return permissions
    if not isinstance(permissions, Mapping):
        raise UsageError("permissions must be a mapping with PolicyTemplateArn and Parameters")
    parameters = tuple(
        DelegationParameter(p.get("Name"), tuple(p.get("Values", ())), p.get("Type"))
        for p in permissions.get("Parameters", ()) or ()
    )
    return DelegationPermission(permissions.get("PolicyTemplateArn"), parameters)


class IamDelegationOperations(IamCalls):
    """Create, associate, update, accept, reject and finalize delegation requests (``iam:<Operation>``)."""

    def _identity(self, who: Who | None, account_id: str | None) -> Identity:
        if who is None:
            account = self._core.state.account(account_id)
            return Identity(account, account_root_arn(account, self._core.state.partition))
        caller = self._core.auth.caller(who)
        return Identity(caller.account or "", caller.principal.arn)

    def _transition(
        self,
        operation: str,
        request_id: str,
        who: Who | None,
        account_id: str | None,
        step: Callable[[DelegationRequest, Identity, str], DelegationRequest],
    ) -> DelegationRequest:
        identity = self._identity(who, account_id)

        def run() -> DelegationRequest:
            store, request = _located(self._core, request_id)
            now = self._now()
            changed = step(request.seen_at(now), identity, now)
            store.delegation_requests.put(changed)
            return changed

        return self._core.call(identity.arn, "IAM", operation, request_id, run)

    def create_delegation_request(
        self,
        *,
        description: str,
        permissions: Mapping[str, Any] | DelegationPermission,
        requestor_workflow_id: str,
        notification_channel: str,
        session_duration: int,
        owner_account_id: str | None = None,
        request_message: str | None = None,
        redirect_url: str | None = None,
        only_send_by_owner: bool | None = None,
        account_id: str | None = None,
    ) -> DelegationRequestCreated:
        """CreateDelegationRequest: a partner (this account) asks for delegated access; ``UNASSIGNED``."""
        wanted = _permission(permissions)

        def run(store: AccountStore) -> DelegationRequestCreated:
            request = store.delegation_requests.create(
                description=description,
                permissions=wanted,
                requestor_workflow_id=requestor_workflow_id,
                notification_channel=notification_channel,
                session_duration=session_duration,
                owner_account_id=owner_account_id,
                request_message=request_message,
                redirect_url=redirect_url,
                only_send_by_owner=bool(only_send_by_owner),
            )
            link = f"https://console.aws.amazon.com/iam/home#/delegation-requests/{request.delegation_request_id}"
            return DelegationRequestCreated(request.delegation_request_id, link)

        return self._core.iam("CreateDelegationRequest", requestor_workflow_id, account_id, run)

    def get_delegation_request(
        self,
        delegation_request_id: str,
        *,
        delegation_permission_check: bool | None = None,
        who: Who | None = None,
        account_id: str | None = None,
    ) -> DelegationRequestDetail:
        """GetDelegationRequest: the request as it reads now, if the caller's account may see it.

        ``delegation_permission_check`` is accepted; AWS's check is asynchronous and "does not
        guarantee an answer", and iamsim starts none, so the answer carries no check status.
        """
        identity = self._identity(who, account_id)
        with self._core.lock:
            _, request = _located(self._core, delegation_request_id)
            if not visible_to(request, identity):
                raise no_such_request(delegation_request_id)
            return DelegationRequestDetail(request.seen_at(self._now()))

    def list_delegation_requests(
        self, *, owner_id: str | None = None, who: Who | None = None, account_id: str | None = None
    ) -> tuple[DelegationRequest, ...]:
        """ListDelegationRequests: the requests owned in the caller's account (and those it created as partner).

        A request targeted at the account but not yet associated is not listed (AWS: "If a delegation
        request has no owner ... it will not be part of the ListDelegationRequests output").
        """
        identity = self._identity(who, account_id)
        with self._core.lock:
            now = self._now()
            found = [
                request.seen_at(now)
                for store in self._core.state.stores.values()
                for request in store.delegation_requests.all()
                if request.requestor_id == identity.account
                or (request.owner_account_id == identity.account and request.owner_id is not None)
            ]
        found.sort(key=lambda r: (r.create_date, r.delegation_request_id))
        return tuple(r for r in found if owner_id is None or r.owner_id == owner_id)

    def associate_delegation_request(
        self, delegation_request_id: str, *, who: Who | None = None, account_id: str | None = None
    ) -> None:
        """AssociateDelegationRequest: UNASSIGNED -> ASSIGNED; the caller becomes the request's owner."""
        self._transition("AssociateDelegationRequest", delegation_request_id, who, account_id, associate)

    def update_delegation_request(
        self,
        delegation_request_id: str,
        *,
        notes: str | None = None,
        who: Who | None = None,
        account_id: str | None = None,
    ) -> None:
        """UpdateDelegationRequest: forward the request for approval (``PENDING_APPROVAL``) with notes."""
        self._transition(
            "UpdateDelegationRequest", delegation_request_id, who, account_id, partial(update, notes=notes)
        )

    def accept_delegation_request(
        self, delegation_request_id: str, *, who: Who | None = None, account_id: str | None = None
    ) -> None:
        """AcceptDelegationRequest: ``ACCEPTED``; the caller is the identity the delegated credentials act as."""
        self._transition("AcceptDelegationRequest", delegation_request_id, who, account_id, accept)

    def reject_delegation_request(
        self,
        delegation_request_id: str,
        *,
        notes: str | None = None,
        who: Who | None = None,
        account_id: str | None = None,
    ) -> None:
        """RejectDelegationRequest: ``REJECTED`` for good (it expires 7 days later)."""
        self._transition(
            "RejectDelegationRequest", delegation_request_id, who, account_id, partial(reject, notes=notes)
        )

    def send_delegation_token(
        self, delegation_request_id: str, *, who: Who | None = None, account_id: str | None = None
    ) -> str:
        """SendDelegationToken: ``FINALIZED``; returns the trade-in token IAM publishes to the partner's channel."""
        token = self._core.state.ids.uuid4().replace("-", "") + self._core.state.ids.uuid4().replace("-", "")
        request = self._transition(
            "SendDelegationToken",
            delegation_request_id,
            who,
            account_id,
            partial(send_token, token=token),
        )
        return request.trade_in_token or token

    def _now(self) -> str:
        return iso8601(self._core.now())


def register_delegation_policy_template(
    core: Core, template_arn: str, policy_document: Document, account_id: str | None
) -> None:
    """Register ``template_arn`` for a partner account (the simulator's stand-in for partner onboarding)."""
    core.iam(
        "RegisterDelegationPolicyTemplate",
        template_arn,
        account_id,
        lambda s: s.delegation_requests.register_template(template_arn, policy_document),
    )


def _located(core: Core, request_id: str) -> tuple[AccountStore, DelegationRequest]:
    """The store keeping the request ``request_id`` (its partner's) and the request; ``NoSuchEntity`` if none."""
    for store in core.state.stores.values():
        found = store.delegation_requests.find(request_id)
        if found is not None:
            return store, found
    raise no_such_request(request_id)


def delegation_request_owner(core: Core, request_id: str) -> str | None:
    """The ARN of the owner of the request ``request_id`` (``None`` when it has none or does not exist)."""
    with core.lock:
        try:
            return _located(core, request_id)[1].owner_id
        except NoSuchEntityError:
            return None


def delegation_token_notices(core: Core, notification_channel: str) -> tuple[DelegationTokenNotice, ...]:
    """The tokens IAM published to ``notification_channel``, oldest request first (the partner's view)."""
    with core.lock:
        return tuple(
            DelegationTokenNotice(r.delegation_request_id, r.trade_in_token)
            for store in core.state.stores.values()
            for r in store.delegation_requests.all()
            if r.notification_channel == notification_channel and r.trade_in_token is not None
        )


def exchange_trade_in_token(core: Core, caller: Caller, trade_in_token: str) -> DelegatedAccessToken:
    """GetDelegatedAccessToken for ``caller`` (the partner, already allowed): the approver's session, scoped.

    Only the account that created the request may trade its token (judgment); a token
    of no request, or of another partner's, is refused as not valid.
    """
    account = caller.account or ""
    store = core.state.stores.get(account)
    request = None if store is None else store.delegation_requests.find_by_token(trade_in_token)
    if request is None or request.approver_id is None:
        raise ValidationError("The trade-in token is not valid.")
    now = core.now()
    expires = epoch_second(from_iso8601(request.expiration_time))
    if epoch_second(now) >= expires:
        raise ExpiredTradeInTokenError("The trade-in token has expired.")
    approver = core.auth.caller(Principal.from_arn(request.approver_id))
    template = _delegated_session(approver, request.permission_policy)
    credentials = core.sts.issue_session(template, expires - epoch_second(now))
    principal = approver.principal.role_arn or approver.principal.arn
    return DelegatedAccessToken(credentials, principal)


def _delegated_session(approver: Caller, policy: str) -> Caller:
    """The approver as a session whose permissions the request's policy bounds (a session policy).

    A role session stays a session of that role. A user's or the root user's approval becomes a
    federated-user session in the approver's name, as GetFederationToken makes one: the evaluators
    apply session policies to role and federated sessions only (§F.1), so this is the session kind
    that keeps the approver's permissions and the request's bound both; and like any session it
    cannot be traded for unbounded credentials (GetSessionToken and GetFederationToken refuse it).
    """
    policies = (*(approver.session_policies or ()), (_POLICY_NAME, policy))
    if approver.kind is CallerKind.ROLE_SESSION:
        return Caller(
            approver.kind,
            approver.principal,
            entity_name=approver.entity_name,
            entity_id=approver.entity_id,
            session_policies=policies,
        )
    account = approver.account or ""
    name = (approver.entity_name or "root")[:32]
    partition = approver.principal.partition
    principal = Principal(
        sts_arn(partition, account, f"federated-user/{name}"),
        PrincipalType.FEDERATED_USER,
        account,
        partition,
        session_name=name,
        source_user_arn=approver.principal.arn,
        userid=f"{account}:{name}",
    )
    return Caller(
        CallerKind.FEDERATED,
        principal,
        entity_name=approver.entity_name,
        entity_id=approver.entity_id,
        session_policies=policies,
    )
