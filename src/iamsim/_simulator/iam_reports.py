"""IAM's reports: the credential report, service last-accessed data of an account and of an organization (§H.8),
service access (§H.9)."""

from __future__ import annotations

from iamsim._clock import iso8601
from iamsim._simulator.iam_calls import IamCalls
from iamsim._simulator.last_accessed import last_accessed_job
from iamsim._simulator.org_access_report import organizations_access_report
from iamsim._simulator.service_access import policies_granting_service_access
from iamsim._store.account import AccountStore
from iamsim._store.credential_report import ReportGeneration
from iamsim._store.last_accessed import LastAccessedJob, ServiceLastAccessedEntities
from iamsim._store.org_access_reports import OrganizationsAccessReport
from iamsim._store.org_features import iam_caller
from iamsim._store.records import CredentialReport
from iamsim._store.service_access import ServiceAccessPolicies

__all__ = ["IamReportOperations"]


class IamReportOperations(IamCalls):
    """The credential report, service last-accessed jobs and organizations access reports."""

    def generate_credential_report(self, *, account_id: str | None = None) -> ReportGeneration:
        """GenerateCredentialReport: ``STARTED`` for a new report, ``COMPLETE`` within four hours of the last."""
        return self._core.iam(
            "GenerateCredentialReport", "", account_id, lambda s: s.credential_reports.generate_credential_report()
        )

    def get_credential_report(self, *, account_id: str | None = None) -> CredentialReport:
        """GetCredentialReport: the CSV of the latest report (``ReportNotPresent``, ``ReportExpired``)."""
        return self._core.read(account_id, lambda s: s.credential_reports.get_credential_report())

    def generate_service_last_accessed_details(
        self, arn: str, *, granularity: str | None = None, account_id: str | None = None
    ) -> str:
        """GenerateServiceLastAccessedDetails: a job id; the report is made from the event log at once (§H.8)."""

        def run(store: AccountStore) -> str:
            now = iso8601(self._core.now())
            job = last_accessed_job(store, self._core.events, arn, granularity, self._core.state.ids.uuid4(), now)
            return store.last_accessed.add_job(job).job_id

        return self._core.iam("GenerateServiceLastAccessedDetails", arn, account_id, run)

    def get_service_last_accessed_details(self, job_id: str, *, account_id: str | None = None) -> LastAccessedJob:
        """GetServiceLastAccessedDetails: the services the entity may use and its last attempt at each."""
        return self._core.read(account_id, lambda s: s.last_accessed.get_job(job_id))

    def get_service_last_accessed_details_with_entities(
        self, job_id: str, service_namespace: str, *, account_id: str | None = None
    ) -> ServiceLastAccessedEntities:
        """GetServiceLastAccessedDetailsWithEntities: each entity of the job and its last use of the service."""
        return self._core.read(account_id, lambda s: s.last_accessed.entities(job_id, service_namespace))

    def list_policies_granting_service_access(
        self, arn: str, service_namespaces: list[str], *, account_id: str | None = None
    ) -> tuple[ServiceAccessPolicies, ...]:
        """ListPoliciesGrantingServiceAccess: per namespace, the identity's permissions policies that grant it."""
        return self._core.read(account_id, lambda s: policies_granting_service_access(s, arn, list(service_namespaces)))

    def generate_organizations_access_report(
        self, entity_path: str, *, organizations_policy_id: str | None = None, account_id: str | None = None
    ) -> str:
        """GenerateOrganizationsAccessReport (the management account only): a job id, the report made at once."""
        account = self._core.state.account(account_id)

        def run(store: AccountStore) -> str:
            org = iam_caller(self._core.state.org, account, management_only=True, trusted_access=False)
            now = iso8601(self._core.now())
            job_id = self._core.state.ids.uuid4()
            events = self._core.events
            job = organizations_access_report(store, org, events, entity_path, organizations_policy_id, job_id, now)
            return store.org_access_reports.add_job(job).job_id

        return self._core.iam("GenerateOrganizationsAccessReport", entity_path, account, run)

    def get_organizations_access_report(
        self, job_id: str, *, sort_key: str | None = None, account_id: str | None = None
    ) -> OrganizationsAccessReport:
        """GetOrganizationsAccessReport: the report of ``job_id``, sorted by ``sort_key`` (by namespace)."""
        account = self._core.state.account(account_id)

        def read(store: AccountStore) -> OrganizationsAccessReport:
            iam_caller(self._core.state.org, account, management_only=True, trusted_access=False)
            return store.org_access_reports.get_job(job_id, sort_key)

        return self._core.read(account, read)
