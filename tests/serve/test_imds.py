"""IMDSv2 per simulated instance (§G.10; EC2 User Guide, instance-metadata-v2-how-it-works.html)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from serve.conftest import ECS_TRUST, METADATA_PATIENCE, Served, start_served

TTL = "X-aws-ec2-metadata-token-ttl-seconds"
TOKEN = "X-aws-ec2-metadata-token"


def _root(instance_id: str) -> str:
    return f"/_iamsim/imds/{instance_id}/"


def _token(served: Served, instance_id: str, ttl: str = "21600") -> str:
    status, headers, body = served.request("PUT", _root(instance_id) + "latest/api/token", headers={TTL: ttl})
    assert status == 200
    assert headers[TTL] == ttl
    return body.decode()


def _get(served: Served, instance_id: str, path: str, token: str | None) -> tuple[int, bytes]:
    headers = {TOKEN: token} if token is not None else {}
    status, _, body = served.request("GET", _root(instance_id) + path, headers=headers)
    return status, body


@pytest.mark.parametrize("ttl", [None, "0", "21601", "abc", "-5", "1.5"])
def test_token_ttl_outside_1_to_21600_is_400_g10(served: Served, ttl: str | None) -> None:
    """§G.10: the token lifetime must be 1..21600 seconds; anything else, or none, is 400."""
    instance = served.tutorial_instance()
    headers = {} if ttl is None else {TTL: ttl}
    status, answer_headers, body = served.request("PUT", _root(instance) + "latest/api/token", headers=headers)
    assert status == 400
    assert answer_headers["Content-Type"] == "text/html"
    assert b"400 - Bad Request" in body


def test_token_put_with_x_forwarded_for_is_refused_g10(served: Served) -> None:
    """§G.10: a token PUT carrying X-Forwarded-For is refused (403)."""
    instance = served.tutorial_instance()
    status, _, _ = served.request(
        "PUT", _root(instance) + "latest/api/token", headers={TTL: "60", "X-Forwarded-For": "10.0.0.1"}
    )
    assert status == 403


def test_reads_need_a_live_token_of_this_instance_g10(served: Served) -> None:
    """§G.10: no token, a made-up token, another instance's token or an expired one: 401."""
    instance = served.tutorial_instance()
    other = served.admin("POST", "instances", {})[1]["instance_id"]
    assert _get(served, instance, "latest/meta-data/instance-id", None)[0] == 401
    assert _get(served, instance, "latest/meta-data/instance-id", "made-up")[0] == 401
    assert _get(served, instance, "latest/meta-data/instance-id", _token(served, other))[0] == 401
    short = _token(served, instance, "60")
    assert _get(served, instance, "latest/meta-data/instance-id", short) == (200, instance.encode())
    served.clock.advance(timedelta(seconds=60))
    status, body = _get(served, instance, "latest/meta-data/instance-id", short)
    assert status == 401
    assert b"401 - Unauthorized" in body


def test_imds_v1_reads_only_when_asked_for_g10() -> None:
    """§G.10: IMDSv1 (reads without a token) only with the server's imds_v1 option."""
    running = start_served(imds_v1=True)
    try:
        instance = running.tutorial_instance()
        assert _get(running, instance, "latest/meta-data/instance-id", None) == (200, instance.encode())
        assert _get(running, instance, "latest/meta-data/instance-id", "made-up")[0] == 401
    finally:
        running.server.stop()


def test_iam_documents_have_awss_fields_g10(served: Served) -> None:
    """§G.10 (iam-roles-for-amazon-ec2.html): iam/info, the role listing and the credentials JSON."""
    instance = served.tutorial_instance()
    token = _token(served, instance)
    status, body = _get(served, instance, "latest/meta-data/iam/info", token)
    info = json.loads(body)
    assert status == 200
    assert set(info) == {"Code", "LastUpdated", "InstanceProfileArn", "InstanceProfileId"}
    assert info["Code"] == "Success"
    assert info["InstanceProfileArn"] == "arn:aws:iam::123456789012:instance-profile/S3AccessRole"
    assert info["InstanceProfileId"].startswith("AIPA")
    assert _get(served, instance, "latest/meta-data/iam/security-credentials/", token) == (200, b"S3AccessRole")
    status, body = _get(served, instance, "latest/meta-data/iam/security-credentials/S3AccessRole", token)
    credentials = json.loads(body)
    assert set(credentials) == {"Code", "LastUpdated", "Type", "AccessKeyId", "SecretAccessKey", "Token", "Expiration"}
    assert credentials["Type"] == "AWS-HMAC"
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert _get(served, instance, "latest/meta-data/iam/security-credentials/OtherRole", token)[0] == 404


