"""The wire layer's naming convention: botocore member names to the Simulator's keywords (issue 12)."""

from __future__ import annotations

import pytest

import iamsim
from iamsim._handlers import build_handlers
from iamsim._wire.convention import conventional, input_shape, snake_case, tag_pairs


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
        # CreateUser's input has members (Path, Tags...) that delete_user does not take.
        conventional("DeleteUser", sim.delete_user, input_shape("iam", "CreateUser"))


def test_a_method_without_the_callers_account_fails_when_the_table_is_built() -> None:
    sim = iamsim.Simulator()
    with pytest.raises(TypeError, match="account_id"):
        conventional("GetCallerIdentity", sim.sts.get_caller_identity, input_shape("sts", "GetCallerIdentity"))


def test_a_member_the_call_fills_itself_fails_when_the_table_is_built() -> None:
    """A member whose keyword the call gives (``who``) would be overridden silently: refused at build (§G.1)."""

    def assume_role(who: object, role_arn: str, role_session_name: str, **rest: object) -> None:
        raise AssertionError("never called")

    with pytest.raises(TypeError, match="both give"):
        conventional(
            "AssumeRole", assume_role, input_shape("sts", "AssumeRole"), renames={"RoleArn": "who"}, implicit=("who",)
        )


def test_sts_policy_arns_become_arns_and_the_signer_is_who() -> None:
    """§G.1: AssumeRole's ``PolicyArns`` (``[{"arn": ...}]``) reach the method as ARNs, the caller as ``who``."""
    seen: dict[str, object] = {}

    def assume_role(who: object, role_arn: str, role_session_name: str, **rest: object) -> None:
        seen.update(rest, who=who)

    body = conventional("AssumeRole", assume_role, input_shape("sts", "AssumeRole"), implicit=("who",))
    params = {"RoleArn": "arn:aws:iam::1:role/r", "RoleSessionName": "s", "PolicyArns": [{"arn": "arn:p"}]}
    assert body("caller", "", params) == {}
    assert seen == {"policy_arns": ["arn:p"], "who": "caller"}


def test_every_conventional_operation_matches_its_method() -> None:
    """Building the handlers checks every conventional body against botocore's input shape."""
    assert ("iam", "DeleteUser") in build_handlers(iamsim.Simulator())
