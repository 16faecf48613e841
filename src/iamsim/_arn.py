"""Amazon Resource Names: parsing, and the one builder for every ARN iamsim makes.

An ARN is ``arn:partition:service:region:account-id:resource``; the resource
part keeps any further colons. IAM and STS ARNs have an empty region; S3 ARNs
have neither region nor account (spec §B.2, AWS's "Identify AWS resources with
Amazon Resource Names" page, ``reference-arns.html``).

The partition is a property of the world, not of the code: a simulator in
``aws-us-gov`` names its users ``arn:aws-us-gov:iam::...``. So nothing outside
this module writes ``arn:aws:`` into an ARN it builds; it calls the builders
below with the simulator's partition.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamsim._shown import shown
from iamsim.errors import InvalidArnError, UsageError

__all__ = [
    "AWS_MANAGED_POLICY_ACCOUNT",
    "PARTITIONS",
    "Arn",
    "account_root_arn",
    "aws_managed_policy_arn",
    "build_arn",
    "check_partition",
    "dns_suffix",
    "ec2_instance_arn",
    "home_region",
    "iam_arn",
    "iam_entity_arn",
    "in_partition",
    "is_account_id",
    "s3_arn",
    "sts_arn",
]

#: The partitions iamsim knows; roles and resource policies never cross them.
PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov"})

#: Each partition's home region: where its global IAM and STS endpoints sign
#: (``credentialScope`` of IAM's partition endpoint in botocore's ``endpoints.json``).
#: iamsim's EC2 launches its instances there.
_HOME_REGIONS = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}

#: Each partition's domain suffix (``dnsSuffix`` in botocore's ``endpoints.json``;
#: CloudFormation's ``AWS::URLSuffix``: "amazonaws.com.cn" in the China Regions).
_DNS_SUFFIXES = {"aws": "amazonaws.com", "aws-cn": "amazonaws.com.cn", "aws-us-gov": "amazonaws.com"}

#: The account field of every AWS managed policy ARN (``arn:aws:iam::aws:policy/...``).
AWS_MANAGED_POLICY_ACCOUNT = "aws"


def is_account_id(value: object) -> bool:
    """Return whether ``value`` is a 12-digit AWS account id."""
    return isinstance(value, str) and len(value) == 12 and value.isascii() and value.isdigit()


def check_partition(partition: object) -> str:
    """Return ``partition`` if iamsim knows it; raise ``UsageError`` (a ``ValueError``) naming the known ones."""
    if not isinstance(partition, str) or partition not in PARTITIONS:
        known = ", ".join(sorted(PARTITIONS))
        raise UsageError(f"partition {shown(partition)} is not an AWS partition; use one of {known}")
    return partition


def home_region(partition: str) -> str:
    """Return ``partition``'s home region (``us-east-1``, ``cn-north-1``, ``us-gov-west-1``)."""
    return _HOME_REGIONS[check_partition(partition)]


def region_partition(region: str) -> str:
    """The partition a region belongs to: ``cn-*`` is ``aws-cn``, ``us-gov-*`` is ``aws-us-gov``, any other ``aws``."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def dns_suffix(partition: str) -> str:
    """Return ``partition``'s domain suffix: ``amazonaws.com``, or ``amazonaws.com.cn`` for ``aws-cn``."""
    return _DNS_SUFFIXES[check_partition(partition)]


def build_arn(partition: str, service: str, resource: str, *, region: str = "", account: str = "") -> str:
    """Return ``arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE``, the one place ARN text is assembled."""
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def iam_arn(partition: str, account: str, resource: str) -> str:
    """Return an IAM ARN (no region): ``arn:PARTITION:iam::ACCOUNT:RESOURCE``."""
    return build_arn(partition, "iam", resource, account=account)


def iam_entity_arn(partition: str, account: str, kind: str, path: str, name: str) -> str:
    """Return the ARN of an IAM entity: ``arn:PARTITION:iam::ACCOUNT:KIND/PATH/NAME``.

    ``path`` starts and ends with ``/`` (``/`` alone for none), as IAM paths do, so
    ``iam_entity_arn("aws", A, "role", "/app/", "Reader")`` is ``...:role/app/Reader``.
    """
    return iam_arn(partition, account, f"{kind}{path}{name}")


def account_root_arn(account: str, partition: str = "aws") -> str:
    """Return the ARN of an account's root user, ``arn:PARTITION:iam::ACCOUNT:root``."""
    return iam_arn(partition, account, "root")


def sts_arn(partition: str, account: str, resource: str) -> str:
    """Return an STS ARN (``assumed-role/ROLE/SESSION``, ``federated-user/NAME``); STS ARNs have no region."""
    return build_arn(partition, "sts", resource, account=account)


def aws_managed_policy_arn(partition: str, path: str, name: str) -> str:
    """Return the ARN of an AWS managed policy in ``partition``: ``arn:PARTITION:iam::aws:policy/PATH/NAME``."""
    return iam_entity_arn(partition, AWS_MANAGED_POLICY_ACCOUNT, "policy", path, name)


def s3_arn(partition: str, bucket: str, key: str | None = None) -> str:
    """Return an S3 bucket ARN, or an object ARN with ``key``; S3 ARNs have no region or account."""
    return build_arn(partition, "s3", bucket if key is None else f"{bucket}/{key}")


def ec2_instance_arn(partition: str, region: str, account: str, instance_id: str) -> str:
    """Return the ARN of an EC2 instance: ``arn:PARTITION:ec2:REGION:ACCOUNT:instance/ID``."""
    return build_arn(partition, "ec2", f"instance/{instance_id}", region=region, account=account)


def in_partition(arn: str, partition: str) -> str:
    """Return ``arn`` with its partition field replaced (the same resource as named in ``partition``).

    Raises :class:`~iamsim.errors.InvalidArnError` if ``arn`` is not an ARN.
    """
    parsed = Arn.parse(arn)
    return build_arn(partition, parsed.service, parsed.resource, region=parsed.region, account=parsed.account)


@dataclass(frozen=True, slots=True)
class Arn:
    """A parsed ARN. ``resource`` is everything after the fifth colon."""

    partition: str
    service: str
    region: str
    account: str
    resource: str

    @classmethod
    def parse(cls, text: str) -> Arn:
        """Parse ``text``; raise :class:`~iamsim.errors.InvalidArnError` if it is not an ARN."""
        if not isinstance(text, str):
            raise InvalidArnError(f"ARN {text!r} is not valid: an ARN is a string.")
        parts = text.split(":", 5)
        if len(parts) != 6 or parts[0] != "arn":
            raise InvalidArnError(f"ARN {text} is not valid.")
        _, partition, service, region, account, resource = parts
        if not partition or not service:
            raise InvalidArnError(f"ARN {text} is not valid.")
        return cls(partition, service, region, account, resource)

    @classmethod
    def try_parse(cls, text: str) -> Arn | None:
        """Parse ``text`` or return ``None`` when it is not an ARN."""
        try:
            return cls.parse(text)
        except InvalidArnError:
            return None

    @property
    def resource_type(self) -> str:
        """The resource type word (``role`` in ``role/path/Name``), or ``""``."""
        for sep in ("/", ":"):
            if sep in self.resource:
                return self.resource.split(sep, 1)[0]
        return ""

    @property
    def resource_name(self) -> str:
        """The last ``/``-separated component of the resource (an entity's name)."""
        return self.resource.rsplit("/", 1)[-1]

    def __str__(self) -> str:
        return build_arn(self.partition, self.service, self.resource, region=self.region, account=self.account)
