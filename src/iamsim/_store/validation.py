"""Parameter checks IAM applies before it touches anything (spec §H.2).

Pattern and length violations are the service model's ``ValidationError``
with AWS's wording: ``1 validation error detected: Value 'x' at 'roleName'
failed to satisfy constraint: Member must ...``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from iamsim.errors import InvalidInputError, LimitExceededError, ValidationError

__all__ = [
    "NAME_PATTERN",
    "Tags",
    "TagsInput",
    "check_length",
    "check_name",
    "check_path",
    "check_pattern",
    "check_policy_path",
    "normalise_tags",
    "tag_keys_to_drop",
    "validation_error",
]

#: A tag list as stored: ``(key, value)`` pairs in the order given.
Tags = tuple[tuple[str, str], ...]

#: Tags as callers pass them: a mapping, ``(key, value)`` pairs, or ``None`` for none.
TagsInput = Mapping[str, str] | Iterable[tuple[str, str]] | None

NAME_PATTERN = r"[\w+=,.@-]+"
_NAME_RE = re.compile(r"[\w+=,.@-]+", re.ASCII)
_PATH_RE = re.compile(r"/|/[\u0021-\u007E]+/")
_POLICY_PATH_RE = re.compile(r"((/[A-Za-z0-9.,+@=_-]+)*)/")
_TAG_RE = re.compile(r"[\w\s.:/=+\-@]*")
_MAX_TAGS = 50


def validation_error(value: object, member: str, constraint: str) -> ValidationError:
    """AWS's one-violation ``ValidationError`` for ``value`` at ``member``."""
    return ValidationError(
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
    )


def check_length(value: str, member: str, low: int, high: int) -> None:
    """Raise ``ValidationError`` unless ``low <= len(value) <= high``."""
    if len(value) < low:
        raise validation_error(value, member, f"Member must have length greater than or equal to {low}")
    if len(value) > high:
        raise validation_error(value, member, f"Member must have length less than or equal to {high}")


def check_pattern(value: str, member: str, pattern: str, regex: re.Pattern[str]) -> None:
    """Raise ``ValidationError`` unless ``regex`` matches all of ``value``."""
    if regex.fullmatch(value) is None:
        raise validation_error(value, member, f"Member must satisfy regular expression pattern: {pattern}")


def check_name(value: object, member: str, max_length: int) -> str:
    """Check an IAM entity name (``[\\w+=,.@-]+``, 1..``max_length``) and return it."""
    if not isinstance(value, str):
        raise validation_error(str(value), member, "Member must be a string")
    check_length(value, member, 1, max_length)
    check_pattern(value, member, NAME_PATTERN, _NAME_RE)
    return value


def check_path(value: object, member: str = "path") -> str:
    """Check an entity path: ``/`` or ``/.../`` of U+0021..U+007E, at most 512 characters."""
    if not isinstance(value, str):
        raise validation_error(str(value), member, "Member must be a string")
    check_length(value, member, 1, 512)
    check_pattern(value, member, r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)", _PATH_RE)
    return value


def check_policy_path(value: object) -> str:
    """Check a managed policy path (``((/[A-Za-z0-9\\.,\\+@=_-]+)*)/``)."""
    path = check_path(value, "path")
    check_pattern(path, "path", r"((/[A-Za-z0-9\.,\+@=_-]+)*)/", _POLICY_PATH_RE)
    return path


def normalise_tags(tags: Mapping[str, str] | Iterable[tuple[str, str]] | None, existing: Tags = ()) -> Tags:
    """Merge ``tags`` over ``existing`` (a new value overwrites a key, compared case-insensitively).

    Raises ``InvalidInput`` for duplicate keys in one request, ``ValidationError``
    for bad keys or values and ``LimitExceeded`` beyond 50 tags (spec §H.2).
    """
    if tags is None:
        return existing
    if isinstance(tags, Mapping):
        raw: list[object] = list(tags.items())
    elif isinstance(tags, Iterable) and not isinstance(tags, (str, bytes)):
        raw = list(tags)
    else:
        raise InvalidInputError("Tags must be a mapping of keys to values or a list of (key, value) pairs.")
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise InvalidInputError(f"Tag {item!r} is not a (key, value) pair.")
        key, value = item
        if not isinstance(key, str) or not isinstance(value, str):
            raise InvalidInputError("Tag keys and values must be strings.")
        items.append((key, value))
        check_length(key, "tags.member.key", 1, 128)
        check_pattern(key, "tags.member.key", r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+", _TAG_RE)
        check_length(value, "tags.member.value", 0, 256)
        check_pattern(value, "tags.member.value", r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*", _TAG_RE)
        if key.lower() in seen:
            raise InvalidInputError("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
        seen.add(key.lower())
    merged = [(k, v) for k, v in existing if k.lower() not in seen]
    merged.extend(items)
    if len(merged) > _MAX_TAGS:
        raise LimitExceededError("The number of tags has reached the maximum limit.")
    return tuple(merged)


def tag_keys_to_drop(keys: Iterable[str]) -> frozenset[str]:
    """The lowercased tag keys of an Untag request; a bare string is refused, not read as characters."""
    if isinstance(keys, (str, bytes)) or not isinstance(keys, Iterable):
        raise InvalidInputError("Tag keys must be given as a list of strings.")
    listed = list(keys)
    if not all(isinstance(key, str) for key in listed):
        raise InvalidInputError("Tag keys must be strings.")
    return frozenset(key.lower() for key in listed)
