"""The resource-type word of an ARN, which a Resource wildcard may not stand for (spec §B.2).

The IAM identifiers page (UG: reference_identifiers.html, "ARNs") says a
wildcard cannot replace the resource-type portion of an ARN: ``arn:aws:iam::
123456789012:u*`` does not name users. The words come from the bundled
service reference: the literal word that begins the resource part of an ARN
format (``instance`` in ``...:instance/${InstanceId}``, ``log-group`` in
``...:log-group:${LogGroupName}``), before its first ``/`` or ``:``. Formats
that begin with a name (an S3 bucket, an API id) have no word.

A request's resource is *typed* when its resource part begins with one of its
service's words followed by ``/`` or ``:`` and the whole ARN fits a format of
that type, every ``${...}`` standing for at least one character: so the S3
object ``arn:aws:s3:::job/key`` in the bucket ``job`` is not an S3 batch job
(whose format has a region and an account). A Resource pattern with a
resource part (six fields) that is not only ``*`` then matches a typed
resource only when its literal start (before any wildcard or policy variable)
spells the word. The rule is decided per pattern at compile time; a pattern
that needs it checks the request's type once it otherwise matched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from iamsim._engine.wildcards import Glob, Matcher, compile_glob
from iamsim._policy.catalog import ServiceCatalog

__all__ = [
    "ResourceType",
    "TypeGuard",
    "forbidden_types",
    "request_type",
    "type_words",
    "wildcard_type_words",
]

#: ``(service, word)``: a request's resource type as the guard compares it.
ResourceType = tuple[str, str]

_SEPARATORS = "/:"


def _leading_word(resource_part: str) -> tuple[str, int]:
    """The text of ``resource_part`` before its first ``/`` or ``:``, and that separator's index (-1: none)."""
    indexes = [index for index in map(resource_part.find, _SEPARATORS) if index >= 0]
    if not indexes:
        return resource_part, -1
    first = min(indexes)
    return resource_part[:first], first


def _format_glob(arn_format: str) -> str:
    """An ARN format as an IAM glob: each ``${...}`` is one or more characters (``?*``)."""
    out: list[str] = []
    position = 0
    while True:
        start = arn_format.find("${", position)
        end = arn_format.find("}", start) if start >= 0 else -1
        if end < 0:
            out.append(arn_format[position:])
            return "".join(out)
        out.append(arn_format[position:start])
        out.append("?*")
        position = end + 1


@cache
def _formats() -> Mapping[ResourceType, tuple[Glob, ...]]:
    """Per ``(service, word)``, the formats of that type (read once from the bundled, immutable reference)."""
    found: dict[ResourceType, list[Glob]] = {}
    for service in ServiceCatalog.load().services():
        for resource_type in service.resource_types.values():
            arn_format = resource_type.arn_format
            if arn_format is None or arn_format.count(":") < 5:
                continue
            resource_part = arn_format.split(":", 5)[5]
            word, separator = _leading_word(resource_part)
            if separator <= 0 or "${" in word or "*" in word or "?" in word:
                continue
            if "*" in arn_format or "?" in arn_format:
                continue  # a format with IAM wildcard characters cannot be read as a glob
            found.setdefault((service.prefix, word), []).append(compile_glob(_format_glob(arn_format)))
    return {key: tuple(globs) for key, globs in found.items()}


@cache
def type_words() -> Mapping[str, frozenset[str]]:
    """Per service prefix, the resource-type words that begin its ARN formats' resource parts."""
    words: dict[str, set[str]] = {}
    for service, word in _formats():
        words.setdefault(service, set()).add(word)
    return {service: frozenset(found) for service, found in words.items()}


@lru_cache(maxsize=8192)
def request_type(resource: str) -> ResourceType | None:
    """The ``(service, word)`` type of a request's resource ARN, or ``None`` when it has none.

    One split of the ARN; memoised (a pure function of the text and the
    bundled reference) so the statements of one request share the answer.
    """
    fields = resource.split(":", 5)
    if len(fields) < 6 or fields[0] != "arn":
        return None
    service = fields[2]
    word, separator = _leading_word(fields[5])
    if separator <= 0 or word not in type_words().get(service, ()):
        return None
    key = (service, word)
    if not any(glob.matches(resource) for glob in _formats()[key]):
        return None
    return key


def _literal_start(resource_part: str) -> str:
    """The resource part's text before its first wildcard or policy variable."""
    ends = [index for index in map(resource_part.find, ("*", "?", "${")) if index >= 0]
    return resource_part[: min(ends)] if ends else resource_part


def forbidden_types(pattern: str) -> frozenset[ResourceType]:
    """The resource types ``pattern`` (as matched, six fields) must not match because a wildcard stands for the word.

    Empty when the pattern cannot stand for a word: no resource part, a
    resource part of only ``*``, or a literal start that already reaches a
    ``/`` or ``:`` (then only resources starting with that literal match, and
    their word is spelled). Otherwise every word of the pattern's service (of
    every service when the service field is not literal) that the literal
    start does not spell.
    """
    fields = pattern.split(":", 5)
    if len(fields) < 6:
        return frozenset()
    resource_part = fields[5]
    if not resource_part.strip("*") and resource_part:
        return frozenset()
    start = _literal_start(resource_part)
    if start == resource_part or any(separator in start for separator in _SEPARATORS):
        return frozenset()
    service = fields[2]
    words = type_words()
    # A wildcard before the resource part may span colons, so the service field does not fix the service.
    if any("*" in field or "?" in field or "${" in field for field in fields[:5]):
        services = list(words)
    else:
        services = [service] if service in words else []
    return frozenset((s, w) for s in services for w in words[s] if not start.startswith(w))


@dataclass(frozen=True, slots=True)
class TypeGuard:
    """A pattern's test that also refuses resources whose type word a wildcard stood for."""

    test: Matcher
    forbidden: frozenset[ResourceType]

    def __call__(self, resource: str) -> bool | None:
        """``True`` when the pattern matches and the resource's type is not forbidden, else ``None``."""
        if not self.test(resource):
            return None
        return None if request_type(resource) in self.forbidden else True


@cache
def _name_first_services() -> frozenset[str]:
    """Services with an ARN format whose resource part begins with a name (an S3 bucket), not a word."""
    found: set[str] = set()
    for service in ServiceCatalog.load().services():
        for resource_type in service.resource_types.values():
            arn_format = resource_type.arn_format
            if arn_format is not None and arn_format.count(":") >= 5 and arn_format.split(":", 5)[5].startswith("${"):
                found.add(service.prefix)
    return frozenset(found)


def wildcard_type_words(pattern: str) -> tuple[str, ...]:
    """The type words a wildcard in ``pattern`` (six fields, literal service) stands for, for the linter.

    ``u*`` in IAM stands for ``user`` (and every other word starting with
    ``u``); ``*/12345`` in EC2 for every EC2 word, since every EC2 resource
    part begins with one. Nothing for a resource part of only ``*``, a
    spelled word, or a service whose resource parts may begin with a name.
    """
    fields = pattern.split(":", 5)
    if len(fields) < 6 or any("*" in field or "?" in field or "${" in field for field in fields[:5]):
        return ()
    part = fields[5]
    if not part.strip("*"):
        return ()
    start = _literal_start(part)
    if start == part or any(separator in start for separator in _SEPARATORS):
        return ()
    words = type_words().get(fields[2], frozenset())
    if start:
        if start in words:
            return ()
        return tuple(sorted(word for word in words if word.startswith(start)))
    if fields[2] in _name_first_services():
        return ()
    return tuple(sorted(words))
