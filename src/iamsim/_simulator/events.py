"""The event log: every call and decision, in order, renderable as a Mermaid sequence diagram."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from iamsim._clock import iso8601
from iamsim.errors import UsageError

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


#: An event as recorded: its number, the time of the call (a ``datetime``, formatted when read), actor,
#: target, action, subject and outcome. Recording is on every authorization's path and reading is rare,
#: so the :class:`Event` and its ISO 8601 time are made on the first read, once, and kept.
_Raw = tuple[int, "datetime | str", str, str, str, str, str]


def _event(raw: _Raw) -> Event:
    seq, when, actor, target, action, subject, outcome = raw
    return Event(seq, when if isinstance(when, str) else iso8601(when), actor, target, action, subject, outcome)


class EventLog:
    """An ordered, bounded log of :class:`Event` (the oldest are dropped beyond ``limit``)."""

    def __init__(self, limit: int = 10_000) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise UsageError(f"event_limit must be a whole number of events, not {limit!r}")
        #: Events already read; ``_unread`` holds the newer ones as recorded, until the next read.
        self._events: deque[Event] = deque(maxlen=limit)
        self._unread: deque[_Raw] = deque(maxlen=limit)
        self._next = 1

    def record(self, time: datetime | str, actor: str, target: str, action: str, subject: str, outcome: str) -> None:
        """Append an event; ``time`` is the moment of the call (formatted as ISO 8601 when read)."""
        self._unread.append((self._next, time, actor, target, action, subject, outcome))
        self._next += 1

    def _read(self) -> deque[Event]:
        """Every kept event as an :class:`Event`, oldest first (each unread one is made once, here)."""
        if self._unread:
            # The bounded deque drops the oldest read events as the newer ones come in.
            self._events.extend(map(_event, self._unread))
            self._unread.clear()
        return self._events

    def __iter__(self) -> Iterator[Event]:
        return iter(tuple(self._read()))

    def since(self, seq: int) -> list[Event]:
        """The events numbered above ``seq``, oldest first (walks back from the newest only)."""
        found: list[Event] = []
        for event in reversed(self._read()):
            if event.seq <= seq:
                break
            found.append(event)
        found.reverse()
        return found

    def __len__(self) -> int:
        return min(len(self._events) + len(self._unread), self.limit)

    def clear(self) -> None:
        """Forget every event (numbering continues)."""
        self._events.clear()
        self._unread.clear()

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
        self.clear()
        self._events.extend(events)
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
