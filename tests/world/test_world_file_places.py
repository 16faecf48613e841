"""World files written by hand: each mistake is named by key path, entity name and (YAML) line (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamsim import Simulator
from iamsim.errors import InvalidInputError
from iamsim.policytests import load_suite

WORLD = """\
accounts:
  "111122223333":
    users:
      - name: alice
        tags: {team: blue}
    roles:
      - name: App
        trust: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
        max_session_duration: 7200
"""  # noqa: E501


def _load(tmp_path: Path, text: str) -> str:
    path = tmp_path / "w.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInputError) as caught:
        Simulator.from_world_file(path)
    return caught.value.message.removeprefix(f"{path}: ")


def test_the_undamaged_yaml_world_loads(tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text(WORLD)
    assert Simulator.from_world_file(tmp_path / "w.yaml").get_role("App").max_session_duration == 7200


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "max_session_duration: 7200",
            "max_session_duration: long",
            "accounts.111122223333.roles[0] (App).max_session_duration (line 9): "
            "must be a whole number of seconds, not a string",
        ),
        (
            "        max_session_duration: 7200\n",
            "        max_session_duration: 7200\n        polices: []\n",
            "accounts.111122223333.roles[0] (App) (line 10): unknown key(s) polices; expected some of boundary,",
        ),
        (
            "        tags: {team: blue}\n",
            "        tags: {team: [blue]}\n",
            "accounts.111122223333.users[0] (alice).tags.team (line 5): a tag value must be a string, not a list",
        ),
        (
            '  "111122223333":',
            '  "11112222333":',
            "accounts.11112222333 (line 2): Account ID 11112222333 is not a 12-digit account ID.",
        ),
    ],
)
def test_yaml_world_errors_name_key_path_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    """Shape errors (§H: what the file must hold) name the place and its line, in the file's words."""
    assert old in WORLD
    assert _load(tmp_path, WORLD.replace(old, new)).startswith(message)


def test_aws_errors_while_building_name_the_line_too(tmp_path: Path) -> None:
    """§H.2: a name IAM refuses gets AWS's code and words, at the entity's place and line."""
    message = _load(tmp_path, WORLD.replace("name: alice", "name: a b"))
    assert message.startswith("accounts.111122223333.users[0] (a b) (line 4): ValidationError: ")


def test_several_problems_are_counted_after_the_first(tmp_path: Path) -> None:
    """One error is reported, and the count of the others says there is more to fix."""
    text = WORLD.replace("7200", "long").replace("{team: blue}", "{team: [blue]}")
    assert _load(tmp_path, text).endswith("(and 1 more problem)")


def test_a_suites_inline_world_is_named_inside_the_suite(tmp_path: Path) -> None:
    """An inline ``world:`` is checked with the suite: its places start at ``world.`` with the suite's lines."""
    inline = "\n".join("  " + line for line in WORLD.replace("7200", "long").splitlines())
    (tmp_path / "s.yaml").write_text(
        f"world:\n{inline}\ncases: [{{principal: '111122223333', action: s3:GetObject, expect: denied}}]\n"
    )
    with pytest.raises(InvalidInputError) as caught:
        load_suite(tmp_path / "s.yaml")
    assert caught.value.message.endswith(
        "s.yaml: world.accounts.111122223333.roles[0] (App).max_session_duration (line 10): "
        "must be a whole number of seconds, not a string"
    )


def test_import_iamsim_does_not_load_pydantic() -> None:
    """docs/architecture.md: pydantic is loaded when a file is checked, so ``import iamsim`` does not pay for it."""
    import subprocess
    import sys

    code = "import sys, iamsim, iamsim.cli; print('pydantic' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
