"""IAM workload identity templates through boto3 (§H.10).

AWS pages: IAMAPI:API_CreateWorkloadIdentityTemplate.html, API_GetWorkloadIdentityTemplate.html,
API_ListWorkloadIdentityTemplates.html, API_DeleteWorkloadIdentityTemplate.html,
API_PutWorkloadIdentityTemplateAttestationPolicy.html; UG:workload-identity-attestation-policies.html.
"""

from __future__ import annotations

import json
from typing import Any

from iamsim import ManualClock, Simulator

from .conftest import ACCOUNT, error_of

PROVIDER = f"arn:aws:iam::{ACCOUNT}:workload-identity-provider/payments"
ARN = f"arn:aws:iam::{ACCOUNT}:workload-identity-template/fleet"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
            "Action": "sts:IssueWorkloadIdentityContext",
            "Resource": "*",
        }
    ],
}


def _setup(iam: Any, **extra: Any) -> dict[str, Any]:
    iam.create_workload_identity_provider(ProviderName="payments", Scheme="NONE")
    params = {"Name": "fleet", "WorkloadIdentityProviderArn": PROVIDER, "PathPattern": "pods/{aws:ns}/{aws:sa}"}
    result: dict[str, Any] = iam.create_workload_identity_template(**{**params, **extra})
    return result


def test_create_answers_the_template_and_echoes_its_policy_H12(iam: Any) -> None:
    """§H.10: Create answers name, AWTA id, ACCOUNT scope, ARN, provider, pattern, and the policy it set."""
    created = _setup(iam, PathPrefix="prod/eu", AttestationPolicy=json.dumps(POLICY), Tags=[{"Key": "a", "Value": "1"}])
    assert (created["Name"], created["Arn"], created["ResourceScope"]) == ("fleet", ARN, "ACCOUNT")
    assert created["TemplateId"].startswith("AWTA")
    assert (created["WorkloadIdentityProviderArn"], created["PathPrefix"]) == (PROVIDER, "prod/eu")
    assert created["AttestationPolicy"] == POLICY
    assert created["Tags"] == [{"Key": "a", "Value": "1"}]


def test_get_omits_the_policy_and_list_filters_by_service_principal_H12(iam: Any) -> None:
    """§H.10: Get leaves the attestation policy out; List's filter keeps templates admitting the principal."""
    _setup(iam, AttestationPolicy=json.dumps(POLICY))
    iam.create_workload_identity_template(Name="other", WorkloadIdentityProviderArn=PROVIDER, PathPattern="x/{aws:id}")
    got = iam.get_workload_identity_template(WorkloadIdentityTemplateArn=ARN)
    assert "AttestationPolicy" not in got
    listed = iam.list_workload_identity_templates(WorkloadIdentityProviderArn=PROVIDER)["WorkloadIdentityTemplates"]
    assert [t["Name"] for t in listed] == ["fleet", "other"]
    only = iam.list_workload_identity_templates(
        WorkloadIdentityProviderArn=PROVIDER, Filter='service_principal="pods.eks.amazonaws.com"'
    )["WorkloadIdentityTemplates"]
    assert [t["Name"] for t in only] == ["fleet"]
    bad = error_of(iam.list_workload_identity_templates, WorkloadIdentityProviderArn=PROVIDER, Filter="name = x")
    assert bad["Code"] == "InvalidInput"


def test_invalid_inputs_are_refused_H12(iam: Any) -> None:
    """§H.10: missing direct-mode members, a pattern without a variable or with '..', a bad name, bad policy."""
    iam.create_workload_identity_provider(ProviderName="payments", Scheme="NONE")
    assert error_of(iam.create_workload_identity_template, Name="t", PathPattern="a/{b}")["Code"] == "InvalidInput"
    # The model's own pattern (a variable somewhere, no empty, "." or ".." segment) is checked first: ValidationError.
    for pattern in ("a/b/c", "a/../{b}", "a//{b}"):
        error = error_of(
            iam.create_workload_identity_template, Name="t", WorkloadIdentityProviderArn=PROVIDER, PathPattern=pattern
        )
        assert error["Code"] == "ValidationError", pattern
        assert "pathPattern" in error["Message"]
    name = error_of(
        iam.create_workload_identity_template, Name="a.b", WorkloadIdentityProviderArn=PROVIDER, PathPattern="a/{b}"
    )
    assert name["Code"] == "ValidationError"
    policy = error_of(
        iam.create_workload_identity_template,
        Name="t",
        WorkloadIdentityProviderArn=PROVIDER,
        PathPattern="a/{b}",
        AttestationPolicy='{"Version": "2012-10-17", "Statement": []',
    )
    assert policy["Code"] == "MalformedPolicyDocument"
    definition = error_of(
        iam.create_workload_identity_template, TemplateDefinition={"TemplateDefinitionArn": "arn:aws:iam::aws:x/y"}
    )
    assert definition["Code"] == "InvalidInput"
    assert iam.list_workload_identity_templates(WorkloadIdentityProviderArn=PROVIDER)["WorkloadIdentityTemplates"] == []


