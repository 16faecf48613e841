"""The walkthrough's flow as a Mermaid sequence diagram, drawn from the simulator's event log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from iamsim._simulator.events import Event, render_mermaid

__all__ = ["walkthrough_mermaid"]

# The log names a service by its action prefix for decisions and by its API name for calls;
# one participant per service reads better.
_PARTICIPANTS = {
    "sts": "STS",
    "s3": "S3",
    "iam": "IAM",
    "admin": "you (administrator)",
    "EC2 metadata": "instance metadata service",
}


def _participant(name: str) -> str:
    return _PARTICIPANTS.get(name, name)


def walkthrough_mermaid(events: Iterable[Event], *, title: str) -> str:
    """A ``sequenceDiagram`` of ``events`` with one participant per service."""
    return render_mermaid(
        (replace(e, actor=_participant(e.actor), target=_participant(e.target)) for e in events), title=title
    )
