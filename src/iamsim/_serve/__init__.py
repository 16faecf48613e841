"""``iamsim serve``: IAM, STS, instance metadata and container credentials over HTTP.

:class:`~iamsim._serve.server.Server` puts a simulator behind a local HTTP server so the
AWS CLI, SDKs in any language and unmodified applications can use it: the AWS APIs
(:mod:`.app`, IAM and STS through the wire layer the boto3 hook uses, other services
forwarded after authorization, :mod:`.forward`), IMDSv2 per instance (:mod:`.imds`),
container credentials (:mod:`.containers`) and an admin API (:mod:`.admin`) over a clock
that runs with the wall clock plus an offset (:mod:`.clock`). See docs/serve.md.
"""

from __future__ import annotations

from iamsim._serve.clock import OffsetClock
from iamsim._serve.forward import Authorizer
from iamsim._serve.server import Server

__all__ = ["Authorizer", "OffsetClock", "Server"]
