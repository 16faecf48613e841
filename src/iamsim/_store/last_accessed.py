"""Service last-accessed reports of one account: the jobs GenerateServiceLastAccessedDetails made (§H.8).

The store keeps each job as it was made: the simulator derives the report from its
event log when the job is generated (:mod:`iamsim._simulator.last_accessed`) and files
it here, so a later read, a snapshot and a restore all answer the same report.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamsim._store.account_data import StoreFamily, found
from iamsim.errors import InvalidInputError

__all__ = [
    "EntityDetails",
    "EntityInfo",
    "LastAccessedJob",
    "LastAccessedJobs",
    "ServiceLastAccessed",
    "ServiceLastAccessedEntities",
    "TrackedActionLastAccessed",
]


@dataclass(frozen=True, slots=True)
class TrackedActionLastAccessed:
    """One action IAM tracks at action level and its last attempt (``TrackedActionLastAccessed``)."""

    action_name: str
    last_accessed_entity: str | None = None
    last_accessed_time: str | None = None


@dataclass(frozen=True, slots=True)
class ServiceLastAccessed:
    """One service the entity's policies allow, and its last attempt by the entity (or its members)."""

    service_name: str
    service_namespace: str
    last_authenticated: str | None = None
    last_authenticated_entity: str | None = None
    total_authenticated_entities: int = 0
    tracked_actions_last_accessed: tuple[TrackedActionLastAccessed, ...] | None = None


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """A user, role or group as GetServiceLastAccessedDetailsWithEntities names it."""

    arn: str
    name: str
    type: str
    id: str
    path: str


@dataclass(frozen=True, slots=True)
class EntityDetails:
    """One entity's last attempt to use one service (``EntityDetails``)."""

    service_namespace: str
    entity_info: EntityInfo
    last_authenticated: str | None = None


@dataclass(frozen=True, slots=True)
class LastAccessedJob:
    """A GenerateServiceLastAccessedDetails job, complete when made: its report and its entities."""

    job_id: str
    arn: str
    job_type: str
    job_creation_date: str
    job_completion_date: str
    services_last_accessed: tuple[ServiceLastAccessed, ...]
    entity_details: tuple[EntityDetails, ...] = ()
    job_status: str = "COMPLETED"


@dataclass(frozen=True, slots=True)
class ServiceLastAccessedEntities:
    """GetServiceLastAccessedDetailsWithEntities' answer: the job's dates and one service's entities."""

    job_status: str
    job_creation_date: str
    job_completion_date: str
    entity_details_list: tuple[EntityDetails, ...]


GRANULARITIES = ("SERVICE_LEVEL", "ACTION_LEVEL")


class LastAccessedJobs(StoreFamily):
    """The service last-accessed jobs of one account, by job id."""

    def add_job(self, job: LastAccessedJob) -> LastAccessedJob:
        """File a job the simulator made."""
        return self._data.put(self._data.last_accessed_jobs, job.job_id, job)

    def get_job(self, job_id: str) -> LastAccessedJob:
        """GetServiceLastAccessedDetails: the job ``job_id`` (``NoSuchEntity`` when the account has none)."""
        return found(self._data.last_accessed_jobs, job_id, f"No such job {job_id}")

    def entities(self, job_id: str, service_namespace: str) -> ServiceLastAccessedEntities:
        """GetServiceLastAccessedDetailsWithEntities: the entities of ``job_id`` that could use the service."""
        job = self.get_job(job_id)
        if not any(s.service_namespace == service_namespace for s in job.services_last_accessed):
            raise InvalidInputError(f"Service namespace {service_namespace} is not in the report of job {job_id}.")
        listed = tuple(e for e in job.entity_details if e.service_namespace == service_namespace)
        return ServiceLastAccessedEntities(job.job_status, job.job_creation_date, job.job_completion_date, listed)
