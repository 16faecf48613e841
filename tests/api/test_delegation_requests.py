"""Delegation requests between accounts and STS GetDelegatedAccessToken through boto3 (§H.11).

AWS pages: IAMAPI:API_CreateDelegationRequest.html, API_AssociateDelegationRequest.html,
API_GetDelegationRequest.html, API_ListDelegationRequests.html, API_UpdateDelegationRequest.html,
API_AcceptDelegationRequest.html, API_RejectDelegationRequest.html, API_SendDelegationToken.html;
STS:API_GetDelegatedAccessToken.html; UG:temporary-delegation-building-integration.html.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta
from typing import Any

import boto3
import pytest

import iamsim.boto3
from iamsim import ManualClock, Simulator

from .conftest import ACCOUNT, error_of

PARTNER = "222222222222"
OTHER = "333333333333"
TEMPLATE = f"arn:aws:iam::{PARTNER}:policy-template/onboarding"
TOPIC = f"arn:aws:sns:us-east-1:{PARTNER}:delegation-tokens"
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
#: The partner's template: it may list roles and nothing else.
TEMPLATE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}],
}


@pytest.fixture
def world(sim: Simulator) -> Simulator:
    """The customer's account (the fixture's), a partner with a registered template, and an unrelated account."""
    sim.add_account(PARTNER)
    sim.add_account(OTHER)
    sim.register_delegation_policy_template(TEMPLATE, TEMPLATE_POLICY, account_id=PARTNER)
    return sim


@pytest.fixture
def clients(world: Simulator) -> Iterator[dict[str, Any]]:
    """IAM and STS clients signed as each account's root user, and a customer IAM user ``admin`` (allow all)."""
    with ExitStack() as stack:

        def session(access_key_id: str, secret: str, token: str | None = None) -> boto3.Session:
            made = boto3.Session(
                aws_access_key_id=access_key_id,
                aws_secret_access_key=secret,
                aws_session_token=token,
                region_name="us-east-1",
            )
            stack.enter_context(iamsim.boto3.attach(world, made))
            return made

        roots = {a: world.root_credentials(a) for a in (ACCOUNT, PARTNER, OTHER)}
        sessions = {a: session(c.access_key_id, c.secret_access_key) for a, c in roots.items()}
        customer = sessions[ACCOUNT].client("iam")
        customer.create_user(UserName="admin")
        customer.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=json.dumps(ALLOW_ALL))
        key = customer.create_access_key(UserName="admin")["AccessKey"]
        admin = session(key["AccessKeyId"], key["SecretAccessKey"])
        yield {
            "customer": customer,
            "admin": admin.client("iam"),
            "partner": sessions[PARTNER].client("iam"),
            "partner_sts": sessions[PARTNER].client("sts"),
            "other": sessions[OTHER].client("iam"),
            "other_sts": sessions[OTHER].client("sts"),
            "session": session,
        }


def request_params(**overrides: Any) -> dict[str, Any]:
    """CreateDelegationRequest's parameters: a request targeted at the customer's account, with ``overrides``
    (``None`` leaves a parameter out)."""
    params: dict[str, Any] = {
        "OwnerAccountId": ACCOUNT,
        "Description": "Onboarding of the partner's product",
        "Permissions": {
            "PolicyTemplateArn": TEMPLATE,
            "Parameters": [{"Name": "BucketName", "Values": ["logs"], "Type": "string"}],
        },
        "RequestorWorkflowId": "workflow-0001",
        "NotificationChannel": TOPIC,
        "SessionDuration": 900,
        **overrides,
    }
    return {k: v for k, v in params.items() if v is not None}


def create(partner: Any, **overrides: Any) -> str:
    """A new delegation request of the partner (see :func:`request_params`), by its id."""
    request_id: str = partner.create_delegation_request(**request_params(**overrides))["DelegationRequestId"]
    return request_id


def state(client: Any, request_id: str) -> str:
    """The request's state as ``client`` reads it."""
    found: str = client.get_delegation_request(DelegationRequestId=request_id)["DelegationRequest"]["State"]
    return found


def finalized(clients: dict[str, Any], world: Simulator, **overrides: Any) -> tuple[str, str]:
    """A request associated and accepted by the customer's ``admin`` user, its token sent: (id, token)."""
    request_id = create(clients["partner"], **overrides)
    admin = clients["admin"]
    admin.associate_delegation_request(DelegationRequestId=request_id)
    admin.accept_delegation_request(DelegationRequestId=request_id)
    admin.send_delegation_token(DelegationRequestId=request_id)
    (notice,) = [n for n in world.delegation_token_notices(TOPIC) if n.delegation_request_id == request_id]
    return request_id, notice.trade_in_token


