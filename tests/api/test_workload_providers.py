"""IAM workload identity providers through boto3 (§H.10).

AWS pages: IAMAPI:API_CreateWorkloadIdentityProvider.html, API_GetWorkloadIdentityProvider.html,
API_ListWorkloadIdentityProviders.html, API_DeleteWorkloadIdentityProvider.html,
API_GetWorkloadIdentityProviderDeletionStatus.html, API_PutWorkloadIdentityProviderResourcePolicy.html,
API_ListWorkloadIdentityProviderOutboundSigners.html, API_WorkloadIdentityJwtSignerConfiguration.html.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from iamsim import ManualClock, Simulator

from .conftest import ACCOUNT, error_of

ARN = f"arn:aws:iam::{ACCOUNT}:workload-identity-provider/payments"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
            "Action": "iam:AssociateWorkloadIdentityTemplate",
            "Resource": "*",
        }
    ],
}


def _create(iam: Any, **extra: Any) -> dict[str, Any]:
    params = {"ProviderName": "payments", "Scheme": "SPIFFE", "WorkloadIdentityDomain": "payments.example.com"}
    merged = {k: v for k, v in {**params, **extra}.items() if v is not None}
    result: dict[str, Any] = iam.create_workload_identity_provider(**merged)
    return result


def test_create_answers_the_provider_with_its_jwt_signer_H12(iam: Any) -> None:
    """§H.10: Create answers ARN, AWPA id, resolved ACCOUNT scope and one ES384 JWT signer (no X.509)."""
    created = _create(iam, Description="payments fleet", Tags=[{"Key": "team", "Value": "pay"}])
    assert created["Arn"] == ARN
    assert created["ProviderId"].startswith("AWPA")
    assert (created["ResourceScope"], created["Scheme"], created["Description"]) == (
        "ACCOUNT",
        "SPIFFE",
        "payments fleet",
    )
    assert created["WorkloadIdentityDomain"] == "payments.example.com"
    signers = created["OutboundSigners"]
    assert [(s["SigningAlgorithm"], s["Configuration"]["KeyAlgorithm"]) for s in signers["Jwt"]] == [
        ("ES384", "ECC_NIST_P384")
    ]
    assert signers["Jwt"][0]["StartSigningTime"] == created["CreateDate"]
    assert signers["OidcIssuerUri"].startswith("https://")
    assert created["Tags"] == [{"Key": "team", "Value": "pay"}]


def test_get_and_list_read_it_back_H12(iam: Any) -> None:
    """§H.10: Get reads the provider with tags and signers; List the account's, ACCOUNT scope by default."""
    created = _create(iam)
    got = iam.get_workload_identity_provider(WorkloadIdentityProviderArn=ARN)
    assert (got["ProviderId"], got["CreateDate"]) == (created["ProviderId"], created["CreateDate"])
    assert "Tags" not in got
    assert "Description" not in got
    _create(iam, ProviderName="alpha", Scheme="NONE", WorkloadIdentityDomain=None)
    listed = iam.list_workload_identity_providers()["WorkloadIdentityProviders"]
    assert [p["ProviderName"] for p in listed] == ["alpha", "payments"]
    assert "WorkloadIdentityDomain" not in listed[0]
    assert iam.list_workload_identity_providers(ResourceScope="ORGANIZATION")["WorkloadIdentityProviders"] == []


def test_list_outbound_signers_lists_the_jwt_signer_H12(iam: Any) -> None:
    """§H.10: ListWorkloadIdentityProviderOutboundSigners lists every signer, here the one JWT signer."""
    created = _create(iam)
    listed = iam.list_workload_identity_provider_outbound_signers(WorkloadIdentityProviderArn=ARN)
    assert listed["IsTruncated"] is False
    (signer,) = listed["OutboundSigners"]
    assert signer["SignerType"] == "JWT"
    assert signer["Configuration"] == {"Jwt": {"KeyAlgorithm": "ECC_NIST_P384"}}
    assert signer["StartSigningTime"] == created["CreateDate"]


