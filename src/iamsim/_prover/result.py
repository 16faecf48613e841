"""What a check answers: PASS, FAIL with verified witness requests, or UNKNOWN with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from iamsim._engine.request import ContextValue

__all__ = ["CheckResult", "Verdict", "Witness"]


class Verdict(StrEnum):
    """The answer to a check's question."""

    #: No request of the universe has the property asked about (proved).
    PASS = "PASS"
    #: Some request has it; the result carries witnesses, each re-checked by both evaluators.
    FAIL = "FAIL"
    #: Not decided: a construct the prover does not encode, or the budget ran out.
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True)
class Witness:
    """A concrete request that refutes the property, and the decisions that show it.

    ``principal`` is an ARN (or ``anonymous``); ``context`` holds the
    request's context entries beyond those the principal supplies.
    ``decisions`` maps a label (``old``, ``new``, ``policy``) to the decision
    the evaluators reached.
    """

    principal: str
    action: str
    resource: str
    context: dict[str, ContextValue]
    resource_account: str | None
    decisions: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        data: dict[str, Any] = {
            "principal": self.principal,
            "action": self.action,
            "resource": self.resource,
            "context": {key: list(value) if isinstance(value, tuple) else value for key, value in self.context.items()},
            "decisions": dict(self.decisions),
        }
        if self.resource_account is not None:
            data["resource_account"] = self.resource_account
        return data


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's answer.

    ``reason`` explains an UNKNOWN (the construct or the budget); ``elapsed``
    is the wall-clock seconds spent.
    """

    question: str
    verdict: Verdict
    witnesses: tuple[Witness, ...] = ()
    reason: str | None = None
    elapsed: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Whether the check proved the property."""
        return self.verdict is Verdict.PASS

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "question": self.question,
            "result": self.verdict.value,
            "reason": self.reason,
            "elapsed_seconds": round(self.elapsed, 4),
            "witnesses": [witness.to_dict() for witness in self.witnesses],
            **self.details,
        }
