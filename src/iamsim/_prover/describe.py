"""A check's answer in words, for failure reports (``iamsim test``, pytest, ``iamsim.testing``)."""

from __future__ import annotations

from iamsim._prover.result import CheckResult, Verdict, Witness

__all__ = ["check_failure_text"]

#: What a FAIL of each question means, for the failure report.
_FAIL_MEANS = {
    "no-new-access": "the policies allow requests the baseline does not",
    "access-not-granted": "the policies allow some of the listed actions",
    "no-public-access": "someone outside the account can reach the resource",
}


def _witness_lines(witness: Witness) -> list[str]:
    lines = [f"{witness.principal} {witness.action} on {witness.resource}"]
    lines += [f"  context {key} = {value!r}" for key, value in sorted(witness.context.items())]
    if witness.resource_account is not None:
        lines.append(f"  resource account {witness.resource_account}")
    lines.append("  " + ", ".join(f"{label}: {decision}" for label, decision in witness.decisions.items()))
    return lines


def check_failure_text(result: CheckResult) -> str:
    """Why a check did not PASS: FAIL with each witness request (re-checked by both evaluators), or UNKNOWN's reason."""
    if result.verdict is Verdict.UNKNOWN:
        return f"{result.question}: UNKNOWN (not proved): {result.reason}"
    if result.verdict is Verdict.PASS:
        return f"{result.question}: PASS"
    lines = [f"{result.question}: FAIL: {_FAIL_MEANS.get(result.question, 'a witness refutes it')}; witnesses:"]
    for witness in result.witnesses:
        lines += ["  " + line for line in _witness_lines(witness)]
    return "\n".join(lines)
