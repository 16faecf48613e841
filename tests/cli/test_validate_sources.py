"""``iamsim validate`` on CloudFormation templates and Terraform plans (issue 15's dry-run defects).

Resource policies in templates and plans are linted like the same JSON alone
(§A.3: ``Principal: "*"`` is everyone; IAM Access Analyzer policy validation,
https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-validation.html);
one intrinsic the tool cannot resolve is a finding at its place, not a refusal
of the template; findings carry the line and column in the template or plan;
SARIF names plain file URIs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iamsim.cli import cli

PUBLIC_WRITE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}],
}
TYPO = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}

TEMPLATE = """\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: company1-public
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: s3:PutObject
            Resource: !Sub 'arn:aws:s3:::${Bucket}/*'
  Stream:
    Type: AWS::Kinesis::Stream
  Reader:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: kinesis:GetRecords
                Resource: !GetAtt Stream.StreamArn
        - PolicyName: typo
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: s3:GetObjekt
                Resource: '*'
"""


def _findings(runner: CliRunner, path: Path, *extra: str) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(cli, ["validate", str(path), "--format", "json", *extra])
    assert result.exit_code in (0, 2), (result.output, result.stderr)
    out = json.loads(result.stdout)
    return result.exit_code, [
        {"place": policy["place"], "file": policy["file"], **finding}
        for policy in out["policies"]
        for finding in policy["findings"]
    ]


def _line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("resource_type", "prop"),
    [
        ("AWS::S3::BucketPolicy", "PolicyDocument"),
        ("AWS::SQS::QueuePolicy", "PolicyDocument"),
        ("AWS::SNS::TopicPolicy", "PolicyDocument"),
        ("AWS::KMS::Key", "KeyPolicy"),
    ],
)
def test_template_resource_policies_get_the_public_access_warning_of_the_same_json_alone(
    runner: CliRunner, tmp_path: Path, resource_type: str, prop: str
) -> None:
    """§A.3: a public resource policy in a template warns as it does alone (it used to pass as "0 policies")."""
    template = {"Resources": {"Thing": {"Type": resource_type, "Properties": {prop: PUBLIC_WRITE}}}}
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2))
    (tmp_path / "alone.json").write_text(json.dumps(PUBLIC_WRITE))
    code, found = _findings(runner, tmp_path / "t.json", "--fail-on", "security_warning")
    _, alone = _findings(runner, tmp_path / "alone.json")
    assert code == 2
    assert [f["code"] for f in found] == [f["code"] for f in alone]
    assert "PUBLIC_ACCESS" in [f["code"] for f in found]
    assert {f["place"] for f in found} == {f"Thing.{prop}"}


def test_template_findings_have_yaml_lines_and_columns_and_one_unresolved_getatt_is_a_finding(
    runner: CliRunner, tmp_path: Path
) -> None:
    """An unresolvable !GetAtt no longer refuses the template: UNRESOLVED_VALUE at its place; the rest is linted."""
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE)
    code, found = _findings(runner, path)
    assert code == 2  # the typo is an ERROR
    by_code = {f["code"]: f for f in found}
    assert set(by_code) == {"PUBLIC_ACCESS", "UNRESOLVED_VALUE", "UNKNOWN_ACTION"}
    assert (by_code["PUBLIC_ACCESS"]["line"], by_code["PUBLIC_ACCESS"]["column"]) == (14, 13)
    unresolved = by_code["UNRESOLVED_VALUE"]
    assert unresolved["line"] == _line_of(TEMPLATE, "!GetAtt Stream.StreamArn")
    assert unresolved["place"] == "Reader.Policies[0].PolicyDocument"
    assert unresolved["pointer"] == "/Statement/0/Resource"
    assert "Fn::GetAtt Stream.StreamArn" in str(unresolved["message"])
    assert by_code["UNKNOWN_ACTION"]["line"] == _line_of(TEMPLATE, "s3:GetObjekt")


def test_template_findings_in_a_json_template_point_at_the_value(runner: CliRunner, tmp_path: Path) -> None:
    template = {"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": TYPO}}}}
    text = json.dumps(template, indent=2)
    (tmp_path / "t.json").write_text(text)
    _, found = _findings(runner, tmp_path / "t.json")
    (finding,) = found
    line = _line_of(text, "s3:GetObjekt")
    assert (finding["line"], finding["column"]) == (line, text.splitlines()[line - 1].index('"s3:GetObjekt"') + 1)


def test_text_output_leads_with_file_line_and_column(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE)
    result = runner.invoke(cli, ["validate", str(path)])
    typo = next(line for line in result.stdout.splitlines() if "UNKNOWN_ACTION" in line)
    assert typo.startswith(f"{path}:{_line_of(TEMPLATE, 's3:GetObjekt')}:17: ERROR UNKNOWN_ACTION")
    assert typo.endswith("(at /Statement/0/Action in Reader.Policies[1].PolicyDocument)")


def _plan(tmp_path: Path) -> tuple[Path, str]:
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_s3_bucket_policy.public",
                        "mode": "managed",
                        "type": "aws_s3_bucket_policy",
                        "name": "public",
                        "values": {"bucket": "b", "policy": json.dumps(PUBLIC_WRITE)},
                    },
                    {
                        "address": "aws_iam_policy.typo",
                        "mode": "managed",
                        "type": "aws_iam_policy",
                        "name": "typo",
                        "values": {"name": "typo", "policy": json.dumps(TYPO, indent=2)},
                    },
                ]
            }
        },
    }
    text = json.dumps(plan, indent=2)
    (tmp_path / "plan.json").write_text(text)
    return tmp_path / "plan.json", text


def test_plan_resource_policies_are_linted_and_findings_point_into_the_plan_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A plan's findings name the plan's line and the column of the offending value inside the policy string."""
    path, text = _plan(tmp_path)
    _, found = _findings(runner, path)
    by_code = {f["code"]: f for f in found}
    assert by_code["PUBLIC_ACCESS"]["place"] == "aws_s3_bucket_policy.public.policy"
    assert by_code["UNKNOWN_ACTION"]["place"] == "aws_iam_policy.typo.policy"
    lines = text.splitlines()
    for code, needle in (("PUBLIC_ACCESS", '\\"*\\"'), ("UNKNOWN_ACTION", '\\"s3:GetObjekt\\"')):
        finding = by_code[code]
        line = lines[int(str(finding["line"])) - 1]
        column = int(str(finding["column"]))
        assert line[column - 1 :].startswith(needle), (code, line, column)


def test_sarif_uris_carry_no_fragment_and_the_place_is_a_logical_location(runner: CliRunner, tmp_path: Path) -> None:
    """SARIF 2.1.0 §3.10: artifactLocation.uri names the file; the policy's place goes to logicalLocations."""
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE)
    result = runner.invoke(cli, ["validate", str(path), "--format", "sarif"])
    run = json.loads(result.stdout)["runs"][0]
    assert [a["location"]["uri"] for a in run["artifacts"]] == [str(path)]
    for sarif_result in run["results"]:
        (location,) = sarif_result["locations"]
        assert "#" not in location["physicalLocation"]["artifactLocation"]["uri"]
        assert location["physicalLocation"]["region"]["startLine"] >= 1
        assert location["logicalLocations"][0]["kind"] == "resource"
    places = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in run["results"]}
    assert places == {
        "BucketPolicy.PolicyDocument",
        "Reader.Policies[0].PolicyDocument",
        "Reader.Policies[1].PolicyDocument",
    }
