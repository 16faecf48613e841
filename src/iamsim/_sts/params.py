"""STS parameter checks with the service model's constraints and AWS's wording (spec §G)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from iamsim._store.account_data import Document
from iamsim._store.validation import TagsInput, check_length, check_pattern, validation_error
from iamsim.errors import PackedPolicyTooLargeError, ValidationError

__all__ = [
    "NO_OPTIONS",
    "SessionOptions",
    "SessionTagsInput",
    "check_duration",
    "check_external_id",
    "check_federated_name",
    "check_mfa",
    "check_policy_arns",
    "check_role_arn",
    "check_session_name",
    "check_session_tags",
    "check_source_identity",
    "check_token",
    "check_transitive_keys",
    "packed_policy_size",
]

#: Session tags as callers pass them: a mapping or ``(key, value)`` pairs.
SessionTagsInput = TagsInput


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionOptions:
    """The optional parameters of an STS operation that issues a session, as the caller passed them (§G).

    One record for all of them, so the Simulator's typed methods hand the service
    what they were given without spelling every parameter twice; each operation
    reads only the parameters its AWS operation takes, and the typed methods set
    only those.
    """

    duration_seconds: int | None = None
    policy: Document | None = None
    policy_arns: Sequence[str] | None = None
    tags: SessionTagsInput = None
    transitive_tag_keys: Sequence[str] | None = None
    external_id: str | None = None
    serial_number: str | None = None
    token_code: str | None = None
    source_identity: str | None = None

    def duration(self, default: int, most: int) -> int:
        """``DurationSeconds`` (``default`` when not given), checked to lie in 900..``most``."""
        return check_duration(default if self.duration_seconds is None else self.duration_seconds, 900, most)


#: No optional parameter given.
NO_OPTIONS = SessionOptions()

_SESSION_NAME = r"[\w+=,.@-]*"
_SESSION_NAME_RE = re.compile(_SESSION_NAME)
_EXTERNAL_ID = r"[\w+=,.@:\/-]*"
_EXTERNAL_ID_RE = re.compile(r"[\w+=,.@:/-]*")
_SERIAL = r"[\w+=/:,.@-]*"
_SERIAL_RE = re.compile(_SERIAL)
_TOKEN_CODE = r"[\d]*"
_TOKEN_CODE_RE = re.compile(r"\d*", re.ASCII)
_TAG = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"
_TAG_RE = re.compile(r"[\w\s.:/=+\-@]*")
_PACKED_BUDGET = 2048


def _string(value: object, member: str) -> str:
    if not isinstance(value, str):
        raise validation_error(value, member, "Member must be a string")
    return value


def _text(value: object, member: str, low: int, high: int, pattern: str, compiled: re.Pattern[str]) -> str:
    """A string parameter of ``low``..``high`` characters matching ``pattern``, with AWS's error for each miss."""
    text = _string(value, member)
    check_length(text, member, low, high)
    check_pattern(text, member, pattern, compiled)
    return text


def check_token(value: object, member: str, low: int, high: int) -> str:
    """A token, assertion or sealed message of ``low``..``high`` characters.

    AWS does not echo such a value in its error (it is a credential, or too long
    to print), and says the same for a value that is not a string at all.
    """
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise ValidationError(
            f"1 validation error detected: Value at '{member}' failed to satisfy constraint: "
            f"Member must have length between {low} and {high}"
        )
    return value


def check_role_arn(value: object) -> str:
    """``RoleArn``: 20..2048 characters."""
    text = _string(value, "roleArn")
    check_length(text, "roleArn", 20, 2048)
    return text


def check_session_name(value: object, member: str = "roleSessionName") -> str:
    """``RoleSessionName``: 2..64 of ``[\\w+=,.@-]*`` (§G.1)."""
    return _text(value, member, 2, 64, _SESSION_NAME, _SESSION_NAME_RE)


def check_federated_name(value: object) -> str:
    """GetFederationToken ``Name``: 2..32 of ``[\\w+=,.@-]*`` (§G.5)."""
    return _text(value, "name", 2, 32, _SESSION_NAME, _SESSION_NAME_RE)


