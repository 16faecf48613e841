"""What the tables of the services mapped in issue 13's second round share: observers and ARN pieces.

An *observer* records what a successful call changed about a resource's authorization
(its resource-based policy, tags, the facts a later request needs); each service module
lists its observers in ``OBSERVERS`` by (botocore service, operation), and
:mod:`iamsim._enforce.observe` runs them after the backend answered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from iamsim._enforce.table import Where
from iamsim._simulator.resources import ResourceOperations

__all__ = ["Observer", "add_statement", "arn_parts", "remove_statement", "replace_tags", "tag_list"]

#: ``observer(resources, params, output, where)``.
Observer = Callable[[ResourceOperations, Mapping[str, Any], Mapping[str, Any], Where], None]


def tag_list(tags: object, key: str = "Key", value: str = "Value") -> dict[str, str]:
    """Tags given as a list of ``{key: ..., value: ...}`` (or already a mapping) as a mapping."""
    if isinstance(tags, Mapping):
        return {str(k): str(v) for k, v in tags.items()}
    if isinstance(tags, Iterable) and not isinstance(tags, (str, bytes)):
        return {str(t[key]): str(t.get(value, "")) for t in tags if isinstance(t, Mapping) and key in t}
    return {}


def arn_parts(arn: str, where: Where) -> tuple[str, str, str]:
    """Region, account and resource of ``arn``; the request's region and account for a missing field."""
    fields = arn.split(":", 5)
    if len(fields) < 6 or fields[0] != "arn":
        return where.region, where.account, arn
    return fields[3] or where.region, fields[4] or where.account, fields[5]


def replace_tags(resources: ResourceOperations, arn: str, tags: Mapping[str, str]) -> None:
    """Make ``tags`` the only tags of ``arn``."""
    resources.untag(arn, list(resources.tags(arn)))
    resources.tag(arn, tags)


def _statements(resources: ResourceOperations, arn: str) -> list[Any]:
    text = resources.policy(arn)
    found = json.loads(text).get("Statement", []) if text else []
    return list(found) if isinstance(found, list) else [found]


def add_statement(resources: ResourceOperations, arn: str, statement: Mapping[str, Any]) -> None:
    """Add ``statement`` to the resource policy of ``arn`` (replacing one with the same ``Sid``)."""
    sid = statement.get("Sid")
    kept = [s for s in _statements(resources, arn) if sid is None or s.get("Sid") != sid]
    resources.put_policy(arn, json.dumps({"Version": "2012-10-17", "Statement": [*kept, dict(statement)]}))


def remove_statement(resources: ResourceOperations, arn: str, sid: str) -> None:
    """Remove the statement ``sid`` from the resource policy of ``arn`` (the policy goes with its last one)."""
    kept = [s for s in _statements(resources, arn) if s.get("Sid") != sid]
    if kept:
        resources.put_policy(arn, json.dumps({"Version": "2012-10-17", "Statement": kept}))
    else:
        resources.delete_policy(arn)
