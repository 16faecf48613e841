"""The bundled authorization tables agree with AWS's service reference (issue 13).

Every action exists in the bundled service reference, every resource template fits the ARN
format of a resource type the action names (§B.2), and every service condition key a need
sets is one the action (or one of its resource types) supports.
"""

from __future__ import annotations

import re

import botocore.session
import pytest

from iamsim._enforce.services import TABLES
from iamsim._enforce.table import Need
from iamsim._policy.catalog import ServiceCatalog

CATALOG = ServiceCatalog.load()
#: Where the bundled reference names a resource type the action cannot act on, the table keeps the
#: resource the operation names: (action, the ARN kept). The reference lists only ``delivery-destination``
#: for logs:DeleteDeliverySource, whose request names a delivery source.
REFERENCE_SLIPS = {("logs:DeleteDeliverySource", "arn:aws:logs:us-east-1:123456789012:delivery-source:x")}
NEEDS = [(service, op, n) for service, table in TABLES.items() for op, needs in table.operations.items() for n in needs]


def _id(item: tuple[str, str, Need]) -> str:
    return f"{item[0]}:{item[1]}:{item[2].action}"


def _format_regex(arn_format: str) -> re.Pattern[str]:
    # ${Partition}, ${Region}... match one ARN field; the last placeholder may hold slashes and colons.
    parts = re.split(r"\$\{[A-Za-z]+\}", arn_format)
    return re.compile("[^:]*".join(re.escape(p) for p in parts[:-1]) + ".*" + re.escape(parts[-1]) + "$")


def _sample(template: str) -> str:
    return re.sub(
        r"\{([A-Za-z_.]+)\}",
        lambda m: {"partition": "aws", "region": "us-east-1", "account": "123456789012"}.get(m.group(1), "x"),
        template,
    )


@pytest.mark.parametrize("item", NEEDS, ids=_id)
def test_every_action_exists_in_the_service_reference(item: tuple[str, str, Need]) -> None:
    """Each mapped action is one AWS documents (service authorization reference)."""
    assert CATALOG.action(item[2].action) is not None, f"{item[2].action} is not in the service reference"


@pytest.mark.parametrize(
    "item", [i for i in NEEDS if i[2].resource != "*" and not i[2].resource.startswith("{")], ids=_id
)
def test_every_arn_fits_a_resource_type_of_the_action_B2(item: tuple[str, str, Need]) -> None:
    """§B.2: the ARN a template builds matches the format of a resource type the action acts on."""
    action = CATALOG.action(item[2].action)
    assert action is not None
    formats = [r.arn_format for r in action.resource_types if r.arn_format]
    arn = _sample(item[2].resource)
    if (item[2].action, arn) in REFERENCE_SLIPS:
        return
    assert any(_format_regex(f).match(arn) for f in formats), f"{arn} fits none of {formats}"


@pytest.mark.parametrize("item", [i for i in NEEDS if i[2].keys], ids=_id)
def test_every_service_key_is_one_the_action_supports_E(item: tuple[str, str, Need]) -> None:
    """§E: a service condition key a need sets is documented for the action or its resource types."""
    action = CATALOG.action(item[2].action)
    assert action is not None
    supported = {k.lower() for k in action.condition_keys}
    for resource in action.resource_types:
        supported |= {k.lower() for k in resource.condition_keys}
    # A key named with a variable part (kms:EncryptionContext:${EncryptionContextKey}) supports every name.
    prefixes = tuple(k.split("${", 1)[0] for k in supported if "${" in k)
    for key in item[2].keys:
        if key.startswith("aws:"):
            # Global keys (aws:CalledVia) are available to every action (§E).
            continue
        assert key.lower() in supported or key.lower().startswith(prefixes), (
            f"{key} is not a condition key of {item[2].action}"
        )


@pytest.mark.parametrize("service", sorted(TABLES))
def test_every_mapped_operation_is_in_the_installed_model(service: str) -> None:
    """Operation names are botocore's (a typo would never match a call)."""
    model = botocore.session.get_session().get_service_model(service)
    assert set(TABLES[service].operations) <= set(model.operation_names)
