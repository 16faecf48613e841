"""The ``Principal`` and ``NotPrincipal`` elements: their forms and which values are valid (§A.3).

A principal is ``"*"`` or a map whose keys are exactly ``AWS``, ``Federated``,
``Service`` and ``CanonicalUser``, each holding one string or a list of them.
``*`` is only ever a whole value; ``"*"`` and ``{"AWS": "*"}`` mean the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from iamsim._arn import PARTITIONS, Arn, is_account_id
from iamsim._policy.jsontext import SYNTAX_ERROR, child_pointer
from iamsim._policy.model import PrincipalSpec
from iamsim.errors import MalformedPolicyDocumentError

__all__ = [
    "PRINCIPAL_KEYS",
    "is_valid_aws_principal",
    "is_valid_canonical_user",
    "is_valid_federated_principal",
    "is_valid_service_principal",
    "parse_principal",
]

#: The principal map keys, in the order a rendered policy lists them.
PRINCIPAL_KEYS = ("AWS", "Federated", "Service", "CanonicalUser")

# IAM user (AIDA) and role (AROA) unique ids; the tail is upper-case letters and digits.
_UNIQUE_ID = re.compile(r"(?:AIDA|AROA)[A-Z0-9]{8,124}")
_HOST = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_CANONICAL_USER = re.compile(r"[0-9a-fA-F]{64}")


def _iam_arn(value: str) -> Arn | None:
    """Parse an IAM/STS-style ARN: known partition, empty region, 12-digit account."""
    arn = Arn.try_parse(value)
    if arn is None or arn.partition not in PARTITIONS or arn.region or not is_account_id(arn.account):
        return None
    return arn


def is_valid_aws_principal(value: str) -> bool:
    """Return whether ``value`` may stand under ``"AWS"`` in a principal.

    Valid: ``*``, a 12-digit account id, a user or role unique id
    (``AIDA…``/``AROA…``), or the ARN of an account root, IAM user or role,
    assumed-role session or STS federated user. Wildcards never match part of
    a principal.
    """
    if value == "*" or is_account_id(value) or _UNIQUE_ID.fullmatch(value):
        return True
    if "*" in value:
        return False
    arn = _iam_arn(value)
    if arn is None:
        return False
    parts = arn.resource.split("/")
    if not all(parts):
        return False
    if arn.service == "iam":
        return arn.resource == "root" or (parts[0] in ("user", "role") and len(parts) >= 2)
    if arn.service == "sts":
        return (parts[0] == "assumed-role" and len(parts) == 3) or (parts[0] == "federated-user" and len(parts) == 2)
    return False


def is_valid_service_principal(value: str) -> bool:
    """Return whether ``value`` looks like a service principal (``ec2.amazonaws.com``)."""
    return _HOST.fullmatch(value) is not None


def is_valid_federated_principal(value: str) -> bool:
    """Return whether ``value`` is a web identity provider host or a SAML/OIDC provider ARN."""
    if _HOST.fullmatch(value):
        return True
    if "*" in value:
        return False
    arn = _iam_arn(value)
    if arn is None or arn.service != "iam":
        return False
    kind, slash, rest = arn.resource.partition("/")
    return bool(slash and rest) and kind in ("saml-provider", "oidc-provider")


def is_valid_canonical_user(value: str) -> bool:
    """Return whether ``value`` is an S3 canonical user id (64 hex digits)."""
    return _CANONICAL_USER.fullmatch(value) is not None


_VALIDATORS: dict[str, Callable[[str], bool]] = {
    "AWS": is_valid_aws_principal,
    "Federated": is_valid_federated_principal,
    "Service": is_valid_service_principal,
    "CanonicalUser": is_valid_canonical_user,
}


def _invalid(key: str, value: str, pointer: str, statement_index: int | None) -> MalformedPolicyDocumentError:
    return MalformedPolicyDocumentError(
        f'Invalid principal in policy: "{key}":"{value}"', pointer=pointer, statement_index=statement_index
    )


def _values(raw: object, pointer: str, statement_index: int | None) -> tuple[str, ...]:
    """Return the string values under one principal key, as written."""
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list | tuple) and raw and all(isinstance(item, str) for item in raw):
        return tuple(raw)
    raise MalformedPolicyDocumentError(SYNTAX_ERROR, pointer=pointer, statement_index=statement_index)


def parse_principal(raw: object, pointer: str, statement_index: int | None = None) -> PrincipalSpec:
    """Parse a ``Principal``/``NotPrincipal`` value found at JSON pointer ``pointer``.

    Raises :class:`~iamsim.errors.MalformedPolicyDocumentError` for a
    malformed element, an unknown key, or a value that names no valid
    principal (AWS's ``Invalid principal in policy: "KEY":"VALUE"``).
    """
    if raw == "*":
        return PrincipalSpec(wildcard=True)
    if isinstance(raw, str):
        raise MalformedPolicyDocumentError(
            f'Invalid principal in policy: "{raw}"', pointer=pointer, statement_index=statement_index
        )
    if not isinstance(raw, Mapping) or not raw:
        raise MalformedPolicyDocumentError(SYNTAX_ERROR, pointer=pointer, statement_index=statement_index)
    found: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        member = child_pointer(pointer, str(key))
        if key not in _VALIDATORS:
            shown = value if isinstance(value, str) else ""
            raise _invalid(str(key), shown, member, statement_index)
        values = _values(value, member, statement_index)
        validator = _VALIDATORS[key]
        for offset, item in enumerate(values):
            if not validator(item):
                item_pointer = member if isinstance(value, str) else child_pointer(member, offset)
                raise _invalid(key, item, item_pointer, statement_index)
        found[key] = values
    aws = found.get("AWS", ())
    return PrincipalSpec(
        wildcard="*" in aws,
        aws=tuple(value for value in aws if value != "*"),
        service=found.get("Service", ()),
        federated=found.get("Federated", ()),
        canonical_user=found.get("CanonicalUser", ()),
    )
