"""Amazon CloudWatch Logs: operation names are action names, on the log group or log stream named.

A log group is ``log-group:NAME`` and a stream ``log-group:NAME:log-stream:STREAM``; an ARN
a call carries (``logGroupIdentifier``, ``resourceArn``, ``DescribeLogGroups``' answer)
may end in ``:*``, which is dropped. ``StartQuery`` and ``StartLiveTail`` make one request
per log group; ``GetQueryResults`` acts on the log groups its query searched (learnt from
``StartQuery``'s answer; a query iamsim never saw started is refused). Destination,
delivery, delivery-source and delivery-destination calls act on those resources;
``PutDestination`` and ``PutSubscriptionFilter`` with a ``roleArn`` also need
``iam:PassRole``. ``PutDeliverySource`` carries ``logs:LogGeneratingResourceArns``,
``PutDeliveryDestination`` ``logs:DeliveryDestinationResourceArn``. From AWS's "Actions,
resources, and condition keys for Amazon CloudWatch Logs".

Resource policies (``PutResourcePolicy``) belong to the account and Region, not to a log
group (CloudWatch Logs API Reference, PutResourcePolicy): together they are the
resource-based policy of every log group and stream there, so iamsim keeps their combined
statements under one account-level key (**judgment**: AWS documents no other holder).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from iamsim._enforce.services.learn import Observer
from iamsim._enforce.table import Need, ServiceTable, Where, need
from iamsim._simulator.resources import ResourceOperations
from iamsim.errors import UsageError

__all__ = ["OBSERVERS", "TABLE"]

_BASE = "arn:{partition}:logs:{region}:{account}:"
GROUP = _BASE + "log-group:{group}"
STREAM = GROUP + ":log-stream:{logStreamName}"
DESTINATION = _BASE + "destination:{destinationName}"
DELIVERY_DESTINATION = _BASE + "delivery-destination:{delivery_destination}"
DELIVERY_SOURCE = _BASE + "delivery-source:{delivery_source}"
_PASS_ROLE = need("iam:PassRole", "{roleArn}", when="roleArn")
#: Where an account's combined resource policies are kept, and the names of its policies.
_ACCOUNT_POLICY = "resource-policy"
_QUERY_FACT = "log_groups"

_UNSCOPED = (
    "CancelExportTask",
    "DeleteResourcePolicy",
    "DescribeDeliveries",
    "DescribeDeliveryDestinations",
    "DescribeDeliverySources",
    "DescribeDestinations",
    "DescribeExportTasks",
    "DescribeLogGroups",
    "DescribeQueries",
    "DescribeResourcePolicies",
    "PutResourcePolicy",
)
_ON_GROUP = (
    "CreateExportTask",
    "CreateLogGroup",
    "DeleteLogGroup",
    "DeleteMetricFilter",
    "DeleteRetentionPolicy",
    "DeleteSubscriptionFilter",
    "DescribeLogStreams",
    "DescribeSubscriptionFilters",
    "FilterLogEvents",
    "ListTagsLogGroup",
    "PutMetricFilter",
    "PutRetentionPolicy",
    "TagLogGroup",
    "UntagLogGroup",
)
_ON_STREAM = ("CreateLogStream", "DeleteLogStream", "GetLogEvents", "PutLogEvents")
_ON_DELIVERY_DESTINATION = (
    "DeleteDeliveryDestination",
    "DeleteDeliveryDestinationPolicy",
    "GetDeliveryDestination",
    "GetDeliveryDestinationPolicy",
    "PutDeliveryDestinationPolicy",
)

_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"logs:{op}"),) for op in _UNSCOPED},
    **{op: (need(f"logs:{op}", GROUP),) for op in _ON_GROUP},
    **{op: (need(f"logs:{op}", STREAM),) for op in _ON_STREAM},
    **{op: (need(f"logs:{op}", DELIVERY_DESTINATION),) for op in _ON_DELIVERY_DESTINATION},
    **{op: (need(f"logs:{op}", "{resourceArn}"),) for op in ("ListTagsForResource", "TagResource", "UntagResource")},
    # A metric-filter listing names its group only when asked about one.
    "DescribeMetricFilters": (
        need("logs:DescribeMetricFilters", GROUP, when="group"),
        need("logs:DescribeMetricFilters", when="no_group"),
    ),
    "StartQuery": (need("logs:StartQuery", _BASE + "log-group:{groups}"),),
    "StartLiveTail": (need("logs:StartLiveTail", _BASE + "log-group:{groups}"),),
    "GetQueryResults": (need("logs:GetQueryResults", _BASE + "log-group:{groups}"),),
    "PutSubscriptionFilter": (
        need("logs:PutSubscriptionFilter", GROUP),
        need("logs:PutSubscriptionFilter", "{logs_destination}", when="logs_destination"),
        _PASS_ROLE,
    ),
    "DeleteDestination": (need("logs:DeleteDestination", DESTINATION),),
    "PutDestination": (need("logs:PutDestination", DESTINATION), _PASS_ROLE),
    "PutDestinationPolicy": (need("logs:PutDestinationPolicy", DESTINATION),),
    "CreateDelivery": (
        need("logs:CreateDelivery", DELIVERY_SOURCE),
        need("logs:CreateDelivery", "{deliveryDestinationArn}"),
    ),
    "DeleteDelivery": (need("logs:DeleteDelivery", _BASE + "delivery:{id}"),),
    "GetDelivery": (need("logs:GetDelivery", _BASE + "delivery:{id}"),),
    "PutDeliveryDestination": (
        need(
            "logs:PutDeliveryDestination",
            DELIVERY_DESTINATION,
            logs_DeliveryDestinationResourceArn="delivery_destination_resource",
        ),
        _PASS_ROLE,
    ),
    "DeleteDeliverySource": (need("logs:DeleteDeliverySource", DELIVERY_SOURCE),),
    "GetDeliverySource": (need("logs:GetDeliverySource", DELIVERY_SOURCE),),
    "PutDeliverySource": (
        need("logs:PutDeliverySource", DELIVERY_SOURCE, logs_LogGeneratingResourceArns="generating_resources"),
    ),
}


def _group_name(identifier: str) -> str:
    """A log group named by name or ARN (an ARN may end in ``:*``), as its name."""
    if identifier.startswith("arn:"):
        resource = identifier.split(":", 5)[5] if identifier.count(":") >= 5 else identifier
        identifier = resource.removeprefix("log-group:")
    return identifier.removesuffix(":*")


def _query_key(query_id: str, where: Where) -> str:
    return where.arn("logs", f"query:{query_id}")


def _query_groups(query_id: str, where: Where) -> list[str]:
    known = where.fact(_query_key(query_id, where), _QUERY_FACT)
    if known is None:
        # Acting on no log group would let a Deny on the query's groups miss: refuse instead.
        raise UsageError(
            f"iamsim does not know which log groups query {query_id!r} searched: start it through the patched client"
        )
    return list(json.loads(known))


def _groups(params: Mapping[str, Any]) -> list[str]:
    found = [params[n] for n in ("logGroupName", "logGroupIdentifier") if isinstance(params.get(n), str)]
    for name in ("logGroupNames", "logGroupIdentifiers"):
        found += [g for g in params.get(name) or [] if isinstance(g, str)]
    return [_group_name(g) for g in found]


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """Log group names, the query's groups, delivery names, the destination of a filter, tags."""
    found: dict[str, Any] = {}
    groups = _groups(params)
    if groups:
        found["group"] = groups[0]
        found["groups"] = groups
    else:
        found["no_group"] = True
    if operation == "GetQueryResults" and isinstance(params.get("queryId"), str):
        found["groups"] = _query_groups(params["queryId"], where)
    if isinstance(params.get("resourceArn"), str):
        found["resourceArn"] = params["resourceArn"].removesuffix(":*")
    destination = params.get("destinationArn")
    if isinstance(destination, str) and destination.split(":")[2:3] == ["logs"]:
        found["logs_destination"] = destination
    found["delivery_destination"] = params.get("deliveryDestinationName") or params.get("name")
    found["delivery_source"] = params.get("deliverySourceName") or params.get("name")
    if operation == "PutDeliverySource" and isinstance(params.get("resourceArn"), str):
        found["generating_resources"] = [params["resourceArn"]]
    configuration = params.get("deliveryDestinationConfiguration")
    if isinstance(configuration, Mapping) and configuration.get("destinationResourceArn"):
        found["delivery_destination_resource"] = configuration["destinationResourceArn"]
    if isinstance(params.get("tags"), Mapping) and params["tags"]:
        found["request_tags"] = {str(k): str(v) for k, v in params["tags"].items()}
    return found


