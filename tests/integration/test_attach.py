"""Attaching and detaching exactly; the process-wide patch; services iamsim does not serve pass through."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from role_world import ACCOUNT, REGION

import iamsim.boto3
from iamsim._simulator import Simulator

_CANNED = (
    b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
    b"<Arn>arn:aws:iam::999999999999:user/canned</Arn><UserId>AIDACANNED</UserId><Account>999999999999</Account>"
    b"</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
    b"</GetCallerIdentityResponse>"
)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


class CannedSts:
    """A before-send handler standing in for the network (or moto): answers every call with one body."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, request: Any, event_name: str, **_: Any) -> AWSResponse:
        self.calls.append(event_name)
        return AWSResponse(request.url, 200, {}, _Raw(_CANNED))


def _keys(sim: Simulator) -> dict[str, str]:
    """boto3 keyword arguments signing with the root key ``sim`` issued (§G.9: only issued keys are accepted)."""
    root = sim.root_credentials()
    return {"aws_access_key_id": root.access_key_id, "aws_secret_access_key": root.secret_access_key}


def _session(sim: Simulator) -> boto3.Session:
    return boto3.Session(region_name=REGION, **_keys(sim))


def test_attach_to_client_then_detach_exactly() -> None:
    """A client attached answers from iamsim; after detach the next handler in line answers again.

    botocore calls every before-send handler and uses the first response; iamsim's comes first.
    """
    sim = Simulator()
    client = _session(sim).client("sts")
    canned = CannedSts()
    client.meta.events.register("before-send", canned)
    attachment = iamsim.boto3.attach(sim, client)
    assert client.get_caller_identity()["Account"] == ACCOUNT
    attachment.detach()
    assert client.get_caller_identity()["Account"] == "999999999999"
    attachment.detach()  # idempotent


def test_attach_to_session_serves_clients_made_afterwards() -> None:
    """Clients copy their session's handlers when created."""
    sim = Simulator(account_id="111122223333")
    session = _session(sim)
    with iamsim.boto3.attach(sim, session) as attachment:
        assert attachment.attached
        assert session.client("sts").get_caller_identity()["Account"] == "111122223333"
    assert not attachment.attached


def test_other_services_pass_through_without_enforcement() -> None:
    """With enforce=False, a request for a service iamsim does not emulate reaches the next handler untouched.

    (With enforcement, the default, it is authorized first: tests/enforce/.)"""
    # Keys iamsim never issued: with enforcement off, nothing checks them for SQS.
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    seen: list[str] = []

    def recorder(request: Any, event_name: str, **_: Any) -> AWSResponse:
        seen.append(event_name)
        return AWSResponse(request.url, 200, {}, _Raw(b"<ListQueuesResponse><ListQueuesResult/></ListQueuesResponse>"))

    with iamsim.boto3.attach(Simulator(), session, enforce=False):
        sqs = session.client("sqs")
        sqs.meta.events.register("before-send", recorder)
        sqs.list_queues()
    assert seen == ["before-send.sqs.ListQueues"]


def test_patch_is_a_context_manager_for_clients_created_inside() -> None:
    """patch() serves clients code builds itself, and only while active."""
    sim = Simulator(account_id="210987654321")
    with iamsim.boto3.patch(sim) as patched:
        assert patched is sim
        client = boto3.client("sts", region_name=REGION, **_keys(sim))
        assert client.get_caller_identity()["Account"] == "210987654321"
    canned = CannedSts()
    client.meta.events.register("before-send", canned)
    assert client.get_caller_identity()["Account"] == "999999999999"


def test_patch_is_a_decorator() -> None:
    """@patch(sim) wraps a function the same way."""
    sim = Simulator(account_id="210987654321")

    keys = _keys(sim)

    @iamsim.boto3.patch(sim)
    def who_am_i() -> str:
        client = boto3.client("sts", region_name=REGION, **keys)
        return str(client.get_caller_identity()["Account"])

    assert who_am_i() == "210987654321"


def test_attach_rejects_other_objects() -> None:
    """Only sessions and clients can be attached to."""
    with pytest.raises(iamsim.errors.IamSimError, match="cannot attach"):
        iamsim.boto3.attach(Simulator(), object())


@pytest.mark.parametrize(
    "make",
    [
        lambda sim, options: iamsim.boto3.attach(sim, boto3.Session(region_name=REGION), **options),
        lambda sim, options: iamsim.boto3.patch(sim, **options),
        lambda sim, options: iamsim.boto3.BotocoreHook(sim, **options),
    ],
    ids=["attach", "patch", "BotocoreHook"],
)
def test_a_misspelt_option_is_refused_not_ignored(make: Any) -> None:
    """``allow_unmaped=True`` must not silently leave the safe default in place: UsageError names it."""
    with pytest.raises(iamsim.errors.UsageError, match=r"unknown option.*allow_unmaped"):
        make(Simulator(), {"allow_unmaped": True})
