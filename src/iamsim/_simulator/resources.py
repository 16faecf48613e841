"""Resources of other services as authorization sees them: their policies, tags and owners.

iamsim does not serve S3, DynamoDB, SQS or KMS (moto or a stub does), but authorizing
a call to them needs three facts about its target (§F): the resource-based policy
attached to it (bucket policy, queue policy, key policy), its tags (``aws:ResourceTag/*``)
and the account that owns it (cross-account requests need both sides to allow, §F.1).
:class:`ResourceRecords` holds them per resource ARN as part of the world (a snapshot
writes them); :class:`ResourceOperations` is the public namespace ``sim.resources`` that
sets and reads them. The boto3 integration fills them too, by observing the app's own
successful calls (``PutBucketPolicy``, ``TagResource``...); see ``docs/enforcement.md``.

Denied calls to other services are kept here as well (with their explained result),
newest last, so tests can ask why a call was refused; they are not part of a snapshot.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamsim._engine.result import EvaluationResult
from iamsim._shown import shown
from iamsim._store.account import Document, document_text
from iamsim.errors import UsageError

if TYPE_CHECKING:
    from iamsim._simulator.core import Core

__all__ = ["DeniedCall", "ResourceOperations", "ResourceRecords"]

_DENIALS_KEPT = 1000


@dataclass
class ResourceRecords:
    """Policies, tags, owners and KMS aliases per resource ARN (part of the world's state)."""

    policies: dict[str, str] = field(default_factory=dict)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    #: KMS alias ARN -> the key ARN it points at (a request naming an alias is authorized on the key).
    aliases: dict[str, str] = field(default_factory=dict)
    #: Other named facts per resource ARN (a DynamoDB table's ``partition_key``).
    facts: dict[str, dict[str, str]] = field(default_factory=dict)

    def state(self) -> dict[str, Any]:
        """The records as JSON values, sorted (for snapshots)."""
        return {
            "policies": dict(sorted(self.policies.items())),
            "tags": {arn: dict(sorted(tags.items())) for arn, tags in sorted(self.tags.items())},
            "owners": dict(sorted(self.owners.items())),
            "aliases": dict(sorted(self.aliases.items())),
            "facts": {arn: dict(sorted(f.items())) for arn, f in sorted(self.facts.items())},
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> ResourceRecords:
        """Records from :meth:`state`'s output; ``UsageError`` names a part that is not text by ARN."""
        parts: dict[str, Any] = {}
        for name in ("policies", "owners", "aliases"):
            value = state.get(name, {})
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise UsageError(f"resources.{name} is not a mapping of ARN to text")
            parts[name] = dict(value)
        for name in ("tags", "facts"):
            value = state.get(name, {})
            if not isinstance(value, dict) or not all(
                isinstance(t, dict) and all(isinstance(v, str) for v in t.values()) for t in value.values()
            ):
                raise UsageError(f"resources.{name} is not a mapping of ARN to a mapping of text")
            parts[name] = {arn: dict(t) for arn, t in value.items()}
        return cls(**parts)


@dataclass(frozen=True, slots=True)
class DeniedCall:
    """A call to another service that iamsim refused, with the explained result of the denying request."""

    service: str
    operation: str
    caller: str
    action: str
    resource: str
    #: ``AccessDenied`` for a policy decision, or the authentication error's code.
    code: str
    message: str
    result: EvaluationResult | None


def _arn(value: object) -> str:
    if not isinstance(value, str) or not value.startswith("arn:") or value.count(":") < 5:
        raise UsageError(f"resource {shown(value)} is not an ARN")
    return value


def _owner(arn: str, recorded: str | None) -> str | None:
    """The owner as recorded, else the account field of the ARN, else ``None``."""
    return recorded if recorded is not None else (arn.split(":")[4] or None)


class ResourceOperations:
    """``sim.resources``: resource-based policies, tags and owners of other services' resources."""

    def __init__(self, core: Core) -> None:
        self._core = core
        self._denials: deque[DeniedCall] = deque(maxlen=_DENIALS_KEPT)
        self._version = 0

    @property
    def version(self) -> int:
        """A number that grows on every change to the records (what remembered decisions are checked against)."""
        return self._version

    def _changed(self) -> None:
        # Called under the lock by every method that changes a record, after the change.
        self._version += 1

    @property
    def _records(self) -> ResourceRecords:
        return self._core.state.resources

    def put_policy(self, arn: str, policy: Document) -> None:
        """Attach the resource-based policy of ``arn`` (a bucket, queue, key...), replacing any."""
        text = document_text(policy)
        with self._core.lock:
            self._records.policies[_arn(arn)] = text
            self._changed()

    def delete_policy(self, arn: str) -> None:
        """Remove the resource-based policy of ``arn`` (no error when it has none)."""
        with self._core.lock:
            self._records.policies.pop(_arn(arn), None)
            self._changed()

    def policy(self, arn: str) -> str | None:
        """The resource-based policy of ``arn`` as JSON text, or ``None``."""
        with self._core.lock:
            return self._records.policies.get(_arn(arn))

    def tag(self, arn: str, tags: Mapping[str, str]) -> None:
        """Add or replace tags of ``arn`` (``aws:ResourceTag/*`` of requests on it)."""
        if not isinstance(tags, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
            raise UsageError(f"tags {shown(tags)} are not a mapping of text to text")
        with self._core.lock:
            self._records.tags.setdefault(_arn(arn), {}).update(tags)
            self._changed()

    def untag(self, arn: str, keys: list[str] | tuple[str, ...]) -> None:
        """Remove the tags named ``keys`` from ``arn``."""
        with self._core.lock:
            current = self._records.tags.get(_arn(arn), {})
            for key in keys:
                current.pop(key, None)
            self._changed()

    def tags(self, arn: str) -> dict[str, str]:
        """The tags of ``arn`` (a copy)."""
        with self._core.lock:
            return dict(self._records.tags.get(_arn(arn), {}))

    def set_owner(self, arn: str, account_id: str) -> None:
        """Say which account owns ``arn`` (S3 bucket ARNs name none; other ARNs name their own)."""
        if not isinstance(account_id, str) or not (len(account_id) == 12 and account_id.isdigit()):
            raise UsageError(f"account id {shown(account_id)} is not 12 digits")
        with self._core.lock:
            self._records.owners[_arn(arn)] = account_id
            self._changed()

    def owner(self, arn: str) -> str | None:
        """The account that owns ``arn``: as set, else the account field of the ARN, else ``None``."""
        with self._core.lock:
            found = self._records.owners.get(_arn(arn))
        return _owner(arn, found)

    def governing(self, arn: str, policy_arn: str) -> tuple[dict[str, str], str | None, str | None]:
        """What a request on ``arn`` is decided with, read at once: its tags (a copy), and the
        resource-based policy and owner of ``policy_arn`` (the resource whose policy governs ``arn``)."""
        _arn(arn)
        _arn(policy_arn)
        with self._core.lock:
            records = self._records
            tags = dict(records.tags.get(arn, {}))
            policy = records.policies.get(policy_arn)
            found = records.owners.get(policy_arn)
        return tags, policy, _owner(policy_arn, found)

    def set_alias(self, alias_arn: str, key_arn: str) -> None:
        """Point the KMS alias ``alias_arn`` at the key ``key_arn``."""
        with self._core.lock:
            self._records.aliases[_arn(alias_arn)] = _arn(key_arn)
            self._changed()

    def alias_target(self, alias_arn: str) -> str | None:
        """The key ARN the KMS alias points at, or ``None``."""
        with self._core.lock:
            return self._records.aliases.get(alias_arn)

    def set_fact(self, arn: str, name: str, value: str) -> None:
        """Record a named fact about ``arn`` (``"partition_key"`` of a DynamoDB table)."""
        if not isinstance(name, str) or not isinstance(value, str):
            raise UsageError(f"fact {shown(name)} = {shown(value)} is not text")
        with self._core.lock:
            self._records.facts.setdefault(_arn(arn), {})[name] = value
            self._changed()

    def fact(self, arn: str, name: str) -> str | None:
        """A fact recorded about ``arn``, or ``None``."""
        with self._core.lock:
            return self._records.facts.get(arn, {}).get(name)

    def forget(self, arn: str) -> None:
        """Drop everything known about ``arn`` (after the resource was deleted)."""
        with self._core.lock:
            for part in (self._records.policies, self._records.tags, self._records.owners, self._records.facts):
                part.pop(arn, None)
            self._changed()

    # ------------------------------------------------------------- denials

    def record_denial(self, denial: DeniedCall) -> None:
        """Keep a refused call (the boto3 integration calls this; the newest are kept)."""
        with self._core.lock:
            self._denials.append(denial)

    @property
    def denials(self) -> tuple[DeniedCall, ...]:
        """Calls to other services refused so far, oldest first."""
        with self._core.lock:
            return tuple(self._denials)

    def clear_denials(self) -> None:
        """Forget the refused calls kept so far."""
        with self._core.lock:
            self._denials.clear()
