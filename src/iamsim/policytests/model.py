"""Policy test suites: what a suite file says, and what running its cases gives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from iamsim._bundle import PolicyBundle
from iamsim._engine.request import ContextValue
from iamsim._engine.result import Decision, EvaluationResult
from iamsim._prover.result import CheckResult
from iamsim._simulator import Simulator

__all__ = ["Case", "CaseCheck", "CaseOutcome", "Expectation", "RequestOutcome", "Suite", "SuiteOutcome"]


class Expectation(StrEnum):
    """What a case expects: a decision, or ``denied`` for either kind of denial."""

    ALLOWED = "allowed"
    DENIED = "denied"
    EXPLICIT_DENY = "explicitDeny"
    IMPLICIT_DENY = "implicitDeny"

    def met_by(self, decision: Decision) -> bool:
        """Whether ``decision`` satisfies this expectation."""
        if self is Expectation.DENIED:
            return decision is not Decision.ALLOWED
        return decision.value == self.value


@dataclass(frozen=True, slots=True)
class CaseCheck:
    """A case that asks a question about every request instead of listing requests (``check:``).

    ``question`` is ``no-new-access`` (the suite's policies allow nothing
    ``baseline`` does not), ``access-not-granted`` (no request for ``actions``,
    on ``resources`` when given, is allowed) or ``no-public-access`` (the
    suite's resource or trust policy lets nobody outside ``account`` in).
    ``seconds`` is the prover's time budget; an UNKNOWN answer fails the case.
    """

    question: str
    account: str
    seconds: float
    baseline: PolicyBundle | None = None
    actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    resource_type: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """One test case: every action on every resource must meet ``expect``.

    ``context`` is already normalised (lowercased keys, string or tuple values).
    ``expect`` is ``None`` only for cases read for ``iamsim diff``, which
    compares decisions instead of checking them.
    """

    name: str
    principal: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    expect: Expectation | None
    context: Mapping[str, ContextValue]
    resource_account: str | None = None
    #: 0-based position of the case in its suite.
    index: int = 0
    #: For a ``check:`` case, the question (``principal``, ``actions`` and ``resources`` then describe it only).
    check: CaseCheck | None = None


@dataclass(frozen=True, slots=True)
class Suite:
    """A loaded suite: its policies, read and parsed, and its cases.

    A suite with ``world:`` has an empty ``policies`` bundle and its world in
    ``world``: its cases are evaluated in that simulator.
    """

    path: Path
    name: str
    policies: PolicyBundle
    cases: tuple[Case, ...]
    world: Simulator | None = None

    def case(self, name: str) -> Case:
        """The case called ``name``; raises :class:`KeyError` if there is none."""
        for case in self.cases:
            if case.name == name:
                return case
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class RequestOutcome:
    """One request of a case (one action on one resource) and its result."""

    action: str
    resource: str
    result: EvaluationResult
    passed: bool


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """The result of running one case."""

    suite: Suite
    case: Case
    requests: tuple[RequestOutcome, ...]
    #: A ``check:`` case's answer (its ``requests`` are empty).
    check: CheckResult | None = None

    @property
    def passed(self) -> bool:
        """Whether every request met the expectation (a check case: whether the prover answered PASS)."""
        if self.check is not None:
            return self.check.passed
        return all(r.passed for r in self.requests)

    @property
    def failures(self) -> tuple[RequestOutcome, ...]:
        """The requests that did not meet the expectation."""
        return tuple(r for r in self.requests if not r.passed)


@dataclass(frozen=True, slots=True)
class SuiteOutcome:
    """The results of running every case of a suite."""

    suite: Suite
    cases: tuple[CaseOutcome, ...]

    @property
    def passed(self) -> bool:
        """Whether every case passed."""
        return all(c.passed for c in self.cases)

    @property
    def failed(self) -> tuple[CaseOutcome, ...]:
        """The cases that failed."""
        return tuple(c for c in self.cases if not c.passed)
