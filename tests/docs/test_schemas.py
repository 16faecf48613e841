"""The published JSON Schemas (docs/schemas/) are current, and what they describe conforms to them.

If the staleness test fails, run: .venv/bin/python scripts/gen_schemas.py

Every command's ``--format json`` output is checked against its schema
(``cli-*.schema.json``). Each output is checked twice: against the checked-in JSON Schema (with the
small checker in ``schema_subset``), and against the pydantic model the
schema is generated from, which must give back exactly what was printed (so
no key is printed that the model does not describe).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel, TypeAdapter

from iamsim._sources.documents import read_data
from iamsim.cli import cli
from iamsim.cli.payloads import COMMAND_PAYLOADS

from .schema_subset import problems

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "policy-tests"
SCHEMAS = ROOT / "docs" / "schemas"
ROLE = "arn:aws:iam::111122223333:role/Company1-Logs-Role"
READ = EXAMPLES / "policies" / "company1-logs-read.json"
TEMPLATE = EXAMPLES / "cloudformation" / "template.yaml"
TRUST = ["--resource-type", "AWS::IAM::AssumeRolePolicyDocument"]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_schemas", ROOT / "scripts" / "gen_schemas.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checked_in_schemas_match_the_models() -> None:
    """If this fails, run: .venv/bin/python scripts/gen_schemas.py"""
    rendered = _generator().render()
    assert sorted(p.name for p in SCHEMAS.glob("*.schema.json")) == sorted(rendered)
    for name, text in rendered.items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == text, f"docs/schemas/{name} is stale"


def _widened(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the example policy that also allows s3:PutObject, and the example suite pointing at it."""
    policies = tmp_path / "policies"
    shutil.copytree(EXAMPLES / "policies", policies)
    text = READ.read_text().replace('"Action": "s3:GetObject"', '"Action": ["s3:GetObject", "s3:PutObject"]')
    (policies / "company1-logs-read.json").write_text(text)
    suite = tmp_path / "company1-logs-role.yaml"
    shutil.copy(EXAMPLES / "company1-logs-role.yaml", suite)
    return policies / "company1-logs-read.json", suite


def _runs(tmp_path: Path) -> list[tuple[str, list[str]]]:
    widened, failing_suite = _widened(tmp_path)
    request = ["--principal", ROLE, "--action", "s3:GetObject", "--action", "s3:PutObject"]
    request += ["--resource", "arn:aws:s3:::company1-logs/app.log"]
    return [
        ("evaluate", ["evaluate", "--identity", str(READ), *request]),
        ("evaluate", ["explain", "--identity", str(READ), *request[:4], *request[6:]]),
        ("evaluate", ["evaluate", "--identity", str(READ), "--explain", *request]),
        ("test", ["test", str(EXAMPLES)]),
        ("test", ["test", str(failing_suite)]),
        ("diff", ["diff", str(READ), str(widened), "--cases", str(EXAMPLES / "company1-logs-role.yaml")]),
        ("diff", ["diff", str(READ), str(widened), "--cases", str(EXAMPLES / "company1-logs-role.yaml"), "--all"]),
        ("validate", ["validate", str(EXAMPLES)]),
        ("validate", ["validate", str(READ)]),
        ("check", ["check", "no-new-access", str(READ), str(widened)]),
        ("check", ["check", "no-new-access", str(widened), str(READ)]),
        (
            "check",
            ["check", "access-not-granted", str(TEMPLATE), "--role", "Company1-Logs-Role", "--action", "s3:Get*"],
        ),
        ("check", ["check", "no-public-access", str(EXAMPLES / "policies" / "trust-policy-ec2.json"), *TRUST]),
        ("walkthrough", ["walkthrough"]),
        ("walkthrough", ["walkthrough", "--scenario", "company1-logs", "--variation", "untrusted-caller"]),
    ]


def _dumped(model: type[BaseModel] | TypeAdapter[Any], data: Any) -> Any:
    if isinstance(model, TypeAdapter):
        return model.dump_python(model.validate_python(data, strict=False), mode="json")
    return model.model_validate(data).model_dump(mode="json", by_alias=True, exclude_unset=True)


