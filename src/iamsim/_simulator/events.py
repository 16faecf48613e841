"""The event log: every call and decision, in order, renderable as a Mermaid sequence diagram."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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


_new_event = object.__new__
_EVENT_SLOTS = Event.__dict__
_set_seq = _EVENT_SLOTS["seq"].__set__
_set_time = _EVENT_SLOTS["time"].__set__
_set_actor = _EVENT_SLOTS["actor"].__set__
_set_target = _EVENT_SLOTS["target"].__set__
_set_action = _EVENT_SLOTS["action"].__set__
_set_subject = _EVENT_SLOTS["subject"].__set__
_set_outcome = _EVENT_SLOTS["outcome"].__set__


class EventLog:
    """An ordered, bounded log of :class:`Event` (the oldest are dropped beyond ``limit``)."""

    def __init__(self, limit: int = 10_000) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise InvalidInputError(f"event_limit must be a whole number of events, not {limit!r}")
        self._events: deque[Event] = deque(maxlen=limit)
        self._next = 1

    def record(self, time: str, actor: str, target: str, action: str, subject: str, outcome: str) -> Event:
        """Append an event and return it."""
        # Equal to ``Event(...)``: setting the slots directly spares the frozen ``__init__`` (one
        # ``object.__setattr__`` per field), a visible share of every authorization's cost.
        event: Event = _new_event(Event)
        _set_seq(event, self._next)
        _set_time(event, time)
        _set_actor(event, actor)
        _set_target(event, target)
        _set_action(event, action)
        _set_subject(event, subject)
        _set_outcome(event, outcome)
        self._next += 1
        self._events.append(event)
        return event

    def __iter__(self) -> Iterator[Event]:
        return iter(tuple(self._events))

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
