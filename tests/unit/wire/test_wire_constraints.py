"""Model constraints and AWS's ValidationError wording (§G.1, §H.2)."""

from __future__ import annotations

import pytest
from wire_shapes import serialize_query, service_model

from iamsim._wire.patterns import matches_model_pattern
from iamsim._wire.query import decode_query_request
from iamsim.errors import ValidationError

ROLE_ARN = "arn:aws:iam::123456789012:role/demo"


def _message(service: str, body: bytes | str) -> str:
    with pytest.raises(ValidationError) as caught:
        decode_query_request(service_model(service), body)
    assert caught.value.code == "ValidationError"
    assert caught.value.status == 400
    return caught.value.message


def _assume_role(**params: object) -> bytes:
    return serialize_query("sts", "AssumeRole", {"RoleArn": ROLE_ARN, **params}, validate=False)


def test_g1_role_session_name_pattern_message_is_awss() -> None:
    """§G.1 (observed): a session name with ':' fails the pattern with AWS's exact sentence."""
    assert _message("sts", _assume_role(RoleSessionName="a:b")) == (
        "1 validation error detected: Value 'a:b' at 'roleSessionName' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w+=,.@-]*"
    )


def test_g1_role_session_name_too_long() -> None:
    """§G.1 (observed): 65 characters give 'Member must have length less than or equal to 64'."""
    name = "a" * 65
    assert _message("sts", _assume_role(RoleSessionName=name)) == (
        f"1 validation error detected: Value '{name}' at 'roleSessionName' failed to satisfy constraint: "
        "Member must have length less than or equal to 64"
    )


def test_g1_every_violation_is_listed_in_member_order() -> None:
    """§G.1: all violations are reported at once, counted, and joined by '; '."""
    body = _assume_role(RoleSessionName="a", DurationSeconds=60, ExternalId="x y")
    assert _message("sts", body) == (
        "3 validation errors detected: "
        "Value 'a' at 'roleSessionName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 2; "
        "Value '60' at 'durationSeconds' failed to satisfy constraint: "
        "Member must have value greater than or equal to 900; "
        "Value 'x y' at 'externalId' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w+=,.@:\/-]*"
    )


def test_g1_one_value_can_break_two_constraints() -> None:
    """§G.1: a one-character name with a space breaks both the length and the pattern."""
    assert _message("sts", _assume_role(RoleSessionName=" ")).startswith("2 validation errors detected: Value ' '")


def test_required_member_missing_is_null() -> None:
    """A required member that is absent: 'Value null at ... Member must not be null'."""
    assert _message("sts", "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s") == (
        "2 validation errors detected: "
        "Value null at 'roleArn' failed to satisfy constraint: Member must not be null; "
        "Value 's' at 'roleSessionName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 2"
    )


def test_g1_tag_value_violation_names_the_list_element() -> None:
    """§G.1 tags: list elements are addressed as 'tags.<n>.member.<field>' (observed on IAM)."""
    body = serialize_query(
        "iam",
        "TagRole",
        {"RoleName": "r", "Tags": [{"Key": "ok", "Value": "fine"}, {"Key": "k", "Value": "a,b"}]},
    )
    assert _message("iam", body) == (
        "1 validation error detected: Value 'a,b' at 'tags.2.member.value' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*"
    )


def test_g1_missing_tag_key_inside_list_is_null() -> None:
    """A list element structure missing a required member reports its full path."""
    body = "Action=TagRole&Version=2010-05-08&RoleName=r&Tags.member.1.Value=v"
    assert _message("iam", body) == (
        "1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_g1_too_many_session_tags() -> None:
    """§G.1: at most 50 session tags; the list is echoed as [..] in the message."""
    tags = [{"Key": f"k{index}", "Value": "v"} for index in range(51)]
    message = _message("sts", _assume_role(RoleSessionName="s1", Tags=tags))
    assert message.startswith("1 validation error detected: Value '[{Key=k0, Value=v}, {Key=k1, Value=v}, ")
    assert message.endswith("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")


def test_enum_violation_lists_the_allowed_values() -> None:
    """An enum value outside the set: 'Member must satisfy enum value set: [Active, Inactive]'."""
    body = "Action=UpdateAccessKey&Version=2010-05-08&AccessKeyId=AKIAIOSFODNN7EXAMPLE&Status=Enabled"
    assert _message("iam", body) == (
        "1 validation error detected: Value 'Enabled' at 'status' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Active, Inactive, Expired]"
    )


def test_sensitive_values_are_not_echoed() -> None:
    """A ``sensitive`` member (a password) is reported without its value."""
    body = serialize_query("iam", "CreateLoginProfile", {"UserName": "u", "Password": "pass\u20acword"})
    assert _message("iam", body) == (
        "1 validation error detected: Value at 'password' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+"
    )


def test_h2_role_name_pattern_and_path_pattern() -> None:
    """§H.2: role names are [\\w+=,.@-]+ (ASCII \\w, as Java); paths start and end with '/'."""
    body = serialize_query(
        "iam", "CreateRole", {"RoleName": "rôle", "AssumeRolePolicyDocument": "{}", "Path": "/no-trailing"}
    )
    assert _message("iam", body) == (
        "2 validation errors detected: "
        "Value '/no-trailing' at 'path' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F); "
        "Value 'rôle' at 'roleName' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w+=,.@-]+"
    )


def test_h2_max_session_duration_range() -> None:
    """§H.2/§G.1: MaxSessionDuration is 3600-43200."""
    body = serialize_query(
        "iam",
        "CreateRole",
        {"RoleName": "r", "AssumeRolePolicyDocument": "{}", "MaxSessionDuration": 43201},
        validate=False,
    )
    assert _message("iam", body) == (
        "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: "
        "Member must have value less than or equal to 43200"
    )


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        (r"[\w+=,.@-]*", "Session_1.a@b", True),
        (r"[\w+=,.@-]*", "sessión", False),  # Java's \w is ASCII-only
        (r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*", "Département 12", True),  # \p{L} is any letter
        (r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*", "a,b", False),
        (r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*", "", True),
        (r"[\w+=,.@-]+", "", False),
        (r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)", "/", True),
        (r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)", "/a/b/", True),
        (r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)", "/a", False),
        (r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", "my-alias", True),
        (r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", "my--alias", False),
        (r"\d{12}", "123456789012", True),
        (r"\d{12}", "１２３４５６７８９０１２", False),  # fullwidth digits are not Java \d
    ],
)
def test_model_patterns_match_like_java(pattern: str, value: str, expected: bool) -> None:
    """Model patterns are Java regexes matched against the whole value."""
    assert matches_model_pattern(pattern, value) is expected
