"""Amazon EventBridge: operation names are action names, on the bus, rule, archive... a call names.

An event bus is ``event-bus/NAME`` (``default`` when a call names none); a rule on the
default bus is ``rule/NAME`` and on another bus ``rule/BUS/NAME``. ``PutEvents`` makes one
request per bus its entries name, carrying ``events:source`` and ``events:detail-type``
(every entry's, as lists: **judgment**); ``PutTargets`` carries ``events:TargetArn``.
Archive, replay, connection and API-destination calls act on those resources, partner
event sources on ``arn:PARTITION:events:REGION::event-source/NAME``; listing calls,
``PutPermission``, ``RemovePermission`` and ``TestEventPattern`` name no resource type. From
AWS's "Actions, resources, and condition keys for Amazon EventBridge". The bus policy is
learnt from ``PutPermission`` (``Policy``, or one statement per ``StatementId``) and
``RemovePermission``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._arn import account_root_arn
from iamsim._enforce.services.learn import Observer, add_statement, remove_statement, tag_list
from iamsim._enforce.table import Need, ServiceTable, Where, need
from iamsim._simulator.resources import ResourceOperations

__all__ = ["OBSERVERS", "TABLE"]

_BASE = "arn:{partition}:events:{region}:{account}:"
BUS = _BASE + "event-bus/{bus}"
RULE = _BASE + "rule/{rule}"
ARCHIVE = _BASE + "archive/{ArchiveName}"
REPLAY = _BASE + "replay/{ReplayName}"
CONNECTION = _BASE + "connection/{Name}"
API_DESTINATION = _BASE + "api-destination/{Name}"
EVENT_SOURCE = "arn:{partition}:events:{region}::event-source/{Name}"

_UNSCOPED = (
    "ListApiDestinations",
    "ListArchives",
    "ListConnections",
    "ListEventBuses",
    "ListReplays",
    "ListRuleNamesByTarget",
    "ListRules",
    "PutPartnerEvents",
    "PutPermission",
    "RemovePermission",
    "TestEventPattern",
)
_ON: dict[str, tuple[str, ...]] = {
    BUS: ("CreateEventBus", "DeleteEventBus", "DescribeEventBus"),
    RULE: (
        "DeleteRule",
        "DescribeRule",
        "DisableRule",
        "EnableRule",
        "ListTargetsByRule",
        "PutRule",
        "RemoveTargets",
    ),
    ARCHIVE: ("DeleteArchive", "DescribeArchive", "UpdateArchive"),
    REPLAY: ("CancelReplay", "DescribeReplay"),
    CONNECTION: ("CreateConnection", "DeleteConnection", "DescribeConnection", "UpdateConnection"),
    API_DESTINATION: ("DeleteApiDestination", "DescribeApiDestination", "UpdateApiDestination"),
    EVENT_SOURCE: (
        "CreatePartnerEventSource",
        "DeletePartnerEventSource",
        "DescribeEventSource",
        "DescribePartnerEventSource",
    ),
}

_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"events:{op}"),) for op in _UNSCOPED},
    **{op: (need(f"events:{op}", template),) for template, ops in _ON.items() for op in ops},
    **{op: (need(f"events:{op}", "{ResourceARN}"),) for op in ("ListTagsForResource", "TagResource", "UntagResource")},
    "PutEvents": (
        need("events:PutEvents", _BASE + "event-bus/{buses}", events_source="sources", events_detail_type="types"),
    ),
    "PutTargets": (need("events:PutTargets", RULE, events_TargetArn="target_arns"),),
    "CreateArchive": (need("events:CreateArchive", ARCHIVE), need("events:CreateArchive", "{EventSourceArn}")),
    "CreateApiDestination": (
        need("events:CreateApiDestination", API_DESTINATION),
        need("events:CreateApiDestination", "{ConnectionArn}"),
    ),
    "StartReplay": (need("events:StartReplay", REPLAY), need("events:StartReplay", "{EventSourceArn}")),
}


def bus_name(name: object) -> str:
    """A bus named by name or ARN (or not at all: the default bus), as its name."""
    if not isinstance(name, str) or not name:
        return "default"
    return name.rsplit("event-bus/", 1)[-1] if name.startswith("arn:") else name


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """The bus, the rule's ARN path, PutEvents' buses and keys, target ARNs, request tags."""
    bus = bus_name(params.get("Name") if operation in _ON[BUS] else params.get("EventBusName"))
    found: dict[str, Any] = {"bus": bus}
    rule = params.get("Rule") or params.get("Name")
    if isinstance(rule, str):
        found["rule"] = rule if bus == "default" else f"{bus}/{rule}"
    entries = [e for e in params.get("Entries") or [] if isinstance(e, Mapping)]
    if entries:
        found["buses"] = sorted({bus_name(e.get("EventBusName")) for e in entries})
        found["sources"] = [str(e["Source"]) for e in entries if "Source" in e]
        found["types"] = [str(e["DetailType"]) for e in entries if "DetailType" in e]
    targets = params.get("Targets")
    if isinstance(targets, list):
        found["target_arns"] = [str(t["Arn"]) for t in targets if isinstance(t, Mapping) and "Arn" in t]
    if params.get("Tags"):
        found["request_tags"] = tag_list(params["Tags"])
    return found


def _bus(params: Mapping[str, Any], where: Where) -> str:
    return where.arn("events", "event-bus/" + bus_name(params.get("EventBusName")))


def _permission(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    if isinstance(p.get("Policy"), str):
        r.put_policy(_bus(p, w), p["Policy"])
        return
    principal = p.get("Principal", "*")
    statement: dict[str, Any] = {
        "Sid": p.get("StatementId"),
        "Effect": "Allow",
        "Principal": principal if principal == "*" else {"AWS": account_root_arn(str(principal), w.partition)},
        "Action": p.get("Action", "events:PutEvents"),
        "Resource": _bus(p, w),
    }
    if isinstance(p.get("Condition"), Mapping):
        condition = p["Condition"]
        statement["Condition"] = {"StringEquals": {str(condition.get("Key")): condition.get("Value")}}
    add_statement(r, _bus(p, w), statement)


def _permission_removed(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    if p.get("RemoveAllPermissions"):
        r.delete_policy(_bus(p, w))
    elif isinstance(p.get("StatementId"), str):
        remove_statement(r, _bus(p, w), p["StatementId"])


def _rule_arn(p: Mapping[str, Any], w: Where) -> str:
    return w.arn("events", "rule/" + derive("PutRule", p, w)["rule"])


TABLE = ServiceTable("events", _OPERATIONS, derive)

#: The bus policy and tags, learnt from successful calls.
OBSERVERS: dict[tuple[str, str], Observer] = {
    ("events", "PutPermission"): _permission,
    ("events", "RemovePermission"): _permission_removed,
    ("events", "PutRule"): lambda r, p, o, w: r.tag(_rule_arn(p, w), tag_list(p.get("Tags"))),
    ("events", "TagResource"): lambda r, p, o, w: r.tag(p["ResourceARN"], tag_list(p.get("Tags"))),
    ("events", "UntagResource"): lambda r, p, o, w: r.untag(p["ResourceARN"], p.get("TagKeys", [])),
}
