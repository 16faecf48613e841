"""Requests a service makes to AWS KMS with the caller's credentials (SSE-KMS on S3, an SQS queue's key).

When S3 stores or reads an object encrypted with a customer managed KMS key, or SQS sends
or receives a message on a queue with one, the service asks KMS with the caller's own
permissions (§F.7): the caller needs ``kms:GenerateDataKey`` / ``kms:Decrypt`` on the key,
and that request carries ``kms:ViaService`` (``SERVICE.REGION.amazonaws.com``), ``kms:CallerAccount``,
``aws:CalledVia`` (the calling service's principal, ``s3.amazonaws.com``),
``aws:CalledViaFirst``/``aws:CalledViaLast`` and the encryption context the service
passes (``aws:s3:arn``, ``aws:sqs:arn``), so a key policy or IAM policy limited by them
is honoured. The key policy decides with the key-policy rule (§F.6) as for a direct call.

The AWS managed keys (``alias/aws/s3``, ``alias/aws/sqs``) are not checked: their key
policies, which nobody can change, allow every principal of the account through that
service (**judgment**: iamsim holds no record of those policies, and a request on the
alias is not how KMS authorizes).
"""

from __future__ import annotations

from iamsim._enforce.table import Need, Where, need

__all__ = ["key_arn", "kms_need", "managed_key", "via_values"]

#: The request's context keys for a KMS request made through a service, by derived value.
_VIA_KEYS = {
    "kms_ViaService": "via_service",
    "aws_CalledVia": "called_via",
    "aws_CalledViaFirst": "called_via_service",
    "aws_CalledViaLast": "called_via_service",
    "kms_CallerAccount": "caller_account",
}


def kms_need(action: str, key: str, context_arn: str, context_key: str) -> Need:
    """``action`` on the key held in the derived value ``key``, when there is one, made through a service.

    ``context_key`` names the encryption context entry the service passes (``aws:s3:arn``),
    whose value is the derived value ``context_arn``.
    """
    return need(
        action,
        "{" + key + "}",
        when=key,
        **_VIA_KEYS,
        **{f"kms_EncryptionContext:{context_key}": context_arn},
    )


def via_values(service: str, region: str, account: str) -> dict[str, object]:
    """The derived values :func:`kms_need` reads for a request ``service`` makes in ``region`` for a caller of
    ``account`` (``kms:CallerAccount`` is the caller's, not the calling service's)."""
    principal = f"{service}.amazonaws.com"
    return {
        "via_service": f"{service}.{region}.amazonaws.com",
        "called_via": [principal],
        "called_via_service": principal,
        "caller_account": account,
    }


def managed_key(key_id: str) -> bool:
    """Whether ``key_id`` names an AWS managed key by its alias (``alias/aws/s3``, or its ARN)."""
    return key_id.startswith("alias/aws/") or ":alias/aws/" in key_id


def key_arn(key_id: str, where: Where) -> str:
    """The ARN of the key ``key_id`` names (an alias followed to its key when the world knows it)."""
    if key_id.startswith("arn:"):
        arn = key_id
    else:
        arn = where.arn("kms", key_id if key_id.startswith("alias/") else "key/" + key_id)
    if ":alias/" in arn:
        return where.fact(arn, "target_key") or arn
    return arn
