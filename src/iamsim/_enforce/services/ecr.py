"""Amazon ECR: operation names are action names, on the repository a call names.

A repository is ``repository/NAME`` in the account its ``registryId`` names (the caller's
when absent). ``DescribeRepositories`` and ``BatchGetRepositoryScanningConfiguration``
make one request per name, and ``DescribeRepositories`` without names acts on
``repository/*`` (**judgment**: it lists every repository of the registry); tag calls act on
the ``resourceArn``. ``GetAuthorizationToken`` and the registry-wide calls
(``DescribeRegistry``, registry policy, scanning and replication configuration) name no
resource type. From AWS's "Actions, resources, and condition keys for Amazon Elastic
Container Registry". The repository policy is learnt from ``SetRepositoryPolicy``/
``DeleteRepositoryPolicy``; tags from ``CreateRepository`` and ``TagResource``/``UntagResource``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._enforce.services.learn import Observer, tag_list
from iamsim._enforce.table import Need, ServiceTable, Where, need

__all__ = ["OBSERVERS", "TABLE"]

_BASE = "arn:{partition}:ecr:{region}:{registry}:repository/"
REPOSITORY = _BASE + "{repositoryName}"

_UNSCOPED = (
    "DeleteRegistryPolicy",
    "DescribeRegistry",
    "GetAuthorizationToken",
    "GetRegistryPolicy",
    "GetRegistryScanningConfiguration",
    "PutRegistryPolicy",
    "PutRegistryScanningConfiguration",
    "PutReplicationConfiguration",
)
_ON_REPOSITORY = (
    "BatchCheckLayerAvailability",
    "BatchDeleteImage",
    "BatchGetImage",
    "CompleteLayerUpload",
    "CreateRepository",
    "DeleteLifecyclePolicy",
    "DeleteRepository",
    "DeleteRepositoryPolicy",
    "DescribeImageScanFindings",
    "DescribeImages",
    "GetDownloadUrlForLayer",
    "GetLifecyclePolicy",
    "GetRepositoryPolicy",
    "InitiateLayerUpload",
    "ListImages",
    "PutImage",
    "PutImageScanningConfiguration",
    "PutImageTagMutability",
    "PutLifecyclePolicy",
    "SetRepositoryPolicy",
    "StartImageScan",
    "UploadLayerPart",
)

_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"ecr:{op}"),) for op in _UNSCOPED},
    **{op: (need(f"ecr:{op}", REPOSITORY),) for op in _ON_REPOSITORY},
    **{op: (need(f"ecr:{op}", "{resourceArn}"),) for op in ("ListTagsForResource", "TagResource", "UntagResource")},
    "DescribeRepositories": (need("ecr:DescribeRepositories", _BASE + "{repositories}"),),
    "BatchGetRepositoryScanningConfiguration": (
        need("ecr:BatchGetRepositoryScanningConfiguration", _BASE + "{repositories}"),
    ),
}


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """The registry (account) named; the repositories a listing names; request tags."""
    found: dict[str, Any] = {"registry": params.get("registryId") or where.account}
    names = params.get("repositoryNames")
    found["repositories"] = list(names) if names else ["*"]
    if operation in ("CreateRepository", "TagResource") and params.get("tags"):
        found["request_tags"] = tag_list(params["tags"])
    return found


def _repository(params: Mapping[str, Any], where: Where) -> str:
    account = params.get("registryId") or where.account
    return where.arn("ecr", f"repository/{params['repositoryName']}", account=account)


TABLE = ServiceTable("ecr", _OPERATIONS, derive)

#: The repository policy and tags, learnt from successful calls.
OBSERVERS: dict[tuple[str, str], Observer] = {
    ("ecr", "SetRepositoryPolicy"): lambda r, p, o, w: r.put_policy(_repository(p, w), p["policyText"]),
    ("ecr", "DeleteRepositoryPolicy"): lambda r, p, o, w: r.delete_policy(_repository(p, w)),
    ("ecr", "CreateRepository"): lambda r, p, o, w: r.tag(_repository(p, w), tag_list(p.get("tags"))),
    ("ecr", "TagResource"): lambda r, p, o, w: r.tag(p["resourceArn"], tag_list(p.get("tags"))),
    ("ecr", "UntagResource"): lambda r, p, o, w: r.untag(p["resourceArn"], p.get("tagKeys", [])),
    ("ecr", "DeleteRepository"): lambda r, p, o, w: r.forget(_repository(p, w)),
}
