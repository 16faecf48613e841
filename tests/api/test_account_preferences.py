"""SetSecurityTokenServicePreferences and the account properties through boto3 (§H.9)."""

from __future__ import annotations

from typing import Any

import pytest

from iamsim._simulator import Simulator
from iamsim.errors import UsageError

from .conftest import error_of


def test_token_version_starts_at_1_and_shows_in_the_account_summary(iam: Any) -> None:
    """§H.9 (IAMAPI:API_SetSecurityTokenServicePreferences.html): v1 by default, shown by GetAccountSummary."""
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 1
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 2
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v1Token")
    assert iam.get_account_summary()["SummaryMap"]["GlobalEndpointTokenVersion"] == 1


def test_an_unknown_token_version_is_a_validation_error(iam: Any) -> None:
    """§H.9: the version is the model's enum, refused with the model's constraint message."""
    error = error_of(iam.set_security_token_service_preferences, GlobalEndpointTokenVersion="v3Token")
    assert error["Code"] == "ValidationError"
    assert "Member must satisfy enum value set: [v1Token, v2Token]" in error["Message"]


def test_account_properties_are_kept_per_key_across_puts(iam: Any) -> None:
    """§H.9 (IAMAPI:API_PutAccountProperties.html): a put sets its keys and keeps the others."""
    assert iam.get_account_properties().get("Properties", {}) == {}
    iam.put_account_properties(Properties={"RoleManager/Enabled": "true"})
    iam.put_account_properties(Properties={"Other/Name": "x"})
    iam.put_account_properties(Properties={"RoleManager/Enabled": "false"})
    assert iam.get_account_properties()["Properties"] == {"Other/Name": "x", "RoleManager/Enabled": "false"}


@pytest.mark.parametrize(
    ("properties", "words"),
    [
        ({"A/x": "1", "B/y": "2"}, "same namespace"),
        ({"NoSlash": "1"}, "exactly one '/'"),
        ({"A/b/c": "1"}, "exactly one '/'"),
        ({"A/": "1"}, "exactly one '/'"),
    ],
)
def test_bad_property_keys_are_invalid_input(iam: Any, properties: dict[str, str], words: str) -> None:
    """§H.9: one namespace per request; a key is Namespace/PropertyName with exactly one '/'."""
    error = error_of(iam.put_account_properties, Properties=properties)
    assert error["Code"] == "InvalidInput"
    assert words in error["Message"]
    assert iam.get_account_properties().get("Properties", {}) == {}


def test_a_key_outside_the_model_pattern_is_a_validation_error(iam: Any) -> None:
    """§H.9: keys match ^[A-Za-z][A-Za-z0-9/_-]*$ (the model's pattern)."""
    error = error_of(iam.put_account_properties, Properties={"1a/b": "x"})
    assert error["Code"] == "ValidationError"


def test_preferences_survive_a_snapshot(sim: Simulator) -> None:
    """§H.9: the token version and the properties are part of the world a snapshot keeps."""
    sim.iam.set_security_token_service_preferences("v2Token")
    sim.iam.put_account_properties({"RoleManager/Enabled": "true"})
    restored = Simulator.from_json(sim.to_json())
    assert restored.iam.get_account_properties() == {"RoleManager/Enabled": "true"}
    assert restored.iam.get_account_summary()["GlobalEndpointTokenVersion"] == 2


def test_properties_of_another_type_are_a_usage_error(sim: Simulator) -> None:
    """§H.9: the Python API takes text keys and values; anything else is the caller's mistake."""
    with pytest.raises(UsageError):
        sim.iam.put_account_properties({"A/b": 1})  # type: ignore[dict-item]
