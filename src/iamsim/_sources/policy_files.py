"""Single policies from plain files (JSON or YAML) or from AWS managed policy ARNs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from iamsim._policy.aws_managed import aws_managed_policy, is_aws_managed_policy_arn
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._sources.documents import is_yaml_path, parse_yaml_text, read_text
from iamsim.errors import (
    InvalidInputError,
    LimitExceededError,
    MalformedPolicyDocumentError,
    NoSuchEntityError,
    PolicyFileError,
)

__all__ = ["load_managed_policy", "load_policy_file", "parse_policy_in"]


def parse_policy_in(
    origin: str, document: str | Mapping[str, Any], kind: PolicyKind, name: str, *, check_size: bool = True
) -> Policy:
    """Parse ``document`` as a ``kind`` policy; errors become :class:`PolicyFileError` naming ``origin``."""
    try:
        return parse_policy(document, kind, name=name, check_size=check_size)
    except (MalformedPolicyDocumentError, InvalidInputError, LimitExceededError) as error:
        raise PolicyFileError(origin, error) from None


def load_managed_policy(arn: str, kind: PolicyKind = PolicyKind.IDENTITY) -> Policy:
    """The bundled AWS managed policy ``arn`` parsed as a ``kind`` policy, named after it."""
    try:
        managed = aws_managed_policy(arn)
    except NoSuchEntityError as error:
        raise InvalidInputError(f"{arn}: {error.message}") from None
    # AWS managed policies are not held to the customer policy size quota (ReadOnlyAccess exceeds it).
    return parse_policy_in(arn, managed.document, kind, managed.name, check_size=False)


def load_policy_file(path: Path | str, kind: PolicyKind = PolicyKind.IDENTITY, *, name: str | None = None) -> Policy:
    """Read one policy of ``kind`` from ``path`` (JSON, or YAML by suffix), named after the file.

    ``path`` may also be an AWS managed policy ARN (``arn:aws:iam::aws:policy/...``, or another partition's),
    read from the bundled snapshot.
    """
    if is_aws_managed_policy_arn(path):
        return load_managed_policy(path, kind)
    file = Path(path)
    text = read_text(file)
    label = name or file.stem
    if is_yaml_path(file):
        data = parse_yaml_text(text, str(file))
        if not isinstance(data, Mapping):
            raise InvalidInputError(f"{file}: a policy must be a mapping with a Statement")
        return parse_policy_in(str(file), data, kind, label)
    return parse_policy_in(str(file), text, kind, label)
