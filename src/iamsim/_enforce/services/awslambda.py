"""AWS Lambda: operation names are mostly action names, on the function a ``FunctionName`` names.

A ``FunctionName`` may be a name, a partial ARN (``ACCOUNT:function:NAME``) or an ARN, each
optionally with a version or alias (``NAME:live``); with a ``Qualifier`` the request acts on
the version's or alias's ARN (AWS Lambda Developer Guide, "Fine-tuning the Resources and
Conditions sections of policies": a function, version or alias ARN). ``Invoke`` is
``lambda:InvokeFunction``; event source mappings act on their own ARN and carry
``lambda:FunctionArn``; layer calls act on the layer version; ``CreateFunction`` and a
``Role`` change need ``iam:PassRole`` on the role (``iam:PassedToService`` is
``lambda.amazonaws.com``). From AWS's "Actions, resources, and condition keys for AWS Lambda".
The function policy is learnt from ``AddPermission``/``RemovePermission``, built as Lambda
documents it (a statement per ``StatementId``; ``SourceArn``, ``SourceAccount``,
``PrincipalOrgID`` and ``FunctionUrlAuthType`` as conditions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._enforce.services.learn import Observer, add_statement, remove_statement, tag_list
from iamsim._enforce.table import Need, ServiceTable, Where, need
from iamsim._simulator.resources import ResourceOperations

__all__ = ["OBSERVERS", "TABLE"]

FUNCTION = "arn:{partition}:lambda:{function_region}:{function_account}:function:{function_name}"
#: Alias and version management act on the function itself, whatever qualifier the name carries.
UNQUALIFIED = "arn:{partition}:lambda:{function_region}:{function_account}:function:{function_base}"
MAPPING = "arn:{partition}:lambda:{region}:{account}:event-source-mapping:{UUID}"
LAYER_VERSION = "arn:{partition}:lambda:{layer_region}:{layer_account}:layer:{layer_name}:{VersionNumber}"
LAYER = "arn:{partition}:lambda:{layer_region}:{layer_account}:layer:{layer_name}"
_PASS_ROLE = need("iam:PassRole", "{Role}", when="Role", iam_PassedToService="passed_to_service")
_NETWORK_KEYS = {
    "lambda_Layer": "layers",
    "lambda_SubnetIds": "subnet_ids",
    "lambda_SecurityGroupIds": "security_group_ids",
}
_URL_KEYS = {"lambda_FunctionArn": "function_arn", "lambda_FunctionUrlAuthType": "AuthType"}

_ON_FUNCTION = (
    "DeleteFunction",
    "DeleteFunctionConcurrency",
    "DeleteFunctionEventInvokeConfig",
    "GetFunction",
    "GetFunctionCodeSigningConfig",
    "GetFunctionConcurrency",
    "GetFunctionConfiguration",
    "GetFunctionEventInvokeConfig",
    "GetPolicy",
    "InvokeAsync",
    "ListFunctionEventInvokeConfigs",
    "PutFunctionConcurrency",
    "PutFunctionEventInvokeConfig",
    "UpdateFunctionCode",
    "UpdateFunctionEventInvokeConfig",
)
_ON_BASE = (
    "CreateAlias",
    "DeleteAlias",
    "GetAlias",
    "ListAliases",
    "ListVersionsByFunction",
    "PublishVersion",
    "UpdateAlias",
)
_ON_MAPPING = ("DeleteEventSourceMapping", "GetEventSourceMapping", "UpdateEventSourceMapping")
_ON_LAYER_VERSION = (
    "AddLayerVersionPermission",
    "DeleteLayerVersion",
    "GetLayerVersion",
    "GetLayerVersionPolicy",
    "RemoveLayerVersionPermission",
)
_PERMISSION_KEYS = {"lambda_Principal": "Principal", "lambda_FunctionUrlAuthType": "FunctionUrlAuthType"}

_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"lambda:{op}", FUNCTION),) for op in _ON_FUNCTION},
    **{op: (need(f"lambda:{op}", UNQUALIFIED),) for op in _ON_BASE},
    **{op: (need(f"lambda:{op}", MAPPING, lambda_FunctionArn="function_arn"),) for op in _ON_MAPPING},
    **{op: (need(f"lambda:{op}", LAYER_VERSION),) for op in _ON_LAYER_VERSION},
    **{op: (need(f"lambda:{op}", "{Resource}"),) for op in ("ListTags", "TagResource", "UntagResource")},
    **{
        op: (need(f"lambda:{op}"),)
        for op in ("ListEventSourceMappings", "ListFunctions", "ListLayerVersions", "ListLayers")
    },
    "AddPermission": (need("lambda:AddPermission", FUNCTION, **_PERMISSION_KEYS),),
    "RemovePermission": (need("lambda:RemovePermission", FUNCTION),),
    "Invoke": (need("lambda:InvokeFunction", FUNCTION),),
    "CreateFunction": (need("lambda:CreateFunction", FUNCTION, **_NETWORK_KEYS), _PASS_ROLE),
    "UpdateFunctionConfiguration": (need("lambda:UpdateFunctionConfiguration", FUNCTION, **_NETWORK_KEYS), _PASS_ROLE),
    "CreateEventSourceMapping": (need("lambda:CreateEventSourceMapping", lambda_FunctionArn="function_arn"),),
    **{
        f"{verb}FunctionUrlConfig": (need(f"lambda:{verb}FunctionUrlConfig", FUNCTION, **_URL_KEYS),)
        for verb in ("Create", "Delete", "Get", "Update")
    },
    "PublishLayerVersion": (need("lambda:PublishLayerVersion", LAYER),),
}


def _function(name: str, qualifier: object, where: Where) -> dict[str, str]:
    """Region, account and name (with any qualifier) of a function named in any of Lambda's forms."""
    fields = name.split(":")
    region, account = where.region, where.account
    if fields[0] == "arn" and len(fields) >= 7:
        region, account, fields = fields[3], fields[4], fields[6:]
    elif len(fields) >= 3 and fields[1] == "function":
        account, fields = fields[0], fields[2:]
    base = fields[0]
    full = ":".join(fields[:2])
    if isinstance(qualifier, str) and qualifier and len(fields) == 1:
        full = f"{base}:{qualifier}"
    return {"function_region": region, "function_account": account, "function_name": full, "function_base": base}


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """The function's and layer's ARN pieces; role, layers and network of a configuration; request tags."""
    found: dict[str, Any] = {"passed_to_service": "lambda.amazonaws.com"}
    name = params.get("FunctionName")
    if isinstance(name, str):
        found.update(_function(name, params.get("Qualifier"), where))
        found["function_arn"] = where.arn(
            "lambda",
            "function:" + found["function_name"],
            region=found["function_region"],
            account=found["function_account"],
        )
    layer = params.get("LayerName")
    if isinstance(layer, str):
        fields = layer.split(":")
        if fields[0] == "arn" and len(fields) >= 7:
            found.update(layer_region=fields[3], layer_account=fields[4], layer_name=fields[6])
        else:
            found.update(layer_region=where.region, layer_account=where.account, layer_name=layer)
    if params.get("Layers"):
        found["layers"] = list(params["Layers"])
    vpc = params.get("VpcConfig") or {}
    if vpc.get("SubnetIds"):
        found["subnet_ids"] = list(vpc["SubnetIds"])
    if vpc.get("SecurityGroupIds"):
        found["security_group_ids"] = list(vpc["SecurityGroupIds"])
    if operation in ("CreateFunction", "TagResource") and params.get("Tags"):
        found["request_tags"] = tag_list(params["Tags"])
    return found


