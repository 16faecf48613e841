"""The resource-type word of an ARN, which a Resource wildcard may not stand for (spec §B.2).

The IAM identifiers page (UG: reference_identifiers.html, "ARNs") says a
wildcard cannot replace the resource-type portion of an IAM ARN: ``arn:aws:iam::
123456789012:u*`` does not name users. The rule covers IAM's ARNs only
(:data:`RULED_SERVICES`): AWS's own managed policies rely on ``*/*`` resource
parts for other services' typed resources. The words come from the bundled
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
resource only when its literal start (the resource part's text before any
wildcard or policy variable) begins with the word.

The rule reads the pattern's text, not how a match lined it up: a ``*`` that
ends the region or account field may run past colons (§B.2, current), so
``arn:aws:logs:*:*:mystream`` matches a log stream's ARN with the account
``*`` covering ``log-group:...``; its literal start ``mystream`` does not
spell ``log-group``, so it does not match. The rule is decided per pattern at
compile time (:func:`type_guard_start`); only a pattern that can match a
typed resource whose word its literal start does not spell checks the
request's type, once it otherwise matched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, partial

from iamsim._engine.wildcards import Glob, Matcher, compile_glob, compile_glob_set
from iamsim._policy.catalog import ServiceCatalog

__all__ = [
    "RULED_SERVICES",
    "ResourceType",
    "TypeGuard",
    "format_globs",
    "literal_start",
    "request_type",
    "spells_type_word",
    "type_guard",
    "type_guard_start",
    "type_words",
    "wildcard_type_words",
]

#: The services whose ARNs the rule covers. The identifiers page states it for IAM's own ARNs
#: (``user``, ``role``, ``group``, ``policy``...), and only those: AWS's own managed policies
#: write ``arn:aws:ec2:*:*:*/*``, ``arn:aws:sagemaker:*:*:*/*`` and the like, which would grant
#: nothing on typed resources if the rule held for every service (spec §B.2).
RULED_SERVICES = frozenset({"iam"})

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


def _arn_formats() -> Iterator[tuple[str, str, str]]:
    """Every bundled ARN format with six fields and a literal service field: ``(service field, resource part, format)``.

    Keyed by the ARN's own service field, not the listing service's prefix:
    STS lists the IAM role format (``arn:...:iam::...:role/...``) and Service
    Catalog lists ``arn:...:catalog:...:portfolio/...``.
    """
    for service in ServiceCatalog.load().services():
        for resource_type in service.resource_types.values():
            arn_format = resource_type.arn_format
            if arn_format is None or arn_format.count(":") < 5:
                continue
            fields = arn_format.split(":", 5)
            if fields[2] not in RULED_SERVICES:
                continue
            yield fields[2], fields[5], arn_format


@cache
def format_globs() -> Mapping[ResourceType, tuple[str, ...]]:
    """Per ``(service, word)``, the ARN formats of that type as IAM globs (``${...}`` read as ``?*``).

    The prover encodes the rule from these same texts, so both read one source.
    """
    found: dict[ResourceType, set[str]] = {}
    for service, resource_part, arn_format in _arn_formats():
        word, separator = _leading_word(resource_part)
        if separator <= 0 or "${" in word or "*" in word or "?" in word:
            continue
        if "*" in arn_format or "?" in arn_format:
            continue  # a format with IAM wildcard characters cannot be read as a glob
        found.setdefault((service, word), set()).add(_format_glob(arn_format))
    return {key: tuple(sorted(globs)) for key, globs in found.items()}


@cache
def _formats() -> Mapping[ResourceType, tuple[Glob, ...]]:
    """Per ``(service, word)``, the compiled formats of that type (read once from the bundled, immutable reference)."""
    return {key: tuple(compile_glob(glob) for glob in globs) for key, globs in format_globs().items()}


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


def literal_start(resource_part: str) -> str:
    """The resource part's text before its first wildcard or policy variable (``${``, whatever the Version)."""
    ends = [index for index in map(resource_part.find, ("*", "?", "${")) if index >= 0]
    return resource_part[: min(ends)] if ends else resource_part


