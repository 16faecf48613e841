"""How much of botocore's IAM and STS iamsim serves: pinned so the count can only grow (issue 4)."""

from __future__ import annotations

import pytest

from iamsim._handlers import build_handlers, service_models
from iamsim._simulator import Simulator

#: Operations served when this was last raised; lower it only by removing an operation on purpose.
SERVED_AT_LEAST = {"iam": 124, "sts": 6}


def served() -> dict[str, set[str]]:
    """The operations the handler registry serves, by service."""
    handlers = build_handlers(Simulator())
    return {service: {op for (s, op) in handlers if s == service} for service in SERVED_AT_LEAST}


@pytest.mark.parametrize("service", sorted(SERVED_AT_LEAST))
def test_every_handler_is_a_botocore_operation(service: str) -> None:
    """No handler is registered under a name botocore's model does not have."""
    assert served()[service] <= set(service_models()[service].operation_names)


@pytest.mark.parametrize("service", sorted(SERVED_AT_LEAST))
def test_served_operation_count_only_grows(service: str) -> None:
    """The number of served operations never drops below the pinned count."""
    count = len(served()[service] & set(service_models()[service].operation_names))
    assert count >= SERVED_AT_LEAST[service], f"{service}: {count} served, pinned {SERVED_AT_LEAST[service]}"
