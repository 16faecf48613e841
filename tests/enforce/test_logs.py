"""Amazon CloudWatch Logs calls through boto3 are authorized before moto answers (§F, §F.7; issue 13).

AWS source: "Actions, resources, and condition keys for Amazon CloudWatch Logs"
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, World, allow, deny, document, error_of, moto_world

GROUP = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:app"
STREAM = f"{GROUP}:log-stream:web"


def _group(world: World) -> None:
    logs = world.root.client("logs")
    logs.create_log_group(logGroupName="app")
    logs.create_log_stream(logGroupName="app", logStreamName="web")


def test_logs_put_log_events_on_the_stream_and_denial_shape_F7() -> None:
    """§F.7: PutLogEvents is logs:PutLogEvents on the log stream; a refusal is AccessDeniedException (400)."""
    with moto_world() as world:
        _group(world)
        logs = world.role("Writer", allow("logs:PutLogEvents", STREAM)).client("logs")
        logs.put_log_events(logGroupName="app", logStreamName="web", logEvents=[{"timestamp": 1, "message": "hi"}])
        with pytest.raises(ClientError) as caught:
            logs.delete_log_group(logGroupName="app")
        assert error_of(caught) == (
            "AccessDeniedException",
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Writer/app is not authorized to perform: logs:DeleteLogGroup"
            f" on resource: {GROUP} because no identity-based policy allows the logs:DeleteLogGroup action",
            400,
        )
        assert [g["logGroupName"] for g in world.root.client("logs").describe_log_groups()["logGroups"]] == ["app"]


def test_logs_identity_deny_beats_allow_F1_F7() -> None:
    """§F.1: an explicit Deny on the group (FilterLogEvents) or its streams (GetLogEvents) beats logs:* on *."""
    with moto_world() as world:
        _group(world)
        logs = world.role(
            "Reader", allow("logs:*", "*"), deny("logs:FilterLogEvents", GROUP), deny("logs:GetLogEvents", f"{GROUP}:*")
        ).client("logs")
        logs.describe_log_streams(logGroupName="app")
        with pytest.raises(ClientError) as caught:
            logs.filter_log_events(logGroupIdentifier=GROUP + ":*")
        assert "with an explicit deny in an identity-based policy" in error_of(caught)[1]
        with pytest.raises(ClientError):
            logs.get_log_events(logGroupName="app", logStreamName="web")


def test_logs_account_resource_policy_deny_applies_to_log_groups_F7() -> None:
    """§F.7: PutResourcePolicy's policies belong to the account and govern every log group in it."""
    with moto_world() as world:
        _group(world)
        root = world.root.client("logs")
        closed = document(deny("logs:PutLogEvents", f"{GROUP}:*", Principal="*"))
        root.put_resource_policy(policyName="closed", policyDocument=closed)
        route53 = allow("logs:PutLogEvents", "*", Principal={"Service": "route53.amazonaws.com"})
        root.put_resource_policy(policyName="other", policyDocument=document(route53))
        logs = world.role("Writer", allow("logs:PutLogEvents", STREAM)).client("logs")
        event = [{"timestamp": 1, "message": "hi"}]
        with pytest.raises(ClientError) as caught:
            logs.put_log_events(logGroupName="app", logStreamName="web", logEvents=event)
        assert error_of(caught)[1].endswith("with an explicit deny in a resource-based policy")
        root.delete_resource_policy(policyName="closed")
        logs.put_log_events(logGroupName="app", logStreamName="web", logEvents=event)


def test_logs_service_key_on_put_delivery_source_and_request_tags_F7() -> None:
    """§F.7: logs:LogGeneratingResourceArns on PutDeliverySource; aws:RequestTag/* from CreateLogGroup's tags."""
    with moto_world() as world:
        allowed_source = f"arn:aws:cloudfront::{ACCOUNT}:distribution/E1"
        logs = world.role(
            "Builder",
            allow(
                "logs:PutDeliverySource",
                "*",
                Condition={"ForAllValues:StringEquals": {"logs:LogGeneratingResourceArns": allowed_source}},
            ),
            allow("logs:CreateLogGroup", "*", Condition={"StringEquals": {"aws:RequestTag/team": "ops"}}),
        ).client("logs")
        with pytest.raises(ClientError):
            logs.put_delivery_source(
                name="other", resourceArn=f"arn:aws:cloudfront::{ACCOUNT}:distribution/E2", logType="ACCESS_LOGS"
            )
        logs.create_log_group(logGroupName="tagged", tags={"team": "ops"})
        with pytest.raises(ClientError):
            logs.create_log_group(logGroupName="untagged")


def test_logs_get_query_results_acts_on_the_queried_groups_F7() -> None:
    """§F.7: GetQueryResults acts on the log groups StartQuery searched (the reference's log-group resource)."""
    with moto_world() as world:
        _group(world)
        logs = world.role("Analyst", allow("logs:StartQuery", GROUP), allow("logs:GetQueryResults", GROUP)).client(
            "logs"
        )
        query = logs.start_query(logGroupName="app", startTime=0, endTime=10, queryString="fields @message")["queryId"]
        logs.get_query_results(queryId=query)
        with pytest.raises(ClientError) as caught:
            logs.get_query_results(queryId="never-started")
        assert "does not know which log groups" in error_of(caught)[1]