def _head_spans_colons(fields: list[str]) -> bool:
    """Whether a ``*`` ends one of the first five fields, so it may run on into the resource part (§B.2)."""
    return any(field.endswith("*") for field in fields[:5])


def _service_is_fixed(fields: list[str]) -> bool:
    """Whether every ARN the pattern matches has the pattern's service field (no wildcard up to it)."""
    return not any("*" in field or "?" in field for field in fields[:3])


def spells_type_word(start: str, resource: str) -> bool:
    """Whether a pattern whose literal start is ``start`` may match ``resource`` under the rule.

    ``True`` when the resource is not typed or ``start`` begins with its word.
    """
    typed = request_type(resource)
    return typed is None or start.startswith(typed[1])


def type_guard_start(pattern: str) -> str | None:
    """The literal start a typed resource's word must begin, when ``pattern`` (as matched) needs the guard.

    ``None`` when no typed resource the pattern matches can have a word its
    literal start does not spell: no resource part, a resource part of only
    ``*``, or (no ``*`` ending an earlier field, so the resource part lines
    up with the request's) a literal start that reaches a ``/`` or ``:`` (the
    request's word is then spelled) or is the whole resource part (then the
    request's resource part has no separator). Also ``None`` when the service
    field is literal and its every word is spelled (a service without words).
    """
    if "*" not in pattern and "?" not in pattern and "${" not in pattern:
        return None  # the common literal ARN: the request's resource part is the pattern's
    fields = pattern.split(":", 5)
    if len(fields) < 6:
        return None
    part = fields[5]
    if part and not part.strip("*"):
        return None
    start = literal_start(part)
    if not _head_spans_colons(fields) and (start == part or any(s in start for s in _SEPARATORS)):
        return None
    if _service_is_fixed(fields) and all(start.startswith(word) for word in type_words().get(fields[2], ())):
        return None
    return start


@cache
def _all_words() -> frozenset[str]:
    """Every type word of every service (the guard compares words as text)."""
    return frozenset(word for words in type_words().values() for word in words)


#: A statement's guarded patterns as one test: whether some pattern matches and the rule lets it.
TypeGuard = Callable[[str], bool]


def type_guard(guarded: Sequence[tuple[str, str]]) -> TypeGuard:
    """One test for ``(pattern, literal start)`` pairs from :func:`type_guard_start`, tested together.

    Any pattern's match is one glob-set test; a typed resource then needs a
    pattern whose literal start begins with its word. Per word, the patterns
    that spell it are grouped at compile time; when that is all of them (one
    pattern, the usual case) the first test already decided. So a miss costs
    one glob-set test, a hit one more memoised type lookup (and at most one
    more test).
    """
    patterns = tuple(pattern for pattern, _ in guarded)
    words = _all_words()
    groups: dict[str, list[str]] = {}
    for pattern, start in guarded:
        word_end = min((index for index in map(start.find, _SEPARATORS) if index >= 0), default=len(start))
        for end in range(1, word_end + 1):
            if start[:end] in words:
                groups.setdefault(start[:end], []).append(pattern)
    every = set(patterns)
    by_word: dict[str, Matcher | bool] = {
        word: True if set(group) == every else compile_glob_set(tuple(group)).test for word, group in groups.items()
    }
    return partial(_guarded, compile_glob_set(patterns).test, by_word)


def _guarded(test: Matcher, by_word: Mapping[str, Matcher | bool], resource: str) -> bool:
    if not test(resource):
        return False
    typed = request_type(resource)
    if typed is None:
        return True
    spelled = by_word.get(typed[1], False)
    if spelled is True or spelled is False:
        return spelled
    return bool(spelled(resource))


@cache
def _name_first_services() -> frozenset[str]:
    """Services with an ARN format whose resource part begins with a name (an S3 bucket), not a word."""
    return frozenset(service for service, resource_part, _ in _arn_formats() if resource_part.startswith("${"))


