"""AWS Lambda calls through boto3 are authorized before moto answers (§F, §F.7; issue 13).

AWS source: "Actions, resources, and condition keys for AWS Lambda"
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto.iam.models import iam_backends

from .world import ACCOUNT, REGION, allow, deny, document, error_of, moto_world

FUNCTION = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:worker"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/worker-exec"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def _create(client: Any, **extra: Any) -> None:
    # moto checks the execution role in its own IAM backend (the simulator answers the app's IAM calls).
    backend = iam_backends[ACCOUNT]["aws"]
    if not any(role.name == "worker-exec" for role in backend.get_roles()):
        backend.create_role("worker-exec", "{}", "/", None, "", [], None)
    client.create_function(
        FunctionName="worker",
        Runtime="python3.11",
        Role=ROLE,
        Handler="handler.handler",
        Code={"ZipFile": _zip()},
        **extra,
    )


def test_lambda_get_function_allowed_and_delete_refused_rest_json_403_F7() -> None:
    """§F.7: GetFunction allowed; a refusal is Lambda's rest-json AccessDeniedException with HTTP 403."""
    with moto_world() as world:
        _create(world.root.client("lambda"))
        client = world.role("Reader", allow("lambda:GetFunction", FUNCTION)).client("lambda")
        assert client.get_function(FunctionName="worker")["Configuration"]["FunctionArn"] == FUNCTION
        with pytest.raises(ClientError) as caught:
            client.delete_function(FunctionName="worker")
        assert error_of(caught) == (
            "AccessDeniedException",
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Reader/app is not authorized to perform:"
            f" lambda:DeleteFunction on resource: {FUNCTION} because no identity-based policy allows the"
            " lambda:DeleteFunction action",
            403,
        )


def test_lambda_qualified_name_acts_on_the_alias_arn_F7() -> None:
    """A qualifier makes the request act on the version's or alias's ARN, which the unqualified ARN does not match."""
    with moto_world() as world:
        _create(world.root.client("lambda"))
        client = world.role("Reader", allow("lambda:GetFunctionConfiguration", FUNCTION)).client("lambda")
        client.get_function_configuration(FunctionName="worker")
        with pytest.raises(ClientError) as caught:
            client.get_function_configuration(FunctionName="worker", Qualifier="$LATEST")
        assert f"on resource: {FUNCTION}:$LATEST" in error_of(caught)[1]


def test_lambda_function_policy_from_add_permission_and_remove_permission_F7() -> None:
    """The function policy AddPermission builds takes part in decisions (§F.1 step 1); RemovePermission drops it."""
    with moto_world() as world:
        root = world.root.client("lambda")
        _create(root)
        client = world.role("Reader", allow("lambda:GetFunction", FUNCTION)).client("lambda")
        root.add_permission(
            FunctionName="worker",
            StatementId="events",
            Action="lambda:InvokeFunction",
            Principal="events.amazonaws.com",
        )
        root.add_permission(
            FunctionName="worker",
            StatementId="no-reader",
            Action="lambda:GetFunction",
            Principal=f"arn:aws:iam::{ACCOUNT}:role/Reader",
        )
        policy = world.sim.resources.policy(FUNCTION) or ""
        assert '"Service": "events.amazonaws.com"' in policy
        # An Allow in the function policy for the role: still allowed; replace it with a deny via the world.
        client.get_function(FunctionName="worker")
        reader = {"AWS": f"arn:aws:iam::{ACCOUNT}:role/Reader"}
        world.sim.resources.put_policy(FUNCTION, document(deny("lambda:GetFunction", FUNCTION, Principal=reader)))
        with pytest.raises(ClientError) as caught:
            client.get_function(FunctionName="worker")
        assert error_of(caught)[1].endswith("with an explicit deny in a resource-based policy")
        world.sim.resources.delete_policy(FUNCTION)
        root.add_permission(
            FunctionName="worker",
            StatementId="events",
            Action="lambda:InvokeFunction",
            Principal="events.amazonaws.com",
        )
        root.remove_permission(FunctionName="worker", StatementId="events")
        assert world.sim.resources.policy(FUNCTION) is None


def test_lambda_add_permission_principal_condition_and_pass_role_F7() -> None:
    """lambda:Principal on AddPermission; CreateFunction also needs iam:PassRole on its execution role."""
    with moto_world() as world:
        _create(world.root.client("lambda"))
        only_events = allow(
            "lambda:AddPermission", FUNCTION, Condition={"StringEquals": {"lambda:Principal": "events.amazonaws.com"}}
        )
        client = world.role("Wirer", only_events, allow("lambda:CreateFunction", "*")).client("lambda")
        client.add_permission(
            FunctionName="worker", StatementId="ok", Action="lambda:InvokeFunction", Principal="events.amazonaws.com"
        )
        with pytest.raises(ClientError) as caught:
            client.add_permission(
                FunctionName="worker", StatementId="no", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com"
            )
        assert error_of(caught)[0] == "AccessDeniedException"
        with pytest.raises(ClientError) as caught:
            client.create_function(
                FunctionName="other", Runtime="python3.11", Role=ROLE, Handler="h.h", Code={"ZipFile": _zip()}
            )
        assert f"iam:PassRole on resource: {ROLE}" in error_of(caught)[1]
