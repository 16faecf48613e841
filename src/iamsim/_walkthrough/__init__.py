"""The seed tutorial, played and narrated: scenarios as steps of data, rendered as text, JSON or Mermaid.

The engine knows nothing of click: :class:`WalkthroughRun` plays a scenario
in a fresh :class:`~iamsim._simulator.Simulator` on a
:class:`~iamsim.ManualClock`, step by step; the renderers turn the steps into
narrated text (:func:`render_step`), JSON (:func:`walkthrough_json`) or a
Mermaid diagram (:meth:`WalkthroughRun.mermaid`).
"""

from __future__ import annotations

from iamsim._walkthrough.json_output import walkthrough_json
from iamsim._walkthrough.model import (
    CheckedStatement,
    DeterminingStatement,
    Outcome,
    OutcomeKind,
    Part,
    Step,
    Walkthrough,
)
from iamsim._walkthrough.play import WalkthroughRun, run_walkthrough
from iamsim._walkthrough.render_text import Styler, plain, render_closing, render_heading, render_step
from iamsim._walkthrough.scenarios import DEFAULT_SCENARIO, SCENARIOS, VARIATION_NAMES, Scenario

__all__ = [
    "DEFAULT_SCENARIO",
    "SCENARIOS",
    "VARIATION_NAMES",
    "CheckedStatement",
    "DeterminingStatement",
    "Outcome",
    "OutcomeKind",
    "Part",
    "Scenario",
    "Step",
    "Styler",
    "Walkthrough",
    "WalkthroughRun",
    "plain",
    "render_closing",
    "render_heading",
    "render_step",
    "run_walkthrough",
    "walkthrough_json",
]
