"""What the IAM API itself answers for a policy document it is asked to store (§A.6).

:func:`~iamsim._policy.parse.parse_policy` reports each fault with iamsim's precise words (the
linter keeps them). IAM's own API answers a small, fixed set of messages instead, and checks a
document in passes: its shape first ("Syntax errors in policy."), then, for a managed policy, its
``Version`` ("Policy document must be version 2012-10-17 or greater."), then the values it parses
the legacy way (resource ARNs, condition values: "The policy failed legacy parsing"), then the
rest (actions, resources, Sids), and last the resource ARNs' partitions and regions. This module
answers as IAM does for CreatePolicy, CreatePolicyVersion and Put{User,Group,Role}Policy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from iamsim._arn import PARTITIONS
from iamsim._policy import operators
from iamsim._policy.catalog import ServiceCatalog
from iamsim._policy.jsontext import SYNTAX_ERROR
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import LEGACY_PARSING, STATEMENT_KEYS, TOP_LEVEL_KEYS, UNIQUE_SIDS, VERSIONS, parse_policy
from iamsim.errors import MalformedPolicyDocumentError

__all__ = ["NEED_2012", "check_stored_identity_policy"]

NEED_2012 = "Policy document must be version 2012-10-17 or greater."
_VENDOR = re.compile(r"[A-Za-z0-9*?_.-]+")
_VENDOR_QUALIFIED = "Resource vendor must be fully qualified and cannot contain regexes."
# The resource-type prefixes an IAM resource ARN may carry (§A.6).
_IAM_RESOURCE_TYPES = (
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
)
_IAM_PATH = 'IAM resource path must either be "*" or start with ' + ", ".join(_IAM_RESOURCE_TYPES) + "."
# IAM resource types newer than the bundled service reference; their ARNs are the botocore model's (§H.10).
_NEWER_IAM_RESOURCE_TYPES = ("workload-identity-provider/", "workload-identity-template/")


@cache
def _accepted_iam_resource_types() -> tuple[str, ...]:
    """The prefixes IAM accepts after ``arn:...:iam::ACCOUNT:``.

    IAM's message still lists the types of its first validator, but IAM has added resource types
    since (delegation requests, role templates, workload identity): a policy naming one of those
    is valid, so the accepted set is the message's list, every IAM type of the bundled service
    reference, and the newer ones the reference does not hold yet.
    """
    catalog = ServiceCatalog.load()
    words = {
        resource_type.arn_format.split(":", 5)[5].split("/", 1)[0] + "/"
        for service in catalog.services()
        for resource_type in service.resource_types.values()
        if resource_type.arn_format is not None
        and resource_type.arn_format.count(":") >= 5
        and resource_type.arn_format.split(":", 5)[2] == "iam"
        and "/" in resource_type.arn_format.split(":", 5)[5]
    }
    return tuple(sorted({*_IAM_RESOURCE_TYPES, *_NEWER_IAM_RESOURCE_TYPES, *(w for w in words if "$" not in w)}))


def check_stored_identity_policy(text: str, *, managed: bool) -> Policy:
    """Parse ``text`` as an identity policy IAM is asked to store; IAM's own message on a fault.

    ``managed`` is true for CreatePolicy and CreatePolicyVersion, whose documents must say
    ``"Version": "2012-10-17"``; inline policies may still use the older version (§A.6).
    Raises :class:`~iamsim.errors.MalformedPolicyDocumentError` or
    :class:`~iamsim.errors.LimitExceededError`.
    """
    root = _decoded(text)
    if root is None or _shape_fault(root):
        raise MalformedPolicyDocumentError(SYNTAX_ERROR)
    if managed and root.get("Version") != "2012-10-17":
        raise MalformedPolicyDocumentError(NEED_2012)
    if _legacy_fault(root):
        raise MalformedPolicyDocumentError(LEGACY_PARSING)
    for resource in _resources(root):
        _check_resource_form(resource)
    sids = [statement["Sid"] for statement in _statements(root) if isinstance(statement.get("Sid"), str)]
    if len(sids) != len(set(sids)):
        raise MalformedPolicyDocumentError(UNIQUE_SIDS)
    try:
        # An inline policy's size counts toward its entity's total instead (§H.3).
        policy = parse_policy(text, PolicyKind.IDENTITY, check_size=managed)
    except MalformedPolicyDocumentError as error:
        raise MalformedPolicyDocumentError(_iam_words(error.message)) from None
    for statement in policy.statements:
        for action in statement.action or statement.not_action or ():
            vendor = action.partition(":")[0]
            if action != "*" and not _VENDOR.fullmatch(vendor):
                raise MalformedPolicyDocumentError(f"Vendor {vendor} is not valid")
    for resource in _resources(root):
        _check_resource_scope(resource)
    return policy


def _decoded(text: str) -> Mapping[str, Any] | None:
    """The document's top-level object, or ``None`` when it is not a JSON object."""
    try:
        root = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return root if isinstance(root, dict) else None


