"""Both seed scenarios played end to end: every step's outcome, ARN and determining statement."""

from __future__ import annotations

import re

import pytest

from iamsim._walkthrough import (
    SCENARIOS,
    VARIATION_NAMES,
    OutcomeKind,
    Step,
    Walkthrough,
    WalkthroughRun,
    run_walkthrough,
)
from iamsim.errors import UsageError

ACCOUNT = "123456789012"
READ_ONLY = "AmazonS3ReadOnlyAccess"


def by_key(walkthrough: Walkthrough, key: str) -> Step:
    """The step with ``key`` (fails the test when there is none or several)."""
    found = [s for s in walkthrough.steps if s.key == key]
    assert len(found) == 1, f"expected one step {key!r}, got {[s.key for s in walkthrough.steps]}"
    return found[0]


@pytest.fixture(scope="module")
def s3_readonly() -> Walkthrough:
    """Scenario 1, no variation."""
    return run_walkthrough("s3-readonly")


@pytest.fixture(scope="module")
def company1_logs() -> Walkthrough:
    """Scenario 2, no variation."""
    return run_walkthrough("company1-logs")


def _session_arn(walkthrough: Walkthrough, role: str) -> str:
    instance = by_key(walkthrough, "ec2-assumes-role").inputs["role_session_name"]
    assert re.fullmatch(r"i-[0-9a-f]{17}", instance)
    return f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{instance}"


def test_s3_readonly_plays_the_steps_in_order(s3_readonly: Walkthrough) -> None:
    """Scenario 1 covers the seed's flow from the trust policy to expiry, numbered from 1."""
    assert [s.key for s in s3_readonly.steps] == [
        "trust-policy",
        "create-role",
        "attach-policy",
        "instance-profile",
        "launch-instance",
        "ec2-assumes-role",
        "credentials",
        "caller-identity",
        "list-bucket",
        "read-object",
        "write-object",
        "expire",
        "refresh",
    ]
    assert [s.number for s in s3_readonly.steps] == list(range(1, 14))
    assert all(s.title and s.explanation for s in s3_readonly.steps)
    assert all(s.aws_cli for s in s3_readonly.steps if s.key != "trust-policy")


def test_trust_policy_names_ec2_and_decides_ec2_assume_role(s3_readonly: Walkthrough) -> None:
    """§F.4: EC2's AssumeRole is allowed by statement 0 of the role's trust policy, naming ec2.amazonaws.com."""
    step = by_key(s3_readonly, "ec2-assumes-role")
    assert step.inputs["principal"] == "ec2.amazonaws.com"
    assert step.outcome.decision is OutcomeKind.ALLOWED
    (ref,) = step.outcome.determining
    assert (ref.policy, ref.policy_type, ref.statement_index) == ("S3AccessRole trust policy", "trust", 0)
    assert ref.statement == {
        "Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }


def test_temporary_credentials_are_explained_part_by_part(s3_readonly: Walkthrough) -> None:
    """§G.1, §H.1: ASIA key id, secret, token, and an Expiration six hours after issue."""
    step = by_key(s3_readonly, "credentials")
    parts = {p.name: p.value for p in step.parts}
    assert list(parts) == ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]
    assert parts["AccessKeyId"].startswith("ASIA")
    assert parts["Expiration"] == "2026-01-01T06:00:00Z"
    assert "6 hours from now" in " ".join(step.explanation)
    assert step.response is not None
    assert len(step.response["Token"]) > 100


def test_caller_identity_is_the_assumed_role_session(s3_readonly: Walkthrough) -> None:
    """§G.6: get-caller-identity answers arn:aws:sts::ACCOUNT:assumed-role/S3AccessRole/i-..."""
    step = by_key(s3_readonly, "caller-identity")
    assert step.response is not None
    assert step.response["Arn"] == _session_arn(s3_readonly, "S3AccessRole")
    assert step.response["UserId"].startswith("AROA")
    assert step.aws_cli == "aws sts get-caller-identity"


def test_list_and_read_are_allowed_by_the_read_only_statement(s3_readonly: Walkthrough) -> None:
    """§F.1 step 4: s3:ListBucket and s3:GetObject are allowed by statement 0 of AmazonS3ReadOnlyAccess."""
    for key, action in (("list-bucket", "s3:ListBucket"), ("read-object", "s3:GetObject")):
        step = by_key(s3_readonly, key)
        assert step.inputs["action"] == action
        assert step.outcome.decision is OutcomeKind.ALLOWED
        assert [(r.policy, r.statement_index, r.effect) for r in step.outcome.determining] == [(READ_ONLY, 0, "Allow")]
    assert by_key(s3_readonly, "list-bucket").aws_cli == "aws s3 ls s3://company1-logs"


