"""The EC2 instance metadata service (IMDSv2) of every simulated instance.

One server serves every instance: the metadata service of instance ``i-0abc`` is rooted
at ``/_iamsim/imds/i-0abc/``, which is what ``AWS_EC2_METADATA_SERVICE_ENDPOINT`` names
(the SDKs append ``latest/api/token``, ``latest/meta-data/...`` to it). S3 bucket names
cannot contain ``_``, so the prefix never shadows a path-style S3 request.

As at AWS (EC2 User Guide, "Use the Instance Metadata Service to access instance
metadata", configuring-instance-metadata-service.html and instance-metadata-v2-how-it-works.html):

* ``PUT latest/api/token`` with ``X-aws-ec2-metadata-token-ttl-seconds`` between 1 and
  21600 returns a session token; a missing or out-of-range TTL is ``400``, a PUT carrying
  ``X-Forwarded-For`` is refused with ``403``;
* every read needs ``X-aws-ec2-metadata-token`` with a live token of *this* instance, else
  ``401`` (IMDSv1, reads without a token, only when the server was started with
  ``imds_v1=True``);
* ``meta-data/iam/security-credentials/ROLE`` hands out the role's credentials, renewed at
  least five minutes before they expire (§G.1; :meth:`Ec2Operations.instance_credentials`),
  and a replaced profile's role shows up at once.

Tokens expire on the simulator's clock and are forgotten once expired; at most
``token_limit`` live tokens are kept (the oldest go first), so memory stays bounded.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from iamsim._arn import home_region
from iamsim._serve.clock import OffsetClock
from iamsim._serve.responses import imds_error, json_response, text_response, timestamp
from iamsim._simulator import Instance, Simulator
from iamsim._sts.service import INSTANCE_CREDENTIAL_SECONDS
from iamsim._wire.http import HttpResponse
from iamsim.errors import ServiceError

__all__ = ["IMDS_PREFIX", "MAX_TOKEN_TTL", "MetadataService"]

#: The path under which instance ``i-...``'s metadata service answers: ``/_iamsim/imds/i-.../``.
IMDS_PREFIX = "/_iamsim/imds/"
#: The longest IMDSv2 token lifetime AWS grants: six hours.
MAX_TOKEN_TTL = 21600
_TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds"
_TOKEN_HEADER = "X-aws-ec2-metadata-token"


class MetadataService:
    """IMDSv2 for the simulator's instances (see the module documentation)."""

    def __init__(
        self, simulator: Simulator, clock: OffsetClock, *, imds_v1: bool = False, token_limit: int = 10_000
    ) -> None:
        self._sim = simulator
        self._clock = clock
        self._imds_v1 = imds_v1
        self._token_limit = token_limit
        self._tokens: OrderedDict[str, tuple[str, datetime]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def live_tokens(self) -> int:
        """How many tokens are held now (expired ones included until the next sweep)."""
        return len(self._tokens)

    def handle(self, method: str, instance_id: str, path: str, headers: Mapping[str, str]) -> HttpResponse:
        """Answer ``method path`` (relative to the instance's root, e.g. ``latest/meta-data/``)."""
        instance = self._instance(instance_id)
        if instance is None:
            return imds_error(404)
        if path == "latest/api/token":
            return self._issue_token(method, instance_id, headers) if method == "PUT" else imds_error(405)
        if method not in ("GET", "HEAD"):
            return imds_error(405)
        if not self._token_ok(instance_id, headers):
            return imds_error(401)
        answer = self._read(instance, path)
        return imds_error(404) if answer is None else answer

    # ------------------------------------------------------------------ tokens

    def _issue_token(self, method: str, instance_id: str, headers: Mapping[str, str]) -> HttpResponse:
        if "X-Forwarded-For" in headers:
            return imds_error(403)
        raw = headers.get(_TTL_HEADER)
        ttl = int(raw) if raw is not None and raw.strip().isascii() and raw.strip().isdigit() else 0
        if not 1 <= ttl <= MAX_TOKEN_TTL:
            return imds_error(400)
        token = secrets.token_urlsafe(42)
        now = self._clock.now()
        with self._lock:
            self._sweep(now)
            while len(self._tokens) >= self._token_limit:
                self._tokens.popitem(last=False)
            self._tokens[token] = (instance_id, now + timedelta(seconds=ttl))
        return text_response(token, headers={_TTL_HEADER: str(ttl)})

    def _token_ok(self, instance_id: str, headers: Mapping[str, str]) -> bool:
        token = headers.get(_TOKEN_HEADER)
        if token is None:
            return self._imds_v1
        with self._lock:
            held = self._tokens.get(token)
        return held is not None and held[0] == instance_id and self._clock.now() < held[1]

    def _sweep(self, now: datetime) -> None:
        for token in [token for token, (_, expires) in self._tokens.items() if expires <= now]:
            del self._tokens[token]

    # ------------------------------------------------------------------ reads

    def _instance(self, instance_id: str) -> Instance | None:
        try:
            instance = self._sim.ec2.describe_instance(instance_id)
        except ServiceError:
            return None
        return instance if instance.state == "running" else None

    def _read(self, instance: Instance, path: str) -> HttpResponse | None:
        region = home_region(self._sim.partition)
        iam = instance.instance_profile is not None
        documents: dict[str, Callable[[], HttpResponse | None]] = {
            "latest/meta-data/": lambda: _listing("instance-id", "placement/", *(["iam/"] if iam else [])),
            "latest/meta-data/instance-id": lambda: text_response(instance.instance_id),
            "latest/meta-data/placement/": lambda: _listing("availability-zone", "region"),
            "latest/meta-data/placement/region": lambda: text_response(region),
            "latest/meta-data/placement/availability-zone": lambda: text_response(region + "a"),
            "latest/dynamic/": lambda: _listing("instance-identity/"),
            "latest/dynamic/instance-identity/": lambda: _listing("document"),
            "latest/dynamic/instance-identity/document": lambda: json_response(self._identity(instance, region)),
        }
        if iam:
            documents |= {
                "latest/meta-data/iam/": lambda: _listing("info", "security-credentials/"),
                "latest/meta-data/iam/info": lambda: self._iam_info(instance),
                "latest/meta-data/iam/security-credentials/": lambda: self._role_listing(instance),
            }
        found = documents.get(path)
        if found is not None:
            return found()
        prefix = "latest/meta-data/iam/security-credentials/"
        if iam and path.startswith(prefix) and "/" not in path[len(prefix) :]:
            return self._role_credentials(instance, path[len(prefix) :])
        return None

    def _profile_role(self, instance: Instance) -> tuple[Any, str | None] | None:
        """The instance's profile and its role name (``None`` without a role), or ``None``."""
        if instance.instance_profile is None:
            return None
        try:
            profile = self._sim.iam.get_instance_profile(instance.instance_profile, account_id=instance.account_id)
        except ServiceError:
            return None
        return profile, (profile.roles[0] if profile.roles else None)

    def _iam_info(self, instance: Instance) -> HttpResponse | None:
        found = self._profile_role(instance)
        if found is None:
            return None
        profile, _ = found
        return json_response(
            {
                "Code": "Success",
                "LastUpdated": timestamp(self._clock.to_client(self._clock.now())),
                "InstanceProfileArn": profile.arn,
                "InstanceProfileId": profile.instance_profile_id,
            }
        )

    def _role_listing(self, instance: Instance) -> HttpResponse | None:
        found = self._profile_role(instance)
        if found is None or found[1] is None:
            return None
        return text_response(found[1])

    def _role_credentials(self, instance: Instance, role_name: str) -> HttpResponse | None:
        found = self._profile_role(instance)
        if found is None or found[1] is None or found[1] != role_name:
            return None
        try:
            credentials = self._sim.ec2.instance_credentials(instance.instance_id)
        except ServiceError as error:
            # What IMDS shows when EC2 cannot assume the role (a trust policy without ec2.amazonaws.com).
            return json_response(
                {
                    "Code": "AssumeRoleUnauthorizedAccess",
                    "Message": error.message,
                    "LastUpdated": timestamp(self._clock.to_client(self._clock.now())),
                }
            )
        assert credentials.expiration is not None  # instance credentials always expire
        issued = self._clock.to_client(credentials.expiration) - timedelta(seconds=INSTANCE_CREDENTIAL_SECONDS)
        expiration = self._clock.to_client(credentials.expiration)
        return json_response(
            {
                "Code": "Success",
                "LastUpdated": timestamp(issued),
                "Type": "AWS-HMAC",
                "AccessKeyId": credentials.access_key_id,
                "SecretAccessKey": credentials.secret_access_key,
                "Token": credentials.session_token,
                "Expiration": timestamp(expiration),
            }
        )

    def _identity(self, instance: Instance, region: str) -> dict[str, Any]:
        # Only what the simulator knows; AMI, instance type, IPs and launch time are not modelled.
        return {
            "accountId": instance.account_id,
            "availabilityZone": region + "a",
            "instanceId": instance.instance_id,
            "region": region,
            "version": "2017-09-30",
        }


def _listing(*entries: str) -> HttpResponse:
    return text_response("\n".join(entries))
