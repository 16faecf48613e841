"""AWS Systems Manager (Parameter Store, documents, maintenance windows, patch baselines, commands).

Operation names are action names. A parameter's ARN is ``parameter/NAME`` with the name's
leading ``/`` dropped (``/app/db`` is ``parameter/app/db``, never ``parameter//app/db``);
``GetParameters``/``DeleteParameters`` make one request per name; ``GetParametersByPath``
acts on the path and carries ``ssm:Recursive``; ``PutParameter`` carries ``ssm:Overwrite``.
``SendCommand`` needs the action on the document and on each target instance. Tag calls act
on the resource ``ResourceType``/``ResourceId`` name. From AWS's "Actions, resources, and
condition keys for AWS Systems Manager".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._enforce.services.learn import tag_list
from iamsim._enforce.table import Need, ServiceTable, Where, need
from iamsim.errors import UsageError

__all__ = ["TABLE"]

_BASE = "arn:{partition}:ssm:{region}:{account}:"
PARAMETER = _BASE + "parameter/{parameter}"
DOCUMENT = _BASE + "document/{Name}"
WINDOW = _BASE + "maintenancewindow/{WindowId}"
BASELINE = _BASE + "patchbaseline/{BaselineId}"
#: Tag calls' ResourceType -> the resource type's ARN path.
_TAG_TYPES = {
    "Parameter": "parameter/",
    "Document": "document/",
    "MaintenanceWindow": "maintenancewindow/",
    "PatchBaseline": "patchbaseline/",
    "OpsItem": "opsitem/",
    "Association": "association/",
    "Automation": "automation-execution/",
    "OpsMetadata": "opsmetadata/",
    "ManagedInstance": "managed-instance/",
}

_UNSCOPED = (
    "CreateMaintenanceWindow",
    "CreatePatchBaseline",
    "DescribeMaintenanceWindows",
    "DescribeParameters",
    "DescribePatchBaselines",
    "GetCommandInvocation",
    "GetPatchBaselineForPatchGroup",
    "ListCommands",
    "ListDocuments",
)
_ON_PARAMETER = (
    "DeleteParameter",
    "GetParameter",
    "GetParameterHistory",
    "LabelParameterVersion",
    "UnlabelParameterVersion",
)
_ON_DOCUMENT = (
    "CreateDocument",
    "DeleteDocument",
    "DescribeDocument",
    "DescribeDocumentPermission",
    "GetDocument",
    "ModifyDocumentPermission",
    "UpdateDocument",
    "UpdateDocumentDefaultVersion",
)
_ON_WINDOW = (
    "DeleteMaintenanceWindow",
    "DescribeMaintenanceWindowTargets",
    "DescribeMaintenanceWindowTasks",
    "GetMaintenanceWindow",
    "RegisterTargetWithMaintenanceWindow",
    "RegisterTaskWithMaintenanceWindow",
)
_ON_BASELINE = ("DeletePatchBaseline", "DeregisterPatchBaselineForPatchGroup", "RegisterPatchBaselineForPatchGroup")

_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"ssm:{op}"),) for op in _UNSCOPED},
    **{op: (need(f"ssm:{op}", PARAMETER),) for op in _ON_PARAMETER},
    **{op: (need(f"ssm:{op}", DOCUMENT),) for op in _ON_DOCUMENT},
    **{op: (need(f"ssm:{op}", WINDOW),) for op in _ON_WINDOW},
    **{op: (need(f"ssm:{op}", BASELINE),) for op in _ON_BASELINE},
    **{
        op: (need(f"ssm:{op}", "{tagged_arn}"),)
        for op in ("AddTagsToResource", "ListTagsForResource", "RemoveTagsFromResource")
    },
    "GetParameters": (need("ssm:GetParameters", _BASE + "parameter/{parameters}"),),
    "DeleteParameters": (need("ssm:DeleteParameters", _BASE + "parameter/{parameters}"),),
    "GetParametersByPath": (need("ssm:GetParametersByPath", _BASE + "parameter/{path}", ssm_Recursive="Recursive"),),
    "PutParameter": (need("ssm:PutParameter", PARAMETER, ssm_Overwrite="overwrite"),),
    "DeregisterTargetFromMaintenanceWindow": (
        need("ssm:DeregisterTargetFromMaintenanceWindow", WINDOW),
        need("ssm:DeregisterTargetFromMaintenanceWindow", _BASE + "windowtarget/{WindowTargetId}"),
    ),
    "DeregisterTaskFromMaintenanceWindow": (
        need("ssm:DeregisterTaskFromMaintenanceWindow", WINDOW),
        need("ssm:DeregisterTaskFromMaintenanceWindow", _BASE + "windowtask/{WindowTaskId}"),
    ),
    "SendCommand": (
        need("ssm:SendCommand", _BASE + "document/{DocumentName}"),
        need("ssm:SendCommand", "arn:{partition}:ec2:{region}:{account}:instance/{InstanceIds}", when="InstanceIds"),
    ),
}


def parameter_path(name: str) -> str:
    """A parameter name as its ARN writes it: one leading ``/`` dropped."""
    return name[1:] if name.startswith("/") else name


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """Parameter names as ARN paths; the ARN a tag call names; ``ssm:Overwrite``; request tags."""
    found: dict[str, Any] = {}
    name = params.get("Name")
    if isinstance(name, str):
        found["parameter"] = parameter_path(name)
    if isinstance(params.get("Names"), list):
        found["parameters"] = [parameter_path(n) for n in params["Names"]]
    if isinstance(params.get("Path"), str):
        found["path"] = parameter_path(params["Path"])
    if operation == "PutParameter":
        found["overwrite"] = bool(params.get("Overwrite", False))
    kind, resource_id = params.get("ResourceType"), params.get("ResourceId")
    if isinstance(kind, str) and isinstance(resource_id, str):
        prefix = _TAG_TYPES.get(kind)
        if prefix is None:
            # Naming no resource would let a Deny on the real ARN miss: refuse instead.
            raise UsageError(f"iamsim has no ARN form for SSM resource type {kind!r}")
        found["tagged_arn"] = where.arn(
            "ssm", prefix + (parameter_path(resource_id) if kind == "Parameter" else resource_id)
        )
    if operation in ("AddTagsToResource", "PutParameter", "CreateDocument") and params.get("Tags"):
        found["request_tags"] = tag_list(params["Tags"])
    return found


TABLE = ServiceTable("ssm", _OPERATIONS, derive)
