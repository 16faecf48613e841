"""Authorization of calls to other AWS services (S3, DynamoDB, SQS, KMS...) before their backend answers.

* :mod:`.table`: the format of a service's mapping (operation -> actions, resource ARNs,
  context keys); :mod:`.services`: one table per service;
* :mod:`.decide`: :class:`Authorizer`, the decision for one decoded call;
* :mod:`.render`: a denial or authentication error as the service's own error response;
* :mod:`.observe`: resource policies, tags and owners learnt from the app's successful calls.

The boto3 integration (:mod:`iamsim.boto3`) wires them to botocore's events; an HTTP
transport decodes a request to (service, operation, params) and uses the same parts.
"""

from __future__ import annotations

from iamsim._enforce.decide import DEFAULT_SOURCE_IP, Authorizer, Verdict
from iamsim._enforce.table import Need, ServiceTable, Where, need

__all__ = ["DEFAULT_SOURCE_IP", "Authorizer", "Need", "ServiceTable", "Verdict", "Where", "need"]
