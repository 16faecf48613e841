"""The event log: every call and decision, in order, renderable as a Mermaid sequence diagram."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from iamsim._clock import iso8601
from iamsim.errors import InvalidInputError

__all__ = ["Event", "EventLog", "render_mermaid"]


@dataclass(frozen=True, slots=True)
class Event:
    """One call or decision.

    ``actor`` asked ``target`` to do ``action`` (about ``subject``, if any);
    ``outcome`` is ``ok``, a decision (``allowed``/``explicitDeny``/
    ``implicitDeny``) or an AWS error code.
    """

    seq: int
    time: str
    actor: str
    target: str
    action: str
    subject: str
    outcome: str


#: What the log keeps per event: its number, the time (a ``datetime`` until someone reads it, then its
#: ISO 8601 text), actor, target, action, subject and outcome. Building the :class:`Event` and formatting
#: the time wait until the log is read: recording is on every authorization's path, reading is rare.
_Raw = tuple[int, "datetime | str", str, str, str, str, str]


def _event(raw: _Raw) -> Event:
    seq, when, actor, target, action, subject, outcome = raw
    return Event(seq, when if isinstance(when, str) else iso8601(when), actor, target, action, subject, outcome)


class EventLog:
    """An ordered, bounded log of :class:`Event` (the oldest are dropped beyond ``limit``)."""

    def __init__(self, limit: int = 10_000) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise InvalidInputError(f"event_limit must be a whole number of events, not {limit!r}")
        self._events: deque[_Raw] = deque(maxlen=limit)
        self._next = 1

    def record(self, time: datetime | str, actor: str, target: str, action: str, subject: str, outcome: str) -> None:
        """Append an event; ``time`` is the moment of the call (formatted as ISO 8601 when read)."""
        self._events.append((self._next, time, actor, target, action, subject, outcome))
        self._next += 1

    def __iter__(self) -> Iterator[Event]:
        return iter([_event(raw) for raw in self._events])

    def __len__(self) -> int:
        return len(self._events)

    def clear(self) -> None:
        """Forget every event (numbering continues)."""
        self._events.clear()

    @property
    def limit(self) -> int:
        """How many events are kept."""
        return self._events.maxlen or 0

    @property
    def next_seq(self) -> int:
        """The number the next event gets."""
        return self._next

    def load(self, events: Iterable[Event], next_seq: int) -> None:
        """Replace the log's content (for snapshots)."""
        self._events.clear()
        self._events.extend((e.seq, e.time, e.actor, e.target, e.action, e.subject, e.outcome) for e in events)
        self._next = next_seq


def _label(name: str) -> str:
    # Mermaid reads ';' and '#' as syntax; ARNs are shortened to what a reader needs.
    if name.startswith("arn:"):
        name = name.split(":", 5)[-1] or name
    return name.replace(";", ",").replace("#", "")


def render_mermaid(events: Iterable[Event], *, title: str | None = None) -> str:
    """A Mermaid ``sequenceDiagram`` of ``events``: one request arrow and one reply arrow each."""
    listed = list(events)
    names: dict[str, str] = {}
    for event in listed:
        for who in (event.actor, event.target):
            names.setdefault(who, f"P{len(names) + 1}")
    lines = ["sequenceDiagram"]
    if title:
        lines.append(f"    title {_label(title)}")
    lines.extend(f"    participant {alias} as {_label(name)}" for name, alias in names.items())
    for event in listed:
        actor, target = names[event.actor], names[event.target]
        subject = f" {_label(event.subject)}" if event.subject else ""
        lines.append(f"    {actor}->>{target}: {event.action}{subject}")
        lines.append(f"    {target}-->>{actor}: {event.outcome}")
    return "\n".join(lines) + "\n"
