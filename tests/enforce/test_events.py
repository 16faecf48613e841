"""Amazon EventBridge calls through boto3 are authorized before moto answers (§F, §F.7; issue 13).

AWS source: "Actions, resources, and condition keys for Amazon EventBridge"
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .world import ACCOUNT, REGION, allow, deny, document, error_of, moto_world

BUS = f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/orders"
ENTRY = {"Source": "app.orders", "DetailType": "created", "Detail": "{}", "EventBusName": "orders"}


def test_events_put_events_allowed_delete_refused_with_access_denied_exception_F7() -> None:
    """§F.7: PutEvents is events:PutEvents on each bus named; a refusal is AccessDeniedException (400)."""
    with moto_world() as world:
        world.root.client("events").create_event_bus(Name="orders")
        events = world.role("Publisher", allow("events:PutEvents", BUS)).client("events")
        events.put_events(Entries=[ENTRY])
        with pytest.raises(ClientError) as caught:
            events.delete_event_bus(Name="orders")
        assert error_of(caught) == (
            "AccessDeniedException",
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Publisher/app is not authorized to perform:"
            f" events:DeleteEventBus on resource: {BUS} because no identity-based policy allows the"
            " events:DeleteEventBus action",
            400,
        )


def test_events_identity_deny_and_bus_policy_deny_F1_F7() -> None:
    """§F.1: a Deny in the identity policy or in the bus policy (PutPermission's Policy) refuses the call."""
    with moto_world() as world:
        root = world.root.client("events")
        root.create_event_bus(Name="orders")
        rule = f"arn:aws:events:{REGION}:{ACCOUNT}:rule/orders/audit"
        events = world.role("Dev", allow("events:*", "*"), deny("events:PutRule", rule)).client("events")
        events.put_rule(Name="other", EventBusName="orders", EventPattern='{"source": ["x"]}')
        with pytest.raises(ClientError) as caught:
            events.put_rule(Name="audit", EventBusName="orders", EventPattern='{"source": ["x"]}')
        assert "with an explicit deny in an identity-based policy" in error_of(caught)[1]
        closed = document(deny("events:PutEvents", BUS, Principal="*", Sid="closed"))
        root.put_permission(EventBusName="orders", Policy=closed)
        with pytest.raises(ClientError) as caught:
            events.put_events(Entries=[ENTRY])
        assert error_of(caught)[1].endswith("with an explicit deny in a resource-based policy")


def test_events_source_condition_on_put_events_F7() -> None:
    """§F.7: events:source carries the entries' Source on PutEvents."""
    with moto_world() as world:
        world.root.client("events").create_event_bus(Name="orders")
        only_orders = {"ForAllValues:StringEquals": {"events:source": "app.orders"}}
        events = world.role("Orders", allow("events:PutEvents", BUS, Condition=only_orders)).client("events")
        events.put_events(Entries=[ENTRY])
        with pytest.raises(ClientError):
            events.put_events(Entries=[{**ENTRY, "Source": "app.billing"}])
