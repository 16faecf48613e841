"""Cutting the action space by service, so each solver call sees only the patterns that can match (spec §B.1).

An action's service is its text before the first ``:``. Take the services
that the policies' action patterns name literally (``s3`` in ``s3:Get*``):
every action is in exactly one class, ``s3:…`` for one of them, or the
*other* class of services none names. Within a class an action pattern
whose service is literal and not the class's cannot match, so it is the
formula ``False`` there, exactly; a pattern whose service part has a
wildcard (``*``, ``s3*:Get*``) stays in every class. The check's formula is
the disjunction of its per-class formulas: it is satisfiable exactly when
one class's is, so a PASS needs every class proved and a FAIL one verified
witness. ``AdministratorAccess`` against ``ReadOnlyAccess`` becomes a few
hundred small questions instead of one over a union of thousands of globs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import z3

from iamsim._prover.regex import PRINTABLE, Regex

__all__ = ["ActionClass", "action_classes", "pattern_service"]

#: Below this many distinct action patterns the check is not cut: one solver call costs less.
_CUT_FROM = 64


@dataclass(frozen=True, slots=True)
class ActionClass:
    """The actions of some services (``services``), or of every service but ``others`` (``services`` empty).

    ``ActionClass()`` is every action (the check is not cut).
    """

    services: frozenset[str] = frozenset()
    others: frozenset[str] = frozenset()

    def admits(self, service: str | None) -> bool:
        """Whether a pattern of literal service ``service`` (``None``: a wildcard service part) may match here."""
        if service is None:
            return True
        if self.services:
            return service in self.services
        return service not in self.others

    def regex(self) -> Regex | None:
        """The class's actions as a regular expression (``None``: every action)."""
        listed = sorted(self.services or self.others)
        named = [z3.Concat(z3.Re(service + ":"), z3.Star(PRINTABLE)) for service in listed]
        if not named:
            return None
        union = z3.Union(*named) if len(named) > 1 else named[0]
        return union if self.services else z3.Complement(union)

    def label(self) -> str:
        """How a reason names the class."""
        if self.services:
            return ", ".join(f"{service}:*" for service in sorted(self.services))
        return "actions of other services" if self.others else "every action"


def pattern_service(folded: str) -> str | None:
    """The literal service of a casefolded action pattern; ``None`` when its service part has a wildcard.

    A pattern with no colon and no wildcard names no action of the domain
    (every action has a colon); its "service" is the whole text with a colon
    added, which no class of a real service admits.
    """
    head, colon, _ = folded.partition(":")
    if "*" in head or "?" in head:
        return None
    return head if colon else folded + ":"


def action_classes(patterns: Iterable[str]) -> list[ActionClass]:
    """The classes a check over these casefolded action patterns is cut into (one uncut class when few).

    One class per named service: grouping services into larger classes was
    measured slower (z3's time grows faster than the union it is given).
    """
    distinct = set(patterns)
    if len(distinct) < _CUT_FROM:
        return [ActionClass()]
    services = {service for service in map(pattern_service, distinct) if service is not None and ":" not in service}
    return [ActionClass(services=frozenset({service})) for service in sorted(services)] + [
        ActionClass(others=frozenset(services))
    ]
