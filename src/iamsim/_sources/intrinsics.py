"""Resolving CloudFormation intrinsic functions where the template alone decides their value."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from iamsim._arn import build_arn, iam_entity_arn, s3_arn
from iamsim.errors import InvalidInputError

__all__ = ["Resolver"]

# The property that names a resource of each type (what Ref returns for most of them).
_NAME_PROPERTY = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::Policy": "PolicyName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::KMS::Alias": "AliasName",
}
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass(frozen=True, slots=True)
class Resolver:
    """Resolves intrinsic functions against one template's resources and parameters."""

    origin: str
    resources: Mapping[str, Mapping[str, Any]]
    parameters: Mapping[str, Any]
    pseudo: Mapping[str, Any]

    def _fail(self, where: str, message: str) -> InvalidInputError:
        return InvalidInputError(f"{self.origin}: {where}: {message}")

    def _type(self, logical_id: str) -> str:
        return str(self.resources[logical_id].get("Type", ""))

    def resource_name(self, logical_id: str) -> str:
        """The physical name of a resource: its name property when literal, else its logical id."""
        properties = self.resources[logical_id].get("Properties") or {}
        prop = _NAME_PROPERTY.get(self._type(logical_id))
        if prop and isinstance(properties, Mapping) and prop in properties:
            return str(self.resolve(properties[prop], f"{logical_id}.{prop}"))
        return logical_id

    def _path(self, logical_id: str) -> str:
        properties = self.resources[logical_id].get("Properties") or {}
        path = properties.get("Path", "/") if isinstance(properties, Mapping) else "/"
        return str(self.resolve(path, f"{logical_id}.Path"))

    def managed_policy_arn(self, logical_id: str) -> str:
        """The ARN a template's ``AWS::IAM::ManagedPolicy`` will have."""
        name = self.resource_name(logical_id)
        partition, account = self.pseudo["AWS::Partition"], self.pseudo["AWS::AccountId"]
        return iam_entity_arn(partition, account, "policy", self._path(logical_id), name)

    def _ref(self, name: str, where: str) -> Any:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.resolve(self.parameters[name], where)
        if name in self.resources:
            if self._type(name) == "AWS::IAM::ManagedPolicy":
                return self.managed_policy_arn(name)
            return self.resource_name(name)
        raise self._fail(where, f"Ref {name} names no parameter (with a default) or resource")

    def _arn(self, logical_id: str, where: str) -> str:
        partition = self.pseudo["AWS::Partition"]
        account = self.pseudo["AWS::AccountId"]
        region = self.pseudo["AWS::Region"]
        name = self.resource_name(logical_id)
        kind = self._type(logical_id)
        arns = {
            "AWS::IAM::Role": lambda: iam_entity_arn(partition, account, "role", self._path(logical_id), name),
            "AWS::IAM::User": lambda: iam_entity_arn(partition, account, "user", self._path(logical_id), name),
            "AWS::IAM::ManagedPolicy": lambda: self.managed_policy_arn(logical_id),
            "AWS::S3::Bucket": lambda: s3_arn(partition, name),
            "AWS::SQS::Queue": lambda: build_arn(partition, "sqs", name, region=region, account=account),
            "AWS::SNS::Topic": lambda: build_arn(partition, "sns", name, region=region, account=account),
            "AWS::DynamoDB::Table": lambda: build_arn(
                partition, "dynamodb", f"table/{name}", region=region, account=account
            ),
            "AWS::Lambda::Function": lambda: build_arn(
                partition, "lambda", f"function:{name}", region=region, account=account
            ),
        }
        build = arns.get(kind)
        if build is None:
            raise self._fail(where, f"cannot resolve Fn::GetAtt {logical_id}.Arn of a {kind or 'typeless'} resource")
        return build()

    def _get_att(self, value: Any, where: str) -> Any:
        if not (isinstance(value, list) and len(value) == 2):
            raise self._fail(where, "Fn::GetAtt takes [LogicalId, Attribute]")
        logical_id, attribute = (str(part) for part in value)
        if logical_id not in self.resources:
            raise self._fail(where, f"Fn::GetAtt names no resource {logical_id!r}")
        if attribute == "Arn":
            return self._arn(logical_id, where)
        raise self._fail(where, f"cannot resolve Fn::GetAtt {logical_id}.{attribute} offline")

    def _sub(self, value: Any, where: str) -> str:
        if isinstance(value, list) and len(value) == 2 and isinstance(value[1], Mapping):
            template, local = str(value[0]), {str(k): self.resolve(v, where) for k, v in value[1].items()}
        elif isinstance(value, str):
            template, local = value, {}
        else:
            raise self._fail(where, "Fn::Sub takes a string or [string, {variables}]")

        def replace(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            if name in local:
                return str(local[name])
            if "." in name and name.split(".", 1)[0] in self.resources:
                return str(self._get_att(name.split(".", 1), where))
            return str(self._ref(name, where))

        # ${!Literal} stays as ${Literal}: CloudFormation's escape for IAM policy variables.
        return _SUB_VARIABLE.sub(replace, template).replace("${!", "${")

    def first_unresolved(self, value: Any, pointer: str) -> tuple[str, str] | None:
        """The JSON pointer (under ``pointer``) of the first intrinsic in ``value`` that cannot be resolved, and why.

        ``None`` when all of ``value`` resolves. Used to report the one place a
        template cannot be read offline while the rest of it is still checked.
        """
        if isinstance(value, Mapping) and len(value) == 1:
            ((key, _),) = value.items()
            if key == "Ref" or key == "Condition" or str(key).startswith("Fn::"):
                try:
                    self.resolve(value, "")
                except InvalidInputError as error:
                    return pointer, error.message.removeprefix(f"{self.origin}: : ")
                return None
        items: list[tuple[str, Any]] = []
        if isinstance(value, Mapping):
            items = [(str(key), item) for key, item in value.items()]
        elif isinstance(value, list):
            items = [(str(index), item) for index, item in enumerate(value)]
        for token, item in items:
            found = self.first_unresolved(item, f"{pointer}/{token.replace('~', '~0').replace('/', '~1')}")
            if found is not None:
                return found
        return None

    def resolve(self, value: Any, where: str) -> Any:
        """Return ``value`` with every intrinsic function replaced by its value."""
        if isinstance(value, list):
            return [self.resolve(item, where) for item in value]
        if not isinstance(value, Mapping):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(str(arg), where)
            if key == "Fn::GetAtt":
                return self._get_att(arg.split(".", 1) if isinstance(arg, str) else arg, where)
            if key == "Fn::Sub":
                return self._sub(arg, where)
            if key == "Fn::Join":
                if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list)):
                    raise self._fail(where, "Fn::Join takes [delimiter, [values]]")
                return str(arg[0]).join(str(self.resolve(item, where)) for item in arg[1])
            if key == "Fn::Select":
                items = self.resolve(arg[1], where) if isinstance(arg, list) and len(arg) == 2 else None
                if not isinstance(items, list):
                    raise self._fail(where, "Fn::Select takes [index, [values]]")
                try:
                    return items[int(self.resolve(arg[0], where))]
                except (ValueError, TypeError, IndexError):
                    raise self._fail(where, "Fn::Select index is not an index into its list") from None
            if key == "Fn::Split":
                if not (isinstance(arg, list) and len(arg) == 2):
                    raise self._fail(where, "Fn::Split takes [delimiter, string]")
                return str(self.resolve(arg[1], where)).split(str(arg[0]))
            if key.startswith("Fn::") or key == "Condition":
                raise self._fail(where, f"cannot resolve {key} offline; give the value literally")
        resolved = {key: self.resolve(item, where) for key, item in value.items()}
        # AWS::NoValue removes the property it stands for.
        return {key: item for key, item in resolved.items() if item is not None}
