"""Errors in files people write or keep: a policy read from a file, a snapshot of the wrong shape."""

from __future__ import annotations

from iamsim.errors._base import IamSimError, ServiceError
from iamsim.errors._iam import InvalidInputError, MalformedPolicyDocumentError


class PolicyFileError(InvalidInputError):
    """A policy that IAM would reject, read from a file: says which file, where, and why.

    ``cause`` is the parser's :class:`MalformedPolicyDocumentError` (or quota
    error) with its JSON pointer, line and column.
    """

    def __init__(self, origin: str, cause: ServiceError) -> None:
        where = origin
        pointer = ""
        if isinstance(cause, MalformedPolicyDocumentError):
            if cause.line is not None:
                where += f":{cause.line}:{cause.column}"
            pointer = f" (at {cause.pointer})" if cause.pointer else ""
        super().__init__(f"{where}: {cause.code}: {cause.message}{pointer}")
        self.origin = origin
        self.cause = cause

    def __reduce__(self) -> tuple[type[PolicyFileError], tuple[str, ServiceError]]:
        return (type(self), (self.origin, self.cause))


class SnapshotFormatError(IamSimError):
    """A snapshot file that does not have the shape this version of iamsim writes."""
