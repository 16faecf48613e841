"""Agreement: the fast path against the reference evaluator, and each peer against iamsim.

The fast path must give the reference's full result (decision, determining
statements, denied-by kind, missing context keys) on every request it is
checked on, on a first pass (memo empty), a second pass (memo hits) and the
cold path; :class:`AgreementError` stops the run otherwise. Peers are only
counted: how many of their allowed/denied verdicts differ from iamsim's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmarks.engines import verdict
from benchmarks.workload import BenchRequest

__all__ = ["AgreementError", "FastPathCheck", "PeerAgreement", "check_fast_path", "check_stream", "compare_peer"]


class AgreementError(RuntimeError):
    """The fast path and the reference evaluator disagree: a correctness bug, never a benchmark result."""


def _fields(result: Any) -> tuple[Any, ...]:
    return (result.decision, result.determining, result.denied_by, result.missing_context_keys)


@dataclass(frozen=True, slots=True)
class FastPathCheck:
    """How many requests were checked against the reference, out of how many."""

    checked: int
    total: int


def check_fast_path(compiled: Any, reference: Any, requests: Sequence[Any], sample: Sequence[int]) -> FastPathCheck:
    """Compare the fast path with ``reference`` on the requests at indices ``sample``; raise on any difference.

    ``compiled`` is a fresh compiled set: the first evaluation of each request
    fills its memo, the second is answered from it, and ``is_allowed`` and
    the cold path (caches cleared) must agree too.
    """
    failures: list[str] = []
    for index in sample:
        request = requests[index]
        expected = _fields(reference(request))
        first = _fields(compiled.evaluate(request))
        second = _fields(compiled.evaluate(request))
        lean = compiled.is_allowed(request)
        compiled.clear_caches()
        cold = _fields(compiled.evaluate(request))
        if first != expected or second != expected or cold != expected or lean != (expected[0].value == "allowed"):
            failures.append(
                f"request {index} {request.action} {request.resource}: reference {expected}, "
                f"fast {first}, memo {second}, cold {cold}, is_allowed {lean}"
            )
    if failures:
        raise AgreementError(
            f"fast path disagrees with the reference on {len(failures)} of {len(sample)} requests:\n"
            + "\n".join(failures[:5])
        )
    return FastPathCheck(len(sample), len(requests))


@dataclass(slots=True)
class PeerAgreement:
    """A peer's verdicts that differ from iamsim's, with a few examples."""

    compared: int = 0
    differing: int = 0
    examples: list[str] = field(default_factory=list)


def compare_peer(
    iamsim_decisions: Sequence[str],
    peer_decisions: dict[int, str],
    requests: Sequence[BenchRequest],
    *,
    examples: int = 3,
) -> PeerAgreement:
    """Count the requests where the peer's allowed/denied verdict differs from iamsim's decision."""
    out = PeerAgreement()
    for index, decision in sorted(peer_decisions.items()):
        out.compared += 1
        ours = iamsim_decisions[index]
        if verdict(decision) != verdict(ours):
            out.differing += 1
            if len(out.examples) < examples:
                request = requests[index]
                out.examples.append(
                    f"{request.action} on {request.resource} ({request.intent}): iamsim {ours}, peer {decision}"
                )
    return out


def check_stream(name: str, answers: Sequence[str], expected: Sequence[str]) -> int:
    """A public-API row's decisions on its requests against the yardstick's (itself checked against the
    reference) on the same workload requests; raise on any difference. Returns how many were compared.

    ``answers`` are the row's decisions as :meth:`~benchmarks.engines.Prepared.decision` reads them
    (``allowed``/``denied`` for the boolean rows, compared at that level).
    """
    failures = [
        f"request {index}: {answer} where the fast path decides {decision}"
        for index, (answer, decision) in enumerate(zip(answers, expected, strict=True))
        if answer != decision and (answer not in ("allowed", "denied") or answer != verdict(decision))
    ]
    if failures:
        detail = "\n".join(failures[:5])
        raise AgreementError(f"{name} disagrees on {len(failures)} of {len(answers)} requests:\n{detail}")
    return len(answers)
