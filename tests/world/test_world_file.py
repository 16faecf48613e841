"""World files: a whole world from YAML/JSON, and policy test suites that use one (§H, §F.4, §F.5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iamsim._engine.request import Principal
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim.errors import InvalidInputError
from iamsim.policytests import load_suite, run_suite

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policy-tests" / "world"
A = "111122223333"
B = "444455556666"


def allow(action: str, resource: str = "*") -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}


def trusting(principal: dict[str, Any]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
    }


def test_example_world_file_builds_the_world() -> None:
    """The example world: accounts, alias, policies, groups, users, roles, instance profile, organization."""
    sim = Simulator.from_world_file(EXAMPLES / "world.yaml")
    assert sim.accounts() == (A, B)
    assert sim.default_account == A
    assert sim.list_account_aliases() == ("company1",)
    assert [g.name for g in sim.list_groups_for_user("alice")] == ["Operators"]
    assert sim.get_user("bob").permissions_boundary == f"arn:aws:iam::{A}:policy/S3ReadOnlyBoundary"
    assert sim.list_attached_role_policies("S3AccessRole") == ("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",)
    assert sim.get_instance_profile("Company1-Logs-Role").roles == ("Company1-Logs-Role",)
    assert sim.get_user("alice").tags == (("team", "ops"),)
    org = sim.organization
    assert org is not None
    assert org.management_account == A
    assert org.accounts() == (A, B)
    instance = sim.run_instance(instance_profile="Company1-Logs-Role")
    creds = sim.instance_credentials(instance)
    assert sim.is_allowed(creds, "s3:GetObject", "arn:aws:s3:::company1-logs/app.log")


def test_roles_may_trust_each_other_in_any_order_a3() -> None:
    """§A.3: trust policies are bound once every role exists, so order in the file does not matter."""
    data = {
        "accounts": {
            A: {
                "roles": [
                    {"name": "First", "trust": trusting({"AWS": f"arn:aws:iam::{A}:role/Second"})},
                    {
                        "name": "Second",
                        "trust": trusting({"AWS": f"arn:aws:iam::{A}:role/First"}),
                        "inline": {"assume": allow("sts:AssumeRole")},
                    },
                ]
            }
        }
    }
    sim = Simulator.from_world(data)
    second = sim.get_role("Second")
    assert sim.get_role("First").trust_bindings[0].unique_id == second.role_id
    assert sim.is_allowed(
        Principal.from_arn(second.arn),
        "sts:AssumeRole",
        f"arn:aws:iam::{A}:role/First",
        resource_policy=core_of(sim).trust_policy(A, "First"),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"accounts": {}}, "accounts: must name at least one account"),
        ({"acounts": {A: {}}}, "world: unknown key(s) acounts"),
        ({"accounts": {A: {"users": [{"name": "a b"}]}}}, "Value 'a b' at 'userName'"),
        (
            {"accounts": {A: {"roles": [{"name": "R", "trust": trusting({"AWS": f"arn:aws:iam::{A}:user/ghost"})}]}}},
            f'accounts.{A}.roles[0] (R).trust: MalformedPolicyDocument: Invalid principal in policy: "AWS":'
            f'"arn:aws:iam::{A}:user/ghost"',
        ),
        ({"accounts": {A: {"roles": [{"name": "R"}]}}}, "roles[0] (R).trust: is required: the role's trust policy"),
        ({"accounts": {A: {"users": [{"name": "u", "policies": ["Nope"]}]}}}, "'Nope' is not an ARN nor a policy"),
        (
            {"accounts": {A: {"users": [{"name": "u", "policies": [f"arn:aws:iam::{A}:policy/Nope"]}]}}},
            "NoSuchEntity: Policy arn:aws:iam::111122223333:policy/Nope does not exist or is not attachable.",
        ),
        (
            {"accounts": {A: {"policies": [{"name": "p", "document": {"Statement": []}}]}}},
            "accounts.111122223333.policies[0] (p): MalformedPolicyDocument",
        ),
        ({"accounts": {"12": {}}}, "Account ID 12 is not a 12-digit account ID."),
        ({"accounts": {A: {"groups": [{"name": "g", "polices": []}]}}}, "unknown key(s) polices"),
        ({"accounts": {A: {"users": [{"name": "u", "groups": ["missing"]}]}}}, "The group with name missing"),
        (
            {"accounts": {A: {}}, "organization": {"scps": [{"name": "s", "document": allow("*"), "targets": ["X"]}]}},
            "'X' is not root, an OU of the file or an account of the organization",
        ),
        ({"accounts": {A: {}}, "default_account": B}, f"default_account: {B} is not under accounts:"),
        ({"accounts": {A: {"policies": [{"name": "p", "document": "missing.json"}]}}}, "missing.json: no such file"),
    ],
)
def test_world_file_errors_name_the_place(data: dict[str, Any], message: str) -> None:
    """Every problem is an InvalidInput naming the file, the place and (for AWS's checks) AWS's code and words."""
    with pytest.raises(InvalidInputError) as err:
        Simulator.from_world(data, origin="w.yaml")
    assert err.value.message.startswith("w.yaml: ")
    assert message in err.value.message


def test_world_quotas_apply_h3() -> None:
    """§H.3: a world file cannot exceed IAM's quotas either (here: 2 access keys are not in files, groups per user)."""
    groups = [{"name": f"g{n}"} for n in range(11)]
    data = {"accounts": {A: {"groups": groups, "users": [{"name": "u", "groups": [g["name"] for g in groups]}]}}}
    with pytest.raises(InvalidInputError, match="LimitExceeded: Cannot exceed quota for GroupsPerUser: 10"):
        Simulator.from_world(data)


def test_world_organization_levels_and_detached_full_access_f5(tmp_path: Path) -> None:
    """§F.5: OUs nest; SCPs and RCPs attach to root/OU/account; detach_full_access leaves a level without Allow."""
    world = {
        "accounts": {A: {}, B: {"users": [{"name": "dev", "inline": {"all": allow("*")}}]}},
        "organization": {
            "management_account": A,
            "units": [{"name": "Workloads"}, {"name": "Dev", "parent": "Workloads", "accounts": [B]}],
            "scps": [{"name": "OnlyS3", "document": allow("s3:*"), "targets": ["Dev"]}],
            "rcps": [
                {
                    "name": "NoDelete",
                    "document": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "*"}
                        ],
                    },
                    "targets": [B],
                }
            ],
            "detach_full_access": ["Dev"],
        },
    }
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world))
    sim = Simulator.from_world_file(path)
    org = sim.organization
    assert org is not None
    dev = Principal.from_arn(f"arn:aws:iam::{B}:user/dev")
    assert sim.is_allowed(dev, "s3:GetObject", "arn:aws:s3:::b/k")
    assert sim.explain(dev, "ec2:RunInstances").denied_by is not None
    assert not sim.is_allowed(dev, "ec2:RunInstances")
    assert not sim.is_allowed(dev, "s3:DeleteBucket", "arn:aws:s3:::b", resource_account=B)
    assert [ou.name for ou in org.organizational_units()] == ["Workloads", "Dev"]


