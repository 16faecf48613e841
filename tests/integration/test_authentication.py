"""Who the caller is, from the SigV4 Authorization header and session token (§G.9)."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from role_world import ACCOUNT, REGION, RoleWorld, client_for

import iamsim.boto3
from iamsim._simulator import Simulator


def _error(caught: pytest.ExceptionInfo[ClientError]) -> dict[str, str]:
    return dict(caught.value.response["Error"])


def test_default_mode_unknown_key_acts_as_root_G9(session: boto3.Session) -> None:
    """§G.9 (iamsim's default mode): a key iamsim never issued is the default account's root user."""
    identity = session.client("sts").get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert identity["UserId"] == ACCOUNT


def test_issued_user_key_resolves_to_user_G9(world: RoleWorld) -> None:
    """§G.9: keys iamsim issued always resolve to their principal, in the default mode too."""
    assert world.sts_as(world.alice).get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/alice"


def test_inactive_key_is_invalid_client_token_G9(world: RoleWorld) -> None:
    """§G.9: an inactive issued key gets InvalidClientTokenId (never falls back to root)."""
    world.session.client("iam").update_access_key(
        UserName="alice", AccessKeyId=world.alice["AccessKeyId"], Status="Inactive"
    )
    with pytest.raises(ClientError) as caught:
        world.sts_as(world.alice).get_caller_identity()
    assert _error(caught)["Code"] == "InvalidClientTokenId"
    assert _error(caught)["Message"] == "The security token included in the request is invalid."


def test_foreign_session_token_in_default_mode_acts_as_root_G9(session: boto3.Session) -> None:
    """§G.9 (default mode): a session token iamsim did not seal is unknown credentials, hence root."""
    foreign = {"AccessKeyId": "ASIAEXAMPLEEXAMPLE12", "SecretAccessKey": "x", "SessionToken": "not-ours"}
    assert client_for(session, "sts", foreign).get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"


class TestStrictMode:
    """Strict mode: only issued credentials, correctly signed."""

    @pytest.fixture
    def strict(self, sim: Simulator) -> boto3.Session:
        session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
        iamsim.boto3.attach(sim, session, strict=True)
        return session

    def test_unknown_key_is_invalid_client_token_G9(self, strict: boto3.Session) -> None:
        """§G.9: an access key iamsim did not issue gets InvalidClientTokenId (403)."""
        with pytest.raises(ClientError) as caught:
            strict.client("sts").get_caller_identity()
        assert _error(caught)["Code"] == "InvalidClientTokenId"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    def test_wrong_secret_is_signature_does_not_match_G9(self, sim: Simulator, strict: boto3.Session) -> None:
        """§G.9: an issued key signed with the wrong secret gets SignatureDoesNotMatch."""
        root = sim.root_credentials()
        wrong = {"AccessKeyId": root.access_key_id, "SecretAccessKey": "not-the-secret"}
        with pytest.raises(ClientError) as caught:
            client_for(strict, "sts", wrong).get_caller_identity()
        assert _error(caught)["Code"] == "SignatureDoesNotMatch"

    def test_issued_keys_work_G9(self, sim: Simulator, strict: boto3.Session) -> None:
        """§G.9: correctly signed issued keys, long-term and temporary, are accepted."""
        root = sim.root_credentials()
        keys = {"AccessKeyId": root.access_key_id, "SecretAccessKey": root.secret_access_key}
        iam = client_for(strict, "iam", keys)
        iam.create_user(UserName="carol")
        carol = iam.create_access_key(UserName="carol")["AccessKey"]
        session_credentials = client_for(strict, "sts", carol).get_session_token()["Credentials"]
        identity = client_for(strict, "sts", session_credentials).get_caller_identity()
        assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/carol"

    def test_tampered_session_token_is_invalid_G9(self, sim: Simulator, strict: boto3.Session) -> None:
        """§G.9: a session token altered after issue is InvalidClientTokenId."""
        root = sim.root_credentials()
        keys = {"AccessKeyId": root.access_key_id, "SecretAccessKey": root.secret_access_key}
        credentials = dict(client_for(strict, "sts", keys).get_session_token()["Credentials"])
        token = credentials["SessionToken"]
        credentials["SessionToken"] = token[:-8] + ("A" if token[-8] != "A" else "B") + token[-7:]
        with pytest.raises(ClientError) as caught:
            client_for(strict, "sts", credentials).get_caller_identity()
        assert _error(caught)["Code"] == "InvalidClientTokenId"
