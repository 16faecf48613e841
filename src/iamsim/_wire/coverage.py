"""Which IAM and STS operations of the installed botocore models iamsim serves, and why not the rest.

botocore grows with every AWS release, so the list of operations is read from the installed
models, never written down. An operation iamsim does not serve is answered ``NotImplemented``
and listed here with the reason; an operation newer than this table gets a reason that says
so instead of breaking anything (the generated page ``docs/reference/operations.md`` shows
the result).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["OperationStatus", "operation_coverage", "unserved_reason"]

#: Families of operations not served yet, matched by a word in the operation's name, first match wins.
_UNSERVED_FAMILIES: tuple[tuple[str, str, str], ...] = (
    (
        "iam",
        "WorkloadIdentityProviderOutboundSigner",
        "AWS-only: an X.509 outbound signer is an AWS Private CA certificate authority (CertificateAuthorityId "
        "and AccountId name one in the Region called), a service iamsim does not emulate",
    ),
    (
        "iam",
        "AcquireRole",
        "AWS-only: creates a role from a role template, which AWS services publish and version (ManagedByType "
        "Service); no customer operation creates one, and iamsim holds no service's template catalog",
    ),
    (
        "iam",
        "HumanReadableSummary",
        "AWS-only: a summary of a delegation request (its only entity type) written by a large language model",
    ),
    (
        "iam",
        "RoleTemplate",
        "AWS-only: role templates are published and versioned by AWS services (ManagedByType Service) for "
        "AcquireRole; no customer operation creates one, and iamsim holds no service's template catalog",
    ),
    (
        "sts",
        "WorkloadIdentity",
        "AWS-only: AWS services that run workloads call it with their own service credentials (\"You don't "
        'call it yourself"), to pass the context to AssumeRole for the workload',
    ),
    (
        "sts",
        "GetCertificate",
        "AWS-only: the X509-SVID is signed by the provider's X.509 signer, an AWS Private CA certificate "
        "authority, for a role session that has a workload identity (from IssueWorkloadIdentityContext)",
    ),
)

#: The reason of an unserved operation no family names: botocore added it after this table was last reviewed.
NEW_OPERATION_REASON = "added to botocore after iamsim's operation table was last reviewed: not yet served"


@dataclass(frozen=True, slots=True)
class OperationStatus:
    """One operation of an installed botocore model: served, or why not."""

    service: str
    operation: str
    served: bool
    reason: str = ""


def unserved_reason(service: str, operation: str) -> str:
    """Why iamsim does not serve ``service:operation`` (the first family whose word its name holds)."""
    for family_service, word, reason in _UNSERVED_FAMILIES:
        if family_service == service and word in operation:
            return reason
    return NEW_OPERATION_REASON


def operation_coverage(models: Mapping[str, Any], served: Iterable[tuple[str, str]]) -> list[OperationStatus]:
    """Every operation of ``models`` (botocore service models by name), sorted, with its status."""
    served_set = set(served)
    statuses: list[OperationStatus] = []
    for service in sorted(models):
        for operation in sorted(models[service].operation_names):
            if (service, operation) in served_set:
                statuses.append(OperationStatus(service, operation, served=True))
            else:
                statuses.append(OperationStatus(service, operation, False, unserved_reason(service, operation)))
    return statuses
