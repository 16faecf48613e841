"""Amazon DynamoDB: operation names are action names (``GetItem`` is ``dynamodb:GetItem``).

Curated where they are not: batch calls make one request per table (``BatchGetItem`` on
each table of ``RequestItems``), transactions one per item's table with the item's own
action (``TransactWriteItems``' ``Put`` is ``dynamodb:PutItem``), PartiQL statements are
``dynamodb:PartiQLSelect``/``Insert``/``Update``/``Delete`` on the table they name. Item
calls carry ``dynamodb:LeadingKeys`` (the partition key's value) and ``dynamodb:Attributes``
(the attribute names the request reads or writes), from AWS's "Using IAM policy conditions
for fine-grained access control".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from iamsim._enforce.table import Need, ServiceTable, Where, need
from iamsim.errors import UsageError

__all__ = ["TABLE"]

TABLE_ARN = "arn:{partition}:dynamodb:{region}:{account}:table/{TableName}"
_EACH_TABLE = "arn:{partition}:dynamodb:{region}:{account}:table/{tables}"
_KEYS = {
    "dynamodb_LeadingKeys": "leading_keys",
    "dynamodb_Attributes": "attributes",
    "dynamodb_ReturnConsumedCapacity": "ReturnConsumedCapacity",
}
#: Writes also say what they return; reads which attributes they select (AWS documents each key per action).
_ITEM_KEYS = {**_KEYS, "dynamodb_ReturnValues": "ReturnValues"}
_READ_KEYS = {**_KEYS, "dynamodb_Select": "Select"}
#: A Scan names no partition key: dynamodb:LeadingKeys is not among its keys.
_SCAN_KEYS = {k: v for k, v in _READ_KEYS.items() if k != "dynamodb_LeadingKeys"}

_ON_TABLE = (
    "CreateBackup",
    "CreateTable",
    "DeleteTable",
    "DescribeContinuousBackups",
    "DescribeTable",
    "DescribeTimeToLive",
    "UpdateContinuousBackups",
    "UpdateTable",
    "UpdateTimeToLive",
)
_ON_ARN = {
    "DeleteResourcePolicy": "ResourceArn",
    "GetResourcePolicy": "ResourceArn",
    "PutResourcePolicy": "ResourceArn",
    "ListTagsOfResource": "ResourceArn",
    "TagResource": "ResourceArn",
    "UntagResource": "ResourceArn",
    "DeleteBackup": "BackupArn",
    "DescribeBackup": "BackupArn",
    "DescribeExport": "ExportArn",
    "DescribeImport": "ImportArn",
    "ExportTableToPointInTime": "TableArn",
}
_UNSCOPED = ("DescribeEndpoints", "DescribeLimits", "ListTables", "ListBackups", "ListExports", "ListImports")
_TRANSACT_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
_PARTIQL = ("Select", "Insert", "Update", "Delete")


def _each(action: str, tables: str) -> Need:
    return need(action, "arn:{partition}:dynamodb:{region}:{account}:table/{" + tables + "}", when=tables)


_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"dynamodb:{op}", TABLE_ARN),) for op in _ON_TABLE},
    **{op: (need(f"dynamodb:{op}", "{" + param + "}"),) for op, param in _ON_ARN.items()},
    **{op: (need(f"dynamodb:{op}"),) for op in _UNSCOPED},
    "GetItem": (need("dynamodb:GetItem", TABLE_ARN, **_READ_KEYS),),
    "PutItem": (need("dynamodb:PutItem", TABLE_ARN, **_ITEM_KEYS),),
    "UpdateItem": (need("dynamodb:UpdateItem", TABLE_ARN, **_ITEM_KEYS),),
    "DeleteItem": (need("dynamodb:DeleteItem", TABLE_ARN, **_ITEM_KEYS),),
    "Query": (need("dynamodb:Query", TABLE_ARN, **_READ_KEYS),),
    "Scan": (need("dynamodb:Scan", TABLE_ARN, **_SCAN_KEYS),),
    "BatchGetItem": (need("dynamodb:BatchGetItem", _EACH_TABLE),),
    "BatchWriteItem": (need("dynamodb:BatchWriteItem", _EACH_TABLE),),
    "TransactGetItems": (_each("dynamodb:GetItem", "get_tables"),),
    "TransactWriteItems": tuple(_each(f"dynamodb:{a}", f"{a.lower()}_tables") for a in _TRANSACT_ACTIONS.values()),
    "RestoreTableFromBackup": (
        need("dynamodb:RestoreTableFromBackup", "{BackupArn}"),
        need("dynamodb:RestoreTableFromBackup", "arn:{partition}:dynamodb:{region}:{account}:table/{TargetTableName}"),
    ),
    "RestoreTableToPointInTime": (
        need("dynamodb:RestoreTableToPointInTime", "{source_table}"),
        need(
            "dynamodb:RestoreTableToPointInTime", "arn:{partition}:dynamodb:{region}:{account}:table/{TargetTableName}"
        ),
    ),
    "ImportTable": (need("dynamodb:ImportTable", "arn:{partition}:dynamodb:{region}:{account}:table/{import_table}"),),
    **{
        op: tuple(_each(f"dynamodb:PartiQL{verb}", f"partiql{verb.lower()}_tables") for verb in _PARTIQL)
        for op in ("ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction")
    },
}

_STATEMENT = re.compile(
    r'^\s*(SELECT\b.*?\bFROM|INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_.-]+)"?', re.IGNORECASE | re.DOTALL
)


def _scalar(value: Any) -> str:
    """The text of a DynamoDB attribute value (``{"S": "x"}`` -> ``x``)."""
    if isinstance(value, Mapping) and len(value) == 1:
        return str(next(iter(value.values())))
    return str(value)


def _partiql(statements: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {f"partiql{verb.lower()}_tables": [] for verb in _PARTIQL}
    for statement in statements:
        # A statement whose verb and table cannot be read keeps its own: the select bucket, so it is never free.
        match = _STATEMENT.match(statement)
        verb = match.group(1).split()[0].lower() if match else "select"
        table = match.group(2) if match else "*"
        found[f"partiql{verb}_tables"].append(table)
    return found


def _leading_key(params: Mapping[str, Any], item: Mapping[str, Any], where: Where) -> str:
    """The partition key's value of an item: the key's only attribute, or the one the table declared."""
    if len(item) == 1 and "Key" in params:
        return _scalar(next(iter(item.values())))
    table = where.arn("dynamodb", f"table/{params.get('TableName', '')}")
    name = where.fact(table, "partition_key")
    if name is None or name not in item:
        # Guessing could hand dynamodb:LeadingKeys the sort key's value: refuse instead (never a silent allow).
        raise UsageError(
            f"iamsim does not know the partition key of {table}: create the table through the patched client"
            f" or call sim.resources.set_fact({table!r}, 'partition_key', NAME)"
        )
    return _scalar(item[name])


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """Tables of batch, transaction and PartiQL calls; the item's leading key and attribute names."""
    found: dict[str, Any] = {}
    if operation in ("BatchGetItem", "BatchWriteItem"):
        found["tables"] = sorted(params.get("RequestItems", {}))
    elif operation == "TransactGetItems":
        found["get_tables"] = [item["Get"]["TableName"] for item in params.get("TransactItems", []) if "Get" in item]
    elif operation == "TransactWriteItems":
        for kind, action in _TRANSACT_ACTIONS.items():
            found[f"{action.lower()}_tables"] = [
                item[kind]["TableName"] for item in params.get("TransactItems", []) if kind in item
            ]
    elif operation == "ExecuteStatement":
        found.update(_partiql([params.get("Statement", "")]))
    elif operation in ("BatchExecuteStatement", "ExecuteTransaction"):
        key = "Statements" if operation == "BatchExecuteStatement" else "TransactStatements"
        found.update(_partiql([s.get("Statement", "") for s in params.get(key, [])]))
    elif operation == "RestoreTableToPointInTime":
        found["source_table"] = params.get("SourceTableArn") or (
            where.arn("dynamodb", f"table/{params.get('SourceTableName', '')}")
        )
    elif operation == "ImportTable":
        found["import_table"] = params.get("TableCreationParameters", {}).get("TableName")
    item = params.get("Key") or params.get("Item")
    if isinstance(item, Mapping) and item:
        found["leading_keys"] = [_leading_key(params, item, where)]
        names = list(params.get("AttributesToGet") or [])
        if "Item" in params:
            names = list(item)
        if names:
            found["attributes"] = names
    if "Tags" in params:
        found["request_tags"] = {t["Key"]: t["Value"] for t in params["Tags"]}
    return found


TABLE = ServiceTable("dynamodb", _OPERATIONS, derive)