def test_write_is_implicitly_denied_with_aws_message(s3_readonly: Walkthrough) -> None:
    """§F.1, §G.9: s3:PutObject is denied (no statement allows it), with AWS's AccessDenied wording."""
    step = by_key(s3_readonly, "write-object")
    outcome = step.outcome
    assert outcome.decision is OutcomeKind.IMPLICIT_DENY
    assert outcome.error_code == "AccessDenied"
    assert outcome.determining == ()
    assert outcome.message == (
        f"User: {_session_arn(s3_readonly, 'S3AccessRole')} is not authorized to perform: s3:PutObject on "
        "resource: arn:aws:s3:::company1-logs/report.txt because no identity-based policy allows the "
        "s3:PutObject action"
    )
    assert [(c.policy, c.result) for c in outcome.checked] == [(READ_ONLY, "action not matched")]
    assert step.aws_cli == "aws s3 cp report.txt s3://company1-logs/report.txt"


def test_credentials_expire_and_are_renewed(s3_readonly: Walkthrough) -> None:
    """§G.9: past Expiration the old credentials fail with ExpiredToken; the instance gets new ones."""
    old = by_key(s3_readonly, "credentials").parts[0].value
    expire = by_key(s3_readonly, "expire")
    assert expire.outcome.decision is OutcomeKind.ERROR
    assert expire.outcome.error_code == "ExpiredToken"
    assert expire.outcome.message == "The security token included in the request is expired"
    assert expire.inputs["access_key_id"] == old
    refresh = by_key(s3_readonly, "refresh")
    assert refresh.parts[0].value != old
    assert refresh.parts[0].value.startswith("ASIA")
    assert refresh.outcome.message == _session_arn(s3_readonly, "S3AccessRole")


