"""ChangePassword through boto3: the signing user's own password, checked as IAM checks it (§H.8).

AWS pages: IAMAPI:API_ChangePassword.html; UG:id_credentials_passwords_enable-user-change.html.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

import iamsim.boto3
from iamsim import Simulator

from .conftest import error_of, user_client

ALLOW_CHANGE = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": "arn:aws:iam::*:user/${aws:username}"}
    ],
}
OLD, NEW = "Old-passw0rd!", "New-passw0rd!"


@contextmanager
def _with_password(iam: Any, sim: Simulator, name: str = "pat", policy: dict[str, Any] = ALLOW_CHANGE) -> Iterator[Any]:
    """A client of user ``name`` (``policy`` inline), whose password is ``OLD`` and must be reset."""
    with user_client(iam, sim, name, policy) as client:
        iam.create_login_profile(UserName=name, Password=OLD, PasswordResetRequired=True)
        yield client


def test_user_changes_own_password_and_reset_flag_clears_H8(iam: Any, sim: Simulator) -> None:
    """§H.8 [IAMAPI:API_ChangePassword.html]: the new password works, the old one no longer does."""
    with _with_password(iam, sim) as client:
        client.change_password(OldPassword=OLD, NewPassword=NEW)
        assert sim.iam.get_login_profile("pat") is not None
        assert iamsim_password_matches(sim, "pat", NEW)
        assert not iamsim_password_matches(sim, "pat", OLD)
        assert iam.get_login_profile(UserName="pat")["LoginProfile"]["PasswordResetRequired"] is False


def iamsim_password_matches(sim: Simulator, name: str, password: str) -> bool:
    from iamsim._simulator.core import core_of

    return core_of(sim).store(sim.default_account).users.password_matches(name, password)


def test_wrong_old_password_is_refused_and_nothing_changes_H8(iam: Any, sim: Simulator) -> None:
    """§H.8: the old password is checked; a failed call leaves the password as it was."""
    with _with_password(iam, sim) as client:
        error = error_of(client.change_password, OldPassword="not-it-1A!", NewPassword=NEW)
        assert error["Code"] == "InvalidInput"
        assert iamsim_password_matches(sim, "pat", OLD)


def test_new_password_must_satisfy_the_policy_H8(iam: Any, sim: Simulator) -> None:
    """§H.8 [IAMAPI:API_ChangePassword.html]: PasswordPolicyViolation, reuse prevention included."""
    with _with_password(iam, sim) as client:
        iam.update_account_password_policy(MinimumPasswordLength=12, PasswordReusePrevention=2)
        assert (
            error_of(client.change_password, OldPassword=OLD, NewPassword="Sh0rt!")["Code"] == "PasswordPolicyViolation"
        )
        client.change_password(OldPassword=OLD, NewPassword="Longer-passw0rd-1")
        client.change_password(OldPassword="Longer-passw0rd-1", NewPassword="Longer-passw0rd-2")
        reused = error_of(client.change_password, OldPassword="Longer-passw0rd-2", NewPassword="Longer-passw0rd-1")
        assert reused["Code"] == "PasswordPolicyViolation"
        assert reused["Message"] == "Password does not conform to the account password policy."


def test_user_without_a_password_is_no_such_entity_H8(iam: Any, sim: Simulator) -> None:
    """§H.8: a user with no login profile has no password to change."""
    with user_client(iam, sim, "keyonly", ALLOW_CHANGE) as client:
        assert error_of(client.change_password, OldPassword=OLD, NewPassword=NEW)["Code"] == "NoSuchEntity"


def test_root_and_roles_are_invalid_user_type_H8(iam: Any, sim: Simulator) -> None:
    """§H.8 [IAMAPI:API_ChangePassword.html]: only an IAM user changes its own password."""
    assert error_of(iam.change_password, OldPassword=OLD, NewPassword=NEW)["Code"] == "InvalidUserType"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{sim.default_account}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    import json

    iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(
        RoleName="r",
        PolicyName="p",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}
        ),
    )
    iam.create_user(UserName="assumer")
    iam.put_user_policy(
        UserName="assumer",
        PolicyName="p",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
        ),
    )
    key = sim.create_access_key("assumer")
    role_arn = f"arn:aws:iam::{sim.default_account}:role/r"
    credentials = sim.assume_role(key, role_arn, "sess").credentials
    session = boto3.Session(
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.secret_access_key,
        aws_session_token=credentials.session_token,
        region_name="us-east-1",
    )
    with iamsim.boto3.attach(sim, session):
        role_iam = session.client("iam")
        assert error_of(role_iam.change_password, OldPassword=OLD, NewPassword=NEW)["Code"] == "InvalidUserType"


def test_change_needs_iam_change_password_on_own_arn_H8(iam: Any, sim: Simulator) -> None:
    """§H.8 [UG:id_credentials_passwords_enable-user-change.html]: iam:ChangePassword on the user's own ARN."""
    deny_others = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": "arn:aws:iam::*:user/other"}],
    }
    with _with_password(iam, sim, "pat", deny_others) as client:
        assert error_of(client.change_password, OldPassword=OLD, NewPassword=NEW)["Code"] == "AccessDenied"
        assert iamsim_password_matches(sim, "pat", OLD)