def account_policy_arn(arn: str) -> str:
    """Where the resource policies governing a log group or stream ``arn`` are kept (its account's)."""
    fields = arn.split(":", 5)
    if len(fields) < 6 or not fields[5].startswith("log-group:"):
        return arn
    return ":".join([*fields[:5], _ACCOUNT_POLICY])


def _account_key(where: Where) -> str:
    return where.arn("logs", _ACCOUNT_POLICY)


def _policies(resources: ResourceOperations, key: str) -> dict[str, Any]:
    text = resources.fact(key, "policies")
    return dict(json.loads(text)) if text else {}


def _store(resources: ResourceOperations, key: str, policies: Mapping[str, Any]) -> None:
    resources.set_fact(key, "policies", json.dumps(policies))
    statements: list[Any] = []
    for document in policies.values():
        found = document.get("Statement", []) if isinstance(document, Mapping) else []
        statements += found if isinstance(found, list) else [found]
    if statements:
        resources.put_policy(key, json.dumps({"Version": "2012-10-17", "Statement": statements}))
    else:
        resources.delete_policy(key)


def _policy_put(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    key = _account_key(w)
    policies = _policies(r, key)
    policies[str(p.get("policyName"))] = json.loads(p["policyDocument"])
    _store(r, key, policies)


def _policy_deleted(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    key = _account_key(w)
    policies = _policies(r, key)
    policies.pop(str(p.get("policyName")), None)
    _store(r, key, policies)


def _group_arn(p: Mapping[str, Any], w: Where) -> str:
    return w.arn("logs", "log-group:" + _group_name(p["logGroupName"]))


def _query_started(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    if isinstance(o.get("queryId"), str):
        r.set_fact(_query_key(o["queryId"], w), _QUERY_FACT, json.dumps(_groups(p)))


def _tag_arn(p: Mapping[str, Any]) -> str:
    return str(p["resourceArn"]).removesuffix(":*")


TABLE = ServiceTable("logs", _OPERATIONS, derive, policy_arn=account_policy_arn)

#: The account's resource policies, log group tags and the groups a query searched, from successful calls.
OBSERVERS: dict[tuple[str, str], Observer] = {
    ("logs", "PutResourcePolicy"): _policy_put,
    ("logs", "DeleteResourcePolicy"): _policy_deleted,
    ("logs", "StartQuery"): _query_started,
    ("logs", "CreateLogGroup"): lambda r, p, o, w: r.tag(_group_arn(p, w), p.get("tags") or {}),
    ("logs", "TagLogGroup"): lambda r, p, o, w: r.tag(_group_arn(p, w), p.get("tags") or {}),
    ("logs", "UntagLogGroup"): lambda r, p, o, w: r.untag(_group_arn(p, w), list(p.get("tags") or [])),
    ("logs", "TagResource"): lambda r, p, o, w: r.tag(_tag_arn(p), p.get("tags") or {}),
    ("logs", "UntagResource"): lambda r, p, o, w: r.untag(_tag_arn(p), list(p.get("tagKeys") or [])),
    ("logs", "DeleteLogGroup"): lambda r, p, o, w: r.forget(_group_arn(p, w)),
}
