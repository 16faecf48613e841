"""Amazon Resource Names: parsing and the few ARN shapes IAM and STS build.

An ARN is ``arn:partition:service:region:account-id:resource``; the resource
part keeps any further colons. IAM and STS ARNs have an empty region; S3 ARNs
have neither region nor account.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamsim.errors import InvalidArnError

__all__ = [
    "PARTITIONS",
    "Arn",
    "account_root_arn",
    "is_account_id",
]

#: The partitions iamsim knows; roles and resource policies never cross them.
PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov"})


def is_account_id(value: object) -> bool:
    """Return whether ``value`` is a 12-digit AWS account id."""
    return isinstance(value, str) and len(value) == 12 and value.isascii() and value.isdigit()


def account_root_arn(account: str, partition: str = "aws") -> str:
    """Return the ARN of an account's root user, ``arn:aws:iam::ACCOUNT:root``."""
    return f"arn:{partition}:iam::{account}:root"


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
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"