def test_invalid_inputs_are_refused_in_aws_words_H12(iam: Any) -> None:
    """§H.10: name pattern, scheme enum, SPIFFE without a domain, NONE with one, a bad domain."""
    bad_name = error_of(iam.create_workload_identity_provider, ProviderName="pay ments", Scheme="NONE")
    assert bad_name["Code"] == "ValidationError"
    assert "providerName" in bad_name["Message"]
    bad_scheme = error_of(iam.create_workload_identity_provider, ProviderName="p", Scheme="X509")
    assert bad_scheme["Code"] == "ValidationError"
    assert "enum value set: [NONE, SPIFFE]" in bad_scheme["Message"]
    no_domain = error_of(iam.create_workload_identity_provider, ProviderName="p", Scheme="SPIFFE")
    assert no_domain == {**no_domain, "Code": "InvalidInput"}
    assert "WorkloadIdentityDomain is required" in no_domain["Message"]
    extra = error_of(
        iam.create_workload_identity_provider, ProviderName="p", Scheme="NONE", WorkloadIdentityDomain="a.b"
    )
    assert extra["Code"] == "InvalidInput"
    upper = error_of(
        iam.create_workload_identity_provider, ProviderName="p", Scheme="SPIFFE", WorkloadIdentityDomain="Ex.com"
    )
    assert upper["Code"] == "ValidationError"
    assert iam.list_workload_identity_providers()["WorkloadIdentityProviders"] == []


def test_a_taken_name_is_entity_already_exists_H12(iam: Any) -> None:
    """§H.10: the name is unique in the account: EntityAlreadyExists, and the first provider stays."""
    created = _create(iam)
    error = error_of(iam.create_workload_identity_provider, ProviderName="PAYMENTS", Scheme="NONE")
    assert error["Code"] == "EntityAlreadyExists"
    assert iam.get_workload_identity_provider(WorkloadIdentityProviderArn=ARN)["ProviderId"] == created["ProviderId"]


def test_missing_provider_is_no_such_entity_everywhere_H12(iam: Any) -> None:
    """§H.10: Get, Delete (not idempotent), policies, tags and signers of a missing provider: NoSuchEntity."""
    for call, extra in (
        (iam.get_workload_identity_provider, {}),
        (iam.delete_workload_identity_provider, {}),
        (iam.get_workload_identity_provider_resource_policy, {}),
        (iam.put_workload_identity_provider_resource_policy, {"PolicyDocument": json.dumps(POLICY)}),
        (iam.list_workload_identity_provider_tags, {}),
        (iam.tag_workload_identity_provider, {"Tags": [{"Key": "a", "Value": "b"}]}),
        (iam.list_workload_identity_provider_outbound_signers, {}),
    ):
        error = error_of(call, WorkloadIdentityProviderArn=ARN, **extra)
        assert error["Code"] == "NoSuchEntity", call
        assert ARN in error["Message"]


def test_delete_answers_a_task_readable_for_24_hours_H12(iam: Any, clock: ManualClock) -> None:
    """§H.10: Delete answers a DeletionTaskId whose status is SUCCEEDED; it expires 24 hours later."""
    _create(iam)
    task = iam.delete_workload_identity_provider(WorkloadIdentityProviderArn=ARN)["DeletionTaskId"]
    status = iam.get_workload_identity_provider_deletion_status(DeletionTaskId=task)
    assert (status["WorkloadIdentityProviderArn"], status["Status"]) == (ARN, "SUCCEEDED")
    assert error_of(iam.get_workload_identity_provider, WorkloadIdentityProviderArn=ARN)["Code"] == "NoSuchEntity"
    clock.advance(timedelta(hours=24))
    assert error_of(iam.get_workload_identity_provider_deletion_status, DeletionTaskId=task)["Code"] == "NoSuchEntity"


def test_delete_while_a_template_references_it_is_delete_conflict_H12(iam: Any) -> None:
    """§H.10: "A workload identity template that still references it causes DeleteConflictException"."""
    _create(iam)
    iam.create_workload_identity_template(Name="fleet", WorkloadIdentityProviderArn=ARN, PathPattern="ns/{aws:id}")
    assert error_of(iam.delete_workload_identity_provider, WorkloadIdentityProviderArn=ARN)["Code"] == "DeleteConflict"
    assert iam.get_workload_identity_provider(WorkloadIdentityProviderArn=ARN)["Arn"] == ARN


def test_resource_policy_put_get_delete_H12(iam: Any) -> None:
    """§H.10: the resource policy is stored as written, read as Arn/PolicyDocument, then removed."""
    _create(iam)
    assert (
        error_of(iam.get_workload_identity_provider_resource_policy, WorkloadIdentityProviderArn=ARN)["Code"]
        == "NoSuchEntity"
    )
    text = json.dumps(POLICY, indent=1)
    iam.put_workload_identity_provider_resource_policy(WorkloadIdentityProviderArn=ARN, PolicyDocument=text)
    got = iam.get_workload_identity_provider_resource_policy(WorkloadIdentityProviderArn=ARN)
    # boto3 decodes a returned policy document into its JSON value.
    assert (got["Arn"], got["PolicyDocument"]) == (ARN, json.loads(text))
    iam.delete_workload_identity_provider_resource_policy(WorkloadIdentityProviderArn=ARN)
    assert (
        error_of(iam.delete_workload_identity_provider_resource_policy, WorkloadIdentityProviderArn=ARN)["Code"]
        == "NoSuchEntity"
    )


