"""Organizations access reports through boto3: SCP-allowed services of an entity and its accounts' last use (§H.8).

AWS pages: IAMAPI:API_GenerateOrganizationsAccessReport.html, IAMAPI:API_GetOrganizationsAccessReport.html,
UG:access_policies_last-accessed-view-data-orgs.html.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest

import iamsim.boto3
from iamsim import ManualClock, Simulator
from iamsim._store.organization import FULL_AWS_ACCESS

from .conftest import ACCOUNT, ADMIN, MEMBER, error_of

S3_AND_EC2 = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*", "ec2:*"], "Resource": "*"}]}
)


@pytest.fixture
def world(sim: Simulator, clock: ManualClock) -> dict[str, str]:
    """Management ACCOUNT; MEMBER in OU ``dev`` whose only SCP allows S3 and EC2; ADMIN under the root.

    MEMBER's root user reads S3; three minutes later ADMIN's root user lists S3 and sends to SQS.
    """
    org = sim.organizations.create_organization()
    ou = sim.organizations.create_organizational_unit(org.root_id, "dev")
    sim.organizations.add_account(MEMBER, parent_id=ou.ou_id)
    sim.organizations.add_account(ADMIN)
    scp = sim.organizations.create_organization_policy("S3AndEc2", S3_AND_EC2)
    sim.organizations.attach_organization_policy(scp.policy_id, ou.ou_id)
    sim.organizations.detach_organization_policy(FULL_AWS_ACCESS, ou.ou_id)
    sim.evaluate(sim.root_credentials(MEMBER), "s3:GetObject", "arn:aws:s3:::bucket/key")
    clock.advance(timedelta(minutes=3))
    admin = sim.root_credentials(ADMIN)
    sim.evaluate(admin, "s3:ListBucket", "arn:aws:s3:::bucket")
    sim.evaluate(admin, "sqs:SendMessage", f"arn:aws:sqs:us-east-1:{ADMIN}:q")
    root = f"{org.id}/{org.root_id}"
    return {"root": root, "ou": f"{root}/{ou.ou_id}", "member": f"{root}/{ou.ou_id}/{MEMBER}", "scp": scp.policy_id}


def _report(iam: Any, path: str, **extra: Any) -> dict[str, Any]:
    job = iam.generate_organizations_access_report(EntityPath=path, **extra)["JobId"]
    report: dict[str, Any] = iam.get_organizations_access_report(JobId=job, MaxItems=1000)
    report["JobId"] = job
    return report


def _details(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["ServiceNamespace"]: d for d in report["AccessDetails"]}


def test_root_report_counts_every_member_account_H8(iam: Any, world: dict[str, str], clock: ManualClock) -> None:
    """§H.8 [IAMAPI:API_GenerateOrganizationsAccessReport.html]: the root, its SCPs' services, its accounts' use."""
    report = _report(iam, world["root"])
    assert report["JobStatus"] == "COMPLETED"
    details = _details(report)
    assert {"s3", "sqs", "iam"} <= set(details)  # FullAWSAccess at the root: every service
    s3 = details["s3"]
    assert s3["ServiceName"] == "Amazon S3"
    assert s3["TotalAuthenticatedEntities"] == 2
    assert s3["EntityPath"] == f"{world['root']}/{ADMIN}"  # ADMIN tried last
    assert s3["LastAuthenticatedTime"].replace(tzinfo=None) == clock.now().replace(tzinfo=None)
    assert "Region" not in s3
    assert details["sqs"]["TotalAuthenticatedEntities"] == 1
    assert "EntityPath" not in details["iam"]
    assert report["NumberOfServicesAccessible"] == len(details)
    assert report["NumberOfServicesNotAccessed"] == len(details) - 2


def test_ou_and_account_reports_list_what_their_scps_allow_H8(iam: Any, world: dict[str, str]) -> None:
    """§H.8 [IAMAPI:API_GenerateOrganizationsAccessReport.html]: an OU or account: SCPs of it and its parents."""
    for path in (world["ou"], world["member"]):
        report = _report(iam, path)
        details = _details(report)
        assert sorted(details) == ["ec2", "s3"]
        assert details["s3"]["EntityPath"] == world["member"]
        assert details["s3"]["TotalAuthenticatedEntities"] == 1
        assert "LastAuthenticatedTime" not in details["ec2"]
        assert (report["NumberOfServicesAccessible"], report["NumberOfServicesNotAccessed"]) == (2, 1)


def test_management_account_report_is_its_own_activity_H8(iam: Any, world: dict[str, str]) -> None:
    """§H.8: the management account: every service (SCPs do not limit it), only its own activity, policy ignored."""
    details = _details(_report(iam, f"{world['root']}/{ACCOUNT}", OrganizationsPolicyId=world["scp"]))
    assert {"s3", "sqs", "ec2", "iam"} <= set(details)
    assert details["s3"]["TotalAuthenticatedEntities"] == 0


def test_policy_id_narrows_to_the_scp_and_the_accounts_it_applies_to_H8(iam: Any, world: dict[str, str]) -> None:
    """§H.8 [IAMAPI:API_GenerateOrganizationsAccessReport.html]: with an SCP, its services, the accounts it reaches."""
    details = _details(_report(iam, world["root"], OrganizationsPolicyId=world["scp"]))
    assert sorted(details) == ["ec2", "s3"]
    assert details["s3"]["TotalAuthenticatedEntities"] == 1  # ADMIN is not under the SCP
    assert details["s3"]["EntityPath"] == world["member"]
    unknown = error_of(
        iam.generate_organizations_access_report, EntityPath=world["root"], OrganizationsPolicyId="p-12345678"
    )
    assert unknown["Code"] == "InvalidInput"


@pytest.fixture
def member_iam(sim: Simulator, world: dict[str, str]) -> Iterator[Any]:
    """An IAM client signed as ADMIN's root user (a member account the SCPs let call IAM)."""
    root = sim.root_credentials(ADMIN)
    session = boto3.Session(
        aws_access_key_id=root.access_key_id, aws_secret_access_key=root.secret_access_key, region_name="us-east-1"
    )
    with iamsim.boto3.attach(sim, session):
        yield session.client("iam")


