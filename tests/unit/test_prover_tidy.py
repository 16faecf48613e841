"""Readable witnesses (issue 15): real action names, example ARNs, an example caller, each still verified.

Spec §B.1 (actions match case-insensitively, so the service reference's
spelling is the same action) and §B.2 (the example ARN must still match the
policy's Resource); a tidy value the constraints refuse is not shown.
"""

from __future__ import annotations

import json
from typing import Any

import iamsim
from iamsim import Budget, Verdict, parse_policy
from iamsim._policy.catalog import ServiceCatalog

BUDGET = Budget(seconds=20, witnesses=1)


def _policy(statements: list[dict[str, Any]]) -> iamsim.Policy:
    return parse_policy(json.dumps({"Version": "2012-10-17", "Statement": statements}), kind="identity")


NOTHING = _policy([{"Effect": "Deny", "Action": "*", "Resource": "*"}])


def test_a_wildcard_grant_is_shown_with_a_real_action_and_an_example_arn() -> None:
    """§B.1/§B.2: ``s3:*`` on ``*`` is witnessed by an S3 action the service reference names and its example ARN."""
    result = iamsim.check_no_new_access(NOTHING, _policy([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]))
    assert result.verdict is Verdict.FAIL
    witness = result.witnesses[0]
    assert ServiceCatalog.load().action(witness.action) is not None
    assert witness.action.split(":")[1][0].isupper()  # the reference's spelling, not the casefolded form
    assert witness.resource == "*" or "example-" in witness.resource
    assert witness.principal.endswith("/example")


def test_a_tidy_value_the_policy_refuses_is_not_used() -> None:
    """§B.2: when only a made-up resource satisfies NotResource, the witness keeps a resource the policy allows."""
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::example-*"}
    new = _policy([statement])
    result = iamsim.check_no_new_access(NOTHING, new, budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    witness = result.witnesses[0]
    assert witness.action == "s3:GetObject"
    assert not witness.resource.startswith("arn:aws:s3:::example-")
    assert iamsim.evaluate(witness.principal, witness.action, witness.resource, identity=[new]).allowed
