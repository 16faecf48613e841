"""The ``Resource``/``NotResource`` test of a statement (spec §B.1, §B.2, §D).

Resource patterns match the whole ARN case-sensitively; ``*`` spans ``/`` and
``:``. In identity-side policies an ARN pattern with fewer than six fields is
completed with ``:*`` fields. Policy variables are substituted only after the
fifth colon and only under Version ``2012-10-17``; a pattern whose variable
is unresolved matches nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from iamsim._engine.request import ContextValue
from iamsim._engine.resource_types import TypeGuard, spells_type_word, type_guard, type_guard_start
from iamsim._engine.variables import Template, parse_template
from iamsim._engine.wildcards import (
    GlobSet,
    Matcher,
    compile_glob_set,
    compile_regex_source,
    needs_segment_confinement,
    resource_regex_source,
)
from iamsim._policy.model import Policy, PolicyKind, Statement

__all__ = [
    "IDENTITY_SIDE_KINDS",
    "ResourceMatcher",
    "ResourcePattern",
    "compile_resources",
    "complete_arn",
    "resource_service",
]

#: Policy kinds whose incomplete ARN patterns are completed with ``*`` fields (§B.2).
IDENTITY_SIDE_KINDS = frozenset({PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION, PolicyKind.SCP})


def complete_arn(pattern: str) -> str:
    """Complete an ARN pattern with fewer than six fields: ``arn:aws:sqs`` is ``arn:aws:sqs:*:*:*``."""
    if not pattern.startswith("arn:"):
        return pattern
    missing = 5 - pattern.count(":")
    return pattern + ":*" * missing if missing > 0 else pattern


def _literal_service(pattern: str) -> str | None:
    """The service field of every ARN ``pattern`` can match, when its literal head fixes it.

    That is when ``arn:partition:service:`` (through the third colon) holds no ``*``, ``?`` or ``${``.
    """
    if not pattern.startswith("arn:"):
        return None
    second = pattern.find(":", 4)
    third = pattern.find(":", second + 1) if second >= 0 else -1
    if third < 0:
        return None
    head = pattern[:third]
    if "*" in head or "?" in head or "${" in head:
        return None
    return pattern[second + 1 : third]


def resource_service(resource: str) -> str | None:
    """The service field of a request's resource ARN (``s3`` in ``arn:aws:s3:::b``), or ``None``."""
    fields = resource.split(":", 3)
    return fields[2] if len(fields) == 4 and fields[0] == "arn" else None


@dataclass(frozen=True, slots=True)
class ResourcePattern:
    """A resource pattern matched by regex: it has policy variables, ``${*}``-style
    literals, or wildcards confined to one ARN segment (§B.2).

    ``head`` is the raw text up to the fifth colon; ``tail`` the template after
    it. ``fixed`` is the compiled test when the template needs no request value.
    """

    pattern: str
    head: str
    tail: Template
    fixed: Matcher | None = field(default=None, compare=False, repr=False)
    #: The literal start a typed resource's word must begin, when the pattern needs that guard
    #: (:func:`~iamsim._engine.resource_types.type_guard_start`); ``None``: it does not.
    type_start: str | None = None

    def matches(self, resource: str, context: Mapping[str, ContextValue]) -> bool:
        """Return whether ``resource`` matches once variables are substituted from ``context``."""
        if self.fixed is not None:
            matched = self.fixed(resource) is not None
        else:
            runs = self.tail.render_runs(context)
            if runs is None:
                return False
            matched = compile_regex_source(resource_regex_source([(self.head, True), *runs]))(resource) is not None
        return matched and (self.type_start is None or spells_type_word(self.type_start, resource))


@dataclass(frozen=True, slots=True)
class ResourceMatcher:
    """A statement's ``Resource`` (``negated`` false) or ``NotResource`` (``negated`` true) element."""

    negated: bool
    globs: GlobSet
    templated: tuple[ResourcePattern, ...] = ()
    #: For ``Resource``: the ARN service fields the patterns can match, when
    #: each pattern's literal head fixes one (``None``: not known).
    services: frozenset[str] | None = None
    #: Whether the literal pattern ``*`` is listed: the only pattern that matches
    #: the resource ``*`` of resource-less actions (spec §B.1).
    star_listed: bool = False
    #: Plain patterns that could meet a typed resource whose word their literal start
    #: does not spell: tested apart, together (§B.2).
    guarded: TypeGuard | None = None
    #: For ``Resource``: text every resource a pattern matches starts with (the patterns' common literal
    #: head, cut at the first ``*``, ``?`` or ``${``); the index files statements by it. ``""``: nothing known.
    prefix: str = ""
    #: For ``Resource``: text the resource part (after the fifth colon) of every resource with exactly five
    #: colons that a pattern matches starts with (see :func:`_part_head`); ``None``: nothing known.
    part_prefix: str | None = None

    @property
    def context_free_test(self) -> Matcher | None:
        """One test deciding the listed patterns when none reads the request context (else ``None``)."""
        if self.templated:
            return None
        if self.guarded is None:
            return self.globs.test
        if self.globs.is_empty:
            return self.guarded
        return partial(_any_listed, self.globs.test, self.guarded)

    @property
    def needs_context(self) -> bool:
        """Whether a pattern reads policy variables from the request."""
        return any(pattern.fixed is None for pattern in self.templated)

    def listed(self, resource: str, context: Mapping[str, ContextValue]) -> bool:
        """Return whether some listed pattern matches ``resource``."""
        if resource == "*":
            return self.star_listed
        if self.globs.matches(resource):
            return True
        if self.guarded is not None and self.guarded(resource):
            return True
        return any(pattern.matches(resource, context) for pattern in self.templated)

    def matches(self, resource: str, context: Mapping[str, ContextValue]) -> bool:
        """Return whether the element lets the statement apply to ``resource``."""
        return self.listed(resource, context) is not self.negated


def _any_listed(globs: Matcher, guarded: TypeGuard, resource: str) -> bool:
    return bool(globs(resource)) or guarded(resource)


def _regex_pattern(pattern: str, variables: bool) -> ResourcePattern | None:
    """The pattern as a :class:`ResourcePattern`, or ``None`` when a plain glob decides it."""
    fields = pattern.split(":", 5)
    templated = variables and len(fields) == 6 and "${" in fields[5]
    if not templated and not needs_segment_confinement(pattern):
        return None
    if len(fields) < 6:
        return ResourcePattern(pattern, "", parse_template(""), _fixed([(pattern, True)]))
    head = ":".join(fields[:5]) + ":"
    tail = parse_template(fields[5]) if templated else Template((), "")
    if not templated:
        return ResourcePattern(pattern, head, tail, _fixed([(pattern, True)]))
    if tail.has_variables:
        return ResourcePattern(pattern, head, tail)
    return ResourcePattern(pattern, head, tail, _fixed([(head, True), *(tail.render_runs({}) or [])]))


def _fixed(runs: list[tuple[str, bool]]) -> Matcher:
    return compile_regex_source(resource_regex_source(runs))


def compile_resources(
    statement: Statement, policy: Policy, share: Callable[[frozenset[str]], frozenset[str]] | None = None
) -> ResourceMatcher | None:
    """Compile the statement's resource element; ``None`` means it applies to every resource.

    ``share`` returns the instance to keep of an equal set of service names (compilers share them).
    """
    negated = statement.not_resource is not None
    patterns = statement.not_resource if negated else statement.resource
    if patterns is None:
        return None
    complete = policy.kind in IDENTITY_SIDE_KINDS
    variables = policy.variables_enabled
    plain: list[str] = []
    guarded: list[tuple[str, str]] = []
    templated: list[ResourcePattern] = []
    services: set[str] | None = None if negated else set()
    heads: list[str] = []
    part_heads: list[str | None] = []
    for written in patterns:
        pattern = complete_arn(written) if complete else written
        if not negated and pattern == "*":
            return None
        if not negated:
            heads.append(_literal_head(pattern))
            part_heads.append(_part_head(pattern))
        # Most patterns need no regex: only variables or segment-confined wildcards call for one.
        compiled = None
        if (variables and "${" in pattern) or needs_segment_confinement(pattern):
            compiled = _regex_pattern(pattern, variables)
        # Decided here once: only a pattern that can meet a typed resource it does not spell the word of is guarded.
        type_start = type_guard_start(pattern)
        if compiled is not None:
            templated.append(replace(compiled, type_start=type_start) if type_start is not None else compiled)
        elif type_start is not None:
            guarded.append((pattern, type_start))
        else:
            plain.append(pattern)
        if services is not None:
            # Without variables ``${`` is literal text, but cutting the head there is merely cautious.
            service = _literal_service(pattern)
            services = None if service is None else services | {service}
    frozen = None if services is None else frozenset(services)
    if frozen is not None and share is not None:
        frozen = share(frozen)
    star_listed = "*" in patterns
    prefix = "" if negated else _common_head(heads)
    part_prefix = None
    if not negated and None not in part_heads:
        part_prefix = _common_head([head for head in part_heads if head is not None])
    # A one-pattern list goes in as a tuple: the glob set keeps it instead of deduplicating into a new one.
    if len(plain) == 1:
        globs = compile_glob_set(patterns if len(patterns) == 1 and patterns[0] == plain[0] else tuple(plain))
    else:
        globs = compile_glob_set(plain)
    return ResourceMatcher(
        negated,
        globs,
        tuple(templated) if templated else (),
        frozen,
        star_listed,
        type_guard(guarded) if guarded else None,
        prefix,
        part_prefix,
    )


def _common_head(heads: Sequence[str]) -> str:
    """The longest text every one of ``heads`` starts with (character by character)."""
    if len(heads) == 1:
        return heads[0]
    first = min(heads, default="")
    last = max(heads, default="")
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


def _part_head(pattern: str) -> str | None:
    """The literal head of ``pattern``'s resource part (the text after its fifth colon), or ``None``.

    Why it files statements soundly: when no variable comes before the pattern's fifth colon, its first
    five colons are literal and each must meet a colon of the resource, in order; a resource with exactly
    five colons has none to spare for a wildcard (not even a ``*`` ending a segment, §B.2), so the two
    resource parts meet and the resource's must start with the pattern's literal head. ``None`` when the
    pattern has fewer than five colons or a variable before the fifth.
    """
    fields = pattern.split(":", 5)
    if len(fields) < 6 or "${" in pattern[: len(pattern) - len(fields[5])]:
        return None
    return _literal_head(fields[5])


def _literal_head(pattern: str) -> str:
    """The text before ``pattern``'s first wildcard or variable: every match starts with it (matching of
    resources is case-sensitive and anchored; a variable's value is unknown until the request)."""
    end = pattern.find("*")
    if end < 0:
        end = len(pattern)
    mark = pattern.find("?", 0, end)
    if mark >= 0:
        end = mark
    mark = pattern.find("${", 0, end)
    if mark >= 0:
        end = mark
    return pattern[:end]