def check_duration(value: object, low: int, high: int) -> int:
    """``DurationSeconds`` within the operation's model range."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise validation_error(value, "durationSeconds", "Member must be an integer")
    if value < low:
        raise validation_error(value, "durationSeconds", f"Member must have value greater than or equal to {low}")
    if value > high:
        raise validation_error(value, "durationSeconds", f"Member must have value less than or equal to {high}")
    return value


def check_external_id(value: object) -> str:
    """``ExternalId``: 2..1224 of ``[\\w+=,.@:/-]*``."""
    return _text(value, "externalId", 2, 1224, _EXTERNAL_ID, _EXTERNAL_ID_RE)


def check_mfa(serial_number: object, token_code: object) -> tuple[str, str]:
    """``SerialNumber`` (9..256) and ``TokenCode`` (exactly 6 digits)."""
    serial = _text(serial_number, "serialNumber", 9, 256, _SERIAL, _SERIAL_RE)
    code = _text(token_code, "tokenCode", 6, 6, _TOKEN_CODE, _TOKEN_CODE_RE)
    return serial, code


def check_source_identity(value: object) -> str:
    """``SourceIdentity``: 2..64 of ``[\\w+=,.@-]*``, not starting with ``aws:``."""
    text = _text(value, "sourceIdentity", 2, 64, _SESSION_NAME, _SESSION_NAME_RE)
    if text.lower().startswith("aws:"):
        raise validation_error(text, "sourceIdentity", "Member must not begin with aws:")
    return text


def check_policy_arns(values: Sequence[str] | None) -> tuple[str, ...]:
    """``PolicyArns``: at most 10 ARNs, each 20..2048 characters."""
    if values is None:
        return ()
    arns = tuple(values)
    if len(arns) > 10:
        raise validation_error(list(arns), "policyArns", "Member must have length less than or equal to 10")
    for arn in arns:
        check_length(_string(arn, "policyArns.member.arn"), "policyArns.member.arn", 20, 2048)
    return arns


def check_session_tags(tags: SessionTagsInput) -> tuple[tuple[str, str], ...]:
    """``Tags``: at most 50, keys 1..128, values 0..256, keys unique case-insensitively (§G.1)."""
    if tags is None:
        return ()
    if isinstance(tags, Mapping):
        raw: list[object] = list(tags.items())
    elif isinstance(tags, Iterable) and not isinstance(tags, (str, bytes)):
        raw = list(tags)
    else:
        raise validation_error(tags, "tags", "Member must be a list of key/value pairs")
    if len(raw) > 50:
        raise validation_error(raw, "tags", "Member must have length less than or equal to 50")
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise validation_error(item, "tags.member", "Member must be a key/value pair")
        key = _string(item[0], "tags.member.key")
        value = _string(item[1], "tags.member.value")
        items.append((key, value))
        check_length(key, "tags.member.key", 1, 128)
        check_pattern(key, "tags.member.key", _TAG, _TAG_RE)
        check_length(value, "tags.member.value", 0, 256)
        check_pattern(value, "tags.member.value", _TAG.replace("]+", "]*"), _TAG_RE)
        if key.lower() in seen:
            raise ValidationError("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
        seen.add(key.lower())
    return tuple(items)


def check_transitive_keys(keys: Iterable[str] | None, tags: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """``TransitiveTagKeys``: at most 50, each one of the session tags passed."""
    if keys is None:
        return ()
    listed = tuple(keys)
    if len(listed) > 50:
        raise validation_error(list(listed), "transitiveTagKeys", "Member must have length less than or equal to 50")
    passed = {k.lower() for k, _ in tags}
    for key in listed:
        if _string(key, "transitiveTagKeys.member").lower() not in passed:
            raise ValidationError(f"The transitive tag key {key} is not one of the session tags passed.")
    return listed


def packed_policy_size(policy: str | None, policy_arns: Sequence[str], tags: Sequence[tuple[str, str]]) -> int:
    """The percentage of the packed budget used, ``PackedPolicyTooLarge`` above 100 (§G.1 SHOULD).

    ``ceil(100 * (policy characters + ARN characters + tag characters) / 2048)``:
    AWS's real packing algorithm is undocumented (§K.5).
    """
    used = len(policy or "") + sum(len(a) for a in policy_arns) + sum(len(k) + len(v) for k, v in tags)
    percent = math.ceil(100 * used / _PACKED_BUDGET)
    if percent > 100:
        raise PackedPolicyTooLargeError(
            f"Packed policy consumes {percent}% of allotted space, please use smaller policy."
        )
    return percent
