"""The account's credential report: every user's credentials as one CSV (§H.8).

GenerateCredentialReport writes the report at once (iamsim has no background
job), so the first call answers ``STARTED`` and every later call within four
hours ``COMPLETE`` with the same report, as IAM regenerates a report at most
every four hours. GetCredentialReport answers ``ReportNotPresent`` before any
generation and ``ReportExpired`` once the report is four hours old.

The columns and their placeholder values are AWS's: ``N/A`` where a credential
does not exist, ``no_information`` for a password never used, ``not_supported``
for what the root user has no record of. iamsim does not record when a
password or access key was used, so those columns always say so.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from iamsim._arn import account_root_arn
from iamsim._clock import from_iso8601, iso8601
from iamsim._store.account_data import StoreFamily
from iamsim._store.records import AccessKey, CredentialReport, SigningCertificate, User
from iamsim.errors import CredentialReportExpiredError, CredentialReportNotPresentError

__all__ = ["COLUMNS", "REPORT_LIFETIME", "CredentialReports", "ReportGeneration"]

#: The report's columns, in AWS's order.
COLUMNS = (
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
)

#: IAM makes a new report at most this often; iamsim also expires a report after it (§H.8).
REPORT_LIFETIME = timedelta(hours=4)

ROOT_USER = "<root_account>"
_NA = "N/A"
_STARTED = "No report exists. Starting a new report generation task"


@dataclass(frozen=True, slots=True)
class ReportGeneration:
    """GenerateCredentialReport's answer: ``STARTED`` for a new report, ``COMPLETE`` for a recent one."""

    state: str
    description: str | None = None


def _date(value: str) -> str:
    # The report writes times as ISO 8601 with an explicit UTC offset, not the API's ``Z``.
    return iso8601(from_iso8601(value)).removesuffix("Z") + "+00:00"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _key_columns(keys: list[AccessKey], index: int) -> list[str]:
    if index >= len(keys):
        return ["false", _NA, _NA, _NA, _NA]
    key = keys[index]
    # iamsim does not record key use: the last-used columns read as for a key never used.
    return [_flag(key.status == "Active"), _date(key.create_date), _NA, _NA, _NA]


def _cert_columns(certificates: list[SigningCertificate], index: int) -> list[str]:
    if index >= len(certificates):
        return ["false", _NA]
    certificate = certificates[index]
    return [_flag(certificate.status == "Active"), _date(certificate.upload_date)]


class CredentialReports(StoreFamily):
    """GenerateCredentialReport and GetCredentialReport of one account."""

    def generate_credential_report(self) -> ReportGeneration:
        """GenerateCredentialReport: a new report unless one is less than four hours old."""
        now = self._data.clock.now()
        current = self._data.credential_report
        if current is not None and now - from_iso8601(current.generated_time) < REPORT_LIFETIME:
            return ReportGeneration("COMPLETE")
        self._data.credential_report = CredentialReport(iso8601(now), self._content())
        self._data.bump()
        return ReportGeneration("STARTED", _STARTED)

    def get_credential_report(self) -> CredentialReport:
        """GetCredentialReport: the latest report (``ReportNotPresent``, ``ReportExpired``)."""
        report = self._data.credential_report
        if report is None:
            raise CredentialReportNotPresentError(
                "The request was rejected because the credential report does not exist. "
                "To generate a credential report, use GenerateCredentialReport."
            )
        if self._data.clock.now() - from_iso8601(report.generated_time) >= REPORT_LIFETIME:
            raise CredentialReportExpiredError(
                "The request was rejected because the most recent credential report has expired. "
                "To generate a new credential report, use GenerateCredentialReport."
            )
        return report

    def _content(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerow(self._root_row())
        for name in sorted(self._data.users):
            writer.writerow(self._user_row(self._data.users[name]))
        return out.getvalue().rstrip("\n")

    def _keys_of(self, user_name: str | None) -> list[AccessKey]:
        return sorted((k for k in self._data.keys.values() if k.user_name == user_name), key=lambda k: k.create_date)

    def _certificates_of(self, user_name: str | None) -> list[SigningCertificate]:
        return [c for c in self._data.signing_certificates.values() if c.user_name == user_name]

    def _credential_columns(self, user_name: str | None) -> list[str]:
        keys, certificates = self._keys_of(user_name), self._certificates_of(user_name)
        return [
            *_key_columns(keys, 0),
            *_key_columns(keys, 1),
            *_cert_columns(certificates, 0),
            *_cert_columns(certificates, 1),
        ]

    def _root_row(self) -> list[str]:
        # The root user's password is not an IAM login profile: AWS writes not_supported for its columns.
        arn = account_root_arn(self._data.account_id, self._data.partition)
        head = [ROOT_USER, arn, _date(self._data.created), "not_supported", "no_information"]
        return [*head, "not_supported", "not_supported", "false", *self._credential_columns(None)]

    def _user_row(self, user: User) -> list[str]:
        profile = user.login_profile
        if profile is None:
            password = ["false", _NA, _NA, _NA]
        else:
            changed = profile.password_last_changed or profile.create_date
            policy = self._data.password_policy
            rotation = _NA
            if policy is not None and policy.max_password_age is not None:
                rotation = _date(iso8601(from_iso8601(changed) + timedelta(days=policy.max_password_age)))
            # iamsim does not record console sign-ins: a password reads as never used.
            password = ["true", "no_information", _date(changed), rotation]
        head = [user.name, user.arn, _date(user.create_date), *password, _flag(bool(user.mfa_devices))]
        return [*head, *self._credential_columns(user.name)]
