"""The text explanation agrees with the trace when an Allow matched but did not decide (issue 15).

§A.3 / §F: a trust policy that names the account (``arn:aws:iam::ACCOUNT:root``)
does not allow ``sts:AssumeRole`` on its own; the caller's identity policies
must allow it too (AWS: "IAM roles", trust policies naming an account,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluationlogic-cross-account.html).
The JSON trace says the trust statement matched; the text must say so too,
never "no statement allows this request".
"""

from __future__ import annotations

import iamsim
from iamsim import _explain

CALLER = "arn:aws:iam::111122223333:role/Caller"
TARGET = "arn:aws:iam::111122223333:role/Target"
TRUST_ACCOUNT = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}
    ],
}


def test_a_matched_trust_statement_naming_the_account_is_shown_as_matched_not_absent_A3() -> None:
    result = iamsim.evaluate(CALLER, "sts:AssumeRole", TARGET, trust_policy=TRUST_ACCOUNT, explain=True)
    assert not result.allowed
    assert result.explanation is not None
    outcomes = [s.outcome.value for p in result.explanation.policies for s in p.statements]
    assert outcomes == ["matched"]
    lines = _explain.explain_lines(result)
    assert "no statement allows this request" not in lines
    header = lines.index("statements that matched but do not allow this request on their own (see decision steps):")
    assert lines[header + 1] == '  - Allow statement 0 of role trust policy "trust-policy"'


def test_with_the_callers_identity_allow_the_same_trust_statement_decides_A3() -> None:
    allow = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": TARGET}],
    }
    result = iamsim.evaluate(
        CALLER, "sts:AssumeRole", TARGET, trust_policy=TRUST_ACCOUNT, identity=[allow], explain=True
    )
    assert result.allowed
    assert "determining statements:" in _explain.explain_lines(result)
