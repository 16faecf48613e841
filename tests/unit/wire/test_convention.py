"""The wire layer's naming convention: botocore member names to the Simulator's keywords (issue 12)."""

from __future__ import annotations

import pytest

import iamsim
from iamsim._handlers import build_handlers
from iamsim._handlers.convention import conventional, snake_case, tag_pairs


@pytest.mark.parametrize(
    ("member", "keyword"),
    [
        ("UserName", "user_name"),
        ("AuthenticationCode1", "authentication_code_1"),
        ("VirtualMFADeviceName", "virtual_mfa_device_name"),
        ("OpenIDConnectProviderArn", "open_id_connect_provider_arn"),
        ("ClientIDList", "client_id_list"),
        ("DeleteUser", "delete_user"),
    ],
)
def test_snake_case_of_botocore_names(member: str, keyword: str) -> None:
    assert snake_case(member) == keyword


def test_tags_become_pairs() -> None:
    assert tag_pairs([{"Key": "a", "Value": "1"}, {"Key": "b"}]) == (("a", "1"), ("b", ""))
    assert tag_pairs(None) is None


def test_a_member_the_method_does_not_take_fails_when_the_table_is_built() -> None:
    sim = iamsim.Simulator()
    with pytest.raises(TypeError, match="DeleteUser"):
        conventional("DeleteUser", sim.delete_user, ["UserName", "Colour"])


def test_every_conventional_operation_matches_its_method() -> None:
    """Building the handlers checks every conventional body against botocore's input shape."""
    assert ("iam", "DeleteUser") in build_handlers(iamsim.Simulator())
