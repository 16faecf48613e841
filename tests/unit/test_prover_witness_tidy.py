"""Witnesses a user reads: inside the question, not repeated, no junk context (issue 15, docs/dry-run.md `check`).

Found trying the dry-run page's example: three witnesses of which two were the same
request, ``aws:sourceip = ['203.0.241.0', '']`` on a request no condition reads, and,
once tidying preferred unshown actions, an ``access-not-granted --action s3:Get*Acl``
witness for ``s3:GetObject``, an action the question did not ask about. Decisions are
the evaluators' (spec §B.1 actions, §C.2 IpAddress, §F.1 combining).
"""

from __future__ import annotations

import ipaddress

import iamsim
from iamsim import Budget, PolicyKind, Verdict, parse_policy

DEPLOYED = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::company1-logs/*"}],
}
PROPOSED = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*Acl"], "Resource": "arn:aws:s3:::company1-logs/*"},
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::company1-logs",
            "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        },
    ],
}
#: Generous: the machine running the tests may be loaded; the answers come in about a second on a quiet one.
BUDGET = Budget(seconds=120)


def _identity(document: dict[str, object]) -> iamsim.Policy:
    return parse_policy(document, PolicyKind.IDENTITY)


def test_access_not_granted_witnesses_stay_inside_the_asked_actions() -> None:
    """§B.1: every witness action matches the asked pattern s3:Get*Acl (s3:GetObject is allowed, but not asked)."""
    result = iamsim.check_access_not_granted(_identity(PROPOSED), ["s3:Get*Acl"], budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    for witness in result.witnesses:
        action = witness.action.casefold()
        assert action.startswith("s3:get"), witness
        assert action.endswith("acl"), witness


def test_access_not_granted_witnesses_stay_inside_the_asked_resources() -> None:
    """§B.2: with --resource, a witness tidied to an example ARN must still be one of the asked resources."""
    asked = "arn:aws:s3:::company1-logs/private/*"
    result = iamsim.check_access_not_granted(_identity(PROPOSED), ["s3:Get*Acl"], [asked], budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    for witness in result.witnesses:
        assert witness.resource.startswith("arn:aws:s3:::company1-logs/private/"), witness


def test_no_new_access_witnesses_are_distinct_and_carry_only_the_context_they_need() -> None:
    """Two witnesses are never the same request; context appears only where a condition needs it (§C.2).

    The statement without a condition needs no context; the IpAddress one needs one
    aws:SourceIp inside 203.0.113.0/24, a single value (the key is single-valued).
    """
    result = iamsim.check_no_new_access(_identity(DEPLOYED), _identity(PROPOSED), budget=BUDGET)
    assert result.verdict is Verdict.FAIL
    requests = [(w.principal, w.action.casefold(), w.resource) for w in result.witnesses]
    assert len(set(requests)) == len(requests), requests
    assert len({action for _, action, _ in requests}) == len(requests), requests
    for witness in result.witnesses:
        if witness.action.casefold() == "s3:listbucket":
            assert set(witness.context) == {"aws:sourceip"}, witness
            value = witness.context["aws:sourceip"]
            assert isinstance(value, str)
            assert ipaddress.ip_address(value) in ipaddress.ip_network("203.0.113.0/24")
        else:
            assert witness.context == {}, witness
