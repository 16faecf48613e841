"""Amazon SQS: operation names are action names, on the queue a ``QueueUrl`` names.

The queue's ARN is built from its URL (``https://sqs.REGION.amazonaws.com/ACCOUNT/NAME``:
the account in the URL owns the queue, so a URL of another account is a cross-account
request); ``CreateQueue`` and ``GetQueueUrl`` name the queue by ``QueueName`` in the
caller's account (or ``QueueOwnerAWSAccountId``). Batch calls need the single action
(``SendMessageBatch`` is ``sqs:SendMessage``), per AWS's "Amazon SQS API permissions:
Actions and resource reference".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from iamsim._enforce.table import Need, ServiceTable, Where, need

__all__ = ["TABLE"]

QUEUE = "arn:{partition}:sqs:{queue_region}:{queue_account}:{queue_name}"

_BY_URL = (
    "AddPermission",
    "ChangeMessageVisibility",
    "DeleteMessage",
    "DeleteQueue",
    "GetQueueAttributes",
    "ListDeadLetterSourceQueues",
    "ListQueueTags",
    "PurgeQueue",
    "ReceiveMessage",
    "RemovePermission",
    "SendMessage",
    "SetQueueAttributes",
    "TagQueue",
    "UntagQueue",
)
_BATCH = {
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
    "DeleteMessageBatch": "DeleteMessage",
    "SendMessageBatch": "SendMessage",
}

_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"sqs:{op}", QUEUE),) for op in _BY_URL},
    **{op: (need(f"sqs:{action}", QUEUE),) for op, action in _BATCH.items()},
    "CreateQueue": (need("sqs:CreateQueue", QUEUE),),
    "GetQueueUrl": (need("sqs:GetQueueUrl", QUEUE),),
    "ListQueues": (need("sqs:ListQueues"),),
    "StartMessageMoveTask": (need("sqs:StartMessageMoveTask", "{SourceArn}"),),
    "ListMessageMoveTasks": (need("sqs:ListMessageMoveTasks", "{SourceArn}"),),
}


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """The queue's region, account and name, from its URL or name; request tags."""
    found: dict[str, Any] = {"queue_region": where.region, "queue_account": where.account}
    url = params.get("QueueUrl")
    if isinstance(url, str):
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) >= 2:
            found["queue_account"], found["queue_name"] = segments[-2], segments[-1]
        labels = (parts.hostname or "").split(".")
        if len(labels) > 2 and labels[0] == "sqs" and "-" in labels[1]:
            found["queue_region"] = labels[1]
    elif "QueueName" in params:
        found["queue_name"] = params["QueueName"]
        found["queue_account"] = params.get("QueueOwnerAWSAccountId") or where.account
    tags = params.get("tags") or params.get("Tags")
    if operation in ("CreateQueue", "TagQueue") and isinstance(tags, Mapping):
        found["request_tags"] = dict(tags)
    return found


TABLE = ServiceTable("sqs", _OPERATIONS, derive)
