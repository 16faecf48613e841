"""Amazon S3: operation -> action, from AWS's "Required permissions for Amazon S3 API operations".

S3's operation and action names rarely line up (``ListObjectsV2`` is ``s3:ListBucket``,
``DeleteBucketCors`` is ``s3:PutBucketCORS``), so the whole table is curated. A request
naming a ``VersionId`` needs the ``...Version`` action instead (``s3:GetObjectVersion``);
``CopyObject`` and ``UploadPartCopy`` read the source and write the target; an ``ACL`` or
``Tagging`` on a write also needs ``s3:PutObjectAcl`` / ``s3:PutObjectTagging``. The bucket
policy governs a bucket and every object in it; an object's own tags are
``s3:ExistingObjectTag/<key>``.

SSE-KMS (:mod:`.via`): a write that encrypts with a customer managed key (its own
``SSEKMSKeyId``, or the bucket's default encryption learnt from ``PutBucketEncryption``)
also needs ``kms:GenerateDataKey`` on the key; reading an object stored so needs
``kms:Decrypt`` (the key each object was written with is learnt from the successful
write); a multipart upload's parts need ``kms:Decrypt`` on the upload's key, per AWS's
"Using server-side encryption with AWS KMS keys (SSE-KMS)" and the knowledge-center
article on large uploads with KMS keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote

from iamsim._arn import s3_arn
from iamsim._enforce.services.via import key_arn, kms_need, managed_key, via_values
from iamsim._enforce.table import Need, ServiceTable, Where, need

__all__ = ["TABLE"]

BUCKET = "arn:{partition}:s3:::{Bucket}"
OBJECT = "arn:{partition}:s3:::{Bucket}/{Key}"
_SOURCE = "arn:{partition}:s3:::{copy_bucket}/{copy_key}"
_LIST_KEYS = {"s3_prefix": "Prefix", "s3_delimiter": "Delimiter", "s3_max_keys": "MaxKeys"}
_WRITE_KEYS = {
    "s3_x_amz_acl": "ACL",
    "s3_x_amz_server_side_encryption": "ServerSideEncryption",
    "s3_x_amz_server_side_encryption_aws_kms_key_id": "SSEKMSKeyId",
    "s3_x_amz_storage_class": "StorageClass",
}
#: The KMS requests S3 makes with the caller's credentials (§F.7): on the key a write encrypts with,
#: the key an object or a multipart upload was stored with, the key of a copy's source.
_GENERATE = kms_need("kms:GenerateDataKey", "sse_key_arn", "object_arn", "aws:s3:arn")
_DECRYPT = kms_need("kms:Decrypt", "stored_key_arn", "object_arn", "aws:s3:arn")
_DECRYPT_SOURCE = kms_need("kms:Decrypt", "copy_sse_key_arn", "copy_object_arn", "aws:s3:arn")
_KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
#: Operations that write an object (and encrypt it), and those that read one, with the fact naming its key.
_WRITES = frozenset({"PutObject", "CopyObject", "CreateMultipartUpload"})
_READS = {"GetObject": "kms_key", "UploadPart": "kms_upload_key", "UploadPartCopy": "kms_upload_key"}


def _bucket(action: str, **keys: str) -> tuple[Need, ...]:
    return (need(action, BUCKET, **keys),)


def _versioned(action: str, version_action: str | None = None) -> tuple[Need, ...]:
    """``action`` on the object, or its version action (``s3:GetObjectVersion``) when the request names a version."""
    return (
        need(action, OBJECT, when="unversioned"),
        need(version_action or action + "Version", OBJECT, when="VersionId"),
    )


def _write(*extra: Need) -> tuple[Need, ...]:
    return (
        need("s3:PutObject", OBJECT, **_WRITE_KEYS),
        need("s3:PutObjectAcl", OBJECT, when="ACL", s3_x_amz_acl="ACL"),
        need("s3:PutObjectTagging", OBJECT, when="Tagging"),
        _GENERATE,
        *extra,
    )


def _copy() -> tuple[Need, ...]:
    return (
        need("s3:GetObject", _SOURCE, when="copy_unversioned"),
        need("s3:GetObjectVersion", _SOURCE, when="copy_version"),
        _DECRYPT_SOURCE,
        *_write(),
    )


_OPERATIONS: dict[str, tuple[Need, ...]] = {
    "ListBuckets": (need("s3:ListAllMyBuckets"),),
    "CreateBucket": (
        need("s3:CreateBucket", BUCKET, s3_x_amz_acl="ACL"),
        need("s3:PutBucketAcl", BUCKET, when="ACL", s3_x_amz_acl="ACL"),
        need("s3:PutBucketObjectLockConfiguration", BUCKET, when="ObjectLockEnabledForBucket"),
    ),
    "DeleteBucket": _bucket("s3:DeleteBucket"),
    "HeadBucket": _bucket("s3:ListBucket"),
    "ListObjects": _bucket("s3:ListBucket", **_LIST_KEYS),
    "ListObjectsV2": _bucket("s3:ListBucket", **_LIST_KEYS),
    "ListObjectVersions": _bucket("s3:ListBucketVersions", **_LIST_KEYS),
    "ListMultipartUploads": _bucket("s3:ListBucketMultipartUploads"),
    "GetBucketLocation": _bucket("s3:GetBucketLocation"),
    "GetBucketAcl": _bucket("s3:GetBucketAcl"),
    "PutBucketAcl": _bucket("s3:PutBucketAcl", s3_x_amz_acl="ACL"),
    "GetBucketCors": _bucket("s3:GetBucketCORS"),
    "PutBucketCors": _bucket("s3:PutBucketCORS"),
    "DeleteBucketCors": _bucket("s3:PutBucketCORS"),
    "GetBucketEncryption": _bucket("s3:GetEncryptionConfiguration"),
    "PutBucketEncryption": _bucket("s3:PutEncryptionConfiguration"),
    "DeleteBucketEncryption": _bucket("s3:PutEncryptionConfiguration"),
    "GetBucketLifecycle": _bucket("s3:GetLifecycleConfiguration"),
    "GetBucketLifecycleConfiguration": _bucket("s3:GetLifecycleConfiguration"),
    "PutBucketLifecycle": _bucket("s3:PutLifecycleConfiguration"),
    "PutBucketLifecycleConfiguration": _bucket("s3:PutLifecycleConfiguration"),
    "DeleteBucketLifecycle": _bucket("s3:PutLifecycleConfiguration"),
    "GetBucketPolicy": _bucket("s3:GetBucketPolicy"),
    "PutBucketPolicy": _bucket("s3:PutBucketPolicy"),
    "DeleteBucketPolicy": _bucket("s3:DeleteBucketPolicy"),
    "GetBucketPolicyStatus": _bucket("s3:GetBucketPolicyStatus"),
    "GetBucketTagging": _bucket("s3:GetBucketTagging"),
    "PutBucketTagging": _bucket("s3:PutBucketTagging"),
    "DeleteBucketTagging": _bucket("s3:PutBucketTagging"),
    "GetBucketVersioning": _bucket("s3:GetBucketVersioning"),
    "PutBucketVersioning": _bucket("s3:PutBucketVersioning"),
    "GetBucketWebsite": _bucket("s3:GetBucketWebsite"),
    "PutBucketWebsite": _bucket("s3:PutBucketWebsite"),
    "DeleteBucketWebsite": _bucket("s3:DeleteBucketWebsite"),
    "GetBucketLogging": _bucket("s3:GetBucketLogging"),
    "PutBucketLogging": _bucket("s3:PutBucketLogging"),
    "GetBucketNotification": _bucket("s3:GetBucketNotification"),
    "GetBucketNotificationConfiguration": _bucket("s3:GetBucketNotification"),
    "PutBucketNotification": _bucket("s3:PutBucketNotification"),
    "PutBucketNotificationConfiguration": _bucket("s3:PutBucketNotification"),
    "GetBucketAccelerateConfiguration": _bucket("s3:GetAccelerateConfiguration"),
    "PutBucketAccelerateConfiguration": _bucket("s3:PutAccelerateConfiguration"),
    "GetPublicAccessBlock": _bucket("s3:GetBucketPublicAccessBlock"),
    "PutPublicAccessBlock": _bucket("s3:PutBucketPublicAccessBlock"),
    "DeletePublicAccessBlock": _bucket("s3:PutBucketPublicAccessBlock"),
    "GetBucketReplication": _bucket("s3:GetReplicationConfiguration"),
    "PutBucketReplication": _bucket("s3:PutReplicationConfiguration"),
    "DeleteBucketReplication": _bucket("s3:PutReplicationConfiguration"),
    "GetBucketOwnershipControls": _bucket("s3:GetBucketOwnershipControls"),
    "PutBucketOwnershipControls": _bucket("s3:PutBucketOwnershipControls"),
    "DeleteBucketOwnershipControls": _bucket("s3:PutBucketOwnershipControls"),
    "GetBucketInventoryConfiguration": _bucket("s3:GetInventoryConfiguration"),
    "ListBucketInventoryConfigurations": _bucket("s3:GetInventoryConfiguration"),
    "PutBucketInventoryConfiguration": _bucket("s3:PutInventoryConfiguration"),
    "DeleteBucketInventoryConfiguration": _bucket("s3:PutInventoryConfiguration"),
    "GetObjectLockConfiguration": _bucket("s3:GetBucketObjectLockConfiguration"),
    "PutObjectLockConfiguration": _bucket("s3:PutBucketObjectLockConfiguration"),
    "GetBucketRequestPayment": _bucket("s3:GetBucketRequestPayment"),
    "PutBucketRequestPayment": _bucket("s3:PutBucketRequestPayment"),
    "GetObject": (*_versioned("s3:GetObject"), _DECRYPT),
    "HeadObject": _versioned("s3:GetObject"),
    "GetObjectAttributes": _versioned("s3:GetObjectAttributes", "s3:GetObjectVersionAttributes"),
    "GetObjectAcl": _versioned("s3:GetObjectAcl", "s3:GetObjectVersionAcl"),
    "PutObjectAcl": (
        need("s3:PutObjectAcl", OBJECT, when="unversioned", s3_x_amz_acl="ACL"),
        need("s3:PutObjectVersionAcl", OBJECT, when="VersionId", s3_x_amz_acl="ACL"),
    ),
    "GetObjectTagging": _versioned("s3:GetObjectTagging", "s3:GetObjectVersionTagging"),
    "PutObjectTagging": _versioned("s3:PutObjectTagging", "s3:PutObjectVersionTagging"),
    "DeleteObjectTagging": _versioned("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"),
    "DeleteObject": _versioned("s3:DeleteObject"),
    "DeleteObjects": (need("s3:DeleteObject", "arn:{partition}:s3:::{Bucket}/{delete_keys}"),),
    "GetObjectLegalHold": (need("s3:GetObjectLegalHold", OBJECT),),
    "PutObjectLegalHold": (need("s3:PutObjectLegalHold", OBJECT),),
    "GetObjectRetention": (need("s3:GetObjectRetention", OBJECT),),
    "PutObjectRetention": (need("s3:PutObjectRetention", OBJECT),),
    "RestoreObject": (need("s3:RestoreObject", OBJECT),),
    "SelectObjectContent": (need("s3:GetObject", OBJECT),),
    "PutObject": _write(),
    "CopyObject": _copy(),
    "CreateMultipartUpload": _write(),
    "UploadPart": (need("s3:PutObject", OBJECT), _DECRYPT),
    "UploadPartCopy": (
        need("s3:GetObject", _SOURCE, when="copy_unversioned"),
        need("s3:GetObjectVersion", _SOURCE, when="copy_version"),
        _DECRYPT_SOURCE,
        need("s3:PutObject", OBJECT),
        _DECRYPT,
    ),
    "CompleteMultipartUpload": (need("s3:PutObject", OBJECT),),
    "AbortMultipartUpload": (need("s3:AbortMultipartUpload", OBJECT),),
    "ListParts": (need("s3:ListMultipartUploadParts", OBJECT),),
}


def _copy_source(source: Any) -> tuple[str, str, str | None]:
    """``CopySource`` as botocore accepts it (``bucket/key?versionId=v`` or a mapping) -> bucket, key, version."""
    if isinstance(source, Mapping):
        return str(source.get("Bucket", "")), str(source.get("Key", "")), source.get("VersionId")
    text = str(source).lstrip("/")
    path, _, query = text.partition("?")
    bucket, _, key = path.partition("/")
    version = dict(parse_qsl(query)).get("versionId")
    return bucket, unquote(key), version


def _tags(text: str) -> dict[str, str]:
    return dict(parse_qsl(text, keep_blank_values=True))


def written_key(params: Mapping[str, Any], where: Where) -> str | None:
    """The ARN of the customer managed key a write encrypts with, or ``None`` (SSE-S3, the AWS managed key).

    The request's own ``ServerSideEncryption`` decides; without one, the bucket's default
    encryption does. ``aws:kms`` without a key id is the AWS managed key ``aws/s3``.
    """
    algorithm = params.get("ServerSideEncryption")
    if algorithm is None:
        return where.fact(s3_bucket_arn(where, params["Bucket"]), "sse_kms_key") or None
    key_id = params.get("SSEKMSKeyId")
    if algorithm not in _KMS_ALGORITHMS or not isinstance(key_id, str) or not key_id or managed_key(key_id):
        return None
    return key_arn(key_id, where)


def s3_bucket_arn(where: Where, bucket: object) -> str:
    """The ARN of bucket ``bucket`` in the request's partition."""
    return s3_arn(where.partition, str(bucket))


