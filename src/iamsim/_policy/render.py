"""The model back to canonical policy JSON.

Canonical means: keys in a fixed order (``Version``, ``Id``, ``Statement``;
``Sid``, ``Effect``, ``Principal``, ``NotPrincipal``, ``Action``,
``NotAction``, ``Resource``, ``NotResource``, ``Condition``), ``Statement``
always a list, and every multi-valued element (actions, resources, principal
values, condition values) always a list. A principal that is only ``*`` is
rendered as ``"*"``. Parsing the rendering gives back an equal policy, and
rendering is idempotent.
"""

from __future__ import annotations

import json
from typing import Any

from iamsim._policy.model import Condition, Policy, PrincipalSpec, Statement

__all__ = ["condition_block", "policy_to_dict", "principal_to_json", "render_policy", "statement_to_dict"]


def principal_to_json(principal: PrincipalSpec) -> str | dict[str, list[str]]:
    """Return the JSON form of a ``Principal``/``NotPrincipal`` element."""
    aws = (["*"] if principal.wildcard else []) + list(principal.aws)
    if aws == ["*"] and not (principal.federated or principal.service or principal.canonical_user):
        return "*"
    rendered: dict[str, list[str]] = {}
    for key, values in (
        ("AWS", aws),
        ("Federated", list(principal.federated)),
        ("Service", list(principal.service)),
        ("CanonicalUser", list(principal.canonical_user)),
    ):
        if values:
            rendered[key] = values
    return rendered


def condition_block(conditions: tuple[Condition, ...]) -> dict[str, dict[str, list[str]]]:
    """Return the ``Condition`` block: operators (as written) in first-seen order, then keys.

    An (operator, key) pair is expected at most once, as parsing guarantees.
    """
    block: dict[str, dict[str, list[str]]] = {}
    for condition in conditions:
        block.setdefault(condition.operator, {})[condition.key] = list(condition.values)
    return block


def statement_to_dict(statement: Statement) -> dict[str, Any]:
    """Return one statement as a JSON-ready dict in canonical key order."""
    rendered: dict[str, Any] = {}
    if statement.sid is not None:
        rendered["Sid"] = statement.sid
    rendered["Effect"] = statement.effect.value
    if statement.principal is not None:
        rendered["Principal"] = principal_to_json(statement.principal)
    if statement.not_principal is not None:
        rendered["NotPrincipal"] = principal_to_json(statement.not_principal)
    for key, values in (
        ("Action", statement.action),
        ("NotAction", statement.not_action),
        ("Resource", statement.resource),
        ("NotResource", statement.not_resource),
    ):
        if values is not None:
            rendered[key] = list(values)
    if statement.conditions:
        rendered["Condition"] = condition_block(statement.conditions)
    return rendered


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """Return ``policy`` as a JSON-ready dict in canonical key order."""
    rendered: dict[str, Any] = {}
    if policy.version is not None:
        rendered["Version"] = policy.version
    if policy.id is not None:
        rendered["Id"] = policy.id
    rendered["Statement"] = [statement_to_dict(statement) for statement in policy.statements]
    return rendered


def render_policy(policy: Policy, *, indent: int | None = None) -> str:
    """Return the canonical JSON text of ``policy``; compact unless ``indent`` is given.

    Non-ASCII characters are escaped, so the text stays within the characters
    IAM accepts in a policy document (§A.1).
    """
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(policy_to_dict(policy), indent=indent, separators=separators, ensure_ascii=True)
