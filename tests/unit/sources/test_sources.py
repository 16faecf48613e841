"""Reading policies from files, CloudFormation templates and Terraform plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iamsim._bundle import is_trust_action
from iamsim._policy.model import Effect, PolicyKind
from iamsim._sources import (
    PolicyBundle,
    load_cloudformation,
    load_policies_section,
    load_policy_file,
    load_target,
    load_terraform_plan,
    read_data,
)
from iamsim.errors import InvalidInputError

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "policy-tests"


def test_yaml_reader_keeps_policy_version_a_string_and_reads_short_tags(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "Version: 2012-10-17\nA: !Sub 'x-${AWS::Region}'\nB: !GetAtt Role.Arn\nC: !Ref X\n"
    )
    assert read_data(tmp_path / "t.yaml") == {
        "Version": "2012-10-17",
        "A": {"Fn::Sub": "x-${AWS::Region}"},
        "B": {"Fn::GetAtt": ["Role", "Arn"]},
        "C": {"Ref": "X"},
    }


def test_json_error_names_file_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text('{\n  "a": }')
    with pytest.raises(InvalidInputError, match=r"p.json: invalid JSON at line 2, column 8"):
        read_data(tmp_path / "p.json")


def test_policy_file_is_named_after_its_stem(tmp_path: Path) -> None:
    (tmp_path / "read-logs.json").write_text(
        json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    )
    policy = load_policy_file(tmp_path / "read-logs.json")
    assert policy.name == "read-logs"
    assert policy.kind is PolicyKind.IDENTITY


def test_trust_actions_follow_spec_a4() -> None:
    """§A.4: a trust policy governs the sts:AssumeRole* family and session tagging."""
    assert is_trust_action("sts:AssumeRole")
    assert is_trust_action("STS:AssumeRoleWithWebIdentity")
    assert is_trust_action("sts:TagSession")
    assert not is_trust_action("sts:GetCallerIdentity")
    assert not is_trust_action("s3:GetObject")


def test_assume_role_requests_leave_the_roles_own_policies_out() -> None:
    """§F.4: the role's identity policies and boundary are not the caller's."""
    bundle = load_cloudformation(EXAMPLES / "cloudformation" / "template.yaml").role("LogsRole")
    assume = bundle.policy_set_for("sts:AssumeRole")
    assert assume.identity == ()
    assert assume.boundary is None
    assert assume.resource is bundle.trust
    read = bundle.policy_set_for("s3:GetObject")
    assert read.identity == bundle.identity
    assert read.resource is None


def test_cloudformation_role_collects_every_attached_policy() -> None:
    template = load_cloudformation(EXAMPLES / "cloudformation" / "template.yaml", account="111122223333")
    bundle = template.role("Company1-Logs-Role")
    names = [p.name for p in bundle.identity]
    assert names == ["read-logs", "CloudWatchAgentServerPolicy", "ProtectLogs"]
    inline = bundle.identity[0].statements[0]
    assert inline.resource == ("arn:aws:s3:::company1-logs", "arn:aws:s3:::company1-logs/*")
    assert inline.conditions[0].values == ("111122223333",)
    assert bundle.identity[2].statements[0].effect is Effect.DENY
    assert bundle.boundary is not None
    assert bundle.boundary.kind is PolicyKind.BOUNDARY
    assert bundle.trust is not None
    assert bundle.trust.kind is PolicyKind.TRUST


def test_cloudformation_unresolvable_function_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n"
        "        Statement: !ImportValue shared-trust\n"
    )
    with pytest.raises(InvalidInputError, match=r"R.AssumeRolePolicyDocument: cannot resolve Fn::ImportValue"):
        load_cloudformation(tmp_path / "t.yaml").role("R")


def test_cloudformation_unknown_role_lists_the_known_ones() -> None:
    template = load_cloudformation(EXAMPLES / "cloudformation" / "template.yaml")
    with pytest.raises(InvalidInputError, match=r"no AWS::IAM::Role named 'Nope' \(found: LogsRole\)"):
        template.role("Nope")


def test_terraform_follows_unknown_policy_arn_to_the_planned_policy() -> None:
    bundle = load_terraform_plan(EXAMPLES / "terraform" / "plan.json").role("logs")
    assert sorted(p.name for p in bundle.identity) == [
        "CloudWatchAgentServerPolicy",
        "company1-logs-read",
        "no-public-acl",
    ]
    assert bundle.trust is not None


def test_terraform_plan_without_planned_values_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text("{}")
    with pytest.raises(InvalidInputError, match="not a Terraform plan"):
        load_terraform_plan(tmp_path / "state.json")


def test_section_rejects_unknown_keys(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="unknown key"):
        load_policies_section({"identiy": ["a.json"]}, tmp_path)


def test_section_levels_and_managed_arns(tmp_path: Path) -> None:
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    (tmp_path / "all.json").write_text(json.dumps(doc))
    bundle = load_policies_section(
        {"identity": ["arn:aws:iam::aws:policy/ReadOnlyAccess"], "scp": ["all.json", ["all.json", "all.json"]]},
        tmp_path,
    )
    assert [len(level) for level in bundle.scp_levels] == [1, 2]
    assert bundle.scp_levels[1][0].kind is PolicyKind.SCP
    assert bundle.identity[0].name == "ReadOnlyAccess"


def test_merge_refuses_two_trust_policies() -> None:
    trust = load_cloudformation(EXAMPLES / "cloudformation" / "template.yaml").role("LogsRole")
    with pytest.raises(InvalidInputError, match="more than one trust policy"):
        trust.merge(trust)
    assert PolicyBundle().is_empty


def test_target_template_needs_a_role() -> None:
    with pytest.raises(InvalidInputError, match="needs --role"):
        load_target(EXAMPLES / "cloudformation" / "template.yaml")
    assert load_target(EXAMPLES / "terraform" / "plan.json", role="Company1-Logs-Role").trust is not None