def test_whole_flow_across_two_accounts_h13(clients: dict[str, Any], world: Simulator, clock: ManualClock) -> None:
    """§H.11 (UG temporary-delegation-building-integration): UNASSIGNED -> ASSIGNED -> PENDING_APPROVAL -> ACCEPTED
    -> FINALIZED, then the partner trades the token for the approver's session scoped by the template."""
    partner, admin = clients["partner"], clients["admin"]
    created = partner.create_delegation_request(
        OwnerAccountId=ACCOUNT,
        Description="Onboarding of the partner's product",
        Permissions={"PolicyTemplateArn": TEMPLATE},
        RequestorWorkflowId="workflow-0001",
        NotificationChannel=TOPIC,
        SessionDuration=900,
        RedirectUrl="https://partner.example.com/done",
        RequestMessage="Second try",
    )
    request_id = created["DelegationRequestId"]
    assert request_id in created["ConsoleDeepLink"]
    assert state(partner, request_id) == "UNASSIGNED"
    admin.associate_delegation_request(DelegationRequestId=request_id)
    admin.update_delegation_request(DelegationRequestId=request_id, Notes="Please approve")
    assert state(admin, request_id) == "PENDING_APPROVAL"
    clients["customer"].accept_delegation_request(DelegationRequestId=request_id)
    clock.advance(60)
    admin.send_delegation_token(DelegationRequestId=request_id)

    request = admin.get_delegation_request(DelegationRequestId=request_id)["DelegationRequest"]
    admin_arn = f"arn:aws:iam::{ACCOUNT}:user/admin"
    assert request["State"] == "FINALIZED"
    assert request["OwnerId"] == admin_arn
    assert request["ApproverId"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert (request["OwnerAccountId"], request["RequestorId"]) == (ACCOUNT, PARTNER)
    assert json.loads(request["PermissionPolicy"]) == TEMPLATE_POLICY
    assert request["Notes"] == "Please approve"
    assert request["RedirectUrl"] == "https://partner.example.com/done"
    # The delegation period (SessionDuration) starts when the token is sent.
    assert request["ExpirationTime"] - request["UpdatedTime"] == timedelta(seconds=900)

    (notice,) = world.delegation_token_notices(TOPIC)
    answer = clients["partner_sts"].get_delegated_access_token(TradeInToken=notice.trade_in_token)
    assert answer["AssumedPrincipal"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert answer["Credentials"]["Expiration"] == request["ExpirationTime"]


def test_delegated_session_is_the_approver_bounded_by_the_template_h13(
    clients: dict[str, Any], world: Simulator
) -> None:
    """§H.11 (IAMAPI AcceptDelegationRequest: the accepting identity "gets mapped to the delegated credential";
    STS GetDelegatedAccessToken): the approver's permissions, intersected with the permission policy."""
    _, token = finalized(clients, world)
    answer = clients["partner_sts"].get_delegated_access_token(TradeInToken=token)
    assert answer["AssumedPrincipal"] == f"arn:aws:iam::{ACCOUNT}:user/admin"
    credentials = answer["Credentials"]
    delegated = clients["session"](
        credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
    ).client("iam")
    assert [r["RoleName"] for r in delegated.list_roles()["Roles"]] == []
    # The admin may do anything, the template only ListRoles: the session may not list users.
    assert error_of(delegated.list_users)["Code"] == "AccessDenied"
    identity = clients["session"](
        credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
    ).client("sts")
    # A user's approval is a federated session in the user's name, as GetFederationToken's (judgment, §G.5).
    assert identity.get_caller_identity()["Arn"] == f"arn:aws:sts::{ACCOUNT}:federated-user/admin"
    # Session credentials cannot be traded for unbounded ones (§G.4, §G.5).
    assert error_of(identity.get_session_token)["Message"] == "Cannot call GetSessionToken with session credentials"
    error = error_of(identity.get_federation_token, Name="escape", Policy=json.dumps(ALLOW_ALL))
    assert error["Message"] == "Cannot call GetFederationToken with session credentials"


def test_targeted_request_is_invisible_to_other_accounts_h13(clients: dict[str, Any]) -> None:
    """§H.11 (IAMAPI AssociateDelegationRequest, GetDelegationRequest): a request naming an owner account can be
    seen and associated only from that account."""
    request_id = create(clients["partner"])
    expected = f"Delegation request {request_id} cannot be found."
    for call in (clients["other"].get_delegation_request, clients["other"].associate_delegation_request):
        error = error_of(call, DelegationRequestId=request_id)
        assert (error["Code"], error["Message"]) == ("NoSuchEntity", expected)
    assert state(clients["partner"], request_id) == "UNASSIGNED"


def test_untargeted_request_is_associated_by_any_account_h13(clients: dict[str, Any]) -> None:
    """§H.11 (IAMAPI AssociateDelegationRequest): without OwnerAccountId any account may associate the request,
    and its account becomes the owner account; the partner cannot own its own request."""
    request_id = create(clients["partner"], OwnerAccountId=None)
    assert error_of(clients["partner"].associate_delegation_request, DelegationRequestId=request_id)["Code"] == (
        "NoSuchEntity"
    )
    clients["other"].associate_delegation_request(DelegationRequestId=request_id)
    request = clients["other"].get_delegation_request(DelegationRequestId=request_id)["DelegationRequest"]
    assert (request["OwnerAccountId"], request["OwnerId"]) == (OTHER, f"arn:aws:iam::{OTHER}:root")
    # Now owned elsewhere: the customer's account no longer sees it.
    assert error_of(clients["customer"].get_delegation_request, DelegationRequestId=request_id)["Code"] == (
        "NoSuchEntity"
    )


OPEN = "ASSIGNED or PENDING_APPROVAL"
OPEN_OR_ACCEPTED = f"{OPEN} or ACCEPTED"


@pytest.mark.parametrize(
    ("steps", "operation", "code", "current", "wanted"),
    [
        ((), "accept_delegation_request", "ConcurrentModification", "UNASSIGNED", OPEN),
        ((), "send_delegation_token", "InvalidInput", "UNASSIGNED", "ACCEPTED"),
        (("associate",), "associate_delegation_request", "InvalidInput", "ASSIGNED", "UNASSIGNED"),
        (("associate",), "send_delegation_token", "InvalidInput", "ASSIGNED", "ACCEPTED"),
        (("associate", "accept"), "update_delegation_request", "InvalidInput", "ACCEPTED", OPEN),
        (("associate", "reject"), "accept_delegation_request", "ConcurrentModification", "REJECTED", OPEN),
        (("associate", "reject"), "update_delegation_request", "InvalidInput", "REJECTED", OPEN),
        (("associate", "accept", "send"), "reject_delegation_request", "InvalidInput", "FINALIZED", OPEN_OR_ACCEPTED),
        (("associate", "accept", "send"), "send_delegation_token", "InvalidInput", "FINALIZED", "ACCEPTED"),
    ],
)  # fmt: skip
def test_invalid_transitions_are_refused_h13(
    clients: dict[str, Any], steps: tuple[str, ...], operation: str, code: str, current: str, wanted: str
) -> None:
    """§H.11 (IAMAPI RejectDelegationRequest: "cannot be accepted or updated later"; SendDelegationToken: "must be
    in the ACCEPTED state", FINALIZED "cannot be rolled back"): each refused transition leaves the state as it was."""
    admin = clients["admin"]
    request_id = create(clients["partner"])
    verbs = {
        "associate": admin.associate_delegation_request,
        "accept": admin.accept_delegation_request,
        "reject": admin.reject_delegation_request,
        "send": admin.send_delegation_token,
    }
    for step in steps:
        verbs[step](DelegationRequestId=request_id)
    error = error_of(getattr(admin, operation), DelegationRequestId=request_id)
    operation_name = "".join(word.capitalize() for word in operation.split("_"))
    assert error["Code"] == code
    assert error["Message"] == (
        f"Delegation request {request_id} is in state {current}; {operation_name} needs it in state {wanted}."
    )
    assert state(clients["partner"], request_id) == current


def test_accepted_request_may_still_be_rejected_h13(clients: dict[str, Any], clock: ManualClock) -> None:
    """§H.11 (IAMAPI AcceptDelegationRequest: "An accepted request may be rejected before the exchange token is
    sent"; RejectDelegationRequest: rejected requests expire after 7 days)."""
    admin = clients["admin"]
    request_id = create(clients["partner"])
    admin.associate_delegation_request(DelegationRequestId=request_id)
    admin.accept_delegation_request(DelegationRequestId=request_id)
    clock.advance(timedelta(days=1))
    admin.reject_delegation_request(DelegationRequestId=request_id, Notes="Not needed any more")
    request = admin.get_delegation_request(DelegationRequestId=request_id)["DelegationRequest"]
    assert (request["State"], request["RejectionReason"]) == ("REJECTED", "Not needed any more")
    assert request["ExpirationTime"] - request["UpdatedTime"] == timedelta(days=7)
    clock.advance(timedelta(days=7))
    assert state(admin, request_id) == "EXPIRED"


def test_unassigned_request_expires_h13(clients: dict[str, Any], clock: ManualClock) -> None:
    """§H.11 (UG request lifecycle: "Expired: request expired due to inactivity"; the 7-day wait is iamsim's
    judgment): an expired request reads EXPIRED and refuses every transition."""
    request_id = create(clients["partner"])
    clock.advance(timedelta(days=7))
    assert state(clients["partner"], request_id) == "EXPIRED"
    error = error_of(clients["admin"].associate_delegation_request, DelegationRequestId=request_id)
    assert (error["Code"], error["Message"]) == (
        "InvalidInput",
        f"Delegation request {request_id} is in state EXPIRED; AssociateDelegationRequest needs it in state "
        "UNASSIGNED.",
    )


def test_trade_in_token_expires_with_the_delegation_period_h13(
    clients: dict[str, Any], world: Simulator, clock: ManualClock
) -> None:
    """§H.11 (UG: the delegation period "begins when the request reaches Finalized state"; STS
    GetDelegatedAccessToken: ExpiredTradeInTokenException): after SessionDuration the token is refused."""
    request_id, token = finalized(clients, world)
    clock.advance(899)
    assert clients["partner_sts"].get_delegated_access_token(TradeInToken=token)["Credentials"]
    clock.advance(1)
    error = error_of(clients["partner_sts"].get_delegated_access_token, TradeInToken=token)
    assert (error["Code"], error["Message"]) == ("ExpiredTradeInTokenException", "The trade-in token has expired.")
    assert state(clients["admin"], request_id) == "EXPIRED"


def test_only_the_requesting_partner_can_trade_a_token_h13(clients: dict[str, Any], world: Simulator) -> None:
    """§H.11 (judgment, STS GetDelegatedAccessToken: the token "must be valid"): a token of another partner's
    request, or no request's, is not valid."""
    _, token = finalized(clients, world)
    for sts, given in ((clients["other_sts"], token), (clients["partner_sts"], "not-a-token-at-all")):
        error = error_of(sts.get_delegated_access_token, TradeInToken=given)
        assert (error["Code"], error["Message"]) == ("ValidationError", "The trade-in token is not valid.")


def test_only_send_by_owner_h13(clients: dict[str, Any]) -> None:
    """§H.11 (IAMAPI CreateDelegationRequest OnlySendByOwner: "prevents any party other than the owner from calling
    SendDelegationToken")."""
    request_id = create(clients["partner"], OnlySendByOwner=True)
    admin, root = clients["admin"], clients["customer"]
    admin.associate_delegation_request(DelegationRequestId=request_id)
    root.accept_delegation_request(DelegationRequestId=request_id)
    error = error_of(root.send_delegation_token, DelegationRequestId=request_id)
    assert error["Code"] == "AccessDenied"
    assert state(admin, request_id) == "ACCEPTED"
    admin.send_delegation_token(DelegationRequestId=request_id)
    assert state(admin, request_id) == "FINALIZED"


def test_create_refuses_bad_input_h13(clients: dict[str, Any]) -> None:
    """§H.11 (IAMAPI CreateDelegationRequest): an unregistered template, a channel that is not an SNS topic ARN, a
    reused workflow id, a SessionDuration outside 300..43200; nothing is created by a refused call."""
    partner = clients["partner"]
    create(partner)
    unknown = f"arn:aws:iam::{PARTNER}:policy-template/unknown"
    queue = f"arn:aws:sqs:us-east-1:{PARTNER}:tokens"
    refusals = [
        (
            {"Permissions": {"PolicyTemplateArn": unknown}},
            "InvalidInput",
            f"Policy template {unknown} is not registered for account {PARTNER}.",
        ),
        ({"NotificationChannel": queue}, "InvalidInput", f"NotificationChannel {queue} is not an SNS topic ARN."),
        (
            {"RequestorWorkflowId": "workflow-0001"},
            "EntityAlreadyExists",
            "A delegation request with requestor workflow id workflow-0001 already exists.",
        ),
        (
            {"SessionDuration": 43201},
            "ValidationError",
            "1 validation error detected: Value '43201' at 'sessionDuration' failed to satisfy constraint: "
            "Member must have value less than or equal to 43200",
        ),
    ]
    for overrides, code, message in refusals:
        params = request_params(**{"RequestorWorkflowId": "workflow-0002", **overrides})
        error = error_of(partner.create_delegation_request, **params)
        assert (error["Code"], error["Message"]) == (code, message)
    assert len(partner.list_delegation_requests()["DelegationRequests"]) == 1


def test_unknown_request_h13(clients: dict[str, Any]) -> None:
    """§H.11: every operation on a request id that does not exist is NoSuchEntity."""
    missing = "dr-00000000-0000-0000-0000-000000000000"
    for name in (
        "get_delegation_request",
        "associate_delegation_request",
        "update_delegation_request",
        "accept_delegation_request",
        "reject_delegation_request",
        "send_delegation_token",
    ):
        error = error_of(getattr(clients["admin"], name), DelegationRequestId=missing)
        assert (error["Code"], error["Message"]) == ("NoSuchEntity", f"Delegation request {missing} cannot be found.")


def test_list_shows_owned_requests_only_h13(clients: dict[str, Any]) -> None:
    """§H.11 (IAMAPI ListDelegationRequests: a request with no owner "will not be part of the output" even when
    assigned to the account; OwnerId filters)."""
    partner, admin, root = clients["partner"], clients["admin"], clients["customer"]
    first = create(partner)
    second = create(partner, RequestorWorkflowId="workflow-0002")
    assert root.list_delegation_requests()["DelegationRequests"] == []
    admin.associate_delegation_request(DelegationRequestId=first)
    root.associate_delegation_request(DelegationRequestId=second)
    listed = [r["DelegationRequestId"] for r in root.list_delegation_requests()["DelegationRequests"]]
    assert sorted(listed) == sorted([first, second])
    owned = root.list_delegation_requests(OwnerId=f"arn:aws:iam::{ACCOUNT}:user/admin")["DelegationRequests"]
    assert [r["DelegationRequestId"] for r in owned] == [first]
    assert clients["other"].list_delegation_requests()["DelegationRequests"] == []
    assert len(partner.list_delegation_requests()["DelegationRequests"]) == 2
    # Marker/MaxItems page the list; the model spells the flag isTruncated.
    head = root.list_delegation_requests(MaxItems=1)
    assert (len(head["DelegationRequests"]), head["isTruncated"]) == (1, True)
    tail = root.list_delegation_requests(MaxItems=1, Marker=head["Marker"])
    assert (len(tail["DelegationRequests"]), tail["isTruncated"]) == (1, False)
    assert {r["DelegationRequestId"] for r in (*head["DelegationRequests"], *tail["DelegationRequests"])} == {
        first,
        second,
    }


def test_each_call_is_authorized_on_the_request_arn_h13(clients: dict[str, Any], world: Simulator) -> None:
    """§H.11 (Service Authorization Reference, IAM: delegation-request resource
    arn:${Partition}:iam::${Account}:delegation-request/${DelegationRequestId}; STS GetDelegatedAccessToken on *)."""
    request_id = create(clients["partner"])
    customer = clients["customer"]
    customer.create_user(UserName="reader")
    only_get = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:GetDelegationRequest", "Resource": "*"}],
    }
    customer.put_user_policy(UserName="reader", PolicyName="get", PolicyDocument=json.dumps(only_get))
    key = customer.create_access_key(UserName="reader")["AccessKey"]
    reader = clients["session"](key["AccessKeyId"], key["SecretAccessKey"]).client("iam")
    assert reader.get_delegation_request(DelegationRequestId=request_id)["DelegationRequest"]["State"] == "UNASSIGNED"
    error = error_of(reader.associate_delegation_request, DelegationRequestId=request_id)
    assert error["Code"] == "AccessDenied"
    assert f"arn:aws:iam::{ACCOUNT}:delegation-request/{request_id}" in error["Message"]
    assert "iam:AssociateDelegationRequest" in error["Message"]
    assert state(customer, request_id) == "UNASSIGNED"


def test_partner_needs_sts_permission_to_trade_h13(clients: dict[str, Any], world: Simulator) -> None:
    """§H.11 (Service Authorization Reference, STS: GetDelegatedAccessToken): an identity of the partner without
    sts:GetDelegatedAccessToken is refused before the token is looked at."""
    _, token = finalized(clients, world)
    partner = clients["partner"]
    partner.create_user(UserName="worker")
    key = partner.create_access_key(UserName="worker")["AccessKey"]
    sts = clients["session"](key["AccessKeyId"], key["SecretAccessKey"]).client("sts")
    error = error_of(sts.get_delegated_access_token, TradeInToken=token)
    assert error["Code"] == "AccessDenied"
    assert "sts:GetDelegatedAccessToken" in error["Message"]


def test_requests_survive_a_snapshot_h13(clients: dict[str, Any], world: Simulator, clock: ManualClock) -> None:
    """§I (snapshots): requests and templates round-trip, and a released token still trades after a restore."""
    request_id, token = finalized(clients, world)
    text = world.to_json()
    restored = Simulator.from_json(text, clock=clock)
    assert restored.to_json() == text
    detail = restored.iam.get_delegation_request(request_id, account_id=ACCOUNT).delegation_request
    assert (detail.state, detail.approver_id) == ("FINALIZED", f"arn:aws:iam::{ACCOUNT}:user/admin")
    answer = restored.sts.get_delegated_access_token(restored.root_credentials(PARTNER), token)
    assert answer.assumed_principal == f"arn:aws:iam::{ACCOUNT}:user/admin"


def test_create_carries_the_delegation_condition_keys_h13(clients: dict[str, Any]) -> None:
    """§H.11 (SAR IAM: CreateDelegationRequest's iam:DelegationDuration, iam:NotificationChannel and
    iam:TemplateArn): a partner identity limited by them may create only the requests they allow."""
    partner = clients["partner"]
    partner.create_user(UserName="requester")
    limited = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iam:CreateDelegationRequest",
                "Resource": "*",
                "Condition": {
                    "NumericLessThanEquals": {"iam:DelegationDuration": "3600"},
                    "StringEquals": {"iam:NotificationChannel": TOPIC},
                    "ArnEquals": {"iam:TemplateArn": TEMPLATE},
                },
            }
        ],
    }
    partner.put_user_policy(UserName="requester", PolicyName="limited", PolicyDocument=json.dumps(limited))
    key = partner.create_access_key(UserName="requester")["AccessKey"]
    requester = clients["session"](key["AccessKeyId"], key["SecretAccessKey"]).client("iam")
    create(requester, SessionDuration=3600)
    error = error_of(
        requester.create_delegation_request, **request_params(RequestorWorkflowId="workflow-0002", SessionDuration=3601)
    )
    assert error["Code"] == "AccessDenied"
    assert "iam:CreateDelegationRequest" in error["Message"]


