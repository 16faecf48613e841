"""Policy variables, substituted the plain way (spec §D).

``${key}`` is replaced by the request's value for ``key`` (key names are
case-insensitive); ``${key, 'default'}`` falls back to ``default`` when the key
has no value; ``${*}``, ``${?}`` and ``${$}`` stand for a literal ``*``, ``?``
and ``$``. Substituted text is always literal, never a wildcard. A multivalued
key has no value as a variable. A variable with no value and no default leaves
the whole value unresolved: the caller then treats that value as matching
nothing. Text that does not form a complete variable is kept as written.
Substitution happens only when the policy's ``Version`` is ``2012-10-17``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from iamsim._engine.reference.wildcards import Pattern, Piece, Wildcard
from iamsim._engine.request import ContextValue

__all__ = ["VariableScope"]

#: The special variables and the literal character each stands for.
_SPECIAL = {"*": "*", "?": "?", "$": "$"}


@dataclass(frozen=True, slots=True)
class _Variable:
    """One ``${...}`` found in a value: its key (or special char) and default."""

    key: str
    default: str | None
    end: int  # index just past the closing brace


def _read_variable(text: str, start: int) -> _Variable | None:
    """Read the variable whose ``${`` is at ``start``; ``None`` if it is not well formed."""
    close = text.find("}", start + 2)
    comma = text.find(",", start + 2)
    if close == -1:
        return None
    if comma == -1 or comma > close:
        key = text[start + 2 : close].strip()
        return _Variable(key, None, close + 1) if key else None
    # ``${key, 'default'}``: the default is single-quoted and may contain ``}``.
    key = text[start + 2 : comma].strip()
    position = comma + 1
    while position < len(text) and text[position] == " ":
        position += 1
    if not key or position >= len(text) or text[position] != "'":
        return None
    quote_end = text.find("'", position + 1)
    if quote_end == -1:
        return None
    default = text[position + 1 : quote_end]
    position = quote_end + 1
    while position < len(text) and text[position] == " ":
        position += 1
    if position >= len(text) or text[position] != "}":
        return None
    return _Variable(key, default, position + 1)


@dataclass(frozen=True, slots=True)
class VariableScope:
    """What variables resolve to for one request and one policy.

    ``context`` is the request context (lowercased keys); ``enabled`` is the
    policy's :attr:`~iamsim._policy.model.Policy.variables_enabled`.
    """

    context: Mapping[str, ContextValue]
    enabled: bool

    def value_of(self, key: str) -> str | None:
        """The text a variable ``key`` stands for, ignoring defaults; ``None`` if it has none."""
        if key in _SPECIAL:
            return _SPECIAL[key]
        value = self.context.get(key.lower())
        # Only single-valued keys can be variables (spec §D).
        return value if isinstance(value, str) else None

    def pattern(self, text: str, *, wildcards: bool = True) -> Pattern | None:
        """Substitute the variables of ``text`` into a pattern.

        Outside variables, ``*`` and ``?`` are wildcards when ``wildcards`` is
        true and literal otherwise; substituted text is always literal.
        Returns ``None`` when some variable has no value and no default.
        """
        pieces: list[Piece] = []
        position = 0
        while position < len(text):
            variable = _read_variable(text, position) if self.enabled and text.startswith("${", position) else None
            if variable is not None:
                value = self.value_of(variable.key)
                if value is None:
                    value = variable.default
                if value is None:
                    return None
                pieces.extend(value)
                position = variable.end
                continue
            char = text[position]
            if wildcards and char == "*":
                pieces.append(Wildcard.ANY_RUN)
            elif wildcards and char == "?":
                pieces.append(Wildcard.ONE_CHAR)
            else:
                pieces.append(char)
            position += 1
        return tuple(pieces)

    def literal(self, text: str) -> str | None:
        """Substitute the variables of ``text`` into plain text (for operators without wildcards)."""
        pattern = self.pattern(text, wildcards=False)
        if pattern is None:
            return None
        return "".join(piece for piece in pattern if isinstance(piece, str))
