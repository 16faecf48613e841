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


def _deny_alice(arn: str) -> str:
    statement = {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::123456789012:user/alice"}, "Action": "s3:*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [{**statement, "Resource": arn}]})


def test_nothing_recorded_answers_as_the_caller_policies_alone_F1(sim: Simulator, alice_key: object) -> None:
    """§F.1: with no record in sim.resources the helpers decide as sim.explain does without a resource policy."""
    arn = "arn:aws:s3:::b/k"
    result = assert_allowed(sim, alice_key, "s3:GetObject", arn)
    plain = sim.explain(alice_key, "s3:GetObject", arn)  # type: ignore[arg-type]
    assert (result.decision, result.determining) == (plain.decision, plain.determining)
    assert_allowed(sim, alice_key, "s3:GetObject")  # "*" names no resource to look up


def test_recorded_bucket_policy_decides_and_explicit_arguments_win_F7(sim: Simulator, alice_key: object) -> None:
    """§F.7: a policy given to sim.resources governs the bucket's objects; resource_policy= and context= win."""
    sim.resources.put_policy("arn:aws:s3:::b", _deny_alice("arn:aws:s3:::b/*"))
    arn = "arn:aws:s3:::b/k"
    assert_denied(sim, alice_key, "s3:GetObject", arn, decision="explicitDeny")
    allow_all = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
        }
    )
    assert_allowed(sim, alice_key, "s3:GetObject", arn, resource_policy=allow_all)
    # Tags on the object itself: s3:ExistingObjectTag/<k> (§F.7's tag prefix), replaced by the caller's context.
    arn = "arn:aws:s3:::c/k"
    tagged = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {"StringEquals": {"s3:ExistingObjectTag/secret": "yes"}},
    }
    sim.resources.put_policy("arn:aws:s3:::c", json.dumps({"Version": "2012-10-17", "Statement": [tagged]}))
    sim.resources.tag(arn, {"secret": "yes"})
    assert_denied(sim, alice_key, "s3:GetObject", arn, decision="explicitDeny")
    assert_allowed(sim, alice_key, "s3:GetObject", arn, context={"s3:ExistingObjectTag/secret": "no"})


def test_recorded_owner_is_the_resource_account_unless_given_F3(sim: Simulator, alice_key: object) -> None:
    """§F.3: a bucket recorded as another account's needs its own policy's allow; resource_account= wins.

    AWS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
    """
    sim.resources.set_owner("arn:aws:s3:::b", "444455556666")
    result = assert_denied(sim, alice_key, "s3:GetObject", "arn:aws:s3:::b", decision="implicitDeny")
    assert result.request.resource_account == "444455556666"
    given = assert_allowed(sim, alice_key, "s3:GetObject", "arn:aws:s3:::b", resource_account="123456789012")
    assert given.request.resource_account == "123456789012"