def test_owner_may_get_and_update_without_a_policy_h13(clients: dict[str, Any], world: Simulator) -> None:
    """§H.11 (IAMAPI GetDelegationRequest, UpdateDelegationRequest: once owned, "the owner of the request gets a
    default permission"): an owner with no policy for them may get and update, not accept; a Deny still holds."""
    customer = clients["customer"]
    customer.create_user(UserName="owner")
    associate_only = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:AssociateDelegationRequest", "Resource": "*"}],
    }
    customer.put_user_policy(UserName="owner", PolicyName="associate", PolicyDocument=json.dumps(associate_only))
    key = customer.create_access_key(UserName="owner")["AccessKey"]
    owner = clients["session"](key["AccessKeyId"], key["SecretAccessKey"]).client("iam")
    request_id = create(clients["partner"])
    assert error_of(owner.get_delegation_request, DelegationRequestId=request_id)["Code"] == "AccessDenied"
    owner.associate_delegation_request(DelegationRequestId=request_id)
    assert state(owner, request_id) == "ASSIGNED"
    owner.update_delegation_request(DelegationRequestId=request_id, Notes="For my admin")
    assert state(owner, request_id) == "PENDING_APPROVAL"
    assert error_of(owner.accept_delegation_request, DelegationRequestId=request_id)["Code"] == "AccessDenied"
    deny_get = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "iam:GetDelegationRequest", "Resource": "*"}],
    }
    customer.put_user_policy(UserName="owner", PolicyName="deny", PolicyDocument=json.dumps(deny_get))
    assert error_of(owner.get_delegation_request, DelegationRequestId=request_id)["Code"] == "AccessDenied"
