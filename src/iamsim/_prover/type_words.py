"""The resource-type word rule (spec §B.2) as a regular expression over the request's resource.

IAM's identifiers page (UG: reference_identifiers.html, "ARNs") says a
wildcard cannot stand for the resource-type word of an IAM ARN. The reference
evaluator (``_engine/reference/statements.py``) reads it so: when the request's
resource is *typed* (``_engine/resource_types.request_type``: its resource part
begins with one of the service's words and a separator, and the whole ARN fits
a bundled format of that type), a ``Resource`` entry whose resource part is not
only ``*`` matches it only when the entry's literal start (its text before the
first ``*``, ``?`` or ``${``) begins with that word.

Both halves are finite: the typed resources of one word are a regular language
(the ARN's six-field shape intersected with the word's format globs, each
``${...}`` one or more characters), and the words come from the bundled service
reference. So an entry's match is one membership: its own pattern minus the
typed resources of every word its literal start does not spell.
"""

from __future__ import annotations

import z3

from iamsim._engine.resource_types import RULED_SERVICES, format_globs, literal_start
from iamsim._prover.regex import NON_COLON, PRINTABLE, Regex, glob_regex, sequence

__all__ = ["refused_types"]


def _typed(service: str, word: str, globs: tuple[str, ...]) -> Regex:
    """Every resource ``request_type`` reads as ``(service, word)``."""
    shape = sequence(
        [
            z3.Re("arn:"),
            z3.Star(NON_COLON),
            z3.Re(f":{service}:"),
            z3.Star(NON_COLON),
            z3.Re(":"),
            z3.Star(NON_COLON),
            z3.Re(f":{word}"),
            z3.Union(z3.Re("/"), z3.Re(":")),
            z3.Star(PRINTABLE),
        ]
    )
    return z3.Intersect(shape, z3.Union(*[glob_regex(glob) for glob in globs]))


def refused_types(entry: str) -> tuple[Regex, frozenset[str]] | None:
    """The typed resources ``entry`` may not match, and the characters that regex mentions.

    ``None`` when the rule takes nothing from the entry: no resource part, a
    resource part of only ``*``, a literal service field outside
    :data:`RULED_SERVICES` (no resource it matches is typed), or a literal
    start that spells every word.
    """
    fields = entry.split(":", 5)
    if len(fields) < 6:
        return None
    part = fields[5]
    if part and set(part) == {"*"}:
        return None
    # With no wildcard up to the service field, every resource the entry matches has that service field.
    if not any(char in field for field in fields[:3] for char in "*?") and fields[2] not in RULED_SERVICES:
        return None
    start = literal_start(part)
    unspelled = sorted(
        (service, word, globs) for (service, word), globs in format_globs().items() if not start.startswith(word)
    )
    if not unspelled:
        return None
    regexes = [_typed(service, word, globs) for service, word, globs in unspelled]
    mentioned = frozenset(
        char for service, word, globs in unspelled for text in (service, word, "arn:/", *globs) for char in text
    )
    return (z3.Union(*regexes) if len(regexes) > 1 else regexes[0]), mentioned
