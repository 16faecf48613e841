"""Organizations access reports: the jobs GenerateOrganizationsAccessReport made in the management account (§H.8).

The simulator derives each report from the organization and its event log when the job is
generated (:mod:`iamsim._simulator.org_access_report`) and files it here, complete, so a
later read, a snapshot and a restore answer the same report. GetOrganizationsAccessReport
sorts it by the request's ``SortKey``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from iamsim._store.account_data import StoreFamily, found
from iamsim._store.validation import validation_error

__all__ = ["SORT_KEYS", "AccessDetail", "OrganizationsAccessReport", "OrganizationsAccessReports"]

#: GetOrganizationsAccessReport's ``SortKey`` values (botocore's ``sortKeyType``); the default is the first.
SORT_KEYS = (
    "SERVICE_NAMESPACE_ASCENDING",
    "SERVICE_NAMESPACE_DESCENDING",
    "LAST_AUTHENTICATED_TIME_ASCENDING",
    "LAST_AUTHENTICATED_TIME_DESCENDING",
)


@dataclass(frozen=True, slots=True)
class AccessDetail:
    """One service the entity's SCPs allow, and the last attempt of a principal in its accounts (``AccessDetail``)."""

    service_name: str
    service_namespace: str
    #: The path of the account whose principal tried last (absent when none tried).
    entity_path: str | None = None
    last_authenticated_time: str | None = None
    #: How many accounts had a principal try the service.
    total_authenticated_entities: int = 0


@dataclass(frozen=True, slots=True)
class OrganizationsAccessReport:
    """A GenerateOrganizationsAccessReport job, complete when made, its details sorted by namespace."""

    job_id: str
    entity_path: str
    organizations_policy_id: str | None
    job_creation_date: str
    job_completion_date: str
    access_details: tuple[AccessDetail, ...]
    job_status: str = "COMPLETED"

    @property
    def number_of_services_accessible(self) -> int:
        """How many services the applicable SCPs allow."""
        return len(self.access_details)

    @property
    def number_of_services_not_accessed(self) -> int:
        """How many of those no principal tried."""
        return sum(1 for d in self.access_details if d.last_authenticated_time is None)


def _sorted(details: tuple[AccessDetail, ...], sort_key: str) -> tuple[AccessDetail, ...]:
    if sort_key.startswith("SERVICE_NAMESPACE"):
        ordered = sorted(details, key=lambda d: d.service_namespace)
    else:
        # Services nobody tried are the oldest (judgment: AWS does not say where they sort); ties by namespace.
        ordered = sorted(details, key=lambda d: (d.last_authenticated_time or "", d.service_namespace))
    return tuple(reversed(ordered)) if sort_key.endswith("DESCENDING") else tuple(ordered)


class OrganizationsAccessReports(StoreFamily):
    """The organizations access report jobs of one (management) account, by job id."""

    def add_job(self, job: OrganizationsAccessReport) -> OrganizationsAccessReport:
        """File a job the simulator made."""
        return self._data.put(self._data.org_access_reports, job.job_id, job)

    def get_job(self, job_id: str, sort_key: str | None = None) -> OrganizationsAccessReport:
        """GetOrganizationsAccessReport: the job ``job_id``, sorted by ``sort_key`` (``NoSuchEntity`` if none)."""
        sort_key = SORT_KEYS[0] if sort_key is None else sort_key
        if sort_key not in SORT_KEYS:
            raise validation_error(sort_key, "sortKey", f"Member must satisfy enum value set: [{', '.join(SORT_KEYS)}]")
        job = found(self._data.org_access_reports, job_id, f"No such job {job_id}")
        return replace(job, access_details=_sorted(job.access_details, sort_key))