def test_world_file_yaml_keeps_version_dates_as_text(tmp_path: Path) -> None:
    """YAML dates stay strings: an unquoted ``Version: 2012-10-17`` is the policy version IAM expects."""
    (tmp_path / "w.yaml").write_text(
        f"""accounts:
  {A}:
    policies:
      - name: p
        document:
          Version: 2012-10-17
          Statement: [{{Effect: Allow, Action: "s3:GetObject", Resource: "*"}}]
"""
    )
    sim = Simulator.from_world_file(tmp_path / "w.yaml")
    assert json.loads(sim.get_policy(f"arn:aws:iam::{A}:policy/p").versions[0].document)["Version"] == "2012-10-17"


# ----------------------------------------------------------------- world suites


def write_suite(tmp_path: Path, world: dict[str, Any], cases: list[dict[str, Any]], **extra: Any) -> Path:
    path = tmp_path / "suite.json"
    path.write_text(json.dumps({"world": world, "cases": cases, **extra}))
    return path


WORLD = {
    "accounts": {
        A: {
            "policies": [{"name": "AssumeApp", "document": allow("sts:AssumeRole", f"arn:aws:iam::{A}:role/App")}],
            "users": [{"name": "ops", "policies": ["AssumeApp"]}, {"name": "dev"}],
            "roles": [
                {
                    "name": "App",
                    "trust": trusting({"AWS": A}),
                    "inline": {"read": allow("s3:GetObject", "arn:aws:s3:::app/*")},
                }
            ],
        },
        B: {"users": [{"name": "partner", "inline": {"assume": allow("sts:AssumeRole")}}]},
    }
}