def test_a_malformed_resource_policy_is_refused_and_the_old_one_kept_H12(iam: Any) -> None:
    """§H.10: a resource policy without a Principal is MalformedPolicyDocument; the stored one stays."""
    _create(iam)
    text = json.dumps(POLICY)
    iam.put_workload_identity_provider_resource_policy(WorkloadIdentityProviderArn=ARN, PolicyDocument=text)
    bad = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}
    error = error_of(
        iam.put_workload_identity_provider_resource_policy,
        WorkloadIdentityProviderArn=ARN,
        PolicyDocument=json.dumps(bad),
    )
    assert error["Code"] == "MalformedPolicyDocument"
    got = iam.get_workload_identity_provider_resource_policy(WorkloadIdentityProviderArn=ARN)
    assert got["PolicyDocument"] == POLICY


def test_tags_tag_untag_list_H12(iam: Any) -> None:
    """§H.10: Tag adds or replaces, Untag ignores absent keys, List reads them; aws: keys are refused."""
    _create(iam)
    iam.tag_workload_identity_provider(WorkloadIdentityProviderArn=ARN, Tags=[{"Key": "a", "Value": "1"}])
    iam.tag_workload_identity_provider(
        WorkloadIdentityProviderArn=ARN, Tags=[{"Key": "a", "Value": "2"}, {"Key": "b", "Value": "3"}]
    )
    iam.untag_workload_identity_provider(WorkloadIdentityProviderArn=ARN, TagKeys=["b", "zzz"])
    listed = iam.list_workload_identity_provider_tags(WorkloadIdentityProviderArn=ARN)
    assert listed["Tags"] == [{"Key": "a", "Value": "2"}]
    reserved = error_of(
        iam.tag_workload_identity_provider, WorkloadIdentityProviderArn=ARN, Tags=[{"Key": "aws:x", "Value": "1"}]
    )
    assert reserved["Code"] in ("InvalidInput", "ValidationError")


def test_calls_are_authorized_on_the_provider_arn_H12(sim: Simulator, iam: Any) -> None:
    """§H.10: each call is iam:<Operation> on the provider's ARN; a user without it is denied."""
    _create(iam)
    key = sim.create_access_key(sim.create_user("reader").name)
    sim.put_user_policy(
        "reader",
        "read",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "iam:GetWorkloadIdentityProvider", "Resource": ARN}],
        },
    )
    import boto3

    import iamsim.boto3

    session = boto3.Session(
        aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key, region_name="us-east-1"
    )
    with iamsim.boto3.attach(sim, session):
        reader = session.client("iam")
        assert reader.get_workload_identity_provider(WorkloadIdentityProviderArn=ARN)["Arn"] == ARN
        denied = error_of(reader.delete_workload_identity_provider, WorkloadIdentityProviderArn=ARN)
        assert denied["Code"] == "AccessDenied"
        assert "iam:DeleteWorkloadIdentityProvider" in denied["Message"]
        created = error_of(reader.create_workload_identity_provider, ProviderName="other", Scheme="NONE")
        assert "workload-identity-provider/other" in created["Message"]


def test_providers_survive_a_snapshot_roundtrip_H12(sim: Simulator, iam: Any, clock: ManualClock) -> None:
    """§H.10: providers, their keys, policies, tags and deletion tasks are part of the world's snapshot."""
    created = _create(iam, Tags=[{"Key": "a", "Value": "1"}])
    iam.put_workload_identity_provider_resource_policy(
        WorkloadIdentityProviderArn=ARN, PolicyDocument=json.dumps(POLICY)
    )
    _create(iam, ProviderName="gone", Scheme="NONE", WorkloadIdentityDomain=None)
    task = iam.delete_workload_identity_provider(
        WorkloadIdentityProviderArn=f"arn:aws:iam::{ACCOUNT}:workload-identity-provider/gone"
    )["DeletionTaskId"]
    restored = Simulator.from_json(sim.to_json(), clock=clock)
    assert restored.to_json() == sim.to_json()
    provider = restored.iam.get_workload_identity_provider(ARN)
    assert (provider.provider_id, provider.tags) == (created["ProviderId"], (("a", "1"),))
    assert provider.resource_policy == json.dumps(POLICY)
    assert restored.iam.get_workload_identity_provider_deletion_status(task).status == "SUCCEEDED"
