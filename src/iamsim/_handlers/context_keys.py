"""The context keys a set of policies refers to, for GetContextKeysFor*Policy (§I).

A policy refers to a key in a ``Condition`` test and, under Version 2012-10-17,
in a ``${key}`` policy variable (in ``Resource``/``NotResource`` or a condition
value). The escapes ``${*}``, ``${?}`` and ``${$}`` are not keys. Keys are reported
once each (names compare case-insensitively), in the order the policies name them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from iamsim._policy.model import Policy

__all__ = ["context_keys"]

_VARIABLE_RE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = frozenset({"*", "?", "$"})


def _variables(values: Iterable[str]) -> list[str]:
    found = []
    for value in values:
        for match in _VARIABLE_RE.finditer(value):
            key = match.group(1).split(",", 1)[0].strip()
            if key and key not in _ESCAPES:
                found.append(key)
    return found


def context_keys(policies: Iterable[Policy]) -> list[str]:
    """Every context key ``policies`` test or substitute, once each, in order of appearance."""
    seen: dict[str, str] = {}
    for policy in policies:
        for statement in policy.statements:
            names: list[str] = []
            if policy.variables_enabled:
                names += _variables((*(statement.resource or ()), *(statement.not_resource or ())))
            for condition in statement.conditions:
                names.append(condition.key)
                if policy.variables_enabled:
                    names += _variables(condition.values)
            for name in names:
                seen.setdefault(name.lower(), name)
    return list(seen.values())
