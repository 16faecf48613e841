"""iamsim.testing outside pytest's machinery: plain AssertionErrors with the explanation (§F.1)."""

from __future__ import annotations

import json

import pytest

from iamsim._simulator import Simulator
from iamsim.testing import assert_allowed, assert_denied


@pytest.fixture
def alice_key(sim: Simulator) -> object:
    sim.create_user("alice")
    sim.put_user_policy(
        "alice",
        "mixed",
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                    {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
                ],
            }
        ),
    )
    return sim.create_access_key("alice")


def test_assert_allowed_returns_the_result_F1(sim: Simulator, alice_key: object) -> None:
    """§F.1: an allowed request passes and hands back the explained result."""
    result = assert_allowed(sim, alice_key, "s3:GetObject", "arn:aws:s3:::b/k")
    assert result.explanation is not None


def test_assert_denied_pins_the_kind_of_deny_F1(sim: Simulator, alice_key: object) -> None:
    """§F.1: explicit deny wins; asking for implicitDeny fails with the deciding statement named."""
    assert_denied(sim, alice_key, "s3:DeleteObject", "arn:aws:s3:::b/k", decision="explicitDeny")
    with pytest.raises(AssertionError) as caught:
        assert_denied(sim, alice_key, "s3:DeleteObject", "arn:aws:s3:::b/k", decision="implicitDeny")
    message = str(caught.value)
    assert "to be implicitDeny, got explicitDeny" in message
    assert 'Deny statement 1 (Sid "NoDelete") of identity-based policy "mixed"' in message


def test_assert_denied_fails_for_an_allowed_request_F1(sim: Simulator, alice_key: object) -> None:
    """§F.1: the failure says the request was allowed and by which statement."""
    with pytest.raises(AssertionError, match="to be denied") as caught:
        assert_denied(sim, alice_key, "s3:GetObject")
    assert "determining statements:" in str(caught.value)


def test_boto3_credentials_dict_is_accepted_G1(sim: Simulator, alice_key: object) -> None:
    """§G.1: the Credentials dict boto3 returns can be passed as ``who``."""
    credentials = sim.get_session_token(alice_key)  # type: ignore[arg-type]
    boto_shaped = {
        "AccessKeyId": credentials.access_key_id,
        "SecretAccessKey": credentials.secret_access_key,
        "SessionToken": credentials.session_token,
        "Expiration": credentials.expiration,
    }
    assert_allowed(sim, boto_shaped, "s3:PutObject", "arn:aws:s3:::b/k")
