"""Policy variables (spec §D), split once so a request only fills the gaps.

A template is the policy text cut into pieces: raw policy text, literal
characters from ``${*}``/``${?}``/``${$}``, and variables (``${aws:username}``,
``${aws:PrincipalTag/team, 'default'}``). Raw text keeps its wildcards when the
template feeds a glob; everything substituted (variable values and the
special characters) is literal there. A variable whose key has no
single-valued entry in the request context and no default leaves the whole
template unresolved (``None``): that value matches nothing.

Variables are only substituted under Version ``2012-10-17``; callers decide
where (the resource part of a ``Resource`` ARN, ``String*``/``Arn*``/``Bool``
condition values) and otherwise keep the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from iamsim._engine.request import ContextValue
from iamsim._engine.wildcards import glob_regex_source

__all__ = [
    "Piece",
    "Template",
    "Variable",
    "parse_template",
]

_VARIABLE = re.compile(r"\$\{([^{}]+)\}")
_KEY_WITH_DEFAULT = re.compile(r"\s*([^\s,']+)\s*(?:,\s*'([^']*)'\s*)?")
_SPECIALS = frozenset({"*", "?", "$"})


@dataclass(frozen=True, slots=True)
class Variable:
    """One ``${key}`` or ``${key, 'default'}``; ``key`` is lowercased (keys are case-insensitive)."""

    key: str
    default: str | None = None

    def resolve(self, context: Mapping[str, ContextValue]) -> str | None:
        """The key's single value, else the default, else ``None`` (multivalued keys cannot be variables)."""
        value = context.get(self.key)
        if isinstance(value, str):
            return value
        return self.default


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of template text, or a variable.

    ``raw`` is true for policy text as written (its ``*``/``?`` stay wildcards
    in a glob); false for literal characters from ``${*}``, ``${?}``, ``${$}``.
    ``regex`` is the piece's regex source, precomputed for glob use.
    """

    text: str
    raw: bool
    regex: str
    variable: Variable | None = None


@dataclass(frozen=True, slots=True)
class Template:
    """A value with policy variables, pre-split into :class:`Piece` runs.

    ``static`` is the whole text when no variable needs the request (the
    pieces may still hold ``${*}``-style literals).
    """

    pieces: tuple[Piece, ...]
    static: str | None

    @property
    def has_variables(self) -> bool:
        """Whether rendering needs the request context."""
        return self.static is None

    @property
    def keys(self) -> tuple[str, ...]:
        """The lowercased context keys the template reads."""
        return tuple(piece.variable.key for piece in self.pieces if piece.variable is not None)

    # render, render_regex and render_runs each keep their own resolve-or-give-up loop: they run per request
    # on the decision path, and one loop over a form parameter measured 15-20% slower on a timeit of each.
    def render(self, context: Mapping[str, ContextValue]) -> str | None:
        """The text with variables substituted, or ``None`` when one is unresolved."""
        if self.static is not None:
            return self.static
        out: list[str] = []
        for piece in self.pieces:
            if piece.variable is None:
                out.append(piece.text)
                continue
            value = piece.variable.resolve(context)
            if value is None:
                return None
            out.append(value)
        return "".join(out)

    def render_regex(self, context: Mapping[str, ContextValue]) -> str | None:
        """Regex source for the template as a glob: raw text keeps wildcards, substitutions are escaped."""
        out: list[str] = []
        for piece in self.pieces:
            if piece.variable is None:
                out.append(piece.regex)
                continue
            value = piece.variable.resolve(context)
            if value is None:
                return None
            out.append(re.escape(value))
        return "".join(out)

    def render_runs(self, context: Mapping[str, ContextValue]) -> list[tuple[str, bool]] | None:
        """The rendered text as ``(text, raw)`` runs (``raw``: wildcards live), or ``None`` if unresolved."""
        out: list[tuple[str, bool]] = []
        for piece in self.pieces:
            if piece.variable is None:
                out.append((piece.text, piece.raw))
                continue
            value = piece.variable.resolve(context)
            if value is None:
                return None
            out.append((value, False))
        return out


def _raw(text: str) -> Piece:
    return Piece(text, True, glob_regex_source(text))


def parse_template(text: str) -> Template:
    """Split ``text`` into pieces; anything that is not a well-formed variable stays raw text."""
    pieces: list[Piece] = []
    position = 0
    for match in _VARIABLE.finditer(text):
        body = match.group(1)
        if body in _SPECIALS:
            piece = Piece(body, False, re.escape(body))
        else:
            parts = _KEY_WITH_DEFAULT.fullmatch(body)
            if parts is None:
                continue
            piece = Piece(match.group(), False, "", Variable(parts.group(1).lower(), parts.group(2)))
        if match.start() > position:
            pieces.append(_raw(text[position : match.start()]))
        pieces.append(piece)
        position = match.end()
    if position < len(text) or not pieces:
        pieces.append(_raw(text[position:]))
    static = None if any(piece.variable is not None for piece in pieces) else "".join(p.text for p in pieces)
    return Template(tuple(pieces), static)
