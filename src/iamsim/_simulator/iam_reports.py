"""IAM's reports about an account: the credential report (§H.8)."""

from __future__ import annotations

from iamsim._simulator.iam_calls import IamCalls
from iamsim._store.credential_report import ReportGeneration
from iamsim._store.records import CredentialReport

__all__ = ["IamReportOperations"]


class IamReportOperations(IamCalls):
    """GenerateCredentialReport and GetCredentialReport."""

    def generate_credential_report(self, *, account_id: str | None = None) -> ReportGeneration:
        """GenerateCredentialReport: ``STARTED`` for a new report, ``COMPLETE`` within four hours of the last."""
        return self._iam(
            "GenerateCredentialReport", "", account_id, lambda s: s.credential_reports.generate_credential_report()
        )

    def get_credential_report(self, *, account_id: str | None = None) -> CredentialReport:
        """GetCredentialReport: the CSV of the latest report (``ReportNotPresent``, ``ReportExpired``)."""
        return self._read(account_id, lambda s: s.credential_reports.get_credential_report())
