"""The walkthrough as narrated text: short paragraphs, the command, what AWS answers, the decision.

Colour is the caller's business: every styled piece goes through a
:data:`Styler` with a role name (``title``, ``heading``, ``command``,
``allowed``, ``denied``, ``ok``, ``error``, ``label``, ``muted``), and
:func:`plain` ignores the role.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from typing import Any

from iamsim._walkthrough.model import Outcome, OutcomeKind, Step

__all__ = ["WIDTH", "Styler", "plain", "render_closing", "render_heading", "render_step"]

#: Paragraph width, for an 80-column terminal.
WIDTH = 78
_INDENT = "  "
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

#: ``style(text, role) -> text``.
Styler = Callable[[str, str], str]


def plain(text: str, _role: str) -> str:
    """A styler that adds nothing."""
    return text


def _wrap(text: str, indent: str = "", subsequent: str | None = None) -> str:
    return textwrap.fill(
        text,
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if subsequent is None else subsequent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _shorten(value: Any) -> Any:
    # Session tokens run to hundreds of characters; text shows their start (JSON keeps them whole).
    if isinstance(value, str) and len(value) > 120:
        return f"{value[:24]}... ({len(value)} characters)"
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v) for v in value]
    return value


def _json_block(value: Any, indent: str) -> str:
    text = json.dumps(_shorten(value), indent=2)
    return "\n".join(indent + line for line in text.splitlines())


def _command(command: str | None, style: Styler) -> list[str]:
    if command is None:
        return [_INDENT + style("(no AWS call in this step)", "muted")]
    lines = []
    for line in command.splitlines():
        if line.startswith("#"):
            lines.append(_INDENT + style(line, "muted"))
        elif line.startswith(" "):
            lines.append(_INDENT + "  " + style(line, "command"))
        else:
            lines.append(_INDENT + "$ " + style(line, "command"))
    return lines


def _inputs(inputs: dict[str, Any], style: Styler) -> list[str]:
    scalars = {k: v for k, v in inputs.items() if not isinstance(v, dict | list)}
    documents = {k: v for k, v in inputs.items() if isinstance(v, dict | list)}
    lines: list[str] = []
    if scalars:
        width = max(len(k) for k in scalars) + 2
        lines.append(_INDENT + style("Inputs:", "label"))
        lines.extend(f"{_INDENT * 2}{k.replace('_', ' ').ljust(width)}{v}" for k, v in scalars.items())
    for key, document in documents.items():
        lines.append(_INDENT + style(f"{key.replace('_', ' ').capitalize()}:", "label"))
        lines.append(_json_block(document, _INDENT * 2))
    return lines


def _result(outcome: Outcome, style: Styler) -> list[str]:
    decision = outcome.decision
    if decision is OutcomeKind.ALLOWED:
        label = style("ALLOWED", "allowed")
    elif decision.denied:
        kind = "explicit deny" if decision is OutcomeKind.EXPLICIT_DENY else "implicit deny"
        label = style(f"DENIED ({kind})", "denied")
    elif decision is OutcomeKind.ERROR:
        label = style("ERROR", "error")
    else:
        label = style("OK", "ok")
    code = f"{outcome.error_code}: " if outcome.error_code else ""
    lines = [_labelled(f"{_INDENT}{style('Result:', 'label')} {label}", f"{code}{outcome.message}")]
    for ref in outcome.determining:
        lines.append(_labelled(f"{_INDENT}{style('Decided by:', 'label')}", ref.description))
        if ref.statement is not None:
            compact = json.dumps(ref.statement)
            if len(compact) + 2 * len(_INDENT) <= WIDTH:
                lines.append(_INDENT * 2 + style(compact, "muted"))
            else:
                lines.append(style(_json_block(ref.statement, _INDENT * 2), "muted"))
    return lines


def _labelled(head: str, text: str) -> str:
    # Wrap as if the (possibly coloured) head were plain spaces of its visible width.
    visible = len(_ANSI.sub("", head)) + 1
    wrapped = _wrap(text, " " * visible, _INDENT * 2)
    return head + " " + wrapped[visible:]


def render_heading(
    title: str,
    introduction: tuple[str, ...],
    scenario: str,
    variation: str | None,
    *,
    account: str,
    started: str,
    total: int,
    style: Styler = plain,
) -> str:
    """The opening: the scenario's title and introduction, and where the simulated world starts."""
    lines = [style(f"iamsim walkthrough: {title}", "title"), ""]
    for paragraph in introduction:
        lines.extend([_wrap(paragraph), ""])
    chosen = f", variation {variation}" if variation else ""
    lines.append(
        _wrap(
            f"Scenario {scenario}{chosen}: {total} steps in a fresh simulated account, {account}; "
            f"the simulated clock starts at {started}."
        )
    )
    return "\n".join(lines)


def render_step(step: Step, total: int, style: Styler = plain) -> str:
    """One step as narrated text (no trailing newline)."""
    title = f"Step {step.number} of {total}: {step.title}"
    lines = [style(title, "heading"), style("-" * min(len(title), WIDTH), "heading"), ""]
    for paragraph in step.explanation:
        lines.extend([_wrap(paragraph), ""])
    lines.extend(_command(step.aws_cli, style))
    lines.append("")
    sent = _inputs(step.inputs, style)
    if sent:
        lines.extend([*sent, ""])
    if step.response is not None:
        lines.extend([_INDENT + style("AWS answers:", "label"), _json_block(step.response, _INDENT * 2), ""])
    if step.parts:
        lines.append(_INDENT + style("What each part means:", "label"))
        for part in step.parts:
            lines.append(f"{_INDENT * 2}{style(part.name, 'label')}  {part.value}")
            lines.append(_wrap(part.meaning, _INDENT * 3))
        lines.append("")
    lines.extend(_result(step.outcome, style))
    return "\n".join(lines)


def render_closing(scenario: str, variation: str | None, variations: tuple[str, ...], style: Styler = plain) -> str:
    """The end: what to try next."""
    lines = [style("That is the whole flow.", "heading"), ""]
    others = [v for v in variations if v != variation]
    if others:
        lines.append(_wrap("Now try a variation, each one option away:"))
        lines.extend(
            _INDENT + "$ " + style(f"iamsim walkthrough --scenario {scenario} --variation {v}", "command")
            for v in others
        )
        lines.append("")
    lines.append(
        _wrap(
            "Add --step to pause after each step, --format json for the steps as data, or --diagram flow.mmd "
            "for a Mermaid sequence diagram of every call."
        )
    )
    return "\n".join(lines)