def test_identity_document_and_instance_id_g10(served: Served) -> None:
    """§G.10: the instance identity document names the instance, its account and region."""
    instance = served.tutorial_instance()
    token = _token(served, instance)
    status, body = _get(served, instance, "latest/dynamic/instance-identity/document", token)
    document = json.loads(body)
    assert status == 200
    assert document["instanceId"] == instance
    assert document["accountId"] == "123456789012"
    assert document["region"] == "us-east-1"


def test_credentials_renewed_five_minutes_before_expiry_g10(served: Served) -> None:
    """§G.10: new credentials at least five minutes before the old ones expire, the same ones before that."""
    instance = served.tutorial_instance()
    path = "latest/meta-data/iam/security-credentials/S3AccessRole"
    first = json.loads(_get(served, instance, path, _token(served, instance))[1])
    served.clock.advance(timedelta(hours=5, minutes=54))
    same = json.loads(_get(served, instance, path, _token(served, instance))[1])
    assert same["AccessKeyId"] == first["AccessKeyId"]
    served.clock.advance(timedelta(minutes=1, seconds=1))
    renewed = json.loads(_get(served, instance, path, _token(served, instance))[1])
    assert renewed["AccessKeyId"] != first["AccessKeyId"]


def test_replaced_role_shows_up_at_once_g10(served: Served) -> None:
    """§G.10 (attach-iam-role.html): after ReplaceIamInstanceProfileAssociation the new role is listed and issued."""
    instance = served.tutorial_instance()
    served.tutorial_instance("Company1-Logs-Role")
    status, answer = served.admin("POST", f"instances/{instance}/profile", {"instance_profile": "Company1-Logs-Role"})
    assert status == 200
    assert answer["instance_profile"] == "Company1-Logs-Role"
    token = _token(served, instance)
    listed = _get(served, instance, "latest/meta-data/iam/security-credentials/", token)
    assert listed == (200, b"Company1-Logs-Role")
    status, body = _get(served, instance, "latest/meta-data/iam/security-credentials/Company1-Logs-Role", token)
    assert json.loads(body)["Code"] == "Success"
    assert _get(served, instance, "latest/meta-data/iam/security-credentials/S3AccessRole", token)[0] == 404


def test_broken_trust_shows_assume_role_unauthorized_access_g10(served: Served) -> None:
    """§G.10, §G.1: a role whose trust policy does not name EC2 yields no credentials."""
    instance = served.tutorial_instance()
    served.client("iam").update_assume_role_policy(RoleName="S3AccessRole", PolicyDocument=json.dumps(ECS_TRUST))
    token = _token(served, instance)
    status, body = _get(served, instance, "latest/meta-data/iam/security-credentials/S3AccessRole", token)
    answer = json.loads(body)
    assert status == 200
    assert answer["Code"] == "AssumeRoleUnauthorizedAccess"
    assert "AccessKeyId" not in answer


def test_unknown_paths_instances_and_methods_g10(served: Served) -> None:
    """§G.10: unknown paths and unknown or terminated instances are 404, other methods 405."""
    instance = served.tutorial_instance()
    token = _token(served, instance)
    status, body = _get(served, instance, "latest/meta-data/no-such-thing", token)
    assert status == 404
    assert b"404 - Not Found" in body
    assert _get(served, "i-00000000000000000", "latest/meta-data/instance-id", token)[0] == 404
    assert served.request("POST", _root(instance) + "latest/meta-data/", headers={TOKEN: token})[0] == 405
    assert served.request("GET", _root(instance) + "latest/api/token")[0] == 405
    assert served.admin("DELETE", f"instances/{instance}")[0] == 200
    assert _get(served, instance, "latest/meta-data/instance-id", token)[0] == 404


def test_a_keyless_boto3_session_gets_the_role_through_imds_g10(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§G.10: a plain boto3 session with only AWS_EC2_METADATA_SERVICE_ENDPOINT acts as the instance's role."""
    import boto3

    instance = served.tutorial_instance()
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", served.server.metadata_endpoint(instance))
    for name, value in METADATA_PATIENCE.items():
        monkeypatch.setenv(name, value)
    session = boto3.Session(region_name="us-east-1")
    assert session.get_credentials().method == "iam-role"
    arn = session.client("sts", endpoint_url=served.url).get_caller_identity()["Arn"]
    assert arn == f"arn:aws:sts::123456789012:assumed-role/S3AccessRole/{instance}"
