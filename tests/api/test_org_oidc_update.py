"""UpdateOpenIDConnectProvider through boto3: the provider's trusted identity propagation settings (§H.5).

AWS page: IAMAPI:API_UpdateOpenIDConnectProvider.html (and API_ContextProvider.html).
"""

from __future__ import annotations

from typing import Any

import pytest

from iamsim._simulator import Simulator

from .conftest import ACCOUNT, error_of

URL = "https://token.example.com"
ARN = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.example.com"
INSTANCE = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
CONTEXT = {
    "SubjectSourceKey": "sub",
    "SubjectTypeValue": "user",
    "KeyDefinitionList": [{"SourceKey": "email", "TargetKey": "identitystore:email"}, {"SourceKey": "groups"}],
}


@pytest.fixture
def provider(iam: Any) -> str:
    """An OIDC provider without trusted identity propagation settings."""
    iam.create_open_id_connect_provider(Url=URL, ClientIDList=["app"], ThumbprintList=["a" * 40])
    return ARN


def test_set_context_provider_then_identity_center_shows_in_get_h5(iam: Any, provider: str) -> None:
    """§H.5 (IAMAPI:API_UpdateOpenIDConnectProvider.html): each setting is set by its own request."""
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=provider, ContextProvider=CONTEXT)
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=provider, IdentityCenterInstanceArn=INSTANCE)
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=provider)
    assert got["ContextProvider"] == CONTEXT
    assert got["IdentityCenterInstanceArn"] == INSTANCE
    assert got["ThumbprintList"] == ["a" * 40]  # thumbprints are UpdateOpenIDConnectProviderThumbprint's alone


def test_remove_in_order_identity_center_first_h5(iam: Any, provider: str) -> None:
    """§H.5: the context provider can be removed only after the Identity Center association."""
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=provider, ContextProvider=CONTEXT)
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=provider, IdentityCenterInstanceArn=INSTANCE)
    error = error_of(iam.update_open_id_connect_provider, OpenIDConnectProviderArn=provider, RemoveContextProvider=True)
    assert error["Code"] == "InvalidInput"
    assert "Identity Center association" in error["Message"]
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=provider, RemoveIdentityCenterInstance=True)
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=provider, RemoveContextProvider=True)
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=provider)
    assert "ContextProvider" not in got
    assert "IdentityCenterInstanceArn" not in got


def test_create_takes_the_context_provider_h5(iam: Any) -> None:
    """§H.5: CreateOpenIDConnectProvider keeps a ContextProvider as UpdateOpenIDConnectProvider would."""
    iam.create_open_id_connect_provider(Url=URL, ClientIDList=["app"], ContextProvider={"SubjectSourceKey": "sub"})
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=ARN)["ContextProvider"] == {
        "SubjectSourceKey": "sub"
    }


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"ContextProvider": CONTEXT, "RemoveContextProvider": True}, "both ContextProvider and RemoveContextProvider"),
        (
            {"IdentityCenterInstanceArn": INSTANCE, "RemoveIdentityCenterInstance": True},
            "both IdentityCenterInstanceArn and RemoveIdentityCenterInstance",
        ),
        ({"ContextProvider": CONTEXT, "IdentityCenterInstanceArn": INSTANCE}, "but not both"),
        ({}, "Specify ContextProvider"),
        ({"IdentityCenterInstanceArn": INSTANCE}, "Set a context provider before"),
        (
            {"ContextProvider": {"SubjectSourceKey": "sub", "SubjectTypeValue": "u", "SubjectTypeSourceKey": "t"}},
            "either SubjectTypeValue or SubjectTypeSourceKey",
        ),
        ({"ContextProvider": {"SubjectSourceKey": " sub"}}, "Invalid contextProvider.subjectSourceKey"),
        ({"ContextProvider": {"SubjectSourceKey": "a  b"}}, "single spaces"),
    ],
)
def test_invalid_updates_are_invalid_input_and_change_nothing_h5(
    iam: Any, provider: str, params: dict[str, Any], words: str
) -> None:
    """§H.5 (IAMAPI:API_UpdateOpenIDConnectProvider.html, API_ContextProvider.html): the documented exclusions."""
    error = error_of(iam.update_open_id_connect_provider, OpenIDConnectProviderArn=provider, **params)
    assert error["Code"] == "InvalidInput"
    assert words in error["Message"]
    assert "ContextProvider" not in iam.get_open_id_connect_provider(OpenIDConnectProviderArn=provider)


def test_eleven_key_definitions_are_the_models_validation_error_h5(iam: Any, provider: str) -> None:
    """§H.5 (API_ContextProvider.html): KeyDefinitionList holds 0 to 10 mappings."""
    context = {"SubjectSourceKey": "sub", "KeyDefinitionList": [{"SourceKey": "k"}] * 11}
    error = error_of(iam.update_open_id_connect_provider, OpenIDConnectProviderArn=provider, ContextProvider=context)
    assert error["Code"] == "ValidationError"
    assert "less than or equal to 10" in error["Message"]


def test_bad_identity_center_arn_is_invalid_input_h5(iam: Any, provider: str) -> None:
    """§H.5: the instance ARN has Identity Center's format (arn:aws:sso:::instance/ssoins-...)."""
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=provider, ContextProvider=CONTEXT)
    error = error_of(
        iam.update_open_id_connect_provider,
        OpenIDConnectProviderArn=provider,
        IdentityCenterInstanceArn="arn:aws:sso:::instance/nope",
    )
    assert (error["Code"], error["Message"]) == (
        "InvalidInput",
        "Invalid IdentityCenterInstanceArn: arn:aws:sso:::instance/nope",
    )


def test_missing_provider_is_no_such_entity_h5(iam: Any) -> None:
    """§H.5: an ARN the account does not hold is NoSuchEntity, as for GetOpenIDConnectProvider."""
    missing = f"arn:aws:iam::{ACCOUNT}:oidc-provider/missing.example.com"
    error = error_of(iam.update_open_id_connect_provider, OpenIDConnectProviderArn=missing, ContextProvider=CONTEXT)
    assert (error["Code"], error["Message"]) == ("NoSuchEntity", f"OpenIDConnect Provider not found for arn {missing}")


def test_settings_survive_a_snapshot_h5(sim: Simulator, iam: Any, provider: str) -> None:
    """§H.5: the settings are part of the world a snapshot writes."""
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=provider, ContextProvider=CONTEXT)
    again = Simulator.from_json(sim.to_json())
    assert (
        again.iam.get_open_id_connect_provider(provider).context_provider
        == sim.iam.get_open_id_connect_provider(provider).context_provider
    )
