"""Roots of the tree: every iamsim error, and every error AWS itself would answer."""

from __future__ import annotations

from typing import ClassVar


class IamSimError(Exception):
    """Base class of every error iamsim raises on purpose."""


class ServiceError(IamSimError):
    """An error that AWS IAM or STS would return, with its wire code and status."""

    code: ClassVar[str] = "ServiceFailure"
    status: ClassVar[int] = 500
    #: ``Sender`` for client faults, ``Receiver`` for service faults (AWS's XML ``Type``).
    fault: ClassVar[str] = "Sender"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
