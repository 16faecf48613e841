"""Suite cases answered by the prover (``check:``), and the ``iamsim.testing`` assertions on it (issue 15).

The questions are IAM Access Analyzer's custom policy checks
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-checks-validating-policies.html),
decided with the evaluation logic of §F.1 (an Allow is needed, an explicit Deny wins) and the
action matching of §B.1. Every FAIL's witnesses are re-decided by both evaluators before shown.
The cases that must be decided carry a 120 s budget: these tests are about answers, not speed, and
a loaded CI machine must not turn a small check into an UNKNOWN (which fails a case).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iamsim import PolicyKind, parse_policy
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.request import Principal, Request
from iamsim._engine.result import Decision
from iamsim.errors import InvalidInputError
from iamsim.policytests import failure_text, junit_xml, load_cases, load_suite, outcome_to_dict, run_case, run_suite
from iamsim.testing import assert_access_not_granted, assert_no_new_access, assert_no_public_access

READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}],
}
#: READ plus s3:PutObject: new access the baseline does not have.
READ_WRITE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::logs/*"}],
}
PUBLIC_BUCKET = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}],
}


def _write(tmp_path: Path, suite: str, **policies: dict[str, object]) -> Path:
    for name, document in policies.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(document))
    path = tmp_path / "suite.yaml"
    path.write_text(suite)
    return path


def _identity(document: dict[str, object], name: str) -> object:
    return parse_policy(document, PolicyKind.IDENTITY, name=name)


def test_no_new_access_case_fails_with_witnesses_the_evaluator_confirms(tmp_path: Path) -> None:
    """§F.1/§B.1: READ_WRITE allows s3:PutObject, which READ does not; the witness shows exactly that."""
    suite = load_suite(
        _write(
            tmp_path,
            "policies: {identity: new.json}\ncases:\n  - name: within the deployed policy\n"
            "    check: no-new-access\n    baseline: old.json\n    seconds: 120\n",
            old=READ,
            new=READ_WRITE,
        )
    )
    outcome = run_case(suite, suite.cases[0])
    assert not outcome.passed
    assert outcome.check is not None
    assert outcome.check.witnesses
    old = parse_policy(READ, PolicyKind.IDENTITY, name="old")

    for witness in outcome.check.witnesses:
        assert witness.action.casefold() == "s3:putobject"
        request = Request.create(
            Principal.from_arn(witness.principal), witness.action, witness.resource, witness.context
        )
        assert evaluate_reference(PolicySet(identity=(old,)), request).decision is Decision.IMPLICIT_DENY
    text = failure_text(outcome)
    assert "no-new-access: FAIL" in text
    assert "s3:putobject on arn:aws:s3:::logs/" in text.casefold()
    assert "old: implicitDeny, new: allowed" in text
    data = outcome_to_dict(outcome)
    assert data["check"]["result"] == "FAIL"
    assert data["requests"] == []
    assert 'message="no-new-access: FAIL"' in junit_xml([run_suite(suite)])


def test_check_cases_pass_when_proved(tmp_path: Path) -> None:
    """§F.1: READ allows nothing READ_WRITE does not, and no s3:Delete* or IAM action (§B.1 wildcards)."""
    suite = load_suite(
        _write(
            tmp_path,
            "policies: {identity: old.json}\ncases:\n"
            "  - {name: narrower, check: no-new-access, baseline: new.json, seconds: 120}\n"
            "  - {name: no deletes, check: access-not-granted, actions: ['s3:Delete*', 'iam:*'], seconds: 120}\n"
            "  - {name: no writes here, check: access-not-granted, action: 's3:Put*', seconds: 120,\n"
            "     resource: 'arn:aws:s3:::logs/*'}\n",
            old=READ,
            new=READ_WRITE,
        )
    )
    outcomes = run_suite(suite)
    assert [(c.case.name, c.passed) for c in outcomes.cases] == [
        ("narrower", True),
        ("no deletes", True),
        ("no writes here", True),
    ]


def test_no_public_access_case_uses_the_suite_resource_policy(tmp_path: Path) -> None:
    """§F.3: Principal "*" lets an anonymous or other-account caller in: FAIL with such a witness."""
    suite = load_suite(
        _write(
            tmp_path,
            "policies: {identity: old.json, resource: bucket.json}\ncases:\n"
            "  - {name: not public, check: no-public-access, resource_type: 'AWS::S3::Bucket', seconds: 120}\n",
            old=READ,
            bucket=PUBLIC_BUCKET,
        )
    )
    outcome = run_case(suite, suite.cases[0])
    assert outcome.check is not None
    assert outcome.check.verdict.value == "FAIL"
    assert all(w.decisions == {"policy": "allowed"} for w in outcome.check.witnesses)
    assert "someone outside the account can reach the resource" in failure_text(outcome)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("{check: no-new-access}", "baseline: is required for no-new-access"),
        ("{check: access-not-granted}", "action: is required for access-not-granted"),
        ("{check: no-new-access, baseline: old.json, actions: ['s3:x']}", "actions: does not apply"),
        ("{check: no-new-access, baseline: old.json, resource_type: x}", "resource_type: does not apply"),
        ("{check: no-old-access}", "must be one of no-new-access, access-not-granted, no-public-access"),
        ("{check: access-not-granted, action: GetObject}", "is not of the form service:ActionName"),
        ("{check: no-public-access}", "no-public-access needs a resource: or trust: policy"),
        ("{check: no-new-access, baseline: missing.json}", "missing.json"),
        ("{check: no-new-access, baseline: old.json, seconds: 0}", "seconds"),
    ],
)
def test_malformed_check_cases_are_refused_in_words(tmp_path: Path, case: str, message: str) -> None:
    """A bad check case is an InvalidInputError naming the file and the case, never a traceback."""
    path = _write(tmp_path, f"policies: {{identity: old.json}}\ncases:\n  - {case}\n", old=READ)
    with pytest.raises(InvalidInputError) as raised:
        load_suite(path)
    assert message in raised.value.message
    assert str(path) in raised.value.message


def test_check_cases_need_policies_not_a_world(tmp_path: Path) -> None:
    """A world suite evaluates named requests in a Simulator; a check needs the policies themselves."""
    suite = "world: {accounts: {'111122223333': {}}}\ncases:\n  - {check: no-new-access, baseline: old.json}\n"
    path = _write(tmp_path, suite, old=READ)
    with pytest.raises(InvalidInputError, match="a check: case needs policies:, not world:"):
        load_suite(path)


def test_diff_refuses_check_cases() -> None:
    """``iamsim diff`` compares named requests; a check case has none."""
    data = {"cases": [{"check": "no-new-access", "baseline": "old.json"}]}
    with pytest.raises(InvalidInputError, match="has no requests to compare"):
        load_cases(data, "cases.yaml", expect_required=False)


def test_assert_no_new_access_raises_with_the_witnesses() -> None:
    """§F.1: the assertion fails on READ -> READ_WRITE, naming s3:PutObject; the reverse passes."""
    old, new = _identity(READ, "old"), _identity(READ_WRITE, "new")
    with pytest.raises(AssertionError) as raised:
        assert_no_new_access(old, new)
    assert "no-new-access: FAIL" in str(raised.value)
    assert "s3:putobject" in str(raised.value).casefold()
    assert assert_no_new_access(new, old).passed


def test_assert_access_not_granted_and_no_public_access() -> None:
    """§B.1 wildcards in the listed actions; §F.3 an outside caller through Principal "*"."""
    policy = _identity(READ_WRITE, "rw")
    assert assert_access_not_granted(policy, ["s3:Delete*"]).passed
    with pytest.raises(AssertionError, match="access-not-granted: FAIL"):
        assert_access_not_granted(policy, ["s3:Put*"])
    bucket = parse_policy(PUBLIC_BUCKET, PolicyKind.RESOURCE, name="bucket")
    with pytest.raises(AssertionError, match="no-public-access: FAIL"):
        assert_no_public_access(bucket, resource_type="AWS::S3::Bucket")


def test_anonymous_is_a_suite_principal(tmp_path: Path) -> None:
    """§A.3: only Principal "*" in a resource policy lets an anonymous caller in; identity policies never do."""
    suite = load_suite(
        _write(
            tmp_path,
            "policies: {identity: rw.json, resource: bucket.json}\ncases:\n"
            "  - {name: public read, principal: anonymous, action: 's3:GetObject', resource: 'arn:aws:s3:::logs/a',"
            " expect: allowed}\n"
            "  - {name: no write, principal: anonymous, action: 's3:PutObject', resource: 'arn:aws:s3:::logs/a',"
            " expect: implicitDeny}\n",
            rw=READ_WRITE,
            bucket=PUBLIC_BUCKET,
        )
    )
    assert [(c.case.name, c.passed) for c in run_suite(suite).cases] == [("public read", True), ("no write", True)]
