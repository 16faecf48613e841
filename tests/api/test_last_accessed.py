"""Service last-accessed details through boto3, derived from the requests the simulator authorized (§H.8).

AWS pages: IAMAPI:API_GenerateServiceLastAccessedDetails.html, API_GetServiceLastAccessedDetails.html,
API_GetServiceLastAccessedDetailsWithEntities.html; UG:access_policies_last-accessed.html.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from iamsim import ManualClock, Simulator

from .conftest import ACCOUNT, error_of

S3_AND_SQS = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "sqs:*"], "Resource": "*"},
            {"Effect": "Deny", "Action": "ec2:*", "Resource": "*"},
        ],
    }
)
USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/"


def _user(iam: Any, sim: Simulator, name: str, *, group: str | None = None) -> Any:
    iam.create_user(UserName=name)
    if group is None:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=S3_AND_SQS)
    else:
        iam.add_user_to_group(GroupName=group, UserName=name)
    return sim.create_access_key(name)


def _report(iam: Any, arn: str, granularity: str = "SERVICE_LEVEL") -> dict[str, Any]:
    job = iam.generate_service_last_accessed_details(Arn=arn, Granularity=granularity)["JobId"]
    assert len(job) == 36
    report: dict[str, Any] = iam.get_service_last_accessed_details(JobId=job)
    report["JobId"] = job
    return report


def test_report_lists_allowed_services_with_last_attempt_H8(iam: Any, sim: Simulator, clock: ManualClock) -> None:
    """§H.8 [IAMAPI:API_GetServiceLastAccessedDetails.html]: allowed services; attempts count, denied too."""
    key = _user(iam, sim, "u")
    sim.evaluate(key, "s3:GetObject", "arn:aws:s3:::bucket/key")
    clock.advance(timedelta(minutes=3))
    sim.evaluate(key, "s3:PutObject", "arn:aws:s3:::bucket/key")  # denied: still an attempt
    report = _report(iam, USER_ARN + "u")
    assert report["JobStatus"] == "COMPLETED"
    assert report["JobType"] == "SERVICE_LEVEL"
    services = {s["ServiceNamespace"]: s for s in report["ServicesLastAccessed"]}
    assert sorted(services) == ["s3", "sqs"]  # ec2 is only denied: not a service the policies allow
    s3, sqs = services["s3"], services["sqs"]
    assert s3["ServiceName"] == "Amazon S3"
    assert s3["LastAuthenticatedEntity"] == USER_ARN + "u"
    assert s3["TotalAuthenticatedEntities"] == 1
    assert s3["LastAuthenticated"].replace(tzinfo=None) == clock.now().replace(tzinfo=None)
    assert "LastAuthenticated" not in sqs
    assert sqs["TotalAuthenticatedEntities"] == 0
    assert "TrackedActionsLastAccessed" not in s3


def test_action_level_tracks_actions_of_tracked_services_H8(iam: Any, sim: Simulator) -> None:
    """§H.8 [UG:access_policies_last-accessed-action-level.html]: S3, IAM, EC2 and Lambda actions one by one."""
    key = _user(iam, sim, "u")
    sim.evaluate(key, "s3:GetObject", "arn:aws:s3:::bucket/key")
    sim.evaluate(key, "sqs:SendMessage", f"arn:aws:sqs:us-east-1:{ACCOUNT}:q")
    services = {s["ServiceNamespace"]: s for s in _report(iam, USER_ARN + "u", "ACTION_LEVEL")["ServicesLastAccessed"]}
    tracked = services["s3"]["TrackedActionsLastAccessed"]
    assert [(t["ActionName"], t["LastAccessedEntity"]) for t in tracked] == [("GetObject", USER_ARN + "u")]
    assert "TrackedActionsLastAccessed" not in services["sqs"]
    assert services["sqs"]["TotalAuthenticatedEntities"] == 1


def test_role_sessions_count_for_the_role_H8(iam: Any, sim: Simulator) -> None:
    """§H.8: a role's report counts the requests of its sessions, named by the role's ARN."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": USER_ARN + "caller"}, "Action": "sts:AssumeRole"}],
    }
    iam.create_user(UserName="caller")
    iam.put_user_policy(
        UserName="caller",
        PolicyName="assume",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
        ),
    )
    role_arn = iam.create_role(RoleName="worker", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName="worker", PolicyName="p", PolicyDocument=S3_AND_SQS)
    session = sim.assume_role(sim.create_access_key("caller"), role_arn, "job-1").credentials
    sim.evaluate(session, "sqs:SendMessage", f"arn:aws:sqs:us-east-1:{ACCOUNT}:q")
    services = {s["ServiceNamespace"]: s for s in _report(iam, role_arn)["ServicesLastAccessed"]}
    assert services["sqs"]["LastAuthenticatedEntity"] == role_arn
    assert "LastAuthenticated" not in services["s3"]


