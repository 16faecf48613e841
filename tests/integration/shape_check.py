"""Check boto3-parsed responses against botocore's output shapes, member by member."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from functools import cache
from typing import Any

import botocore.session

_SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (float, int),
    "double": (float, int),
    "timestamp": (datetime.datetime,),
    "blob": (bytes,),
}


@cache
def _model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


def shape_problems(service: str, operation: str, response: Mapping[str, Any]) -> list[str]:
    """Every way ``response`` (minus ResponseMetadata) strays from the operation's output shape."""
    shape = _model(service).operation_model(operation).output_shape
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    if shape is None:
        return [f"{operation} has no output, got {sorted(body)}"] if body else []
    problems: list[str] = []
    _check(shape, body, operation, problems)
    return problems


def _check(shape: Any, value: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, Mapping):
            problems.append(f"{path}: expected a structure, got {type(value).__name__}")
            return
        for name in shape.required_members:
            if name not in value:
                problems.append(f"{path}: required member {name} missing")
        for name, item in value.items():
            if name not in shape.members:
                problems.append(f"{path}: {name} is not a member of {shape.name}")
            else:
                _check(shape.members[name], item, f"{path}.{name}", problems)
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list, got {type(value).__name__}")
            return
        for index, item in enumerate(value):
            _check(shape.member, item, f"{path}[{index}]", problems)
    elif kind == "map":
        if not isinstance(value, Mapping):
            problems.append(f"{path}: expected a map, got {type(value).__name__}")
            return
        for key, item in value.items():
            _check(shape.value, item, f"{path}[{key!r}]", problems)
    elif shape.name == "policyDocumentType":
        # botocore's IAM customisation decodes URL-encoded policy documents into dicts.
        if not isinstance(value, (dict, str)):
            problems.append(f"{path}: policy document is {type(value).__name__}")
    elif not isinstance(value, _SCALARS[kind]) or (kind != "boolean" and isinstance(value, bool)):
        problems.append(f"{path}: {type(value).__name__} does not fit {kind}")
    elif kind == "string" and shape.enum and value not in shape.enum:
        problems.append(f"{path}: {value!r} not in enum {shape.enum}")


def assert_shape(service: str, operation: str, response: Mapping[str, Any]) -> Mapping[str, Any]:
    """Fail with every problem when ``response`` does not fit its output shape; return it."""
    problems = shape_problems(service, operation, response)
    assert not problems, "\n".join(problems)
    return response