def _statements(root: Mapping[str, Any]) -> list[Any]:
    raw = root.get("Statement")
    return [raw] if isinstance(raw, dict) else list(raw) if isinstance(raw, list) else []


def _shape_fault(root: Mapping[str, Any]) -> bool:
    """Whether the document breaks IAM's grammar (IAM: "Syntax errors in policy.")."""
    if not root.keys() <= TOP_LEVEL_KEYS or not _statements(root):
        return True
    if "Version" in root and (not isinstance(root["Version"], str) or root["Version"] not in VERSIONS):
        return True
    if "Id" in root and not isinstance(root["Id"], str):
        return True
    return any(_statement_shape_fault(statement) for statement in _statements(root))


def _statement_shape_fault(statement: object) -> bool:
    if not isinstance(statement, dict) or not statement.keys() <= STATEMENT_KEYS:
        return True
    effect = statement.get("Effect")
    if not isinstance(effect, str) or effect.lower() not in ("allow", "deny"):
        return True
    for field in ("Action", "NotAction", "Resource", "NotResource"):
        value = statement.get(field, "")
        if not isinstance(value, str) and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return True
    if ("Action" in statement and "NotAction" in statement) or ("Resource" in statement and "NotResource" in statement):
        return True
    block = statement.get("Condition", {})
    if not isinstance(block, dict):
        return True
    for operator, tests in block.items():
        if not isinstance(tests, dict):
            return True
        if any(not _is_scalar_or_list(value) for value in tests.values()):
            return True
        if tests and not _known_operator(operator):
            return True
    return False


def _is_scalar_or_list(value: object) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str | int | float | bool) for item in value)
    return isinstance(value, str | int | float | bool)


def _known_operator(operator: str) -> bool:
    try:
        operators.split_operator(operator)
    except MalformedPolicyDocumentError:
        return False
    return True


def _legacy_fault(root: Mapping[str, Any]) -> bool:
    """Whether a resource ARN or a condition value fails IAM's legacy parser."""
    for resource in _resources(root):
        parts = resource.split(":")
        if parts[0] == "arn" and len(parts) > 2 and parts[1] in PARTITIONS and (len(parts) in (4, 5) or not parts[2]):
            return True
    for statement in _statements(root):
        if statement["Effect"] not in ("Allow", "Deny"):
            return True  # the right word in the wrong case
        for operator, tests in statement.get("Condition", {}).items():
            if not tests:
                continue
            _, base, _ = operators.split_operator(operator)
            for value in tests.values():
                for item in value if isinstance(value, list) else [value]:
                    if not operators.is_valid_value(base, _scalar_text(item)):
                        return True
    return False


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _resources(root: Mapping[str, Any]) -> Iterator[str]:
    """Every string in the statements' ``Resource`` and ``NotResource`` elements."""
    for statement in _statements(root):
        for field in ("Resource", "NotResource"):
            value = statement.get(field)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    yield item


def _iam_words(message: str) -> str:
    """IAM's message for a fault ``parse_policy`` words in its own way."""
    if message.startswith("Resource arn:") and message.endswith('must be in ARN format or "*".'):
        return _VENDOR_QUALIFIED
    if message.startswith(("Invalid Condition value", "Invalid Condition type")):
        return LEGACY_PARSING
    return message


def _check_resource_form(resource: str) -> None:
    """A resource that is not an ARN at all, or names no valid partition (§A.6).

    IAM reads any ``x:...`` as an ARN whose first field it ignores, filling missing fields
    with ``*``, and names that reading in its message.
    """
    if resource == "*":
        return
    parts = resource.split(":")
    if len(parts) == 1:
        raise MalformedPolicyDocumentError(f'Resource {resource} must be in ARN format or "*".')
    if parts[0] == "arn" and len(parts) == 2:
        raise MalformedPolicyDocumentError(_VENDOR_QUALIFIED)
    read = ["arn", *parts[1:], *["*"] * (6 - len(parts))]
    partition = read[1]
    if partition not in PARTITIONS and "*" not in partition and "?" not in partition:
        raise MalformedPolicyDocumentError(f'Partition "{partition}" is not valid for resource "{":".join(read)}".')


def _check_resource_scope(resource: str) -> None:
    """Region information where the service has none, and IAM's resource types (§A.6)."""
    parts = resource.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return
    _, _, service, region, account, rest = parts
    if service == "iam":
        if region:
            raise MalformedPolicyDocumentError(f"IAM resource {resource} cannot contain region information.")
        if rest != "root" and not rest.startswith(("*", *_accepted_iam_resource_types())):
            raise MalformedPolicyDocumentError(_IAM_PATH)
    elif service == "s3" and region and not account:
        # A bucket or object ARN has neither; access points name both region and account.
        raise MalformedPolicyDocumentError(f"Resource {resource} can not contain region information.")