def test_world_suite_runs_every_case_through_the_world_f4(tmp_path: Path) -> None:
    """§F.4: same-account trust of the account needs the caller's identity Allow; cross-account needs both sides."""
    cases = [
        {"name": "role reads", "principal": f"arn:aws:iam::{A}:role/App", "action": "s3:GetObject",
         "resource": "arn:aws:s3:::app/k", "expect": "allowed"},
        {"name": "ops may assume", "principal": f"arn:aws:iam::{A}:user/ops", "action": "sts:AssumeRole",
         "resource": f"arn:aws:iam::{A}:role/App", "expect": "allowed"},
        {"name": "dev may not", "principal": f"arn:aws:iam::{A}:user/dev", "action": "sts:AssumeRole",
         "resource": f"arn:aws:iam::{A}:role/App", "expect": "implicitDeny"},
        {"name": "partner account not trusted", "principal": f"arn:aws:iam::{B}:user/partner",
         "action": "sts:AssumeRole", "resource": f"arn:aws:iam::{A}:role/App", "expect": "denied"},
        {"name": "outsider has nothing", "principal": "arn:aws:iam::999988887777:user/x", "action": "s3:GetObject",
         "resource": "arn:aws:s3:::app/k", "expect": "implicitDeny"},
    ]  # fmt: skip
    suite = load_suite(write_suite(tmp_path, WORLD, cases))
    assert suite.world is not None
    outcome = run_suite(suite)
    assert [(c.case.name, c.passed) for c in outcome.cases] == [(c["name"], True) for c in cases]
    explained = outcome.cases[1].requests[0].result
    assert explained.explanation is not None  # cases carry full explanations, like policies: suites


def test_world_suite_failure_is_reported(tmp_path: Path) -> None:
    """A world suite whose expectation is wrong fails with the decision it got."""
    cases = [{"principal": f"arn:aws:iam::{A}:user/dev", "action": "s3:GetObject", "expect": "allowed"}]
    outcome = run_suite(load_suite(write_suite(tmp_path, WORLD, cases)))
    assert not outcome.passed
    assert outcome.cases[0].requests[0].result.decision.value == "implicitDeny"


def test_world_suite_principal_must_exist_in_the_world(tmp_path: Path) -> None:
    """A user or role ARN of a world account that the world does not hold is an error at load time."""
    cases = [{"name": "typo", "principal": f"arn:aws:iam::{A}:user/opps", "action": "s3:GetObject", "expect": "denied"}]
    with pytest.raises(InvalidInputError) as err:
        load_suite(write_suite(tmp_path, WORLD, cases))
    assert err.value.message.endswith(
        f"cases[0] (typo): principal arn:aws:iam::{A}:user/opps is not a user of account {A} in the world"
    )


def test_world_suite_with_policies_too_is_rejected(tmp_path: Path) -> None:
    """A suite gives policies: or world:, not both."""
    cases = [{"principal": f"arn:aws:iam::{A}:user/ops", "action": "s3:GetObject", "expect": "denied"}]
    with pytest.raises(InvalidInputError, match="give policies: or world:, not both"):
        load_suite(write_suite(tmp_path, WORLD, cases, policies={"identity": []}))


def test_world_suite_names_a_world_file(tmp_path: Path) -> None:
    """``world: FILE`` is relative to the suite; a missing file is an error naming it."""
    (tmp_path / "w.json").write_text(json.dumps(WORLD))
    suite_path = tmp_path / "suite.yaml"
    suite_path.write_text(
        f"world: w.json\ncases: [{{principal: 'arn:aws:iam::{A}:role/App', action: s3:GetObject,"
        " resource: 'arn:aws:s3:::app/k', expect: allowed}]\n"
    )
    assert run_suite(load_suite(suite_path)).passed
    suite_path.write_text(suite_path.read_text().replace("w.json", "nope.json"))
    with pytest.raises(InvalidInputError, match=r"nope\.json: no such file"):
        load_suite(suite_path)


def test_example_world_suite_passes() -> None:
    """The example suite under examples/policy-tests/world/ passes."""
    outcome = run_suite(load_suite(EXAMPLES / "company1-world.yaml"))
    assert outcome.passed, [c.case.name for c in outcome.failed]
    assert len(outcome.cases) == 11