def test_group_report_names_its_members_with_entities_H8(iam: Any, sim: Simulator) -> None:
    """§H.8 [IAMAPI:API_GetServiceLastAccessedDetailsWithEntities.html]: a group's members, each with its time."""
    iam.create_group(GroupName="team")
    iam.put_group_policy(GroupName="team", PolicyName="p", PolicyDocument=S3_AND_SQS)
    active = _user(iam, sim, "active", group="team")
    _user(iam, sim, "idle", group="team")
    sim.evaluate(active, "s3:GetObject", "arn:aws:s3:::bucket/key")
    report = _report(iam, f"arn:aws:iam::{ACCOUNT}:group/team")
    s3 = next(s for s in report["ServicesLastAccessed"] if s["ServiceNamespace"] == "s3")
    assert s3["TotalAuthenticatedEntities"] == 1
    listed = iam.get_service_last_accessed_details_with_entities(JobId=report["JobId"], ServiceNamespace="s3")
    by_name = {e["EntityInfo"]["Name"]: e for e in listed["EntityDetailsList"]}
    assert sorted(by_name) == ["active", "idle"]
    assert by_name["active"]["EntityInfo"]["Type"] == "USER"
    assert "LastAuthenticated" in by_name["active"]
    assert "LastAuthenticated" not in by_name["idle"]


def test_policy_report_counts_the_entities_it_is_attached_to_H8(iam: Any, sim: Simulator) -> None:
    """§H.8: a managed policy's report counts the users and roles it is attached to."""
    arn = iam.create_policy(PolicyName="common", PolicyDocument=S3_AND_SQS)["Policy"]["Arn"]
    iam.create_user(UserName="a")
    iam.attach_user_policy(UserName="a", PolicyArn=arn)
    key = sim.create_access_key("a")
    sim.evaluate(key, "sqs:ReceiveMessage", f"arn:aws:sqs:us-east-1:{ACCOUNT}:q")
    services = {s["ServiceNamespace"]: s for s in _report(iam, arn)["ServicesLastAccessed"]}
    assert services["sqs"]["LastAuthenticatedEntity"] == USER_ARN + "a"


def test_errors_missing_entity_bad_arn_and_unknown_job_H8(iam: Any) -> None:
    """§H.8 [IAMAPI:API_GenerateServiceLastAccessedDetails.html]: NoSuchEntity, InvalidInput."""
    missing = error_of(iam.generate_service_last_accessed_details, Arn=USER_ARN + "ghost")
    assert missing["Code"] == "NoSuchEntity"
    bad = error_of(iam.generate_service_last_accessed_details, Arn=f"arn:aws:s3:::bucket-name-{ACCOUNT}")
    assert bad["Code"] == "InvalidInput"
    unknown = error_of(iam.get_service_last_accessed_details, JobId="00000000-0000-4000-8000-000000000000")
    assert unknown["Code"] == "NoSuchEntity"


def test_reports_survive_a_snapshot_H8(iam: Any, sim: Simulator, tmp_path: Any) -> None:
    """§H.8: snapshots carry the jobs, so a restored world answers the same report."""
    key = _user(iam, sim, "u")
    sim.evaluate(key, "s3:GetObject", "arn:aws:s3:::bucket/key")
    job = iam.generate_service_last_accessed_details(Arn=USER_ARN + "u")["JobId"]
    path = tmp_path / "world.json"
    sim.snapshot(path)
    restored = Simulator.restore(path, clock=sim.clock)
    assert restored.iam.get_service_last_accessed_details(job, account_id=ACCOUNT) == (
        sim.iam.get_service_last_accessed_details(job, account_id=ACCOUNT)
    )