def _encryption(operation: str, params: Mapping[str, Any], found: Mapping[str, Any], where: Where) -> dict[str, Any]:
    """The keys S3 uses KMS with for this request (none for most requests) and the context it passes."""
    if (operation not in _WRITES and operation not in _READS) or "Bucket" not in params or "Key" not in params:
        return {}
    object_arn = f"{s3_bucket_arn(where, params['Bucket'])}/{params['Key']}"
    keys: dict[str, Any] = {}
    if operation in _WRITES:
        keys["sse_key_arn"] = written_key(params, where)
    else:
        keys["stored_key_arn"] = where.fact(object_arn, _READS[operation]) or None
    if "copy_bucket" in found:
        source = f"{s3_bucket_arn(where, found['copy_bucket'])}/{found['copy_key']}"
        keys["copy_sse_key_arn"] = where.fact(source, "kms_key") or None
        keys["copy_object_arn"] = source
    if not any(keys.get(name) for name in ("sse_key_arn", "stored_key_arn", "copy_sse_key_arn")):
        return {}
    return {**keys, "object_arn": object_arn, **via_values("s3", where.region, where.account)}


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """Versions, copy sources, the keys of a multi-object delete, request tags and SSE-KMS keys as plain values."""
    found: dict[str, Any] = {}
    if "VersionId" not in params:
        found["unversioned"] = True
    if "CopySource" in params:
        bucket, key, version = _copy_source(params["CopySource"])
        found.update(copy_bucket=bucket, copy_key=key)
        found["copy_version" if version else "copy_unversioned"] = version or True
    if operation == "DeleteObjects":
        found["delete_keys"] = [item.get("Key", "") for item in params.get("Delete", {}).get("Objects", [])]
    if isinstance(params.get("Tagging"), str):
        found["request_tags"] = _tags(params["Tagging"])
    elif operation == "PutBucketTagging":
        found["request_tags"] = {t["Key"]: t["Value"] for t in params.get("Tagging", {}).get("TagSet", [])}
    found.update(_encryption(operation, params, found, where))
    return found


def _bucket_of(arn: str) -> str:
    # A KMS key S3 uses is governed by its own key policy, not by a bucket's.
    return arn.split("/", 1)[0] if ":s3:::" in arn else arn


def _tag_prefix(arn: str) -> str:
    return "s3:ExistingObjectTag/" if ":s3:::" in arn and "/" in arn.split(":", 5)[-1] else "aws:ResourceTag/"


TABLE = ServiceTable("s3", _OPERATIONS, derive, policy_arn=_bucket_of, tag_prefix=_tag_prefix)
