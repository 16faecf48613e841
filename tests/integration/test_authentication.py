"""Who the caller is, from the SigV4 Authorization header and session token (§G.9).

Every credential failure, through unchanged boto3 code, in each mode: the default, the
same mode asked for explicitly (``unknown_keys_act_as_root=False``) and the opt-in
(``unknown_keys_act_as_root=True``). Only keys the simulator never issued differ between
them; every other failure is AWS's error in all three, and a rejected call acts as nobody
(no state changes). AWS's words: spec §G.9, and
https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from role_world import ACCOUNT, REGION, client_for, root_session

import iamsim.boto3
from iamsim import ManualClock
from iamsim._simulator import Simulator

INVALID = "The security token included in the request is invalid."
EXPIRED = "The security token included in the request is expired"

MODES = {
    "default": {},
    "explicit-strict": {"unknown_keys_act_as_root": False},
    "opt-in-root": {"unknown_keys_act_as_root": True},
}


@pytest.fixture(params=list(MODES))
def mode(request: pytest.FixtureRequest) -> str:
    """The name of the authentication mode under test."""
    return str(request.param)


@pytest.fixture
def authed(sim: Simulator, mode: str) -> Any:
    """A session signed with the root key ``sim`` issued, attached in ``mode``."""
    session = root_session(sim)
    with iamsim.boto3.attach(sim, session, **MODES[mode]):
        yield session


def _error(caught: pytest.ExceptionInfo[ClientError]) -> dict[str, str]:
    return dict(caught.value.response["Error"])


def _rejected(client: Any, code: str, message: str | None = None, **call: Any) -> None:
    """Calling CreateUser (or GetCallerIdentity without kwargs) fails with ``code``, and with HTTP 403."""
    operation = (lambda: client.create_user(**call)) if call else client.get_caller_identity
    with pytest.raises(ClientError) as caught:
        operation()
    assert _error(caught)["Code"] == code
    if message is not None:
        assert _error(caught)["Message"] == message
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def _user_keys(session: boto3.Session, name: str) -> dict[str, Any]:
    iam = session.client("iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(
        UserName=name,
        PolicyName="all",
        PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    )
    return dict(iam.create_access_key(UserName=name)["AccessKey"])


def _session_credentials(session: boto3.Session, keys: dict[str, Any]) -> dict[str, Any]:
    return dict(client_for(session, "sts", keys).get_session_token()["Credentials"])


def test_issued_keys_resolve_to_their_principal_in_every_mode_G9(sim: Simulator, authed: boto3.Session) -> None:
    """§G.9: correctly signed issued keys, long-term and temporary, act as their principal."""
    assert authed.client("sts").get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    carol = _user_keys(authed, "carol")
    assert client_for(authed, "sts", carol).get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/carol"
    temporary = _session_credentials(authed, carol)
    assert client_for(authed, "sts", temporary).get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/carol"


def test_tampered_session_token_is_invalid_client_token_id_G9(sim: Simulator, authed: boto3.Session) -> None:
    """§G.9: a session token altered after issue is InvalidClientTokenId (never root), and acts as nobody."""
    credentials = _session_credentials(authed, _user_keys(authed, "carol"))
    token = credentials["SessionToken"]
    credentials["SessionToken"] = token[:-8] + ("A" if token[-8] != "A" else "B") + token[-7:]
    _rejected(client_for(authed, "sts", credentials), "InvalidClientTokenId", INVALID)
    _rejected(client_for(authed, "iam", credentials), "InvalidClientTokenId", INVALID, UserName="mallory")
    assert [u.name for u in sim.list_users()] == ["carol"]


def test_foreign_session_token_is_invalid_client_token_id_G9(authed: boto3.Session) -> None:
    """§G.9: a session token the simulator did not seal is InvalidClientTokenId in every mode."""
    foreign = {"AccessKeyId": "ASIAEXAMPLEEXAMPLE12", "SecretAccessKey": "x", "SessionToken": "not-ours"}
    _rejected(client_for(authed, "sts", foreign), "InvalidClientTokenId", INVALID)
    # A foreign token on a long-term-looking key id is no better.
    foreign["AccessKeyId"] = "AKIAEXAMPLEEXAMPLE12"
    _rejected(client_for(authed, "sts", foreign), "InvalidClientTokenId", INVALID)


def test_session_token_of_another_key_is_invalid_client_token_id_G9(authed: boto3.Session) -> None:
    """§G.9: a genuine session token presented with another access key id does not belong to it."""
    first = _session_credentials(authed, _user_keys(authed, "carol"))
    second = _session_credentials(authed, _user_keys(authed, "dave"))
    swapped = {**first, "SessionToken": second["SessionToken"]}
    _rejected(client_for(authed, "sts", swapped), "InvalidClientTokenId", INVALID)


def test_temporary_key_without_its_token_is_invalid_client_token_id_G9(sim: Simulator, authed: boto3.Session) -> None:
    """§G.9/§H.1: an ASIA key sent without its session token is InvalidClientTokenId, never root."""
    credentials = _session_credentials(authed, _user_keys(authed, "carol"))
    del credentials["SessionToken"]
    _rejected(client_for(authed, "sts", credentials), "InvalidClientTokenId", INVALID)
    _rejected(client_for(authed, "iam", credentials), "InvalidClientTokenId", INVALID, UserName="mallory")
    assert [u.name for u in sim.list_users()] == ["carol"]


def test_deleted_key_is_invalid_client_token_id_and_creates_nothing_G9(sim: Simulator, authed: boto3.Session) -> None:
    """§G.9: a key iamsim issued and then deleted is InvalidClientTokenId in every mode (the opt-in included:
    the simulator remembers the ids of keys it deleted), and CreateUser with it creates no user."""
    carol = _user_keys(authed, "carol")
    authed.client("iam").delete_access_key(UserName="carol", AccessKeyId=carol["AccessKeyId"])
    _rejected(client_for(authed, "iam", carol), "InvalidClientTokenId", INVALID, UserName="mallory")
    _rejected(client_for(authed, "sts", carol), "InvalidClientTokenId", INVALID)
    assert [u.name for u in sim.list_users()] == ["carol"]


def test_deleted_key_stays_invalid_in_a_simulator_restored_from_a_snapshot_G9(sim: Simulator, mode: str) -> None:
    """§G.9: the ids of deleted keys travel in the snapshot, so a restored simulator refuses them in every
    mode too (the opt-in would otherwise take a key it never saw for an unknown one and act as root)."""
    sim.create_user("carol")
    key = sim.create_access_key("carol")
    carol = {"AccessKeyId": key.access_key_id, "SecretAccessKey": key.secret_access_key}
    sim.delete_access_key("carol", key.access_key_id)
    restored = Simulator.from_json(sim.to_json())
    session = root_session(restored)
    with iamsim.boto3.attach(restored, session, **MODES[mode]):
        _rejected(client_for(session, "iam", carol), "InvalidClientTokenId", INVALID, UserName="mallory")
    assert [u.name for u in restored.list_users()] == ["carol"]


def test_deleted_root_key_is_invalid_client_token_id_G9(sim: Simulator, authed: boto3.Session) -> None:
    """§G.9: deleting the root user's own key revokes it too (no fallback to root in any mode)."""
    _user_keys(authed, "carol")
    root = sim.root_credentials()
    keys = {"AccessKeyId": root.access_key_id, "SecretAccessKey": root.secret_access_key}
    authed.client("iam").delete_access_key(AccessKeyId=root.access_key_id)
    _rejected(client_for(authed, "iam", keys), "InvalidClientTokenId", INVALID, UserName="mallory")
    assert [u.name for u in sim.list_users()] == ["carol"]


