"""Absurd and unusual condition values through the public API and boto3: AWS's error, never a raw exception (§C.2).

The value grammar is iamsim._policy.values; AWS pages: Condition operators
(docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
and Supported data types (.../reference_policies_elements_datatypes.html).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from role_world import ACCOUNT

from iamsim import validate_policy
from iamsim._simulator import Simulator
from iamsim.errors import MalformedPolicyDocumentError, NoSuchEntityError

#: Epoch seconds of 4,301 digits: past Python's int-string limit and any 64-bit integer.
_HUGE = "1" * 4301


def _policy(operator: str, key: str, value: str) -> str:
    statement = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {operator: {key: value}}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def test_create_policy_refuses_an_absurd_date_and_stores_nothing_c2(sim: Simulator) -> None:
    """§C.2, §A.6: a 4,301-digit Date value is no date; CreatePolicy refuses it in IAM's words and leaves
    no policy behind, while the linter names operator, key and statement."""
    document = _policy("DateGreaterThan", "aws:CurrentTime", _HUGE)
    with pytest.raises(MalformedPolicyDocumentError) as caught:
        sim.create_policy("huge", document)
    assert caught.value.message == "The policy failed legacy parsing"
    with pytest.raises(NoSuchEntityError):
        sim.get_policy(f"arn:aws:iam::{ACCOUNT}:policy/huge")
    (finding,) = validate_policy(document).errors
    assert "(4301 characters) for operator DateGreaterThan and key aws:CurrentTime in statement 1" in finding.message
    assert len(finding.message) < 200


def test_absurd_request_values_do_not_match_and_raise_nothing_c2(sim: Simulator) -> None:
    """§C.2: request values of absurd length are not dates or numbers, so the conditions do not match;
    '.5' in the policy equals '0.5' in the request."""
    for name in ("alice", "bob"):
        sim.create_user(name)
    alice, bob = sim.create_access_key("alice"), sim.create_access_key("bob")
    # Read as epoch seconds the huge value would be after 2020; read as no date it matches nothing.
    sim.attach_user_policy(
        "alice", sim.create_policy("date", _policy("DateGreaterThan", "aws:CurrentTime", "2020")).arn
    )
    sim.attach_user_policy("bob", sim.create_policy("number", _policy("NumericEquals", "s3:max-keys", ".5")).arn)
    resource = "arn:aws:s3:::reports"
    assert not sim.is_allowed(alice, "s3:ListBucket", resource, context={"aws:CurrentTime": _HUGE})
    assert not sim.is_allowed(bob, "s3:ListBucket", resource, context={"s3:max-keys": _HUGE})
    assert sim.is_allowed(bob, "s3:ListBucket", resource, context={"s3:max-keys": "0.5"})


@pytest.fixture
def iam(session: boto3.Session) -> Any:
    """An IAM client signing as the default account's root user."""
    return session.client("iam")


def test_boto3_create_policy_gets_malformed_policy_document_c2(iam: Any) -> None:
    """§C.2 through boto3: the 4,301-digit date is a MalformedPolicyDocument error response, not a server fault."""
    with pytest.raises(ClientError) as caught:
        iam.create_policy(PolicyName="huge", PolicyDocument=_policy("DateEquals", "aws:CurrentTime", _HUGE))
    error = caught.value.response["Error"]
    assert error["Code"] == "MalformedPolicyDocument"
    assert error["Message"] == "The policy failed legacy parsing"  # IAM's words (§A.6)
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_boto3_simulation_with_absurd_context_values_c2(iam: Any) -> None:
    """§C.2 through boto3: SimulateCustomPolicy with a 4,301-digit date or number in the context is an
    implicit deny, and a '.5' policy value matches the request's '0.5'."""
    date_policy = _policy("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z")
    number_policy = _policy("NumericEquals", "s3:max-keys", ".5")

    def decide(policy: str, key: str, key_type: str, value: str) -> str:
        result = iam.simulate_custom_policy(
            PolicyInputList=[policy],
            ActionNames=["s3:ListBucket"],
            ContextEntries=[{"ContextKeyName": key, "ContextKeyValues": [value], "ContextKeyType": key_type}],
        )
        return str(result["EvaluationResults"][0]["EvalDecision"])

    assert decide(date_policy, "aws:CurrentTime", "string", _HUGE) == "implicitDeny"
    assert decide(number_policy, "s3:max-keys", "string", _HUGE) == "implicitDeny"
    assert decide(number_policy, "s3:max-keys", "numeric", "0.5") == "allowed"
