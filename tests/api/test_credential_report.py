"""The credential report through boto3: generated at most every four hours, AWS's columns and placeholders (§H.8).

AWS pages: IAMAPI:API_GenerateCredentialReport.html, API_GetCredentialReport.html;
UG:id_credentials_getting-report.html.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from iamsim import ManualClock, Simulator

from .conftest import ACCOUNT, error_of, user_client

HEADER = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
    "cert_2_active,cert_2_last_rotated"
)


def _rows(iam: Any) -> dict[str, dict[str, str]]:
    content = iam.get_credential_report()["Content"].decode("ascii")
    assert content.splitlines()[0] == HEADER
    return {row["user"]: row for row in csv.DictReader(io.StringIO(content))}


def test_get_before_generate_is_report_not_present_H8(iam: Any) -> None:
    """§H.8 [IAMAPI:API_GetCredentialReport.html]: no report yet is ReportNotPresent (HTTP 410)."""
    error = error_of(iam.get_credential_report)
    assert error["Code"] == "ReportNotPresent"
    assert "use GenerateCredentialReport" in error["Message"]


def test_generate_starts_once_then_completes_for_four_hours_H8(iam: Any, clock: ManualClock) -> None:
    """§H.8 [UG:id_credentials_getting-report.html]: a new report at most every four hours."""
    first = iam.generate_credential_report()
    assert first["State"] == "STARTED"
    assert first["Description"] == "No report exists. Starting a new report generation task"
    generated = iam.get_credential_report()["GeneratedTime"]
    clock.advance(timedelta(hours=3, minutes=59))
    assert iam.generate_credential_report()["State"] == "COMPLETE"
    assert iam.get_credential_report()["GeneratedTime"] == generated
    clock.advance(timedelta(minutes=1))
    assert iam.generate_credential_report()["State"] == "STARTED"
    assert iam.get_credential_report()["GeneratedTime"] > generated


def test_report_older_than_four_hours_is_expired_H8(iam: Any, clock: ManualClock) -> None:
    """§H.8 [IAMAPI:API_GetCredentialReport.html]: ReportExpired until a new report is generated."""
    iam.generate_credential_report()
    clock.advance(timedelta(hours=4))
    assert error_of(iam.get_credential_report)["Code"] == "ReportExpired"
    iam.generate_credential_report()
    assert iam.get_credential_report()["ReportFormat"] == "text/csv"


def test_report_is_a_snapshot_of_generation_time_H8(iam: Any) -> None:
    """§H.8: a user created after the report is not in it until the next report."""
    iam.generate_credential_report()
    iam.create_user(UserName="late")
    assert "late" not in _rows(iam)


def test_root_row_writes_not_supported_for_password_columns_H8(iam: Any) -> None:
    """§H.8 [UG:id_credentials_getting-report.html]: the root user is ``<root_account>``."""
    iam.generate_credential_report()
    root = _rows(iam)["<root_account>"]
    assert root["arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert root["password_enabled"] == "not_supported"
    assert root["password_last_changed"] == "not_supported"
    assert root["password_next_rotation"] == "not_supported"
    assert root["password_last_used"] == "no_information"


def test_user_rows_show_passwords_keys_mfa_and_certificates_H8(iam: Any, sim: Simulator, clock: ManualClock) -> None:
    """§H.8: N/A where a credential is absent, ISO 8601 times with +00:00 where present."""
    iam.create_user(UserName="bare")
    iam.create_user(UserName="busy")
    iam.update_account_password_policy(MinimumPasswordLength=8, MaxPasswordAge=90)
    iam.create_login_profile(UserName="busy", Password="Sup3r-secret!")
    first = iam.create_access_key(UserName="busy")["AccessKey"]
    clock.advance(timedelta(minutes=5))
    iam.create_access_key(UserName="busy")
    iam.update_access_key(UserName="busy", AccessKeyId=first["AccessKeyId"], Status="Inactive")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="busy")["VirtualMFADevice"]["SerialNumber"]
    now = clock.now()
    iam.enable_mfa_device(
        UserName="busy",
        SerialNumber=serial,
        AuthenticationCode1=sim.mfa_code(serial, at=now - timedelta(seconds=30)),
        AuthenticationCode2=sim.mfa_code(serial, at=now),
    )
    iam.generate_credential_report()
    rows = _rows(iam)
    bare, busy = rows["bare"], rows["busy"]
    assert [bare[c] for c in ("password_enabled", "password_last_used", "password_last_changed")] == [
        "false",
        "N/A",
        "N/A",
    ]
    assert bare["mfa_active"] == "false"
    assert [bare["access_key_1_active"], bare["access_key_1_last_rotated"], bare["cert_1_last_rotated"]] == [
        "false",
        "N/A",
        "N/A",
    ]
    assert busy["password_enabled"] == "true"
    assert busy["password_last_used"] == "no_information"
    assert busy["password_last_changed"].endswith("+00:00")
    changed = busy["password_last_changed"][:10]
    assert busy["password_next_rotation"][:10] > changed
    assert busy["mfa_active"] == "true"
    assert busy["access_key_1_active"] == "false"
    assert busy["access_key_2_active"] == "true"
    assert busy["access_key_1_last_used_date"] == "N/A"
    assert busy["access_key_1_last_rotated"] < busy["access_key_2_last_rotated"]


def test_report_needs_permission_H8(iam: Any, sim: Simulator) -> None:
    """§H.8 [UG:id_credentials_getting-report.html]: iam:GenerateCredentialReport and iam:GetCredentialReport."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:GenerateCredentialReport", "Resource": "*"}],
    }
    with user_client(iam, sim, "auditor", policy) as auditor:
        assert auditor.generate_credential_report()["State"] == "STARTED"
        assert error_of(auditor.get_credential_report)["Code"] == "AccessDenied"


def test_report_survives_a_snapshot_H8(sim: Simulator, iam: Any, tmp_path: Any) -> None:
    """§H.8: snapshots carry the report."""
    iam.generate_credential_report()
    path = tmp_path / "world.json"
    sim.snapshot(path)
    restored = Simulator.restore(path, clock=sim.clock)
    assert restored.iam.get_credential_report(account_id=ACCOUNT) == sim.iam.get_credential_report(account_id=ACCOUNT)
