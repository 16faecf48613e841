"""Amazon SNS: operation names are action names, on the topic a ``TopicArn`` names.

Subscription calls (``GetSubscriptionAttributes``, ``SetSubscriptionAttributes``,
``Unsubscribe``) act on the subscription's topic (its ARN is the topic's plus an id);
``PublishBatch`` needs ``sns:Publish``; ``Publish`` to a ``TargetArn`` (a platform
endpoint) acts on that ARN and to a ``PhoneNumber`` on no resource. Platform, SMS and
listing calls name no resource type. ``Subscribe`` carries ``sns:Protocol`` and
``sns:Endpoint``. From AWS's "Actions, resources, and condition keys for Amazon SNS".
The topic policy is learnt from ``CreateTopic`` (``Attributes.Policy``) and
``SetTopicAttributes`` (``AttributeName=Policy``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._enforce.services.learn import Observer, arn_parts, tag_list
from iamsim._enforce.table import Need, ServiceTable, Where, need
from iamsim._simulator.resources import ResourceOperations

__all__ = ["OBSERVERS", "TABLE"]

TOPIC = "arn:{partition}:sns:{topic_region}:{topic_account}:{topic_name}"

_ON_TOPIC = (
    "AddPermission",
    "ConfirmSubscription",
    "CreateTopic",
    "DeleteTopic",
    "GetSubscriptionAttributes",
    "GetTopicAttributes",
    "ListSubscriptionsByTopic",
    "ListTagsForResource",
    "RemovePermission",
    "SetSubscriptionAttributes",
    "SetTopicAttributes",
    "TagResource",
    "Unsubscribe",
    "UntagResource",
)
_UNSCOPED = (
    "CheckIfPhoneNumberIsOptedOut",
    "CreatePlatformApplication",
    "CreatePlatformEndpoint",
    "DeleteEndpoint",
    "DeletePlatformApplication",
    "GetEndpointAttributes",
    "GetPlatformApplicationAttributes",
    "GetSMSAttributes",
    "ListEndpointsByPlatformApplication",
    "ListPhoneNumbersOptedOut",
    "ListPlatformApplications",
    "ListSubscriptions",
    "ListTopics",
    "OptInPhoneNumber",
    "SetEndpointAttributes",
    "SetPlatformApplicationAttributes",
    "SetSMSAttributes",
)

_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"sns:{op}", TOPIC),) for op in _ON_TOPIC},
    **{op: (need(f"sns:{op}"),) for op in _UNSCOPED},
    "Publish": (need("sns:Publish", "{publish_arn}"),),
    "PublishBatch": (need("sns:Publish", TOPIC),),
    "Subscribe": (need("sns:Subscribe", TOPIC, sns_Protocol="Protocol", sns_Endpoint="Endpoint"),),
}


def topic_arn(arn: str) -> str:
    """The topic ARN of a topic or subscription ARN (a subscription's adds ``:ID`` to its topic's)."""
    fields = arn.split(":")
    return ":".join(fields[:6]) if len(fields) > 6 else arn


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """The topic's region, account and name; where a ``Publish`` goes; request tags."""
    found: dict[str, Any] = {}
    arn = params.get("TopicArn") or params.get("SubscriptionArn") or params.get("ResourceArn")
    if isinstance(arn, str):
        found["topic_region"], found["topic_account"], found["topic_name"] = arn_parts(topic_arn(arn), where)
    elif isinstance(params.get("Name"), str):
        found.update(topic_region=where.region, topic_account=where.account, topic_name=params["Name"])
    if operation == "Publish":
        target = params.get("TopicArn") or params.get("TargetArn")
        found["publish_arn"] = topic_arn(target) if isinstance(target, str) else "*"
    if operation in ("CreateTopic", "TagResource") and params.get("Tags"):
        found["request_tags"] = tag_list(params["Tags"])
    return found


def _topic(params: Mapping[str, Any], where: Where) -> str:
    found = derive("", params, where)
    return where.arn("sns", found["topic_name"], region=found["topic_region"], account=found["topic_account"])


def _set_policy(resources: ResourceOperations, arn: str, policy: object) -> None:
    if isinstance(policy, str) and policy:
        resources.put_policy(arn, policy)
    elif policy == "":
        resources.delete_policy(arn)


def _created(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    arn = o.get("TopicArn") or _topic(p, w)
    _set_policy(r, arn, (p.get("Attributes") or {}).get("Policy"))
    if p.get("Tags"):
        r.tag(arn, tag_list(p["Tags"]))


def _attributes(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    if p.get("AttributeName") == "Policy":
        _set_policy(r, _topic(p, w), p.get("AttributeValue", ""))


TABLE = ServiceTable("sns", _OPERATIONS, derive)

#: The topic policy, tags and deletion, learnt from successful calls.
OBSERVERS: dict[tuple[str, str], Observer] = {
    ("sns", "CreateTopic"): _created,
    ("sns", "SetTopicAttributes"): _attributes,
    ("sns", "TagResource"): lambda r, p, o, w: r.tag(_topic(p, w), tag_list(p.get("Tags"))),
    ("sns", "UntagResource"): lambda r, p, o, w: r.untag(_topic(p, w), p.get("TagKeys", [])),
    ("sns", "DeleteTopic"): lambda r, p, o, w: r.forget(_topic(p, w)),
}
