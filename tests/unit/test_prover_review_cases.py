"""Prover answers a reviewer refuted: never a PASS that a concrete request disproves (issue 15).

Each case here once answered PASS although ``iamsim.evaluate`` allows a request the
question asks about.
"""

from __future__ import annotations

import json

import pytest

import iamsim
from iamsim import Verdict, parse_policy
from iamsim.errors import InvalidInputError

ALLOW_GET = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
ALLOW_ASSUME = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"], "Resource": "*"}],
}
GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
OPEN_FEDERATED_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Federated": GITHUB}, "Action": "sts:AssumeRoleWithWebIdentity"}],
}


def _policy(document: dict[str, object], kind: str = "identity") -> iamsim.Policy:
    return parse_policy(json.dumps(document), kind=kind)


def test_identity_policies_granting_trust_actions_are_new_access() -> None:
    """§F.4: the given identity policies are the caller's own for sts:AssumeRole too; granting it is new access."""
    assert iamsim.evaluate(
        "arn:aws:iam::111122223333:user/a",
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/r",
        identity=[ALLOW_ASSUME],
    ).allowed
    result = iamsim.check_no_new_access(_policy(ALLOW_GET), _policy(ALLOW_ASSUME))
    assert result.verdict is Verdict.FAIL
    assert {w.action.casefold() for w in result.witnesses} <= {"sts:assumerole", "sts:tagsession"}
    assert iamsim.check_access_not_granted(_policy(ALLOW_ASSUME), ["sts:*"]).verdict is Verdict.FAIL


def test_an_open_federated_trust_is_never_public_access_pass() -> None:
    """A web-identity trust with no sub/aud condition lets outside identities in: not PASS (UNKNOWN names why)."""
    result = iamsim.check_no_public_access(_policy(OPEN_FEDERATED_TRUST, "trust"))
    assert result.verdict is not Verdict.PASS
    assert result.verdict is Verdict.UNKNOWN
    assert "Federated" in (result.reason or "")


@pytest.mark.parametrize(("actions", "resources"), [([""], ()), (["nocolon"], ()), (["s3:"], ()), (["s3:*"], [""])])
def test_a_typo_in_the_question_is_an_error_not_a_pass(actions: list[str], resources: list[str]) -> None:
    """An action or resource that names nothing cannot be granted; answering PASS would reassure falsely."""
    with pytest.raises(InvalidInputError):
        iamsim.check_access_not_granted(_policy(ALLOW_ASSUME), actions, resources)


@pytest.mark.parametrize(
    "call",
    [
        lambda: iamsim.check_no_new_access("x", "y"),  # type: ignore[arg-type]
        lambda: iamsim.check_no_public_access({"Version": "2012-10-17"}),  # type: ignore[arg-type]
        lambda: iamsim.Budget(seconds="x"),  # type: ignore[arg-type]
        lambda: iamsim.Budget(seconds=-1),
        lambda: iamsim.check_access_not_granted(_policy(ALLOW_GET), ["s3:GetObject"], account="x"),
        lambda: iamsim.check_access_not_granted(_policy(ALLOW_GET), "s3:GetObject"),  # type: ignore[arg-type]
        lambda: iamsim.check_access_not_granted(_policy(ALLOW_GET), ["s3:*"], "arn:aws:s3:::b/*"),  # type: ignore[arg-type]
        lambda: iamsim.check_no_public_access(_policy(ALLOW_GET)),
    ],
)
def test_misuse_of_the_check_functions_is_a_usage_error(call: object) -> None:
    """Wrong types, a negative budget or a bad account: the library's UsageError, never a raw error or an answer."""
    with pytest.raises(iamsim.UsageError):
        call()  # type: ignore[operator]


def test_a_bare_action_string_is_named_in_the_usage_error() -> None:
    """One action passed as a string, not a list: the error names it, not its first letter 's'."""
    with pytest.raises(iamsim.UsageError, match=r"actions must be a list of strings.*'s3:GetObject'"):
        iamsim.check_access_not_granted(_policy(ALLOW_GET), "s3:GetObject")  # type: ignore[arg-type]


def test_an_identity_policy_is_not_checked_for_public_access() -> None:
    """§A.2 (UG reference_policies_elements_principal): an identity policy has no Principal; it names no outside caller.

    Checked in a resource policy's place, its statements matched every caller and the
    answer was a FAIL with a witness no resource policy of the user's had granted.
    """
    with pytest.raises(iamsim.UsageError, match="identity policy; no-public-access checks a resource-based"):
        iamsim.check_no_public_access(_policy(ALLOW_GET))
