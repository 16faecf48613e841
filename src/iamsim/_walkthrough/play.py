"""Playing a scenario: run its steps in a fresh simulator, one at a time, numbering them and logging events."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from iamsim._clock import ManualClock
from iamsim._walkthrough.diagram import walkthrough_mermaid
from iamsim._walkthrough.model import Step, Walkthrough
from iamsim._walkthrough.scenarios import DEFAULT_SCENARIO, SCENARIOS, VARIATION_NAMES, Scenario
from iamsim._walkthrough.stage import Stage
from iamsim.errors import UsageError

__all__ = ["WalkthroughRun", "run_walkthrough"]


def _scenario(name: str) -> Scenario:
    scenario = SCENARIOS.get(name)
    if scenario is None:
        raise UsageError(f"unknown scenario {name!r}; choose one of: {', '.join(SCENARIOS)}")
    return scenario


class WalkthroughRun:
    """One play of a scenario (and optionally a variation) in its own simulator.

    Iterate to run the steps one by one (each runs only when asked for, so a
    reader can pause between them); :meth:`finish` runs what is left and
    returns the whole :class:`~iamsim._walkthrough.model.Walkthrough`.
    """

    def __init__(self, scenario: str = DEFAULT_SCENARIO, variation: str | None = None, *, seed: int = 0) -> None:
        self.scenario = _scenario(scenario)
        if variation is not None and variation not in VARIATION_NAMES:
            raise UsageError(f"unknown variation {variation!r}; choose one of: {', '.join(VARIATION_NAMES)}")
        self.variation = variation
        self.stage = Stage(self.scenario.setup, self.scenario.bucket, seed=seed, clock=ManualClock())
        self._plan = self.scenario.plan(variation)
        self._done: list[Step] = []
        self._started = self.stage.now_text()

    @property
    def total(self) -> int:
        """How many steps the run has."""
        return len(self._plan)

    @property
    def started(self) -> str:
        """The simulated time the run started at."""
        return self._started

    def __iter__(self) -> Iterator[Step]:
        while len(self._done) < len(self._plan):
            yield self._next()

    def _next(self) -> Step:
        before = self.stage.last_event()
        step = self._plan[len(self._done)](self.stage)
        step = replace(step, number=len(self._done) + 1, events=self.stage.events_since(before))
        self._done.append(step)
        return step

    def finish(self) -> Walkthrough:
        """Run every step not run yet; return the whole walkthrough."""
        for _ in self:
            pass
        return Walkthrough(
            scenario=self.scenario.name,
            variation=self.variation,
            title=self.scenario.title,
            introduction=self.scenario.introduction,
            account=self.stage.account,
            steps=tuple(self._done),
            events=self.stage.sim.events(),
        )

    def mermaid(self) -> str:
        """The flow so far as a Mermaid sequence diagram, from the simulator's event log."""
        title = self.scenario.title + (f" ({self.variation})" if self.variation else "")
        return walkthrough_mermaid(self.stage.sim.events(), title=title)


def run_walkthrough(scenario: str = DEFAULT_SCENARIO, variation: str | None = None, *, seed: int = 0) -> Walkthrough:
    """Play ``scenario`` (with ``variation``) to the end and return every step."""
    return WalkthroughRun(scenario, variation, seed=seed).finish()
