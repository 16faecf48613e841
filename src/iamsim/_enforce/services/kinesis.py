"""Amazon Kinesis Data Streams: operation names are action names, on the stream a call names.

A stream is named by ``StreamName`` or ``StreamARN`` (``stream/NAME``); consumer calls act
on the consumer's ARN (``ConsumerARN``, or the stream's ARN plus ``/consumer/NAME:*``
when named by ``ConsumerName``); resource-policy calls act on the ``ResourceARN`` they name
(a stream or a consumer). ``DescribeLimits``, ``ListStreams``, the enhanced-monitoring
calls, ``UpdateShardCount`` and ``UpdateStreamMode`` name no resource type. From AWS's
"Actions, resources, and condition keys for Amazon Kinesis Data Streams". Resource
policies are learnt from ``PutResourcePolicy``/``DeleteResourcePolicy``; tags from
``CreateStream`` and ``AddTagsToStream``/``RemoveTagsFromStream``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._enforce.services.learn import Observer, arn_parts
from iamsim._enforce.table import Need, ServiceTable, Where, need
from iamsim._simulator.resources import ResourceOperations
from iamsim.errors import UsageError

__all__ = ["OBSERVERS", "TABLE"]

_FACT = "consumer_arn"
STREAM = "arn:{partition}:kinesis:{stream_region}:{stream_account}:stream/{stream_name}"

_UNSCOPED = (
    "DescribeLimits",
    "DisableEnhancedMonitoring",
    "EnableEnhancedMonitoring",
    "ListStreams",
    "UpdateShardCount",
    "UpdateStreamMode",
)
_ON_STREAM = (
    "AddTagsToStream",
    "CreateStream",
    "DecreaseStreamRetentionPeriod",
    "DeleteStream",
    "DescribeStream",
    "DescribeStreamSummary",
    "GetRecords",
    "GetShardIterator",
    "IncreaseStreamRetentionPeriod",
    "ListShards",
    "ListStreamConsumers",
    "ListTagsForStream",
    "MergeShards",
    "PutRecord",
    "PutRecords",
    "RegisterStreamConsumer",
    "RemoveTagsFromStream",
    "SplitShard",
    "StartStreamEncryption",
    "StopStreamEncryption",
)
_ON_CONSUMER = ("DeregisterStreamConsumer", "DescribeStreamConsumer")

_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"kinesis:{op}"),) for op in _UNSCOPED},
    **{op: (need(f"kinesis:{op}", STREAM),) for op in _ON_STREAM},
    **{op: (need(f"kinesis:{op}", "{consumer}"),) for op in _ON_CONSUMER},
    **{
        op: (need(f"kinesis:{op}", "{ResourceARN}"),)
        for op in ("DeleteResourcePolicy", "GetResourcePolicy", "PutResourcePolicy")
    },
}


def consumer_arn(stream_arn: str, name: str, where: Where) -> str:
    """The ARN of consumer ``name`` of a stream, learnt from ``RegisterStreamConsumer``'s answer.

    A consumer ARN ends in its creation time, which a request naming the consumer does not
    carry; a guessed ARN could slip past a ``Deny`` on the real one, so an unknown consumer is refused.
    """
    known = where.fact(f"{stream_arn}/consumer/{name}", _FACT)
    if known is None:
        raise UsageError(
            f"iamsim does not know the ARN of consumer {name!r}: register it through the patched client or name"
            " it by ConsumerARN"
        )
    return known


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """The stream's region, account and name; the consumer's ARN; request tags."""
    found: dict[str, Any] = {}
    arn = params.get("StreamARN")
    if isinstance(arn, str):
        region, account, resource = arn_parts(arn, where)
        found.update(stream_region=region, stream_account=account, stream_name=resource.removeprefix("stream/"))
    elif isinstance(params.get("StreamName"), str):
        found.update(stream_region=where.region, stream_account=where.account, stream_name=params["StreamName"])
    if isinstance(params.get("ConsumerARN"), str):
        found["consumer"] = params["ConsumerARN"]
    elif operation in _ON_CONSUMER and isinstance(arn, str) and isinstance(params.get("ConsumerName"), str):
        found["consumer"] = consumer_arn(arn, params["ConsumerName"], where)
    tags = params.get("Tags")
    if isinstance(tags, Mapping) and tags:
        found["request_tags"] = {str(k): str(v) for k, v in tags.items()}
    return found


def _stream(params: Mapping[str, Any], where: Where) -> str:
    found = derive("", params, where)
    return where.arn(
        "kinesis", "stream/" + found["stream_name"], region=found["stream_region"], account=found["stream_account"]
    )


def _consumer_registered(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    arn = (o.get("Consumer") or {}).get("ConsumerARN")
    if isinstance(arn, str):
        r.set_fact(f"{p['StreamARN']}/consumer/{p['ConsumerName']}", _FACT, arn)
        r.tag(arn, p.get("Tags") or {})


TABLE = ServiceTable("kinesis", _OPERATIONS, derive)

#: Resource policies and stream tags, learnt from successful calls.
OBSERVERS: dict[tuple[str, str], Observer] = {
    ("kinesis", "PutResourcePolicy"): lambda r, p, o, w: r.put_policy(p["ResourceARN"], p["Policy"]),
    ("kinesis", "DeleteResourcePolicy"): lambda r, p, o, w: r.delete_policy(p["ResourceARN"]),
    ("kinesis", "CreateStream"): lambda r, p, o, w: r.tag(_stream(p, w), p.get("Tags") or {}),
    ("kinesis", "AddTagsToStream"): lambda r, p, o, w: r.tag(_stream(p, w), p.get("Tags") or {}),
    ("kinesis", "RemoveTagsFromStream"): lambda r, p, o, w: r.untag(_stream(p, w), p.get("TagKeys", [])),
    ("kinesis", "RegisterStreamConsumer"): _consumer_registered,
    ("kinesis", "DeleteStream"): lambda r, p, o, w: r.forget(_stream(p, w)),
}