@cache
def _bare_parts() -> Mapping[str, frozenset[str]]:
    """Per service, the literal resource parts without a separator (``root`` in ``arn:...:iam::${Account}:root``)."""
    found: dict[str, set[str]] = {}
    for service, resource_part, _ in _arn_formats():
        if resource_part and "${" not in resource_part and not any(s in resource_part for s in _SEPARATORS):
            found.setdefault(service, set()).add(resource_part)
    return {service: frozenset(parts) for service, parts in found.items()}


@cache
def _ranked_words(service: str) -> tuple[str, ...]:
    """The service's type words, most used first: by how many of its actions name a type of that word."""
    uses: Counter[str] = Counter()
    listed = ServiceCatalog.load().service(service)
    for action in listed.actions.values() if listed is not None else ():
        for resource in action.resource_types:
            arn_format = resource.arn_format
            if arn_format is not None and arn_format.count(":") >= 5 and arn_format.split(":", 5)[2] == service:
                uses[_leading_word(arn_format.split(":", 5)[5])[0]] += 1
    return tuple(sorted(type_words().get(service, ()), key=lambda word: (-uses[word], word)))


@cache
def _word_separators() -> Mapping[ResourceType, str]:
    """Per ``(service, word)``, the separator that follows the word in the first bundled format that has it."""
    found: dict[ResourceType, str] = {}
    for service, resource_part, _ in _arn_formats():
        word, separator = _leading_word(resource_part)
        if separator > 0:
            found.setdefault((service, word), resource_part[separator])
    return found


_FIELD_NAMES = ("arn", "partition", "service", "region", "account")


@dataclass(frozen=True, slots=True)
class TypeWordWildcard:
    """What the linter reports of a pattern whose wildcard stands for a resource-type word."""

    #: The pattern's service field.
    service: str
    #: The words the wildcard stands for, most used first.
    words: tuple[str, ...]
    #: The earlier field whose trailing ``*`` stands for the word (``account``), or ``None``
    #: when a wildcard or variable of the resource part itself does.
    field: str | None

    @property
    def example(self) -> str:
        """The most used word with the separator its formats put after it: ``instance/``, ``log-group:``."""
        return self.words[0] + _word_separators().get((self.service, self.words[0]), "/")


def wildcard_type_words(pattern: str) -> TypeWordWildcard | None:
    """The type words a wildcard in ``pattern`` (six fields, literal service) stands for, for the linter.

    ``u*`` in IAM stands for ``user`` (and every other word starting with
    ``u``); ``*/12345`` in EC2 for every EC2 word, since every EC2 resource
    part begins with one. A ``*`` ending the region or account field stands
    for the word when the resource part is a bare name with no word at all
    (``arn:aws:logs:*:*:mystream``): such a pattern matches only with that
    ``*`` covering ``log-group:...``, which the rule refuses. Nothing for a
    resource part of only ``*``, a spelled word, a bare part the service's
    formats name (``root`` in IAM), a wildcard service, or a service whose
    resource parts may begin with a name. (The evaluators refuse more: any
    pattern whose literal start does not spell a typed resource's word; the
    linter reports only where that is the likely reading.)
    """
    fields = pattern.split(":", 5)
    if len(fields) < 6 or not _service_is_fixed(fields):
        return None
    part = fields[5]
    if part and not part.strip("*"):
        return None
    service = fields[2]
    words = _ranked_words(service)
    if not words:
        return None
    start = literal_start(part)
    if any(separator in start for separator in _SEPARATORS):
        return None  # the literal start names the type (or, in a name-first service, a name)
    name_first = service in _name_first_services()
    if start != part:  # the resource part's own wildcard or variable comes before any separator
        if start in words:
            return None
        if start or not name_first:
            hits = tuple(word for word in words if word.startswith(start))
            if hits:
                return TypeWordWildcard(service, hits, None)
    spans = [name for name, field in zip(_FIELD_NAMES, fields[:5], strict=True) if field.endswith("*")]
    if not spans or name_first or any(bare.startswith(start) for bare in _bare_parts().get(service, ())):
        return None
    return TypeWordWildcard(service, words, spans[-1])
