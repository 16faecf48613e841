"""The suite format as a model: what it accepts (``policies: caller:``), and where its errors point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest

from iamsim._formats.suite import EXPECTATIONS, CaseSpec
from iamsim._sources.selectors import SECTION_KEYS, load_target
from iamsim.errors import InvalidInputError
from iamsim.policytests import Expectation, load_suite, run_suite

A = "111122223333"
ROLE = f"arn:aws:iam::{A}:role/Target"
TRUST_ACCOUNT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}],
}
MAY_ASSUME = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ROLE}],
}


def _suite(tmp_path: Path, policies: str, expect: str) -> Path:
    (tmp_path / "trust.json").write_text(json.dumps(TRUST_ACCOUNT))
    (tmp_path / "assumer.json").write_text(json.dumps(MAY_ASSUME))
    path = tmp_path / "suite.yaml"
    path.write_text(
        f"policies:\n{policies}cases:\n"
        f"  - name: a user of the account assumes the role\n"
        f"    principal: arn:aws:iam::{A}:user/alice\n"
        f"    action: sts:AssumeRole\n"
        f"    resource: {ROLE}\n"
        f"    expect: {expect}\n"
    )
    return path


def test_caller_policies_let_a_same_account_user_assume_a_role_trusting_the_account(tmp_path: Path) -> None:
    """§F.4 (a trust policy naming the account delegates to the caller's identity policies) with docs' ``caller:``.

    docs/dry-run.md documents ``policies: caller:``; the loader refused it (issue 15). AWS:
    IAM UG id_roles_compare-resource-policies.html: trusting the account needs the caller's own permission.
    """
    suite = _suite(tmp_path, "  trust: trust.json\n  caller: [assumer.json]\n", "allowed")
    assert run_suite(load_suite(suite)).passed


def test_without_caller_policies_the_same_request_is_implicitly_denied(tmp_path: Path) -> None:
    """§F.4: the same suite without ``caller:`` gives the caller no identity permission, so the request fails."""
    suite = _suite(tmp_path, "  trust: trust.json\n", "implicitDeny")
    assert run_suite(load_suite(suite)).passed


def test_caller_is_read_by_the_cli_path_loader_too(tmp_path: Path) -> None:
    """``iamsim diff``/``evaluate`` read a suite's section through load_target: ``caller:`` is kept."""
    bundle = load_target(_suite(tmp_path, "  trust: trust.json\n  caller: assumer.json\n", "allowed"))
    assert [p.name for p in bundle.caller_identity] == ["assumer"]
    assert "caller" in SECTION_KEYS


def test_the_models_expectations_are_the_runners() -> None:
    """The model lists exactly the values :class:`Expectation` knows, in any order."""
    assert set(EXPECTATIONS) == {e.value for e in Expectation}
    literal = get_args(CaseSpec.model_fields["expect"].annotation)[0]
    assert set(get_args(get_args(literal)[0])) == set(EXPECTATIONS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "policies:\n  identity: [p.json]\n  tust: t.json\ncases: [{principal: '1', action: s3:A}]\n",
            "suite.yaml: policies (line 3): unknown key(s) tust; expected some of account, boundary, caller,",
        ),
        (
            "policies: {identity: [p.json]}\ncases:\n  - name: ok\n    principal: x\n    action: s3:A\n"
            "    expect: allowed\n  - name: second\n    principal: x\n"
            "    action: [s3:A, GetObject]\n    expect: allowed\n",
            "suite.yaml: cases[1] (second).action (line 9): action 'GetObject' is not of the form service:ActionName",
        ),
        (
            "policies: {identity: [p.json]}\ncases:\n  - name: no principal\n    action: s3:A\n    expect: allowed\n",
            "suite.yaml: cases[0] (no principal).principal (line 3): is required: who asks",
        ),
        (
            "policies: {identity: [p.json]}\ncases:\n  - principal: x\n    action: s3:A\n    actions: s3:B\n",
            "suite.yaml: cases[0] (line 3): give action: or actions:, not both",
        ),
        (
            "policies: {identity: [p.json]}\ncases:\n  - principal: x\n    action: s3:A\n    context: [a]\n",
            "suite.yaml: cases[0].context (line 5): must be a mapping of condition keys to values, not a list",
        ),
    ],
)
def test_suite_errors_name_the_key_path_and_the_yaml_line(tmp_path: Path, text: str, message: str) -> None:
    """A hand-written suite's mistake is named by key path, case name and line, in the file's words."""
    path = tmp_path / "suite.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInputError) as caught:
        load_suite(path)
    assert caught.value.message.startswith(str(tmp_path) + "/")
    assert message in caught.value.message


def test_json_suites_name_the_key_path_without_a_line(tmp_path: Path) -> None:
    """JSON carries no lines once decoded: the key path alone names the place."""
    path = tmp_path / "suite.json"
    path.write_text(
        json.dumps({"policies": {"identity": "p.json"}, "cases": [{"principal": "x", "action": ["s3:A", 5.5]}]})
    )
    with pytest.raises(
        InvalidInputError, match=r"suite\.json: cases\[0\]\.action\[1\]: must be a non-empty string, not a number$"
    ):
        load_suite(path)


def test_key_constants_are_the_models_keys() -> None:
    """SUITE_KEYS, SECTION_KEYS and WORLD_KEYS (kept so importing them does not load pydantic) match the models."""
    from iamsim._formats.suite import PoliciesSection, SuiteFile
    from iamsim._formats.world import WorldFile
    from iamsim._simulator.world_file import WORLD_KEYS
    from iamsim.policytests.loader import SUITE_KEYS

    assert set(SuiteFile.model_fields) == SUITE_KEYS
    assert set(PoliciesSection.model_fields) == SECTION_KEYS
    assert set(WorldFile.model_fields) == WORLD_KEYS
