"""Helpers for the validator tests: build policies and read findings."""

from __future__ import annotations

from typing import Any

from iamsim._policy.findings import Finding, ValidationReport

VERSION = "2012-10-17"


def policy(*statements: dict[str, Any], version: str | None = VERSION) -> dict[str, Any]:
    """A policy document holding ``statements`` (with ``Version`` unless ``version`` is None)."""
    document: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        document = {"Version": version, **document}
    return document


def allow(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    """An identity-policy Allow statement."""
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    """An identity-policy Deny statement."""
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def codes(report: ValidationReport) -> list[str]:
    """The codes of the report's findings, in order."""
    return [f.code for f in report.findings]


def only(report: ValidationReport, code: str) -> Finding:
    """The one finding of ``code``; fails when there is none or more than one."""
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, f"expected one {code}, got {report.findings}"
    return found[0]