def test_every_command_with_json_output_has_a_schema() -> None:
    """The payload registry and the published files name the same commands."""
    published = {p.name.removeprefix("cli-").removesuffix(".schema.json") for p in SCHEMAS.glob("cli-*.schema.json")}
    assert published == set(COMMAND_PAYLOADS)


def test_json_output_of_every_command_conforms_to_its_schema(tmp_path: Path) -> None:
    """evaluate/explain, test (passing and failing), diff (with and without --all), validate, walkthrough."""
    runner = CliRunner()
    seen: set[str] = set()
    for schema_name, arguments in _runs(tmp_path):
        result = runner.invoke(cli, [*arguments, "--format", "json"])
        assert result.exit_code in (0, 2), (arguments, result.output, result.stderr)
        data = json.loads(result.stdout)
        schema = json.loads((SCHEMAS / f"cli-{schema_name}.schema.json").read_text(encoding="utf-8"))
        assert problems(data, schema, schema) == [], arguments
        assert _dumped(COMMAND_PAYLOADS[schema_name], data) == data, arguments
        seen.add(schema_name)
    assert seen == set(COMMAND_PAYLOADS)


def test_an_unknown_check_conforms_to_its_schema(tmp_path: Path) -> None:
    """``check``'s UNKNOWN (exit 4) carries its reason and no witnesses, as the schema says."""
    variable = tmp_path / "variable.json"
    # Narrower than READ (no named request refutes it) and a variable beside '?' (not encoded): UNKNOWN.
    resource = "arn:aws:s3:::company1-logs/${aws:username}/?"
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}
    variable.write_text(json.dumps({"Version": "2012-10-17", "Statement": [statement]}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "no-new-access", str(READ), str(variable), "--format", "json"])
    assert result.exit_code == 4, result.output
    data = json.loads(result.stdout)
    assert data["result"] == "UNKNOWN"
    assert data["reason"]
    schema = json.loads((SCHEMAS / "cli-check.schema.json").read_text(encoding="utf-8"))
    assert problems(data, schema, schema) == []
    assert _dumped(COMMAND_PAYLOADS["check"], data) == data


def test_a_drifted_payload_is_caught() -> None:
    """The checks above can fail: an extra key and a wrong decision are both reported."""
    world = json.loads((SCHEMAS / "world.schema.json").read_text(encoding="utf-8"))
    assert problems({"accounts": {"12345": {}}}, world, world) == [
        "$.accounts: has '12345', which the schema does not list"
    ]
    schema = json.loads((SCHEMAS / "cli-evaluate.schema.json").read_text(encoding="utf-8"))
    data = {"principal": None, "results": [], "summary": {"allowed": 0, "denied": 0, "maybe": 1}}
    assert problems(data, schema, schema) == ["$.summary: has 'maybe', which the schema does not list"]
    result = {"decision": "permitted"}
    assert any("permitted" in p for p in problems(result, schema["$defs"]["ResultOut"], schema))


@pytest.mark.parametrize("name", ["world", "suite"])
def test_docs_examples_conform_to_the_file_schemas(name: str) -> None:
    """The repository's example world file and suites conform to the published file schemas."""
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    files = [EXAMPLES / "world" / "world.yaml"] if name == "world" else sorted(EXAMPLES.rglob("*.yaml"))
    checked = 0
    for file in files:
        data = read_data(file)
        if name == "suite" and not (isinstance(data, dict) and "cases" in data):
            continue
        assert problems(data, schema, schema) == [], file
        checked += 1
    assert checked


def test_example_files_name_schemas_that_exist() -> None:
    """Every ``# yaml-language-server: $schema=`` line of the examples points at a published schema file."""
    named = 0
    for file in sorted(EXAMPLES.rglob("*.yaml")):
        first = file.read_text(encoding="utf-8").splitlines()[0]
        if first.startswith("# yaml-language-server: $schema="):
            target = (file.parent / first.split("=", 1)[1]).resolve()
            assert target.is_file(), file
            assert target.parent == SCHEMAS, file
            named += 1
    assert named >= 6
