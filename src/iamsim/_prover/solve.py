"""Asking z3 for a request that refutes a property, one action class at a time, and verifying what it finds.

A model becomes a concrete request (:class:`Candidate`) that the check's
verifier re-decides with both evaluators; only a request they agree refutes
the property is a witness. A model that does not verify is excluded and the
solver asked again; after that a "no model" is UNKNOWN, not PASS. So a PASS
is only ever the solver's proof, for every class the check was cut into
(``action_classes``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import z3

from iamsim._engine.request import ContextValue
from iamsim._prover.action_classes import ActionClass
from iamsim._prover.encode import SymbolicRequest
from iamsim._prover.result import CheckResult, Verdict, Witness
from iamsim._prover.tidy import action_spelling, tidy
from iamsim._prover.unsupported import Unsupported
from iamsim._shown import shown
from iamsim.errors import InvalidInputError, UsageError

__all__ = ["Budget", "Candidate", "Verifier", "guessed_fail", "out_of_budget", "out_of_time", "solve"]

#: How many models that fail verification are excluded (per class) before answering UNKNOWN.
_RETRIES = 4
#: The share of the budget spent looking for a conjunct that is impossible alone.
_SCREEN_SHARE = 0.05
#: The share of the budget (and the most seconds) spent on requests the policies name (``guess``).
_GUESS_SHARE, _GUESS_SECONDS = 0.1, 1.0
#: A conjunct this large is not screened alone (asserting it costs about as much as the whole question).
_SCREEN_NODES = 2000


@dataclass(frozen=True, slots=True)
class Budget:
    """How long one check may take, and how many witnesses a FAIL collects."""

    seconds: float = 10.0
    witnesses: int = 3

    def __post_init__(self) -> None:
        if isinstance(self.seconds, bool) or not isinstance(self.seconds, (int, float)) or not self.seconds > 0:
            raise UsageError(f"a budget's seconds must be a positive number, not {shown(self.seconds)}")
        if isinstance(self.witnesses, bool) or not isinstance(self.witnesses, int) or self.witnesses < 1:
            raise UsageError(f"a budget's witnesses must be a positive whole number, not {shown(self.witnesses)}")


_OUT_OF_BUDGET = "ran out of the time budget"


def out_of_budget(seconds: float) -> str:
    """The reason of an UNKNOWN that the budget stopped."""
    return f"{_OUT_OF_BUDGET} of {seconds:g} s"


def out_of_time(result: CheckResult) -> bool:
    """Whether ``result`` is an UNKNOWN the budget stopped (more time might decide it)."""
    return result.verdict is Verdict.UNKNOWN and (result.reason or "").startswith(_OUT_OF_BUDGET)


@dataclass(slots=True)
class Candidate:
    """A concrete request read from a solver model, before the evaluators confirm it."""

    principal: str
    action: str
    resource: str
    context: dict[str, ContextValue]


#: Re-decides a candidate; returns the decisions by label, or ``None`` when it does not refute the property.
Verifier = Callable[[Candidate], dict[str, str] | None]
#: Encodes the check's question for the actions of one class.
Builder = Callable[[ActionClass], tuple[SymbolicRequest, z3.BoolRef]]


@dataclass(slots=True)
class _Outcome:
    """One class's answer: its witnesses, or why it was not proved (``None``: proved)."""

    witnesses: list[Witness] = field(default_factory=list)
    undecided: str | None = None


