"""The authorization tables of the services mapped so far, one module per service (format: ``table.py``)."""

from __future__ import annotations

from types import MappingProxyType

from iamsim._enforce.services import (
    awslambda,
    dynamodb,
    ec2,
    ecr,
    events,
    kinesis,
    kms,
    logs,
    s3,
    secretsmanager,
    sns,
    sqs,
    ssm,
)
from iamsim._enforce.services.learn import Observer
from iamsim._enforce.table import ServiceTable

__all__ = ["OBSERVERS", "TABLES"]

_SERVICES = (s3, dynamodb, sqs, kms, sns, awslambda, secretsmanager, ssm, logs, ec2, kinesis, ecr, events)
#: The modules that list their own observers (the rest are in ``observe.py``).
_OBSERVING = (sns, awslambda, secretsmanager, logs, ec2, kinesis, ecr, events)

#: Every bundled table by botocore service name.
TABLES: MappingProxyType[str, ServiceTable] = MappingProxyType(
    {module.TABLE.service: module.TABLE for module in _SERVICES}
)

#: The observers of the services whose modules list their own (the rest are in ``observe.py``).
OBSERVERS: MappingProxyType[tuple[str, str], Observer] = MappingProxyType(
    {key: observer for module in _OBSERVING for key, observer in module.OBSERVERS.items()}
)
