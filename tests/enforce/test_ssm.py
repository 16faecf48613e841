"""AWS Systems Manager Parameter Store calls through boto3 are authorized before moto answers (§F.7; issue 13).

AWS source: "Actions, resources, and condition keys for AWS Systems Manager"
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, allow, error_of, moto_world

PARAMETERS = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/"


def test_ssm_get_parameter_allowed_on_arn_without_double_slash_and_put_refused_F7() -> None:
    """§F.7: /app/db is parameter/app/db; a refusal is SSM's JSON AccessDeniedException (400) in AWS's words."""
    with moto_world() as world:
        world.root.client("ssm").put_parameter(Name="/app/db", Value="pw", Type="String")
        ssm = world.role("Reader", allow("ssm:GetParameter", PARAMETERS + "app/*")).client("ssm")
        assert ssm.get_parameter(Name="/app/db")["Parameter"]["Value"] == "pw"
        with pytest.raises(ClientError) as caught:
            ssm.put_parameter(Name="/app/db", Value="new", Type="String", Overwrite=True)
        assert error_of(caught) == (
            "AccessDeniedException",
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Reader/app is not authorized to perform: ssm:PutParameter"
            f" on resource: {PARAMETERS}app/db because no identity-based policy allows the ssm:PutParameter action",
            400,
        )


def test_ssm_overwrite_condition_on_put_parameter_F7() -> None:
    """ssm:Overwrite: the role may create parameters but not overwrite them."""
    with moto_world() as world:
        no_overwrite = allow("ssm:PutParameter", PARAMETERS + "*", Condition={"Bool": {"ssm:Overwrite": "false"}})
        ssm = world.role("Writer", no_overwrite).client("ssm")
        ssm.put_parameter(Name="/app/flag", Value="on", Type="String")
        with pytest.raises(ClientError) as caught:
            ssm.put_parameter(Name="/app/flag", Value="off", Type="String", Overwrite=True)
        assert error_of(caught)[0] == "AccessDeniedException"


def test_ssm_get_parameters_is_one_request_per_name_F7() -> None:
    """GetParameters needs ssm:GetParameters on every parameter it names; a denied one refuses the call."""
    with moto_world() as world:
        root = world.root.client("ssm")
        for name in ("/app/a", "/other/b"):
            root.put_parameter(Name=name, Value="v", Type="String")
        ssm = world.role("Reader", allow("ssm:GetParameters", PARAMETERS + "app/*")).client("ssm")
        assert len(ssm.get_parameters(Names=["/app/a"])["Parameters"]) == 1
        with pytest.raises(ClientError) as caught:
            ssm.get_parameters(Names=["/app/a", "/other/b"])
        assert f"on resource: {PARAMETERS}other/b" in error_of(caught)[1]