def solve(
    question: str,
    build: Builder,
    verify: Verifier,
    budget: Budget,
    resource_account: str | None,
    classes: Sequence[ActionClass],
) -> CheckResult:
    """Answer ``question``: FAIL when some class has a verified witness, PASS when every class is proved."""
    started = time.perf_counter()

    def remaining() -> float:
        return budget.seconds - (time.perf_counter() - started)

    witnesses: list[Witness] = []
    undecided: list[str] = []
    try:
        uncut = build(ActionClass())
    except Unsupported as gap:
        reason = f"not encoded: {gap.construct}"
        return CheckResult(question, Verdict.UNKNOWN, reason=reason, elapsed=time.perf_counter() - started)
    if _some_part_impossible(*uncut, budget.seconds * _SCREEN_SHARE):
        return CheckResult(question, Verdict.PASS, elapsed=time.perf_counter() - started)
    for action_class in classes:
        if remaining() <= 0:
            undecided.append(out_of_budget(budget.seconds))
            break
        try:
            request, formula = uncut if action_class == ActionClass() else build(action_class)
        except Unsupported as gap:
            if witnesses:
                break  # the witnesses found already stand
            reason = f"not encoded: {gap.construct}"
            return CheckResult(question, Verdict.UNKNOWN, reason=reason, elapsed=time.perf_counter() - started)
        wanted = budget.witnesses - len(witnesses)
        taken = frozenset(witness.action.casefold() for witness in witnesses)
        clock = (remaining, budget.seconds)
        outcome = _solve_class(request, formula, verify, clock, wanted, resource_account, taken)
        witnesses += outcome.witnesses
        if outcome.undecided is not None:
            undecided.append(outcome.undecided)
        if len(witnesses) >= budget.witnesses:
            break
    elapsed = time.perf_counter() - started
    if witnesses:
        return CheckResult(question, Verdict.FAIL, tuple(witnesses), elapsed=elapsed)
    if undecided:
        return CheckResult(question, Verdict.UNKNOWN, reason=undecided[0], elapsed=elapsed)
    return CheckResult(question, Verdict.PASS, elapsed=elapsed)


def guessed_fail(
    question: str, guessed: Iterable[Candidate], verify: Verifier, budget: Budget, resource_account: str | None
) -> CheckResult | None:
    """FAIL with the witnesses among ``guessed`` (``guess``), or ``None`` when none verifies in its time.

    Tried for a share of the budget before the solver; uses no z3, so it runs in the caller's thread even
    while a slice of another check holds the solver (``cutoff``). A FAIL also answers checks whose policies
    hold a construct the solver does not encode.
    """
    started = time.perf_counter()
    seconds = min(_GUESS_SECONDS, budget.seconds * _GUESS_SHARE)
    witnesses = _guessed(guessed, verify, budget.witnesses, resource_account, seconds)
    if not witnesses:
        return None
    return CheckResult(question, Verdict.FAIL, tuple(witnesses), elapsed=time.perf_counter() - started)


def _guessed(
    guessed: Iterable[Candidate], verify: Verifier, wanted: int, resource_account: str | None, seconds: float
) -> list[Witness]:
    """Witnesses among ``guessed`` (one per action), tried for ``seconds``; each verified by ``verify``.

    The clock starts at the first candidate: a process's first guess loads the service reference and
    compiles the evaluators, which on a loaded machine alone took longer than the guesses' share.
    """
    found: list[Witness] = []
    actions: set[str] = set()
    deadline: float | None = None
    for candidate in guessed:
        now = time.perf_counter()
        if deadline is None:
            deadline = now + seconds
        elif now >= deadline or len(found) >= wanted:
            break
        if candidate.action.casefold() in actions:
            continue
        decisions = _verified(candidate, verify)
        if decisions is None:
            continue
        actions.add(candidate.action.casefold())
        found.append(
            Witness(
                candidate.principal,
                action_spelling(candidate.action),
                candidate.resource,
                candidate.context,
                resource_account,
                decisions,
            )
        )
    return found


def _small(expression: z3.ExprRef) -> bool:
    """Whether ``expression`` has fewer than :data:`_SCREEN_NODES` nodes (z3 takes long just to assert a large one)."""
    seen = 0
    pending = [expression]
    while pending:
        seen += 1
        if seen >= _SCREEN_NODES:
            return False
        pending.extend(pending.pop().children())
    return True


