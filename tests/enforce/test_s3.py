"""S3 calls through boto3 are authorized before moto answers (issue 13's done-when, §F, §G.9)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, allow, deny, document, moto_world

LOGS_READ = allow("s3:GetObject", "arn:aws:s3:::company1-logs/*")


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int]:
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["Error"].get("Message", ""),
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def test_logs_role_reads_but_cannot_write_or_delete_F1() -> None:
    """§F.1 (no identity-based policy allows -> implicit deny): S3's AccessDenied in AWS's words."""
    with moto_world() as world:
        root_s3 = world.root.client("s3")
        root_s3.create_bucket(Bucket="company1-logs")
        root_s3.put_object(Bucket="company1-logs", Key="app.log", Body=b"line 1\n")
        s3 = world.role("Company1-Logs-Role", LOGS_READ).client("s3")

        assert s3.get_object(Bucket="company1-logs", Key="app.log")["Body"].read() == b"line 1\n"
        for call in (
            lambda: s3.put_object(Bucket="company1-logs", Key="app.log", Body=b"overwritten"),
            lambda: s3.delete_object(Bucket="company1-logs", Key="app.log"),
        ):
            with pytest.raises(ClientError) as caught:
                call()
            code, message, status = _error(caught)
            assert (code, status) == ("AccessDenied", 403)
            action = "s3:PutObject" if "PutObject" in message else "s3:DeleteObject"
            assert message == (
                f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Company1-Logs-Role/app is not authorized to perform:"
                f' {action} on resource: "arn:aws:s3:::company1-logs/app.log" because no identity-based policy'
                f" allows the {action} action"
            )
        # moto never saw the refused write or delete.
        assert root_s3.get_object(Bucket="company1-logs", Key="app.log")["Body"].read() == b"line 1\n"


def test_bucket_policy_explicit_deny_beats_the_role_allow_F1() -> None:
    """§F.1 step 1: an explicit deny in the bucket policy (set through boto3, observed) beats the allow."""
    with moto_world() as world:
        root_s3 = world.root.client("s3")
        root_s3.create_bucket(Bucket="company1-logs")
        root_s3.put_object(Bucket="company1-logs", Key="app.log", Body=b"x")
        s3 = world.role("Company1-Logs-Role", LOGS_READ).client("s3")
        role_arn = f"arn:aws:iam::{ACCOUNT}:role/Company1-Logs-Role"
        root_s3.put_bucket_policy(
            Bucket="company1-logs",
            Policy=document(deny("s3:GetObject", "arn:aws:s3:::company1-logs/*", Principal={"AWS": role_arn})),
        )
        assert world.sim.resources.policy("arn:aws:s3:::company1-logs") is not None
        with pytest.raises(ClientError) as caught:
            s3.get_object(Bucket="company1-logs", Key="app.log")
        code, message, _ = _error(caught)
        assert code == "AccessDenied"
        assert message.endswith("with an explicit deny in a resource-based policy")


def test_expired_session_gets_s3_expired_token_G9() -> None:
    """§G.9, §F.7 (S3 ErrorResponses.html): from the expiration second on, S3 answers 400 ExpiredToken
    "The provided token has expired."."""
    from freezegun import freeze_time

    with freeze_time("2030-01-01 00:00:00") as frozen, moto_world() as world:
        world.root.client("s3").create_bucket(Bucket="company1-logs")
        s3 = world.role("Company1-Logs-Role", LOGS_READ).client("s3")
        frozen.tick(3600)
        with pytest.raises(ClientError) as caught:
            s3.get_object(Bucket="company1-logs", Key="app.log")
        assert _error(caught) == ("ExpiredToken", "The provided token has expired.", 400)


def test_s3_read_only_role_lists_buckets_and_cannot_write_F1() -> None:
    """AmazonS3ReadOnlyAccess (s3:Get*, s3:List*): ListBuckets works, PutObject is AccessDenied."""
    with moto_world() as world:
        world.root.client("s3").create_bucket(Bucket="your-bucket-name")
        s3 = world.role("S3AccessRole", managed="AmazonS3ReadOnlyAccess").client("s3")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["your-bucket-name"]
        with pytest.raises(ClientError) as caught:
            s3.put_object(Bucket="your-bucket-name", Key="k", Body=b"x")
        assert _error(caught)[0] == "AccessDenied"


def test_denials_are_kept_explained_for_assertions_F1() -> None:
    """Every refusal is kept with its explanation; assert_call_denied finds it and shows all when it fails."""
    from iamsim.testing import assert_call_denied

    with moto_world() as world:
        world.root.client("s3").create_bucket(Bucket="company1-logs")
        s3 = world.role("Company1-Logs-Role", LOGS_READ).client("s3")
        with pytest.raises(ClientError):
            s3.put_object(Bucket="company1-logs", Key="k", Body=b"x")
        denial = assert_call_denied(world.sim, "s3", "PutObject", action="s3:PutObject")
        assert denial.result is not None
        assert denial.result.explanation is not None
        assert any(e.action == "s3:PutObject" and e.outcome == "implicitDeny" for e in world.sim.events())
        with pytest.raises(AssertionError, match="refusals kept:\n  s3:PutObject s3:PutObject"):
            assert_call_denied(world.sim, "s3", "GetObject")
