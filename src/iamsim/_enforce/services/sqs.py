"""Amazon SQS: operation names are action names, on the queue a ``QueueUrl`` names.

The queue's ARN is built from its URL (``https://sqs.REGION.amazonaws.com/ACCOUNT/NAME``:
the account in the URL owns the queue, so a URL of another account is a cross-account
request); ``CreateQueue`` and ``GetQueueUrl`` name the queue by ``QueueName`` in the
caller's account (or ``QueueOwnerAWSAccountId``). Batch calls need the single action
(``SendMessageBatch`` is ``sqs:SendMessage``), per AWS's "Amazon SQS API permissions:
Actions and resource reference".

A queue with a customer managed KMS key (its ``KmsMasterKeyId`` attribute, learnt from
``CreateQueue``/``SetQueueAttributes``) makes SQS use the key with the caller's
credentials (:mod:`.via`): sending needs ``kms:GenerateDataKey`` and ``kms:Decrypt``,
receiving ``kms:Decrypt`` (AWS's "Amazon SQS key management"). SQS reuses a data key for
up to its reuse period; iamsim asks on every call (**judgment**: the stricter reading).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from iamsim._enforce.services.via import kms_need, via_values
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

_GENERATE = kms_need("kms:GenerateDataKey", "queue_key_arn", "queue_arn", "aws:sqs:arn")
_DECRYPT = kms_need("kms:Decrypt", "queue_key_arn", "queue_arn", "aws:sqs:arn")
#: The KMS requests a message operation on an encrypted queue makes, by the action it needs.
_WITH_KEY = {"sqs:SendMessage": (_GENERATE, _DECRYPT), "sqs:ReceiveMessage": (_DECRYPT,)}


def _on_queue(action: str) -> tuple[Need, ...]:
    return (need(action, QUEUE), *_WITH_KEY.get(action, ()))


_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: _on_queue(f"sqs:{op}") for op in _BY_URL},
    **{op: _on_queue(f"sqs:{action}") for op, action in _BATCH.items()},
    "CreateQueue": (need("sqs:CreateQueue", QUEUE),),
    "GetQueueUrl": (need("sqs:GetQueueUrl", QUEUE),),
    "ListQueues": (need("sqs:ListQueues"),),
    "StartMessageMoveTask": (need("sqs:StartMessageMoveTask", "{SourceArn}"),),
    "ListMessageMoveTasks": (need("sqs:ListMessageMoveTasks", "{SourceArn}"),),
}


#: The operations that use the queue's key.
_KEYED = frozenset(op for op, needs in _OPERATIONS.items() if len(needs) > 1)


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
    if operation in _KEYED and "queue_name" in found:
        arn = where.arn("sqs", found["queue_name"], region=found["queue_region"], account=found["queue_account"])
        key = where.fact(arn, "kms_key")
        if key:
            found.update(queue_key_arn=key, queue_arn=arn, **via_values("sqs", found["queue_region"], where.account))
    tags = params.get("tags") or params.get("Tags")
    if operation in ("CreateQueue", "TagQueue") and isinstance(tags, Mapping):
        found["request_tags"] = dict(tags)
    return found


TABLE = ServiceTable("sqs", _OPERATIONS, derive)