def _some_part_impossible(request: SymbolicRequest, formula: z3.BoolRef, seconds: float) -> bool:
    """Whether the solver proves some conjunct of ``formula`` impossible alone (then the whole is).

    ``NEW and not OLD`` where OLD allows every request is impossible in its
    second part alone, which z3 sees at once; given whole, it first works
    through NEW's patterns. Only small parts are tried, each with a short
    timeout; "unknown" proves nothing.
    """
    parts = [part for part in (formula.children() if z3.is_and(formula) else []) if _small(part)]
    for part in parts:
        solver = z3.Solver()
        solver.set("timeout", max(1, int(seconds * 1000 / len(parts))))
        solver.add(*request.constraints)
        solver.add(part)
        if solver.check() == z3.unsat:
            return True
    return False


def _solve_class(
    request: SymbolicRequest,
    formula: z3.BoolRef,
    verify: Verifier,
    clock: tuple[Callable[[], float], float],
    wanted: int,
    resource_account: str | None,
    taken: frozenset[str],
) -> _Outcome:
    remaining, seconds = clock
    solver = z3.Solver()
    solver.add(*request.constraints)
    solver.add(formula)
    outcome = _Outcome()
    rejected = 0
    while True:
        left = remaining()
        if left <= 0:
            break
        solver.set("timeout", max(1, int(left * 1000)))
        answer = solver.check()
        if answer == z3.unsat:
            if rejected and not outcome.witnesses:
                outcome.undecided = f"{rejected} solver model(s) did not verify and were excluded; no other found"
            return outcome
        if answer == z3.unknown:
            break
        candidate = _candidate(request, solver.model())
        decisions = _verified(candidate, verify)
        if decisions is None:
            rejected += 1
            solver.add(_other_than(request, candidate))
            if rejected > _RETRIES:
                outcome.undecided = f"{rejected} solver models did not verify with the evaluators"
                return outcome
            continue
        shown_actions = taken | {witness.action.casefold() for witness in outcome.witnesses}
        shown, decisions = tidy(
            candidate, decisions, lambda other: _verified(other, verify), resource_account or "", shown_actions
        )
        outcome.witnesses.append(
            Witness(
                shown.principal,
                action_spelling(shown.action),
                shown.resource,
                shown.context,
                resource_account,
                decisions,
            )
        )
        if len(outcome.witnesses) >= wanted:
            return outcome
        # Ask for a witness with another action, to show the finding's breadth.
        for action in {candidate.action, shown.action}:
            solver.add(z3.InRe(request.action, z3.Complement(z3.Re(action))))
    if not outcome.witnesses:
        outcome.undecided = out_of_budget(seconds) if remaining() <= 0 else "the solver gave up"
    return outcome


def _verified(candidate: Candidate, verify: Verifier) -> dict[str, str] | None:
    """The evaluators' decisions when they confirm ``candidate`` refutes the property, else ``None``."""
    try:
        return verify(candidate)
    except InvalidInputError:
        return None


def _candidate(request: SymbolicRequest, model: z3.ModelRef) -> Candidate:
    return Candidate(
        principal=request.caller.arn_text(model),
        action=model.eval(request.action, model_completion=True).as_string(),
        resource="*"
        if z3.is_true(model.eval(request.resource_is_star, model_completion=True))
        else model.eval(request.resource, model_completion=True).as_string(),
        context=dict(request.context.render(model, frozenset(request.caller.keys()))),
    )


def _other_than(request: SymbolicRequest, candidate: Candidate) -> z3.BoolRef:
    """Excludes the candidate's action and resource pair (a model that did not verify)."""
    other_action = z3.InRe(request.action, z3.Complement(z3.Re(candidate.action)))
    if candidate.resource == "*":
        return z3.Or(other_action, z3.Not(request.resource_is_star))
    other_resource = z3.InRe(request.resource, z3.Complement(z3.Re(candidate.resource)))
    return z3.Or(other_action, request.resource_is_star, other_resource)
