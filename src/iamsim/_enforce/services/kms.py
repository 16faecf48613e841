"""AWS KMS: operation names are action names, on the key a ``KeyId`` names.

A ``KeyId`` may be a key id, a key ARN, an alias name (``alias/x``) or an alias ARN; KMS
authorizes a request on the key itself, so an alias is followed to the key it points at
(as recorded by ``CreateAlias`` or ``sim.resources.set_alias``). Alias operations need
the action on the alias and on the key (AWS KMS Developer Guide, "Controlling access to
aliases"); ``ReEncrypt`` needs ``kms:ReEncryptFrom`` on the source key and
``kms:ReEncryptTo`` on the destination. The key policy decides with the key-policy rule
(§F.6): IAM policies count only when the key policy grants the account.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._enforce.services.via import key_arn
from iamsim._enforce.table import Need, ServiceTable, Where, need

__all__ = ["TABLE"]

KEY = "{key_arn}"
_KEY_KEYS = {"kms_EncryptionAlgorithm": "EncryptionAlgorithm"}

_ON_KEY = (
    "CancelKeyDeletion",
    "CreateGrant",
    "Decrypt",
    "DescribeKey",
    "DisableKey",
    "DisableKeyRotation",
    "EnableKey",
    "EnableKeyRotation",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "GetKeyPolicy",
    "GetKeyRotationStatus",
    "GetPublicKey",
    "ListGrants",
    "ListKeyPolicies",
    "ListKeyRotations",
    "ListResourceTags",
    "PutKeyPolicy",
    "ReplicateKey",
    "RetireGrant",
    "RevokeGrant",
    "RotateKeyOnDemand",
    "ScheduleKeyDeletion",
    "Sign",
    "TagResource",
    "UntagResource",
    "UpdateKeyDescription",
    "Verify",
    "VerifyMac",
)
_CRYPTO = {"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext"}
_CRYPTO_KEYS = {**_KEY_KEYS, "kms_EncryptionContextKeys": "context_keys"}
#: The caller's own account, on every action the service reference lists the key for (all but ListRetirableGrants).
_CALLER = {"kms_CallerAccount": "caller_account"}


def _alias_ops() -> dict[str, tuple[Need, ...]]:
    alias = "{alias_arn}"
    return {
        op: (
            need(f"kms:{op}", alias, **_CALLER),
            need(f"kms:{op}", "{target_key_arn}", when="target_key_arn", **_CALLER),
        )
        for op in ("CreateAlias", "UpdateAlias", "DeleteAlias")
    }


_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"kms:{op}", KEY, **_CALLER, **(_CRYPTO_KEYS if op in _CRYPTO else {})),) for op in _ON_KEY},
    **_alias_ops(),
    "CreateKey": (need("kms:CreateKey", **_CALLER),),
    "GenerateRandom": (need("kms:GenerateRandom", **_CALLER),),
    "ListKeys": (need("kms:ListKeys", **_CALLER),),
    "ListAliases": (need("kms:ListAliases", **_CALLER),),
    "ListRetirableGrants": (need("kms:ListRetirableGrants"),),
    "ReEncrypt": (
        need("kms:ReEncryptFrom", "{source_key_arn}", **_CALLER),
        need("kms:ReEncryptTo", "{destination_key_arn}", **_CALLER),
    ),
}


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """Key and alias ARNs; the encryption context as ``kms:EncryptionContext:*``; request tags; the caller's
    account (``kms:CallerAccount``)."""
    found: dict[str, Any] = {"caller_account": where.account}
    for param, name in (
        ("KeyId", "key_arn"),
        ("SourceKeyId", "source_key_arn"),
        ("DestinationKeyId", "destination_key_arn"),
    ):
        if isinstance(params.get(param), str):
            found[name] = key_arn(params[param], where)
    alias = params.get("AliasName")
    if isinstance(alias, str):
        found["alias_arn"] = where.arn("kms", alias)
        target = params.get("TargetKeyId")
        found["target_key_arn"] = (
            key_arn(target, where) if isinstance(target, str) else where.fact(found["alias_arn"], "target_key")
        )
    context = params.get("EncryptionContext")
    if isinstance(context, Mapping):
        found["context_keys"] = sorted(context)
        found["context"] = {f"kms:EncryptionContext:{k}": v for k, v in context.items()}
    tags = params.get("Tags")
    if isinstance(tags, list):
        found["request_tags"] = {t["TagKey"]: t["TagValue"] for t in tags}
    return found


TABLE = ServiceTable("kms", _OPERATIONS, derive)