def _arn(params: Mapping[str, Any], where: Where) -> str:
    return str(derive("", params, where)["function_arn"])


def permission_statement(params: Mapping[str, Any], resource: str) -> dict[str, Any]:
    """The function-policy statement ``AddPermission`` adds, as Lambda's documentation shows it."""
    principal = str(params.get("Principal", ""))
    shown: Any = "*" if principal == "*" else {"Service" if principal.endswith(".amazonaws.com") else "AWS": principal}
    condition: dict[str, dict[str, str]] = {}
    if params.get("SourceArn"):
        condition.setdefault("ArnLike", {})["AWS:SourceArn"] = params["SourceArn"]
    for param, key in (
        ("SourceAccount", "AWS:SourceAccount"),
        ("PrincipalOrgID", "aws:PrincipalOrgID"),
        ("FunctionUrlAuthType", "lambda:FunctionUrlAuthType"),
    ):
        if params.get(param):
            condition.setdefault("StringEquals", {})[key] = params[param]
    statement = {
        "Sid": params.get("StatementId", ""),
        "Effect": "Allow",
        "Principal": shown,
        "Action": params.get("Action", ""),
        "Resource": resource,
    }
    return {**statement, "Condition": condition} if condition else statement


def _created(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    if p.get("Tags"):
        r.tag(o.get("FunctionArn") or _arn(p, w), tag_list(p["Tags"]))


def _permitted(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    arn = _arn(p, w)
    add_statement(r, arn, permission_statement(p, arn))


TABLE = ServiceTable("lambda", _OPERATIONS, derive)

#: The function policy, tags and deletion, learnt from successful calls.
OBSERVERS: dict[tuple[str, str], Observer] = {
    ("lambda", "CreateFunction"): _created,
    ("lambda", "AddPermission"): _permitted,
    ("lambda", "RemovePermission"): lambda r, p, o, w: remove_statement(r, _arn(p, w), p["StatementId"]),
    ("lambda", "TagResource"): lambda r, p, o, w: r.tag(p["Resource"], tag_list(p.get("Tags"))),
    ("lambda", "UntagResource"): lambda r, p, o, w: r.untag(p["Resource"], p.get("TagKeys", [])),
    ("lambda", "DeleteFunction"): lambda r, p, o, w: r.forget(_arn(p, w)),
}
