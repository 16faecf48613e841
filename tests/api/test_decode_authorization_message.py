"""DecodeAuthorizationMessage through boto3: EC2 denials carry an encoded message, STS decodes it (spec §G.8).

AWS sources: STS API Reference "DecodeAuthorizationMessage" (the decoded JSON's members, the
permission it needs, InvalidAuthorizationMessageException); EC2's UnauthorizedOperation error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

import iamsim.boto3
from iamsim._simulator import Simulator
from iamsim.errors import InvalidAuthorizationMessageError, UnauthorizedOperationError

ACCOUNT = "123456789012"
RUN = {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}
DECODE = {"Effect": "Allow", "Action": "sts:DecodeAuthorizationMessage", "Resource": "*"}


def policy(*statements: dict[str, Any]) -> str:
    """A policy document with ``statements``."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture
def sim() -> Simulator:
    """A fresh simulator."""
    return Simulator(account_id=ACCOUNT)


@pytest.fixture
def session(sim: Simulator) -> Iterator[boto3.Session]:
    """A boto3 session served by ``sim``; each client signs as the user it is made for."""
    session = boto3.Session(region_name="us-east-1")
    with iamsim.boto3.attach(sim, session):
        yield session


def user_with(sim: Simulator, session: boto3.Session, name: str, *statements: dict[str, Any]) -> tuple[Any, Any]:
    """A user allowed ``statements``: its key (for sim.ec2) and an STS client signing as it."""
    sim.create_user(name)
    sim.put_user_policy(name, "p", policy(*statements))
    key = sim.create_access_key(name)
    client = session.client("sts", aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key)
    return key, client


def denied_message(sim: Simulator, key: Any) -> str:
    """The encoded message of an EC2 TerminateInstances denial."""
    instance = sim.run_instance(caller=key)
    with pytest.raises(UnauthorizedOperationError) as denied:
        sim.terminate_instance(instance, caller=key)
    assert denied.value.code == "UnauthorizedOperation"
    assert denied.value.message.endswith(f"Encoded authorization failure message: {denied.value.encoded_message}")
    return denied.value.encoded_message


def test_ec2_denial_decodes_to_awss_json_G8(sim: Simulator, session: boto3.Session) -> None:
    """§G.8: allowed, explicitDeny, matchedStatements, failures and the request context."""
    key, sts = user_with(sim, session, "dev", RUN, DECODE)
    encoded = denied_message(sim, key)
    decoded = json.loads(sts.decode_authorization_message(EncodedMessage=encoded)["DecodedMessage"])
    assert decoded["allowed"] is False
    assert decoded["explicitDeny"] is False
    assert decoded["matchedStatements"] == {"items": []}
    assert decoded["failures"] == {"items": []}
    context = decoded["context"]
    assert context["principal"]["arn"] == f"arn:aws:iam::{ACCOUNT}:user/dev"
    assert context["principal"]["name"] == "dev"
    assert context["principal"]["id"].startswith("AIDA")
    assert context["action"] == "ec2:TerminateInstances"
    assert context["resource"].startswith(f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/")


def test_explicit_deny_names_the_statement_G8(sim: Simulator, session: boto3.Session) -> None:
    """§G.8: an explicit deny is reported with the statement that matched."""
    deny = {"Sid": "NoTerminate", "Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"}
    key, sts = user_with(sim, session, "dev", RUN, DECODE, deny)
    decoded = json.loads(sts.decode_authorization_message(EncodedMessage=denied_message(sim, key))["DecodedMessage"])
    assert decoded["explicitDeny"] is True
    assert [(s["statementId"], s["effect"]) for s in decoded["matchedStatements"]["items"]] == [("NoTerminate", "DENY")]


def test_decoding_needs_the_permission_G8(sim: Simulator, session: boto3.Session) -> None:
    """§G.8: without sts:DecodeAuthorizationMessage the caller gets AccessDenied."""
    key, sts = user_with(sim, session, "dev", RUN)
    encoded = denied_message(sim, key)
    with pytest.raises(ClientError) as caught:
        sts.decode_authorization_message(EncodedMessage=encoded)
    assert caught.value.response["Error"]["Code"] == "AccessDenied"


def test_forged_or_altered_message_is_invalid_G8(sim: Simulator, session: boto3.Session) -> None:
    """§G.8: a message STS did not encode, or one changed by a character, is InvalidAuthorizationMessageException."""
    key, sts = user_with(sim, session, "dev", RUN, DECODE)
    encoded = denied_message(sim, key)
    altered = encoded[:10] + ("A" if encoded[10] != "A" else "B") + encoded[11:]
    for bad in ("not-a-message", altered, sim.root_credentials().secret_access_key):
        with pytest.raises(ClientError) as caught:
            sts.decode_authorization_message(EncodedMessage=bad)
        assert caught.value.response["Error"]["Code"] == "InvalidAuthorizationMessageException"


def test_another_accounts_principal_cannot_decode_G8(sim: Simulator, session: boto3.Session) -> None:
    """§G.8: the message is decoded in the account whose request was denied, not in another."""
    key, _ = user_with(sim, session, "dev", RUN)
    encoded = denied_message(sim, key)
    sim.add_account("210987654321")
    sim.create_user("outsider", account_id="210987654321")
    sim.put_user_policy("outsider", "p", policy(DECODE), account_id="210987654321")
    outsider = sim.create_access_key("outsider", account_id="210987654321")
    with pytest.raises(InvalidAuthorizationMessageError):
        sim.decode_authorization_message(outsider, encoded)
