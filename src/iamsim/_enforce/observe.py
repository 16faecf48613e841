"""Learn resource policies, tags, owners and keys from the app's own successful calls.

After a backend (moto, a stub) accepted a call, what it changed about a resource's
authorization is recorded in ``sim.resources``, so the next call is decided as AWS
would decide it: a ``PutBucketPolicy`` attaches the bucket policy, ``CreateBucket``
makes the caller's account the bucket's owner, ``SetQueueAttributes`` with a ``Policy``
attaches the queue policy, ``CreateKey``/``PutKeyPolicy`` the key policy, ``TagResource``
and friends the tags, ``CreateAlias`` the alias, ``CreateTable`` the partition key.
Calls that failed are never observed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from iamsim._arn import s3_arn
from iamsim._enforce.services import OBSERVERS, TABLES
from iamsim._enforce.services.s3 import written_key
from iamsim._enforce.services.via import key_arn, managed_key
from iamsim._enforce.table import Where
from iamsim._simulator.resources import ResourceOperations

__all__ = ["observe", "observed", "observes"]

_Observer = Callable[[ResourceOperations, Mapping[str, Any], Mapping[str, Any], Where], None]


def _bucket(params: Mapping[str, Any], where: Where) -> str:
    return s3_arn(where.partition, params["Bucket"])


def _object(params: Mapping[str, Any], where: Where) -> str:
    return f"{_bucket(params, where)}/{params['Key']}"


def _replace_tags(resources: ResourceOperations, arn: str, tags: Mapping[str, str]) -> None:
    resources.untag(arn, list(resources.tags(arn)))
    resources.tag(arn, tags)


def _derived(service: str, operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    return TABLES[service].derive(operation, params, where)


def _queue(params: Mapping[str, Any], where: Where) -> str:
    found = _derived("sqs", "GetQueueAttributes", params, where)
    return where.arn("sqs", found["queue_name"], region=found["queue_region"], account=found["queue_account"])


def _key(params: Mapping[str, Any], where: Where) -> str:
    return str(_derived("kms", "DescribeKey", params, where)["key_arn"])


def _table(params: Mapping[str, Any], where: Where) -> str:
    return where.arn("dynamodb", f"table/{params['TableName']}")


def _s3_object_written(operation: str, fact: str) -> _Observer:
    """A write's object tags, and the customer managed key it encrypted with under ``fact`` ("" for none)."""

    def observer(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
        found = _derived("s3", operation, p, w)
        tags = found.get("request_tags")
        if tags is not None and operation == "PutObject":
            _replace_tags(r, _object(p, w), tags)
        r.set_fact(_object(p, w), fact, found.get("sse_key_arn") or "")

    return observer


def _s3_upload_completed(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    arn = _object(p, w)
    r.set_fact(arn, "kms_key", r.fact(arn, "kms_upload_key") or "")


def _s3_encryption(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    """The bucket's default encryption: the customer managed key later writes without their own encrypt with."""
    rules = p.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {}) if rules else {}
    written = written_key(
        {
            "Bucket": p["Bucket"],
            "ServerSideEncryption": default.get("SSEAlgorithm"),
            "SSEKMSKeyId": default.get("KMSMasterKeyID"),
        },
        w,
    )
    r.set_fact(_bucket(p, w), "sse_kms_key", written or "")


def _queue_created(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    arn = _queue({"QueueUrl": o.get("QueueUrl", "")}, w)
    if p.get("tags"):
        r.tag(arn, p["tags"])
    _queue_attributes(r, {"QueueUrl": o.get("QueueUrl", ""), "Attributes": p.get("Attributes", {})}, o, w)


def _queue_attributes(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    attributes = p.get("Attributes", {})
    key_id = attributes.get("KmsMasterKeyId")
    if isinstance(key_id, str):
        # The AWS managed key alias/aws/sqs is allowed to the account's principals through SQS by its own policy.
        r.set_fact(_queue(p, w), "kms_key", key_arn(key_id, w) if key_id and not managed_key(key_id) else "")
    policy = attributes.get("Policy")
    if policy:
        r.put_policy(_queue(p, w), policy)
    elif policy == "":
        r.delete_policy(_queue(p, w))


def _key_created(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    arn = o.get("KeyMetadata", {}).get("Arn")
    if not arn:
        return
    if p.get("Policy"):
        r.put_policy(arn, p["Policy"])
    if p.get("Tags"):
        r.tag(arn, {t["TagKey"]: t["TagValue"] for t in p["Tags"]})


def _alias(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    found = _derived("kms", "CreateAlias", p, w)
    if found.get("target_key_arn"):
        r.set_fact(found["alias_arn"], "target_key", found["target_key_arn"])


def _table_created(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    arn = _table(p, w)
    schema = p.get("KeySchema") or o.get("Table", {}).get("KeySchema", [])
    for element in schema:
        if element.get("KeyType") == "HASH":
            r.set_fact(arn, "partition_key", element["AttributeName"])
    if p.get("Tags"):
        r.tag(arn, {t["Key"]: t["Value"] for t in p["Tags"]})


_OBSERVERS: dict[tuple[str, str], _Observer] = {
    ("s3", "CreateBucket"): lambda r, p, o, w: r.set_owner(_bucket(p, w), w.account),
    ("s3", "DeleteBucket"): lambda r, p, o, w: r.forget(_bucket(p, w)),
    ("s3", "PutBucketPolicy"): lambda r, p, o, w: r.put_policy(_bucket(p, w), p["Policy"]),
    ("s3", "DeleteBucketPolicy"): lambda r, p, o, w: r.delete_policy(_bucket(p, w)),
    ("s3", "PutBucketTagging"): lambda r, p, o, w: _replace_tags(
        r, _bucket(p, w), _derived("s3", "PutBucketTagging", p, w).get("request_tags", {})
    ),
    ("s3", "DeleteBucketTagging"): lambda r, p, o, w: _replace_tags(r, _bucket(p, w), {}),
    ("s3", "PutObject"): _s3_object_written("PutObject", "kms_key"),
    ("s3", "CopyObject"): _s3_object_written("CopyObject", "kms_key"),
    ("s3", "CreateMultipartUpload"): _s3_object_written("CreateMultipartUpload", "kms_upload_key"),
    ("s3", "CompleteMultipartUpload"): _s3_upload_completed,
    ("s3", "PutBucketEncryption"): _s3_encryption,
    ("s3", "DeleteBucketEncryption"): lambda r, p, o, w: r.set_fact(_bucket(p, w), "sse_kms_key", ""),
    ("s3", "PutObjectTagging"): lambda r, p, o, w: _replace_tags(
        r, _object(p, w), {t["Key"]: t["Value"] for t in p.get("Tagging", {}).get("TagSet", [])}
    ),
    ("s3", "DeleteObjectTagging"): lambda r, p, o, w: _replace_tags(r, _object(p, w), {}),
    ("s3", "DeleteObject"): lambda r, p, o, w: r.forget(_object(p, w)),
    ("sqs", "CreateQueue"): _queue_created,
    ("sqs", "SetQueueAttributes"): _queue_attributes,
    ("sqs", "TagQueue"): lambda r, p, o, w: r.tag(_queue(p, w), p.get("Tags", {})),
    ("sqs", "UntagQueue"): lambda r, p, o, w: r.untag(_queue(p, w), p.get("TagKeys", [])),
    ("sqs", "DeleteQueue"): lambda r, p, o, w: r.forget(_queue(p, w)),
    ("kms", "CreateKey"): _key_created,
    ("kms", "PutKeyPolicy"): lambda r, p, o, w: r.put_policy(_key(p, w), p["Policy"]),
    ("kms", "TagResource"): lambda r, p, o, w: r.tag(_key(p, w), {t["TagKey"]: t["TagValue"] for t in p["Tags"]}),
    ("kms", "UntagResource"): lambda r, p, o, w: r.untag(_key(p, w), p.get("TagKeys", [])),
    ("kms", "CreateAlias"): _alias,
    ("kms", "UpdateAlias"): _alias,
    ("dynamodb", "CreateTable"): _table_created,
    ("dynamodb", "DescribeTable"): _table_created,
    ("dynamodb", "DeleteTable"): lambda r, p, o, w: r.forget(_table(p, w)),
    ("dynamodb", "TagResource"): lambda r, p, o, w: r.tag(p["ResourceArn"], {t["Key"]: t["Value"] for t in p["Tags"]}),
    ("dynamodb", "UntagResource"): lambda r, p, o, w: r.untag(p["ResourceArn"], p.get("TagKeys", [])),
    ("dynamodb", "PutResourcePolicy"): lambda r, p, o, w: r.put_policy(p["ResourceArn"], p["Policy"]),
    ("dynamodb", "DeleteResourcePolicy"): lambda r, p, o, w: r.delete_policy(p["ResourceArn"]),
    **OBSERVERS,
}


def observed() -> tuple[tuple[str, str], ...]:
    """Every (botocore service name, operation) whose successful call iamsim observes, in a stable order."""
    return tuple(sorted(_OBSERVERS))


def observes(service: str, operation: str) -> bool:
    """Whether a successful ``operation`` of ``service`` changes what iamsim records (most calls do not)."""
    return (service, operation) in _OBSERVERS


def observe(
    resources: ResourceOperations,
    service: str,
    operation: str,
    params: Mapping[str, Any],
    output: Mapping[str, Any],
    where: Where,
) -> bool:
    """Record what a successful call changed; whether the call is one iamsim observes."""
    observer = _OBSERVERS.get((service, operation))
    if observer is None:
        return False
    observer(resources, params, output, where)
    return True
