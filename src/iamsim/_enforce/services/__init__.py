"""The authorization tables of the services mapped so far, one module per service (format: ``table.py``)."""

from __future__ import annotations

from types import MappingProxyType

from iamsim._enforce.services import dynamodb, kms, s3, sqs
from iamsim._enforce.table import ServiceTable

__all__ = ["TABLES"]

#: Every bundled table by botocore service name.
TABLES: MappingProxyType[str, ServiceTable] = MappingProxyType(
    {table.service: table for table in (s3.TABLE, dynamodb.TABLE, sqs.TABLE, kms.TABLE)}
)
