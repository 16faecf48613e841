"""Terminal output: decisions in colour on a terminal, plain when piped or with ``NO_COLOR``.

``click.echo`` drops the colour codes itself when the stream is not a
terminal; the group turns colour off when ``NO_COLOR`` is set.
"""

from __future__ import annotations

import json
from typing import Any

import click

from iamsim._engine.result import Decision

__all__ = ["FORMATS", "decision_label", "echo_json", "fail_label", "pass_label"]

#: The ``--format`` choices of commands whose output a machine may read.
FORMATS = ("text", "json")

_DECISION_STYLES = {
    Decision.ALLOWED: ("ALLOWED", "green"),
    Decision.EXPLICIT_DENY: ("EXPLICIT DENY", "red"),
    Decision.IMPLICIT_DENY: ("IMPLICIT DENY", "yellow"),
}
_WIDTH = max(len(label) for label, _ in _DECISION_STYLES.values())


def decision_label(decision: Decision, *, pad: bool = True) -> str:
    """The decision in capitals and coloured, padded to one width unless ``pad`` is false."""
    label, colour = _DECISION_STYLES[decision]
    return click.style(label.ljust(_WIDTH) if pad else label, fg=colour, bold=True)


def pass_label() -> str:
    """``PASS`` in green."""
    return click.style("PASS", fg="green", bold=True)


def fail_label() -> str:
    """``FAIL`` in red."""
    return click.style("FAIL", fg="red", bold=True)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON with a trailing newline."""
    click.echo(json.dumps(data, indent=2, sort_keys=False))