def test_inactive_key_is_invalid_client_token_id_G9(sim: Simulator, authed: boto3.Session) -> None:
    """§G.9: an inactive issued key gets InvalidClientTokenId (never falls back to root)."""
    carol = _user_keys(authed, "carol")
    authed.client("iam").update_access_key(UserName="carol", AccessKeyId=carol["AccessKeyId"], Status="Inactive")
    _rejected(client_for(authed, "sts", carol), "InvalidClientTokenId", INVALID)
    _rejected(client_for(authed, "iam", carol), "InvalidClientTokenId", INVALID, UserName="mallory")
    assert [u.name for u in sim.list_users()] == ["carol"]


def test_expired_session_is_expired_token_G9(sim: Simulator, clock: ManualClock, authed: boto3.Session) -> None:
    """§G.9: from the expiration second on, a session gets ExpiredToken and acts as nobody."""
    credentials = _session_credentials(authed, _user_keys(authed, "carol"))
    clock.advance(12 * 3600)
    _rejected(client_for(authed, "sts", credentials), "ExpiredToken", EXPIRED)
    _rejected(client_for(authed, "iam", credentials), "ExpiredToken", EXPIRED, UserName="mallory")
    assert [u.name for u in sim.list_users()] == ["carol"]


def test_wrong_secret_is_signature_does_not_match_G9(sim: Simulator, authed: boto3.Session) -> None:
    """§G.9: an issued key, long-term or temporary, signed with another secret gets SignatureDoesNotMatch."""
    carol = _user_keys(authed, "carol")
    temporary = _session_credentials(authed, carol)
    for credentials in ({**carol, "SecretAccessKey": "not-the-secret"}, {**temporary, "SecretAccessKey": "x"}):
        _rejected(client_for(authed, "sts", credentials), "SignatureDoesNotMatch")
        _rejected(client_for(authed, "iam", credentials), "SignatureDoesNotMatch", UserName="mallory")
    assert [u.name for u in sim.list_users()] == ["carol"]


def test_unknown_key_is_refused_unless_the_opt_in_makes_it_root_G9(
    sim: Simulator, authed: boto3.Session, mode: str
) -> None:
    """§G.9: a key iamsim never issued is InvalidClientTokenId (AWS's words plus how to sign with the
    simulator's keys); only unknown_keys_act_as_root=True makes it the default account's root user."""
    dummy = {"AccessKeyId": "testing", "SecretAccessKey": "testing"}
    if mode == "opt-in-root":
        identity = client_for(authed, "sts", dummy).get_caller_identity()
        assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
        client_for(authed, "iam", dummy).create_user(UserName="via-dummy")
        assert [u.name for u in sim.list_users()] == ["via-dummy"]
        return
    with pytest.raises(ClientError) as caught:
        client_for(authed, "iam", dummy).create_user(UserName="mallory")
    assert _error(caught)["Code"] == "InvalidClientTokenId"
    message = _error(caught)["Message"]
    assert message.startswith(INVALID)
    assert "sim.root_credentials()" in message
    assert "unknown_keys_act_as_root=True" in message
    assert sim.list_users() == ()


def test_default_session_with_dummy_keys_acts_as_nobody_G9(sim: Simulator) -> None:
    """§G.9: the issue's reproduction: unchanged boto3 code with dummy keys in the default mode."""
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    with iamsim.boto3.attach(sim, session):
        _rejected(session.client("iam"), "InvalidClientTokenId", UserName="mallory")
    assert sim.list_users() == ()
