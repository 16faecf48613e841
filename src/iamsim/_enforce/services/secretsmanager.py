"""AWS Secrets Manager: operation names are action names, on the secret a ``SecretId`` names.

A secret's ARN ends in a random six-character suffix (``secret:NAME-AbCdEf``) that the
request does not carry when it names the secret by name: the full ARN is learnt from
``CreateSecret``'s answer, and a name iamsim never saw created is refused (a guessed ARN
could slip past a ``Deny`` on ``NAME-??????``: never a silent allow). ``CreateSecret`` acts
on ``NAME-??????``, the pattern AWS's documentation recommends for the ARN it will have
(**judgment**). Every call on a secret carries ``secretsmanager:SecretId`` (the ARN);
``GetSecretValue`` its ``VersionId``/``VersionStage``; ``BatchGetSecretValue`` also needs
``secretsmanager:GetSecretValue`` on each secret. From AWS's "Actions, resources, and
condition keys for AWS Secrets Manager". The resource policy is learnt from
``PutResourcePolicy``/``DeleteResourcePolicy``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._enforce.services.learn import Observer, tag_list
from iamsim._enforce.table import Need, ServiceTable, Where, need
from iamsim._simulator.resources import ResourceOperations
from iamsim.errors import UsageError

__all__ = ["OBSERVERS", "TABLE"]

SECRET = "{secret_arn}"
_FACT = "secret_arn"
_ID_KEYS = {"secretsmanager_SecretId": "secret_arn"}

_ON_SECRET = (
    "CancelRotateSecret",
    "DeleteResourcePolicy",
    "DeleteSecret",
    "DescribeSecret",
    "GetResourcePolicy",
    "ListSecretVersionIds",
    "PutResourcePolicy",
    "PutSecretValue",
    "RemoveRegionsFromReplication",
    "ReplicateSecretToRegions",
    "RestoreSecret",
    "RotateSecret",
    "TagResource",
    "UntagResource",
    "UpdateSecret",
    "UpdateSecretVersionStage",
)
_EXTRA_KEYS: dict[str, dict[str, str]] = {
    "UpdateSecret": {"secretsmanager_Description": "Description", "secretsmanager_KmsKeyId": "KmsKeyId"},
    "UpdateSecretVersionStage": {"secretsmanager_VersionStage": "VersionStage"},
    "RotateSecret": {"secretsmanager_RotationLambdaARN": "RotationLambdaARN"},
    "PutResourcePolicy": {"secretsmanager_BlockPublicPolicy": "BlockPublicPolicy"},
    "DeleteSecret": {
        "secretsmanager_RecoveryWindowInDays": "RecoveryWindowInDays",
        "secretsmanager_ForceDeleteWithoutRecovery": "ForceDeleteWithoutRecovery",
    },
}

_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"secretsmanager:{op}", SECRET, **_ID_KEYS, **_EXTRA_KEYS.get(op, {})),) for op in _ON_SECRET},
    "GetSecretValue": (
        need(
            "secretsmanager:GetSecretValue",
            SECRET,
            **_ID_KEYS,
            secretsmanager_VersionId="VersionId",
            secretsmanager_VersionStage="VersionStage",
        ),
    ),
    "CreateSecret": (
        need(
            "secretsmanager:CreateSecret",
            "arn:{partition}:secretsmanager:{region}:{account}:secret:{Name}-??????",
            secretsmanager_Name="Name",
            secretsmanager_Description="Description",
            secretsmanager_KmsKeyId="KmsKeyId",
        ),
    ),
    "BatchGetSecretValue": (
        need("secretsmanager:BatchGetSecretValue"),
        need("secretsmanager:GetSecretValue", "{batch_secrets}", when="batch_secrets"),
    ),
    "GetRandomPassword": (need("secretsmanager:GetRandomPassword"),),
    "ListSecrets": (need("secretsmanager:ListSecrets"),),
}


def _by_name(name: str, where: Where) -> str:
    return where.arn("secretsmanager", f"secret:{name}")


def secret_arn(secret_id: str, where: Where) -> str:
    """The full ARN of the secret ``secret_id`` (an ARN, or a name whose ARN ``CreateSecret`` taught)."""
    if secret_id.startswith("arn:"):
        return secret_id
    known = where.fact(_by_name(secret_id, where), _FACT)
    if known is None:
        raise UsageError(
            f"iamsim does not know the ARN of secret {secret_id!r}: create it through the patched client,"
            f" name it by ARN, or call sim.resources.set_fact({_by_name(secret_id, where)!r}, {_FACT!r}, ARN)"
        )
    return known


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """The secret's full ARN; the secrets of a batch; request tags."""
    found: dict[str, Any] = {}
    secret_id = params.get("SecretId")
    if isinstance(secret_id, str):
        found["secret_arn"] = secret_arn(secret_id, where)
    if params.get("SecretIdList"):
        found["batch_secrets"] = [secret_arn(s, where) for s in params["SecretIdList"]]
    if operation in ("CreateSecret", "TagResource") and params.get("Tags"):
        found["request_tags"] = tag_list(params["Tags"])
    return found


def _created(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    arn = o.get("ARN")
    if not isinstance(arn, str):
        return
    r.set_fact(_by_name(p["Name"], w), _FACT, arn)
    if p.get("Tags"):
        r.tag(arn, tag_list(p["Tags"]))


def _arn(params: Mapping[str, Any], where: Where) -> str:
    return secret_arn(params["SecretId"], where)


TABLE = ServiceTable("secretsmanager", _OPERATIONS, derive)

#: The secret's ARN, resource policy and tags, learnt from successful calls.
OBSERVERS: dict[tuple[str, str], Observer] = {
    ("secretsmanager", "CreateSecret"): _created,
    ("secretsmanager", "PutResourcePolicy"): lambda r, p, o, w: r.put_policy(_arn(p, w), p["ResourcePolicy"]),
    ("secretsmanager", "DeleteResourcePolicy"): lambda r, p, o, w: r.delete_policy(_arn(p, w)),
    ("secretsmanager", "TagResource"): lambda r, p, o, w: r.tag(_arn(p, w), tag_list(p.get("Tags"))),
    ("secretsmanager", "UntagResource"): lambda r, p, o, w: r.untag(_arn(p, w), p.get("TagKeys", [])),
}
