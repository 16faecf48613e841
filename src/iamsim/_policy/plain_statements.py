"""The parser's quick path: reading a plainly well-formed statement with the fewest operations (issue 16).

Most statements of identity-side policies are a plain dict of ``Sid``, ``Effect``, ``Action`` and
``Resource`` (and maybe ``Condition``) holding strings. :func:`plain_parts` reads such a statement's
elements, all but ``Condition``, and checks them as the parser's careful checks do
(:meth:`iamsim._policy.parse._Parser.statement`), for the common case only: it returns ``None`` for
anything wrong or merely unusual (a tuple, a ``str`` subclass, a key it does not read), and the careful
checks then run from the start and word the error, so an error's message and pointer never depend on
which path read the statement. ``tests/unit/policy/test_policy_parse_quick.py`` holds the two paths to that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iamsim._policy.kinds import PRINCIPAL_FORBIDDEN, RESOURCE_REQUIRED
from iamsim._policy.model import Effect, PolicyKind

__all__ = ["QUICK_KEYS", "QUICK_KINDS", "is_resource", "plain_parts"]

#: Kinds whose statements the quick path may read: no ``Principal`` element, a resource needed,
#: no rule tying the statement's elements together (an RCP's ``Allow``).
QUICK_KINDS = (PRINCIPAL_FORBIDDEN & RESOURCE_REQUIRED) - {PolicyKind.RCP}
#: The keys of a statement the quick path reads (no ``Principal``: its kinds forbid it).
QUICK_KEYS = frozenset({"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"})

#: ``(sid, effect, action, not_action, resource, not_resource)`` of a statement.
PlainParts = tuple[
    str | None, Effect, tuple[str, ...] | None, tuple[str, ...] | None, tuple[str, ...] | None, tuple[str, ...] | None
]


def plain_parts(raw: object, alnum_sids: bool) -> PlainParts | None:
    """The elements of statement ``raw`` of a :data:`QUICK_KINDS` policy when plainly well formed, else ``None``.

    ``alnum_sids``: the kind's Sids must be ASCII letters and digits (IAM's kinds, §A.2).
    """
    if type(raw) is not dict or not QUICK_KEYS.issuperset(raw):
        return None
    statement: dict[Any, Any] = raw
    sid = statement.get("Sid")
    if sid is None:
        if "Sid" in statement:
            return None
    elif type(sid) is not str or (sid and alnum_sids and not (sid.isascii() and sid.isalnum())):
        return None
    effect_text = statement.get("Effect")
    if effect_text == "Allow":
        effect = Effect.ALLOW
    elif effect_text == "Deny":
        effect = Effect.DENY
    else:
        return None
    actions = _element(statement, "Action", "NotAction", _actions)
    if actions is None:
        return None
    resources = _element(statement, "Resource", "NotResource", _resources)
    if resources is None:
        return None
    return sid, effect, actions[0], actions[1], resources[0], resources[1]


def _element(
    statement: dict[Any, Any], field: str, negated: str, read: Callable[[object], tuple[str, ...] | None]
) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None] | None:
    """``(values, None)`` for ``field``, ``(None, values)`` for its ``negated`` form, ``None`` for anything else
    (both, neither, a ``null``, a value ``read`` refuses)."""
    value = statement.get(field)
    if value is None:
        if field in statement:
            return None
        values = read(statement.get(negated))
        return None if values is None else (None, values)
    if negated in statement:
        return None
    values = read(value)
    return None if values is None else (values, None)


def _actions(value: object) -> tuple[str, ...] | None:
    """``value`` as a tuple when it is a string or a non-empty list of strings, each a valid action; else ``None``.

    Valid as the careful check (``_Parser.action_problem``) has it outside trust policies: ``*``, or one
    colon after a vendor.
    """
    if type(value) is str:
        return (value,) if value == "*" or (value.find(":") > 0 and value.count(":") == 1) else None
    if type(value) is not list or not value:
        return None
    for item in value:
        if type(item) is not str or not (item == "*" or (item.find(":") > 0 and item.count(":") == 1)):
            return None
    return tuple(value)


def _resources(value: object) -> tuple[str, ...] | None:
    """``value`` as a tuple when it is a string or a non-empty list of strings, each a valid resource; else ``None``."""
    if type(value) is str:
        return (value,) if is_resource(value) else None
    if type(value) is not list or not value:
        return None
    for item in value:
        if type(item) is not str or not is_resource(item):
            return None
    return tuple(value)


def is_resource(value: str) -> bool:
    """``*`` or an ARN with at least partition and service (identity policies may shorten ARNs, §B.2)."""
    if value == "*":
        return True
    parts = value.split(":", 3)
    return len(parts) >= 3 and parts[0] == "arn" and bool(parts[1]) and bool(parts[2])
