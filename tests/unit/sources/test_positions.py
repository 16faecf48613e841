"""File positions by JSON pointer, and positions inside a policy kept as a JSON string (Terraform plans)."""

from __future__ import annotations

import json

from iamsim._sources.positions import file_positions


def test_yaml_members_are_located_at_their_keys_and_unknown_depths_at_the_nearest_ancestor() -> None:
    text = "Resources:\n  P:\n    Type: X\n    Properties:\n      Doc: !GetAtt A.Arn\n"
    positions = file_positions("t.yaml", text)
    assert positions is not None
    assert positions.locate("/Resources/P/Properties/Doc") == (5, 7)
    # !GetAtt's long form nests deeper than the file does: the nearest value the file holds answers.
    assert positions.locate("/Resources/P/Properties/Doc/Fn::GetAtt/0") == (5, 7)


def test_a_character_inside_an_escaped_string_maps_to_its_place_in_the_literal() -> None:
    policy = '{\n  "Sid": "caf\u00e9 \U0001f600",\n  "Action": "s3:GetObjekt"\n}'
    text = json.dumps({"values": {"policy": policy}}, ensure_ascii=True)
    positions = file_positions("plan.json", text)
    assert positions is not None
    line, column = positions.locate_in_string("/values/policy", 3, 13)
    assert line == 1
    assert text[column - 1 :].startswith('\\"s3:GetObjekt')


def test_a_file_that_does_not_parse_has_no_positions() -> None:
    assert file_positions("t.json", "{") is None
    assert file_positions("t.yaml", "a: [") is None
