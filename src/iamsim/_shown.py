"""How a library message shows a value the caller passed: short, and never failing itself.

Misuse messages name the offending value, and the value can be anything: ``repr`` of an
integer over 4,300 digits (or of a list holding one) raises ``ValueError``, and a huge
string would make a huge message. ``shown`` is the one way those messages quote a value.
"""

from __future__ import annotations

__all__ = ["shown"]

#: Longest quoted value, in characters, before it is cut short with ``...``.
_LIMIT = 60


def shown(value: object) -> str:
    """``repr(value)`` cut to a readable length; a value without a printable ``repr`` is named by its type."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return "an integer too large"
    try:
        text = repr(value)
    except ValueError:
        return f"a {type(value).__name__} holding an integer too large"
    return text if len(text) <= _LIMIT else f"{text[: _LIMIT - 3]}..."