def test_only_the_management_account_may_generate_H8(iam: Any, member_iam: Any, world: dict[str, str]) -> None:
    """§H.8 [IAMAPI:API_GenerateOrganizationsAccessReport.html]: a member account is refused, both operations."""
    refused = error_of(member_iam.generate_organizations_access_report, EntityPath=world["root"])
    assert refused["Code"] == "CallerIsNotManagementAccountException"
    job = iam.generate_organizations_access_report(EntityPath=world["root"])["JobId"]
    assert error_of(member_iam.get_organizations_access_report, JobId=job)["Code"] == (
        "CallerIsNotManagementAccountException"
    )


def test_no_organization_is_refused_H8(iam: Any) -> None:
    """§H.8: an account in no organization has no entity to report on."""
    path = "o-abcdefghij/r-abcd"
    assert error_of(iam.generate_organizations_access_report, EntityPath=path)["Code"] == (
        "OrganizationNotFoundException"
    )


def test_bad_entity_paths_are_refused_H8(iam: Any, world: dict[str, str]) -> None:
    """§H.8 [IAMAPI:API_GenerateOrganizationsAccessReport.html]: a path must name an entity of the organization."""
    org_id, root_id = world["root"].split("/")
    bad = (
        f"o-zzzzzzzzzz/{root_id}",  # another organization
        f"{org_id}/r-zzzz",  # another root
        f"{world['root']}/{MEMBER}",  # MEMBER is under the OU, not the root
        f"{world['member']}/{ADMIN}",  # nothing is under an account
        f"{world['root']}/ou-zzzz-zzzzzzzz",  # no such OU
    )
    for path in bad:
        error = error_of(iam.generate_organizations_access_report, EntityPath=path)
        assert (error["Code"], path in error["Message"]) == ("InvalidInput", True)
    malformed = error_of(iam.generate_organizations_access_report, EntityPath="not-an-organization-path")
    assert malformed["Code"] == "ValidationError"


def test_unknown_job_is_no_such_entity_H8(iam: Any, world: dict[str, str]) -> None:
    """§H.8 [IAMAPI:API_GetOrganizationsAccessReport.html]: NoSuchEntity for a job id never issued."""
    error = error_of(iam.get_organizations_access_report, JobId="00000000-0000-4000-8000-000000000000")
    assert error["Code"] == "NoSuchEntity"


def test_paging_and_sort_keys_H8(iam: Any, world: dict[str, str]) -> None:
    """§H.8 [IAMAPI:API_GetOrganizationsAccessReport.html]: MaxItems/Marker pages; SortKey orders the details."""
    job = iam.generate_organizations_access_report(EntityPath=world["root"])["JobId"]
    whole = iam.get_organizations_access_report(JobId=job, MaxItems=1000)
    assert whole["IsTruncated"] is False
    pages: list[dict[str, Any]] = []
    params: dict[str, Any] = {"JobId": job, "MaxItems": 150}
    while True:
        answer = iam.get_organizations_access_report(**params)
        pages.extend(answer["AccessDetails"])
        assert answer["NumberOfServicesAccessible"] == whole["NumberOfServicesAccessible"]
        if not answer["IsTruncated"]:
            break
        params["Marker"] = answer["Marker"]
    assert pages == whole["AccessDetails"]
    names = [d["ServiceNamespace"] for d in whole["AccessDetails"]]
    assert names == sorted(names)
    latest = iam.get_organizations_access_report(JobId=job, SortKey="LAST_AUTHENTICATED_TIME_DESCENDING")
    assert [d["ServiceNamespace"] for d in latest["AccessDetails"][:2]] == ["sqs", "s3"]
    bad = error_of(iam.get_organizations_access_report, JobId=job, Marker="forged")
    assert (bad["Code"], bad["Message"]) == ("InvalidInput", "Invalid Marker.")


def test_reports_survive_a_snapshot_H8(sim: Simulator, world: dict[str, str], tmp_path: Any) -> None:
    """§H.8: snapshots carry the jobs, so a restored world answers the same report."""
    job = sim.iam.generate_organizations_access_report(world["ou"])
    path = tmp_path / "world.json"
    sim.snapshot(path)
    restored = Simulator.restore(path, clock=sim.clock)
    assert restored.iam.get_organizations_access_report(job) == sim.iam.get_organizations_access_report(job)