def test_missing_entities_are_no_such_entity_H12(iam: Any) -> None:
    """§H.10: a missing provider, template or attestation policy is NoSuchEntity; a taken name EntityAlreadyExists."""
    missing = error_of(
        iam.create_workload_identity_template, Name="t", WorkloadIdentityProviderArn=PROVIDER, PathPattern="a/{b}"
    )
    assert missing["Code"] == "NoSuchEntity"
    _setup(iam)
    assert (
        error_of(iam.get_workload_identity_template_attestation_policy, WorkloadIdentityTemplateArn=ARN)["Code"]
        == "NoSuchEntity"
    )
    again = error_of(
        iam.create_workload_identity_template, Name="fleet", WorkloadIdentityProviderArn=PROVIDER, PathPattern="a/{b}"
    )
    assert again["Code"] == "EntityAlreadyExists"
    deleted = iam.delete_workload_identity_template(WorkloadIdentityTemplateArn=ARN)
    assert (deleted["WorkloadIdentityTemplateArn"], deleted["Status"]) == (ARN, "SUCCEEDED")
    for call in (
        iam.get_workload_identity_template,
        iam.delete_workload_identity_template,
        iam.list_workload_identity_template_tags,
    ):
        assert error_of(call, WorkloadIdentityTemplateArn=ARN)["Code"] == "NoSuchEntity"


def test_attestation_policy_put_get_delete_H12(iam: Any) -> None:
    """§H.10: Put is an upsert, Get echoes the ARN with the policy, Delete leaves the template in place."""
    _setup(iam)
    iam.put_workload_identity_template_attestation_policy(
        WorkloadIdentityTemplateArn=ARN, AttestationPolicy=json.dumps(POLICY)
    )
    got = iam.get_workload_identity_template_attestation_policy(WorkloadIdentityTemplateArn=ARN)
    assert (got["WorkloadIdentityTemplateArn"], got["AttestationPolicy"]) == (ARN, POLICY)
    iam.delete_workload_identity_template_attestation_policy(WorkloadIdentityTemplateArn=ARN)
    assert (
        error_of(iam.delete_workload_identity_template_attestation_policy, WorkloadIdentityTemplateArn=ARN)["Code"]
        == "NoSuchEntity"
    )
    assert iam.get_workload_identity_template(WorkloadIdentityTemplateArn=ARN)["Arn"] == ARN


def test_tags_H12(iam: Any) -> None:
    """§H.10: Tag, Untag and List a template's tags."""
    _setup(iam)
    iam.tag_workload_identity_template(
        WorkloadIdentityTemplateArn=ARN, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    )
    iam.untag_workload_identity_template(WorkloadIdentityTemplateArn=ARN, TagKeys=["a"])
    assert iam.list_workload_identity_template_tags(WorkloadIdentityTemplateArn=ARN)["Tags"] == [
        {"Key": "b", "Value": "2"}
    ]


def test_templates_survive_a_snapshot_roundtrip_H12(sim: Simulator, iam: Any, clock: ManualClock) -> None:
    """§H.10: templates and their attestation policies are part of the world's snapshot."""
    created = _setup(iam, AttestationPolicy=json.dumps(POLICY))
    restored = Simulator.from_json(sim.to_json(), clock=clock)
    assert restored.to_json() == sim.to_json()
    template = restored.iam.get_workload_identity_template(ARN)
    assert (template.template_id, template.attestation_policy) == (created["TemplateId"], json.dumps(POLICY))