def test_company1_logs_reads_only_its_bucket_and_cannot_list(company1_logs: Walkthrough) -> None:
    """§F.1 step 4, §B.2: GetObject on company1-logs/* only; another bucket and ListBucket are denied."""
    policy = by_key(company1_logs, "create-policy")
    assert policy.inputs["policy_name"] == "Company1-Logs-Policy"
    read = by_key(company1_logs, "read-object")
    assert read.outcome.decision is OutcomeKind.ALLOWED
    (ref,) = read.outcome.determining
    assert ref.policy == "Company1-Logs-Policy"
    assert ref.statement == {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::company1-logs/*"}

    other = by_key(company1_logs, "read-other-bucket")
    assert other.outcome.decision is OutcomeKind.IMPLICIT_DENY
    assert [c.result for c in other.outcome.checked] == ["resource not matched"]

    listing = by_key(company1_logs, "list-bucket")
    assert listing.outcome.decision is OutcomeKind.IMPLICIT_DENY
    assert [c.result for c in listing.outcome.checked] == ["action not matched"]
    assert "s3:GetObject is not s3:ListBucket" in " ".join(listing.explanation)
    assert by_key(company1_logs, "caller-identity").outcome.message == _session_arn(company1_logs, "Company1-Logs-Role")


def test_untrusted_caller_is_refused_by_the_trust_policy() -> None:
    """§F.4, §G.9: an IAM user the trust policy does not name gets AccessDenied, though her policy allows it."""
    walkthrough = run_walkthrough("s3-readonly", "untrusted-caller")
    step = by_key(walkthrough, "untrusted-assume-role")
    outcome = step.outcome
    assert outcome.decision is OutcomeKind.IMPLICIT_DENY
    assert outcome.error_code == "AccessDenied"
    assert outcome.denied_by == "role trust"
    assert outcome.message == (
        f"User: arn:aws:iam::{ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole on resource: "
        f"arn:aws:iam::{ACCOUNT}:role/S3AccessRole"
    )
    results = {(c.policy, c.result) for c in outcome.checked}
    assert results == {("AllowAssumeRole", "matched"), ("S3AccessRole trust policy", "principal not matched")}
    assert "names only ec2.amazonaws.com" in " ".join(step.explanation)


def test_boundary_deny_names_the_boundary_statement() -> None:
    """§F.1 step 1: an explicit Deny in the permissions boundary wins over the identity Allow."""
    walkthrough = run_walkthrough("s3-readonly", "boundary-deny")
    step = by_key(walkthrough, "boundary-read")
    assert step.inputs["action"] == "s3:GetObject"
    assert step.outcome.decision is OutcomeKind.EXPLICIT_DENY
    assert step.outcome.message.endswith("with an explicit deny in a permissions boundary")
    (ref,) = step.outcome.determining
    assert (ref.policy, ref.policy_type, ref.sid, ref.effect) == (
        "S3AccessBoundary",
        "boundary",
        "DenyReadingObjects",
        "Deny",
    )
    listing = by_key(walkthrough, "boundary-list")
    assert listing.outcome.decision is OutcomeKind.ALLOWED
    assert {r.policy_type for r in listing.outcome.determining} == {"identity", "boundary"}


def test_boundary_deny_in_company1_logs() -> None:
    """§F.1 step 1: the same boundary denies the log read of scenario 2."""
    step = by_key(run_walkthrough("company1-logs", "boundary-deny"), "boundary-read")
    assert step.outcome.decision is OutcomeKind.EXPLICIT_DENY
    assert step.outcome.determining[0].sid == "DenyReadingObjects"


def test_replace_role_takes_the_old_permissions_away() -> None:
    """§G.1 (EC2 instance roles): after "Modify IAM role" the new credentials lack S3AccessRole's ListBucket."""
    walkthrough = run_walkthrough("s3-readonly", "replace-role")
    replaced = by_key(walkthrough, "replace-role")
    assert replaced.outcome.message == _session_arn(walkthrough, "Company1-Logs-Role")
    before, after = replaced.parts
    assert before.value.startswith("S3AccessRole, ASIA")
    assert after.value.startswith("Company1-Logs-Role, ASIA")
    probe = by_key(walkthrough, "list-after-replace")
    assert probe.inputs["principal"] == _session_arn(walkthrough, "Company1-Logs-Role")
    assert probe.outcome.decision is OutcomeKind.IMPLICIT_DENY
    assert by_key(walkthrough, "list-bucket").outcome.decision is OutcomeKind.ALLOWED
    # The expiry steps still run, now with the new role's credentials.
    assert by_key(walkthrough, "expire").outcome.error_code == "ExpiredToken"
    assert by_key(walkthrough, "refresh").outcome.message == _session_arn(walkthrough, "Company1-Logs-Role")


def test_replace_role_in_company1_logs_loses_the_log_bucket() -> None:
    """§G.1: Company1-Metrics-Role cannot read company1-logs, which Company1-Logs-Role could."""
    walkthrough = run_walkthrough("company1-logs", "replace-role")
    probe = by_key(walkthrough, "read-after-replace")
    assert probe.outcome.decision is OutcomeKind.IMPLICIT_DENY
    assert probe.inputs["principal"] == _session_arn(walkthrough, "Company1-Metrics-Role")


def test_old_credentials_keep_working_after_the_role_is_replaced() -> None:
    """§G.1: what the replace-role step says about credentials already issued holds in the simulator."""
    run = WalkthroughRun("s3-readonly", "replace-role")
    steps = iter(run)
    for step in steps:
        if step.key == "caller-identity":
            break
    old = run.stage.credentials()
    for step in steps:
        if step.key == "replace-role":
            break
    assert run.stage.sim.is_allowed(old, "s3:ListBucket", "arn:aws:s3:::company1-logs")
    assert not run.stage.sim.is_allowed(run.stage.credentials(), "s3:ListBucket", "arn:aws:s3:::company1-logs")


@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("variation", [None, *VARIATION_NAMES])
def test_every_combination_runs_to_the_end(scenario: str, variation: str | None) -> None:
    """Every scenario with every variation finishes; each step's events are its own, in order."""
    walkthrough = run_walkthrough(scenario, variation)
    seqs = [e.seq for s in walkthrough.steps for e in s.events]
    assert seqs == sorted(seqs) == [e.seq for e in walkthrough.events]
    assert walkthrough.variation == variation
    keys = [s.key for s in walkthrough.steps]
    assert len(keys) == len(set(keys))


def test_runs_are_deterministic() -> None:
    """A fresh simulator with a fixed seed and a manual clock: the same ids every time."""
    first = run_walkthrough("s3-readonly")
    second = run_walkthrough("s3-readonly")
    assert [s.outcome.message for s in first.steps] == [s.outcome.message for s in second.steps]


def test_unknown_names_are_clear_errors() -> None:
    """Bad scenario or variation names raise UsageError, naming the choices."""
    with pytest.raises(UsageError, match="choose one of: s3-readonly, company1-logs"):
        WalkthroughRun("nope")
    with pytest.raises(UsageError, match="untrusted-caller"):
        WalkthroughRun("s3-readonly", "nope")
